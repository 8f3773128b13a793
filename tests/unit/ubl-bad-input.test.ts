/**
 * Bad input, UBL and CII alike: each case must give a clear error that names the problem and where (line/column or
 * path), quickly, and never throw or hang.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { translatorFor } from '../../lib/i18n';
import type { Locale } from '../../lib/i18n/translator';
import type { LocalizedText } from '../../lib/model/transfer';
import { completeInvoice } from '../../lib/ubl/compute';
import { readInvoiceFile } from '../../lib/ubl/pdf';
import { readInvoiceXml } from '../../lib/ubl/read';
import type { ReadResult } from '../../lib/ubl/read';
import { writeUbl } from '../../lib/ubl/write';
import { belgianDraft } from '../support/fixtures';
import { REPO_ROOT, sampleText } from '../support/samples';

const ubl = writeUbl(completeInvoice(belgianDraft()));
const cii = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'cii', 'factur-x-en16931-invoice.xml'), 'utf8');

/** A read error as the user sees it. */
const say = (locale: Locale, text: LocalizedText | undefined): string => (text ? translatorFor(locale).t(text.key, text.params) : '');

function errors(r: ReadResult): string[] {
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map((e) => e.message);
}

/** Runs `read` and returns its result and how long it took. */
function timed<T>(read: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = read();
  return { result, ms: performance.now() - t0 };
}

describe('malformed XML', () => {
  it('names the line and column', () => {
    const broken = ubl.replace('<cbc:IssueDate>2026-03-15</cbc:IssueDate>', '<cbc:IssueDate>2026-03-15</cbc:IssueDat>');
    const line = ubl.slice(0, ubl.indexOf('<cbc:IssueDate>')).split('\n').length;
    const [message] = errors(readInvoiceXml(broken));
    expect(message).toMatch(new RegExp(`^Not well-formed XML: .*IssueDat.* \\(line ${line}, column \\d+\\)\\.$`));
    const r = readInvoiceXml(broken);
    expect(!r.ok && r.error.text?.key).toBe('ubl_not_well_formed');
  });
  it('a truncated file, an unclosed CII, text that is not XML, an empty file', () => {
    expect(errors(readInvoiceXml(ubl.slice(0, ubl.length / 2)))[0]).toMatch(/^Not well-formed XML: .*\(line \d+, column \d+\)\.$/);
    expect(errors(readInvoiceXml(cii.replace('</x:CrossIndustryInvoice>', '')))[0]).toMatch(/^Not well-formed XML: .*CrossIndustryInvoice.*\(line \d+, column \d+\)\.$/);
    expect(errors(readInvoiceXml('Factuur 42: 1.234,56 EUR'))[0]).toMatch(/^(Not well-formed XML|The XML has no root element)/);
    expect(errors(readInvoiceXml(''))[0]).toMatch(/^(Not well-formed XML|The XML has no root element)/);
  });
});

describe('wrong root element', () => {
  it('says what it is and what was expected', () => {
    const order = ubl.replace(/<Invoice /, '<Order ').replace(/<\/Invoice>/, '</Order>');
    expect(errors(readInvoiceXml(order))).toEqual(['The root element is <Order>, not an e-invoice (a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice).']);
    expect(errors(readInvoiceXml('<html><body>Invoice</body></html>'))[0]).toMatch(/^The root element is <html>/);
  });
});

describe('missing mandatory fields', () => {
  it('UBL: each missing field by its path, all of them at once', () => {
    const stripped = ubl
      .replace(/<cbc:ID>F2026-0042<\/cbc:ID>/, '')
      .replace(/<cbc:DocumentCurrencyCode>EUR<\/cbc:DocumentCurrencyCode>/, '')
      .replace(/<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, '');
    expect(errors(readInvoiceXml(stripped))).toEqual([
      'cbc:DocumentCurrencyCode missing (BT-5)',
      'cbc:ID missing (invoice number, BT-1)',
      'cac:LegalMonetaryTotal/cbc:PayableAmount missing (BT-115)',
    ]);
  });
  it('CII: the line net amount and the buyer', () => {
    const noLineTotal = cii.replace('<a:LineTotalAmount>90.00</a:LineTotalAmount>', '');
    expect(errors(readInvoiceXml(noLineTotal))).toEqual([
      'rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount missing (line net amount, BT-131)',
    ]);
    const noBuyerName = cii.replace('<a:Name>Brasserie L’Étoile &amp; Fils SRL</a:Name>', '');
    expect(errors(readInvoiceXml(noBuyerName))).toEqual(['rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name missing (buyer name, BT-44)']);
  });
});

describe('amounts with thousands separators or decimal commas', () => {
  const amounts = ['1.234,56', '1,234.56', '1 234,56', "1'234.56", '12,50'];
  it.each(amounts)('UBL PayableAmount "%s" is refused, naming the element and the rule', (amount) => {
    const xml = ubl.replace(/(<cbc:PayableAmount currencyID="EUR">)[^<]*/, `$1${amount}`);
    const [message] = errors(readInvoiceXml(xml));
    expect(message).toMatch(new RegExp(`^cac:LegalMonetaryTotal/cbc:PayableAmount: "${amount.replace(/[.]/g, '\\.')}" is not a plain decimal: .*(write e\\.g\\. 1234\\.50)`));
  });
  it('CII quantities and prices too, and "12.50 EUR" is not a number', () => {
    expect(errors(readInvoiceXml(cii.replace('<a:BilledQuantity unitCode="HUR">1.5<', '<a:BilledQuantity unitCode="HUR">1,5<')))).toEqual([
      'rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity: "1,5" is not a plain decimal: decimal commas and thousands separators are not allowed in UBL (write e.g. 1234.50)',
    ]);
    expect(errors(readInvoiceXml(cii.replace('<a:ChargeAmount>65.00<', '<a:ChargeAmount>65.00 EUR<')))[0]).toMatch(/ram:NetPriceProductTradePrice\/ram:ChargeAmount: "65\.00 EUR" is not a number$/);
  });
});

