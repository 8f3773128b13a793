import type { Translator } from '../i18n/translator';
import type { DocumentStatus } from '../messaging/protocol';
import type { LocalizedText, OctopusReference } from '../model/transfer';
import type { RowInfo, SiteDomAdapter } from '../sites/types';
import { selectNumberRange, selectPeriod, type BulkProgress } from '../transfer/bulk';
import type { ListedDocument } from '../sites/types';
import { closedHost, controlHost, isUserEvent, onUserEvent, shadowOf, type UserEventCheck } from './shadow';

/**
 * The page side of bulk sends (issue 6): the progress bar of the site's running jobs (done / total, failures,
 * time left, cancel), the bulk bar's "number range" and "not yet transferred between two dates" sends, and the
 * warning before the app's edit action on a document already in Octopus. The worker holds the jobs (they survive
 * restarts), so a reloaded page asks for them again and the bar reappears while a job runs.
 */

export type RangeOrPeriod = { type: 'range'; year: number; from: number; to: number } | { type: 'period'; from: string; to: string };
export type PageDocument = Pick<ListedDocument, 'id' | 'number' | 'issueDate'>;

/**
 * The worker's answer to a range or period send: the job it started, or that the filter took nothing; `scope` says
 * whether it read the app's whole list ('app') or only had this page's rows ('page': the adapter cannot list).
 */
export type BulkStartAnswer = { outcome: 'started'; job: BulkProgress; scope: 'app' | 'page' } | { outcome: 'none'; scope: 'app' | 'page' };

/** A worker's refusal, with its message in the reader's language when it has one (e.g. the app's list could not be read). */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly text?: LocalizedText,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** What this module needs from the worker, all about the page's own site (the worker takes the site from the sender). */
export interface ProgressPort {
  progress(): Promise<BulkProgress[]>;
  cancel(jobId: string): Promise<void>;
  start(documents: PageDocument[], filter: RangeOrPeriod): Promise<BulkStartAnswer>;
  warnEdit(documentId: string): Promise<{ warn: boolean; reference?: OctopusReference }>;
}

const PREFIX = 'octobridge';

export const PROGRESS_CSS = `
.${PREFIX}-progress{display:grid;gap:6px;margin:6px 0;font:13px/1.4 sans-serif;color:#1b2b26}
.${PREFIX}-progress-floating{position:fixed;right:12px;bottom:12px;z-index:2147483646;width:22em;max-width:calc(100vw - 24px)}
.${PREFIX}-job{padding:6px 10px;border:1px solid #cfe3dc;border-radius:6px;background:#f1f8f5}
.${PREFIX}-job-head{display:flex;gap:8px;align-items:center}
.${PREFIX}-job-head strong{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.${PREFIX}-job progress{width:100%;height:8px;margin:4px 0}
.${PREFIX}-job-failed{color:#b3261e}
.${PREFIX}-bulk-more{display:inline-flex;gap:6px;align-items:center;flex-wrap:wrap}
.${PREFIX}-bulk-more details{display:inline-block}
.${PREFIX}-bulk-more summary{cursor:pointer;color:#1f6f5c}
.${PREFIX}-bulk-more label{display:inline-flex;gap:3px;align-items:center;margin-right:4px}
.${PREFIX}-bulk-more input[type=number]{width:5.5em}
octobridge-message.${PREFIX}-bulk-message{font-size:12px;display:inline-block}
.${PREFIX}-edit-warning{margin:8px 0;padding:8px 12px;border:1px solid #e8c66a;border-left:4px solid #d99a00;border-radius:4px;background:#fff8e1;color:#5c4400;font-size:13px;line-height:1.4}
`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}) {
  const node = doc.createElement(tag);
  Object.assign(node, props);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function addStyle(doc: Document) {
  if (doc.getElementById(`${PREFIX}-progress-style`)) return;
  doc.head.append(el(doc, 'style', { id: `${PREFIX}-progress-style`, textContent: PROGRESS_CSS }));
}

/** "3 min" / "40 s": the time left, roughly (an estimate from the pace so far). */
export function formatDuration(ms: number, t: Translator): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds >= 90 ? t.t('engine_duration_minutes', [String(Math.round(seconds / 60))]) : t.t('engine_duration_seconds', [String(seconds)]);
}

