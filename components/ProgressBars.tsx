import { browser } from 'wxt/browser';
import { BulkJobs, type BulkProgress } from '../lib/transfer/bulk';
import type { Ledger } from '../lib/ledger/ledger';
import { systemClock } from '../lib/platform/clock';
import { useLiveQuery } from './useLiveQuery';
import { t } from './i18n';

/** "3 min" / "40 s": the time left of a bulk send, roughly (it is an estimate from the pace so far). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds >= 90 ? t.t('engine_duration_minutes', [String(Math.round(seconds / 60))]) : t.t('engine_duration_seconds', [String(seconds)]);
}

function Bar({ job }: { job: BulkProgress }) {
  const settled = job.done + job.failed + job.cancelled;
  return (
    <div className="bulk-progress" data-job-id={job.jobId} data-state={job.state}>
      <div className="row">
        <strong className="grow">
          {t.t('engine_progress_title')} · {job.label}
        </strong>
        {job.state === 'running' && (
          <button type="button" name="cancel-bulk" onClick={() => void browser.runtime.sendMessage({ type: 'bulk.cancel', jobId: job.jobId })}>
            {t.t('engine_progress_cancel')}
          </button>
        )}
        {job.state === 'cancelled' && <span className="muted">{t.t('engine_progress_cancelled')}</span>}
        {job.state === 'done' && <span className="muted">{t.t('engine_progress_done')}</span>}
      </div>
      <progress max={Math.max(1, job.total)} value={settled} />
      <div className="muted">
        <span className="bulk-done">{t.t('engine_progress_counts', [String(job.done), String(job.total)])}</span>
        {job.failed > 0 && <span className="error"> · {t.t('engine_progress_failures', [String(job.failed)])}</span>}
        {job.retrying > 0 && <span> · {t.t('engine_progress_retrying', [String(job.retrying)])}</span>}
        {job.etaMs !== undefined && <span> · {t.t('engine_progress_eta', [formatDuration(job.etaMs)])}</span>}
      </div>
    </div>
  );
}

/** Bulk sends running or just finished, read live from the ledger (they survive worker and browser restarts). */
export function ProgressBars({ ledger }: { ledger: Ledger }) {
  const jobs = useLiveQuery(() => new BulkJobs(ledger, systemClock).recent({ recentMs: 10 * 60_000, readOnly: true }), []) ?? [];
  if (jobs.length === 0) return null;
  // Finished jobs fold away into one line; running ones stay open.
  const running = jobs.filter((job) => job.state === 'running');
  const finished = jobs.filter((job) => job.state !== 'running');
  return (
    <section data-testid="bulk-progress">
      {running.map((job) => (
        <Bar key={job.jobId} job={job} />
      ))}
      {finished.length > 0 && (
        <details className="bulk-finished">
          <summary>{t.t('popup_bulk_finished', [String(finished.length)])}</summary>
          {finished.map((job) => (
            <Bar key={job.jobId} job={job} />
          ))}
        </details>
      )}
    </section>
  );
}
