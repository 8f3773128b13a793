/** Small invoices for the Octopus tests, built through the model (parsed with `invoice.parse`). */
import { invoice, type Invoice, type InvoiceInput, type Party, type VatCategory } from '../../lib/model/invoice';
import { dossier, type Dossier, type DossierInput } from '../../lib/model/dossier';
import { dec, round, sum, toFixed } from '../../lib/money';
import { SIM_DOSSIER_ID } from '../sandbox/octopus-sim';

export interface LineSpec {
  net: string;
  rate?: string;
  category?: VatCategory;
  account?: string;
  description?: string;
}

export interface InvoiceSpec {
  number?: string;
  kind?: 'invoice' | 'credit-note';
  direction?: 'sales' | 'purchase';
  issueDate?: string;
  dueDate?: string;
  /** The counterparty (buyer of a sale, seller of a purchase). */
  party?: Partial<Party>;
  lines?: LineSpec[];
  paymentId?: string;
  pdf?: boolean;
  allowance?: { amount: string; rate?: string; category?: VatCategory };
}

export const DEMO_BV: Party = {
  name: 'Demo BV',
  enterpriseNumber: '0477472701',
  vatId: 'BE0477472701',
  address: { street: 'Kerkstraat 1', city: 'Gent', postalCode: '9000', countryCode: 'BE' },
};

export const CUSTOMER: Party = {
  name: 'Klant Zonder Nummer BV',
  vatId: 'BE0403170701',
  address: { street: 'Rue de la Loi 16', city: 'Bruxelles', postalCode: '1000', countryCode: 'BE' },
  externalId: 'CUST-77',
};

let counter = 0;

export function makeInvoice(spec: InvoiceSpec = {}): Invoice {
  counter += 1;
  const direction = spec.direction ?? 'sales';
  const lines = (spec.lines ?? [{ net: '100.00' }]).map((l, i) => ({
    id: String(i + 1),
    description: l.description ?? `Item ${i + 1}`,
    quantity: '1',
    unitPrice: l.net,
    netAmount: l.net,
    vat: { category: l.category ?? 'S', rate: l.rate ?? (l.category && l.category !== 'S' ? '0' : '21') },
    ...(l.account ? { accountingCost: l.account } : {}),
  }));
  const allowances = spec.allowance
    ? [{ isCharge: false, amount: spec.allowance.amount, vat: { category: spec.allowance.category ?? 'S', rate: spec.allowance.rate ?? '21' } }]
    : [];
  const groups = new Map<string, { category: VatCategory; rate: string; taxable: string[] }>();
  for (const l of lines) {
    const k = `${l.vat.category}:${l.vat.rate}`;
    const g = groups.get(k) ?? { category: l.vat.category, rate: l.vat.rate, taxable: [] };
    g.taxable.push(l.netAmount);
    groups.set(k, g);
  }
  for (const a of allowances) {
    const k = `${a.vat.category}:${a.vat.rate}`;
    groups.get(k)?.taxable.push(dec(a.amount).times(-1).toString());
  }
  const vatBreakdown = [...groups.values()].map((g) => {
    const taxable = sum(g.taxable);
    return {
      category: g.category,
      rate: g.rate,
      taxableAmount: toFixed(taxable),
      taxAmount: toFixed(round(taxable.times(g.rate).div(100))),
      ...(g.category === 'K' ? { exemptionReasonCode: 'VATEX-EU-IC' } : {}),
    };
  });
  const lineExtension = sum(lines.map((l) => l.netAmount));
  const allowanceTotal = sum(allowances.map((a) => a.amount));
  const taxExclusive = lineExtension.minus(allowanceTotal);
  const taxTotal = sum(vatBreakdown.map((b) => b.taxAmount));
  const taxInclusive = taxExclusive.plus(taxTotal);
  const party: Party = { ...CUSTOMER, ...spec.party, address: { ...CUSTOMER.address, ...spec.party?.address } };
  const input: InvoiceInput = {
    kind: spec.kind ?? 'invoice',
    direction,
    number: spec.number ?? `INV-2026-${String(counter).padStart(4, '0')}`,
    issueDate: spec.issueDate ?? '2026-03-15',
    dueDate: spec.dueDate ?? '2026-04-14',
    currency: 'EUR',
    seller: direction === 'sales' ? DEMO_BV : party,
    buyer: direction === 'sales' ? party : DEMO_BV,
    lines,
    allowancesCharges: allowances,
    vatBreakdown,
    totals: {
      lineExtension: toFixed(lineExtension),
      allowanceTotal: toFixed(allowanceTotal),
      taxExclusive: toFixed(taxExclusive),
      taxTotal: toFixed(taxTotal),
      taxInclusive: toFixed(taxInclusive),
      payable: toFixed(taxInclusive),
    },
    ...(spec.paymentId ? { paymentMeans: { code: '30', paymentId: spec.paymentId } } : {}),
    attachments: spec.pdf === false ? [] : [{ id: 'pdf', filename: 'invoice.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQKJcfsj6IK' }],
  };
  return invoice.parse(input);
}

export function makeDossier(input: Partial<DossierInput> = {}): Dossier {
  return dossier.parse({
    id: 'local-1001',
    name: 'Demo BV',
    octopusDossierId: SIM_DOSSIER_ID,
    connectionId: 'conn-1',
    enterpriseNumber: '0477472701',
    ...input,
  });
}
