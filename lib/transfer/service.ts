import { z } from 'zod';
import type { Ledger } from '../ledger/ledger';
import type { Dossier } from '../model/dossier';
import type { Clock } from '../platform/clock';
import type { EnginePageRequest } from '../messaging/protocol';
import type { Fetch, SiteAdapter } from '../sites/types';
import { DEFAULT_RETRY, type RetryPolicy, type TransferEngine } from './engine';
import { BulkJobs, selectNumberRange, selectPeriod, transferredIds, type BulkProgress } from './bulk';
import { dossierRules, readRules, rulesKey, statusAllows, type DossierRules } from './rules';
import { dueForRun, earliest, nextRunAt, type ListedDocument } from './schedule';
import { reconcileDossier, type ModifiedFeed, type ReconcileSummary } from './reconcile';

/** An adapter that can list the site's documents without a page (needed for scheduled runs). */
export interface ListingAdapter extends SiteAdapter {
  listDocuments(origin: string, fetchFn: Fetch): Promise<ListedDocument[]>;
}
export const canList = (adapter: SiteAdapter): adapter is ListingAdapter =>
  typeof (adapter as Partial<ListingAdapter>).listDocuments === 'function';

/** A site the worker has seen a page of: where its documents are fetched from. */
export const knownSite = z.object({ site: z.string().min(1), origin: z.string().url(), adapter: z.string().min(1) });
export type KnownSite = z.infer<typeof knownSite>;
const KNOWN_SITES = 'engine.sites';
const NOT_SENDABLE_STATUS = /draft|concept|brouillon|cancel|annul|geannuleerd|storn|void/i;
const lastRunKey = (dossierId: string) => `schedule:lastRun:${dossierId}`;

/**
 * Retry tuning, not shown in the UI (the defaults suit Octopus). Kept as a setting so support, and the fault
 * test, can shorten the waits without a new build; bounded so a bad value cannot hammer Octopus.
 */
export const retrySetting = z.object({
  baseMs: z.number().int().min(200).max(10 * 60_000),
  capMs: z.number().int().min(1_000).max(6 * 60 * 60_000),
  maxAttempts: z.number().int().min(1).max(100),
});
export const RETRY_SETTING = 'engine.retry';

export interface EngineServiceOptions {
  ledger: Ledger;
  engine: TransferEngine;
  adapters: readonly SiteAdapter[];
  fetch: Fetch;
  clock: Clock;
  /** The dossier's modified feed (the webservice client's modifiedBookings), for reconciliation. */
  feed?: ModifiedFeed;
}

/** What the popup, the options page and the page's progress bar ask of the engine; browser-free. */
export class EngineService {
  readonly bulk: BulkJobs;

  constructor(private readonly options: EngineServiceOptions) {
    this.bulk = new BulkJobs(options.ledger, options.clock);
  }

  private get db() {
    return this.options.ledger.db;
  }

  async retryPolicy(): Promise<RetryPolicy> {
    const parsed = retrySetting.safeParse((await this.db.settings.get(RETRY_SETTING))?.value);
    return parsed.success ? parsed.data : DEFAULT_RETRY;
  }

  async rulesFor(dossierId: string): Promise<DossierRules> {
    return readRules(dossierId, (await this.db.settings.get(rulesKey(dossierId)))?.value);
  }

  async rememberSite(site: KnownSite): Promise<void> {
    const sites = await this.knownSites();
    if (sites.some((s) => s.site === site.site && s.origin === site.origin && s.adapter === site.adapter)) return;
    await this.db.settings.put({ key: KNOWN_SITES, value: [...sites.filter((s) => s.site !== site.site), site] });
  }

  async knownSites(): Promise<KnownSite[]> {
    const parsed = z.array(knownSite).safeParse((await this.db.settings.get(KNOWN_SITES))?.value);
    return parsed.success ? parsed.data : [];
  }

  /** Starts a bulk job from listed documents and a filter; answers what was queued and skipped. */
  async startBulk(request: Extract<EnginePageRequest, { type: 'bulk.start' }>, where: { site: string; origin: string; adapter: string }) {
    let chosen: Pick<ListedDocument, 'id' | 'number' | 'issueDate'>[] = request.documents;
    let label = String(request.documents.length);
    if (request.filter.type === 'range') {
      chosen = selectNumberRange(request.documents, request.filter);
      label = `${request.filter.year} ${request.filter.from}–${request.filter.to}`;
    } else if (request.filter.type === 'period') {
      chosen = selectPeriod(request.documents, request.filter);
      label = `${request.filter.from} – ${request.filter.to}`;
    }
    const excluded = request.documents.length - chosen.length;
    const started = await this.bulk.start({
      ...where,
      transport: 'webservice',
      documents: chosen,
      label,
      includeAlreadyTransferred: request.includeAlreadyTransferred,
    });
    if (excluded > 0) await this.db.bulkJobs.update(started.job.id, { skipped: started.job.skipped + excluded });
    return { job: (await this.bulk.progress(started.job.id))!, queued: started.queued };
  }

  async saveRules(raw: unknown): Promise<{ ok: true; rules: DossierRules } | { ok: false; message: string }> {
    const parsed = dossierRules.safeParse(raw);
    if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    if (!(await this.db.dossiers.get(parsed.data.dossierId))) return { ok: false, message: 'unknown dossier' };
    await this.db.settings.put({ key: rulesKey(parsed.data.dossierId), value: parsed.data });
    return { ok: true, rules: parsed.data };
  }

