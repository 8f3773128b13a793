import type { Translator } from '../i18n/translator';
import type { RowInfo } from '../sites/types';
import { controlHost, onUserEvent, setDisabled, type UserEventCheck } from './shadow';

const PREFIX = 'octobridge';

/**
 * The rows the user selected for the bulk bar, with the column's checkboxes (each in its own closed root) and the
 * select-all box. Only the user's own clicks select: a script's click on a box is undone before it changes anything.
 */
export class RowSelection {
  private readonly ids = new Set<string>();
  /** Row checkboxes by document (in closed roots, so they are kept here rather than looked up in the page). */
  private readonly boxes = new Map<string, { host: HTMLElement; control: HTMLInputElement }>();
  private all?: HTMLInputElement;

  constructor(
    private readonly doc: Document,
    private readonly t: Translator,
    private readonly isUser: UserEventCheck,
    /** After each change by the user (a box, select-all). */
    private readonly changed: () => void,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  has(documentId: string): boolean {
    return this.ids.has(documentId);
  }

  documentIds(): string[] {
    return [...this.ids];
  }

  /** A selection made elsewhere (a rail card's box). */
  set(documentId: string, selected: boolean): void {
    if (selected) this.ids.add(documentId);
    else this.ids.delete(documentId);
  }

  /** The header's box: selects every sendable row (`rows`) or none. */
  selectAllBox(rows: () => Iterable<RowInfo>): HTMLElement {
    const { host, control: all } = controlHost(this.doc, 'input', `${PREFIX}-select-all`, { controlClass: `${PREFIX}-select-all` });
    all.type = 'checkbox';
    all.title = this.t.t('overlay_select_all');
    all.setAttribute('aria-label', this.t.t('overlay_select_all'));
    this.all = all;
    this.onUserChange(all, () => {
      for (const info of rows()) if (info.sendable) this.set(info.documentId, all.checked);
      for (const { host: boxHost, control: box } of this.boxes.values()) {
        if (box.disabled) continue;
        box.checked = all.checked;
        boxHost.toggleAttribute('data-checked', box.checked);
      }
      this.changed();
    });
    return host;
  }

  /** A row's box; a row that cannot be sent has one that is disabled. */
  rowBox(info: RowInfo): HTMLElement {
    const { host, control: box } = controlHost(this.doc, 'input', `${PREFIX}-select`, { attrs: { 'data-document-id': info.documentId }, controlClass: `${PREFIX}-select` });
    box.type = 'checkbox';
    box.setAttribute('aria-label', this.t.t('overlay_select_row', [info.number ?? info.documentId]));
    setDisabled(host, box, !info.sendable);
    this.boxes.set(info.documentId, { host, control: box });
    this.onUserChange(box, () => {
      this.set(info.documentId, box.checked);
      host.toggleAttribute('data-checked', box.checked);
      this.changed();
    });
    return host;
  }

  /** After a bulk send: nothing selected, every box unticked. */
  clear(): void {
    this.ids.clear();
    for (const { host, control } of this.boxes.values()) {
      control.checked = false;
      host.removeAttribute('data-checked');
    }
    if (this.all) this.all.checked = false;
  }

  /**
   * A checkbox's change, only when the user made it. A script's click cannot reach a closed root, but if one did, the
   * box goes back to what the overlay holds and nothing is selected.
   */
  private onUserChange(box: HTMLInputElement, handler: () => void) {
    box.addEventListener('click', (event) => {
      if (this.isUser(event)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    });
    onUserEvent(box, 'change', this.isUser, handler);
  }
}
