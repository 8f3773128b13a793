import type { Ledger, SendRequest } from '../ledger/ledger';
import type { OutboxItem } from '../ledger/db';
import type { Dossier, TransportKind } from '../model/dossier';
import type { Invoice } from '../model/invoice';
import type { LocalizedText, Transfer, TransferAmount } from '../model/transfer';
import { dec, toFixed } from '../money';
import type { Clock } from '../platform/clock';
import { DocumentFetchError, type Fetch, type FetchedDocument, type SiteFetcher } from '../sites/types';
import { routeWithin, type RouteDecision, type SiteDossierSet } from './routing';
import { TransferError, type Transport } from './transport';

/** What the rules say of a routed document: send it, wait for the user, or leave it (not this run's business). */
export type PolicyDecision = { action: 'send' } | { action: 'hold'; text: LocalizedText; code: string } | { action: 'drop' };

export interface PolicyContext {
  transfer: Transfer;
  item: OutboxItem;
  dossier: Dossier;
  document: FetchedDocument;
}

export interface RetryPolicy {
  /** First backoff; it doubles per attempt. */
  baseMs: number;
  /** Longest backoff. */
  capMs: number;
  /** After this many attempts a retriable failure waits for the user. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, capMs: 15 * 60_000, maxAttempts: 8 };

/**
 * Deliveries in flight at once per dossier and transport. The webservice goes one by one: Octopus numbers
 * bookings in sequence per journal, and a lost answer is only resolved safely when nothing else is booking.
 */
export const DEFAULT_IN_FLIGHT: Record<TransportKind, number> = { webservice: 1, mailbox: 2 };

export interface EngineOptions {
  ledger: Ledger;
  /** The worker side of each site: how to get a document (apps, and files dropped in the popup). */
  adapters: readonly SiteFetcher[];
  transports: Partial<Record<TransportKind, Transport>>;
  fetch: Fetch;
  clock: Clock;
  /** Called after every change of a transfer, to update pages and the badge. */
  onChange?: (transfer: Transfer) => void;
  /** How long a claimed item is held; after a worker dies it is taken back after this (or at the next start). */
  leaseMs?: number;
  /** Documents in flight at once, across dossiers (fetching included). */
  concurrency?: number;
  /** Deliveries in flight per dossier and transport. */
  inFlight?: Partial<Record<TransportKind, number>>;
  /** After this many attempts a retriable failure waits for the user (kept for callers of the first version). */
  maxAttempts?: number;
  /** Backoff and attempts; read before every run so a setting can change it. */
  retry?: RetryPolicy | (() => Promise<RetryPolicy> | RetryPolicy);
  /**
   * The dossiers a site (a transfer's host) may book into. The engine never reads the site list itself; a site the
   * answer does not allow books nowhere.
   */
  dossiersForSite: (site: string) => Promise<SiteDossierSet> | SiteDossierSet;
  /** The dossier's rules: called once a document is routed. Default: send. */
  policy?: (context: PolicyContext) => Promise<PolicyDecision> | PolicyDecision;
  /** 0..1, for jitter; injected so tests are deterministic. */
  random?: () => number;
}

/**
 * Every dossier, with the general default, and a number that is no dossier's going to that default: what a site may
 * use only where nothing narrower applies (files dropped in the popup, whose chosen dossier narrows it to that one; the
 * sandbox's demo sites on loopback; tests that route freely).
 */
export async function everyDossier(db: Ledger['db']): Promise<SiteDossierSet> {
  const [dossiers, general] = await Promise.all([db.dossiers.toArray(), db.settings.get('defaultDossierId')]);
  const dossierIds = dossiers.map((d) => d.id);
  const defaultDossierId = typeof general?.value === 'string' && dossierIds.includes(general.value) ? general.value : undefined;
  return { ok: true, dossierIds, unmatchedToDefault: true, ...(defaultDossierId ? { defaultDossierId } : {}) };
}

/** Exponential backoff with jitter: base, 2×base, 4×base … capped, ±20 %. */
export function backoffMs(attempt: number, random: () => number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'> = DEFAULT_RETRY): number {
  const base = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.capMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A fingerprint of the document's content, to notice that it changed after it was sent. */
export async function contentHashOf(invoice: Invoice): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(stableJson(invoice)));
  return Array.from(new Uint8Array(bytes).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The amount a person recognises: the document's full total (tax included, not what is left to pay after a
 * prepayment), negative for a credit note (UBL writes a credit note's amounts as positive numbers).
 */
export function documentAmount(invoice: Invoice): TransferAmount {
  const total = dec(invoice.totals.taxInclusive);
  const signed = invoice.kind === 'credit-note' && total.gt(0) ? total.times(-1) : total;
  return { value: toFixed(signed, 2), currency: invoice.currency };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Counting semaphores by key: at most `cap(key)` holders at once, the others wait in order. */
export class KeyedLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  /** The most holders seen at once per key (for tests and the benchmark). */
  readonly peak = new Map<string, number>();

  async run<T>(key: string, cap: number, work: () => Promise<T>): Promise<T> {
    if ((this.active.get(key) ?? 0) >= cap) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    } else {
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
    }
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, this.active.get(key) ?? 0));
    try {
      return await work();
    } finally {
      const next = this.waiting.get(key)?.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.active.set(key, (this.active.get(key) ?? 1) - 1);
    }
  }
}

