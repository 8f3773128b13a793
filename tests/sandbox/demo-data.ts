import { invoice as invoiceSchema } from '../../lib/model/invoice';
import type { AllowanceCharge, Invoice, InvoiceInput, Party, VatCategory } from '../../lib/model/invoice';
import { dec, round, sum, toFixed } from '../../lib/money';
import type { Big } from '../../lib/money';

/**
 * The demo data set of FactuurDemo (tests/sandbox/demo-site.ts): a Belgian bakery that invoices cafés, hotels, a
 * caterer, a sports centre, a shop, a day-care centre, a Dutch lunchroom (intra-Community supply) and a private
 * person, from September to November 2026. Twenty invoices and two credit notes, in the statuses a small invoicing
 * app shows. Everything is fixed: no clock, no randomness; amounts are computed with lib/money exactly the way
 * EN 16931 wants them (line net = quantity × price rounded to cents, VAT per rate group, BR-CO totals).
 *
 * All identifiers are fictitious but valid: enterprise numbers (check = 97 − first 8 digits mod 97), BE VAT
 * numbers, the IBAN (ISO 13616 mod 97) and its Belgian BBAN check, the Dutch VAT number (mod 11) and the
 * structured communications (+++ddd/dddd/ddddd+++, check = first 10 digits mod 97, 0 → 97).
 */

/** The demo's "today": statuses (overdue vs sent) are as of this date. */
export const DEMO_TODAY = '2026-11-30';

export type DemoStatus = 'draft' | 'sent' | 'paid' | 'overdue' | 'cancelled';
export const DEMO_STATUSES: readonly DemoStatus[] = ['draft', 'sent', 'paid', 'overdue', 'cancelled'];

/** What the app shows for each status (Dutch UI). */
export const DEMO_STATUS_LABELS: Readonly<Record<DemoStatus, string>> = {
  draft: 'Concept',
  sent: 'Verzonden',
  paid: 'Betaald',
  overdue: 'Vervallen',
  cancelled: 'Geannuleerd',
};

/** A document as the invoicing app keeps it: its own id and status around the model invoice. */
export interface DemoDocument {
  /** The app's id, used in URLs (/invoices/ID); equal to the document number, like many small apps do. */
  id: string;
  status: DemoStatus;
  customerId: string;
  invoice: Invoice;
}