// --- What the user typed -------------------------------------------------------------------------------------

type Parsed<T> = { ok: true; value: T } | { ok: false; error: LocalizedText };
const wholeNumber = (value: string) => (/^\s*\d{1,9}\s*$/.test(value) ? Number(value) : undefined);

/** "1", "10", "2026" from the range fields, or the first problem in the user's words. */
export function parseRange(input: { year: string; from: string; to: string }): Parsed<Extract<RangeOrPeriod, { type: 'range' }>> {
  const year = wholeNumber(input.year);
  if (year === undefined || year < 1990 || year > 2100) return { ok: false, error: { key: 'engine_bulk_error_year', params: [input.year.trim()] } };
  const from = wholeNumber(input.from);
  if (from === undefined) return { ok: false, error: { key: 'engine_bulk_error_number', params: [input.from.trim()] } };
  const to = wholeNumber(input.to);
  if (to === undefined) return { ok: false, error: { key: 'engine_bulk_error_number', params: [input.to.trim()] } };
  if (from > to) return { ok: false, error: { key: 'engine_bulk_error_order', params: [String(from), String(to)] } };
  return { ok: true, value: { type: 'range', year, from, to } };
}

function isoDay(value: string): string | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // 2026-02-30 is not a day.
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]) ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export function parsePeriod(input: { from: string; to: string }): Parsed<Extract<RangeOrPeriod, { type: 'period' }>> {
  const from = isoDay(input.from);
  if (!from) return { ok: false, error: { key: 'engine_bulk_error_date', params: [input.from.trim()] } };
  const to = isoDay(input.to);
  if (!to) return { ok: false, error: { key: 'engine_bulk_error_date', params: [input.to.trim()] } };
  if (from > to) return { ok: false, error: { key: 'engine_bulk_error_order', params: [from, to] } };
  return { ok: true, value: { type: 'period', from, to } };
}

/**
 * The page's sendable rows the filter takes, with the same selection the worker applies (lib/transfer/bulk.ts): what
 * the page names in its request. The worker adds the app's other pages where the site's adapter can list them.
 */
export function documentsFor(rows: readonly RowInfo[], filter: RangeOrPeriod): PageDocument[] {
  const listed: ListedDocument[] = rows
    .filter((r) => r.sendable)
    .map((r) => ({ id: r.documentId, ...(r.number ? { number: r.number } : {}), ...(r.issueDate ? { issueDate: r.issueDate } : {}) }));
  const chosen = filter.type === 'range' ? selectNumberRange(listed, filter) : selectPeriod(listed, filter);
  return chosen.map((d) => ({ id: d.id, ...(d.number ? { number: d.number } : {}), ...(d.issueDate ? { issueDate: d.issueDate } : {}) }));
}

// --- The progress bar ---------------------------------------------------------------------------------------

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

// --- The bulk bar's range and period sends ------------------------------------------------------------------

/** "Number range" and "not yet transferred, by date", added to the overlay's bulk bar (lib/overlay/overlay.ts). */
export class BulkRangeControls {
  constructor(
    private readonly doc: Document,
    private readonly rows: () => readonly RowInfo[],
    private readonly port: ProgressPort,
    private readonly t: Translator,
    private readonly started: (job: BulkProgress) => void,
    private readonly today: () => Date = () => new Date(),
    /** Whether an event is the user's own (default `isTrusted`; unit tests replace it). */
    private readonly isUser: UserEventCheck = isUserEvent,
  ) {}

