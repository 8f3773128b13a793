import { useEffect, useRef } from 'react';
import { z } from 'zod';
import type { LedgerDb } from '../lib/ledger/db';
import { readRules, rulesKey } from '../lib/transfer/rules';
import { SCHEDULE_LOG, scheduleLogEntry, type ScheduleLogEntry } from '../lib/transfer/service';
import { useLiveQuery } from './useLiveQuery';
import { t, text, uiLanguage } from './i18n';

/**
 * What scheduled runs did, for support: the worker's schedule log (failed listings, and the latest "nothing new" per
 * site, lib/transfer/service.ts) and the bulk jobs the runs started (documents queued), read live from the same
 * IndexedDB as SiteProblemList does.
 */

/** The options page anchor the popup's notice opens. */
export const SCHEDULED_RUNS_ANCHOR = 'scheduled-runs';
const SHOWN = 50;

/**
 * The retry service.ts plans per dossier (`schedule:retry:<dossierId>`, cleared once every site listed again): the
 * record that a failure still holds. Read loosely: only these two fields matter here.
 */
const RETRY_PREFIX = 'schedule:retry:';
const pendingRetry = z.object({ at: z.string(), sites: z.array(z.string()) });

export type ScheduledRun =
  | { kind: 'queued'; id: string; at: string; site: string; count: number }
  | { kind: 'log'; id: string; at: string; site: string; dossierId: string; entry: ScheduleLogEntry; retryAt?: string };

/** Newest first, at most `limit`. Only Dexie calls are awaited, so it runs inside liveQuery. */
export async function readScheduledRuns(db: LedgerDb, limit = SHOWN): Promise<ScheduledRun[]> {
  const [logRow, retryRows, jobs] = await Promise.all([
    db.settings.get(SCHEDULE_LOG),
    db.settings.where('key').startsWith(RETRY_PREFIX).toArray(),
    // `notify` marks a job a scheduled run started (lib/ledger/db.ts BulkJob).
    db.bulkJobs.orderBy('createdAt').reverse().filter((j) => j.notify === true).limit(limit).toArray(),
  ]);
  const parsedLog = z.array(scheduleLogEntry).safeParse(logRow?.value);
  const log = parsedLog.success ? parsedLog.data : [];

  const pending = new Map<string, z.infer<typeof pendingRetry>>();
  for (const row of retryRows) {
    const parsed = pendingRetry.safeParse(row.value);
    if (parsed.success) pending.set(row.key.slice(RETRY_PREFIX.length), parsed.data);
  }
  // The service ignores the retry of a dossier whose schedule was since set to "never": so does this list.
  const rules = await Promise.all([...pending.keys()].map(async (id) => readRules(id, (await db.settings.get(rulesKey(id)))?.value)));
  for (const rule of rules) if (rule.schedule.type === 'never') pending.delete(rule.dossierId);

  const runs: ScheduledRun[] = jobs.map((job) => ({ kind: 'queued', id: `job:${job.id}`, at: job.createdAt, site: job.site, count: job.transferIds.length }));
  const latest = new Set<string>();
  // The log is oldest first: walking it backwards, the first entry of a dossier and site is its latest.
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i]!;
    const pair = `${entry.dossierId}\u0000${entry.site}`;
    const isLatest = !latest.has(pair);
    latest.add(pair);
    const retry = pending.get(entry.dossierId);
    const planned = isLatest && entry.level === 'error' && retry?.sites.includes(entry.site) ? retry.at : undefined;
    runs.push({ kind: 'log', id: `log:${entry.at}:${entry.dossierId}:${entry.site}`, at: entry.at, site: entry.site, dossierId: entry.dossierId, entry, ...(planned ? { retryAt: planned } : {}) });
  }
  return runs.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, limit);
}

/** Sites whose latest scheduled listing failed and is still to be retried, newest failure first, one per site. */
export function failingSites(runs: readonly ScheduledRun[]): Extract<ScheduledRun, { kind: 'log' }>[] {
  const seen = new Set<string>();
  const out: Extract<ScheduledRun, { kind: 'log' }>[] = [];
  for (const run of runs) {
    if (run.kind !== 'log' || run.retryAt === undefined || seen.has(run.site)) continue;
    seen.add(run.site);
    out.push(run);
  }
  return out;
}

