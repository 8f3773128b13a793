import type { DocumentStatus } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';
import type { RowInfo } from '../sites/types';
import { closedHost, isUserEvent, onUserEvent, type UserEventCheck } from './shadow';

/**
 * The status rail of long lists: one small marker per row, in a layer of our own beside the app's table.
 *
 * Why not a column there too: adding a column to a table makes the browser lay the whole table out again, and for a
 * 1,000-row list that alone takes longer than the app's own render of those rows (tests/bench/overlay.ts measured
 * 300–450 ms in Chromium on the CI machine, ~100 ms even for a header cell alone). The rail never touches the table:
 * markers are absolutely placed in a closed shadow root (its styles never restyle the app's page, and page script can
 * neither read nor click into it; the host tells the page only how many rows it shows and has a state of) whose host has
 * `contain: size layout style` (so what happens in the rail is laid out alone; not `strict`, whose paint
 * containment would clip a marker's card). Rows' places are read once per slice,
 * while the page's layout is clean, and again only when the table changes size.
 */

const PREFIX = 'octobridge';
/** Marker size and the gap to the table's left edge, in CSS pixels. */
const MARKER = 14;
const GAP = 3;

const HOST_STYLE = `position:absolute;left:0;top:0;width:${MARKER + 4}px;height:1px;contain:size layout style;overflow:visible;z-index:2147482000;margin:0;padding:0;border:0;display:block`;

export const RAIL_CSS = `
:host{all:initial}
.${PREFIX}-status{position:absolute;left:0;width:${MARKER}px;height:${MARKER}px;padding:0;margin:0;border:0;border-radius:50%;
  font:bold 9px/${MARKER}px system-ui,sans-serif;text-align:center;color:#fff;background:#9aa5a1;cursor:pointer;overflow:hidden;contain:strict}
.${PREFIX}-status:focus-visible{outline:2px solid #1f6f5c;outline-offset:1px}
.${PREFIX}-status[data-selected]{box-shadow:0 0 0 2px #fff,0 0 0 4px #1f6f5c}
.${PREFIX}-state-sent{background:#137333}
.${PREFIX}-state-failed,.${PREFIX}-state-needs-attention{background:#b3261e}
.${PREFIX}-state-queued,.${PREFIX}-state-sending{background:#b58900}
.${PREFIX}-not-sendable{background:#d5dbd9;color:#5f6b67}
.${PREFIX}-card{position:absolute;min-width:16em;max-width:28em;padding:8px 10px;border:1px solid #cfe3dc;border-radius:6px;background:#fff;
  box-shadow:0 4px 14px rgba(0,0,0,.18);font:13px/1.4 system-ui,sans-serif;color:#1d2321;z-index:1}
.${PREFIX}-card strong{display:block;margin-bottom:4px}
.${PREFIX}-card p{margin:0 0 8px}
.${PREFIX}-card label{display:flex;gap:6px;align-items:center;margin-bottom:8px}
.${PREFIX}-card button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #1f6f5c;border-radius:4px;background:#1f6f5c;color:#fff;cursor:pointer}
.${PREFIX}-card button[aria-disabled=true]{opacity:.55;cursor:not-allowed}
.${PREFIX}-card button:focus-visible,.${PREFIX}-card input:focus-visible{outline:2px solid #1f6f5c;outline-offset:2px}
`;

/** The one-character mark of a state on a marker; the words are in its label and its card. */
export function stateGlyph(status: DocumentStatus | undefined, sendable: boolean): string {
  if (!sendable) return '–';
  switch (status?.state) {
    case 'sent':
      return '✓';
    case 'failed':
    case 'needs-attention':
      return '!';
    case 'queued':
    case 'sending':
      return '…';
    default:
      return '';
  }
}

export interface RailHooks {
  /** The card's send button; `again` when the row was sent already. */
  send(info: RowInfo): void;
  select(info: RowInfo, selected: boolean): void;
  isSelected(documentId: string): boolean;
  /** The status text of a row (overlay.ts statusText), for its label and card. */
  describe(documentId: string): { text: string; title: string; action: string; busy: boolean };
  /** Whether an event is the user's own (default: `isTrusted`); only unit tests replace it. */
  isUserEvent?: UserEventCheck;
}

interface Placed {
  row: Element;
  info: RowInfo;
  marker: HTMLButtonElement;
  /** The marker's last written place, so a reposition writes only what moved. */
  top?: number;
}

export class StatusRail {
  readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly layer: HTMLElement;
  private readonly placed: Placed[] = [];
  private card?: { element: HTMLElement; documentId: string };
  /** Which side of the table the rail is on (its cards open toward the table). */
  private side: 'left' | 'right' = 'left';
  private resizeObserver?: ResizeObserver;
  private repositionScheduled = false;
  /** Markers painted with a state, for the host's `data-states` (benchmarks and tests read it). */
  private readonly withState = new Set<HTMLElement>();

