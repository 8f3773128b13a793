import type { Translator } from '../i18n/translator';
import type { BulkProgress } from '../transfer/bulk';
import { addStyle, el, PREFIX, type ProgressPort } from './progress-port';
import { isUserEvent, onUserEvent, type UserEventCheck } from './shadow';

/** "3 min" / "40 s": the time left, roughly (an estimate from the pace so far). */
export function formatDuration(ms: number, t: Translator): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds >= 90 ? t.t('engine_duration_minutes', [String(Math.round(seconds / 60))]) : t.t('engine_duration_seconds', [String(seconds)]);
}

/**
 * The site's bulk jobs in the page: those running (also after a reload), and those this page saw running until
 * the user closes them. Polls while something runs; a status push nudges it sooner.
 */
export class ProgressPanel {
  private container?: HTMLElement;
  private anchor?: Element;
  private readonly seen = new Set<string>();
  private readonly closed = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly doc: Document,
    private readonly port: ProgressPort,
    private readonly t: Translator,
    /** isUserEvent: whether an event is the user's own (default `isTrusted`; unit tests replace it). */
    private readonly options: { pollMs?: number; isUserEvent?: UserEventCheck } = {},
  ) {}

  start(signal?: AbortSignal): Promise<void> {
    addStyle(this.doc);
    signal?.addEventListener('abort', () => this.stop());
    return this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.container?.remove();
  }

  /** The bar goes right below the page's bulk bar when there is one, else it floats in a corner. */
  placeAfter(anchor: Element): void {
    this.anchor = anchor;
    if (this.container) this.place(this.container);
  }

  /** A job this page just started: shown until closed, even once finished. */
  track(job: BulkProgress): Promise<void> {
    this.seen.add(job.jobId);
    this.render([job]);
    return this.refresh();
  }

  /** Something changed (a status push): look again soon. */
  nudge(): void {
    this.schedule(300);
  }

  refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const jobs = await this.port.progress();
        if (!this.stopped) this.render(jobs);
      } catch {
        // The worker may be starting; the next poll asks again.
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  private place(container: HTMLElement) {
    if (this.anchor?.isConnected) {
      container.classList.remove(`${PREFIX}-progress-floating`);
      if (container.previousElementSibling !== this.anchor) this.anchor.after(container);
    } else {
      container.classList.add(`${PREFIX}-progress-floating`);
      if (!container.isConnected) this.doc.body.append(container);
    }
  }

  private render(jobs: readonly BulkProgress[]) {
    for (const job of jobs) if (job.state === 'running') this.seen.add(job.jobId);
    const shown = jobs.filter((j) => !this.closed.has(j.jobId) && (j.state === 'running' || this.seen.has(j.jobId)));
    const container = (this.container ??= el(this.doc, 'div', {}, { class: `${PREFIX}-progress`, role: 'region', 'aria-label': this.t.t('engine_progress_title') }));
    // Jobs answered earlier and not in this answer stay (a track() renders one job before the list comes).
    const byId = new Map([...container.querySelectorAll<HTMLElement>(`.${PREFIX}-job`)].map((n) => [n.dataset.jobId!, n]));
    for (const job of shown) {
      const node = byId.get(job.jobId);
      // Rebuilt only when something shown changed, so a button is not replaced under the user's pointer.
      const signature = [job.state, job.total, job.done, job.failed, job.retrying, job.cancelled, job.etaMs === undefined].join('|');
      if (node?.dataset.signature === signature) {
        const eta = node.querySelector(`.${PREFIX}-job-eta`);
        if (eta && job.etaMs !== undefined) eta.textContent = this.t.t('engine_progress_eta', [formatDuration(job.etaMs, this.t)]);
        continue;
      }
      const fresh = this.jobNode(job);
      fresh.dataset.signature = signature;
      if (node) node.replaceWith(fresh);
      else container.append(fresh);
    }
    for (const [id, node] of byId) if (this.closed.has(id)) node.remove();
    if (container.childElementCount === 0) container.remove();
    else this.place(container);
    if (jobs.some((j) => j.state === 'running')) this.schedule(this.options.pollMs ?? 1000);
  }

  private jobNode(job: BulkProgress): HTMLElement {
    const { t } = this;
    const node = el(this.doc, 'div', {}, {
      class: `${PREFIX}-job`,
      'data-job-id': job.jobId,
      'data-state': job.state,
      'data-done': String(job.done),
      'data-total': String(job.total),
      'data-failed': String(job.failed),
      role: 'status',
    });
    const head = el(this.doc, 'div', {}, { class: `${PREFIX}-job-head` });
    head.append(el(this.doc, 'strong', { textContent: `${t.t('engine_progress_title')} · ${job.label}`, title: job.label }));
    if (job.state === 'running') {
      const cancel = el(this.doc, 'button', { type: 'button', textContent: t.t('engine_progress_cancel') }, { class: `${PREFIX}-btn ${PREFIX}-job-cancel` });
      // Cancelling a user's job is the user's decision: a script's click does nothing.
      onUserEvent(cancel, 'click', this.options.isUserEvent ?? isUserEvent, () => {
        cancel.disabled = true;
        void this.port
          .cancel(job.jobId)
          .catch(() => undefined)
          .then(() => this.refresh());
      });
      head.append(cancel);
    } else {
      head.append(el(this.doc, 'span', { textContent: t.t(job.state === 'cancelled' ? 'engine_progress_cancelled' : 'engine_progress_done') }, { class: `${PREFIX}-job-end` }));
      const close = el(this.doc, 'button', { type: 'button', textContent: '×', title: t.t('engine_progress_close') }, { class: `${PREFIX}-btn ${PREFIX}-job-close`, 'aria-label': t.t('engine_progress_close') });
      onUserEvent(close, 'click', this.options.isUserEvent ?? isUserEvent, () => {
        this.closed.add(job.jobId);
        node.remove();
        if (this.container && this.container.childElementCount === 0) this.container.remove();
      });
      head.append(close);
    }
    const settled = job.done + job.failed + job.cancelled;
    const bar = el(this.doc, 'progress', { max: Math.max(1, job.total), value: settled });
    const counts = el(this.doc, 'div', {}, { class: `${PREFIX}-job-counts` });
    counts.append(el(this.doc, 'span', { textContent: t.t('engine_progress_counts', [String(job.done), String(job.total)]) }, { class: `${PREFIX}-job-done` }));
    const more: [string, string][] = [];
    if (job.failed > 0) more.push([`${PREFIX}-job-failed`, t.t('engine_progress_failures', [String(job.failed)])]);
    if (job.retrying > 0) more.push([`${PREFIX}-job-retrying`, t.t('engine_progress_retrying', [String(job.retrying)])]);
    if (job.state === 'running' && job.etaMs !== undefined) more.push([`${PREFIX}-job-eta`, t.t('engine_progress_eta', [formatDuration(job.etaMs, t)])]);
    for (const [cls, text] of more) counts.append(' · ', el(this.doc, 'span', { textContent: text }, { class: cls }));
    node.append(head, bar, counts);
    return node;
  }
}

