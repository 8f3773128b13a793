import { describe, expect, it } from 'vitest';
import { checkInvoice, hasFatal } from '../../lib/ubl/checks';
import type { Finding } from '../../lib/ubl/checks';
import { completeInvoice } from '../../lib/ubl/compute';
import type { InvoiceDraft } from '../../lib/ubl/compute';
import type { Invoice, Party } from '../../lib/model/invoice';
import { belgianDraft, buyerBE, richBelgianDraft, sellerBE } from '../support/fixtures';

const good = (overrides: Partial<InvoiceDraft> = {}): Invoice =>
  completeInvoice(
    belgianDraft({
      allowancesCharges: [
        { isCharge: false, amount: '10.00', reason: 'Korting', reasonCode: '95', vat: { category: 'S', rate: '21' } },
        { isCharge: true, amount: '5.00', percent: '2', baseAmount: '250.00', reason: 'Transport', reasonCode: 'FC', vat: { category: 'S', rate: '21' } },
      ],
      ...overrides,
    }),
  );

/** The (ruleId, severity, path) triples, for compact assertions. */
const ids = (f: Finding[]): string[] => f.map((x) => `${x.severity} ${x.ruleId} ${x.path}`);
const fatalIds = (inv: Invoice): string[] => ids(checkInvoice(inv).filter((x) => x.severity === 'fatal'));
/** Mutates a fresh good invoice and returns the fatal findings. */
const after = (mutate: (inv: Invoice) => void, base: () => Invoice = () => good()): string[] => {
  const inv = base();
  mutate(inv);
  return fatalIds(inv);
};

describe('checkInvoice — clean documents', () => {
  it('finds nothing in complete Belgian invoices and credit notes', () => {
    expect(checkInvoice(good())).toEqual([]);
    expect(checkInvoice(completeInvoice(richBelgianDraft()))).toEqual([]);
    expect(checkInvoice(good({ kind: 'credit-note', billingReference: { number: 'F1' } }))).toEqual([]);
    expect(hasFatal(checkInvoice(good()))).toBe(false);
  });
  it('gives every message in English, Dutch and French', () => {
    const f = checkInvoice({ ...good(), number: '' } as Invoice);
    expect(f[0]?.message).toEqual({ en: 'The invoice number is missing.', nl: 'Het factuurnummer ontbreekt.', fr: 'Le numéro de facture manque.' });
    const all = checkInvoice(
      Object.assign(good(), { lines: [], vatBreakdown: [], seller: { ...sellerBE, name: '', enterpriseNumber: '0428759498', vatId: undefined } }),
    );
    for (const x of all) for (const lang of ['en', 'nl', 'fr'] as const) expect(x.message[lang].length, `${x.ruleId} ${lang}`).toBeGreaterThan(10);
  });
});