  constructor(
    private readonly doc: Document,
    private readonly table: Element,
    private readonly t: Translator,
    private readonly hooks: RailHooks,
  ) {
    ({ host: this.host, root: this.root } = closedHost(doc, 'octobridge-rail', RAIL_CSS, { class: `${PREFIX}-rail` }));
    this.layer = doc.createElement('div');
    // A group of buttons: each marker is announced as the button it is (a list would make them list items).
    this.layer.setAttribute('role', 'group');
    this.layer.setAttribute('aria-label', t.t('overlay_column'));
    this.root.append(this.layer);
    this.host.style.cssText = HOST_STYLE;
    doc.body.append(this.host);
    this.placeHost(this.tableBox());
    const View = doc.defaultView as (Window & typeof globalThis) | null;
    // The app re-flows its table (window width, fonts, its own filters): the rows move, the markers follow.
    if (View && 'ResizeObserver' in View) {
      this.resizeObserver = new View.ResizeObserver(() => this.scheduleReposition());
      this.resizeObserver.observe(table);
      // What grows above the table (a banner, a filter panel) moves it without resizing it; the page grows then.
      this.resizeObserver.observe(doc.body);
    }
    doc.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    doc.addEventListener('keydown', this.onKey, true);
    doc.addEventListener('click', this.onOutsideClick, true);
  }

