import { translatorFor } from '../i18n';
import { LOCALES, type Locale } from '../i18n/translator';
import type { LedgerDb, UploadRow } from '../ledger/db';
import type { LocalizedText } from '../model/transfer';
import type { Dossier } from '../model/dossier';
import type { Party } from '../model/invoice';
import type { FetchedDocument, SiteFetcher } from '../sites/types';
import { DocumentFetchError } from '../sites/types';
import { readInvoiceXml } from '../ubl/read';
import { writeUbl } from '../ubl/write';
import { buildManualInvoice, ManualInvoiceError } from './manual';

/** The pseudo-site of files dropped in the popup: transfers of it have site "upload" and adapter "upload". */
export const UPLOAD_SITE = 'upload';

export interface UploadRequest {
  dossierId: string;
  fileName: string;
  lang: string;
  xml?: string | undefined;
  manual?: unknown;
  pdfBase64?: string | undefined;
}

export type PreparedUpload =
  | { ok: true; row: UploadRow; documentNumber: string }
  | { ok: false; error: { code: 'bad-request' | 'not-found'; message: string; text: LocalizedText } };

/** Is this party the dossier's own company (by enterprise or VAT number)? */
function isParty(dossier: Dossier, party: Party): boolean {
  const own = dossier.enterpriseNumber ?? dossier.vatNumber?.replace(/^BE/, '');
  if (!own) return false;
  return party.enterpriseNumber === own || party.vatId?.replace(/^BE/, '') === own;
}

async function contentId(parts: string[]): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000')));
  return Array.from(new Uint8Array(bytes).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks a dropped file (or the bare-PDF form) in the worker and turns it into the XML that will be sent. */
export async function prepareUpload(db: LedgerDb, request: UploadRequest, now: Date): Promise<PreparedUpload> {
  const dossier = await db.dossiers.get(request.dossierId);
  if (!dossier) return { ok: false, error: { code: 'not-found', message: 'dossier not found', text: { key: 'error_no_dossier', params: [] } } };
  let xml: string;
  let documentNumber: string;
  let direction: 'sales' | 'purchase';
  if (request.manual !== undefined) {
    const pdf = request.pdfBase64 ? { fileName: request.fileName, contentBase64: request.pdfBase64 } : undefined;
    try {
      const invoice = buildManualInvoice(request.manual, dossier, request.lang, pdf);
      xml = writeUbl(invoice);
      documentNumber = invoice.number;
      direction = invoice.direction;
    } catch (error) {
      if (error instanceof ManualInvoiceError) {
        return { ok: false, error: { code: 'bad-request', message: error.message, text: { key: error.key, params: error.params } } };
      }
      throw error;
    }
  } else if (request.xml) {
    const read = readInvoiceXml(request.xml);
    if (!read.ok) {
      // The reason in the user's language when the reader has one (a size cap, an entity, an encoding…).
      const locale: Locale = LOCALES.find((l) => l === request.lang) ?? 'en';
      const reason = read.error.text ? translatorFor(locale).t(read.error.text.key, read.error.text.params) : read.error.message;
      return { ok: false, error: { code: 'bad-request', message: read.error.message, text: { key: 'adhoc_unreadable', params: [request.fileName, reason] } } };
    }
    xml = request.xml;
    documentNumber = read.invoice.number;
    direction = isParty(dossier, read.invoice.buyer) && !isParty(dossier, read.invoice.seller) ? 'purchase' : 'sales';
  } else {
    return { ok: false, error: { code: 'bad-request', message: 'no file content', text: { key: 'adhoc_no_amounts', params: [] } } };
  }
  const id = await contentId([dossier.id, xml, request.manual === undefined ? (request.pdfBase64 ?? '') : '']);
  return {
    ok: true,
    documentNumber,
    row: {
      id,
      fileName: request.fileName,
      xml,
      ...(request.manual === undefined && request.pdfBase64 ? { pdfBase64: request.pdfBase64 } : {}),
      dossierId: dossier.id,
      direction,
      createdAt: now.toISOString(),
    },
  };
}

/** The worker side of the "upload" site: the document is the stored file, read like any app's UBL or CII. */
export function uploadFetcher(db: LedgerDb): SiteFetcher {
  return {
    id: UPLOAD_SITE,
    async fetchDocument(_origin, documentId): Promise<FetchedDocument> {
      const row = await db.uploads.get(documentId);
      if (!row) throw new DocumentFetchError('error_upload_missing', [documentId], 'upload not found', false);
      const read = readInvoiceXml(row.xml);
      if (!read.ok) throw new DocumentFetchError('adhoc_unreadable', [row.fileName, read.error.message], read.error.message, false);
      const invoice = { ...read.invoice, direction: row.direction };
      // A Factur-X/ZUGFeRD PDF is the visual original: it goes to Octopus with the booking, unless the XML embeds a PDF.
      const hasPdf = (invoice.attachments ?? []).some((a) => a.mimeType === 'application/pdf');
      const withPdf =
        row.pdfBase64 && !hasPdf
          ? { ...invoice, attachments: [...(invoice.attachments ?? []), { id: row.fileName, filename: row.fileName, mimeType: 'application/pdf', contentBase64: row.pdfBase64 }] }
          : invoice;
      return { invoice: withPdf, sourceXml: row.xml };
    },
  };
}