describe('checkInvoice — arithmetic', () => {
  it('BR-CO-10 … BR-CO-16', () => {
    expect(after((i) => (i.totals.lineExtension = '1.00'))).toEqual(expect.arrayContaining(['fatal BR-CO-10 totals.lineExtension', 'fatal BR-CO-13 totals.taxExclusive']));
    expect(after((i) => (i.totals.allowanceTotal = '11.00'))).toEqual(expect.arrayContaining(['fatal BR-CO-11 totals.allowanceTotal']));
    expect(after((i) => (i.totals.chargeTotal = '0.00'))).toEqual(expect.arrayContaining(['fatal BR-CO-12 totals.chargeTotal']));
    expect(after((i) => (i.totals.taxExclusive = '286.39'))).toEqual(['fatal BR-CO-13 totals.taxExclusive', 'fatal BR-CO-15 totals.taxInclusive']);
    expect(after((i) => (i.totals.taxTotal = '1.00'))).toEqual(['fatal BR-CO-14 totals.taxTotal', 'fatal BR-CO-15 totals.taxInclusive']);
    expect(after((i) => (i.totals.taxInclusive = '1.00'))).toEqual(['fatal BR-CO-15 totals.taxInclusive', 'fatal BR-CO-16 totals.payable']);
    expect(after((i) => (i.totals.payable = '1.00'))).toEqual(['fatal BR-CO-16 totals.payable']);
    expect(after((i) => (i.totals.prepaid = '5.00'))).toEqual(['fatal BR-CO-16 totals.payable']);
  });
  it('BR-CO-16 accepts prepaid and rounding that add up', () => {
    const inv = good({ totals: { prepaid: '100', rounding: '-0.01' } });
    expect(checkInvoice(inv)).toEqual([]);
  });
  it('PEPPOL-EN16931-R120 line net amount: fatal beyond 0.02, warning within', () => {
    expect(after((i) => i.lines[0] && (i.lines[0].netAmount = '40.00'))).toEqual(expect.arrayContaining(['fatal PEPPOL-EN16931-R120 lines[0].netAmount']));
    const inv = good();
    if (inv.lines[0]) inv.lines[0].netAmount = '41.41';
    expect(ids(checkInvoice(inv))).toContain('warning PEPPOL-EN16931-R120 lines[0].netAmount');
  });
  it('BR-CO-17 VAT per breakdown: fatal from 1.00 off, warning for cents', () => {
    expect(after((i) => i.vatBreakdown[1] && (i.vatBreakdown[1].taxAmount = '60.00'))).toEqual(expect.arrayContaining(['fatal BR-CO-17 vatBreakdown[1].taxAmount']));
    const inv = good();
    if (inv.vatBreakdown[1]) inv.vatBreakdown[1].taxAmount = '51.44';
    inv.totals.taxTotal = '53.92';
    inv.totals.taxInclusive = '340.32';
    inv.totals.payable = '340.32';
    expect(ids(checkInvoice(inv))).toEqual(['warning BR-CO-17 vatBreakdown[1].taxAmount']);
  });
  it('BR-S-08 taxable amount per category and rate; BR-S-01 / BR-Z-01 missing breakdown', () => {
    expect(after((i) => i.vatBreakdown[0] && (i.vatBreakdown[0].taxableAmount = '40.00'))).toEqual(expect.arrayContaining(['fatal BR-S-08 vatBreakdown[0].taxableAmount']));
    expect(after((i) => (i.vatBreakdown = i.vatBreakdown.slice(1)))).toEqual(expect.arrayContaining(['fatal BR-S-01 vatBreakdown']));
    expect(after((i) => i.lines[0] && (i.lines[0].vat = { category: 'Z', rate: '0' }))).toEqual(expect.arrayContaining(['fatal BR-Z-01 vatBreakdown', 'fatal BR-S-08 vatBreakdown[0].taxableAmount']));
  });
  it('PEPPOL-EN16931-R040/R041/R042 allowance percentages', () => {
    expect(after((i) => i.allowancesCharges[1] && (i.allowancesCharges[1].percent = '3'))).toEqual(['fatal PEPPOL-EN16931-R040 allowancesCharges[1].amount']);
    expect(after((i) => i.allowancesCharges[1] && delete i.allowancesCharges[1].baseAmount)).toEqual(['fatal PEPPOL-EN16931-R041 allowancesCharges[1].baseAmount']);
    expect(after((i) => i.allowancesCharges[1] && delete i.allowancesCharges[1].percent)).toEqual(['fatal PEPPOL-EN16931-R042 allowancesCharges[1].percent']);
  });
  it('BR-DEC: more than two decimals', () => {
    expect(after((i) => (i.totals.payable = '340.330'))).toEqual([]); // trailing zeros are harmless
    const inv = good();
    inv.totals.payable = '340.325';
    expect(fatalIds(inv)).toEqual(['fatal BR-DEC-18 totals.payable', 'fatal BR-CO-16 totals.payable']);
    expect(after((i) => i.lines[0] && (i.lines[0].netAmount = '41.401'))).toEqual(expect.arrayContaining(['fatal BR-DEC-23 lines[0].netAmount']));
  });
});

