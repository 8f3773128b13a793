import { z } from 'zod';
import { localizedText, octopusReference, transferState } from '../model/transfer';
import { mailPageRequests } from '../mail/page-requests';

/**
 * Every message between the extension's parts, as zod schemas. Each receiver parses what it gets;
 * a message that does not parse changes nothing and gets a `bad-request` answer.
 *
 * Two audiences:
 * - content scripts (untrusted: they run inside third-party pages) may only ask narrow things
 *   about documents of the page they are on; the worker derives the site from the sender, never
 *   from the message, and answers without secrets;
 * - extension pages (popup, options) may manage settings and credentials.
 */

/** An app's document id as it appears in its URLs: short, no separators that could smuggle paths. */
export const documentId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._~-]+$/, 'invalid document id');

/** A column of a taught table: the index of the app's cell in its row (tables wider than this are not taught). */
const teachColumn = z.number().int().min(0).max(199);
/**
 * What teach mode keeps for a site (lib/sites/generic.ts TeachMapping), strictly: a content script can only hand over
 * five column numbers, the table's header texts and when; no other field, nothing large.
 */
export const teachMapping = z
  .object({
    /** Header texts joined with "|" (lib/sites/generic.ts headerSignature). */
    headerSignature: z
      .string()
      .max(4000)
      .refine((s) => s.split('|').length <= 200 && s.split('|').every((h) => h.length <= 200), 'at most 200 headers of 200 characters'),
    columns: z.object({ number: teachColumn, issueDate: teachColumn, counterparty: teachColumn, total: teachColumn, download: teachColumn }).strict(),
    taughtAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type TeachMappingInput = z.infer<typeof teachMapping>;

export const contentRequest = z.discriminatedUnion('type', [
  /**
   * Strict: a page never sends a document again by itself (no `force`); that is `document.resend`, confirmed in the
   * extension's own page.
   */
  z.strictObject({
    type: z.literal('documents.send'),
    documents: z
      .array(z.object({ id: documentId, number: z.string().max(100).optional() }))
      .min(1)
      .max(1000),
    /** The adapter the page recognised; the worker accepts it only where the site's mapping or the adapter's patterns allow. */
    adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  }),
  /**
   * "Send again" of one document of the page's site that was sent: the worker answers a token for the confirmation
   * page (lib/extension/resend.ts); nothing is queued until the user confirms there.
   */
  z.strictObject({ type: z.literal('document.resend'), documentId, adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional() }),
  z.object({
    type: z.literal('documents.status'),
    documentIds: z.array(documentId).max(5000),
    adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  }),
  /**
   * A site selector that stopped matching, reported once per page for the extension's log. The origin is the
   * sender's, never part of the message; `what` is a selector name (listTable, listRow…) or "error: …".
   */
  z.object({
    type: z.literal('site.problem'),
    adapter: z.string().regex(/^[a-z0-9-]{1,40}$/),
    what: z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'control characters'),
    path: z.string().max(200).regex(/^(\/[^\u0000-\u001f\u007f\s]*)?$/, 'a URL path expected'),
  }),
  /**
   * Teach mode: the taught table of the sender's host, read and written by the worker only. Strict, so a
   * message that names a host (or anything else) is refused rather than quietly stripped.
   */
  z.strictObject({ type: z.literal('teach.load') }),
  z.strictObject({ type: z.literal('teach.save'), mapping: teachMapping }),
]);
export type ContentRequest = z.infer<typeof contentRequest>;

/**
 * What a content script may learn of a transfer: state, reference and the error's translated reason, nothing
 * else. The technical detail (a peer's own words) stays with the extension's pages: the page's DOM is the site's.
 */
export const documentStatus = z.object({
  documentId: documentId,
  state: transferState,
  updatedAt: z.string(),
  reference: octopusReference.optional(),
  error: z.strictObject({ text: localizedText }).optional(),
  /** The error text already translated by the worker in the browser's language. */
  message: z.string().optional(),
  /** When a failed document is tried again by itself (the row offers "Retry now" and says when). */
  nextAttemptAt: z.string().max(40).optional(),
  /**
   * Octopus's own errorMessage (user-facing text, never its technicalInfo), shown marked as Octopus's in the overlay's
   * closed root only; the page's DOM keeps the translated reason.
   */
  octopusText: z.string().max(300).optional(),
});
export type DocumentStatus = z.infer<typeof documentStatus>;

export const sendOutcome = z.enum(['queued', 'already-sent', 'already-queued']);

export const contentResponse = {
  'documents.send': z.object({
    ok: z.literal(true),
    results: z.array(z.object({ documentId: documentId, outcome: sendOutcome })),
  }),
  'documents.status': z.object({ ok: z.literal(true), statuses: z.array(documentStatus) }),
  'teach.load': z.object({ ok: z.literal(true), mapping: teachMapping.optional() }),
  'teach.save': z.object({ ok: z.literal(true) }),
  'document.resend': z.object({ ok: z.literal(true), token: z.string().regex(/^[0-9a-f]{32}$/) }),
} as const;

/** A confirmation of lib/extension/resend.ts, as its page holds it. */
export const resendToken = z.string().regex(/^[0-9a-f]{32}$/, 'invalid confirmation');
/** The confirmation page (entrypoints/confirm): the worker accepts these from the extension's own pages only. */
export const resendPageRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('resend.details'), token: resendToken }),
  z.strictObject({ type: z.literal('resend.confirm'), token: resendToken }),
  z.strictObject({ type: z.literal('resend.cancel'), token: resendToken }),
]);
export type ResendPageRequest = z.infer<typeof resendPageRequest>;