  async allRules(): Promise<{ dossiers: Dossier[]; rules: DossierRules[] }> {
    const dossiers = await this.db.dossiers.toArray();
    return { dossiers, rules: await Promise.all(dossiers.map((d) => this.rulesFor(d.id))) };
  }

  /** The user approves documents waiting for approval: they go now. */
  async approve(transferIds: string[]) {
    const transfers = (await this.db.transfers.bulkGet(transferIds)).filter((t) => t !== undefined);
    return this.options.engine.send(
      transfers.map((t) => ({
        site: t.site,
        origin: t.origin,
        adapter: t.adapter,
        documentId: t.documentId,
        transport: t.transport,
        approved: true,
      })),
    );
  }

  /** When the schedule alarm should next fire (the earliest dossier), or undefined when nothing is scheduled. */
  async nextScheduledRun(): Promise<Date | undefined> {
    const now = this.options.clock.now();
    const { rules } = await this.allRules();
    const next = await Promise.all(
      rules.map(async (r) => {
        const last = (await this.db.settings.get(lastRunKey(r.dossierId)))?.value;
        // A run missed while the browser was closed happens at the next start (runDueSchedules).
        return nextRunAt(r.schedule, typeof last === 'string' ? new Date(last) : now);
      }),
    );
    return earliest(next);
  }

  /**
   * Runs every dossier schedule that is due: lists each known site's documents, keeps those the schedule and the
   * rules' app status take, skips those already transferred (unless included), and queues the rest as one job per
   * dossier, which is summed up in a notification when done. Routing and approval happen per document in the engine.
   */
  async runDueSchedules(): Promise<{ dossierId: string; jobId?: string; queued: number }[]> {
    const now = this.options.clock.now();
    const { rules } = await this.allRules();
    const sites = await this.knownSites();
    const out: { dossierId: string; jobId?: string; queued: number }[] = [];
    for (const rule of rules) {
      if (rule.schedule.type === 'never') continue;
      const lastRaw = (await this.db.settings.get(lastRunKey(rule.dossierId)))?.value;
      const last = typeof lastRaw === 'string' ? new Date(lastRaw) : undefined;
      const due = last ? nextRunAt(rule.schedule, last) : now;
      if (!due || due.getTime() > now.getTime()) continue;
      await this.db.settings.put({ key: lastRunKey(rule.dossierId), value: now.toISOString() });
      for (const site of sites) {
        const adapter = this.options.adapters.find((a) => a.id === site.adapter);
        if (!adapter || !canList(adapter)) continue;
        const listed = await adapter.listDocuments(site.origin, this.options.fetch).catch(() => [] as ListedDocument[]);
        // The rules' app status is known here for each kind only after fetching; the list's status is checked
        // against the loosest rule so nothing the rules would send is left out.
        const loosest = Object.values(rule.kinds).filter((k) => k.auto);
        const ruleOf = (d: ListedDocument) =>
          d.kind === 'credit-note' ? rule.kinds.salesCreditNote : d.kind === 'invoice' ? rule.kinds.salesInvoice : undefined;
        let candidates = dueForRun(rule.schedule, now, listed).filter((d) => {
          // Drafts are not final, cancelled documents are void: neither ever goes by itself.
          if (NOT_SENDABLE_STATUS.test(d.status ?? '')) return false;
          const own = ruleOf(d);
          return own ? own.auto && statusAllows(own, d.status) : loosest.some((k) => statusAllows(k, d.status));
        });
        if (!rule.includeAlreadyTransferred) {
          const sent = await transferredIds(this.options.ledger, site.site, candidates.map((d) => d.id));
          candidates = candidates.filter((d) => !sent.has(d.id));
        }
        if (candidates.length === 0) {
          out.push({ dossierId: rule.dossierId, queued: 0 });
          continue;
        }
        const { job, queued } = await this.bulk.start({
          site: site.site,
          origin: site.origin,
          adapter: site.adapter,
          transport: 'webservice',
          documents: candidates,
          label: `schedule ${rule.schedule.type}`,
          includeAlreadyTransferred: rule.includeAlreadyTransferred,
          scheduledFor: rule.dossierId,
          notify: true,
        });
        out.push({ dossierId: rule.dossierId, jobId: job.id, queued: queued.length });
      }
    }
    return out;
  }

  /** Reads the modified feed of one dossier or all (each at most once per call). */
  async reconcile(dossierId?: string): Promise<ReconcileSummary[]> {
    const { feed } = this.options;
    if (!feed) return [];
    const dossiers = dossierId ? [await this.db.dossiers.get(dossierId)].filter((d) => d !== undefined) : await this.db.dossiers.toArray();
    const out: ReconcileSummary[] = [];
    for (const dossier of dossiers.filter((d) => d.transport === 'webservice')) {
      out.push(await reconcileDossier({ ledger: this.options.ledger, dossier, feed, clock: this.options.clock }));
    }
    return out;
  }

  async progress(jobId?: string, site?: string): Promise<BulkProgress[]> {
    if (jobId) {
      const one = await this.bulk.progress(jobId);
      return one ? [one] : [];
    }
    return this.bulk.recent(site ? { site } : {});
  }
}

