import { InflateError, InflateLimitError, inflatedSize } from '../bounded/inflate';
import type { LocalizedText } from '../model/transfer';
import type { ReadIssue, ReadOptions, ReadResult } from './read-core';
import { DEFAULT_MAX_XML_BYTES, fail } from './read-core';
import { readInvoiceXml } from './read';
import { decodeXml } from './decode';
import { PdfDict, PdfName, PdfRef, PdfSyntaxError, pdfText, type PdfValue } from './pdf-lexer';
import { PdfObjects, UnsupportedFilterError, decodeStream } from './pdf-objects';

/**
 * E-invoices that travel inside a PDF (Factur-X, ZUGFeRD, XRechnung hybrid, InvoicePlane's ZUGFeRD 1.0 PDFs): the XML
 * is an embedded file of the PDF. Only that one file is inflated, with a cap on its size (./pdf-objects.ts says why
 * this does not go through pdfjs-dist); the other attachments are listed by name and never unpacked.
 */

/**
 * The attachment names the standards give the invoice XML, lower-cased, in order of preference. order-x.xml is not
 * here: an Order-X PDF carries an order, not an invoice.
 */
export const EMBEDDED_INVOICE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'] as const;

/** Refuse larger files before parsing (a Factur-X PDF is typically 50 KB–5 MB). */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** The invoice XML inside a PDF may not inflate beyond this (the same limit as an XML file; a real one is < 1 MB). */
export const DEFAULT_MAX_EMBEDDED_XML_BYTES = DEFAULT_MAX_XML_BYTES;

/** How much of a renamed .xml attachment is inflated to see whether its root is an invoice. */
const SNIFF_BYTES = 64 * 1024;
const MAX_SNIFFED = 8;

export interface PdfOptions {
  /** The largest file accepted (default DEFAULT_MAX_FILE_BYTES). */
  maxBytes?: number;
  /** The largest inflated invoice XML accepted (default DEFAULT_MAX_EMBEDDED_XML_BYTES). */
  maxXmlBytes?: number;
}

export type EmbeddedXmlResult =
  | { ok: true; name: string; xml: string; attachments: string[] }
  | { ok: false; error: ReadIssue; attachments: string[] };

const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);

function issue(message: string, text: LocalizedText): ReadIssue {
  return { path: '', message, text };
}

export { decodeXml, decodeXmlBytes, type DecodedXml } from './decode';