export const errorResponse = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.enum(['bad-request', 'forbidden', 'not-found', 'failed']),
    /** English, for logs. */
    message: z.string(),
    /** The same in the reader's language, when there is a catalog message for it. */
    text: localizedText.optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

/** Pushed by the worker over a content script's `status` port when a document of its page changes. */
export const statusPush = z.object({ type: z.literal('status.changed'), statuses: z.array(documentStatus) });
export type StatusPush = z.infer<typeof statusPush>;
export const STATUS_PORT = 'octobridge-status';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'http(s) URL expected');

export const connectionInput = z.object({
  label: z.string().trim().min(1).max(200),
  baseUrl: httpUrl,
  softwareHouseUuid: z.string().trim().min(1).max(100),
  user: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500),
});
export type ConnectionInput = z.infer<typeof connectionInput>;

const journalKey = z.string().trim().min(1).max(10);
/** What the options page may change of a dossier (its Octopus identity and connection stay). */
export const dossierChanges = z.object({
  journals: z.object({ sales: journalKey, salesCreditNotes: journalKey.optional(), purchases: journalKey }).optional(),
  defaultAccounts: z
    .object({
      sales: z.string().trim().regex(/^\d{1,10}$/, 'account_not_numeric'),
      purchases: z.string().trim().regex(/^\d{1,10}$/, 'account_not_numeric'),
    })
    .optional(),
  /** "S:21" or "sales:S:21" → the dossier's VAT code. */
  vatCodeOverrides: z.record(z.string().regex(/^((sales|purchases):)?[A-Z]{1,2}(:\d+(\.\d+)?)?$/), z.string().trim().min(1).max(10)).optional(),
  /** The user's answer where VAT codes' `type` and D prefix disagree on their side. */
  vatSideReading: z.enum(['type', 'prefix']).optional(),
  /** The bank accounts whose CODA statements go to this dossier, each with its financial journal (replaces the list). */
  codaAccounts: z.array(z.object({ iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/), journal: journalKey })).max(100).optional(),
});
export type DossierChanges = z.infer<typeof dossierChanges>;

export const pageRequest = z.discriminatedUnion('type', [
  /** Saves the connection and checks it by listing its dossiers. */
  z.object({ type: z.literal('connection.save'), connection: connectionInput }),
  z.object({ type: z.literal('connection.dossiers'), connectionId: z.string().min(1) }),
  z.object({ type: z.literal('connection.delete'), connectionId: z.string().min(1) }),
  z.object({
    type: z.literal('dossier.use'),
    connectionId: z.string().min(1),
    octopusDossierId: z.number().int().positive(),
    name: z.string().min(1).max(200),
    vatNumber: z.string().max(30).optional(),
    makeDefault: z.boolean().default(true),
  }),
  z.object({ type: z.literal('dossier.remove'), dossierId: z.string().min(1) }),
  /**
   * Reads the dossier's bookyears and journals afresh, and its accounts and VAT codes when not kept yet or when
   * `refresh` (each costs 1 of Octopus's 2 reads a day).
   */
  z.object({ type: z.literal('dossier.import'), dossierId: z.string().min(1), refresh: z.boolean().optional() }),
  /** Today's Octopus calls of a dossier per endpoint, against the daily limits. */
  z.object({ type: z.literal('octopus.budget.get'), dossierId: z.string().min(1) }),
  /** Changes a daily limit (when Octopus states other numbers); null goes back to the default. */
  z.object({
    type: z.literal('octopus.budget.setLimit'),
    endpoint: z.enum(['dossiers', 'bookyears', 'journals', 'accounts', 'accounts-modified', 'vatcodes', 'relations', 'relations-search', 'booking', 'modified', 'coda']),
    limit: z.number().int().min(0).max(100_000).nullable().optional(),
    reserve: z.number().int().min(0).max(100_000).nullable().optional(),
  }),
  z.object({ type: z.literal('dossier.update'), dossierId: z.string().min(1), changes: dossierChanges }),
  /** A file a freelancer dropped in the popup: its e-invoice XML, or the short form of a bare PDF, and the PDF. */
  z.object({
    type: z.literal('upload.send'),
    dossierId: z.string().min(1),
    fileName: z.string().min(1).max(200),
    lang: z.string().max(20).default('en'),
    xml: z.string().max(20 * 1024 * 1024).optional(),
    manual: z.unknown().optional(),
    pdfBase64: z.string().max(28 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/).optional(),
  }),
  /** CODA bank statements dropped in the popup: the file's text (windows-1252 decoded), read and checked again by the worker. */
  z.object({ type: z.literal('coda.send'), fileName: z.string().min(1).max(200), text: z.string().max(20 * 1024 * 1024) }),
  // `again`: the user confirmed booking a sent document a second time; without it a retry never re-books.
  z.object({ type: z.literal('transfer.retry'), transferId: z.string().min(1), again: z.boolean().optional() }),
  z.object({ type: z.literal('settings.get') }),
  /** Empties the site problem log (lib/ledger/site-problems.ts) once support has read it. */
  z.object({ type: z.literal('siteProblems.clear') }),
  /** Mail account and per-dossier mailbox addresses. */
  ...mailPageRequests,
]);
export type PageRequest = z.infer<typeof pageRequest>;

