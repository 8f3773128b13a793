import type { Ledger } from '../ledger/ledger';
import { documentKeyOf, type LocalizedText } from '../model/transfer';
import { selectNumberRange, selectPeriod } from './bulk';
import type { ListedDocument } from './schedule';

/**
 * What a range or period send takes and leaves, decided once for both the preview the page shows before the user
 * confirms and the bulk start itself, so the preview never promises what the start does differently.
 */

export type BulkFilter = { type: 'selection' } | { type: 'range'; year: number; from: number; to: number } | { type: 'period'; from: string; to: string };

const DRAFT_STATUS = /draft|concept|brouillon/i;
/** A cancelled invoice is never booked by a bulk send, whatever the adapter says of it otherwise. */
const CANCELLED_STATUS = /cancel|annul|geannuleerd|storn|void/i;

export type SkipReason = 'draft' | 'cancelled' | 'sent';
const SKIP_TEXT: Record<SkipReason, string> = {
  draft: 'overlay_skip_draft',
  cancelled: 'overlay_skip_cancelled',
  sent: 'overlay_skip_sent',
};

export interface BulkPlan {
  /** In the filter and going, in the app's order. */
  go: ListedDocument[];
  /** In the filter and not going, each with why. */
  skipped: { document: ListedDocument; reason: SkipReason }[];
}

/** Why a listed document cannot go in any bulk send (its own state in the app), if so. */
export function notSendable(d: ListedDocument & { sendable?: unknown }): 'draft' | 'cancelled' | undefined {
  if (CANCELLED_STATUS.test(d.status ?? '')) return 'cancelled';
  if (typeof d.sendable === 'boolean') return d.sendable ? undefined : 'draft';
  return DRAFT_STATUS.test(d.status ?? '') ? 'draft' : undefined;
}

export function skipText(reason: SkipReason): LocalizedText {
  return { key: SKIP_TEXT[reason], params: [] };
}

function applyFilter(candidates: ListedDocument[], filter: BulkFilter): ListedDocument[] {
  if (filter.type === 'range') return selectNumberRange(candidates, filter);
  if (filter.type === 'period') return selectPeriod(candidates, filter);
  return candidates;
}

/**
 * The plan of a bulk send over `candidates` (the app's list, or the page's rows): the filter first, then the app's
 * state (drafts, cancelled) and the ledger's (already in Octopus). A document already on its way goes with the job
 * (the job follows it, as BulkJobs.start does). `includeAlreadyTransferred` (extension pages only) lets sent ones go again.
 */
export async function planBulk(
  ledger: Ledger,
  site: string,
  candidates: ListedDocument[],
  filter: BulkFilter,
  includeAlreadyTransferred = false,
): Promise<BulkPlan> {
  const inFilter = applyFilter(candidates, filter);
  const transfers = await ledger.db.transfers.where('documentKey').anyOf(inFilter.map((d) => documentKeyOf(site, d.id))).toArray();
  const stateOf = new Map(transfers.map((t) => [t.documentId, t.state]));
  const plan: BulkPlan = { go: [], skipped: [] };
  for (const document of inFilter) {
    const state = stateOf.get(document.id);
    const reason: SkipReason | undefined = notSendable(document) ?? (state === 'sent' && !includeAlreadyTransferred ? 'sent' : undefined);
    if (reason) plan.skipped.push({ document, reason });
    else plan.go.push(document);
  }
  return plan;
}

/** How many documents of each side a preview lists by name (the counts are always whole). */
export const PREVIEW_LISTED = 200;

export interface BulkPreviewReply {
  ok: true;
  outcome: 'preview';
  scope: 'app' | 'page';
  goCount: number;
  go: { id: string; number?: string; issueDate?: string }[];
  skippedCount: number;
  skipped: { id: string; number?: string; reason: LocalizedText }[];
}

/** The preview as the page gets it: numbers, dates and reasons only (the app's own data, nothing of Octopus). */
export function bulkPreviewReply(plan: BulkPlan, scope: 'app' | 'page'): BulkPreviewReply {
  const named = (d: ListedDocument) => ({ id: d.id, ...(d.number ? { number: d.number } : {}), ...(d.issueDate ? { issueDate: d.issueDate } : {}) });
  return {
    ok: true,
    outcome: 'preview',
    scope,
    goCount: plan.go.length,
    go: plan.go.slice(0, PREVIEW_LISTED).map(named),
    skippedCount: plan.skipped.length,
    skipped: plan.skipped.slice(0, PREVIEW_LISTED).map(({ document, reason }) => ({ ...named(document), reason: skipText(reason) })),
  };
}