export function isPdf(bytes: Uint8Array): boolean {
  // The header may be preceded by junk (up to 1024 bytes, as readers tolerate).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

interface EmbeddedFile {
  name: string;
  relationship?: string;
  /** The embedded file stream (a reference). */
  file: PdfValue | undefined;
}

/** The PDF's embedded files, from the EmbeddedFiles name tree and the catalog's /AF list, without their contents. */
function embeddedFiles(pdf: PdfObjects): EmbeddedFile[] {
  const catalog = pdf.catalog();
  if (!catalog) throw new PdfSyntaxError('no document catalog');
  const files: EmbeddedFile[] = [];
  const seen = new Set<number>();
  const add = (key: string, spec: PdfValue | undefined): void => {
    const dict = pdf.resolve(spec);
    if (!(dict instanceof PdfDict)) return;
    const ef = pdf.resolve(dict.get('EF'));
    const file = ef instanceof PdfDict ? (ef.get('UF') ?? ef.get('F')) : undefined;
    if (file instanceof PdfRef) {
      if (seen.has(file.num)) return;
      seen.add(file.num);
    }
    const relationship = pdf.resolve(dict.get('AFRelationship'));
    files.push({
      name: pdfText(pdf.resolve(dict.get('UF'))) || pdfText(pdf.resolve(dict.get('F'))) || key,
      ...(relationship instanceof PdfName ? { relationship: relationship.name } : {}),
      file,
    });
  };
  const names = pdf.resolve(catalog.get('Names'));
  if (names instanceof PdfDict) pdf.walkNameTree(names.get('EmbeddedFiles'), add);
  const af = pdf.resolve(catalog.get('AF'));
  if (Array.isArray(af)) for (const spec of af.slice(0, 1000)) add('', spec);
  return files;
}

const INVOICE_ROOT = /<(?:[\w.-]+:)?(?:Invoice|CreditNote|CrossIndustryInvoice|CrossIndustryDocument)[\s>]/;

/** The e-invoice XML embedded in a PDF, with its attachment name, or why there is none. */
export async function extractEmbeddedXml(bytes: Uint8Array, options: PdfOptions = {}): Promise<EmbeddedXmlResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxXmlBytes = options.maxXmlBytes ?? DEFAULT_MAX_EMBEDDED_XML_BYTES;
  if (bytes.length > maxBytes) {
    return {
      ok: false,
      error: issue(`The file is ${mb(bytes.length)} MB, more than the ${mb(maxBytes)} MB limit for an invoice.`, { key: 'ubl_too_large', params: [mb(bytes.length), mb(maxBytes)] }),
      attachments: [],
    };
  }
  if (!isPdf(bytes)) return { ok: false, error: issue('This is not a PDF (no %PDF- header).', { key: 'ubl_not_pdf', params: [] }), attachments: [] };

  const unreadable = (why: string, attachments: string[] = []): EmbeddedXmlResult => ({
    ok: false,
    error: issue(`The PDF could not be read: ${why}`, { key: 'ubl_pdf_unreadable', params: [why] }),
    attachments,
  });
  let pdf: PdfObjects;
  let files: EmbeddedFile[];
  try {
    pdf = await PdfObjects.open(bytes);
    if (pdf.encrypted) return { ok: false, error: issue('The PDF is password-protected, so its e-invoice cannot be read.', { key: 'ubl_pdf_encrypted', params: [] }), attachments: [] };
    files = embeddedFiles(pdf);
  } catch (e) {
    return unreadable(e instanceof InflateLimitError ? 'its object streams are too large' : e instanceof Error ? e.message : String(e));
  }
  const names = files.map((f) => f.name);

  const preference = (f: EmbeddedFile): number => EMBEDDED_INVOICE_NAMES.indexOf(f.name.toLowerCase() as (typeof EMBEDDED_INVOICE_NAMES)[number]);
  let chosen = files
    .filter((f) => preference(f) >= 0)
    .sort((a, b) => preference(a) - preference(b))[0];
  // The file the PDF marks as the invoice's alternative representation (PDF/A-3), an XML one first.
  chosen ??= files.filter((f) => f.relationship === 'Alternative').sort((a, b) => Number(!/\.xml$/i.test(a.name)) - Number(!/\.xml$/i.test(b.name)))[0];
  if (!chosen) {
    // Some tools rename the invoice XML: look at the start of a few .xml attachments for an invoice root.
    for (const f of files.filter((x) => /\.xml$/i.test(x.name)).slice(0, MAX_SNIFFED)) {
      const stream = pdf.stream(f.file);
      if (!stream) continue;
      try {
        const head = await decodeStream(stream, SNIFF_BYTES, true);
        if (INVOICE_ROOT.test(new TextDecoder('utf-8').decode(head))) {
          chosen = f;
          break;
        }
      } catch {
        // An attachment that does not inflate is not the invoice.
      }
    }
  }
  if (!chosen) {
    const listed = names.length ? ` Its attachments: ${names.join(', ')}.` : ' It has no attachments.';
    return {
      ok: false,
      error: issue(`No e-invoice in this PDF: no factur-x.xml, ZUGFeRD-invoice.xml or xrechnung.xml is embedded.${listed}`, {
        key: 'ubl_pdf_no_einvoice',
        params: [names.length ? names.join(', ') : '—'],
      }),
      attachments: names,
    };
  }

  const stream = pdf.stream(chosen.file);
  if (!stream) return unreadable(`the embedded ${chosen.name} has no content`, names);
  let content: Uint8Array;
  try {
    content = await decodeStream(stream, maxXmlBytes);
  } catch (e) {
    if (e instanceof InflateLimitError) {
      return {
        ok: false,
        error: issue(`The embedded ${chosen.name} is larger than ${mb(maxXmlBytes)} MB once unpacked, too large for an invoice; it is refused.`, {
          key: 'ubl_pdf_xml_too_large',
          params: [chosen.name, mb(maxXmlBytes)],
        }),
        attachments: names,
      };
    }
    if (e instanceof UnsupportedFilterError || e instanceof InflateError) return unreadable(`the embedded ${chosen.name} cannot be unpacked (${e.message})`, names);
    throw e;
  }
  const decoded = decodeXml(content);
  if (!decoded.ok) return { ok: false, error: decoded.error, attachments: names };
  return { ok: true, name: chosen.name, xml: decoded.text, attachments: names };
}