export interface DemoCustomer {
  id: string;
  party: Party;
  /** Language the customer is addressed in (payment terms text). */
  language: 'nl' | 'fr';
  /** Payment term in days. */
  termDays: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Parties
// ---------------------------------------------------------------------------------------------------------------

export const DEMO_SELLER_IBAN = 'BE11001445566748';
export const DEMO_SELLER_BIC = 'GEBABEBB';

export const demoSeller: Party = {
  name: 'Bakkerij Demo BV',
  tradingName: 'Bakkerij Demo',
  enterpriseNumber: '0792345686',
  vatId: 'BE0792345686',
  endpoint: { scheme: '0208', id: '0792345686' },
  legalForm: 'BV – RPR Gent, afdeling Gent',
  address: { street: 'Veldstraat 42', city: 'Gent', postalCode: '9000', countryCode: 'BE' },
  contact: { name: 'Els Vermeulen', email: 'boekhouding@bakkerijdemo.example', phone: '+32 9 123 45 67' },
};

function belgianCompany(
  id: string,
  name: string,
  enterpriseNumber: string,
  street: string,
  postalCode: string,
  city: string,
  contact: { name: string; email: string },
  withVat = true,
): Party {
  return {
    name,
    enterpriseNumber,
    ...(withVat ? { vatId: `BE${enterpriseNumber}` } : {}),
    endpoint: { scheme: '0208', id: enterpriseNumber },
    address: { street, city, postalCode, countryCode: 'BE' },
    contact,
    externalId: id,
  };
}

export const demoCustomers: readonly DemoCustomer[] = [
  {
    id: 'K0001',
    language: 'nl',
    termDays: 30,
    party: belgianCompany('K0001', 'Café De Zwaan BV', '0447881266', 'Korenmarkt 5', '9000', 'Gent', {
      name: 'Pieter De Smet',
      email: 'pieter@cafedezwaan.example',
    }),
  },
  {
    id: 'K0002',
    language: 'nl',
    termDays: 30,
    party: belgianCompany('K0002', 'Hotel Scheldezicht NV', '0816553225', 'Ernest van Dijckkaai 10', '2000', 'Antwerpen', {
      name: 'An Claes',
      email: 'facturen@scheldezicht.example',
    }),
  },
  {
    id: 'K0003',
    language: 'fr',
    termDays: 30,
    party: belgianCompany('K0003', 'Traiteur Lemaire SRL', '0664339043', 'Rue de Fer 18', '5000', 'Namur', {
      name: 'Julie Lemaire',
      email: 'compta@traiteur-lemaire.example',
    }),
  },
  {
    id: 'K0004',
    language: 'nl',
    termDays: 30,
    party: belgianCompany('K0004', 'Sportcentrum De Lier BV', '1002671479', 'Zimmerplein 3', '2500', 'Lier', {
      name: 'Tom Wouters',
      email: 'administratie@sportcentrumdelier.example',
    }),
  },
  {
    id: 'K0005',
    language: 'nl',
    termDays: 30,
    party: belgianCompany('K0005', 'De Groene Markt CV', '0773524817', 'Diestsestraat 120', '3000', 'Leuven', {
      name: 'Lotte Maes',
      email: 'aankoop@degroenemarkt.example',
    }),
  },
  {
    id: 'K0006',
    language: 'nl',
    termDays: 30,
    // A non-profit that is not VAT-registered: enterprise number, no VAT number.
    party: belgianCompany(
      'K0006',
      'Kinderdagverblijf Zonneke VZW',
      '0558126716',
      'Begijnhofstraat 9',
      '8000',
      'Brugge',
      { name: 'Hilde Peeters', email: 'info@zonneke.example' },
      false,
    ),
  },
  {
    id: 'K0007',
    language: 'nl',
    termDays: 30,
    party: {
      name: 'Lunchroom Het Broodhuis B.V.',
      vatId: 'NL855123497B01',
      endpoint: { scheme: '9944', id: 'NL855123497B01' },
      address: { street: 'Vrijthof 20', city: 'Maastricht', postalCode: '6211 LE', countryCode: 'NL' },
      contact: { name: 'Mark Hendriks', email: 'inkoop@hetbroodhuis.example' },
      externalId: 'K0007',
    },
  },
  {
    id: 'K0008',
    language: 'nl',
    termDays: 14,
    // A private person: no enterprise number, no VAT number, no electronic address.
    party: {
      name: 'Sofie Janssens',
      address: { street: 'Bruul 7', city: 'Mechelen', postalCode: '2800', countryCode: 'BE' },
      contact: { name: 'Sofie Janssens', email: 'sofie.janssens@example.com' },
      externalId: 'K0008',
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------------------------

type VatKey = 'S21' | 'S12' | 'S6' | 'Z0' | 'K0';
const VAT: Record<VatKey, { category: VatCategory; rate: string }> = {
  S21: { category: 'S', rate: '21' },
  S12: { category: 'S', rate: '12' },
  S6: { category: 'S', rate: '6' },
  Z0: { category: 'Z', rate: '0' },
  K0: { category: 'K', rate: '0' },
};
const EXEMPTIONS: Partial<Record<VatKey, { exemptionReasonCode: string; exemptionReason: string }>> = {
  K0: {
    exemptionReasonCode: 'VATEX-EU-IC',
    exemptionReason: 'Vrijgestelde intracommunautaire levering – art. 39bis, eerste lid, 1°, WBTW',
  },
};

interface LineSpec {
  description: string;
  quantity: string;
  unitPrice: string;
  vat: VatKey;
  unitCode?: string;
  note?: string;
  /** Line-level allowance, as a percentage of quantity × price. */
  discount?: { percent: string; reason: string };
}

interface DocAllowanceChargeSpec {
  isCharge: boolean;
  vat: VatKey;
  reason: string;
  reasonCode: string;
  /** Either a percentage of the lines in the same VAT group, or a fixed amount. */
  percent?: string;
  amount?: string;
}

interface DocSpec {
  number: string;
  kind?: 'invoice' | 'credit-note';
  status: DemoStatus;
  issueDate: string;
  customer: string;
  lines: LineSpec[];
  allowancesCharges?: DocAllowanceChargeSpec[];
  prepaid?: string;
  note?: string;
  orderReference?: string;
  /** For credit notes: the invoice it corrects. */
  corrects?: string;
  /** Intra-Community supplies: the delivery date (BR-IC-11). */
  deliveryDate?: string;
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Belgian structured communication from a 10-digit base: +++ddd/dddd/ddddd+++, check = base mod 97 (0 → 97). */
export function structuredCommunication(base10: string): string {
  if (!/^\d{10}$/.test(base10)) throw new RangeError(`10 digits expected: ${base10}`);
  const check = Number(BigInt(base10) % 97n) || 97;
  const d = base10 + String(check).padStart(2, '0');
  return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}+++`;
}

const PAYMENT_TERMS = {
  nl: (days: number) => `Betaling binnen ${days} dagen na factuurdatum.`,
  fr: (days: number) => `Paiement à ${days} jours date de facture.`,
};

const specsByNumber = new Map<string, DocSpec>();

function build(spec: DocSpec): DemoDocument {
  const customer = demoCustomers.find((c) => c.id === spec.customer);
  if (!customer) throw new Error(`Unknown customer ${spec.customer}`);
  const kind = spec.kind ?? 'invoice';

  const lines = spec.lines.map((l, i) => {
    const gross = round(dec(l.quantity).times(l.unitPrice));
    const allowances: AllowanceCharge[] = [];
    let net = gross;
    if (l.discount) {
      const amount = round(gross.times(l.discount.percent).div(100));
      allowances.push({
        isCharge: false,
        amount: toFixed(amount),
        baseAmount: toFixed(gross),
        percent: l.discount.percent,
        reason: l.discount.reason,
        reasonCode: '95', // UNCL5189 95: discount
      });
      net = gross.minus(amount);
    }
    return {
      id: String(i + 1),
      description: l.description,
      ...(l.note ? { note: l.note } : {}),
      quantity: l.quantity,
      unitCode: l.unitCode ?? 'C62',
      unitPrice: l.unitPrice,
      netAmount: toFixed(net),
      vat: { ...VAT[l.vat] },
      allowancesCharges: allowances,
      vatKey: l.vat,
    };
  });

  const groupNet = (key: VatKey): Big => sum(lines.filter((l) => l.vatKey === key).map((l) => l.netAmount));
  const docAcs = (spec.allowancesCharges ?? []).map((ac) => {
    let amount: Big;
    let base: Big | undefined;
    if (ac.percent !== undefined) {
      base = groupNet(ac.vat);
      amount = round(base.times(ac.percent).div(100));
    } else if (ac.amount !== undefined) {
      amount = dec(ac.amount);
    } else {
      throw new Error(`${spec.number}: allowance/charge needs a percent or an amount`);
    }
    const out: AllowanceCharge & { vatKey: VatKey } = {
      isCharge: ac.isCharge,
      amount: toFixed(amount),
      ...(base ? { baseAmount: toFixed(base), percent: ac.percent } : {}),
      reason: ac.reason,
      reasonCode: ac.reasonCode,
      vat: { ...VAT[ac.vat] },
      vatKey: ac.vat,
    };
    return out;
  });

  // VAT breakdown: one group per category + rate, highest rate first; tax rounded per group.
  const order: VatKey[] = ['S21', 'S12', 'S6', 'Z0', 'K0'];
  const used = new Set<VatKey>([...lines.map((l) => l.vatKey), ...docAcs.map((a) => a.vatKey)]);
  const vatBreakdown = order
    .filter((k) => used.has(k))
    .map((k) => {
      const taxable = groupNet(k)
        .minus(sum(docAcs.filter((a) => a.vatKey === k && !a.isCharge).map((a) => a.amount)))
        .plus(sum(docAcs.filter((a) => a.vatKey === k && a.isCharge).map((a) => a.amount)));
      const tax = round(taxable.times(VAT[k].rate).div(100));
      return { ...VAT[k], taxableAmount: toFixed(taxable), taxAmount: toFixed(tax), ...EXEMPTIONS[k] };
    });

  const lineExtension = sum(lines.map((l) => l.netAmount));
  const allowanceTotal = sum(docAcs.filter((a) => !a.isCharge).map((a) => a.amount));
  const chargeTotal = sum(docAcs.filter((a) => a.isCharge).map((a) => a.amount));
  const taxExclusive = lineExtension.minus(allowanceTotal).plus(chargeTotal);
  const taxTotal = sum(vatBreakdown.map((b) => b.taxAmount));
  const taxInclusive = taxExclusive.plus(taxTotal);
  const prepaid = dec(spec.prepaid ?? '0');
  const payable = taxInclusive.minus(prepaid);

  const corrected = spec.corrects ? specsByNumber.get(spec.corrects) : undefined;
  if (spec.corrects && !corrected) throw new Error(`${spec.number}: corrects unknown ${spec.corrects}`);

  const input: InvoiceInput = {
    kind,
    direction: 'sales',
    number: spec.number,
    issueDate: spec.issueDate,
    ...(kind === 'invoice' ? { dueDate: addDays(spec.issueDate, customer.termDays) } : {}),
    typeCode: kind === 'invoice' ? '380' : '381',
    currency: 'EUR',
    ...(spec.note ? { note: spec.note } : {}),
    buyerReference: customer.id,
    ...(spec.orderReference ? { orderReference: spec.orderReference } : {}),
    ...(corrected ? { billingReference: { number: corrected.number, issueDate: corrected.issueDate } } : {}),
    ...(spec.deliveryDate
      ? { delivery: { date: spec.deliveryDate, address: { ...customer.party.address } } }
      : {}),
    seller: demoSeller,
    buyer: customer.party,
    lines: lines.map(({ vatKey: _vatKey, ...line }) => line),
    allowancesCharges: docAcs.map(({ vatKey: _vatKey, ...ac }) => ac),
    vatBreakdown,
    totals: {
      lineExtension: toFixed(lineExtension),
      allowanceTotal: toFixed(allowanceTotal),
      chargeTotal: toFixed(chargeTotal),
      taxExclusive: toFixed(taxExclusive),
      taxTotal: toFixed(taxTotal),
      taxInclusive: toFixed(taxInclusive),
      prepaid: toFixed(prepaid),
      rounding: '0.00',
      payable: toFixed(payable),
    },
    ...(kind === 'invoice'
      ? {
          paymentMeans: {
            code: '30',
            iban: DEMO_SELLER_IBAN,
            bic: DEMO_SELLER_BIC,
            accountName: demoSeller.name,
            paymentId: structuredCommunication(spec.number.replace(/\D/g, '').padStart(10, '0')),
          },
          paymentTerms: PAYMENT_TERMS[customer.language](customer.termDays),
        }
      : { paymentTerms: 'Dit bedrag wordt verrekend met uw openstaande facturen of teruggestort.' }),
    attachments: [],
  };
  specsByNumber.set(spec.number, spec);
  return { id: spec.number, status: spec.status, customerId: customer.id, invoice: invoiceSchema.parse(input) };
}

// ---------------------------------------------------------------------------------------------------------------
// The documents, in the order they were issued
// ---------------------------------------------------------------------------------------------------------------

const SPECS: DocSpec[] = [
  {
    number: '2026-0001',
    status: 'paid',
    issueDate: '2026-09-01',
    customer: 'K0001',
    lines: [
      { description: 'Desembrood volkoren 800 g', quantity: '40', unitPrice: '3.20', vat: 'S6' },
      { description: 'Croissants boter', quantity: '120', unitPrice: '0.95', vat: 'S6' },
      { description: 'Pistolets wit', quantity: '200', unitPrice: '0.45', vat: 'S6' },
    ],
  },
  {
    number: '2026-0002',
    status: 'paid',
    issueDate: '2026-09-03',
    customer: 'K0002',
    orderReference: 'PO-2026-0415',
    lines: [
      { description: 'Ontbijtbroodjes assortiment', quantity: '600', unitPrice: '0.52', vat: 'S6' },
      { description: 'Verhuur broodsnijmachine (september)', quantity: '1', unitPrice: '45.00', vat: 'S21', unitCode: 'MON' },
      { description: 'Levering', quantity: '7', unitPrice: '12.50', vat: 'S21', note: '7 ritten' },
    ],
  },
  {
    number: '2026-0003',
    status: 'paid',
    issueDate: '2026-09-08',
    customer: 'K0003',
    lines: [
      { description: 'Pain de campagne 800 g', quantity: '60', unitPrice: '3.10', vat: 'S6' },
      {
        description: 'Baguettes tradition',
        quantity: '150',
        unitPrice: '1.35',
        vat: 'S6',
        discount: { percent: '10', reason: 'Remise volume' },
      },
    ],
  },
  {
    number: '2026-0004',
    status: 'paid',
    issueDate: '2026-09-12',
    customer: 'K0008',
    lines: [
      { description: 'Verjaardagstaart chocolade (12 personen)', quantity: '1', unitPrice: '38.50', vat: 'S6' },
      { description: 'Taartopschrift met naam', quantity: '1', unitPrice: '6.00', vat: 'S6' },
      { description: 'Verjaardagskaarsjes (set van 12)', quantity: '1', unitPrice: '2.49', vat: 'S21' },
    ],
  },
  {
    number: '2026-0005',
    status: 'paid',
    issueDate: '2026-09-15',
    customer: 'K0004',
    orderReference: 'TEAMDAG-0919',
    lines: [
      { description: 'Broodjeslunch teamdag (catering)', quantity: '45', unitPrice: '9.50', vat: 'S12', note: '45 personen, 19/09/2026' },
      { description: 'Koffie en thee (service)', quantity: '45', unitPrice: '2.20', vat: 'S21' },
    ],
  },
  {
    number: '2026-0006',
    status: 'paid',
    issueDate: '2026-09-22',
    customer: 'K0007',
    deliveryDate: '2026-09-21',
    note: 'Intracommunautaire levering: vrijgesteld van Belgische btw (art. 39bis WBTW); de afnemer voldoet de btw in Nederland.',
    lines: [
      { description: 'Speculoos ambachtelijk (doos 1 kg)', quantity: '80', unitPrice: '11.40', vat: 'K0', unitCode: 'XBX' },
      { description: 'Mattentaarten (doos van 12)', quantity: '30', unitPrice: '16.80', vat: 'K0', unitCode: 'XBX' },
    ],
  },
  {
    number: '2026-0007',
    status: 'paid',
    issueDate: '2026-10-01',
    customer: 'K0001',
    lines: [
      { description: 'Croissants boter', quantity: '150', unitPrice: '0.95', vat: 'S6' },
      { description: 'Chocoladebroodjes', quantity: '100', unitPrice: '1.10', vat: 'S6' },
      { description: 'Desembrood volkoren 800 g', quantity: '45', unitPrice: '3.20', vat: 'S6' },
    ],
    allowancesCharges: [{ isCharge: false, vat: 'S6', percent: '5', reason: 'Getrouwheidskorting 5%', reasonCode: '95' }],
  },
  {
    number: '2026-0008',
    status: 'paid',
    issueDate: '2026-10-02',
    customer: 'K0005',
    lines: [
      { description: 'Spelt meergranenbrood 600 g', quantity: '50', unitPrice: '3.60', vat: 'S6' },
      { description: 'Glutenvrij brood 500 g', quantity: '20', unitPrice: '4.90', vat: 'S6' },
      { description: 'Bedrukte broodzakken (pak van 1000)', quantity: '2', unitPrice: '38.00', vat: 'S21' },
    ],
  },
  {
    number: '2026-0009',
    status: 'paid',
    issueDate: '2026-10-06',
    customer: 'K0006',
    lines: [
      { description: 'Melkbroodjes', quantity: '300', unitPrice: '0.40', vat: 'S6' },
      { description: 'Rijsttaartjes klein', quantity: '40', unitPrice: '1.75', vat: 'S6' },
    ],
  },
  {
    number: '2026-0010',
    status: 'cancelled',
    issueDate: '2026-10-09',
    customer: 'K0002',
    orderReference: 'PO-2026-0502',
    lines: [
      { description: 'Bruidstaart drie lagen (120 personen)', quantity: '1', unitPrice: '540.00', vat: 'S6' },
      { description: 'Opbouw en levering bruidstaart', quantity: '1', unitPrice: '75.00', vat: 'S21' },
    ],
  },
  {
    number: '2026-0011',
    status: 'paid',
    issueDate: '2026-10-14',
    customer: 'K0003',
    lines: [
      { description: 'Pain de campagne 800 g', quantity: '60', unitPrice: '3.10', vat: 'S6' },
      { description: 'Pains au chocolat', quantity: '200', unitPrice: '1.05', vat: 'S6' },
      { description: 'Tartes aux pommes (26 cm)', quantity: '12', unitPrice: '14.50', vat: 'S6' },
    ],
  },
  {
    number: 'CN-2026-0001',
    kind: 'credit-note',
    status: 'sent',
    issueDate: '2026-10-16',
    customer: 'K0002',
    corrects: '2026-0010',
    orderReference: 'PO-2026-0502',
    note: 'Creditnota: volledige annulering van factuur 2026-0010 (huwelijksfeest geannuleerd).',
    lines: [
      { description: 'Bruidstaart drie lagen (120 personen)', quantity: '1', unitPrice: '540.00', vat: 'S6' },
      { description: 'Opbouw en levering bruidstaart', quantity: '1', unitPrice: '75.00', vat: 'S21' },
    ],
  },
  {
    number: '2026-0012',
    status: 'overdue',
    issueDate: '2026-10-20',
    customer: 'K0004',
    orderReference: 'CLUBFEEST-2026',
    prepaid: '300.00',
    note: 'Voorschot van € 300,00 ontvangen op 01/10/2026.',
    lines: [
      { description: 'Catering clubfeest (buffet)', quantity: '80', unitPrice: '14.00', vat: 'S12', note: '80 personen, 17/10/2026' },
      { description: 'Dranken (forfait per persoon)', quantity: '80', unitPrice: '3.50', vat: 'S21' },
    ],
  },
  {
    number: 'CN-2026-0002',
    kind: 'credit-note',
    status: 'paid',
    issueDate: '2026-10-21',
    customer: 'K0003',
    corrects: '2026-0011',
    note: 'Note de crédit : 20 pains au chocolat endommagés à la livraison (facture 2026-0011).',
    lines: [{ description: 'Pains au chocolat (endommagés)', quantity: '20', unitPrice: '1.05', vat: 'S6' }],
  },
  {
    number: '2026-0013',
    status: 'overdue',
    issueDate: '2026-10-27',
    customer: 'K0001',
    lines: [
      { description: 'Desembrood volkoren 800 g', quantity: '42', unitPrice: '3.20', vat: 'S6' },
      { description: 'Croissants boter', quantity: '130', unitPrice: '0.95', vat: 'S6' },
      { description: 'Appelflappen', quantity: '48', unitPrice: '1.85', vat: 'S6' },
    ],
  },
  {
    number: '2026-0014',
    status: 'sent',
    issueDate: '2026-11-02',
    customer: 'K0007',
    deliveryDate: '2026-10-30',
    note: 'Intracommunautaire levering: vrijgesteld van Belgische btw (art. 39bis WBTW); de afnemer voldoet de btw in Nederland.',
    lines: [
      { description: 'Speculoos ambachtelijk (doos 1 kg)', quantity: '100', unitPrice: '11.40', vat: 'K0', unitCode: 'XBX' },
      { description: 'Frangipanetaartjes (doos van 24)', quantity: '15', unitPrice: '27.60', vat: 'K0', unitCode: 'XBX' },
    ],
  },
  {
    number: '2026-0015',
    status: 'sent',
    issueDate: '2026-11-03',
    customer: 'K0005',
    lines: [
      { description: 'Spelt meergranenbrood 600 g', quantity: '55', unitPrice: '3.60', vat: 'S6' },
      { description: 'Zuurdesem rogge 750 g', quantity: '30', unitPrice: '4.25', vat: 'S6' },
    ],
    allowancesCharges: [{ isCharge: true, vat: 'S21', amount: '15.00', reason: 'Toeslag zondagslevering', reasonCode: 'DL' }],
  },
  {
    number: '2026-0016',
    status: 'overdue',
    issueDate: '2026-11-04',
    customer: 'K0008',
    lines: [
      { description: 'Broodronde oktober (27 leveringen)', quantity: '27', unitPrice: '3.40', vat: 'S6' },
      { description: 'Dagblad aan huis oktober', quantity: '26', unitPrice: '2.30', vat: 'Z0' },
    ],
  },
  {
    number: '2026-0017',
    status: 'sent',
    issueDate: '2026-11-10',
    customer: 'K0002',
    orderReference: 'PO-2026-0588',
    lines: [
      { description: 'Ontbijtbroodjes assortiment', quantity: '900', unitPrice: '0.52', vat: 'S6' },
      { description: 'Boterkoekjes los', quantity: '12.5', unitPrice: '18.90', vat: 'S6', unitCode: 'KGM' },
      { description: 'Verhuur broodsnijmachine (november)', quantity: '1', unitPrice: '45.00', vat: 'S21', unitCode: 'MON' },
    ],
  },
  {
    number: '2026-0018',
    status: 'sent',
    issueDate: '2026-11-16',
    customer: 'K0006',
    lines: [
      { description: 'Melkbroodjes', quantity: '320', unitPrice: '0.40', vat: 'S6' },
      { description: 'Sinterklaasspeculaas (figuur 250 g)', quantity: '35', unitPrice: '3.95', vat: 'S6' },
    ],
  },
  {
    number: '2026-0019',
    status: 'draft',
    issueDate: '2026-11-24',
    customer: 'K0004',
    lines: [
      { description: 'Broodjeslunch jeugdtornooi (catering)', quantity: '60', unitPrice: '8.75', vat: 'S12' },
      { description: 'Koffie en thee (service)', quantity: '60', unitPrice: '2.20', vat: 'S21' },
    ],
  },
  {
    number: '2026-0020',
    status: 'draft',
    issueDate: '2026-11-27',
    customer: 'K0003',
    lines: [
      { description: 'Bûches de Noël (8 personnes)', quantity: '25', unitPrice: '32.00', vat: 'S6' },
      { description: 'Pain de campagne 800 g', quantity: '60', unitPrice: '3.10', vat: 'S6' },
    ],
  },
];

/** The 22 documents (20 invoices, 2 credit notes), in the order they were issued. */
export const demoDocuments: readonly DemoDocument[] = SPECS.map(build);

export function findDemoDocument(id: string): DemoDocument | undefined {
  return demoDocuments.find((d) => d.id === id);
}

/**
 * `count` extra valid documents for load tests (bulk of 300 or 500): sales invoices numbered 2026-1001 onwards,
 * status sent, spread over September–November 2026, cycling through the Belgian customers. Deterministic.
 */
export function generateDemoDocuments(count: number): DemoDocument[] {
  const customers = ['K0001', 'K0002', 'K0003', 'K0004', 'K0005', 'K0006'];
  const products = [
    { description: 'Desembrood volkoren 800 g', unitPrice: '3.20', vat: 'S6' as const },
    { description: 'Croissants boter', unitPrice: '0.95', vat: 'S6' as const },
    { description: 'Verhuur broodsnijmachine', unitPrice: '45.00', vat: 'S21' as const },
  ];
  const out: DemoDocument[] = [];
  for (let i = 0; i < count; i++) {
    const product = products[i % products.length]!;
    out.push(
      build({
        number: `2026-${String(1001 + i).padStart(4, '0')}`,
        status: 'sent',
        issueDate: addDays('2026-09-01', i % 90),
        customer: customers[i % customers.length]!,
        lines: [
          { description: product.description, quantity: String(1 + (i % 40)), unitPrice: product.unitPrice, vat: product.vat },
          { description: 'Levering', quantity: '1', unitPrice: `${5 + (i % 7)}.50`, vat: 'S21' },
        ],
      }),
    );
  }
  return out;
}