describe('checkInvoice — mandatory fields', () => {
  const broken = (patch: Record<string, unknown>): string[] => fatalIds({ ...good(), ...patch } as Invoice);
  it('BR-02, BR-03, BR-05, BR-16, BR-CO-18', () => {
    expect(broken({ number: ' ' })).toEqual(['fatal BR-02 number']);
    expect(broken({ issueDate: '' })).toEqual(['fatal BR-03 issueDate']);
    expect(broken({ currency: '' })).toEqual(['fatal BR-05 currency']);
    expect(broken({ lines: [] })).toEqual(expect.arrayContaining(['fatal BR-16 lines']));
    expect(broken({ vatBreakdown: [] })).toEqual(expect.arrayContaining(['fatal BR-CO-18 vatBreakdown']));
  });
  it('BR-06 … BR-11 parties', () => {
    expect(broken({ seller: { ...sellerBE, name: '' } })).toEqual(['fatal BR-06 seller.name']);
    expect(broken({ buyer: { ...buyerBE, name: '' } })).toEqual(['fatal BR-07 buyer.name']);
    expect(broken({ buyer: undefined })).toEqual(expect.arrayContaining(['fatal BR-07 buyer']));
    expect(broken({ seller: { ...sellerBE, address: undefined } })).toEqual(['fatal BR-08 seller.address']);
    expect(broken({ seller: { ...sellerBE, address: { city: 'Gent', countryCode: '' } } })).toEqual(['fatal BR-09 seller.address.countryCode']);
    expect(broken({ buyer: { ...buyerBE, address: undefined } })).toEqual(['fatal BR-10 buyer.address']);
    expect(broken({ buyer: { ...buyerBE, address: { countryCode: '' } } })).toEqual(['fatal BR-11 buyer.address.countryCode']);
  });
  it('BR-21 … BR-27 lines', () => {
    const line = (patch: Record<string, unknown>): string[] => after((i) => Object.assign(i.lines[1] ?? {}, patch));
    expect(line({ id: '' })).toEqual(['fatal BR-21 lines[1].id']);
    expect(line({ unitCode: '' })).toEqual(['fatal BR-23 lines[1].unitCode']);
    expect(line({ description: '' })).toEqual(['fatal BR-25 lines[1].description']);
    expect(line({ unitPrice: '' })).toEqual(['fatal BR-26 lines[1].unitPrice']);
    expect(line({ unitPrice: '-250', quantity: '-1' })).toEqual(['fatal BR-27 lines[1].unitPrice']);
    expect(line({ quantity: '' })).toEqual(['fatal BR-22 lines[1].quantity']);
    expect(line({ netAmount: '' })).toEqual(expect.arrayContaining(['fatal BR-24 lines[1].netAmount']));
    expect(line({ vat: undefined })).toEqual(expect.arrayContaining(['fatal BR-CO-04 lines[1].vat.category']));
    expect(line({ priceBaseQuantity: '0' })).toEqual(['fatal PEPPOL-EN16931-R121 lines[1].priceBaseQuantity']);
    expect(line({ grossPrice: '260', priceDiscount: '5' })).toEqual(['fatal PEPPOL-EN16931-R046 lines[1].unitPrice']);
    expect(line({ period: { start: '2026-03-02', end: '2026-03-01' } })).toEqual(['fatal BR-30 lines[1].period']);
    expect(after((i) => (i.invoicePeriod = { start: '2026-03-31', end: '2026-03-01' }))).toEqual(['fatal BR-29 invoicePeriod.end']);
  });
  it('BR-31 … BR-44 allowances and charges', () => {
    const ac = (index: number, patch: Record<string, unknown>): string[] => after((i) => Object.assign(i.allowancesCharges[index] ?? {}, patch));
    expect(ac(0, { vat: undefined })).toEqual(expect.arrayContaining(['fatal BR-32 allowancesCharges[0].vat']));
    expect(ac(0, { reason: undefined, reasonCode: undefined })).toEqual(['fatal BR-33 allowancesCharges[0].reason']);
    expect(ac(1, { vat: undefined })).toEqual(expect.arrayContaining(['fatal BR-37 allowancesCharges[1].vat']));
    expect(ac(1, { reason: '', reasonCode: undefined })).toEqual(['fatal BR-38 allowancesCharges[1].reason']);
    expect(ac(0, { reasonCode: 'FC' })).toEqual(['fatal PEPPOL-EN16931-CL002 allowancesCharges[0].reasonCode']);
    expect(ac(1, { reasonCode: '95' })).toEqual(['fatal PEPPOL-EN16931-CL003 allowancesCharges[1].reasonCode']);
    const lineAc = (isCharge: boolean): string[] =>
      after((i) => i.lines[1]?.allowancesCharges.push({ isCharge, amount: '0.00' }));
    expect(lineAc(false)).toEqual(['fatal BR-42 lines[1].allowancesCharges[0].reason']);
    expect(lineAc(true)).toEqual(['fatal BR-44 lines[1].allowancesCharges[0].reason']);
    expect(after((i) => i.lines[1]?.allowancesCharges.push({ isCharge: false, amount: '', reason: 'x' }))).toEqual(['fatal BR-41 lines[1].allowancesCharges[0].amount']);
    expect(after((i) => i.allowancesCharges.push({ isCharge: true, amount: '', reason: 'x', vat: { category: 'S', rate: '21' } }))).toEqual(['fatal BR-36 allowancesCharges[2].amount']);
    expect(after((i) => i.allowancesCharges.push({ isCharge: false, amount: '', reason: 'x', vat: { category: 'S', rate: '21' } }))).toEqual(['fatal BR-31 allowancesCharges[2].amount']);
  });
  it('type codes (P0100/P0101/P0112)', () => {
    expect(broken({ typeCode: '999' })).toEqual(['fatal PEPPOL-EN16931-P0100 typeCode']);
    expect(broken({ typeCode: '384' })).toEqual(['fatal PEPPOL-EN16931-P0112 typeCode']);
    expect(fatalIds({ ...good({ kind: 'credit-note' }), typeCode: '380' })).toEqual(['fatal PEPPOL-EN16931-P0101 typeCode']);
  });
});

