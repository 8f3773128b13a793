/**
 * Proof against the official rules: writer output checked with the EN 16931 (CEN 1.3.16) and Peppol BIS 3.0.21
 * Schematron, compiled to SaxonJS SEF once per machine (.cache/sef). Slow-ish: ~50–250 ms per document.
 * The generated corpus is 500 documents (SCHEMATRON_RUNS overrides), validated in batches of 25 on worker threads.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, Party } from '../../lib/model/invoice';
import { completeInvoice } from '../../lib/ubl/compute';
import type { InvoiceDraft } from '../../lib/ubl/compute';
import { checkInvoice } from '../../lib/ubl/checks';
import { readInvoiceXml } from '../../lib/ubl/read';
import { writeUbl } from '../../lib/ubl/write';
import { belgianInvoiceArb } from '../support/arbitraries';
import { belgianDraft, buyerBE, richBelgianDraft, sellerBE, TINY_PDF_BASE64 } from '../support/fixtures';
import { exampleInvoiceFiles, sampleText } from '../support/samples';
import { describeFatal, ensureSef, SchematronPool, validateUbl, validateUblBatch } from '../support/schematron';
import type { BothResult } from '../support/schematron';

const timings: number[] = [];
const preflightFatal = (inv: Invoice): string[] => [...new Set(checkInvoice(inv).filter((f) => f.severity === 'fatal').map((f) => f.ruleId))].sort();
function validate(xml: string): BothResult {
  const r = validateUbl(xml);
  timings.push(r.ms);
  return r;
}
function expectValid(xml: string, label = ''): BothResult {
  const r = validate(xml);
  expect(r.fatalIds, `${label}\n${describeFatal(r)}`).toEqual([]);
  return r;
}

beforeAll(() => {
  const t0 = performance.now();
  ensureSef('peppol');
  ensureSef('cen');
  // Warm up SaxonJS (the first transform is several times slower than the rest).
  validateUbl(writeUbl(completeInvoice(belgianDraft())));
  console.info(`[schematron] SEF ready and warmed up in ${Math.round(performance.now() - t0)} ms`);
}, 600_000);

afterAll(() => {
  if (!timings.length) return;
  const sorted = [...timings].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  const pct = (p: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
  console.info(
    `[schematron] ${sorted.length} validations (CEN + Peppol each): mean ${Math.round(total / sorted.length)} ms, median ${pct(50)} ms, p95 ${pct(95)} ms, max ${Math.round(sorted[sorted.length - 1] ?? 0)} ms`,
  );
});

const germanBuyer: Party = {
  name: 'Nordlicht Handels GmbH',
  vatId: 'DE811907980',
  address: { street: 'Hafenstraße 3', city: 'Hamburg', postalCode: '20457', countryCode: 'DE' },
};
const usBuyer: Party = {
  name: 'Maple & Oak Inc.',
  endpoint: { scheme: '0060', id: '123456789' },
  address: { street: '1 Main St', city: 'Springfield', postalCode: '62701', countryCode: 'US' },
};

const acs = (vat: { category: 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O'; rate: string }): InvoiceDraft['allowancesCharges'] => [
  { isCharge: false, amount: '12.34', reason: 'Korting', reasonCode: '95', vat },
  { isCharge: true, amount: '20.00', percent: '10', baseAmount: '200.00', reason: 'Transport', reasonCode: 'FC', vat },
];
const lineAcs = [
  { isCharge: false, amount: '5.00', reason: 'Lijnkorting', reasonCode: '95' },
  { isCharge: true, amount: '1.50', reason: 'Verpakking', reasonCode: 'ABL' },
];

/** One Belgian scenario per VAT category (and S at 6/12/21 + Z 0 together, like UBL.BE test case 4). */
const scenarios: Record<string, InvoiceDraft> = {
  'S 6/12/21 + Z 0': belgianDraft({
    lines: [
      { id: '1', description: 'Krant', quantity: '2', unitPrice: '100', vat: { category: 'Z', rate: '0' } },
      { id: '2', description: 'Honing', quantity: '2', unitPrice: '200', vat: { category: 'S', rate: '6' }, allowancesCharges: lineAcs },
      { id: '3', description: 'Margarine', quantity: '2', unitPrice: '400', vat: { category: 'S', rate: '12' } },
      { id: '4', description: 'Schoenen', quantity: '2', unitPrice: '800', vat: { category: 'S', rate: '21' } },
    ],
    allowancesCharges: acs({ category: 'S', rate: '21' }),
  }),
  'Z only': belgianDraft({ lines: [{ id: '1', description: 'Krant', quantity: '30', unitPrice: '1.20', vat: { category: 'Z', rate: '0' }, allowancesCharges: lineAcs }], allowancesCharges: acs({ category: 'Z', rate: '0' }) }),
  'E (art. 44)': belgianDraft({
    lines: [{ id: '1', description: 'Medische verzorging', quantity: '1', unitPrice: '480', vat: { category: 'E', rate: '0' }, allowancesCharges: lineAcs }],
    allowancesCharges: acs({ category: 'E', rate: '0' }),
    vatExemptions: { E: { reason: 'Vrijgesteld van btw – art. 44 WBTW' } },
  }),
  'AE (contractor reverse charge)': belgianDraft({
    lines: [{ id: '1', description: 'Renovatiewerken', quantity: '40', unitCode: 'HUR', unitPrice: '55', vat: { category: 'AE', rate: '0' }, allowancesCharges: lineAcs }],
    allowancesCharges: acs({ category: 'AE', rate: '0' }),
  }),
  'K (intra-Community)': belgianDraft({
    buyer: germanBuyer,
    delivery: { date: '2026-03-14', address: { city: 'Hamburg', countryCode: 'DE' } },
    lines: [{ id: '1', description: 'Pralines', quantity: '100', unitCode: 'KGM', unitPrice: '18.5', vat: { category: 'K', rate: '0' }, allowancesCharges: lineAcs }],
    allowancesCharges: acs({ category: 'K', rate: '0' }),
  }),
  'G (export)': belgianDraft({
    buyer: usBuyer,
    lines: [{ id: '1', description: 'Bier', quantity: '240', unitCode: 'LTR', unitPrice: '3.1', vat: { category: 'G', rate: '0' }, allowancesCharges: lineAcs }],
    allowancesCharges: acs({ category: 'G', rate: '0' }),
  }),
  'O (not subject)': belgianDraft({
    seller: { ...sellerBE, vatId: undefined },
    buyer: { ...buyerBE, vatId: undefined },
    lines: [{ id: '1', description: 'Lidgeld vzw', quantity: '1', unitPrice: '75', vat: { category: 'O', rate: '0' }, allowancesCharges: lineAcs }],
    allowancesCharges: acs({ category: 'O', rate: '0' }),
  }),
  // A credit note's due date then sits in PaymentMeans code 1 (a CreditNote has no DueDate).
  'due date without payment means': belgianDraft({ paymentMeans: undefined }),
  'mixed S + E + AE, prepaid, rounding, PDF': belgianDraft({
    lines: [
      { id: '1', description: 'Materiaal', quantity: '3.75', unitCode: 'MTR', unitPrice: '19.99', vat: { category: 'S', rate: '21' } },
      { id: '2', description: 'Opleiding', quantity: '1', unitPrice: '300', vat: { category: 'E', rate: '0' } },
      { id: '3', description: 'Plaatsing', quantity: '6', unitCode: 'HUR', unitPrice: '48', vat: { category: 'AE', rate: '0' } },
    ],
    allowancesCharges: acs({ category: 'S', rate: '21' }),
    totals: { prepaid: '100', rounding: '0.02' },
    attachments: [{ id: 'F2026-0042', description: 'CommercialInvoice', filename: 'F2026-0042.pdf', mimeType: 'application/pdf', contentBase64: TINY_PDF_BASE64 }],
  }),
};

