import type { Clock } from '../platform/clock';
import type { LedgerDb } from './db';

/**
 * The extension's log of site problems: a site adapter's selector that found nothing on a page ("listTable",
 * "detailActions"…) or an adapter that threw ("error: …"). One row per adapter, origin and what, with a count, so
 * support sees at a glance which app changed where. Content scripts report once per page; the log stays small however
 * often they do: a row is rewritten at most once per `perKeyMs`, at most `writesPerWindow` rows are written per
 * `windowMs`, and beyond `maxRows` the row seen longest ago gives way.
 */
export interface SiteProblemRow {
  /** adapter + origin + what, the row's identity. */
  key: string;
  adapter: string;
  /** The page's origin, taken from the sender by the worker. */
  origin: string;
  what: string;
  /** The path of the last page it was seen on (a sample; no query, no fragment). */
  samplePath: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export interface SiteProblemReport {
  adapter: string;
  origin: string;
  what: string;
  path: string;
}

export interface SiteProblemLimits {
  maxRows: number;
  perKeyMs: number;
  windowMs: number;
  writesPerWindow: number;
}

export const SITE_PROBLEM_LIMITS: SiteProblemLimits = { maxRows: 100, perKeyMs: 60_000, windowMs: 60_000, writesPerWindow: 20 };

/** What became of a report: written to the log, or only counted in memory (folded into that row's next write). */
export type RecordOutcome = 'written' | 'held';

export function siteProblemKey(p: Pick<SiteProblemReport, 'adapter' | 'origin' | 'what'>): string {
  return `${p.adapter}\n${p.origin}\n${p.what}`;
}

export class SiteProblemLog {
  /** Per key: when it was last written, and how many reports were held back since. Lost if the worker stops: it is a log. */
  private readonly recent = new Map<string, { writtenAt: number; held: number }>();
  private windowStart = 0;
  private writesInWindow = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: LedgerDb,
    private readonly clock: Clock,
    private readonly limits: SiteProblemLimits = SITE_PROBLEM_LIMITS,
  ) {}

  /** Records a report; serialised, so two reports of one page never race on the same row. */
  record(report: SiteProblemReport): Promise<RecordOutcome> {
    const next = this.queue.then(() => this.write(report));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(report: SiteProblemReport): Promise<RecordOutcome> {
    const now = this.clock.now();
    const ms = now.getTime();
    const iso = now.toISOString();
    const key = siteProblemKey(report);
    const recent = this.recent.get(key);
    if (ms - this.windowStart >= this.limits.windowMs) {
      this.windowStart = ms;
      this.writesInWindow = 0;
    }
    if ((recent && ms - recent.writtenAt < this.limits.perKeyMs) || this.writesInWindow >= this.limits.writesPerWindow) {
      this.hold(key, recent);
      return 'held';
    }
    this.writesInWindow++;
    const extra = recent?.held ?? 0;
    await this.db.transaction('rw', this.db.siteProblems, async () => {
      const existing = await this.db.siteProblems.get(key);
      if (existing) {
        await this.db.siteProblems.put({ ...existing, samplePath: report.path, lastSeen: iso, count: existing.count + 1 + extra });
        return;
      }
      const rows = await this.db.siteProblems.count();
      if (rows >= this.limits.maxRows) {
        const stale = await this.db.siteProblems.orderBy('lastSeen').limit(rows - this.limits.maxRows + 1).primaryKeys();
        await this.db.siteProblems.bulkDelete(stale);
      }
      await this.db.siteProblems.put({ key, adapter: report.adapter, origin: report.origin, what: report.what, samplePath: report.path, firstSeen: iso, lastSeen: iso, count: 1 + extra });
    });
    this.remember(key, { writtenAt: ms, held: 0 });
    return 'written';
  }

  private hold(key: string, recent: { writtenAt: number; held: number } | undefined) {
    // A key throttled by the global window alone has no write yet: writtenAt 0 lets its next turn write at once.
    const entry = recent ?? { writtenAt: 0, held: 0 };
    this.remember(key, { ...entry, held: entry.held + 1 });
  }

  /** The memory is bounded like the table: re-inserted keys move to the end, the oldest goes first. */
  private remember(key: string, entry: { writtenAt: number; held: number }) {
    this.recent.delete(key);
    this.recent.set(key, entry);
    if (this.recent.size > this.limits.maxRows * 2) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Newest first. */
  list(): Promise<SiteProblemRow[]> {
    return this.db.siteProblems.orderBy('lastSeen').reverse().toArray();
  }

  async clear(): Promise<void> {
    await this.queue;
    this.recent.clear();
    await this.db.siteProblems.clear();
  }
}