  attach(bar: Element): void {
    if (bar.querySelector(`.${PREFIX}-bulk-more`)) return;
    addStyle(this.doc);
    const { t, doc } = this;
    const box = el(doc, 'span', {}, { class: `${PREFIX}-bulk-more` });
    // Fields, buttons and the answer are each in a closed root (./shadow.ts): the page can neither fill nor press them.
    const { host: message, root: messageRoot } = closedHost(doc, 'octobridge-message', ':host{display:inline-block;font-size:12px}[data-kind=error]{color:#b3261e}', { class: `${PREFIX}-bulk-message` });
    messageRoot.append(el(doc, 'span', {}, { 'aria-live': 'polite' }));
    const year = String(this.today().getFullYear());

    const range = el(doc, 'details', {}, { class: `${PREFIX}-bulk-range` });
    const rangeFields = {
      year: this.input('range-year', 'number', year),
      from: this.input('range-from', 'number', '1'),
      to: this.input('range-to', 'number', ''),
    };
    const rangeSend = this.button('bulk-range-send', t.t('engine_bulk_range_send'));
    onUserEvent(rangeSend.control, 'click', this.isUser, () => {
      const parsed = parseRange({ year: rangeFields.year.control.value, from: rangeFields.from.control.value, to: rangeFields.to.control.value });
      void this.send(parsed, message, rangeSend.control);
    });
    range.append(
      el(doc, 'summary', { textContent: t.t('engine_bulk_range') }),
      this.label('engine_bulk_range_year', rangeFields.year),
      this.label('engine_bulk_range_from', rangeFields.from),
      this.label('engine_bulk_range_to', rangeFields.to),
      rangeSend.host,
    );

    const period = el(doc, 'details', {}, { class: `${PREFIX}-bulk-period` });
    const periodFields = { from: this.input('period-from', 'date', `${year}-01-01`), to: this.input('period-to', 'date', '') };
    const periodSend = this.button('bulk-period-send', t.t('engine_bulk_period_send'));
    onUserEvent(periodSend.control, 'click', this.isUser, () => {
      const parsed = parsePeriod({ from: periodFields.from.control.value, to: periodFields.to.control.value });
      void this.send(parsed, message, periodSend.control);
    });
    period.append(
      el(doc, 'summary', { textContent: t.t('engine_bulk_period') }),
      this.label('engine_bulk_period_from', periodFields.from),
      this.label('engine_bulk_period_to', periodFields.to),
      periodSend.host,
    );

    box.append(range, period, message);
    bar.append(box);
  }

  private input(name: string, type: 'number' | 'date', value: string): { host: HTMLElement; control: HTMLInputElement } {
    const field = controlHost(this.doc, 'input', `${PREFIX}-${name}`, { attrs: { 'data-name': `${PREFIX}-${name}` } });
    Object.assign(field.control, { type, value, name: `${PREFIX}-${name}` });
    if (type === 'number') Object.assign(field.control, { min: '0', step: '1' });
    return field;
  }

  private button(name: string, text: string): { host: HTMLElement; control: HTMLButtonElement } {
    const button = controlHost(this.doc, 'button', `${PREFIX}-${name}`);
    button.control.textContent = text;
    return button;
  }

  private label(key: string, input: { host: HTMLElement; control: HTMLInputElement }): HTMLLabelElement {
    // The field is in its own root, so the label names it through aria-label rather than by wrapping it.
    input.control.setAttribute('aria-label', this.t.t(key));
    const label = el(this.doc, 'label');
    label.append(el(this.doc, 'span', { textContent: this.t.t(key) }), input.host);
    return label;
  }

  /** The answer in the closed root; the host tells the page its kind and the translated text without technical detail. */
  private say(message: HTMLElement, kind: 'ok' | 'error', text: string, plain = text) {
    const shown = shadowOf(message)?.querySelector('span');
    if (shown) {
      shown.textContent = text;
      shown.setAttribute('data-kind', kind);
      shown.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    }
    message.setAttribute('data-kind', kind);
    message.setAttribute('data-text', plain);
  }

