import { z } from 'zod';
import { documentKind, direction } from './invoice';
import { transportKind } from './dossier';

/** queued → sending → sent | failed (retried by itself) | needs-attention (waits for the user). */
export const transferState = z.enum(['queued', 'sending', 'sent', 'failed', 'needs-attention']);
export type TransferState = z.infer<typeof transferState>;

/** A message key with its parameters, so every reader sees it in its own language. */
export const localizedText = z.object({
  key: z.string().min(1),
  params: z.array(z.string()).default([]),
});
export type LocalizedText = z.infer<typeof localizedText>;

export const logEntry = z.object({
  at: z.string(), // ISO timestamp
  level: z.enum(['info', 'warn', 'error']),
  text: localizedText,
  /** The peer's own words, verbatim (e.g. Octopus's errorMessage), shown beside our text. */
  detail: z.string().max(2000).optional(),
});
export type LogEntry = z.infer<typeof logEntry>;

export const octopusReference = z.object({
  journal: z.string(),
  bookyear: z.number().int(),
  /** Bookyear description (e.g. "2026") for display. */
  bookyearLabel: z.string().optional(),
  documentSequenceNr: z.number().int(),
});
export type OctopusReference = z.infer<typeof octopusReference>;

/** The document's full total (tax included) as it has it: a signed decimal string (a credit note is negative). */
export const transferAmount = z.object({
  value: z.string().regex(/^-?\d+(\.\d+)?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type TransferAmount = z.infer<typeof transferAmount>;

/** One booking of the document in Octopus; a document sent again has several. */
export const transferBooking = z.object({ at: z.string(), reference: octopusReference });
export type TransferBooking = z.infer<typeof transferBooking>;

/** "V1/2026/42": journal, bookyear and number, the booking's place in Octopus (same text in rows, popup and log). */
export function formatReference(reference: OctopusReference): string {
  return `${reference.journal}/${reference.bookyearLabel ?? reference.bookyear}/${reference.documentSequenceNr}`;
}

/** "V1/2026/42", "v1 2026 / 42": one key for the same reference, however a person writes it. */
export function referenceKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s/]+/g, '/');
}

/** The keys a booking is found by: its reference as shown, and with the bookyear's id where its label differs. */
export function referenceKeysOf(reference: OctopusReference): string[] {
  const keys = [referenceKey(formatReference(reference)), referenceKey(`${reference.journal}/${reference.bookyear}/${reference.documentSequenceNr}`)];
  return [...new Set(keys)];
}

/** The document key: the site and the app's own document id, e.g. "127.0.0.1:5610/INV-7". */
export function documentKeyOf(site: string, documentId: string): string {
  return `${site}/${documentId}`;
}

export const transfer = z.object({
  id: z.string().min(1),
  /** Set once the document is routed to a dossier (by its seller or buyer, else the site's default). */
  dossierId: z.string().min(1).optional(),
  /** A dossier the user chose for this document (ad-hoc send from the popup): it goes there, whatever routing says. */
  pinnedDossierId: z.string().min(1).optional(),
  documentKey: z.string().min(1),
  /** The site the document lives on: its origin's host, e.g. "127.0.0.1:5610". */
  site: z.string().min(1),
  /** The page origin the worker fetches the document from, e.g. "http://127.0.0.1:5610". */
  origin: z.string().url(),
  /** The site adapter that knows the app, e.g. "factuurdemo". */
  adapter: z.string().min(1),
  documentId: z.string().min(1),
  documentNumber: z.string().optional(),
  kind: documentKind.optional(),
  direction: direction.optional(),
  counterparty: z.string().optional(),
  /** Display text kept by records made before `amount` existed ("1554.00 EUR"). */
  total: z.string().optional(),
  amount: transferAmount.optional(),
  transport: transportKind,
  state: transferState,
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.number().int().nonnegative().default(0),
  nextAttemptAt: z.string().optional(),
  octopusReference: octopusReference.optional(),
  /** Every booking made for this document, oldest first (octopusReference is the latest). */
  bookings: z.array(transferBooking).optional(),
  /** Every booking's reference, normalised (see referenceKey): indexed, so a search by reference reads no other row. */
  referenceKeys: z.array(z.string()).optional(),
  /** The last error, kept on the record so a row or the popup can show it at once. */
  lastError: z.object({ text: localizedText, detail: z.string().optional(), code: z.string().optional() }).optional(),
  log: z.array(logEntry).default([]),
  /** When it was last booked or mailed, and a fingerprint of the document as it went (changed after export). */
  sentAt: z.string().optional(),
  contentHash: z.string().optional(),
  /** The app's document changed after it went to Octopus: correct it there by a credit note. */
  changedAfterExport: z.object({ at: z.string(), contentHash: z.string().optional() }).optional(),
  /** Octopus's modified feed showed the booking (reconciliation), at this time. */
  confirmedAt: z.string().optional(),
});
export type Transfer = z.infer<typeof transfer>;