/**
 * Drives the outbox: claims due items, fetches each document from its site, routes it to a dossier,
 * applies the dossier's rules, hands it to the dossier's transport and records the outcome. All state is
 * in the ledger, so a worker killed at any point loses nothing: the next run takes the item back.
 *
 * queued → sending → sent | failed (retried by itself at nextAttemptAt) | needs-attention (waits for the user)
 */
export class TransferEngine {
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly random: () => number;
  private running: Promise<void> | undefined;
  readonly limiter = new KeyedLimiter();

  constructor(private readonly options: EngineOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.concurrency = options.concurrency ?? 4;
    this.random = options.random ?? Math.random;
  }

  get ledger(): Ledger {
    return this.options.ledger;
  }

  adapterFor(id: string): SiteFetcher | undefined {
    return this.options.adapters.find((a) => a.id === id);
  }

  async send(requests: SendRequest[]) {
    const results = await this.options.ledger.enqueue(requests);
    for (const r of results) if (r.outcome === 'queued') this.options.onChange?.(r.transfer);
    return results;
  }

  /** Runs until nothing is due. Concurrent calls share one run. */
  runDue(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async retryPolicy(): Promise<RetryPolicy> {
    const { retry, maxAttempts } = this.options;
    const base = typeof retry === 'function' ? await retry() : (retry ?? DEFAULT_RETRY);
    return maxAttempts !== undefined && retry === undefined ? { ...base, maxAttempts } : base;
  }

  private async drain(): Promise<void> {
    const policy = await this.retryPolicy();
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      while (inFlight.size < this.concurrency) {
        const claimed = await this.options.ledger.claimNext(this.leaseMs);
        if (!claimed) break;
        this.options.onChange?.(claimed.transfer);
        const job: Promise<void> = this.process(claimed.transfer, claimed.item, policy)
          .catch((error) => console.error('octobridge: transfer crashed', claimed.transfer.id, error))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
      }
      if (inFlight.size === 0) return;
      await Promise.race(inFlight);
    }
  }

  /**
   * The dossier of a fetched document, among those its site may use. A dossier chosen by hand (a file dropped in the
   * popup) narrows the set to that one, and must itself be one the site may use.
   */
  private async route(transfer: Transfer, invoice: Invoice): Promise<RouteDecision> {
    const set = await this.options.dossiersForSite(transfer.site);
    if (!set.ok) return { ok: false, code: 'site-not-added', text: { key: 'routing_site_not_added', params: [transfer.site] } };
    const dossiers = await this.options.ledger.db.dossiers.toArray();
    if (transfer.pinnedDossierId) {
      const pinned = dossiers.find((d) => d.id === transfer.pinnedDossierId);
      if (!pinned || !set.dossierIds.includes(pinned.id)) {
        return { ok: false, code: 'dossier-not-allowed', text: { key: 'routing_chosen_not_allowed', params: [pinned?.name ?? transfer.pinnedDossierId, transfer.site] } };
      }
      // The user chose it for this file: a number that is no dossier's at all does not overrule that choice; one that
      // is another dossier's does.
      return routeWithin(invoice, dossiers, { dossierIds: [pinned.id], defaultDossierId: pinned.id, unmatchedToDefault: true }, true);
    }
    return routeWithin(invoice, dossiers, set);
  }

