import type { Translator } from '../i18n/translator';
import type { LocalizedText } from '../model/transfer';
import type { ListedDocument, RowInfo } from '../sites/types';
import { selectNumberRange, selectPeriod, type BulkProgress } from '../transfer/bulk';
import { addStyle, el, PREFIX, WorkerError, type BulkPreview, type PageDocument, type ProgressPort, type RangeOrPeriod } from './progress-port';
import { RangePreview } from './range-preview';
import { closedHost, controlHost, isUserEvent, onUserEvent, setUnavailable, shadowOf, type UserEventCheck } from './shadow';

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

  private box?: HTMLElement;
  private shown?: RangePreview;

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
      void this.send(parsed, message, rangeSend);
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
      void this.send(parsed, message, periodSend);
    });
    period.append(
      el(doc, 'summary', { textContent: t.t('engine_bulk_period') }),
      this.label('engine_bulk_period_from', periodFields.from),
      this.label('engine_bulk_period_to', periodFields.to),
      periodSend.host,
    );

    box.append(range, period, message);
    bar.append(box);
    this.box = box;
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

  /**
   * A range or period send: first the worker's preview (which documents go, which are skipped and why), then, on the
   * user's own "Send N documents", the start. The trigger keeps the focus while the worker answers.
   */
  private async send(parsed: Parsed<RangeOrPeriod>, message: HTMLElement, trigger: { host: HTMLElement; control: HTMLButtonElement }): Promise<void> {
    this.shown?.remove();
    this.shown = undefined;
    if (!parsed.ok) {
      this.say(message, 'error', this.t.t(parsed.error.key, parsed.error.params));
      return;
    }
    const filter = parsed.value;
    // Even when none of this page's rows fit: the worker reads the app's other pages where it can, and decides.
    const documents = documentsFor(this.rows(), filter);
    setUnavailable(trigger.host, trigger.control, true);
    let preview: BulkPreview;
    try {
      this.say(message, 'ok', this.t.t('overlay_preview_loading'));
      preview = await this.port.preview(documents, filter);
    } catch (error) {
      this.failed(message, error);
      return;
    } finally {
      setUnavailable(trigger.host, trigger.control, false);
    }
    const pageOnly = preview.scope === 'page' ? this.t.t('engine_bulk_page_only') : '';
    if (preview.goCount === 0 && preview.skippedCount === 0) {
      this.say(message, 'error', this.noneText(filter, preview.scope));
      return;
    }
    this.say(message, 'ok', '');
    const close = () => {
      shown.remove();
      if (this.shown === shown) this.shown = undefined;
      trigger.control.focus();
    };
    const shown = new RangePreview(
      this.doc,
      this.t,
      preview,
      pageOnly,
      {
        confirm: () => {
          close();
          void this.start(documents, filter, message, trigger);
        },
        cancel: () => {
          close();
          this.say(message, 'ok', this.t.t('overlay_preview_cancelled'));
        },
      },
      this.isUser,
    );
    this.shown = shown;
    (this.box ?? message).after(shown.host);
    shown.focusFirst();
  }

  private noneText(filter: RangeOrPeriod, scope: 'app' | 'page'): string {
    const params = filter.type === 'range' ? [String(filter.from), String(filter.to), String(filter.year)] : [filter.from, filter.to];
    const pageOnly = scope === 'page' ? ` ${this.t.t('engine_bulk_page_only')}` : '';
    return `${this.t.t(`engine_bulk_none_${filter.type}${scope === 'app' ? '_app' : ''}`, params)}${pageOnly}`;
  }

  private failed(message: HTMLElement, error: unknown) {
    const text = error instanceof WorkerError ? error.text : undefined;
    if (text) this.say(message, 'error', this.t.t(text.key, text.params));
    else this.say(message, 'error', `${this.t.t('overlay_request_failed')} (${error instanceof Error ? error.message : String(error)})`, this.t.t('overlay_request_failed'));
  }

  /** The confirmed start; the worker plans again with the same rules as the preview and queues what goes. */
  private async start(documents: PageDocument[], filter: RangeOrPeriod, message: HTMLElement, trigger: { host: HTMLElement; control: HTMLButtonElement }): Promise<void> {
    setUnavailable(trigger.host, trigger.control, true);
    try {
      const answer = await this.port.start(documents, filter);
      if (answer.outcome === 'none') {
        this.say(message, 'error', this.noneText(filter, answer.scope));
        return;
      }
      const pageOnly = answer.scope === 'page' ? ` ${this.t.t('engine_bulk_page_only')}` : '';
      this.say(message, 'ok', `${this.t.t('engine_bulk_queued', [String(answer.job.total), String(answer.job.skipped)])}${pageOnly}`);
      this.started(answer.job);
    } catch (error) {
      this.failed(message, error);
    } finally {
      setUnavailable(trigger.host, trigger.control, false);
    }
  }
}
