import { z } from 'zod';
import type { Ledger } from '../ledger/ledger';
import type { Dossier } from '../model/dossier';
import type { Clock } from '../platform/clock';
import type { EnginePageRequest, ErrorResponse } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';
import { DocumentFetchError, type Fetch, type SiteAdapter } from '../sites/types';
import { localizedText, logEntry, type LocalizedText, type Transfer } from '../model/transfer';
import { DEFAULT_RETRY, type RetryPolicy, type TransferEngine } from './engine';
import { BulkJobs, selectNumberRange, selectPeriod, transferredIds, type BulkProgress } from './bulk';
import { notSendable, planBulk, type BulkFilter, type BulkPlan } from './bulk-plan';
import { dossierRules, readRules, rulesKey, statusAllows, type DossierRules } from './rules';
import { dueForRun, earliest, nextRunAt, type ListedDocument } from './schedule';
import { reconcileDossier, type ModifiedFeed, type ReconcileSummary } from './reconcile';

/** An adapter that can list the site's documents without a page (needed for scheduled runs). */
export interface ListingAdapter extends SiteAdapter {
  listDocuments(origin: string, fetchFn: Fetch): Promise<ListedDocument[]>;
}
export const canList = (adapter: SiteAdapter): adapter is ListingAdapter =>
  typeof (adapter as Partial<ListingAdapter>).listDocuments === 'function';

/** What a bulk send looked at: the app's whole list, or only the documents the request named (the page's rows). */
export type BulkScope = 'app' | 'page';
export type BulkStartResult =
  | { outcome: 'started'; job: BulkProgress; queued: Transfer[]; scope: BulkScope }
  /** Nothing the filter takes (only for a range or a period; a selection names its documents). */
  | { outcome: 'none'; scope: BulkScope }
  /** The app's list could not be read: nothing was queued. */
  | { outcome: 'list-failed'; reason: LocalizedText; detail: string };

/** Why a listing failed, in the adapter's words when it said (a login page, an HTTP error…). */
function listFailure(error: unknown): { reason: LocalizedText; detail: string } {
  if (error instanceof DocumentFetchError) return { reason: { key: error.key, params: error.params }, detail: (error.detail || error.message).slice(0, 2000) };
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  return { reason: { key: 'engine_bulk_list_unexpected', params: [detail.slice(0, 200)] }, detail };
}

/**
 * The message a bulk start answers the page or the popup: the job, or that the filter took nothing, with what was
 * looked at (`scope`); a listing that failed is an error in the reader's language (`t`), and nothing was queued.
 */
export function bulkStartReply(result: BulkStartResult, t: Translator): { ok: true; outcome: 'started' | 'none'; scope: BulkScope; job?: BulkProgress } | ErrorResponse {
  if (result.outcome === 'list-failed') {
    const reason = t.t(result.reason.key, result.reason.params);
    return {
      ok: false,
      error: { code: 'failed', message: `the app's list could not be read: ${result.detail}`, text: { key: 'engine_bulk_list_failed', params: [reason] } },
    };
  }
  if (result.outcome === 'none') return { ok: true, outcome: 'none', scope: result.scope };
  return { ok: true, outcome: 'started', job: result.job, scope: result.scope };
}

/** A site the worker has seen a page of: where its documents are fetched from. */
export const knownSite = z.object({ site: z.string().min(1), origin: z.string().url(), adapter: z.string().min(1) });
export type KnownSite = z.infer<typeof knownSite>;
const KNOWN_SITES = 'engine.sites';
const NOT_SENDABLE_STATUS = /draft|concept|brouillon|cancel|annul|geannuleerd|storn|void/i;
const lastRunKey = (dossierId: string) => `schedule:lastRun:${dossierId}`;

/**
 * The scheduled runs' own log (what went wrong before any document was queued; each queued document logs in its
 * transfer): newest last, bounded. A failed listing is an error here, never an empty list.
 */
export const scheduleLogEntry = logEntry.extend({
  dossierId: z.string(),
  site: z.string(),
  /** Why, in the site adapter's words (e.g. sites_error_list_login). */
  reason: localizedText.optional(),
  /** When the listing is tried again. */
  retryAt: z.string().optional(),
});
export type ScheduleLogEntry = z.infer<typeof scheduleLogEntry>;
export const SCHEDULE_LOG = 'schedule.log';
const SCHEDULE_LOG_MAX = 100;

