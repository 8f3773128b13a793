import type { Translator } from '../i18n/translator';
import { appCells } from '../sites/query';
import { headerSignature, TEACH_FIELDS, type TeachField, type TeachMapping } from '../sites/generic';
import { closedHost, isUserEvent, onUserEvent, shadowOf, type UserEventCheck } from './shadow';

const PREFIX = 'octobridge';
/** The catalog key of each taught field (the banner here, the options page's list of taught tables). */
export const TEACH_FIELD_KEYS: Record<TeachField, string> = {
  number: 'sites_field_number',
  issueDate: 'sites_field_date',
  counterparty: 'sites_field_customer',
  total: 'sites_field_total',
  download: 'sites_field_download',
};

/**
 * Teach mode of the generic adapter: the user clicks the number, date, customer, total and download link of one
 * invoice row, once each; the table (by its header texts) and the column of each click make the site's mapping.
 * Clicks are caught before the page sees them, so teaching follows no link. Only the user's own clicks teach (a
 * script's click would teach the page's choice of columns); the banner is in a closed root.
 */
export class TeachMode {
  private step = 0;
  private table?: Element;
  private readonly columns: Partial<Record<TeachField, number>> = {};
  private banner?: HTMLElement;
  private readonly onClick = (event: MouseEvent) => this.handle(event);

  constructor(
    private readonly doc: Document,
    private readonly t: Translator,
    private readonly onDone: (mapping: TeachMapping) => void,
    private readonly now: () => Date = () => new Date(),
    private readonly isUser: UserEventCheck = isUserEvent,
  ) {}

  start(): void {
    const { host, root } = closedHost(
      this.doc,
      'octobridge-teach',
      ':host{all:initial;position:fixed;top:8px;left:50%;transform:translateX(-50%);z-index:2147483647}div{background:#1f6f5c;color:#fff;padding:8px 14px;border-radius:6px;font:13px sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)}',
      { class: `${PREFIX}-teach` },
    );
    this.banner = host;
    const box = this.doc.createElement('div');
    box.setAttribute('role', 'status');
    root.append(box);
    this.doc.body.append(this.banner);
    this.doc.addEventListener('click', this.onClick, true);
    this.render();
  }

  stop(): void {
    this.doc.removeEventListener('click', this.onClick, true);
    this.banner?.remove();
  }

  private render() {
    const box = this.banner && shadowOf(this.banner)?.querySelector('div');
    if (!box) return;
    const field = TEACH_FIELDS[this.step]!;
    box.textContent = this.t.t('sites_teach_step', [this.t.t(TEACH_FIELD_KEYS[field]), String(this.step + 1), String(TEACH_FIELDS.length)]);
    const cancel = this.doc.createElement('button');
    cancel.type = 'button';
    cancel.className = `${PREFIX}-teach-cancel`;
    cancel.textContent = this.t.t('sites_teach_cancel');
    cancel.style.cssText = 'margin-left:12px;font:inherit;background:#fff;color:#1f6f5c;border:0;border-radius:4px;padding:2px 8px;cursor:pointer';
    onUserEvent(cancel, 'click', this.isUser, () => this.stop());
    box.append(cancel);
  }

  /** A click during teaching: on the banner's cancel it stops; in a table cell it records that cell's column. */
  handle(event: MouseEvent): void {
    // A script's click teaches nothing (and is left to the page, as if teaching were not on).
    if (!this.isUser(event)) return;
    const target = event.target as Element | null;
    if (!target) return;
    // On the banner: its own cancel button (in the closed root) sees the click.
    if (this.banner && event.composedPath().includes(this.banner)) return;
    const cell = target.closest('td');
    const table = cell?.closest('table');
    event.preventDefault();
    event.stopPropagation();
    if (!cell || !table || (this.table && this.table !== table)) return;
    const field = TEACH_FIELDS[this.step]!;
    if (field === 'download' && !target.closest('a[href]')) return;
    this.table = table;
    this.columns[field] = appCells(cell.parentElement!).indexOf(cell);
    this.step++;
    if (this.step < TEACH_FIELDS.length) {
      this.render();
      return;
    }
    this.stop();
    this.onDone({ headerSignature: headerSignature(table), columns: this.columns as Record<TeachField, number>, taughtAt: this.now().toISOString() });
  }
}