// --- Transfer engine: bulk jobs, rules, approval, reconciliation --------------------------------------

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date YYYY-MM-DD expected');

/** A document of a site's list, as the page or the popup names it for a bulk send. */
export const listedDocumentInput = z.object({
  id: documentId,
  number: z.string().max(100).optional(),
  issueDate: isoDay.optional(),
  status: z.string().max(40).optional(),
});

/** Which of the named documents go: all (the selection), a number range of a year, or a period not yet transferred. */
export const bulkFilter = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('selection') }),
    z.object({ type: z.literal('range'), year: z.number().int().min(1990).max(2100), from: z.number().int().min(0), to: z.number().int().min(0) }),
    z.object({ type: z.literal('period'), from: isoDay, to: isoDay }),
  ])
  .refine((f) => f.type === 'selection' || f.from <= f.to, 'from must not be after to');

/**
 * A range or period send may name no document: the worker lists the app itself where its adapter can, so an empty
 * page is no answer. A selection sends what it names, so it names at least one.
 */
const namesDocuments = (r: { documents: unknown[]; filter: { type: string } }) => r.filter.type !== 'selection' || r.documents.length >= 1;
const namesDocumentsError = { message: 'a selection names at least one document', path: ['documents'] };

/** Extension pages only (the popup, the options page, a test page). */
export const enginePageRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('bulk.start'),
    origin: httpUrl,
    documents: z.array(listedDocumentInput).max(5000),
    filter: bulkFilter.default({ type: 'selection' }),
    includeAlreadyTransferred: z.boolean().default(false),
  }).refine(namesDocuments, namesDocumentsError),
  z.object({ type: z.literal('bulk.progress'), jobId: z.string().min(1).optional() }),
  z.object({ type: z.literal('bulk.cancel'), jobId: z.string().min(1) }),
  z.object({ type: z.literal('rules.get') }),
  /** Validated against lib/transfer/rules.ts on receipt. */
  z.object({ type: z.literal('rules.save'), rules: z.unknown() }),
  z.object({ type: z.literal('transfer.approve'), transferIds: z.array(z.string().min(1)).min(1).max(1000) }),
  z.object({ type: z.literal('reconcile.run'), dossierId: z.string().min(1).optional() }),
]);
export type EnginePageRequest = z.infer<typeof enginePageRequest>;

/** Content scripts: the progress of bulk sends of their own site (the site comes from the sender). */
export const engineContentRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bulk.progress') }),
  z.object({ type: z.literal('bulk.cancel'), jobId: z.string().min(1) }),
  /**
   * The page's bulk bar: a number range of a year or a period (never "include already transferred"). `documents` are
   * the page's rows it takes; the worker adds the app's whole list where the adapter can list it.
   */
  z.object({
    type: z.literal('bulk.start'),
    documents: z.array(listedDocumentInput).max(5000),
    filter: bulkFilter,
    adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  }).refine(namesDocuments, namesDocumentsError),
  /** The same filter as bulk.start, answered with what would go and what would be skipped and why; queues nothing. */
  z.object({
    type: z.literal('bulk.preview'),
    documents: z.array(listedDocumentInput).max(5000),
    filter: bulkFilter,
    adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  }).refine(namesDocuments, namesDocumentsError),
  /** A detail page: should it warn before the app's edit action (the document was sent and its dossier's rule is on)? */
  z.object({ type: z.literal('document.warnEdit'), documentId, adapter: z.string().regex(/^[a-z0-9-]{1,40}$/).optional() }),
]);
export type EngineContentRequest = z.infer<typeof engineContentRequest>;