  private async send(parsed: Parsed<RangeOrPeriod>, message: HTMLElement, button: HTMLButtonElement): Promise<void> {
    if (!parsed.ok) {
      this.say(message, 'error', this.t.t(parsed.error.key, parsed.error.params));
      return;
    }
    const filter = parsed.value;
    // Even when none of this page's rows fit: the worker reads the app's other pages where it can, and decides.
    const documents = documentsFor(this.rows(), filter);
    button.disabled = true;
    try {
      const answer = await this.port.start(documents, filter);
      const pageOnly = answer.scope === 'page' ? ` ${this.t.t('engine_bulk_page_only')}` : '';
      if (answer.outcome === 'none') {
        const params = filter.type === 'range' ? [String(filter.from), String(filter.to), String(filter.year)] : [filter.from, filter.to];
        const key = `engine_bulk_none_${filter.type}${answer.scope === 'app' ? '_app' : ''}`;
        this.say(message, 'error', `${this.t.t(key, params)}${pageOnly}`);
        return;
      }
      this.say(message, 'ok', `${this.t.t('engine_bulk_queued', [String(answer.job.total), String(answer.job.skipped)])}${pageOnly}`);
      this.started(answer.job);
    } catch (error) {
      const text = error instanceof WorkerError ? error.text : undefined;
      if (text) this.say(message, 'error', this.t.t(text.key, text.params));
      else this.say(message, 'error', `${this.t.t('overlay_request_failed')} (${error instanceof Error ? error.message : String(error)})`, this.t.t('overlay_request_failed'));
    } finally {
      button.disabled = false;
    }
  }
}

// --- The warning before editing a transferred document ------------------------------------------------------

const EDIT_TEXT = /^\s*(edit|modify|bewerken|bewerk|wijzigen|wijzig|aanpassen|modifier|[ée]diter)\b/i;
const EDIT_HREF = /[?&]action=(modif|edit)\b|\/edit(\/|$|\?)/i;

/** The app's own edit action on a detail page, when it has one: by its words or its link. */
export function findEditAction(doc: Document): Element | undefined {
  const candidates = [...doc.querySelectorAll('a, button, input[type=submit], input[type=button]')];
  return candidates.find((c) => {
    if (c.closest(`[class*="${PREFIX}-"]`)) return false;
    const words = (c.textContent || c.getAttribute('value') || c.getAttribute('title') || '').trim();
    return EDIT_TEXT.test(words) || EDIT_HREF.test(c.getAttribute('href') ?? '');
  });
}

const referenceText = (r: OctopusReference | undefined) => (r ? `${r.journal}/${r.bookyearLabel ?? r.bookyear}/${r.documentSequenceNr}` : 'Octopus');

/**
 * On a detail page of a document that went to Octopus, when its dossier's rule says so: a note by the app's edit
 * action that the booking will not follow and a change is corrected by a credit note (eFactori's advice).
 */
export class EditWarning {
  private node?: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly adapter: SiteDomAdapter,
    private readonly port: ProgressPort,
    private readonly t: Translator,
  ) {}

  /** The document of this detail page, if it is one. */
  documentId(): string | undefined {
    try {
      if (this.adapter.detect(this.doc, new URL(this.doc.location.href)) !== 'detail') return undefined;
      return this.adapter.detailInfo(this.doc)?.documentId;
    } catch {
      return undefined;
    }
  }

  async check(): Promise<void> {
    const documentId = this.documentId();
    if (!documentId) return;
    let answer: { warn: boolean; reference?: OctopusReference };
    try {
      answer = await this.port.warnEdit(documentId);
    } catch {
      return;
    }
    if (!answer.warn) {
      this.node?.remove();
      this.node = undefined;
      return;
    }
    addStyle(this.doc);
    const text = `${this.t.t('engine_warn_edit')} ${this.t.t('engine_warn_edit_steps', [referenceText(answer.reference)])}`;
    const node = (this.node ??= el(this.doc, 'div', {}, { class: `${PREFIX}-edit-warning`, role: 'note', 'data-document-id': documentId }));
    node.textContent = `⚠ ${text}`;
    const edit = findEditAction(this.doc);
    if (edit) edit.setAttribute('title', this.t.t('engine_warn_edit'));
    const near = edit?.parentElement ?? this.actions();
    if (near && node.previousElementSibling !== near) near.after(node);
    else if (!near && !node.isConnected) this.doc.body.prepend(node);
  }

  private actions(): Element | undefined {
    for (const selector of this.adapter.selectors.detailActions.variants) {
      const found = this.doc.querySelector(selector);
      if (found) return found;
    }
    return undefined;
  }
}

