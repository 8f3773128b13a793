import type { BulkJob } from '../ledger/db';
import type { Ledger, SendRequest } from '../ledger/ledger';
import { documentKeyOf, type Transfer } from '../model/transfer';
import type { Clock } from '../platform/clock';
import type { ListedDocument } from './schedule';

/**
 * The year and running number of a document number, the way apps write them: "2026-0001", "F2026/12",
 * "VF-2026-007", "INV/26/0042" (a two-digit year only after a separator). Undefined parts when absent.
 */
export function parseDocumentNumber(value: string): { year?: number; sequence?: number } {
  const groups = [...value.matchAll(/\d+/g)].map((m) => m[0]);
  if (groups.length === 0) return {};
  const yearIndex = groups.findIndex((g) => /^(19|20)\d\d$/.test(g));
  const sequenceGroup = [...groups].reverse().find((_, i) => groups.length - 1 - i !== yearIndex);
  const sequence = sequenceGroup !== undefined ? Number(sequenceGroup) : undefined;
  if (yearIndex >= 0) return { year: Number(groups[yearIndex]), ...(sequence !== undefined ? { sequence } : {}) };
  if (groups.length >= 2 && /^\d\d$/.test(groups[0]!)) return { year: 2000 + Number(groups[0]), sequence: Number(groups[groups.length - 1]) };
  return { sequence: Number(groups[groups.length - 1]) };
}

/** Documents numbered `from`…`to` of `year` ("1 to 10 of 2026"), in number order. */
export function selectNumberRange(listed: readonly ListedDocument[], range: { year: number; from: number; to: number }): ListedDocument[] {
  return listed
    .map((d) => ({ d, n: parseDocumentNumber(d.number ?? d.id) }))
    .filter(({ d, n }) => {
      const year = n.year ?? (d.issueDate ? Number(d.issueDate.slice(0, 4)) : undefined);
      return year === range.year && n.sequence !== undefined && n.sequence >= range.from && n.sequence <= range.to;
    })
    .sort((a, b) => a.n.sequence! - b.n.sequence!)
    .map(({ d }) => d);
}

/** Documents issued in [from, to] (ISO dates, both included). Documents without a date are left out. */
export function selectPeriod(listed: readonly ListedDocument[], period: { from: string; to: string }): ListedDocument[] {
  return listed.filter((d) => d.issueDate !== undefined && d.issueDate >= period.from && d.issueDate <= period.to);
}

export interface BulkProgress {
  jobId: string;
  label: string;
  state: BulkJob['state'];
  total: number;
  done: number;
  /** Waiting for the user. */
  failed: number;
  /** Failed once, retried by itself. */
  retrying: number;
  pending: number;
  cancelled: number;
  skipped: number;
  /** Estimated from the pace so far; undefined until something is done. */
  etaMs?: number;
  createdAt: string;
  finishedAt?: string;
}

export interface BulkStart {
  site: string;
  origin: string;
  adapter: string;
  transport: SendRequest['transport'];
  documents: readonly Pick<ListedDocument, 'id' | 'number'>[];
  label: string;
  /** Send again what was already sent (normally skipped). */
  includeAlreadyTransferred?: boolean;
  /** A scheduled run of this dossier. */
  scheduledFor?: string;
  notify?: boolean;
}

/**
 * Bulk sends: one job row holds the transfers it queued, so the progress (done / total, failures, time left)
 * can be read by the popup and the page at any time, across worker and browser restarts. The outbox does the work.
 */
export class BulkJobs {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async start(request: BulkStart): Promise<{ job: BulkJob; queued: Transfer[] }> {
    const { db } = this.ledger;
    const unique = [...new Map(request.documents.map((d) => [d.id, d])).values()];
    const results = await this.ledger.enqueue(
      unique.map((d) => ({
        site: request.site,
        origin: request.origin,
        adapter: request.adapter,
        documentId: d.id,
        ...(d.number ? { documentNumber: d.number } : {}),
        transport: request.transport,
        force: request.includeAlreadyTransferred || undefined,
        ...(request.scheduledFor ? { scheduledFor: request.scheduledFor } : {}),
      })),
    );
    const tracked = results.filter((r) => r.outcome !== 'already-sent');
    const job: BulkJob = {
      id: crypto.randomUUID(),
      site: request.site,
      label: request.label,
      createdAt: this.now(),
      transferIds: tracked.map((r) => r.transfer.id),
      skipped: results.length - tracked.length,
      state: tracked.length > 0 ? 'running' : 'done',
      ...(tracked.length === 0 ? { finishedAt: this.now() } : {}),
      ...(request.notify ? { notify: true } : {}),
    };
    await db.bulkJobs.put(job);
    return { job, queued: results.filter((r) => r.outcome === 'queued').map((r) => r.transfer) };
  }

