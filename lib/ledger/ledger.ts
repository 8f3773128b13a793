import type { LedgerDb, OutboxItem } from './db';
import {
  documentKeyOf,
  type LocalizedText,
  type LogEntry,
  formatReference,
  referenceKey,
  referenceKeysOf,
  type OctopusReference,
  type Transfer,
  type TransferBooking,
  type TransferState,
} from '../model/transfer';
import type { TransportKind } from '../model/dossier';
import type { Clock } from '../platform/clock';
import { historyCollection, isWholeReference, inPeriod, rowFilter, type HistoryQuery } from './history';

export type { HistoryQuery } from './history';

/** What a caller asks to send: one document of one site. */
export interface SendRequest {
  site: string;
  origin: string;
  adapter: string;
  documentId: string;
  /** Display only, until the worker has read the document itself. */
  documentNumber?: string;
  transport: TransportKind;
  /** Send although it was sent already (an explicit user action). */
  force?: boolean;
  /** A scheduled run of this dossier queued it (see OutboxItem.scheduledFor). */
  scheduledFor?: string;
  /** The user approved it (rules asking for approval let it go). */
  approved?: boolean;
  /** The dossier the user chose (ad-hoc send): routing does not apply. */
  dossierId?: string;
}

export type EnqueueOutcome = 'queued' | 'already-sent' | 'already-queued';

export interface Claimed {
  item: OutboxItem;
  transfer: Transfer;
}

/** lastError.code of a transfer given up while its last attempt may have reached the peer. */
export const OUTCOME_UNKNOWN = 'outcome-unknown';

/** Keep a transfer's log bounded: the first entries and the most recent ones tell the story. */
const LOG_LIMIT = 50;

function appendLog(log: LogEntry[], entry: LogEntry): LogEntry[] {
  const next = [...log, entry];
  return next.length > LOG_LIMIT ? [...next.slice(0, 5), ...next.slice(next.length - (LOG_LIMIT - 5))] : next;
}

/** Sent again, a document has several bookings: all are kept (a few at most), the same one found again is not repeated. */
function withBooking(bookings: TransferBooking[] | undefined, booking: TransferBooking): Pick<Transfer, 'bookings' | 'referenceKeys'> {
  const known = bookings ?? [];
  const list = known.some((b) => formatReference(b.reference) === formatReference(booking.reference)) ? known : [...known, booking].slice(-20);
  return { bookings: list, referenceKeys: list.flatMap((b) => referenceKeysOf(b.reference)) };
}

function newId(): string {
  return crypto.randomUUID();
}

/**
 * The ledger of transfers and the outbox that drives them. Every state change goes through here,
 * in a transaction, so the record of what was sent and the pending work never disagree.
 */
