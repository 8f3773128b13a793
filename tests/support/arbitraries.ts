/**
 * fast-check generators for Belgian invoices and credit notes that EN 16931 + Peppol BIS 3 should accept:
 * random lines, rates, categories, allowances/charges (document and line level, with and without percentages),
 * prepaid amounts, rounding, and Belgian parties with valid enterprise numbers.
 */
import fc from 'fast-check';
import { enterpriseCheckDigits, structuredCommunicationFrom } from '../../lib/identifiers';
import { Big } from '../../lib/money';
import type { Party, VatCategory } from '../../lib/model/invoice';
import type { InvoiceDraft, LineDraft } from '../../lib/ubl/compute';
import { TINY_PDF_BASE64 } from './fixtures';

const cents = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => new Big(n).div(100).toFixed(2));

/** A decimal with up to `scale` fraction digits between min and max (in units). */
const decimalArb = (min: number, max: number, scale: number): fc.Arbitrary<string> =>
  fc.integer({ min: min * 10 ** scale, max: max * 10 ** scale }).map((n) => new Big(n).div(10 ** scale).toString());

export const enterpriseNumberArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('0', '1'), fc.integer({ min: 2000000, max: 9999999 }))
  .map(([first, rest]) => {
    const eight = `${first}${String(rest).padStart(7, '0')}`;
    return eight + enterpriseCheckDigits(eight);
  });

const nameArb = fc
  .tuple(
    fc.constantFrom('Bakkerij', 'Brasserie', 'Garage', 'Atelier', 'Studio', 'Dakwerken', 'Café', 'Imprimerie', 'Vélo'),
    fc.constantFrom('De Zon', "L'Étoile", 'Van Damme & Zonen', 'Peeters', '"Het Anker"', 'Dupont <Frères>', 'Müller'),
    fc.constantFrom('BV', 'NV', 'SRL', 'SA', 'CommV'),
  )
  .map((parts) => parts.join(' '));

const beCity = fc.constantFrom(
  { city: 'Gent', postalCode: '9000' },
  { city: 'Antwerpen', postalCode: '2000' },
  { city: 'Bruxelles', postalCode: '1000' },
  { city: 'Liège', postalCode: '4000' },
  { city: 'Brugge', postalCode: '8000' },
);

export function belgianPartyArb(withVat: boolean): fc.Arbitrary<Party> {
  return fc.record({ en: enterpriseNumberArb, name: nameArb, city: beCity, street: fc.integer({ min: 1, max: 250 }), withContact: fc.boolean() }).map(
    ({ en, name, city, street, withContact }) => {
      const p: Party = {
        name,
        enterpriseNumber: en,
        address: { street: `Stationsstraat ${street}`, ...city, countryCode: 'BE' },
      };
      if (withVat) p.vatId = `BE${en}`;
      if (withContact) p.contact = { name: 'Boekhouding', email: 'boekhouding@example.be' };
      return p;
    },
  );
}

const germanBuyer: Party = {
  name: 'Nordlicht Handels GmbH',
  vatId: 'DE811907980',
  address: { street: 'Hafenstraße 3', city: 'Hamburg', postalCode: '20457', countryCode: 'DE' },
};

const usBuyer: Party = {
  name: 'Maple & Oak Inc.',
  endpoint: { scheme: '0060', id: '123456789' },
  legalId: { id: '123456789', scheme: '0060' },
  address: { street: '1 Main St', city: 'Springfield', postalCode: '62701', countryCode: 'US' },
};

type Profile = 'domestic' | 'intra-community' | 'export' | 'not-subject';

const unitCodeArb = fc.constantFrom('C62', 'HUR', 'KGM', 'H87', 'DAY', 'MTR', 'LTR');

const allowanceReasonCodes = ['41', '42', '60', '62', '63', '64', '65', '66', '67', '68', '70', '71', '88', '95', '100', '102', '103', '104', '105'];
const chargeReasonCodes = ['FC', 'ABL', 'CG', 'PC', 'AAA', 'ADR'];

interface AcSpec {
  isCharge: boolean;
  withPercent: boolean;
  percent: string;
  base: string;
  amount: string;
  withCode: boolean;
  codeIndex: number;
}

const acSpecArb: fc.Arbitrary<AcSpec> = fc.record({
  isCharge: fc.boolean(),
  withPercent: fc.boolean(),
  percent: decimalArb(1, 25, 1),
  base: cents(100, 50000),
  amount: cents(1, 5000),
  withCode: fc.boolean(),
  codeIndex: fc.nat({ max: 100 }),
});

function allowanceCharge(spec: AcSpec): { isCharge: boolean; amount: string; percent?: string; baseAmount?: string; reason: string; reasonCode?: string } {
  const amount = spec.withPercent ? new Big(spec.base).times(spec.percent).div(100).round(2, Big.roundHalfUp).toFixed(2) : spec.amount;
  const ac: { isCharge: boolean; amount: string; percent?: string; baseAmount?: string; reason: string; reasonCode?: string } = {
    isCharge: spec.isCharge,
    amount,
    reason: spec.isCharge ? 'Transport & verpakking' : 'Korting <trouwe klant>',
  };
  if (spec.withPercent) {
    ac.percent = spec.percent;
    ac.baseAmount = spec.base;
  }
  if (spec.withCode) {
    const codes = spec.isCharge ? chargeReasonCodes : allowanceReasonCodes;
    ac.reasonCode = codes[spec.codeIndex % codes.length];
  }
  return ac;
}

