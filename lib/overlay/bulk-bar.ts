import type { Translator } from '../i18n/translator';
import { controlHost, onUserEvent, setUnavailable, type UserEventCheck } from './shadow';

const PREFIX = 'octobridge';

/**
 * Where a bar that sticks to the bottom of the window goes: after the table, or after the outermost box around it that
 * clips or scrolls (Bootstrap's `.table-responsive` scrolls sideways), since a sticky element sticks only inside its
 * nearest scrolling box.
 */
function stickyPlace(table: Element): Element {
  const view = table.ownerDocument.defaultView;
  let place: Element = table;
  for (let node = table.parentElement; node && node !== table.ownerDocument.body && view; node = node.parentElement) {
    const style = view.getComputedStyle(node);
    if (/auto|scroll|hidden|clip/.test(`${style.overflowX} ${style.overflowY}`)) place = node;
  }
  return place;
}


/**
 * The bulk bar: how many rows are selected and the main action on them, styled as the primary button. It is a
 * light-DOM box of closed controls (each button or field is its own host, ./shadow.ts); the range and period sends are
 * added to it by ./range.ts. The button stays focusable while there is nothing to send (aria-disabled), so a keyboard
 * user who just sent the selection stays on it.
 */
export class BulkBar {
  readonly element: HTMLElement;
  private readonly count: HTMLElement;
  private readonly button: { host: HTMLElement; control: HTMLButtonElement };

  constructor(doc: Document, t: Translator, table: Element, sticky: boolean, isUser: UserEventCheck, onSend: () => void) {
    this.element = doc.createElement('div');
    this.element.className = `${PREFIX}-bulk${sticky ? ` ${PREFIX}-bulk-sticky` : ''}`;
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', t.t('overlay_column'));
    this.count = doc.createElement('span');
    this.count.className = `${PREFIX}-bulk-count`;
    this.count.setAttribute('aria-live', 'polite');
    this.button = controlHost(doc, 'button', `${PREFIX}-bulk-send`, { controlClass: `${PREFIX}-btn ${PREFIX}-btn-primary` });
    this.button.control.textContent = t.t('overlay_send_selected');
    onUserEvent(this.button.control, 'click', isUser, onSend);
    const title = doc.createElement('strong');
    title.textContent = 'Octopus';
    this.element.append(title, this.count, this.button.host);
    // Long lists have no column: the bar says where the statuses and the per-row actions went.
    if (sticky) {
      const hint = doc.createElement('span');
      hint.className = `${PREFIX}-bulk-hint`;
      hint.textContent = t.t('overlay_rail_hint');
      this.element.append(hint);
    }
    if (sticky) stickyPlace(table).after(this.element);
    else table.before(this.element);
    this.update(0, t);
  }

  get connected(): boolean {
    return this.element.isConnected;
  }

  update(selected: number, t: Translator): void {
    this.count.textContent = t.t('overlay_selected', [String(selected)]);
    this.count.setAttribute('data-count', String(selected));
    setUnavailable(this.button.host, this.button.control, selected === 0);
  }
}
