import type { Ledger, SendRequest } from '../ledger/ledger';
import type { Dossier, TransportKind } from '../model/dossier';
import type { Transfer } from '../model/transfer';
import type { Clock } from '../platform/clock';
import { DocumentFetchError, type Fetch, type SiteAdapter } from '../sites/types';
import { routeDossier } from './routing';
import { TransferError, type Transport } from './transport';

export interface EngineOptions {
  ledger: Ledger;
  adapters: readonly SiteAdapter[];
  transports: Partial<Record<TransportKind, Transport>>;
  fetch: Fetch;
  clock: Clock;
  /** Called after every change of a transfer, to update pages and the badge. */
  onChange?: (transfer: Transfer) => void;
  /** How long a claimed item is held; after a worker dies it is taken back after this. */
  leaseMs?: number;
  /** Documents in flight at once, across dossiers. Within a dossier they go one by one. */
  concurrency?: number;
  /** After this many attempts a retriable failure waits for the user. */
  maxAttempts?: number;
  /** 0..1, for jitter; injected so tests are deterministic. */
  random?: () => number;
}

/** Exponential backoff with jitter: 5 s, 10 s, 20 s … capped at 15 min, ±20 %. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 15 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Drives the outbox: claims due items, fetches each document from its site, routes it to a dossier,
 * hands it to the dossier's transport and records the outcome. All state is in the ledger, so a
 * worker killed at any point loses nothing: the next run takes the item back.
 */
export class TransferEngine {
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private running: Promise<void> | undefined;
  private readonly dossierLocks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: EngineOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.concurrency = options.concurrency ?? 4;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.random = options.random ?? Math.random;
  }

  get ledger(): Ledger {
    return this.options.ledger;
  }

  adapterFor(id: string): SiteAdapter | undefined {
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

  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      while (inFlight.size < this.concurrency) {
        const claimed = await this.options.ledger.claimNext(this.leaseMs);
        if (!claimed) break;
        this.options.onChange?.(claimed.transfer);
        const job: Promise<void> = this.process(claimed.transfer, Boolean(claimed.item.outcomeUnknown), Boolean(claimed.item.force))
          .catch((error) => console.error('octobridge: transfer crashed', claimed.transfer.id, error))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
      }
      if (inFlight.size === 0) return;
      await Promise.race(inFlight);
    }
  }

  private async process(transfer: Transfer, outcomeUnknown: boolean, force: boolean): Promise<void> {
    const { ledger } = this.options;
    try {
      const adapter = this.adapterFor(transfer.adapter);
      if (!adapter) throw new TransferError({ key: 'error_unknown_site', params: [transfer.site] }, { retriable: false });
      let document;
      try {
        document = await adapter.fetchDocument(transfer.origin, transfer.documentId, this.options.fetch);
      } catch (error) {
        if (error instanceof DocumentFetchError) {
          throw new TransferError({ key: error.key, params: error.params }, { retriable: error.retriable, detail: error.detail });
        }
        throw error;
      }
      const dossiers = await ledger.db.dossiers.toArray();
      const site = await ledger.db.sites.get(transfer.site);
      const general = (await ledger.db.settings.get('defaultDossierId'))?.value;
      const dossier = routeDossier(document.invoice, dossiers, {
        siteDefault: site?.defaultDossierId,
        generalDefault: typeof general === 'string' ? general : undefined,
      });
      if (!dossier) throw new TransferError({ key: 'error_no_dossier', params: [] }, { retriable: false });
      const { invoice } = document;
      const described = await ledger.describe(transfer.id, {
        dossierId: dossier.id,
        transport: dossier.transport,
        documentNumber: invoice.number,
        kind: invoice.kind,
        direction: invoice.direction,
        counterparty: (invoice.direction === 'purchase' ? invoice.seller : invoice.buyer).name,
        total: `${invoice.totals.payable} ${invoice.currency}`,
      });
      if (described) this.options.onChange?.(described);
      const transport = this.options.transports[dossier.transport];
      if (!transport) throw new TransferError({ key: 'error_transport_not_set_up', params: [dossier.name] }, { retriable: false });
      const delivery = await this.withDossierLock(dossier, () =>
        transport.deliver({ transfer: described ?? transfer, dossier, document, outcomeUnknown, force }),
      );
      const sent = await ledger.markSent(transfer.id, delivery.reference, delivery.text);
      if (sent) this.options.onChange?.(sent);
    } catch (error) {
      const failure =
        error instanceof TransferError
          ? error
          : new TransferError({ key: 'error_unexpected', params: [] }, { retriable: true, detail: String(error) });
      const attempts = transfer.attempts;
      const retry = failure.options.retriable && attempts < this.maxAttempts;
      const delay = failure.options.retryAfterMs ?? backoffMs(attempts, this.random);
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

  /** Bookings of one dossier go one at a time: Octopus numbers them in sequence per journal. */
  private async withDossierLock<T>(dossier: Dossier, work: () => Promise<T>): Promise<T> {
    const previous = this.dossierLocks.get(dossier.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.dossierLocks.set(dossier.id, next);
    try {
      return await next;
    } finally {
      if (this.dossierLocks.get(dossier.id) === next) this.dossierLocks.delete(dossier.id);
    }
  }
}
