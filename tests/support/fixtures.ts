import type { InvoiceDraft } from '../../lib/ubl/compute';
import type { Party } from '../../lib/model/invoice';

/** Belgian parties with valid enterprise numbers (mod 97) and matching VAT numbers. */
export const sellerBE: Party = {
  name: 'Bakkerij De Gouden Korst BV',
  tradingName: 'De Gouden Korst',
  enterpriseNumber: '0428759497',
  vatId: 'BE0428759497',
  address: { street: 'Veldstraat 12', city: 'Gent', postalCode: '9000', countryCode: 'BE' },
  contact: { name: 'An Peeters', email: 'facturen@goudenkorst.be', phone: '+32 9 123 45 67' },
};

export const buyerBE: Party = {
  name: 'Brasserie L’Étoile & Fils SRL',
  enterpriseNumber: '0202239951',
  vatId: 'BE0202239951',
  address: { street: 'Rue Neuve 5 <bte 2>', city: 'Bruxelles', postalCode: '1000', countryCode: 'BE' },
};

/** A small Belgian sales invoice: only lines are given, the rest is computed. */
export function belgianDraft(overrides: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    kind: 'invoice',
    number: 'F2026-0042',
    issueDate: '2026-03-15',
    dueDate: '2026-04-14',
    currency: 'EUR',
    seller: sellerBE,
    buyer: buyerBE,
    lines: [
      { id: '1', description: 'Volkorenbrood', quantity: '12', unitPrice: '3.45', vat: { category: 'S', rate: '6' } },
      { id: '2', description: 'Catering service', quantity: '1', unitPrice: '250', vat: { category: 'S', rate: '21' } },
    ],
    paymentMeans: { code: '30', iban: 'BE68539007547034', bic: 'GKCCBEBB', paymentId: '+++090/9337/55493+++' },
    ...overrides,
  };
}

/** A tiny valid PDF, base64 (hand-written; enough for an EmbeddedDocumentBinaryObject). */
export const TINY_PDF_BASE64 = btoa(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** A Belgian invoice that uses most of the model: allowances/charges at both levels, attachment, delivery, period. */
export function richBelgianDraft(overrides: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return belgianDraft({
    number: 'F2026/0099',
    note: 'Levering & plaatsing – "dringend"',
    buyerReference: 'PO-77 <Keuken>',
    orderReference: 'ORD-2026-5',
    contractReference: 'CONTRACT-9',
    accountingCost: '604000',
    invoicePeriod: { start: '2026-03-01', end: '2026-03-31' },
    delivery: { date: '2026-03-10', address: { street: 'Kaai 1', city: 'Antwerpen', postalCode: '2000', countryCode: 'BE' } },
    lines: [
      {
        id: '1',
        description: 'Ovenbrood',
        itemDescription: 'Vers gebakken, 800 g',
        quantity: '24',
        unitCode: 'H87',
        unitPrice: '2.95',
        vat: { category: 'S', rate: '6' },
        sellersItemId: 'OB-800',
        standardItemId: { id: '5400000000003', scheme: '0160' },
        classifications: [{ code: '50181900', listId: 'STI' }],
        originCountry: 'BE',
        itemProperties: [{ name: 'Gewicht', value: '800 g' }],
        orderLineReference: '10',
        period: { start: '2026-03-01', end: '2026-03-15' },
        allowancesCharges: [{ isCharge: false, amount: '3.54', percent: '5', baseAmount: '70.80', reason: 'Volumekorting', reasonCode: '95' }],
        grossPrice: '3.10',
        priceDiscount: '0.15',
        accountingCost: '700000',
      },
      {
        id: '2',
        description: 'Koffie (per 250 g)',
        note: 'Fairtrade',
        quantity: '3',
        unitCode: 'KGM',
        unitPrice: '12.40',
        priceBaseQuantity: '0.25',
        vat: { category: 'S', rate: '12' },
        allowancesCharges: [{ isCharge: true, amount: '2.50', reason: 'Verpakking', reasonCode: 'ABL' }],
      },
      { id: '3', description: 'Installatie', quantity: '1.5', unitCode: 'HUR', unitPrice: '65', vat: { category: 'S', rate: '21' } },
      { id: '4', description: 'Krant', quantity: '2', unitPrice: '1.80', vat: { category: 'S', rate: '6' } },
    ],
    allowancesCharges: [
      { isCharge: false, amount: '10.00', reason: 'Trouwe klant', reasonCode: '95', vat: { category: 'S', rate: '21' } },
      { isCharge: true, amount: '15.00', reason: 'Levering', reasonCode: 'FC', vat: { category: 'S', rate: '21' } },
    ],
    paymentTerms: 'Betaling binnen 30 dagen',
    attachments: [{ id: 'F2026/0099', description: 'CommercialInvoice', filename: 'F2026-0099.pdf', mimeType: 'application/pdf', contentBase64: TINY_PDF_BASE64 }],
    documentReferences: [{ id: 'TS-1', description: 'Technische fiche', uri: 'https://example.be/ts1.pdf' }],
    ...overrides,
  });
}