describe('hostile XML', () => {
  const bomb = `<?xml version="1.0"?>
<!DOCTYPE Invoice [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
${ubl.replace(/^<\?xml[^>]*>\n/, '').replace('<cbc:DocumentCurrencyCode>', '<cbc:Note>&g;</cbc:Note><cbc:DocumentCurrencyCode>')}`;

  it('a billion-laughs entity bomb is refused at once, with the line of its DOCTYPE', () => {
    const { result, ms } = timed(() => readInvoiceXml(bomb));
    expect(errors(result)).toEqual([
      'The XML has a DOCTYPE declaration (line 2); e-invoices (UBL, CII) never have one, so it is refused: entities are never expanded or fetched.',
    ]);
    expect(ms).toBeLessThan(1_000); // a guard against expansion (billions of characters), not a benchmark
  });

  it('an external entity (XXE) is refused and the file it names is never read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'octobridge-xxe-'));
    try {
      const secret = join(dir, 'secret.txt');
      writeFileSync(secret, 'TOP-SECRET-42');
      for (const xxe of [
        `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file://${secret}">]>${ubl.replace(/^<\?xml[^>]*>\n/, '').replace('<cbc:DocumentCurrencyCode>', '<cbc:Note>&x;</cbc:Note><cbc:DocumentCurrencyCode>')}`,
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file://${secret}"> %p;]><rsm:CrossIndustryInvoice xmlns:rsm="urn:x"/>`,
        `<?xml version="1.0"?>\n\n<!doctype Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">${ubl.replace(/^<\?xml[^>]*>\n/, '')}`,
      ]) {
        const r = readInvoiceXml(xxe);
        expect(errors(r)[0]).toMatch(/^The XML has a DOCTYPE declaration \(line \d\); e-invoices .* refused/);
        expect(JSON.stringify(r)).not.toContain('TOP-SECRET-42');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an undeclared entity reference without a DOCTYPE is refused, in the user\'s language; CDATA and comments may hold "&"', () => {
    const r = readInvoiceXml(ubl.replace('<cbc:DocumentCurrencyCode>', '<cbc:Note>a &xxe; b</cbc:Note><cbc:DocumentCurrencyCode>'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.text?.key).toBe('ubl_xml_entity');
    expect(r.error.text?.params[0]).toBe('xxe');
    expect(say('nl', r.error.text)).toMatch(/^De XML gebruikt de entiteit &xxe; \(regel \d+\), die niet gedeclareerd is/);
    expect(say('fr', r.error.text)).toMatch(/^Le XML utilise l’entité &xxe; \(ligne \d+\)/);
    const bare = readInvoiceXml(ubl.replace('<cbc:DocumentCurrencyCode>', '<cbc:Note>Smith & Co</cbc:Note><cbc:DocumentCurrencyCode>'));
    expect(!bare.ok && bare.error.text?.key).toBe('ubl_xml_entity');
    const fine = readInvoiceXml(ubl.replace('<cbc:DocumentCurrencyCode>', '<!-- A & B --><cbc:Note><![CDATA[Smith & Co &nbsp;]]> &amp; &#233;&#xE9;</cbc:Note><cbc:DocumentCurrencyCode>'));
    expect(fine.ok && fine.invoice.note).toBe('Smith & Co &nbsp;& éé'); // the CDATA's text is kept as is, never decoded
  });

  it('a 50 MB file is refused before parsing, as text and as bytes, with its size and the limit', async () => {
    const padding = `<cbc:Note>${'x'.repeat(50 * 1024 * 1024)}</cbc:Note>`;
    const huge = ubl.replace('<cbc:DocumentCurrencyCode>', `${padding}<cbc:DocumentCurrencyCode>`);
    expect(huge.length).toBeGreaterThan(50 * 1024 * 1024);
    const { result, ms } = timed(() => readInvoiceXml(huge));
    expect(errors(result)).toEqual(['The XML is 50.0 MB, more than the 20.0 MB limit for an invoice.']);
    expect(ms).toBeLessThan(2_000);
    const bytes = new TextEncoder().encode(huge);
    const file = await readInvoiceFile(bytes, 'huge.xml');
    expect(file.ok).toBe(false);
    if (!file.ok) expect(file.error).toEqual({ path: '', message: 'The file is 50.0 MB, more than the 25.0 MB limit for an invoice.', text: { key: 'ubl_too_large', params: ['50.0', '25.0'] } });
  });

  it('deep nesting and many lines do not crash', () => {
    const deep = ubl.replace('<cbc:DocumentCurrencyCode>', `${'<cbc:X>'.repeat(20_000)}${'</cbc:X>'.repeat(20_000)}<cbc:DocumentCurrencyCode>`);
    const r = readInvoiceXml(deep);
    expect(typeof r.ok).toBe('boolean');
    const official = sampleText('base-example.xml');
    expect(readInvoiceXml(official).ok).toBe(true);
  });
});