/**
 * What all of a PDF's Flate streams inflate to together, at most: pdfjs-dist (which reads a bare PDF's text for the
 * ad-hoc form) inflates page contents and fonts whole, so a bomb there must be caught before it gets the file. Legit
 * invoices stay far below (their images are JPEG, not counted).
 */
export const DEFAULT_MAX_PDF_INFLATED_BYTES = 256 * 1024 * 1024;

/** Do the PDF's Flate streams together inflate to at most `maxBytes`? Counted, not kept; unreadable streams are skipped. */
export async function pdfInflatesWithin(bytes: Uint8Array, maxBytes = DEFAULT_MAX_PDF_INFLATED_BYTES): Promise<boolean> {
  let pdf: PdfObjects;
  try {
    pdf = await PdfObjects.open(bytes);
  } catch (e) {
    if (e instanceof PdfSyntaxError || e instanceof InflateLimitError) return false;
    throw e;
  }
  let left = maxBytes;
  for (const ref of pdf.streamRefs()) {
    const stream = pdf.stream(ref);
    const filter = stream?.dict.get('Filter');
    const flate = filter instanceof PdfName ? filter.name === 'FlateDecode' : Array.isArray(filter) && filter.length === 1 && filter[0] instanceof PdfName && filter[0].name === 'FlateDecode';
    if (!stream || !flate) continue;
    try {
      left -= await inflatedSize(stream.data, left);
    } catch (e) {
      if (e instanceof InflateLimitError) return false;
      // A stream that does not inflate: pdfjs will find it broken too, without allocating anything.
    }
  }
  return true;
}

export interface FileSource {
  name?: string;
  type: 'xml' | 'pdf';
  /** For a PDF: the name of the embedded XML that was read. */
  embeddedName?: string;
}

export type FileReadResult = ReadResult & { source: FileSource };

/**
 * Reads an invoice from a file's bytes, whatever it is: UBL or CII XML, or a PDF that embeds one. For the CLI and the
 * popup's drop zone. `name` is only used in messages and to report what was read.
 */
export async function readInvoiceFile(bytes: Uint8Array, name?: string, options: ReadOptions & PdfOptions = {}): Promise<FileReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    const error = issue(`The file is ${mb(bytes.length)} MB, more than the ${mb(maxBytes)} MB limit for an invoice.`, {
      key: 'ubl_too_large',
      params: [mb(bytes.length), mb(maxBytes)],
    });
    return { ...fail([error], []), source: { name, type: isPdf(bytes.subarray(0, 1024)) ? 'pdf' : 'xml' } };
  }
  if (isPdf(bytes)) {
    const embedded = await extractEmbeddedXml(bytes, options);
    if (!embedded.ok) return { ...fail([embedded.error], []), source: { name, type: 'pdf' } };
    const read = readInvoiceXml(embedded.xml, options);
    return { ...read, source: { name, type: 'pdf', embeddedName: embedded.name } };
  }
  const decoded = decodeXml(bytes);
  if (!decoded.ok) return { ...fail([decoded.error], []), source: { name, type: 'xml' } };
  const text = decoded.text;
  if (!/^\s*</.test(text)) {
    return {
      ...fail([issue('This file is neither XML nor PDF.', { key: 'ubl_not_einvoice_file', params: [] })], []),
      source: { name, type: 'xml' },
    };
  }
  return { ...readInvoiceXml(text, options), source: { name, type: 'xml' } };
}