  private async process(transfer: Transfer, item: OutboxItem, policy: RetryPolicy): Promise<void> {
    const { ledger } = this.options;
    const outcomeUnknown = Boolean(item.outcomeUnknown);
    try {
      const adapter = this.adapterFor(transfer.adapter);
      if (!adapter) throw new TransferError({ key: 'error_unknown_site', params: [transfer.site] }, { retriable: false });
      let document: FetchedDocument;
      try {
        document = await adapter.fetchDocument(transfer.origin, transfer.documentId, this.options.fetch);
      } catch (error) {
        if (error instanceof DocumentFetchError) {
          throw new TransferError({ key: error.key, params: error.params }, { retriable: error.retriable, detail: error.detail });
        }
        throw error;
      }
      const { invoice } = document;
      for (const note of document.notes ?? []) await ledger.note(transfer.id, 'warn', note.text, note.detail);
      const contentHash = await contentHashOf(invoice);
      // Sent before and asked again: if the app's document changed since, say so (a credit note corrects it).
      if (transfer.sentAt && transfer.contentHash && transfer.contentHash !== contentHash) {
        const flagged = await ledger.flagChanged(transfer.id, contentHash);
        if (flagged) this.options.onChange?.(flagged);
      }
      const routed = await this.route(transfer, invoice);
      if (!routed.ok) {
        const held = await ledger.hold(transfer.id, routed.text, routed.code);
        if (held) this.options.onChange?.(held);
        return;
      }
      const { dossier } = routed;
      const described = await ledger.describe(transfer.id, {
        dossierId: dossier.id,
        transport: dossier.transport,
        documentNumber: invoice.number,
        kind: invoice.kind,
        direction: invoice.direction,
        counterparty: (invoice.direction === 'purchase' ? invoice.seller : invoice.buyer).name,
        amount: documentAmount(invoice),
      });
      if (described) this.options.onChange?.(described);
      const current = described ?? transfer;

      const decision = this.options.policy ? await this.options.policy({ transfer: current, item, dossier, document }) : { action: 'send' as const };
      if (decision.action === 'drop') {
        const dropped = await ledger.drop(transfer.id);
        if (dropped) this.options.onChange?.(dropped);
        return;
      }
      if (decision.action === 'hold') {
        const held = await ledger.hold(transfer.id, decision.text, decision.code);
        if (held) this.options.onChange?.(held);
        return;
      }

      const transport = this.options.transports[dossier.transport];
      if (!transport) throw new TransferError({ key: 'error_transport_not_set_up', params: [dossier.name] }, { retriable: false });
      const cap = this.options.inFlight?.[dossier.transport] ?? DEFAULT_IN_FLIGHT[dossier.transport];
      const delivery = await this.limiter.run(`${dossier.id}|${dossier.transport}`, cap, async () => {
        // An earlier document of this dossier may have reached Octopus without an answer: it is settled
        // first, or its look-back could miss it behind our booking.
        if (!outcomeUnknown) {
          const unresolved = await ledger.unresolvedIn(dossier.id, transfer.id);
          if (unresolved) return undefined;
        }
        // Cancelled while it was fetched or waited its turn: it stops here, before anything reaches the peer.
        if (!(await ledger.markDelivering(transfer.id))) return 'cancelled' as const;
        return transport.deliver({ transfer: current, dossier, document, outcomeUnknown, force: Boolean(item.force) });
      });
      if (delivery === 'cancelled') {
        const settled = await ledger.db.transfers.get(transfer.id);
        if (settled) this.options.onChange?.(settled);
        return;
      }
      if (!delivery) {
        const later = new Date(this.options.clock.now().getTime() + Math.max(250, Math.min(policy.baseMs, 2_000)));
        const deferred = await ledger.defer(transfer.id, later);
        if (deferred) this.options.onChange?.(deferred);
        return;
      }
      const sent = await ledger.markSent(transfer.id, delivery.reference, delivery.text, contentHash);
      if (sent) this.options.onChange?.(sent);
    } catch (error) {
      const failure =
        error instanceof TransferError
          ? error
          : new TransferError({ key: 'error_unexpected', params: [] }, { retriable: true, detail: String(error) });
      // The peer asked to wait before it took anything (a rate limit, a busy relay): queued again then, no attempt used.
      if (failure.options.backPressure && failure.options.retryAfterMs !== undefined) {
        const deferred = await ledger.defer(transfer.id, new Date(this.options.clock.now().getTime() + failure.options.retryAfterMs));
        if (deferred) this.options.onChange?.(deferred);
        return;
      }
      const attempts = transfer.attempts;
      // Waiting for a daily quota to reset goes on by itself however many attempts there were.
      const retry = failure.options.retriable && (attempts < Math.min(policy.maxAttempts, failure.options.maxAttempts ?? Infinity) || failure.options.waitsForQuota === true);
      const delay = failure.options.retryAfterMs ?? backoffMs(attempts, this.random, policy);
      const retryAt = retry ? new Date(this.options.clock.now().getTime() + delay) : undefined;
      const failed = await ledger.markFailed(
        transfer.id,
        { text: failure.text, detail: failure.options.detail, code: failure.options.code },
        retryAt,
        { outcomeUnknown: failure.options.outcomeUnknown },
      );
      if (failed) this.options.onChange?.(failed);
    }
  }
}
