import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_XML_BYTES, parseDecimalText, readInvoiceXml } from '../../lib/ubl/read';
import type { ReadResult } from '../../lib/ubl/read';
import type { Invoice } from '../../lib/model/invoice';
import { REPO_ROOT, exampleInvoiceFiles, sampleText } from '../support/samples';
import { writeUbl } from '../../lib/ubl/write';

function ok(r: ReadResult): Invoice {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error.message}`);
  return r.invoice;
}
function errorsOf(r: ReadResult): string[] {
  if (r.ok) throw new Error('expected an error');
  return r.errors.map((e) => e.message);
}

describe('readInvoiceXml — official examples', () => {
  it.each(exampleInvoiceFiles())('reads %s', (file) => {
    const r = readInvoiceXml(sampleText(file));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  });

  it('detects the syntax', () => {
    const syntax = (f: string): string | undefined => {
      const r = readInvoiceXml(sampleText(f));
      return r.ok ? r.format.syntax : undefined;
    };
    expect(syntax('base-example.xml')).toBe('peppol-bis3');
    expect(syntax('UBLBE_BE0000000196_V01-15000004.xml')).toBe('ubl-be');
    expect(syntax('ubl-tc434-creditnote1.xml')).toBe('en16931');
  });

  it('warns about what the model does not keep', () => {
    const no = readInvoiceXml(sampleText('Norwegian-example-1.xml'));
    expect(no.ok && no.warnings.map((w) => w.message)).toEqual(['cac:PayeeParty: payee (BG-10) is not kept', 'cac:TaxRepresentativeParty: seller tax representative (BG-11) is not kept']);
    const allowance = readInvoiceXml(sampleText('Allowance-example.xml'));
    expect(allowance.ok && allowance.warnings.map((w) => w.path)).toEqual(['cbc:TaxCurrencyCode']);
  });

  it('maps base-example.xml', () => {
    const inv = ok(readInvoiceXml(sampleText('base-example.xml')));
    expect(inv).toMatchObject({ kind: 'invoice', number: 'Snippet1', issueDate: '2017-11-13', dueDate: '2017-12-01', typeCode: '380', currency: 'EUR' });
    expect(inv.accountingCost).toBe('4025:123:4343');
    expect(inv.buyerReference).toBe('0150abc');
    expect(inv.seller).toMatchObject({
      name: 'SupplierOfficialName Ltd',
      tradingName: 'SupplierTradingName Ltd.',
      endpoint: { scheme: '0088', id: '9482348239847239874' },
      identifiers: [{ id: '99887766' }],
      vatId: 'GB1232434',
      legalId: { id: 'GB983294' },
      address: { street: 'Main street 1', additionalStreet: 'Postbox 123', city: 'London', postalCode: 'GB 123 EW', countryCode: 'GB' },
    });
    expect(inv.buyer.legalId).toEqual({ id: '39937423947', scheme: '0183' });
    expect(inv.buyer.contact).toEqual({ name: 'Lisa Johnson', phone: '23434234', email: 'lj@buyer.se' });
    expect(inv.delivery).toMatchObject({ date: '2017-11-01', locationId: { id: '9483759475923478', scheme: '0088' }, partyName: 'Delivery party Name' });
    // Placeholder account and BIC are not an IBAN/BIC: kept as plain identifiers.
    expect(inv.paymentMeans).toEqual({ code: '30', paymentId: 'Snippet1', accountId: 'IBAN32423940', accountName: 'AccountName', branchId: 'BIC324098' });
    expect(inv.paymentTerms).toBe('Payment within 10 days, 2% discount');
    expect(inv.allowancesCharges).toEqual([{ isCharge: true, amount: '25', reason: 'Insurance', vat: { category: 'S', rate: '25.0' } }]);
    expect(inv.vatBreakdown).toEqual([{ category: 'S', rate: '25.0', taxableAmount: '1325', taxAmount: '331.25' }]);
    expect(inv.totals).toEqual({
      lineExtension: '1300',
      allowanceTotal: '0.00',
      chargeTotal: '25',
      taxExclusive: '1325',
      taxTotal: '331.25',
      taxInclusive: '1656.25',
      prepaid: '0.00',
      rounding: '0.00',
      payable: '1656.25',
    });
    expect(inv.lines[1]).toMatchObject({
      id: '2',
      description: 'item name 2',
      itemDescription: 'Description 2',
      quantity: '-3',
      unitCode: 'DAY',
      unitPrice: '500',
      netAmount: '-1500',
      orderLineReference: '123',
      standardItemId: { id: '21382183120983', scheme: '0088' },
      originCountry: 'NO',
      classifications: [{ code: '09348023', listId: 'SRV' }],
    });
  });

  it('maps a UBL.BE invoice with Belgian rates and the embedded PDF', () => {
    const inv = ok(readInvoiceXml(sampleText('UBLBE_BE0000000196_V01-15000004.xml')));
    expect(inv.seller).toMatchObject({ enterpriseNumber: '0000000196', vatId: 'BE0000000196', endpoint: { scheme: '0208', id: '0000000196' } });
    expect(inv.buyer.enterpriseNumber).toBe('0000000295');
    expect(inv.orderReference).toBe('YR127129');
    expect(inv.vatBreakdown.map((b) => `${b.category}${b.rate}:${b.taxAmount}`)).toEqual(['Z0:0', 'S6:24', 'S12:96', 'S21:336']);
    expect(inv.attachments).toHaveLength(1);
    const pdf = inv.attachments[0];
    expect(pdf).toMatchObject({ id: 'V01/15000004', description: 'CommercialInvoice', filename: '15000004.pdf', mimeType: 'application/pdf' });
    expect(atob(pdf?.contentBase64.slice(0, 12) ?? '')).toMatch(/^%PDF-1\./);
    expect(inv.documentReferences).toEqual([{ id: 'UBL.BE', description: 'UBL.BE Compatible software Version 5.21' }]);
  });

  it('maps credit notes, rounding, prepaid and price discounts', () => {
    const cn = ok(readInvoiceXml(sampleText('ubl-tc434-creditnote1.xml')));
    expect(cn).toMatchObject({ kind: 'credit-note', typeCode: '381', number: '018304 / 28865' });
    expect(cn.seller.legalId).toEqual({ id: '0000000196' });
    expect(cn.seller.endpoint).toEqual({ scheme: '0201', id: '0000000196' });
    expect(cn.paymentMeans).toEqual({ code: '1', paymentId: '010676609538', iban: 'BE91000000143476', bic: 'BPOTBEB1' });
    expect(cn.vatBreakdown[0]).toMatchObject({ category: 'E', exemptionReason: 'Taxes are not applicable' });

    const corr = ok(readInvoiceXml(sampleText('base-creditnote-correction.xml')));
    expect(corr.billingReference).toEqual({ number: 'Snippet1' });

    const no = ok(readInvoiceXml(sampleText('Norwegian-example-1.xml')));
    expect(no.totals).toMatchObject({ prepaid: '1000', rounding: '0.22', payable: '802.00' });
    expect(no.seller.taxRegistrationId).toBe('Foretaksregisteret');
    expect(no.lines[0]).toMatchObject({ unitPrice: '1273', priceBaseQuantity: '1', priceDiscount: '227', grossPrice: '1500', period: { start: '2013-06-01', end: '2013-06-30' } });
    expect(no.lines[0]?.itemProperties).toEqual([{ name: 'Color', value: 'Black' }]);
    expect(no.attachments[0]).toMatchObject({ filename: 'Hours-spent.csv', contentBase64: 'VGVzdCBiYXNlIDY0IGVuY29kaW5n' });
    expect(no.documentReferences).toEqual([{ id: 'Doc1', description: 'Timesheet', uri: 'http://www.suppliersite.eu/sheet001.html' }]);

    const o = ok(readInvoiceXml(sampleText('vat-category-O.xml')));
    expect(o.vatBreakdown).toEqual([{ category: 'O', rate: '0', taxableAmount: '3200.00', taxAmount: '0.00', exemptionReason: 'Not subject to VAT' }]);
    expect(o.lines[0]?.vat).toEqual({ category: 'O', rate: '0' });
  });
});

describe('readInvoiceXml — xs:boolean fields', () => {
  it('takes "1" and "0" as the schema allows, exactly like "true" and "false"', () => {
    const words = sampleText('Allowance-example.xml');
    expect(words).toMatch(/<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>/);
    const digits = words.replace(/<cbc:ChargeIndicator>true</g, '<cbc:ChargeIndicator>1<').replace(/<cbc:ChargeIndicator>false</g, '<cbc:ChargeIndicator>0<');
    expect(digits).not.toMatch(/ChargeIndicator>(true|false)</);
    const fromWords = ok(readInvoiceXml(words));
    expect(fromWords.allowancesCharges?.length).toBeGreaterThan(0);
    expect(ok(readInvoiceXml(digits))).toEqual(fromWords);
  });

  it('refuses other words with the path and the forms allowed', () => {
    const bad = sampleText('Allowance-example.xml').replace(/<cbc:ChargeIndicator>false</, '<cbc:ChargeIndicator>yes<');
    expect(errorsOf(readInvoiceXml(bad)).join('\n')).toMatch(/ChargeIndicator.*must be "true", "false", "1" or "0", not "yes"/);
  });
});

describe("readInvoiceXml — the seller's tax registration (BT-32)", () => {
  const ubl = (schemeId: string) =>
    sampleText('base-example.xml').replace(
      '</cac:PartyTaxScheme>\n            <cac:PartyLegalEntity>\n                <cbc:RegistrationName>SupplierOfficialName Ltd',
      `</cac:PartyTaxScheme>\n            <cac:PartyTaxScheme><cbc:CompanyID>FR-TAX-778</cbc:CompanyID><cac:TaxScheme><cbc:ID>${schemeId}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>\n            <cac:PartyLegalEntity>\n                <cbc:RegistrationName>SupplierOfficialName Ltd`,
    );

  it.each(['TAX', 'LOC', 'FC', 'GST'])('is kept beside the VAT number whatever its scheme (%s), and written again as the seller\'s', (schemeId) => {
    const xml = ubl(schemeId);
    expect(xml).toContain(`<cbc:ID>${schemeId}</cbc:ID>`);
    const inv = ok(readInvoiceXml(xml));
    expect(inv.seller.vatId).toBe('GB1232434');
    expect(inv.seller.taxRegistrationId).toBe('FR-TAX-778');
    expect(ok(readInvoiceXml(writeUbl(inv))).seller.taxRegistrationId).toBe('FR-TAX-778');
  });

  it('in CII, a registration with another scheme than VA (FC and others) is kept too', () => {
    const cii = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'cii', 'factur-x-en16931-invoice.xml'), 'utf8');
    for (const scheme of ['FC', 'XY']) {
      const withTax = cii.replace(
        '<a:SpecifiedTaxRegistration>\n          <a:ID schemeID="VA">BE0428759497</a:ID>\n        </a:SpecifiedTaxRegistration>',
        `<a:SpecifiedTaxRegistration>\n          <a:ID schemeID="VA">BE0428759497</a:ID>\n        </a:SpecifiedTaxRegistration><a:SpecifiedTaxRegistration><a:ID schemeID="${scheme}">DE-STNR-123/456</a:ID></a:SpecifiedTaxRegistration>`,
      );
      expect(withTax).not.toBe(cii);
      const inv = ok(readInvoiceXml(withTax));
      expect(inv.seller.vatId).toBe('BE0428759497');
      expect(inv.seller.taxRegistrationId).toBe('DE-STNR-123/456');
    }
  });
});

describe('readInvoiceXml — e-fff (UBL 2.0) and prefix-agnostic reading', () => {
  const efff = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'efff-ubl20-invoice.xml'), 'utf8');
  it('reads UBL 2.0 e-fff conventions', () => {
    const r = readInvoiceXml(efff);
    const inv = ok(r);
    if (r.ok) expect(r.format).toEqual({ root: 'Invoice', syntax: 'e-fff', customizationId: '1.0', profileId: 'e-fff', ublVersion: '2.0' });
    expect(inv.dueDate).toBe('2025-12-03'); // from PaymentMeans/PaymentDueDate
    expect(inv.note).toBe('Dank u & tot ziens');
    expect(inv.seller).toMatchObject({ name: 'Schrijnwerkerij Janssens', vatId: 'BE0428759497', address: { street: 'Dorpsstraat 7' } });
    expect(inv.buyer.name).toBe('Café <De Hoek> & Co'); // CDATA
    expect(inv.buyer.vatId).toBe('BE0202239951'); // prefix added, with a warning
    expect(inv.paymentMeans).toMatchObject({ code: '31', iban: 'BE68539007547034', bic: 'GKCCBEBB' });
    expect(inv.lines[0]).toMatchObject({ description: 'Plaatsen keukenkasten', vat: { category: 'S', rate: '21' }, unitPrice: '50.00' });
    expect(inv.vatBreakdown).toEqual([{ category: 'S', rate: '21', taxableAmount: '500.00', taxAmount: '105.00' }]);
    expect(inv.attachments[0]).toMatchObject({ description: 'CommercialInvoice', filename: '2025_117.pdf', contentBase64: 'JVBERi0xLjQKJSVFT0YK' });
    if (r.ok) expect(r.warnings.map((w) => w.path)).toEqual(['cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID', 'cac:InvoiceLine/cac:Item/cbc:Name']);
  });
  it('does not care which prefixes the document uses', () => {
    const src = sampleText('base-example.xml');
    const renamed = src
      .replace(/xmlns:cac=/, 'xmlns:agg=')
      .replace(/xmlns:cbc=/, 'xmlns:bas=')
      .replace(/<(\/?)cac:/g, '<$1agg:')
      .replace(/<(\/?)cbc:/g, '<$1bas:')
      .replace('xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"', 'xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')
      .replace(/<Invoice /, '<ubl:Invoice ')
      .replace('</Invoice>', '</ubl:Invoice>');
    expect(renamed).toContain('<agg:AccountingSupplierParty>');
    expect(ok(readInvoiceXml(renamed))).toEqual(ok(readInvoiceXml(src)));
  });
  it('decodes predefined entities and character references, keeps the direction asked for', () => {
    const src = sampleText('vat-category-Z.xml').replace(/<cbc:ID>([^<]*)<\/cbc:ID>/, '<cbc:ID>A&amp;B &#233;&#x20AC; &lt;1&gt;</cbc:ID>');
    const inv = ok(readInvoiceXml(src, { direction: 'purchase' }));
    expect(inv.number).toBe('A&B é€ <1>');
    expect(inv.direction).toBe('purchase');
  });
});

describe('readInvoiceXml — errors name the problem and the path', () => {
  const base = sampleText('base-example.xml');
  it('reports a missing payable amount', () => {
    const r = readInvoiceXml(base.replace(/<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, ''));
    expect(errorsOf(r)).toEqual(['cac:LegalMonetaryTotal/cbc:PayableAmount missing (BT-115)']);
    if (!r.ok) expect(r.error).toEqual({ path: 'cac:LegalMonetaryTotal/cbc:PayableAmount', message: 'cac:LegalMonetaryTotal/cbc:PayableAmount missing (BT-115)' });
  });
  it('refuses decimal commas and thousands separators, per line', () => {
    const r = readInvoiceXml(base.replace('<cbc:LineExtensionAmount currencyID="EUR">-1500</cbc:LineExtensionAmount>', '<cbc:LineExtensionAmount currencyID="EUR">-1.500,00</cbc:LineExtensionAmount>').replace('<cbc:TaxInclusiveAmount currencyID="EUR">1656.25<', '<cbc:TaxInclusiveAmount currencyID="EUR">1,656.25<'));
    const errs = errorsOf(r);
    expect(errs).toHaveLength(2);
    expect(errs[0]).toBe(
      'cac:InvoiceLine[2]/cbc:LineExtensionAmount: "-1.500,00" is not a plain decimal: decimal commas and thousands separators are not allowed in UBL (write e.g. 1234.50)',
    );
    expect(errs[1]).toMatch(/^cac:LegalMonetaryTotal\/cbc:TaxInclusiveAmount: "1,656.25" is not a plain decimal/);
    if (!r.ok) expect(r.error.message).toMatch(/^2 problems: /);
  });
  it('explains other decimal problems', () => {
    expect(parseDecimalText(' 12.50 ')).toEqual({ value: '12.50' });
    expect(parseDecimalText('+5')).toEqual({ value: '5' });
    expect(parseDecimalText('.5')).toEqual({ value: '0.5' });
    expect(parseDecimalText('5.')).toEqual({ value: '5' });
    expect(parseDecimalText('1 234.50')).toMatchObject({ problem: expect.stringMatching(/thousands separators/) });
    expect(parseDecimalText('1.234.567')).toMatchObject({ problem: expect.stringMatching(/thousands separators/) });
    expect(parseDecimalText('1e5')).toEqual({ problem: '"1e5" is not a number' });
    expect(parseDecimalText('EUR 5')).toEqual({ problem: '"EUR 5" is not a number' });
  });
  it('reports missing parties, lines, dates and bad codes with their paths', () => {
    const noBuyer = base.replace(/<cac:AccountingCustomerParty>[\s\S]*<\/cac:AccountingCustomerParty>/, '');
    expect(errorsOf(readInvoiceXml(noBuyer))).toEqual(['cac:AccountingCustomerParty/cac:Party missing (buyer)']);
    const noLines = base.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '');
    expect(errorsOf(readInvoiceXml(noLines))).toEqual(['cac:InvoiceLine missing (at least one line, BR-16)']);
    const badDate = base.replace('<cbc:IssueDate>2017-11-13</cbc:IssueDate>', '<cbc:IssueDate>13/11/2017</cbc:IssueDate>');
    expect(errorsOf(readInvoiceXml(badDate))).toEqual(['cbc:IssueDate: "13/11/2017" is not a date in the form YYYY-MM-DD']);
    const badCat = base.replace('<cbc:ID>S</cbc:ID>\n                <cbc:Percent>25.0</cbc:Percent>', '<cbc:ID>X</cbc:ID>\n                <cbc:Percent>25.0</cbc:Percent>');
    expect(errorsOf(readInvoiceXml(badCat))[0]).toMatch(/^cac:AllowanceCharge\/cac:TaxCategory\/cbc:ID: "X" is not a UNCL5305 VAT category code/);
    const noName = base.replace(/<cac:PartyName>\s*<cbc:Name>SupplierTradingName Ltd.<\/cbc:Name>\s*<\/cac:PartyName>/, '').replace('<cbc:RegistrationName>SupplierOfficialName Ltd</cbc:RegistrationName>', '');
    expect(errorsOf(readInvoiceXml(noName))).toEqual(['cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName missing (seller name, BT-27)']);
  });
  it('refuses what is not XML, not an invoice, or not a plain model value', () => {
    expect(errorsOf(readInvoiceXml('<Invoice><cbc:ID>1</Invoice>'))[0]).toMatch(/^Not well-formed XML: .*\(line 1, column \d+\)\.$/);
    expect(errorsOf(readInvoiceXml('<?xml version="1.0"?><Order xmlns="urn:x"><ID>1</ID></Order>'))).toEqual(['The root element is <Order>, not an e-invoice (a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice).']);
    expect(errorsOf(readInvoiceXml(''))[0]).toMatch(/no root element|Not well-formed/);
    const badCurrency = base.replace('<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', '<cbc:DocumentCurrencyCode>EURO</cbc:DocumentCurrencyCode>');
    expect(errorsOf(readInvoiceXml(badCurrency))).toEqual(['currency: ISO 4217 currency code expected']);
  });
});

describe('readInvoiceXml — hostile input', () => {
  it('refuses a DOCTYPE, so entity-expansion bombs never expand', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:Note xmlns:cbc="urn:x">&lol3;</cbc:Note></Invoice>`;
    const t0 = performance.now();
    expect(errorsOf(readInvoiceXml(bomb))).toEqual([
      'The XML has a DOCTYPE declaration (line 2); e-invoices (UBL, CII) never have one, so it is refused: entities are never expanded or fetched.',
    ]);
    expect(performance.now() - t0).toBeLessThan(100);
    const external = '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><Invoice/>';
    expect(errorsOf(readInvoiceXml(external))[0]).toMatch(/DOCTYPE/);
  });
  it('refuses an undeclared entity instead of expanding it or keeping it as text', () => {
    const src = sampleText('vat-category-Z.xml').replace(/<cbc:ID>([^<]*)<\/cbc:ID>/, '<cbc:ID>A &nbsp; B</cbc:ID>');
    const r = readInvoiceXml(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.text).toEqual({ key: 'ubl_xml_entity', params: ['nbsp', String(src.slice(0, src.indexOf('&nbsp;')).split('\n').length)] });
  });
  it('refuses input above the size limit with a clear message', () => {
    const src = sampleText('base-example.xml');
    expect(errorsOf(readInvoiceXml(src, { maxBytes: 1024 }))).toEqual([`The XML is ${(src.length / 1024 / 1024).toFixed(1)} MB, more than the 0.0 MB limit for an invoice.`]);
    expect(DEFAULT_MAX_XML_BYTES).toBe(20 * 1024 * 1024);
    const huge = '<Invoice>' + ' '.repeat(DEFAULT_MAX_XML_BYTES) + '</Invoice>';
    expect(errorsOf(readInvoiceXml(huge))[0]).toMatch(/^The XML is 20\.0 MB, more than the 20\.0 MB limit/);
  });
  it('refuses absurd nesting without crashing', () => {
    const deep = '<Invoice>' + '<a>'.repeat(5000) + '</a>'.repeat(5000) + '</Invoice>';
    const r = readInvoiceXml(deep);
    expect(r.ok).toBe(false);
  });
});

describe('readInvoiceXml — never throws', () => {
  it('on random damage to a valid document (property-based)', async () => {
    const fc = (await import('fast-check')).default;
    const src = sampleText('Allowance-example.xml');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: src.length - 1 }), fc.integer({ min: 0, max: 200 }), fc.string({ maxLength: 20 }), (at, len, insert) => {
        const damaged = src.slice(0, at) + insert + src.slice(at + len);
        const r = readInvoiceXml(damaged);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