interface LineSpec {
  vatIndex: number;
  quantity: string;
  negative: boolean;
  unitPrice: string;
  unitCode: string;
  baseQuantity: string | undefined;
  lineAcs: AcSpec[];
  withNote: boolean;
}

const lineSpecArb: fc.Arbitrary<LineSpec> = fc.record({
  vatIndex: fc.nat({ max: 100 }),
  quantity: decimalArb(1, 200, 3),
  negative: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), // ~10 % returns
  unitPrice: decimalArb(0, 900, 4),
  unitCode: unitCodeArb,
  baseQuantity: fc.option(fc.constantFrom('1', '10', '0.5', '12'), { nil: undefined }),
  lineAcs: fc.array(acSpecArb, { maxLength: 2 }),
  withNote: fc.boolean(),
});

function vatChoices(profile: Profile): Array<{ category: VatCategory; rate: string }> {
  switch (profile) {
    case 'domestic':
      return [
        { category: 'S', rate: '21' },
        { category: 'S', rate: '12' },
        { category: 'S', rate: '6' },
        { category: 'Z', rate: '0' },
        { category: 'E', rate: '0' },
        { category: 'AE', rate: '0' },
      ];
    case 'intra-community':
      return [
        { category: 'K', rate: '0' },
        { category: 'S', rate: '21' },
      ];
    case 'export':
      return [
        { category: 'G', rate: '0' },
        { category: 'S', rate: '21' },
      ];
    case 'not-subject':
      return [{ category: 'O', rate: '0' }];
  }
}

export interface GeneratedCase {
  profile: Profile;
  draft: InvoiceDraft;
}

export const belgianInvoiceArb: fc.Arbitrary<GeneratedCase> = fc
  .record({
    profile: fc.constantFrom<Profile>('domestic', 'domestic', 'domestic', 'intra-community', 'export', 'not-subject'),
    creditNote: fc.boolean(),
    seq: fc.integer({ min: 1, max: 9999 }),
    day: fc.integer({ min: 1, max: 28 }),
    lines: fc.array(lineSpecArb, { minLength: 1, maxLength: 6 }),
    docAcs: fc.array(fc.tuple(acSpecArb, fc.nat({ max: 100 })), { maxLength: 3 }),
    prepaid: fc.option(cents(1, 10000), { nil: undefined }),
    rounding: fc.option(fc.integer({ min: -4, max: 4 }).map((n) => new Big(n).div(100).toFixed(2)), { nil: undefined }),
    withPdf: fc.boolean(),
    withOrderRef: fc.boolean(),
    seller: belgianPartyArb(true),
    buyerBE: belgianPartyArb(true),
    sellerNoVat: belgianPartyArb(false),
    buyerNoVat: belgianPartyArb(false),
    paymentSeq: fc.integer({ min: 1, max: 999999 }),
  })
  .map((g) => {
    const choices = vatChoices(g.profile);
    const lines: LineDraft[] = g.lines.map((l, i) => {
      const vat = choices[l.vatIndex % choices.length] ?? { category: 'S', rate: '21' };
      const line: LineDraft = {
        id: String(i + 1),
        description: `Artikel ${i + 1} – "spécial" & co`,
        quantity: l.negative ? `-${l.quantity}` : l.quantity,
        unitCode: l.unitCode,
        unitPrice: l.unitPrice,
        vat,
        allowancesCharges: l.lineAcs.map(allowanceCharge),
      };
      if (l.baseQuantity) line.priceBaseQuantity = l.baseQuantity;
      if (l.withNote) line.note = 'Opmerking <lijn>';
      return line;
    });
    const usedVats = lines.map((l) => l.vat);
    const docAcs = g.docAcs.map(([spec, idx]) => ({ ...allowanceCharge(spec), vat: usedVats[idx % usedVats.length] ?? { category: 'S' as const, rate: '21' } }));

    const notSubject = g.profile === 'not-subject';
    const seller = notSubject ? g.sellerNoVat : g.seller;
    const buyer = g.profile === 'intra-community' ? germanBuyer : g.profile === 'export' ? usBuyer : notSubject ? g.buyerNoVat : g.buyerBE;
    const issueDate = `2026-03-${String(g.day).padStart(2, '0')}`;
    const number = `${g.creditNote ? 'CN' : 'F'}2026-${String(g.seq).padStart(4, '0')}`;

    const draft: InvoiceDraft = {
      kind: g.creditNote ? 'credit-note' : 'invoice',
      number,
      issueDate,
      dueDate: '2026-04-30',
      currency: 'EUR',
      seller,
      buyer,
      lines,
      allowancesCharges: docAcs,
      paymentMeans: { code: '30', iban: 'BE68539007547034', paymentId: structuredCommunicationFrom(g.paymentSeq) },
      totals: { prepaid: g.prepaid, rounding: g.rounding },
    };
    if (g.creditNote) draft.billingReference = { number: `F2026-${String(g.seq).padStart(4, '0')}`, issueDate: '2026-02-27' };
    if (g.withOrderRef) draft.orderReference = `PO-${g.seq}`;
    if (g.profile === 'intra-community') {
      draft.delivery = { date: issueDate, address: { street: 'Hafenstraße 3', city: 'Hamburg', postalCode: '20457', countryCode: 'DE' } };
    }
    if (g.withPdf) {
      draft.attachments = [{ id: number, description: g.creditNote ? 'CreditNote' : 'CommercialInvoice', filename: `${number}.pdf`, mimeType: 'application/pdf', contentBase64: TINY_PDF_BASE64 }];
    }
    return { profile: g.profile, draft };
  });