  async progress(jobId: string): Promise<BulkProgress | undefined> {
    const job = await this.ledger.db.bulkJobs.get(jobId);
    return job ? this.progressOf(job) : undefined;
  }

  /** Counts from the transfers themselves; a running job whose transfers are all settled becomes done. */
  private async progressOf(job: BulkJob, persist = true): Promise<BulkProgress> {
    const transfers = await this.ledger.db.transfers.bulkGet(job.transferIds);
    const count = { done: 0, failed: 0, retrying: 0, pending: 0, cancelled: 0 };
    for (const t of transfers) {
      if (!t) count.cancelled++;
      else if (t.state === 'sent') count.done++;
      else if (t.state === 'needs-attention') {
        if (t.lastError?.code === 'cancelled') count.cancelled++;
        else count.failed++;
      } else if (t.state === 'failed') count.retrying++;
      else count.pending++;
    }
    let current = job;
    if (job.state === 'running' && count.pending + count.retrying === 0) {
      current = { ...job, state: 'done', finishedAt: this.now() };
      if (persist) {
        // Only a job still running becomes done: a cancel that landed since this job was read must stay a cancel.
        const { db } = this.ledger;
        current = await db.transaction('rw', db.bulkJobs, async () => {
          const fresh = await db.bulkJobs.get(job.id);
          if (fresh && fresh.state !== 'running') return fresh;
          await db.bulkJobs.put(current);
          return current;
        });
      }
    }
    const elapsed = this.clock.now().getTime() - Date.parse(job.createdAt);
    const remaining = count.pending + count.retrying;
    const etaMs = current.state === 'running' && count.done > 0 ? Math.round((elapsed / count.done) * remaining) : undefined;
    return {
      jobId: job.id,
      label: job.label,
      state: current.state,
      total: job.transferIds.length,
      ...count,
      skipped: job.skipped,
      ...(etaMs !== undefined ? { etaMs } : {}),
      createdAt: job.createdAt,
      ...(current.finishedAt ? { finishedAt: current.finishedAt } : {}),
    };
  }

  /** Jobs still running, and those finished in the last `recentMs` (so the bar shows the end). */
  async recent(options: { site?: string; recentMs?: number; readOnly?: boolean } = {}): Promise<BulkProgress[]> {
    const since = new Date(this.clock.now().getTime() - (options.recentMs ?? 60 * 60_000)).toISOString();
    const jobs = await this.ledger.db.bulkJobs.where('createdAt').aboveOrEqual(since).reverse().sortBy('createdAt');
    const running = await this.ledger.db.bulkJobs.where('state').equals('running').toArray();
    const all = [...new Map([...running, ...jobs].map((j) => [j.id, j])).values()].filter((j) => !options.site || j.site === options.site);
    // readOnly: inside a live query (popup), which may not write.
    return Promise.all(all.map((j) => this.progressOf(j, !options.readOnly)));
  }

  /** Stops what has not started; what is being sent finishes (it cannot be taken back halfway). */
  async cancel(jobId: string): Promise<BulkProgress | undefined> {
    const job = await this.ledger.db.bulkJobs.get(jobId);
    if (!job) return undefined;
    await this.ledger.cancel(job.transferIds);
    await this.ledger.db.bulkJobs.put({ ...job, state: 'cancelled', finishedAt: this.now() });
    return this.progress(jobId);
  }

  /** Finished scheduled runs not yet summed up in a notification; marks them as notified. */
  async takeFinishedToNotify(): Promise<BulkProgress[]> {
    const candidates = await this.ledger.db.bulkJobs.filter((j) => Boolean(j.notify) && !j.notifiedAt).toArray();
    const out: BulkProgress[] = [];
    for (const job of candidates) {
      const progress = await this.progressOf(job);
      if (progress.state === 'running') continue;
      await this.ledger.db.bulkJobs.update(job.id, { notifiedAt: this.now() });
      out.push(progress);
    }
    return out;
  }
}

/** Keys of documents of a site that were transferred (sent), for "everything not yet transferred". */
export async function transferredIds(ledger: Ledger, site: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await ledger.db.transfers.where('documentKey').anyOf(ids.map((id) => documentKeyOf(site, id))).toArray();
  return new Set(found.filter((t) => t.state === 'sent').map((t) => t.documentId));
}
