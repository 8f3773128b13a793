import type { Direction, Invoice } from '../model/invoice';
import { writeUbl } from '../ubl/write';
import { base64Decode } from './bytes';
import { mailDedupKey, messageIdFor, sendKey } from './dedup';
import { buildMime, estimateMimeSize, type MimeAttachment, type MimeMessage } from './mime';
import { RelayError, type OutgoingMail } from './relay';

/**
 * The mail that carries one invoice to a dossier's Octopus mailbox: the UBL (as the app gave it, else
 * written from the model) and, beside it, each PDF the UBL embeds, so the Document Import Viewer
 * shows the PDF even where it does not unpack the UBL.
 */

export interface InvoiceMailInput {
  dossierId: string;
  direction: Direction;
  invoice: Invoice;
  /** The app's own XML: sent as is when it is UBL; when absent or CII, the model is written as Peppol BIS 3.0. */
  sourceXml?: string;
  to: string;
  from: { address: string; name?: string };
  /** Kept from the first attempt, so a retry builds the same bytes. */
  date: Date;
  /** 0, then 1, 2 … for each explicit "send again". */
  generation: number;
}

export interface InvoiceMail extends OutgoingMail {
  size: number;
  attachments: { filename: string; contentType: string; size: number }[];
}

/** A file name from a document number: no path separators or characters Windows refuses. */
export function safeFilename(value: string, extension: string): string {
  const base = value.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '_').replace(/^\.+/, '').trim().slice(0, 120) || 'document';
  return `${base}.${extension}`;
}

/** A UBL Invoice or CreditNote root (UBL 2.x namespaces), as opposed to a CII or anything else an app offers. */
const UBL_ROOT = /^(?:\s|<\?[^>]*\?>|<!--[\s\S]*?-->)*<(?:[\w.-]+:)?(?:Invoice|CreditNote)\b[^>]*\burn:oasis:names:specification:ubl:schema:xsd:(?:Invoice|CreditNote)-2\b/;

/** Is this the app's own UBL (sent as it is), rather than a CII or Factur-X source? */
export function isUblSource(sourceXml: string | undefined): sourceXml is string {
  return sourceXml !== undefined && UBL_ROOT.test(sourceXml.slice(0, 4096));
}

/**
 * The UBL the mailbox gets: the app's own when it is UBL, else (no source, or a CII / Factur-X / ZUGFeRD source,
 * which Octopus's mailbox does not read) the Peppol BIS 3.0 UBL written from the model.
 */
export function ublBytesOf(invoice: Invoice, sourceXml: string | undefined): Uint8Array {
  return new TextEncoder().encode(isUblSource(sourceXml) ? sourceXml : writeUbl(invoice));
}

export function invoiceAttachments(invoice: Invoice, ubl: Uint8Array): MimeAttachment[] {
  const files: MimeAttachment[] = [{ filename: safeFilename(invoice.number, 'xml'), contentType: 'application/xml', content: ubl }];
  for (const a of invoice.attachments) {
    if (a.mimeType.toLowerCase() !== 'application/pdf') continue;
    const name = /\.pdf$/i.test(a.filename) ? a.filename.replace(/\.pdf$/i, '') : a.filename;
    files.push({ filename: safeFilename(name, 'pdf'), contentType: 'application/pdf', content: base64Decode(a.contentBase64) });
  }
  return files;
}

export function invoiceSubject(invoice: Invoice): string {
  const kind = invoice.kind === 'credit-note' ? 'Credit note' : 'Invoice';
  const party = invoice.direction === 'purchase' ? invoice.seller.name : invoice.buyer.name;
  return `${kind} ${invoice.number} ${invoice.direction === 'purchase' ? 'from' : 'to'} ${party}`;
}

/** The mail's text: the document in one line, and what is attached (the mailbox's reader sees the files, a person the text). */
export function invoiceText(invoice: Invoice, attachments: readonly Pick<MimeAttachment, 'filename' | 'contentType'>[] = [], ublFromSource = false): string {
  const described = attachments.map((a) =>
    a.contentType === 'application/xml'
      ? `- ${a.filename}: the invoice as UBL (${ublFromSource ? "the invoicing app's own file" : 'Peppol BIS 3.0, written by octobridge from the document'}), for the Octopus Document Import Viewer`
      : `- ${a.filename}: the document as PDF`,
  );
  return [
    `${invoiceSubject(invoice)}`,
    `Issued ${invoice.issueDate}${invoice.dueDate ? `, due ${invoice.dueDate}` : ''}; payable ${invoice.totals.payable} ${invoice.currency}.`,
    `Seller: ${invoice.seller.name}. Buyer: ${invoice.buyer.name}.`,
    '',
    ...(described.length > 0 ? ['Attached:', ...described] : []),
    '',
    'Sent by octobridge.',
    '',
  ].join('\n');
}

export async function composeInvoiceMail(input: InvoiceMailInput, maxBytes?: number): Promise<InvoiceMail> {
  const ubl = ublBytesOf(input.invoice, input.sourceXml);
  const attachments = invoiceAttachments(input.invoice, ubl);
  const text = invoiceText(input.invoice, attachments, isUblSource(input.sourceXml));
  // Said before the message is built: the estimate is never below the real size.
  const estimate = estimateMimeSize(new TextEncoder().encode(text).length, attachments.map((a) => a.content.length));
  if (maxBytes !== undefined && estimate > maxBytes) {
    throw new RelayError(`the message would be about ${estimate} bytes, over the limit of ${maxBytes}`, 'too-large', { limit: maxBytes });
  }
  const dedupKey = await mailDedupKey(input.dossierId, input.direction, ubl);
  const messageId = messageIdFor(dedupKey, input.generation, input.from.address);
  // One object feeds the MIME builder and is handed on as is, so a transport that cannot take MIME
  // (Graph's draft path) sends exactly what the bytes say.
  const message: MimeMessage = {
    from: input.from,
    to: [input.to],
    subject: invoiceSubject(input.invoice),
    text,
    date: input.date,
    messageId,
    attachments,
  };
  const raw = buildMime(message);
  return {
    dedupKey: sendKey(dedupKey, input.generation),
    messageId,
    envelopeFrom: input.from.address,
    to: [input.to],
    raw,
    message,
    size: raw.length,
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })),
  };
}