// --- Wiring -------------------------------------------------------------------------------------------------

interface Answer {
  ok?: boolean;
  jobs?: BulkProgress[];
  job?: BulkProgress;
  warn?: boolean;
  reference?: OctopusReference;
  outcome?: string;
  scope?: string;
  error?: { message?: string; text?: LocalizedText };
}

/** The port over runtime messages (injected: the content script passes browser.runtime.sendMessage). */
export function messagePort(sendMessage: (message: unknown) => Promise<unknown>, adapterId: string): ProgressPort {
  const ask = async (message: Record<string, unknown>): Promise<Answer> => {
    const answer = (await sendMessage(message)) as Answer | undefined;
    if (!answer?.ok) {
      const text = answer?.error?.text;
      const usable = text && typeof text.key === 'string' && Array.isArray(text.params) && text.params.every((p) => typeof p === 'string');
      throw new WorkerError(answer?.error?.message ?? 'no answer', usable ? { key: text.key, params: text.params } : undefined);
    }
    return answer;
  };
  return {
    async progress() {
      const answer = await ask({ type: 'bulk.progress' });
      return Array.isArray(answer.jobs) ? answer.jobs.filter((j): j is BulkProgress => Boolean(j && typeof j.jobId === 'string')) : [];
    },
    async cancel(jobId) {
      await ask({ type: 'bulk.cancel', jobId });
    },
    async start(documents, filter) {
      const answer = await ask({ type: 'bulk.start', documents, filter, adapter: adapterId });
      // Anything but the worker's word that it read the app's list counts as this page's rows only.
      const scope = answer.scope === 'app' ? 'app' : 'page';
      if (answer.outcome === 'none') return { outcome: 'none', scope };
      if (!answer.job || typeof answer.job.jobId !== 'string') throw new Error('no job');
      return { outcome: 'started', job: answer.job, scope };
    },
    async warnEdit(documentId) {
      const answer = await ask({ type: 'document.warnEdit', documentId, adapter: adapterId });
      return { warn: answer.warn === true, ...(answer.reference ? { reference: answer.reference } : {}) };
    },
  };
}

/** Everything above for one page; the content script makes one and passes it the overlay's rows and bulk bar. */
export class PageProgress {
  readonly panel: ProgressPanel;
  readonly controls: BulkRangeControls;
  readonly warning: EditWarning;

  constructor(doc: Document, adapter: SiteDomAdapter, port: ProgressPort, t: Translator, rows: () => readonly RowInfo[], isUser: UserEventCheck = isUserEvent) {
    this.panel = new ProgressPanel(doc, port, t, { isUserEvent: isUser });
    this.controls = new BulkRangeControls(doc, rows, port, t, (job) => void this.panel.track(job), undefined, isUser);
    this.warning = new EditWarning(doc, adapter, port, t);
  }

  attachBar(bar: HTMLElement): void {
    this.controls.attach(bar);
    this.panel.placeAfter(bar);
  }

  start(signal?: AbortSignal): void {
    void this.panel.start(signal);
    void this.warning.check();
  }

  onStatus(statuses: readonly DocumentStatus[]): void {
    this.panel.nudge();
    const id = this.warning.documentId();
    if (id && statuses.some((s) => s.documentId === id)) void this.warning.check();
  }
}
