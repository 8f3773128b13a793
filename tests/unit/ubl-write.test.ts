import { describe, expect, it } from 'vitest';
import { completeInvoice } from '../../lib/ubl/compute';
import { PEPPOL_BILLING_PROFILE_ID, PEPPOL_BIS3_CUSTOMIZATION_ID } from '../../lib/ubl/constants';
import { readInvoiceXml } from '../../lib/ubl/read';
import { asWritten, endpointOf, formatPrice, legalIdOf, peppolExemptionCode, writeUbl } from '../../lib/ubl/write';
import { escapeAttr, escapeText, leaf, node, serialize } from '../../lib/ubl/xml';
import { belgianDraft, buyerBE, richBelgianDraft, sellerBE } from '../support/fixtures';
import { canonical } from '../support/normalize';
import { orderProblems } from '../support/ubl-order';

const between = (xml: string, open: string, close: string): string => {
  const i = xml.indexOf(open);
  return i < 0 ? '' : xml.slice(i, xml.indexOf(close, i) + close.length);
};

describe('xml helpers', () => {
  it('escapes text and attributes and drops characters XML cannot carry', () => {
    expect(escapeText('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d "e" \'f\'');
    expect(escapeAttr('x"y&<z>\n\t')).toBe('x&quot;y&amp;&lt;z&gt;&#10;&#9;');
    expect(escapeText('bell\u0007 nul\u0000 ok')).toBe('bell nul ok');
    expect(escapeText('emoji 😀 ok')).toBe('emoji 😀 ok');
  });
  it('never writes empty elements', () => {
    expect(leaf('cbc:Note', '   ')).toBeUndefined();
    expect(leaf('cbc:Note', undefined)).toBeUndefined();
    expect(node('cac:PartyName', [leaf('cbc:Name', '')])).toBeUndefined();
    expect(serialize({ name: 'a', children: [{ name: 'b', text: 'x&y' }] })).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<a>\n  <b>x&amp;y</b>\n</a>\n');
  });
});

describe('writeUbl — Belgian invoice', () => {
  const inv = completeInvoice(richBelgianDraft());
  const xml = writeUbl(inv);

  it('is a Peppol BIS 3 Invoice 380', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')).toBe(true);
    expect(xml).toContain(`<cbc:CustomizationID>${PEPPOL_BIS3_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
    expect(xml).toContain(`<cbc:ProfileID>${PEPPOL_BILLING_PROFILE_ID}</cbc:ProfileID>`);
    expect(xml).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cbc:DueDate>2026-04-14</cbc:DueDate>');
    expect(xml).not.toMatch(/<(\w+:)?\w+( [^>]*)?><\/(\w+:)?\w+>/); // no empty elements
  });
  it('has its elements in UBL 2.1 schema order', () => {
    expect(orderProblems(xml)).toEqual([]);
  });
  it('escapes text', () => {
    expect(xml).toContain('<cbc:Note>Levering &amp; plaatsing – "dringend"</cbc:Note>');
    expect(xml).toContain('<cbc:BuyerReference>PO-77 &lt;Keuken&gt;</cbc:BuyerReference>');
    expect(xml).toContain('<cbc:RegistrationName>Brasserie L’Étoile &amp; Fils SRL</cbc:RegistrationName>');
  });
  it('writes Belgian identifiers: 0208 endpoint and legal id, BE VAT number', () => {
    const seller = between(xml, '<cac:AccountingSupplierParty>', '</cac:AccountingSupplierParty>');
    expect(seller).toContain('<cbc:EndpointID schemeID="0208">0428759497</cbc:EndpointID>');
    expect(seller).toContain('<cbc:CompanyID schemeID="0208">0428759497</cbc:CompanyID>');
    expect(seller).toMatch(/<cac:PartyTaxScheme>\s*<cbc:CompanyID>BE0428759497<\/cbc:CompanyID>\s*<cac:TaxScheme>\s*<cbc:ID>VAT<\/cbc:ID>/);
    expect(seller).toContain('<cbc:Name>De Gouden Korst</cbc:Name>');
    const buyer = between(xml, '<cac:AccountingCustomerParty>', '</cac:AccountingCustomerParty>');
    expect(buyer).toContain('<cbc:EndpointID schemeID="0208">0202239951</cbc:EndpointID>');
  });
  it('writes amounts with currencyID and two decimals, prices with at least two', () => {
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="EUR">67.26</cbc:LineExtensionAmount>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">2.95</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">65.00</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:BaseQuantity unitCode="KGM">0.25</cbc:BaseQuantity>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="HUR">1.5</cbc:InvoicedQuantity>');
    for (const m of xml.matchAll(/<cbc:(\w*Amount) currencyID="EUR">([^<]*)</g)) {
      if (m[1] !== 'PriceAmount') expect(m[2], m[0]).toMatch(/^-?\d+\.\d{2}$/);
    }
    expect(formatPrice('12.5')).toBe('12.50');
    expect(formatPrice('0.1234')).toBe('0.1234');
  });
  it('writes the PDF, payment means with IBAN and structured communication, allowances and charges', () => {
    expect(xml).toMatch(/<cac:AdditionalDocumentReference>\s*<cbc:ID>F2026\/0099<\/cbc:ID>\s*<cbc:DocumentDescription>CommercialInvoice<\/cbc:DocumentDescription>\s*<cac:Attachment>\s*<cbc:EmbeddedDocumentBinaryObject mimeCode="application\/pdf" filename="F2026-0099.pdf">JVBERi0/);
    expect(xml).toMatch(
      /<cac:PaymentMeans>\s*<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>\s*<cbc:PaymentID>\+\+\+090\/9337\/55493\+\+\+<\/cbc:PaymentID>\s*<cac:PayeeFinancialAccount>\s*<cbc:ID>BE68539007547034<\/cbc:ID>\s*<cac:FinancialInstitutionBranch>\s*<cbc:ID>GKCCBEBB<\/cbc:ID>/,
    );
    expect(xml).toMatch(/<cac:AllowanceCharge>\s*<cbc:ChargeIndicator>true<\/cbc:ChargeIndicator>\s*<cbc:AllowanceChargeReasonCode>FC<\/cbc:AllowanceChargeReasonCode>\s*<cbc:AllowanceChargeReason>Levering<\/cbc:AllowanceChargeReason>\s*<cbc:Amount currencyID="EUR">15.00<\/cbc:Amount>\s*<cac:TaxCategory>\s*<cbc:ID>S<\/cbc:ID>\s*<cbc:Percent>21<\/cbc:Percent>/);
    const line1 = between(xml, '<cac:InvoiceLine>', '</cac:InvoiceLine>');
    expect(line1).toMatch(/<cac:AllowanceCharge>\s*<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>[\s\S]*<cbc:MultiplierFactorNumeric>5<\/cbc:MultiplierFactorNumeric>\s*<cbc:Amount currencyID="EUR">3.54<\/cbc:Amount>\s*<cbc:BaseAmount currencyID="EUR">70.80<\/cbc:BaseAmount>\s*<\/cac:AllowanceCharge>/);
    expect(line1).not.toMatch(/<cac:AllowanceCharge>[\s\S]*<cac:TaxCategory>[\s\S]*<\/cac:AllowanceCharge>\s*<cac:Item>/); // no VAT on line allowances
    expect(line1).toMatch(/<cac:Price>\s*<cbc:PriceAmount currencyID="EUR">2.95<\/cbc:PriceAmount>\s*<cac:AllowanceCharge>\s*<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>\s*<cbc:Amount currencyID="EUR">0.15<\/cbc:Amount>\s*<cbc:BaseAmount currencyID="EUR">3.10<\/cbc:BaseAmount>/);
    const lmt = between(xml, '<cac:LegalMonetaryTotal>', '</cac:LegalMonetaryTotal>');
    expect(lmt).toContain('<cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>');
    expect(lmt).toContain('<cbc:ChargeTotalAmount currencyID="EUR">15.00</cbc:ChargeTotalAmount>');
    expect(lmt).not.toContain('PrepaidAmount');
  });
  it('reads back to the same model', () => {
    const back = readInvoiceXml(xml);
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.warnings).toEqual([]);
      expect(canonical(back.invoice)).toEqual(canonical(asWritten(inv)));
    }
  });
});

describe('writeUbl — Belgian credit note', () => {
  const cn = completeInvoice(
    belgianDraft({
      kind: 'credit-note',
      number: 'CN2026-0003',
      billingReference: { number: 'F2026-0042', issueDate: '2026-03-15' },
      taxPointDate: '2026-03-20',
    }),
  );
  const xml = writeUbl(cn);
  it('is a CreditNote 381 with a billing reference, in schema order', () => {
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml).toMatch(/<cbc:TaxPointDate>2026-03-20<\/cbc:TaxPointDate>\s*<cbc:CreditNoteTypeCode>381<\/cbc:CreditNoteTypeCode>/);
    expect(xml).toMatch(/<cac:BillingReference>\s*<cac:InvoiceDocumentReference>\s*<cbc:ID>F2026-0042<\/cbc:ID>\s*<cbc:IssueDate>2026-03-15<\/cbc:IssueDate>/);
    expect(xml).toContain('<cac:CreditNoteLine>');
    expect(xml).toContain('<cbc:CreditedQuantity unitCode="C62">12</cbc:CreditedQuantity>');
    expect(xml).not.toContain('InvoiceLine');
    expect(xml).not.toContain('<cbc:DueDate>');
    expect(xml).toMatch(/<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>\s*<cbc:PaymentDueDate>2026-04-14<\/cbc:PaymentDueDate>/);
    expect(orderProblems(xml)).toEqual([]);
  });
  it('reads back to the same model', () => {
    const back = readInvoiceXml(xml);
    expect(back.ok && canonical(back.invoice)).toEqual(canonical(asWritten(cn)));
  });
  it('keeps its due date without payment means: PaymentMeans code 1 carries it', () => {
    const { paymentMeans: _none, ...draft } = belgianDraft({ kind: 'credit-note', number: 'CN2026-0004', billingReference: { number: 'F2026-0042' } });
    const bare = writeUbl(completeInvoice(draft));
    expect(bare).toMatch(/<cac:PaymentMeans>\s*<cbc:PaymentMeansCode>1<\/cbc:PaymentMeansCode>\s*<cbc:PaymentDueDate>2026-04-14<\/cbc:PaymentDueDate>\s*<\/cac:PaymentMeans>/);
    expect(orderProblems(bare)).toEqual([]);
    const back = readInvoiceXml(bare);
    expect(back.ok && back.invoice.dueDate).toBe('2026-04-14');
  });
});

describe('writeUbl — Peppol requirements the model may leave open', () => {
  it('uses the invoice number as BuyerReference when there is neither buyer nor order reference (R003)', () => {
    const xml = writeUbl(completeInvoice(belgianDraft()));
    expect(xml).toContain('<cbc:BuyerReference>F2026-0042</cbc:BuyerReference>');
    const withOrder = writeUbl(completeInvoice(belgianDraft({ orderReference: 'PO-1' })));
    expect(withOrder).not.toContain('<cbc:BuyerReference>');
    expect(withOrder).toMatch(/<cac:OrderReference>\s*<cbc:ID>PO-1<\/cbc:ID>/);
  });
  it('derives endpoints and legal ids from Belgian numbers, keeps explicit ones', () => {
    expect(endpointOf({ ...sellerBE, enterpriseNumber: undefined })).toEqual({ scheme: '0208', id: '0428759497' });
    expect(endpointOf({ ...sellerBE, endpoint: { scheme: '9925', id: 'BE0428759497' } })).toEqual({ scheme: '9925', id: 'BE0428759497' });
    expect(endpointOf({ name: 'NL BV', vatId: 'NL123456789B01', address: { countryCode: 'NL' } })).toEqual({ scheme: '9944', id: 'NL123456789B01' });
    expect(endpointOf({ name: 'X', address: { countryCode: 'US' } })).toBeUndefined();
    expect(legalIdOf({ ...buyerBE, enterpriseNumber: undefined })).toEqual({ id: '0202239951', scheme: '0208' });
    expect(legalIdOf({ name: 'X', legalId: { id: '123' }, address: { countryCode: 'FR' } })).toEqual({ id: '123' });
  });
  it('writes only VATEX exemption codes', () => {
    expect(peppolExemptionCode({ category: 'AE', exemptionReasonCode: 'BETE-45' })).toBe('VATEX-EU-AE');
    expect(peppolExemptionCode({ category: 'K', exemptionReasonCode: 'BETE-46/GO' })).toBe('VATEX-EU-IC');
    expect(peppolExemptionCode({ category: 'E', exemptionReasonCode: 'BETE-EX' })).toBeUndefined();
    expect(peppolExemptionCode({ category: 'E', exemptionReasonCode: 'vatex-eu-132' })).toBe('VATEX-EU-132');
  });
  it('omits the rate for category O and writes exemption reasons', () => {
    const seller = { ...sellerBE, vatId: undefined };
    const buyer = { ...buyerBE, vatId: undefined };
    const xml = writeUbl(
      completeInvoice(belgianDraft({ seller, buyer, lines: [{ id: '1', description: 'Boete', quantity: '1', unitPrice: '50', vat: { category: 'O', rate: '0' } }] })),
    );
    expect(xml).not.toContain('<cbc:Percent>');
    expect(xml).toMatch(/<cbc:ID>O<\/cbc:ID>\s*<cbc:TaxExemptionReasonCode>VATEX-EU-O<\/cbc:TaxExemptionReasonCode>\s*<cbc:TaxExemptionReason>Not subject to VAT<\/cbc:TaxExemptionReason>/);
    expect(xml).not.toContain('PartyTaxScheme');
  });
});

describe('asWritten', () => {
  it('lists exactly what the writer adds', () => {
    const inv = completeInvoice(belgianDraft({ seller: { ...sellerBE, enterpriseNumber: undefined } }));
    const w = asWritten(inv);
    expect(w.typeCode).toBe('380');
    expect(w.buyerReference).toBe('F2026-0042');
    expect(w.seller.endpoint).toEqual({ scheme: '0208', id: '0428759497' });
    expect(w.seller.enterpriseNumber).toBe('0428759497');
    expect(inv.seller.enterpriseNumber).toBeUndefined(); // input untouched
  });
});

describe('order checker', () => {
  it('notices elements out of order', () => {
    const xml = writeUbl(completeInvoice(belgianDraft()));
    const swapped = xml.replace(/(<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)\s*(<cbc:DueDate>[^<]*<\/cbc:DueDate>)/, '$2$1');
    expect(orderProblems(swapped)).toEqual(['Invoice: <IssueDate> must come before <DueDate>']);
  });
});

describe('writeUbl — sales order reference only', () => {
  it('writes OrderReference/ID "NA" and reads back as asWritten says', () => {
    const inv = completeInvoice(belgianDraft({ salesOrderReference: 'SO-9' }));
    const xml = writeUbl(inv);
    expect(xml).toMatch(/<cac:OrderReference>\s*<cbc:ID>NA<\/cbc:ID>\s*<cbc:SalesOrderID>SO-9<\/cbc:SalesOrderID>/);
    expect(xml).not.toContain('<cbc:BuyerReference>');
    const back = readInvoiceXml(xml);
    expect(back.ok && canonical(back.invoice)).toEqual(canonical(asWritten(inv)));
  });
});