export class Ledger {
  constructor(
    readonly db: LedgerDb,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  private entry(level: LogEntry['level'], text: LocalizedText, detail?: string): LogEntry {
    return { at: this.now(), level, text, ...(detail ? { detail } : {}) };
  }

  async enqueue(requests: SendRequest[]): Promise<{ documentId: string; outcome: EnqueueOutcome; transfer: Transfer }[]> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const results: { documentId: string; outcome: EnqueueOutcome; transfer: Transfer }[] = [];
      for (const request of requests) {
        const documentKey = documentKeyOf(request.site, request.documentId);
        const existing = await db.transfers.where('documentKey').equals(documentKey).first();
        const now = this.now();
        if (existing && (existing.state === 'queued' || existing.state === 'sending')) {
          results.push({ documentId: request.documentId, outcome: 'already-queued', transfer: existing });
          continue;
        }
        if (existing && existing.state === 'sent' && !request.force) {
          results.push({ documentId: request.documentId, outcome: 'already-sent', transfer: existing });
          continue;
        }
        const transfer: Transfer = existing
          ? {
              ...existing,
              state: 'queued',
              updatedAt: now,
              transport: request.transport,
              ...(request.dossierId ? { pinnedDossierId: request.dossierId } : {}),
              nextAttemptAt: undefined,
              lastError: undefined,
              log: appendLog(
                existing.log,
                this.entry('info', { key: request.force && existing.state === 'sent' ? 'log_queued_again' : 'log_queued', params: [] }),
              ),
            }
          : {
              id: newId(),
              documentKey,
              site: request.site,
              origin: request.origin,
              adapter: request.adapter,
              documentId: request.documentId,
              documentNumber: request.documentNumber,
              transport: request.transport,
              ...(request.dossierId ? { pinnedDossierId: request.dossierId } : {}),
              state: 'queued',
              createdAt: now,
              updatedAt: now,
              attempts: 0,
              log: [this.entry('info', { key: 'log_queued', params: [] })],
            };
        await db.transfers.put(transfer);
        await db.outbox.put({
          transferId: transfer.id,
          dossierId: transfer.dossierId ?? '',
          documentKey,
          dueAt: now,
          force: request.force && existing?.state === 'sent' ? true : undefined,
          outcomeUnknown: existing?.lastError?.code === OUTCOME_UNKNOWN || undefined,
          scheduledFor: request.scheduledFor,
          approved: request.approved || undefined,
        });
        results.push({ documentId: request.documentId, outcome: 'queued', transfer });
      }
      return results;
    });
  }

  /**
   * Takes the next due item and leases it. A lease outlives a killed worker only until it expires;
   * then the item is due again, marked outcome-unknown so the transport checks before resending.
   */
  async claimNext(leaseMs: number, exclude: (item: OutboxItem) => boolean = () => false): Promise<Claimed | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const now = this.now();
      const candidates = await db.outbox.where('dueAt').belowOrEqual(now).sortBy('dueAt');
      // A dossier with a booking whose last attempt may have reached Octopus books nothing else until that one is
      // settled: its look-back must find our booking among the journal's last ones. Mail needs no such hold (an
      // unknown send is looked up by its own key), so only webservice transfers block.
      const unknown = await db.outbox.filter((i) => Boolean(i.outcomeUnknown) && i.dossierId !== '').toArray();
      const blocked = new Set<string>();
      for (const item of unknown) {
        if ((await db.transfers.get(item.transferId))?.transport === 'webservice') blocked.add(item.dossierId);
      }
      for (const item of candidates) {
        if (item.leaseUntil && item.leaseUntil > now) continue;
        if (exclude(item)) continue;
        if (!item.outcomeUnknown && blocked.has(item.dossierId)) continue;
        const transfer = await db.transfers.get(item.transferId);
        if (!transfer) {
          await db.outbox.delete(item.transferId);
          continue;
        }
        // A lease that ran out means an attempt was cut off mid-way: its outcome is unknown, unless the
        // attempt had not reached the transport yet (delivering === false).
        const interrupted = Boolean(item.leaseUntil) || transfer.state === 'sending' || Boolean(item.interrupted);
        const leased: OutboxItem = {
          ...item,
          interrupted: undefined,
          leaseUntil: new Date(this.clock.now().getTime() + leaseMs).toISOString(),
          outcomeUnknown: item.outcomeUnknown || (interrupted && item.delivering !== false) || undefined,
          delivering: false,
        };
        await db.outbox.put(leased);
        const sending: Transfer = {
          ...transfer,
          state: 'sending',
          attempts: transfer.attempts + 1,
          updatedAt: now,
          log: appendLog(
            transfer.log,
            this.entry(interrupted ? 'warn' : 'info', {
              key: interrupted ? 'log_resumed' : 'log_sending',
              params: [String(transfer.attempts + 1)],
            }),
          ),
        };
        await db.transfers.put(sending);
        return { item: leased, transfer: sending };
      }
      return undefined;
    });
  }

  /**
   * At worker start: no other worker holds a lease (there is one service worker per extension), so every
   * lease left is from a worker that died. They are freed at once rather than after their expiry.
   */
  async releaseLeases(): Promise<number> {
    const { db } = this;
    return db.transaction('rw', db.outbox, async () => {
      const leased = await db.outbox.filter((item) => Boolean(item.leaseUntil)).toArray();
      for (const item of leased) {
        await db.outbox.put({
          ...item,
          leaseUntil: undefined,
          outcomeUnknown: item.outcomeUnknown || item.delivering !== false || undefined,
        });
      }
      return leased.length;
    });
  }

  /** The attempt is about to reach the peer: from now on an interruption leaves its outcome unknown. */
  /**
   * The last moment a transfer can still be cancelled: right before the transport is called. Answers false (and
   * settles it as cancelled) when the user cancelled it while it was being fetched or waited its turn.
   */
  async markDelivering(transferId: string): Promise<boolean> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const item = await db.outbox.get(transferId);
      if (item?.cancelRequested) {
        await this.settleCancelled(transferId);
        return false;
      }
      await db.outbox.update(transferId, { delivering: true });
      return true;
    });
  }

  /**
   * Puts a claimed item back without counting an attempt (its dossier is busy resolving an unknown outcome,
   * or it waits its turn): no failure, no log line.
   */
  async defer(transferId: string, dueAt: Date): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const transfer = await db.transfers.get(transferId);
      const item = await db.outbox.get(transferId);
      if (!transfer || !item) return transfer;
      // The claim's own log line goes too: this was no attempt. A "resumed" line is owed to the next claim.
      const last = transfer.log[transfer.log.length - 1];
      const claimLine = last && (last.text.key === 'log_sending' || last.text.key === 'log_resumed') ? last : undefined;
      await db.outbox.put({
        ...item,
        dueAt: dueAt.toISOString(),
        leaseUntil: undefined,
        // Never reached the transport; an outcome already unknown stays so (outcomeUnknown is kept).
        delivering: false,
        interrupted: claimLine?.text.key === 'log_resumed' || undefined,
      });
      const next: Transfer = {
        ...transfer,
        state: 'queued',
        attempts: Math.max(0, transfer.attempts - 1),
        updatedAt: this.now(),
        log: claimLine ? transfer.log.slice(0, -1) : transfer.log,
      };
      await db.transfers.put(next);
      return next;
    });
  }

  /** Another webservice item of the dossier whose last attempt may have reached Octopus: it must be settled first. */
  async unresolvedIn(dossierId: string, exceptTransferId: string): Promise<OutboxItem | undefined> {
    const unknown = await this.db.outbox
      .where('dossierId')
      .equals(dossierId)
      .filter((item) => Boolean(item.outcomeUnknown) && item.transferId !== exceptTransferId)
      .toArray();
    for (const item of unknown) {
      if ((await this.db.transfers.get(item.transferId))?.transport === 'webservice') return item;
    }
    return undefined;
  }

  /** Updates facts learnt while sending (dossier, number, counterparty) without a state change. */
  async describe(transferId: string, facts: Partial<Pick<Transfer, 'dossierId' | 'transport' | 'documentNumber' | 'kind' | 'direction' | 'counterparty' | 'amount'>>): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const transfer = await db.transfers.get(transferId);
      if (!transfer) return undefined;
      const next = { ...transfer, ...facts, updatedAt: this.now() };
      await db.transfers.put(next);
      if (facts.dossierId) await db.outbox.update(transferId, { dossierId: facts.dossierId });
      return next;
    });
  }

  async markSent(transferId: string, reference: OctopusReference | undefined, text: LocalizedText, contentHash?: string): Promise<Transfer | undefined> {
    return this.settle(transferId, 'sent', (t) => ({
      ...t,
      octopusReference: reference ?? t.octopusReference,
      ...(reference ? withBooking(t.bookings, { at: this.now(), reference }) : {}),
      lastError: undefined,
      nextAttemptAt: undefined,
      sentAt: this.now(),
      contentHash: contentHash ?? t.contentHash,
      changedAfterExport: undefined,
      confirmedAt: undefined,
      log: appendLog(t.log, this.entry('info', text)),
    }));
  }

  /**
   * Waits for the user (approval, a dossier to choose) without counting as a failure: the outbox item goes,
   * the transfer says why. Sending it again (with `approved`) lets it go.
   */
  async hold(transferId: string, text: LocalizedText, code: string): Promise<Transfer | undefined> {
    return this.settle(transferId, 'needs-attention', (t) => ({
      ...t,
      attempts: Math.max(0, t.attempts - 1),
      nextAttemptAt: undefined,
      lastError: { text, code },
      log: appendLog(t.log, this.entry('warn', text)),
    }));
  }

  /**
   * Takes back a document that should not go after all (a scheduled run of another dossier, a kind its rules
   * do not send): a record made only for this attempt is removed, an older one gets its previous state back.
   */
  async drop(transferId: string): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const transfer = await db.transfers.get(transferId);
      await db.outbox.delete(transferId);
      if (!transfer) return undefined;
      if (!transfer.sentAt && !transfer.lastError) {
        await db.transfers.delete(transferId);
        return undefined;
      }
      const next: Transfer = { ...transfer, state: transfer.sentAt && !transfer.lastError ? 'sent' : 'needs-attention', attempts: Math.max(0, transfer.attempts - 1), updatedAt: this.now() };
      await db.transfers.put(next);
      return next;
    });
  }

  /**
   * Cancels what has not started: queued or retrying items that no worker holds. Items being sent finish.
   * A record made only for this send is removed; one with history waits for the user.
   */
  async cancel(transferIds: string[]): Promise<{ cancelled: number; running: number }> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      let cancelled = 0;
      let running = 0;
      const now = this.now();
      for (const id of transferIds) {
        const item = await db.outbox.get(id);
        if (!item) continue;
        if (item.leaseUntil && item.leaseUntil > now) {
          // A worker holds it: it is dropped before its transport is called, unless that call is under way.
          if (!item.delivering) await db.outbox.update(id, { cancelRequested: true });
          running++;
          continue;
        }
        await this.settleCancelled(id);
        cancelled++;
      }
      return { cancelled, running };
    });
  }

  /** Inside a transaction on transfers and outbox: the item goes, and the transfer says it was cancelled. */
  private async settleCancelled(id: string): Promise<void> {
    const { db } = this;
    const transfer = await db.transfers.get(id);
    await db.outbox.delete(id);
    if (!transfer) return;
    // Never tried: nothing to tell, it simply goes (as if it had not been asked for).
    if (transfer.attempts === 0 && !transfer.sentAt && !transfer.lastError) {
      await db.transfers.delete(id);
      return;
    }
    const text: LocalizedText = { key: 'engine_log_cancelled', params: [] };
    await db.transfers.put({
      ...transfer,
      state: transfer.sentAt && !transfer.lastError ? 'sent' : 'needs-attention',
      updatedAt: this.now(),
      nextAttemptAt: undefined,
      lastError: transfer.sentAt && !transfer.lastError ? undefined : { text, code: 'cancelled' },
      log: appendLog(transfer.log, this.entry('warn', text)),
    });
  }

  /** The app's document differs from what was booked: flag it (the advice: correct it by a credit note). */
  async flagChanged(transferId: string, contentHash?: string): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, async () => {
      const transfer = await db.transfers.get(transferId);
      if (!transfer || transfer.changedAfterExport) return transfer;
      const next: Transfer = {
        ...transfer,
        changedAfterExport: { at: this.now(), ...(contentHash ? { contentHash } : {}) },
        updatedAt: this.now(),
        log: appendLog(transfer.log, this.entry('warn', { key: 'engine_log_changed_after_export', params: [transfer.documentNumber ?? transfer.documentId] })),
      };
      await db.transfers.put(next);
      return next;
    });
  }

  /** Reconciliation: Octopus's feed shows the booking. */
  async confirm(transferId: string): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, async () => {
      const transfer = await db.transfers.get(transferId);
      if (!transfer || transfer.state !== 'sent' || transfer.confirmedAt) return transfer;
      const next: Transfer = {
        ...transfer,
        confirmedAt: this.now(),
        log: appendLog(transfer.log, this.entry('info', { key: 'engine_log_confirmed', params: [] })),
      };
      await db.transfers.put(next);
      return next;
    });
  }

  /** Reconciliation found the document booked in Octopus by other means: it counts as sent, never sent again. */
  async markBookedElsewhere(transferId: string, reference: OctopusReference): Promise<Transfer | undefined> {
    const label = `${reference.journal} ${reference.bookyear}/${reference.documentSequenceNr}`;
    return this.settle(transferId, 'sent', (t) => ({
      ...t,
      octopusReference: reference,
      ...withBooking(t.bookings, { at: this.now(), reference }),
      lastError: undefined,
      nextAttemptAt: undefined,
      sentAt: this.now(),
      confirmedAt: this.now(),
      log: appendLog(t.log, this.entry('warn', { key: 'engine_log_booked_elsewhere', params: [label] })),
    }));
  }

  /** Writes a line in a transfer's log (e.g. a failure handled inside one attempt). */
  async note(transferId: string, level: LogEntry['level'], text: LocalizedText, detail?: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.transfers, async () => {
      const transfer = await db.transfers.get(transferId);
      if (transfer) await db.transfers.put({ ...transfer, log: appendLog(transfer.log, this.entry(level, text, detail)) });
    });
  }

  /** A failure retried by itself at `retryAt`, or left for the user when `retryAt` is undefined. */
  async markFailed(
    transferId: string,
    error: { text: LocalizedText; detail?: string; code?: string },
    retryAt: Date | undefined,
    options: { outcomeUnknown?: boolean } = {},
  ): Promise<Transfer | undefined> {
    const state: TransferState = retryAt ? 'failed' : 'needs-attention';
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const transfer = await db.transfers.get(transferId);
      if (!transfer) return undefined;
      const pending = await db.outbox.get(transferId);
      // Given up while the last attempt may have landed: the next send, whenever the user asks, looks first.
      const unknownLeft = !retryAt && Boolean(options.outcomeUnknown || pending?.outcomeUnknown);
      const next: Transfer = {
        ...transfer,
        state,
        updatedAt: this.now(),
        nextAttemptAt: retryAt?.toISOString(),
        lastError: { text: error.text, detail: error.detail, code: unknownLeft ? OUTCOME_UNKNOWN : error.code },
        log: appendLog(transfer.log, this.entry('error', error.text, error.detail)),
      };
      await db.transfers.put(next);
      if (retryAt) {
        const item = await db.outbox.get(transferId);
        await db.outbox.put({
          ...item,
          transferId,
          dossierId: next.dossierId ?? '',
          documentKey: next.documentKey,
          dueAt: retryAt.toISOString(),
          leaseUntil: undefined,
          delivering: undefined,
          outcomeUnknown: options.outcomeUnknown || item?.outcomeUnknown || undefined,
        });
      } else {
        await db.outbox.delete(transferId);
      }
      return next;
    });
  }

  private async settle(transferId: string, state: TransferState, change: (t: Transfer) => Transfer): Promise<Transfer | undefined> {
    const { db } = this;
    return db.transaction('rw', db.transfers, db.outbox, async () => {
      const transfer = await db.transfers.get(transferId);
      if (!transfer) return undefined;
      const next = { ...change(transfer), state, updatedAt: this.now() };
      await db.transfers.put(next);
      await db.outbox.delete(transferId);
      return next;
    });
  }

  async byDocumentIds(site: string, documentIds: string[]): Promise<Transfer[]> {
    const keys = documentIds.map((id) => documentKeyOf(site, id));
    const found = await this.db.transfers.where('documentKey').anyOf(keys).toArray();
    return found;
  }

  /**
   * Newest first, filtered (see HistoryQuery). The most selective filter picks an index (version 9), the others are
   * checked row by row; `offset`/`limit` give one page, so a popup over 50,000 records reads only what it shows.
   */
  async history(query: HistoryQuery = {}): Promise<Transfer[]> {
    const limit = query.limit ?? 200;
    const offset = query.offset ?? 0;
    // Only Dexie's own promises are awaited here: a live query (the popup) loses track of what it read otherwise.
    if (isWholeReference(query)) return (await this.byReference(query)).slice(offset, offset + limit);
    return historyCollection(this.db, query).offset(offset).limit(limit).toArray();
  }

  /**
   * A search that is a whole Octopus reference ("V1/2026/42") reads the reference index, not every row; records
   * older than that index are found too, as the version 9 upgrade gave them their keys.
   */
  private async byReference(query: HistoryQuery): Promise<Transfer[]> {
    const key = referenceKey(query.search ?? '');
    const found = await this.db.transfers.where('referenceKeys').equals(key).distinct().toArray();
    const rest = rowFilter({ ...query, search: undefined });
    return found
      .filter((t) => rest(t) && (!query.dossierId || t.dossierId === query.dossierId) && inPeriod(t, query))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  }

  /** Every site transfers came from (the popup's site filter); read from the index alone. */
  async historySites(): Promise<string[]> {
    return (await this.db.transfers.orderBy('site').uniqueKeys()).map(String);
  }

  /** Everything the filters show, newest first (the CSV export). */
  async historyAll(query: HistoryQuery = {}): Promise<Transfer[]> {
    return isWholeReference(query) ? this.byReference(query) : historyCollection(this.db, query).toArray();
  }

  async nextDueAt(): Promise<string | undefined> {
    const first = await this.db.outbox.orderBy('dueAt').first();
    return first?.dueAt;
  }

  async pendingCount(): Promise<number> {
    return this.db.outbox.count();
  }

  async attentionCount(): Promise<number> {
    return this.db.transfers.where('state').equals('needs-attention').count();
  }

  /**
   * Documents the user has to act on, for the toolbar badge: those waiting for the user and those that failed and wait
   * for their next try (a journal open in Octopus, a closed period: retried by itself, but only the user can fix it).
   * A document the user cancelled needs nothing more.
   */
  async needsUserCount(): Promise<number> {
    const [waiting, cancelled, failed] = await Promise.all([
      this.db.transfers.where('state').equals('needs-attention').count(),
      this.db.transfers.where('state').equals('needs-attention').filter((t) => t.lastError?.code === 'cancelled').count(),
      this.db.transfers.where('state').equals('failed').count(),
    ]);
    return waiting - cancelled + failed;
  }
}