  /**
   * Rows of the table in an order that paints the ones in view first; the rest follow in later slices. Rows go down the
   * page in document order, so the first one in view is found by halving (about 10 reads for 1,000 rows, not 1,000);
   * a hidden row only makes the order less good, never loses a row.
   */
  static inViewFirst(rows: Element[], view: { top: number; bottom: number }): { rows: Element[]; inView: number } {
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (rows[middle]!.getBoundingClientRect().bottom < view.top) low = middle + 1;
      else high = middle;
    }
    let end = low;
    while (end < rows.length && rows[end]!.getBoundingClientRect().top <= view.bottom) end++;
    // Then the rows below the window (where one scrolls to), then those above it.
    return { rows: [...rows.slice(low, end), ...rows.slice(end), ...rows.slice(0, low)], inView: end - low };
  }

  private get isUser(): UserEventCheck {
    return this.hooks.isUserEvent ?? isUserEvent;
  }

  /** Whether the table is still in the page; an AJAX-replaced table gets a new rail. */
  get connected(): boolean {
    return this.table.isConnected;
  }

  /** Adds the rows' markers (what stands for their status cells): all places read first, then all written. */
  add(rows: { row: Element; info: RowInfo }[]): HTMLButtonElement[] {
    const table = this.tableBox();
    const boxes = rows.map(({ row }) => row.getBoundingClientRect());
    const fragment = this.doc.createDocumentFragment();
    const markers = rows.map(({ row, info }, i) => {
      const marker = this.doc.createElement('button');
      marker.type = 'button';
      marker.className = `${PREFIX}-status${info.sendable ? '' : ` ${PREFIX}-not-sendable`}`;
      marker.setAttribute('data-document-id', info.documentId);
      marker.setAttribute('aria-haspopup', 'dialog');
      onUserEvent(marker, 'click', this.isUser, (event) => {
        event.stopPropagation();
        this.toggleCard(info, marker);
      });
      const entry = { row, info, marker };
      this.placed.push(entry);
      this.position(entry, boxes[i]!, table);
      fragment.append(marker);
      return marker;
    });
    this.layer.append(fragment);
    this.host.setAttribute('data-rows', String(this.placed.length));
    return markers;
  }

  /** Paints a marker; called by the overlay with each status it learns. */
  paint(marker: HTMLButtonElement, status: DocumentStatus | undefined, sendable: boolean) {
    const { title } = this.hooks.describe(marker.getAttribute('data-document-id') ?? '');
    marker.textContent = stateGlyph(status, sendable);
    marker.title = title;
    marker.setAttribute('aria-label', title);
    marker.className = `${PREFIX}-status${sendable ? '' : ` ${PREFIX}-not-sendable`}${status ? ` ${PREFIX}-state-${status.state}` : ''}`;
    if (status) marker.setAttribute('data-state', status.state);
    else marker.removeAttribute('data-state');
    const count = this.withState.size;
    if (status) this.withState.add(marker);
    else this.withState.delete(marker);
    if (this.withState.size !== count) this.host.setAttribute('data-states', String(this.withState.size));
    if (this.card?.documentId === marker.getAttribute('data-document-id')) this.fillCard(this.placed.find((p) => p.marker === marker)!.info);
  }

  markSelected(documentId: string, selected: boolean) {
    for (const p of this.placed) if (p.info.documentId === documentId) p.marker.toggleAttribute('data-selected', selected);
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.doc.removeEventListener('scroll', this.onScroll, { capture: true });
    this.doc.removeEventListener('keydown', this.onKey, true);
    this.doc.removeEventListener('click', this.onOutsideClick, true);
    this.host.remove();
  }

  /** The table's box in the host's coordinates: its containing block is not always the page (a positioned body). */
  private tableBox() {
    const box = this.table.getBoundingClientRect();
    const host = this.host.getBoundingClientRect();
    const left = parseFloat(this.host.style.left) || 0;
    const top = parseFloat(this.host.style.top) || 0;
    // Where the host's containing block starts, in the window; the rail's places are written relative to it.
    const originX = this.host.isConnected ? host.left - left : 0;
    const originY = this.host.isConnected ? host.top - top : 0;
    return { left: box.left - originX, top: box.top - originY, height: box.height, viewTop: box.top, viewLeft: box.left, viewRight: box.right };
  }

  /**
   * The host covers a strip beside the table, as tall as it; markers are placed in it by row. Left of the table when
   * there is room, else right of it, else over its left edge (the first cells' padding) rather than out of the window.
   */
  private placeHost(box: { left: number; top: number; height: number; viewLeft: number; viewRight: number }) {
    const width = MARKER + GAP;
    const roomRight = (this.doc.documentElement.clientWidth || Infinity) - box.viewRight;
    this.side = box.viewLeft >= width || roomRight < width ? 'left' : 'right';
    const left = this.side === 'left' ? Math.max(0, box.left - width) : box.left + (box.viewRight - box.viewLeft) + GAP;
    this.host.style.left = `${left}px`;
    this.host.style.top = `${box.top}px`;
    this.host.style.height = `${Math.max(box.height, 1)}px`;
  }

  private position(entry: Placed, box: DOMRect, table: { viewTop: number }) {
    const top = Math.round(box.top - table.viewTop + (box.height - MARKER) / 2);
    if (entry.top !== top) entry.marker.style.top = `${top}px`;
    entry.top = top;
    const hidden = box.height === 0 || !entry.row.isConnected;
    if (entry.marker.hidden !== hidden) entry.marker.hidden = hidden;
  }

  scheduleReposition() {
    if (this.repositionScheduled) return;
    this.repositionScheduled = true;
    this.doc.defaultView?.requestAnimationFrame(() => {
      this.repositionScheduled = false;
      this.reposition();
    });
  }

  /** All reads first, then all writes, so the page is laid out once. */
  reposition() {
    const table = this.tableBox();
    const boxes = this.placed.map((p) => p.row.getBoundingClientRect());
    this.placeHost(table);
    this.placed.forEach((p, i) => this.position(p, boxes[i]!, table));
  }

  private toggleCard(info: RowInfo, marker: HTMLElement) {
    if (this.card?.documentId === info.documentId) {
      this.closeCard();
      return;
    }
    this.closeCard();
    const element = this.doc.createElement('div');
    element.className = `${PREFIX}-card`;
    element.setAttribute('role', 'dialog');
    // The card opens over the table, next to its marker.
    if (this.side === 'left') element.style.left = `${MARKER + 6}px`;
    else element.style.right = `${GAP + 6}px`;
    element.style.top = marker.style.top;
    this.card = { element, documentId: info.documentId };
    this.fillCard(info);
    this.layer.append(element);
    element.querySelector<HTMLElement>(`.${PREFIX}-send`)?.focus();
  }

  private fillCard(info: RowInfo) {
    const element = this.card?.element;
    if (!element) return;
    const { title, action, busy } = this.hooks.describe(info.documentId);
    // A repaint after the user's send keeps the focus on the card's button (Enter, then the state changes).
    const hadFocus = this.root.activeElement?.classList.contains(`${PREFIX}-send`) === true && element.contains(this.root.activeElement);
    element.replaceChildren();
    element.setAttribute('aria-label', info.number ?? info.documentId);
    const heading = this.doc.createElement('strong');
    heading.textContent = info.number ?? info.documentId;
    const state = this.doc.createElement('p');
    state.className = `${PREFIX}-card-state`;
    state.textContent = title;
    element.append(heading, state);
    if (!info.sendable) return;
    const label = this.doc.createElement('label');
    const box = this.doc.createElement('input');
    box.type = 'checkbox';
    box.className = `${PREFIX}-select`;
    box.checked = this.hooks.isSelected(info.documentId);
    box.addEventListener('click', (event) => {
      if (this.isUser(event)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    });
    onUserEvent(box, 'change', this.isUser, () => this.hooks.select(info, box.checked));
    label.append(box, this.doc.createTextNode(this.t.t('overlay_select_row', [info.number ?? info.documentId])));
    const send = this.doc.createElement('button');
    send.type = 'button';
    send.className = `${PREFIX}-send`;
    send.setAttribute('data-document-id', info.documentId);
    send.textContent = action;
    if (busy) send.setAttribute('aria-disabled', 'true');
    onUserEvent(send, 'click', this.isUser, (event) => {
      event.stopPropagation();
      this.hooks.send(info);
    });
    element.append(label, send);
    if (hadFocus) send.focus();
  }

  private closeCard() {
    this.card?.element.remove();
    this.card = undefined;
  }

  /** A scrolled box around the table (a responsive wrapper) moves the rows but not the page: the markers follow. */
  private readonly onScroll = (event: Event) => {
    const target = event.target as Node | null;
    if (target && target !== this.doc && typeof target.contains === 'function' && target.contains(this.table)) this.scheduleReposition();
  };

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.card) this.closeCard();
  };

  private readonly onOutsideClick = (event: Event) => {
    if (this.card && !event.composedPath().includes(this.host)) this.closeCard();
  };
}