/**
 * A dossier's run whose listing failed for some sites: those are listed again at `at`, for the run of `runAt` (so a
 * "last month" run still takes that month). The wait doubles from 15 minutes to 6 hours: an expired session can
 * last days, and each attempt is one request to the app and one log line.
 */
const listRetry = z.object({ at: z.string(), runAt: z.string(), attempts: z.number().int().min(1), sites: z.array(z.string()) });
type ListRetry = z.infer<typeof listRetry>;
const retryKey = (dossierId: string) => `schedule:retry:${dossierId}`;
const LIST_RETRY_BASE_MS = 15 * 60_000;
const LIST_RETRY_CAP_MS = 6 * 60 * 60_000;

/** One dossier's part of a scheduled run, per site: what was queued, or why the site's list could not be read. */
export interface ScheduleRunResult {
  dossierId: string;
  site?: string;
  jobId?: string;
  queued: number;
  /** The listing failed: nothing was known, so nothing was decided (not "nothing to send"); it is tried again. */
  failed?: LocalizedText;
}

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

  /**
   * Starts a bulk job from named documents and a filter; answers what was queued and skipped. A range or period
   * takes the app's whole list where the site's adapter can list it (apps paginate: the page shows 15 or 25 rows),
   * with the named documents (the page's rows) added; otherwise only the named documents. A listing that fails
   * queues nothing and says why: the page's rows alone would quietly miss the other pages.
   */
  async startBulk(request: Extract<EnginePageRequest, { type: 'bulk.start' }>, where: { site: string; origin: string; adapter: string }): Promise<BulkStartResult> {
    const { filter } = request;
    const listing = await this.bulkCandidates(request, where);
    if ('outcome' in listing) return listing;
    const { candidates, scope } = listing;
    let chosen: ListedDocument[] = candidates;
    let label = String(request.documents.length);
    if (filter.type === 'range') {
      chosen = selectNumberRange(candidates, filter);
      label = `${filter.year} ${filter.from}–${filter.to}`;
    } else if (filter.type === 'period') {
      chosen = selectPeriod(candidates, filter);
      label = `${filter.from} – ${filter.to}`;
    }
    if (chosen.length === 0) return { outcome: 'none', scope };
    // Named documents the filter left out count as skipped (the app's other documents were never asked for).
    const chosenIds = new Set(chosen.map((d) => d.id));
    const excluded = new Set(request.documents.filter((d) => !chosenIds.has(d.id)).map((d) => d.id)).size;
    const started = await this.bulk.start({
      ...where,
      transport: 'webservice',
      documents: chosen,
      label,
      includeAlreadyTransferred: request.includeAlreadyTransferred,
    });
    if (excluded > 0) await this.db.bulkJobs.update(started.job.id, { skipped: started.job.skipped + excluded });
    return { outcome: 'started', job: (await this.bulk.progress(started.job.id))!, queued: started.queued, scope };
  }

  /**
   * What a range or period send would take, for the page's preview before the user confirms: the same listing and
   * filter as startBulk, and why each document the filter takes would be skipped. Queues nothing.
   */
  async previewBulk(
    request: { documents: ListedDocument[]; filter: BulkFilter },
    where: { site: string; origin: string; adapter: string },
  ): Promise<{ outcome: 'preview'; scope: BulkScope; plan: BulkPlan } | Extract<BulkStartResult, { outcome: 'list-failed' }>> {
    const listing = await this.bulkCandidates({ ...request, filter: request.filter }, where, true);
    if ('outcome' in listing) return listing;
    return { outcome: 'preview', scope: listing.scope, plan: await planBulk(this.options.ledger, where.site, listing.candidates, request.filter) };
  }

  /**
   * The documents a bulk send looks at: the app's whole list where the adapter can list it (a range or a period), with
   * the named ones added, else the named ones. Drafts and cancelled documents never go; `keepUnsendable` keeps them
   * for a preview that says why they are skipped.
   */
  private async bulkCandidates(
    request: { documents: ListedDocument[]; filter: BulkFilter },
    where: { site: string; adapter: string; origin: string },
    keepUnsendable = false,
  ): Promise<{ candidates: ListedDocument[]; scope: BulkScope } | Extract<BulkStartResult, { outcome: 'list-failed' }>> {
    const { filter } = request;
    let candidates: ListedDocument[] = request.documents;
    let scope: BulkScope = 'page';
    const adapter = filter.type === 'selection' ? undefined : this.options.adapters.find((a) => a.id === where.adapter);
    if (adapter && canList(adapter)) {
      let listed: ListedDocument[];
      try {
        listed = await adapter.listDocuments(where.origin, this.options.fetch);
      } catch (error) {
        console.warn('octobridge: bulk send could not list', where.site, error);
        return { outcome: 'list-failed', ...listFailure(error) };
      }
      // The app's word wins over the page's for a document both name (the list was read just now, by the worker).
      const byId = new Map(listed.map((d) => [d.id, d]));
      for (const d of request.documents) if (!byId.has(d.id)) byId.set(d.id, d);
      candidates = [...byId.values()];
      scope = 'app';
    }
    if (!keepUnsendable && (scope === 'app' || filter.type !== 'selection')) candidates = candidates.filter((d) => !notSendable(d));
    return { candidates, scope };
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

  /** When the schedule alarm should next fire (the earliest dossier, or a failed listing's retry), or undefined when nothing is scheduled. */
  async nextScheduledRun(): Promise<Date | undefined> {
    const now = this.options.clock.now();
    const { rules } = await this.allRules();
    const next = await Promise.all(
      rules.map(async (r) => {
        const last = (await this.db.settings.get(lastRunKey(r.dossierId)))?.value;
        // A run missed while the browser was closed happens at the next start (runDueSchedules).
        const regular = nextRunAt(r.schedule, typeof last === 'string' ? new Date(last) : now);
        const retry = r.schedule.type === 'never' ? undefined : await this.listRetry(r.dossierId);
        return earliest([regular, retry ? new Date(retry.at) : undefined]);
      }),
    );
    return earliest(next);
  }

  /** The scheduled runs' log, oldest first. */
  async scheduleLog(): Promise<ScheduleLogEntry[]> {
    const parsed = z.array(scheduleLogEntry).safeParse((await this.db.settings.get(SCHEDULE_LOG))?.value);
    return parsed.success ? parsed.data : [];
  }

  private async listRetry(dossierId: string): Promise<ListRetry | undefined> {
    const parsed = listRetry.safeParse((await this.db.settings.get(retryKey(dossierId)))?.value);
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Runs every dossier schedule that is due: lists each known site's documents, keeps those the schedule and the
   * rules' app status take, skips those already transferred (unless included), and queues the rest as one job per
   * dossier, which is summed up in a notification when done. Routing and approval happen per document in the engine.
   * A site whose list cannot be read (logged out, down) is logged and listed again later, for the same run.
   */
  async runDueSchedules(): Promise<ScheduleRunResult[]> {
    const now = this.options.clock.now();
    const { rules } = await this.allRules();
    const sites = await this.knownSites();
    const out: ScheduleRunResult[] = [];
    for (const rule of rules) {
      if (rule.schedule.type === 'never') continue;
      const lastRaw = (await this.db.settings.get(lastRunKey(rule.dossierId)))?.value;
      const last = typeof lastRaw === 'string' ? new Date(lastRaw) : undefined;
      const due = last ? nextRunAt(rule.schedule, last) : now;
      const regular = due !== undefined && due.getTime() <= now.getTime();
      const retry = await this.listRetry(rule.dossierId);
      const retrying = !regular && retry !== undefined && Date.parse(retry.at) <= now.getTime();
      if (!regular && !retrying) continue;
      if (regular) await this.db.settings.put({ key: lastRunKey(rule.dossierId), value: now.toISOString() });
      // A regular run lists every site; a retry only those that failed, for the run they failed in.
      const runAt = regular ? now : new Date(retry!.runAt);
      const runSites = regular ? sites : sites.filter((s) => retry!.sites.includes(s.site));
      const failures: { site: KnownSite; error: unknown }[] = [];
      const nothingNew: { site: KnownSite; listed: number }[] = [];
      for (const site of runSites) {
        const adapter = this.options.adapters.find((a) => a.id === site.adapter);
        if (!adapter || !canList(adapter)) continue;
        let listed: ListedDocument[];
        try {
          listed = await adapter.listDocuments(site.origin, this.options.fetch);
        } catch (error) {
          failures.push({ site, error });
          continue;
        }
        // The rules' app status is known here for each kind only after fetching; the list's status is checked
        // against the loosest rule so nothing the rules would send is left out.
        const loosest = Object.values(rule.kinds).filter((k) => k.auto);
        const ruleOf = (d: ListedDocument) =>
          d.kind === 'credit-note' ? rule.kinds.salesCreditNote : d.kind === 'invoice' ? rule.kinds.salesInvoice : undefined;
        let candidates = dueForRun(rule.schedule, runAt, listed).filter((d) => {
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
          nothingNew.push({ site, listed: listed.length });
          out.push({ dossierId: rule.dossierId, site: site.site, queued: 0 });
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
        out.push({ dossierId: rule.dossierId, site: site.site, jobId: job.id, queued: queued.length });
      }
      await this.logNothingNew(rule.dossierId, nothingNew);
      out.push(...(await this.settleListing(rule.dossierId, runAt, failures, retry)));
    }
    return out;
  }

  /**
   * A run that read a site and found nothing to send leaves a line too, so support sees the schedule ran (a queued
   * run shows as its bulk job). Only the latest such line per dossier and site is kept: hourly runs over many sites
   * must not push the failures out of the bounded log.
   */
  private async logNothingNew(dossierId: string, sites: { site: KnownSite; listed: number }[]): Promise<void> {
    if (sites.length === 0) return;
    const at = this.options.clock.now().toISOString();
    const fresh = new Set(sites.map((s) => s.site.site));
    const kept = (await this.scheduleLog()).filter((e) => !(e.level === 'info' && e.dossierId === dossierId && fresh.has(e.site)));
    const entries: ScheduleLogEntry[] = sites.map(({ site, listed }) => ({
      at,
      level: 'info',
      text: { key: 'engine_schedule_nothing_new', params: [String(listed)] },
      dossierId,
      site: site.site,
    }));
    await this.db.settings.put({ key: SCHEDULE_LOG, value: [...kept, ...entries].slice(-SCHEDULE_LOG_MAX) });
  }

  /** Logs the sites whose list could not be read and plans their retry; clears the retry when none failed. */
  private async settleListing(
    dossierId: string,
    runAt: Date,
    failures: { site: KnownSite; error: unknown }[],
    previous: ListRetry | undefined,
  ): Promise<ScheduleRunResult[]> {
    if (failures.length === 0) {
      if (previous) await this.db.settings.delete(retryKey(dossierId));
      return [];
    }
    const now = this.options.clock.now();
    // Attempts count on while the failure lasts, across regular runs, so the wait keeps growing.
    const attempts = (previous?.attempts ?? 0) + 1;
    const retryAt = new Date(now.getTime() + Math.min(LIST_RETRY_CAP_MS, LIST_RETRY_BASE_MS * 2 ** (attempts - 1))).toISOString();
    await this.db.settings.put({
      key: retryKey(dossierId),
      value: { at: retryAt, runAt: runAt.toISOString(), attempts, sites: failures.map((f) => f.site.site) } satisfies ListRetry,
    });
    const entries: ScheduleLogEntry[] = failures.map(({ site, error }) => {
      const known = error instanceof DocumentFetchError;
      const detail = (known ? error.detail || error.message : error instanceof Error ? error.message : String(error)).slice(0, 2000);
      console.warn('octobridge: scheduled run could not list', site.site, error);
      return {
        at: now.toISOString(),
        level: 'error',
        text: { key: 'engine_schedule_list_failed', params: [site.site] },
        ...(known ? { reason: { key: error.key, params: error.params } } : {}),
        ...(detail ? { detail } : {}),
        dossierId,
        site: site.site,
        retryAt,
      };
    });
    await this.db.settings.put({ key: SCHEDULE_LOG, value: [...(await this.scheduleLog()), ...entries].slice(-SCHEDULE_LOG_MAX) });
    return entries.map((e) => ({ dossierId, site: e.site, queued: 0, failed: e.reason ?? e.text }));
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

