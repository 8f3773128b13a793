/**
 * E-invoices inside PDFs (lib/ubl/pdf.ts) with pdfjs-dist on Node: a real InvoicePlane 1.7 PDF (ZUGFeRD 1.0), a
 * Factur-X EN 16931 PDF/A-3 made by @e-invoice-eu/core around the demo site's PDF, a PDF with an unrelated
 * attachment (made with @cantoo/pdf-lib), a PDF without any, and things that are not PDFs at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { completeInvoice } from '../../lib/ubl/compute';
import { decodeXmlBytes, extractEmbeddedXml, isPdf, readInvoiceFile } from '../../lib/ubl/pdf';
import { writeUbl } from '../../lib/ubl/write';
import { renderInvoicePdf } from '../sandbox/demo-pdf';
import { generateFacturXPdf } from '../support/einvoice-eu';
import { belgianDraft } from '../support/fixtures';
import { REPO_ROOT } from '../support/samples';

const IP = join(REPO_ROOT, 'tests', 'fixtures', 'invoiceplane');
const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

async function pdfWithAttachment(name: string, content: string, mimeType: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  await doc.attach(new TextEncoder().encode(content), name, { mimeType, description: name });
  return doc.save({ useObjectStreams: false });
}

describe('extractEmbeddedXml', () => {
  it('finds ZUGFeRD-invoice.xml in an InvoicePlane 1.7 PDF, byte for byte the XML the app serves', async () => {
    const pdf = bytesOf(join(IP, 'Invoice_RE-2026-0002.pdf'));
    const r = await extractEmbeddedXml(pdf);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.name).toBe('ZUGFeRD-invoice.xml');
    expect(r.attachments).toEqual(['ZUGFeRD-invoice.xml']);
    expect(r.xml).toBe(readFileSync(join(IP, 'RE-2026-0002.zugferd.xml'), 'utf8'));
    // The caller's bytes are not consumed (pdfjs transfers the buffer it gets).
    expect(isPdf(pdf)).toBe(true);
  });

  it('finds factur-x.xml in a Factur-X PDF made by @e-invoice-eu/core, and it reads to the invoice it was made from', async () => {
    const inv = completeInvoice(belgianDraft());
    const pdf = await generateFacturXPdf(inv, renderInvoicePdf(inv));
    const r = await extractEmbeddedXml(pdf);
    expect(r.ok && r.name).toBe('factur-x.xml');
    const read = await readInvoiceFile(pdf, 'F2026-0042.pdf');
    expect(read.source).toEqual({ name: 'F2026-0042.pdf', type: 'pdf', embeddedName: 'factur-x.xml' });
    if (!read.ok) throw new Error(read.error.message);
    expect(read.format.syntax).toBe('cii');
    expect(read.invoice.number).toBe(inv.number);
    expect(read.invoice.totals).toEqual(inv.totals);
    expect(read.invoice.lines.map((l) => l.netAmount)).toEqual(inv.lines.map((l) => l.netAmount));
  });

  it('says there is no e-invoice, naming the attachments it did find', async () => {
    const plain = renderInvoicePdf(completeInvoice(belgianDraft()));
    const none = await extractEmbeddedXml(plain);
    expect(none).toEqual({
      ok: false,
      error: {
        path: '',
        message: 'No e-invoice in this PDF: no factur-x.xml, ZUGFeRD-invoice.xml or xrechnung.xml is embedded. It has no attachments.',
        text: { key: 'ubl_pdf_no_einvoice', params: ['—'] },
      },
      attachments: [],
    });
    const other = await pdfWithAttachment('terms.txt', 'Algemene voorwaarden', 'text/plain');
    const r = await extractEmbeddedXml(other);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/No e-invoice in this PDF.*Its attachments: terms\.txt\./);
  });

  it('takes a renamed invoice XML when its root is an invoice, but not any XML', async () => {
    const ubl = writeUbl(completeInvoice(belgianDraft()));
    const renamed = await extractEmbeddedXml(await pdfWithAttachment('invoice-F2026-0042.xml', ubl, 'text/xml'));
    expect(renamed.ok && renamed.name).toBe('invoice-F2026-0042.xml');
    const unrelated = await extractEmbeddedXml(await pdfWithAttachment('metadata.xml', '<?xml version="1.0"?><meta><a>1</a></meta>', 'text/xml'));
    expect(unrelated.ok).toBe(false);
  });

  it('refuses what is not a PDF, a broken PDF and an oversized file, each with its own message', async () => {
    const notPdf = await extractEmbeddedXml(new TextEncoder().encode('hello'));
    expect(!notPdf.ok && notPdf.error.text?.key).toBe('ubl_not_pdf');
    const broken = await extractEmbeddedXml(bytesOf(join(IP, 'Invoice_RE-2026-0002.pdf')).slice(0, 2000));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.message).toMatch(/^(The PDF could not be read: .+|No e-invoice in this PDF.*)$/);
    const big = new Uint8Array(26 * 1024 * 1024);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const t0 = performance.now();
    const tooBig = await extractEmbeddedXml(big);
    expect(!tooBig.ok && tooBig.error.message).toBe('The file is 26.0 MB, more than the 25.0 MB limit for an invoice.');
    expect(performance.now() - t0).toBeLessThan(5_000); // refused before parsing, not after
  });
});

describe('readInvoiceFile', () => {
  it('reads UBL, CII and PDF alike', async () => {
    const ubl = await readInvoiceFile(new TextEncoder().encode(writeUbl(completeInvoice(belgianDraft()))), 'a.xml');
    expect(ubl.ok && [ubl.source.type, ubl.format.syntax]).toEqual(['xml', 'peppol-bis3']);
    const cii = await readInvoiceFile(bytesOf(join(IP, 'RE-2026-0001.zugferd.xml')));
    expect(cii.ok && [cii.source.type, cii.format.syntax]).toEqual(['xml', 'zugferd-1']);
    const pdf = await readInvoiceFile(bytesOf(join(IP, 'Invoice_RE-2026-0002.pdf')));
    expect(pdf.ok && [pdf.source.type, pdf.format.syntax, pdf.invoice.number]).toEqual(['pdf', 'zugferd-1', 'RE-2026-0002']);
  });

  it('decodes a BOM, UTF-16 and a declared ISO-8859-1 encoding', () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Liège €</a>';
    const latin1 = Uint8Array.from(Array.from(xml.replace('€', ''), (c) => c.charCodeAt(0)));
    expect(decodeXmlBytes(latin1)).toBe(xml.replace('€', ''));
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('<a>é</a>').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeXmlBytes(utf16)).toBe('<a>é</a>');
    expect(decodeXmlBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a>€</a>')]))).toBe('<a>€</a>');
  });

  it('refuses a file that is neither XML nor PDF', async () => {
    const r = await readInvoiceFile(new TextEncoder().encode('Factuur 42, totaal 1.234,56 EUR'), 'factuur.txt');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ path: '', message: 'This file is neither XML nor PDF.', text: { key: 'ubl_not_einvoice_file', params: [] } });
  });
});