describe('checkInvoice — VAT categories', () => {
  const de: Party = { name: 'Nordlicht GmbH', vatId: 'DE811907980', address: { countryCode: 'DE' } };
  const one = (category: 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O', rate: string, extra: Partial<InvoiceDraft> = {}): Invoice =>
    completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '100', vat: { category, rate } }], ...extra }));
  it('rates: BR-S-05 (> 0), BR-Z/E/AE/IC/G-05 (= 0), -06/-07 for allowances and charges', () => {
    expect(fatalIds(one('S', '0'))).toEqual(expect.arrayContaining(['fatal BR-S-05 lines[0].vat.rate']));
    expect(fatalIds(one('Z', '6'))).toEqual(['fatal BR-Z-05 lines[0].vat.rate']);
    expect(fatalIds(one('K', '21', { buyer: de, delivery: { date: '2026-03-15', address: { countryCode: 'DE' } } }))).toEqual(['fatal BR-IC-05 lines[0].vat.rate']);
    const inv = good();
    if (inv.allowancesCharges[0]) inv.allowancesCharges[0].vat = { category: 'AE', rate: '21' };
    expect(fatalIds(inv)).toEqual(expect.arrayContaining(['fatal BR-AE-06 allowancesCharges[0].vat.rate']));
    const inv2 = good();
    if (inv2.allowancesCharges[1]) inv2.allowancesCharges[1].vat = { category: 'G', rate: '6' };
    expect(fatalIds(inv2)).toEqual(expect.arrayContaining(['fatal BR-G-07 allowancesCharges[1].vat.rate']));
  });
  it('zero VAT for Z/E/AE/K/G/O (…-09)', () => {
    const inv = one('AE', '0');
    if (inv.vatBreakdown[0]) inv.vatBreakdown[0].taxAmount = '21.00';
    expect(fatalIds(inv)).toEqual(expect.arrayContaining(['fatal BR-AE-09 vatBreakdown[0].taxAmount']));
  });
  it('exemption reasons: required for E/AE/K/G/O (…-10), forbidden for S/Z, VATEX only (BR-CL-22 warning)', () => {
    const e = one('E', '0');
    delete e.vatBreakdown[0]?.exemptionReason;
    expect(fatalIds(e)).toEqual(['fatal BR-E-10 vatBreakdown[0].exemptionReason']);
    const z = one('Z', '0');
    if (z.vatBreakdown[0]) z.vatBreakdown[0].exemptionReason = 'Nul';
    expect(fatalIds(z)).toEqual(['fatal BR-Z-10 vatBreakdown[0].exemptionReason']);
    const s = good();
    if (s.vatBreakdown[0]) s.vatBreakdown[0].exemptionReasonCode = 'VATEX-EU-132';
    expect(fatalIds(s)).toEqual(['fatal BR-S-10 vatBreakdown[0].exemptionReason']);
    const ae = one('AE', '0');
    if (ae.vatBreakdown[0]) ae.vatBreakdown[0].exemptionReasonCode = 'BETE-45';
    expect(ids(checkInvoice(ae))).toEqual(['warning BR-CL-22 vatBreakdown[0].exemptionReasonCode']);
  });
  it('party VAT numbers per category: BR-S-02, BR-AE-02, BR-IC-02, BR-G-02, BR-O-02', () => {
    expect(fatalIds(good({ seller: { ...sellerBE, vatId: undefined } }))).toEqual(['fatal BR-S-02 seller.vatId']);
    expect(fatalIds(one('AE', '0', { buyer: { name: 'Particulier', endpoint: { scheme: '0088', id: '5400000000003' }, address: { countryCode: 'BE' } } }))).toEqual(['fatal BR-AE-02 buyer.vatId']);
    expect(fatalIds(one('K', '0', { buyer: { ...de, vatId: undefined, endpoint: { scheme: '0088', id: '5400000000003' } }, delivery: { date: '2026-03-15', address: { countryCode: 'DE' } } }))).toEqual(['fatal BR-IC-02 buyer.vatId']);
    expect(fatalIds(one('G', '0', { seller: { ...sellerBE, vatId: undefined } }))).toEqual(['fatal BR-G-02 seller.vatId']);
    expect(fatalIds(one('O', '0'))).toEqual(['fatal BR-O-02 seller.vatId']);
    expect(fatalIds(one('O', '0', { seller: { ...sellerBE, vatId: undefined }, buyer: { ...buyerBE, vatId: undefined } }))).toEqual([]);
  });
  it('BR-IC-11 / BR-IC-12 delivery for intra-Community supplies, BR-O-11 O alone', () => {
    expect(fatalIds(one('K', '0', { buyer: de }))).toEqual(['fatal BR-IC-11 delivery.date', 'fatal BR-IC-12 delivery.address.countryCode']);
    expect(fatalIds(one('K', '0', { buyer: de, invoicePeriod: { start: '2026-03-01' }, delivery: { address: { countryCode: 'DE' } } }))).toEqual([]);
    const mixed = completeInvoice(
      belgianDraft({
        seller: { ...sellerBE, vatId: undefined },
        buyer: { ...buyerBE, vatId: undefined },
        lines: [
          { id: '1', description: 'X', quantity: '1', unitPrice: '100', vat: { category: 'O', rate: '0' } },
          { id: '2', description: 'Y', quantity: '1', unitPrice: '100', vat: { category: 'Z', rate: '0' } },
        ],
      }),
    );
    expect(fatalIds(mixed)).toEqual(expect.arrayContaining(['fatal BR-O-11 vatBreakdown', 'fatal BR-Z-02 seller.vatId']));
  });
});