describe('writer output passes EN 16931 + Peppol BIS 3 with zero fatal', () => {
  for (const [name, draft] of Object.entries(scenarios)) {
    for (const kind of ['invoice', 'credit-note'] as const) {
      it(`${name} — ${kind}`, () => {
        const d: InvoiceDraft = { ...draft, kind };
        if (kind === 'credit-note') d.billingReference = { number: 'F2026-0001', issueDate: '2026-02-01' };
        const inv = completeInvoice(d);
        const r = expectValid(writeUbl(inv), name);
        expect(r.warningIds, 'warnings').toEqual([]);
        expect(checkInvoice(inv), 'pre-flight findings').toEqual([]);
      });
    }
  }
  it('the rich Belgian invoice (every model field)', () => {
    const r = expectValid(writeUbl(completeInvoice(richBelgianDraft())));
    expect(r.warningIds).toEqual([]);
  });
});

describe('official examples, round-tripped through our writer', () => {
  const files = exampleInvoiceFiles();
  /** The only source whose content itself breaks CEN rules (two K breakdowns, no deliver-to country). */
  const stillFailing: Record<string, string[]> = {
    'UBLBE_BE0000000196_V01-15000014.xml': ['BR-IC-01', 'BR-IC-08', 'BR-IC-12'],
  };
  it.each(files)('%s', (file) => {
    const source = sampleText(file);
    const before = validate(source);
    const read = readInvoiceXml(source);
    if (!read.ok) throw new Error(read.error.message);
    const after = validate(writeUbl(read.invoice));
    expect(after.fatalIds, describeFatal(after)).toEqual(stillFailing[file] ?? []);
    // UBL.BE / CEN-core sources fail R004 (CustomizationID) before; ours never does.
    if (/^UBLBE_|tc434/.test(file)) expect(before.fatalIds).toContain('PEPPOL-EN16931-R004');
    expect(after.fatalIds).not.toContain('PEPPOL-EN16931-R004');
    expect(after.fatalIds).not.toContain('BR-CL-22');
  });
});

