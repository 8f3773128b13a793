import type { LocalizedText } from '../model/transfer';
import type { ReadIssue, ReadOptions, ReadResult } from './read-core';
import { fail } from './read-core';
import { readInvoiceXml } from './read';

/**
 * E-invoices that travel inside a PDF (Factur-X, ZUGFeRD, XRechnung hybrid, InvoicePlane's ZUGFeRD 1.0 PDFs): the XML
 * is an embedded file of the PDF. pdfjs-dist reads the PDF's EmbeddedFiles name tree; it is loaded only when a PDF
 * actually arrives (dynamic import, ~1 MB of code), and can be injected where the default build does not fit.
 */

/** The attachment names the standards give the invoice XML, lower-cased, in order of preference. */
export const EMBEDDED_INVOICE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'order-x.xml'] as const;

/** Refuse larger files before parsing (a Factur-X PDF is typically 50 KB–5 MB). */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** The part of pdfjs-dist used here. */
export interface PdfjsLike {
  getDocument(params: { data: Uint8Array; isEvalSupported?: boolean; verbosity?: number; stopAtErrors?: boolean }): {
    promise: Promise<{ getAttachments(): Promise<Record<string, { filename?: string; content?: Uint8Array }> | null>; destroy(): Promise<void> }>;
    destroy?(): Promise<void>;
  };
}

export interface PdfOptions {
  /** Loads pdfjs-dist; default: the legacy build, which runs on Node 20 and in extension pages. */
  loadPdfjs?: () => Promise<PdfjsLike>;
  maxBytes?: number;
}

export type EmbeddedXmlResult =
  | { ok: true; name: string; xml: string; attachments: string[] }
  | { ok: false; error: ReadIssue; attachments: string[] };

const defaultLoader = async (): Promise<PdfjsLike> => (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfjsLike;

const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);

function issue(message: string, text: LocalizedText): ReadIssue {
  return { path: '', message, text };
}

export function isPdf(bytes: Uint8Array): boolean {
  // The header may be preceded by junk (up to 1024 bytes, as readers tolerate).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/** Text of an XML file: BOM first, else the encoding its declaration names, else UTF-8. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An encoding TextDecoder does not know: read as UTF-8, the XML default.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** The e-invoice XML embedded in a PDF, with its attachment name, or why there is none. */
export async function extractEmbeddedXml(bytes: Uint8Array, options: PdfOptions = {}): Promise<EmbeddedXmlResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    return {
      ok: false,
      error: issue(`The file is ${mb(bytes.length)} MB, more than the ${mb(maxBytes)} MB limit for an invoice.`, { key: 'ubl_too_large', params: [mb(bytes.length), mb(maxBytes)] }),
      attachments: [],
    };
  }
  if (!isPdf(bytes)) return { ok: false, error: issue('This is not a PDF (no %PDF- header).', { key: 'ubl_not_pdf', params: [] }), attachments: [] };

  let attachments: Record<string, { filename?: string; content?: Uint8Array }> | null;
  try {
    const pdfjs = await (options.loadPdfjs ?? defaultLoader)();
    // pdfjs takes ownership of (transfers) the buffer it is given: hand it a copy so the caller's bytes stay usable.
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 });
    const doc = await task.promise;
    try {
      attachments = await doc.getAttachments();
    } finally {
      await doc.destroy();
    }
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'PasswordException') {
      return { ok: false, error: issue('The PDF is password-protected, so its e-invoice cannot be read.', { key: 'ubl_pdf_encrypted', params: [] }), attachments: [] };
    }
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: issue(`The PDF could not be read: ${why}`, { key: 'ubl_pdf_unreadable', params: [why] }), attachments: [] };
  }

  const files = Object.entries(attachments ?? {}).map(([key, a]) => ({ name: a.filename || key, content: a.content }));
  const names = files.map((f) => f.name);
  const byPreference = (f: { name: string }): number => {
    const i = EMBEDDED_INVOICE_NAMES.indexOf(f.name.toLowerCase() as (typeof EMBEDDED_INVOICE_NAMES)[number]);
    return i === -1 ? EMBEDDED_INVOICE_NAMES.length : i;
  };
  // The standard names first; then any other XML attachment whose root looks like an invoice (some tools rename it).
  const candidates = files.filter((f) => f.content && /\.xml$/i.test(f.name)).sort((a, b) => byPreference(a) - byPreference(b));
  for (const f of candidates) {
    const xml = decodeXmlBytes(f.content as Uint8Array);
    if (byPreference(f) < EMBEDDED_INVOICE_NAMES.length || /<(?:[\w.-]+:)?(?:Invoice|CreditNote|CrossIndustryInvoice|CrossIndustryDocument)[\s>]/.test(xml)) {
      return { ok: true, name: f.name, xml, attachments: names };
    }
  }
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
  const text = decodeXmlBytes(bytes);
  if (!/^\s*</.test(text)) {
    return {
      ...fail([issue('This file is neither XML nor PDF.', { key: 'ubl_not_einvoice_file', params: [] })], []),
      source: { name, type: 'xml' },
    };
  }
  return { ...readInvoiceXml(text, options), source: { name, type: 'xml' } };
}