/** Why a listing failed, in the reader's language: the adapter's reason, else the raw error, else the log's text. */
export function failureReason(entry: ScheduleLogEntry): string {
  if (entry.reason) return text(entry.reason);
  return entry.detail ?? text(entry.text);
}

export function runOutcomeText(run: ScheduledRun): string {
  if (run.kind === 'queued') return run.count === 1 ? t.t('engine_schedule_runs_queued_one') : t.t('engine_schedule_runs_queued', [String(run.count)]);
  if (run.entry.level !== 'error') return text(run.entry.text);
  return t.t('engine_schedule_runs_failed', [failureReason(run.entry)]);
}

export function useScheduledRuns(db: LedgerDb): ScheduledRun[] | undefined {
  return useLiveQuery(() => readScheduledRuns(db), [db]);
}

/** The options page's list (rules section). */
export function ScheduledRunList({ db, dossierName }: { db: LedgerDb; dossierName?: (id: string) => string | undefined }) {
  const runs = useScheduledRuns(db);
  const heading = useRef<HTMLHeadingElement>(null);
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
  const loaded = runs !== undefined;
  // The browser looks for the popup link's #anchor before React has drawn the list: scroll once it is there, and
  // again while the sections above it, which load on their own, grow (until the user scrolls or 3 s have passed).
  useEffect(() => {
    const target = heading.current;
    if (!loaded || !target || location.hash !== `#${SCHEDULED_RUNS_ANCHOR}`) return;
    target.scrollIntoView();
    const observer = new ResizeObserver(() => target.scrollIntoView());
    observer.observe(document.body);
    const USER = ['wheel', 'keydown', 'mousedown', 'touchstart'] as const;
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      for (const type of USER) window.removeEventListener(type, stop);
    };
    const timer = setTimeout(stop, 3000);
    for (const type of USER) window.addEventListener(type, stop, { passive: true });
    return stop;
  }, [loaded]);

  return (
    <div data-testid="scheduled-runs">
      <h3 id={SCHEDULED_RUNS_ANCHOR} ref={heading}>
        {t.t('engine_schedule_runs_title')}
      </h3>
      <p className="muted">{t.t('engine_schedule_runs_help')}</p>
      {runs && runs.length === 0 && <p className="muted">{t.t('engine_schedule_runs_none')}</p>}
      {runs && runs.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t.t('engine_schedule_runs_time')}</th>
              <th>{t.t('engine_schedule_runs_site')}</th>
              <th>{t.t('engine_schedule_runs_result')}</th>
              <th>{t.t('engine_schedule_runs_retry')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => {
              const failed = run.kind === 'log' && run.entry.level === 'error';
              const dossier = run.kind === 'log' ? dossierName?.(run.dossierId) : undefined;
              return (
                <tr key={run.id} data-site={run.site} data-outcome={run.kind === 'queued' ? 'queued' : run.entry.level}>
                  <td className="run-time">{time.format(new Date(run.at))}</td>
                  <td className="run-site">
                    <div>{run.site}</div>
                    {dossier && <div className="muted">{dossier}</div>}
                  </td>
                  <td className={failed ? 'run-outcome error' : 'run-outcome'}>
                    <div className="run-text">{runOutcomeText(run)}</div>
                    {/* The app's own words (a status code, a page title) for support, beside the translated reason. */}
                    {failed && run.entry.reason && run.entry.detail && <div className="muted run-detail">{run.entry.detail}</div>}
                  </td>
                  <td className="run-retry muted">{run.kind === 'log' && run.retryAt ? time.format(new Date(run.retryAt)) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The popup's one line when a site's latest scheduled listing failed; `onOpen` shows the options page's list. */
export function ScheduleFailureNotice({ db, onOpen }: { db: LedgerDb; onOpen: () => void }) {
  const runs = useScheduledRuns(db);
  const failing = runs ? failingSites(runs) : [];
  const first = failing[0];
  if (!first) return null;
  const line =
    t.t('engine_schedule_notice', [first.site, failureReason(first.entry)]) +
    (failing.length > 1 ? ` ${t.t('engine_schedule_notice_more', [String(failing.length - 1)])}` : '');
  return (
    <p data-testid="schedule-failure" className="schedule-failure">
      <a
        href={`options.html#${SCHEDULED_RUNS_ANCHOR}`}
        className="error"
        title={line}
        onClick={(event) => {
          event.preventDefault();
          onOpen();
        }}
      >
        {line}
      </a>
    </p>
  );
}