const runs = Number(process.env.SCHEMATRON_RUNS ?? 500);
const BATCH = 25;

describe('generated corpus', () => {
  it(`${runs} random Belgian invoices and credit notes pass with zero fatal`, async () => {
    const seen: Record<string, number> = {};
    const t0 = performance.now();
    // Sampled up front (fixed seed, so a failure is reproducible), then validated in batches on worker threads.
    const cases = fc.sample(belgianInvoiceArb, { numRuns: runs, seed: Number(process.env.SCHEMATRON_SEED ?? 20260315) }).map(({ profile, draft }) => {
      const inv = completeInvoice(draft);
      const key = `${profile}/${inv.kind}`;
      seen[key] = (seen[key] ?? 0) + 1;
      return { inv, xml: writeUbl(inv) };
    });
    expect(cases).toHaveLength(runs);
    const pool = new SchematronPool();
    let results: BothResult[];
    try {
      const batches: Array<typeof cases> = [];
      for (let from = 0; from < cases.length; from += BATCH) batches.push(cases.slice(from, from + BATCH));
      results = (await Promise.all(batches.map((b) => pool.validate(b.map((c) => c.xml))))).flat();
    } finally {
      await pool.close();
    }
    expect(results).toHaveLength(runs);
    results.forEach((r, i) => {
      timings.push(r.ms);
      const { inv, xml } = cases[i] as (typeof cases)[number];
      if (r.fatalIds.length) throw new Error(`document ${i}: ${describeFatal(r)}\n---\n${xml}`);
      const pre = preflightFatal(inv);
      if (pre.length) throw new Error(`document ${i}: pre-flight says fatal ${pre.join(', ')} where Schematron accepts\n---\n${xml}`);
      const back = readInvoiceXml(xml);
      if (!back.ok) throw new Error(`document ${i}: ${back.error.message}`);
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.info(`[schematron] corpus: ${runs} documents in ${seconds} s on ${pool.size} worker(s), batches of ${BATCH}; mix ${JSON.stringify(seen)}`);
    expect(Object.keys(seen).length).toBeGreaterThan(3);
  }, 60_000 + runs * 1_000);

  it('a batch reports each document on its own (bad ones among good ones), in process and on the pool', async () => {
    const good = completeInvoice(belgianDraft({ allowancesCharges: acs({ category: 'S', rate: '21' }) }));
    const badPayable = structuredClone(good);
    badPayable.totals.payable = '1.00';
    const badEnterprise = structuredClone(good);
    badEnterprise.seller.enterpriseNumber = '0428759498';
    const xmls = [good, badPayable, good, badEnterprise, good].map((inv) => writeUbl(inv));
    const expected = [[], ['BR-CO-16'], [], ['PEPPOL-COMMON-R043'], []];
    const results = validateUblBatch(xmls);
    expect(results.map((r) => r.fatalIds)).toEqual(expected);
    // The same findings as one document at a time.
    const single = xmls.map((xml) => validateUbl(xml));
    expect(results.map((r) => r.cen.findings.map((f) => f.id))).toEqual(single.map((r) => r.cen.findings.map((f) => f.id)));
    const pool = new SchematronPool(1);
    try {
      const pooled = await pool.validate(xmls);
      expect(pooled.map((r) => r.fatalIds)).toEqual(expected);
      expect(pooled.map((r) => [...r.cen.findings, ...r.peppol.findings].map((f) => f.id))).toEqual(single.map((r) => [...r.cen.findings, ...r.peppol.findings].map((f) => f.id)));
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('known-bad documents fail with the expected rule ids', () => {
  const good = (): Invoice => completeInvoice(belgianDraft({ allowancesCharges: acs({ category: 'S', rate: '21' }) }));
  /** Schematron's fatal ids — and the pre-flight checks must catch every one of them too. */
  const fatal = (inv: Invoice): string[] => {
    const ids = validate(writeUbl(inv)).fatalIds;
    expect(preflightFatal(inv), 'pre-flight vs Schematron').toEqual(expect.arrayContaining(ids));
    return ids;
  };

  it('wrong amount due → BR-CO-16', () => {
    const inv = good();
    inv.totals.payable = '1.00';
    expect(fatal(inv)).toEqual(['BR-CO-16']);
  });
  it('wrong total with VAT → BR-CO-15 (and BR-CO-16)', () => {
    const inv = good();
    inv.totals.taxInclusive = '999.99';
    expect(fatal(inv)).toEqual(['BR-CO-15', 'BR-CO-16']);
  });
  it('wrong total VAT → BR-CO-14', () => {
    const inv = good();
    inv.totals.taxTotal = '55.00';
    expect(fatal(inv)).toContain('BR-CO-14');
  });
  it('wrong sum of lines → BR-CO-10, wrong allowance total → BR-CO-11', () => {
    const inv = good();
    inv.totals.lineExtension = '300.00';
    inv.totals.allowanceTotal = '1.00';
    expect(fatal(inv)).toEqual(expect.arrayContaining(['BR-CO-10', 'BR-CO-11', 'BR-CO-13']));
  });
  it('wrong line net amount → PEPPOL-EN16931-R120', () => {
    const inv = good();
    const line = inv.lines[0];
    if (line) line.netAmount = '45.00';
    expect(fatal(inv)).toEqual(expect.arrayContaining(['PEPPOL-EN16931-R120', 'BR-CO-10']));
  });
  it('wrong VAT in a breakdown → BR-CO-17 / BR-S-09, wrong taxable → BR-S-08', () => {
    const inv = good();
    const b = inv.vatBreakdown[1];
    if (b) b.taxAmount = '60.00';
    expect(fatal(inv)).toEqual(expect.arrayContaining(['BR-CO-17', 'BR-S-09']));
    const inv2 = good();
    const b2 = inv2.vatBreakdown[0];
    if (b2) b2.taxableAmount = '50.00';
    expect(fatal(inv2)).toContain('BR-S-08');
  });
  it('missing buyer name → BR-07; missing buyer → BR-07 + BR-10', () => {
    const inv = good();
    inv.buyer.name = '';
    expect(fatal(inv)).toEqual(['BR-07']);
    const xml = writeUbl(good()).replace(/<cac:AccountingCustomerParty>[\s\S]*<\/cac:AccountingCustomerParty>/, '');
    // (PEPPOL-EN16931-R010 has the buyer Party as context, so it cannot fire without one; the UBL XSD would.)
    expect(validate(xml).fatalIds).toEqual(['BR-07', 'BR-10']);
  });
  it('bad enterprise number → PEPPOL-COMMON-R043', () => {
    const inv = good();
    inv.seller.enterpriseNumber = '0428759498';
    expect(fatal(inv)).toEqual(['PEPPOL-COMMON-R043']);
  });
  it('no buyer electronic address → PEPPOL-EN16931-R010', () => {
    const inv = good();
    inv.buyer = { name: 'Particulier', address: { countryCode: 'BE' } };
    expect(fatal(inv)).toEqual(['PEPPOL-EN16931-R010']);
  });
  it('exemption reason on S → BR-S-10; E without reason → BR-E-10; O with VAT ids → BR-O-02', () => {
    const s = good();
    const b = s.vatBreakdown[0];
    if (b) b.exemptionReason = 'Vrijgesteld';
    expect(fatal(s)).toEqual(['BR-S-10']);
    const e = completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '10', vat: { category: 'E', rate: '0' } }] }));
    delete e.vatBreakdown[0]?.exemptionReason;
    expect(fatal(e)).toEqual(['BR-E-10']);
    const o = completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '10', vat: { category: 'O', rate: '0' } }] }));
    expect(fatal(o)).toEqual(['BR-O-02']);
  });
  it('K without delivery information → BR-IC-11 and BR-IC-12', () => {
    const k = completeInvoice(belgianDraft({ buyer: germanBuyer, lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '10', vat: { category: 'K', rate: '0' } }] }));
    expect(fatal(k)).toEqual(['BR-IC-11', 'BR-IC-12']);
  });
  it('two notes → PEPPOL-EN16931-R002; no buyer/order reference → R003', () => {
    const xml = writeUbl(good());
    expect(validate(xml.replace('<cbc:DocumentCurrencyCode>', '<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note><cbc:DocumentCurrencyCode>')).fatalIds).toEqual(['PEPPOL-EN16931-R002']);
    expect(validate(xml.replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '')).fatalIds).toEqual(['PEPPOL-EN16931-R003']);
  });
});
