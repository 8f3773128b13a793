import Dexie from 'dexie';
import type { LedgerDb } from './db';
import { referenceKey, referenceKeysOf, type Transfer, type TransferState } from '../model/transfer';

/* The history's queries (the popup's filters and search), apart from the ledger's writes. */

/** The popup's filters; each one left out does not filter. `from`/`to` bound the last change (ISO instants, inclusive). */
export interface HistoryQuery {
  /** Document number or id, counterparty, or Octopus reference ("V1/2026/42", also "V1 2026/42"). */
  search?: string;
  dossierId?: string;
  site?: string;
  state?: TransferState;
  kind?: 'invoice' | 'credit-note';
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}

function matchesSearch(transfer: Transfer, needle: string): boolean {
  const fields = [transfer.documentNumber, transfer.documentId, transfer.counterparty];
  if (fields.some((v) => v && v.toLowerCase().includes(needle))) return true;
  const references = [...(transfer.bookings ?? []).map((b) => b.reference), ...(transfer.octopusReference ? [transfer.octopusReference] : [])];
  const wanted = referenceKey(needle);
  return references.some((r) => referenceKeysOf(r).some((key) => key.includes(wanted)));
}

/** Journal, bookyear and number: a whole reference, once normalised. */
const WHOLE_REFERENCE = /^[a-z0-9]+\/\d+\/\d+$/;

export function isWholeReference(query: HistoryQuery): boolean {
  return WHOLE_REFERENCE.test(referenceKey(query.search ?? ''));
}

export function inPeriod(transfer: Transfer, query: HistoryQuery): boolean {
  return (!query.from || transfer.updatedAt >= query.from) && (!query.to || transfer.updatedAt <= query.to);
}

/** The filters checked row by row (the index picked in historyCollection covers one of them, checking it again is cheap). */
export function rowFilter(query: HistoryQuery): (t: Transfer) => boolean {
  const needle = query.search?.trim().toLowerCase();
  return (t) =>
    (!query.site || t.site === query.site) &&
    (!query.state || t.state === query.state) &&
    (!query.kind || (t.kind ?? 'invoice') === query.kind) &&
    (!needle || matchesSearch(t, needle));
}

export function historyCollection(db: LedgerDb, query: HistoryQuery) {
  // updatedAt is an ISO instant in UTC: bounds written the same way compare correctly with it as strings.
  const low = query.from ?? Dexie.minKey;
  const high = query.to ?? Dexie.maxKey;
  const byIndex = (field: 'state' | 'dossierId' | 'site', value: string) =>
    db.transfers.where(`[${field}+updatedAt]`).between([value, low], [value, high], true, true);
  const base = query.dossierId
    ? byIndex('dossierId', query.dossierId)
    : query.site
      ? byIndex('site', query.site)
      : query.state
        ? byIndex('state', query.state)
        : query.from || query.to
          ? db.transfers.where('updatedAt').between(low, high, true, true)
          : db.transfers.orderBy('updatedAt');
  const needle = query.search?.trim().toLowerCase();
  // Without a filter to check row by row, Dexie reads the page straight from the index (the popup's first paint).
  if (!needle && !query.kind && !(query.dossierId && (query.site || query.state)) && !(query.site && query.state)) return base.reverse();
  return base.reverse().filter(rowFilter(query));
}

