import type { LedgerDb, OutboxItem } from './db';
import {
  documentKeyOf,
  type LocalizedText,
  type LogEntry,
  type OctopusReference,
  type Transfer,
  type TransferState,
} from '../model/transfer';
import type { TransportKind } from '../model/dossier';
import type { Clock } from '../platform/clock';

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
}

export type EnqueueOutcome = 'queued' | 'already-sent' | 'already-queued';

export interface Claimed {
  item: OutboxItem;
  transfer: Transfer;
}

/** Keep a transfer's log bounded: the first entries and the most recent ones tell the story. */
const LOG_LIMIT = 50;

function appendLog(log: LogEntry[], entry: LogEntry): LogEntry[] {
  const next = [...log, entry];
  return next.length > LOG_LIMIT ? [...next.slice(0, 5), ...next.slice(next.length - (LOG_LIMIT - 5))] : next;
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
      for (const item of candidates) {
        if (item.leaseUntil && item.leaseUntil > now) continue;
        if (exclude(item)) continue;
        const transfer = await db.transfers.get(item.transferId);
        if (!transfer) {
          await db.outbox.delete(item.transferId);
          continue;
        }
        // A lease that ran out means an attempt was cut off mid-way: its outcome is unknown.
        const interrupted = Boolean(item.leaseUntil) || transfer.state === 'sending';
        const leased: OutboxItem = {
          ...item,
          leaseUntil: new Date(this.clock.now().getTime() + leaseMs).toISOString(),
          outcomeUnknown: item.outcomeUnknown || interrupted || undefined,
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

  /** Updates facts learnt while sending (dossier, number, counterparty) without a state change. */
  async describe(transferId: string, facts: Partial<Pick<Transfer, 'dossierId' | 'transport' | 'documentNumber' | 'kind' | 'direction' | 'counterparty' | 'total'>>): Promise<Transfer | undefined> {
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

  async markSent(transferId: string, reference: OctopusReference | undefined, text: LocalizedText): Promise<Transfer | undefined> {
    return this.settle(transferId, 'sent', (t) => ({
      ...t,
      octopusReference: reference ?? t.octopusReference,
      lastError: undefined,
      nextAttemptAt: undefined,
      log: appendLog(t.log, this.entry('info', text)),
    }));
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
      const next: Transfer = {
        ...transfer,
        state,
        updatedAt: this.now(),
        nextAttemptAt: retryAt?.toISOString(),
        lastError: { text: error.text, detail: error.detail, code: error.code },
        log: appendLog(transfer.log, this.entry('error', error.text, error.detail)),
      };
      await db.transfers.put(next);
      if (retryAt) {
        const item = await db.outbox.get(transferId);
        await db.outbox.put({
          transferId,
          dossierId: next.dossierId ?? '',
          documentKey: next.documentKey,
          dueAt: retryAt.toISOString(),
          outcomeUnknown: options.outcomeUnknown || item?.outcomeUnknown || undefined,
          force: item?.force,
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

  /** Newest first; `search` matches number, document id, counterparty, dossier and state. */
  async history(options: { search?: string; limit?: number } = {}): Promise<Transfer[]> {
    const limit = options.limit ?? 200;
    const needle = options.search?.trim().toLowerCase();
    const collection = this.db.transfers.orderBy('updatedAt').reverse();
    const filtered = needle
      ? collection.filter((t) =>
          [t.documentNumber, t.documentId, t.counterparty, t.dossierId, t.state, t.site, t.lastError?.detail]
            .filter(Boolean)
            .some((v) => String(v).toLowerCase().includes(needle)),
        )
      : collection;
    return filtered.limit(limit).toArray();
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
}