describe('checkInvoice — identifiers and payment', () => {
  it('PEPPOL-COMMON-R043 enterprise numbers (model, endpoint and legal id)', () => {
    expect(after((i) => (i.seller.enterpriseNumber = '0428759498'))).toEqual(['fatal PEPPOL-COMMON-R043 seller.enterpriseNumber']);
    expect(after((i) => (i.buyer.endpoint = { scheme: '0208', id: '0739484059' }))).toEqual(['fatal PEPPOL-COMMON-R043 buyer.endpoint']);
    expect(after((i) => ((i.buyer.enterpriseNumber = undefined), (i.buyer.legalId = { id: 'ABC', scheme: '0208' })))).toEqual(['fatal PEPPOL-COMMON-R043 buyer.legalId']);
  });
  it('Belgian VAT number check digits (OB-BE-VAT), and VAT vs enterprise number (warning)', () => {
    expect(after((i) => (i.buyer.vatId = 'BE0202239952'))).toEqual(['fatal OB-BE-VAT buyer.vatId']);
    const inv = good();
    inv.buyer.vatId = 'BE0428759497';
    expect(ids(checkInvoice(inv))).toEqual(['warning OB-BE-VAT-MATCH buyer.vatId']);
  });
  it('electronic addresses (R010 / R020) unless derivable', () => {
    expect(after((i) => (i.buyer = { name: 'Particulier', address: { countryCode: 'BE' } }))).toEqual(['fatal PEPPOL-EN16931-R010 buyer.endpoint']);
    expect(after((i) => (i.seller = { name: 'Seller', legalId: { id: 'X1' }, vatId: 'US12345', address: { countryCode: 'US' } }))).toEqual(['fatal PEPPOL-EN16931-R020 seller.endpoint']);
    expect(after((i) => (i.seller = { name: 'Seller', address: { countryCode: 'BE' } }))).toEqual(expect.arrayContaining(['fatal BR-CO-26 seller', 'fatal BR-S-02 seller.vatId']));
  });
  it('IBAN (OB-IBAN), structured communication (OB-OGM), BR-61 account, R061 mandate, BR-49 code', () => {
    expect(after((i) => i.paymentMeans && (i.paymentMeans.iban = 'BE68539007547035'))).toEqual(['fatal OB-IBAN paymentMeans.iban']);
    expect(after((i) => i.paymentMeans && (i.paymentMeans.paymentId = '+++090/9337/55494+++'))).toEqual(['fatal OB-OGM paymentMeans.paymentId']);
    expect(after((i) => i.paymentMeans && (i.paymentMeans.paymentId = 'Factuur F2026-0042'))).toEqual([]);
    expect(after((i) => i.paymentMeans && delete i.paymentMeans.iban)).toEqual(['fatal BR-61 paymentMeans.iban']);
    expect(after((i) => (i.paymentMeans = { code: '49' }))).toEqual(['fatal PEPPOL-EN16931-R061 paymentMeans.mandateId']);
    expect(after((i) => (i.paymentMeans = { code: '', iban: 'BE68539007547034' }))).toEqual(['fatal BR-49 paymentMeans.code']);
  });
  it('attachments: BR-CL-24 mime type, OB-ATTACHMENT content, BR-52 id', () => {
    const att = { id: 'A1', filename: 'a.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0=' };
    expect(after((i) => (i.attachments = [{ ...att, mimeType: 'application/msword' }]))).toEqual(['fatal BR-CL-24 attachments[0].mimeType']);
    expect(after((i) => (i.attachments = [{ ...att, contentBase64: 'not base64!' }]))).toEqual(['fatal OB-ATTACHMENT attachments[0].contentBase64']);
    expect(after((i) => (i.attachments = [{ ...att, id: '' }]))).toEqual(['fatal BR-52 attachments[0].id']);
  });
  it('warnings for dates', () => {
    const inv = good({ dueDate: '2026-01-01' });
    expect(ids(checkInvoice(inv))).toEqual(['warning OB-DUE-DATE dueDate']);
    const cn = good({ kind: 'credit-note', paymentMeans: undefined });
    // A credit note's due date goes out without payment means too (the writer gives it PaymentMeans code 1).
    expect(ids(checkInvoice(cn))).toEqual([]);
  });
});
