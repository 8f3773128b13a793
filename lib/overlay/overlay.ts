import type { DocumentStatus } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';
import { queryAll, queryFirst, type ListContext, type RowInfo, type SiteDomAdapter } from '../sites/types';
import { BulkBar } from './bulk-bar';
import { StatusRail } from './rail';
import { RowSelection } from './selection';
import { isUserEvent, setUnavailable, type UserEventCheck } from './shadow';
import { actionKey, isBusy, paintCell, sendButton, statusHost, statusText } from './status-cell';

export { statusText } from './status-cell';

/** What the overlay needs from the extension: narrow requests to the worker, and status pushes. */
export interface OverlayPort {
  /** Queues documents not sent yet; one already in Octopus is never sent again this way. */
  send(documents: { id: string; number?: string }[]): Promise<{ documentId: string; outcome: string }[]>;
  /**
   * "Send again" of one document already in Octopus: the extension asks the user in its own confirmation page (which
   * the page cannot click) and only then sends. Resolves once the confirmation is shown.
   */
  resend(document: { id: string; number?: string }): Promise<void>;
  status(documentIds: string[]): Promise<DocumentStatus[]>;
  onStatus(listener: (statuses: DocumentStatus[]) => void): void;
  /** Reported once per selector that stopped matching; never throws. */
  reportMissing?(what: string): void;
}

const SEEN = 'data-octobridge-seen';
/** Rows decorated per task by default; the rest follow in the next tasks. */
const ROWS_PER_TASK = 250;
/**
 * From this many rows a list gets the status rail (./rail.ts) instead of a column: a column makes the browser lay the
 * whole table out again, which costs more than the app's own render of the rows (tests/bench/overlay.ts on the 2-core
 * CI machine: 50 rows ≈ 85 ms, 149 rows ≈ 260 ms, 1,000 rows ≈ 800 ms). The pages the apps show by default (Dolibarr
 * 25 rows, InvoicePlane 15) keep the native column.
 */
const RAIL_FROM_ROWS = 100;
/** In rail mode a task decorates rows for this long at most (the rows in view always in the first one). */
const RAIL_SLICE_MS = 8;
/** …and this many rows at least, so a slow page still moves on. */
const RAIL_SLICE_MIN_ROWS = 25;
const PREFIX = 'octobridge';

// Status cells have a fixed width and `contain: layout style`: a state that changes lays out the cell alone, and the
// column never changes width. A failure's reason wraps inside it, in full (only that row grows); long lists, where a
// relayout costs most, have the rail instead (see tests/bench/overlay.ts).
// The controls and the status text are in closed shadow roots (./shadow.ts); these rules style their hosts and the
// light-DOM boxes around them.
export const OVERLAY_CSS = `
octobridge-status.${PREFIX}-status{font-size:12px;display:inline-block;width:11em;min-height:1.35em;vertical-align:middle;contain:layout style}
.${PREFIX}-col-status{width:11em}
th.${PREFIX}-col-status{color:#3d4650 !important}
.${PREFIX}-bulk{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0;padding:6px 10px;border:1px solid #cfe3dc;border-radius:6px;background:#f1f8f5;font-size:13px}
.${PREFIX}-bulk-hint{color:#4d5a56;font-size:12px}
.${PREFIX}-bulk-sticky{position:sticky;bottom:0;z-index:2147481000;box-shadow:0 -2px 8px rgba(0,0,0,.08)}
.${PREFIX}-detail{display:inline-flex;gap:8px;align-items:center;margin-left:8px}
`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}) {
  const node = doc.createElement(tag);
  Object.assign(node, props);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/**
 * Adds the Octopus column, row buttons, selection with a bulk action and the detail-page button to
 * an app's pages (long lists get a status rail beside the table instead of the column, see ./rail.ts). Rows are marked when processed, so a re-render or a replaced table never gets
 * them twice; new rows are picked up by one observer.
 */
export class Overlay {
  private readonly statuses = new Map<string, DocumentStatus>();
  private readonly cells = new Map<string, HTMLElement[]>();
  /** Send buttons by document, each with the host the page sees. */
  private readonly buttons = new Map<string, { host: HTMLElement; control: HTMLButtonElement }[]>();
  private readonly selection: RowSelection;
  private readonly rowInfo = new Map<string, RowInfo>();
  private bulk?: BulkBar;
  private observer?: MutationObserver;
  private readonly reported = new Set<string>();
  /** Formats and columns are decided once per table; an AJAX-replaced table is a new element and is read again. */
  private readonly contexts = new WeakMap<Element, ListContext>();
  /** Long lists' rails, by table; a marker stands for the row's status cell. */
  private readonly rails = new Map<Element, StatusRail>();
  private readonly railOfMarker = new WeakMap<Element, StatusRail>();
  /** Rows a rail's slices have still to do, in their order (rows in view first), by table. */
  private readonly railQueues = new WeakMap<Element, Element[]>();
  /** The page changed since the last scan (the observer saw it), so the rows are looked up again. */
  private pageChanged = false;

  constructor(
    private readonly doc: Document,
    private readonly adapter: SiteDomAdapter,
    private readonly port: OverlayPort,
    private readonly t: Translator,
    /**
     * onBulkBar: each bulk bar made, for the range and period sends (./progress.ts). isUserEvent: whether an event is
     * the user's own; only unit tests replace it (script events are never trusted there).
     */
    private readonly options: { rowsPerTask?: number; railFromRows?: number; onBulkBar?: (bar: HTMLElement) => void; isUserEvent?: UserEventCheck } = {},
  ) {
    this.selection = new RowSelection(doc, t, options.isUserEvent ?? isUserEvent, () => this.updateBulk());
  }

  private get isUser(): UserEventCheck {
    return this.options.isUserEvent ?? isUserEvent;
  }

  /** What the page's rows told, for the range and period sends (./progress.ts). */
  rows(): RowInfo[] {
    return [...this.rowInfo.values()];
  }

  start(signal?: AbortSignal): void {
    if (!this.doc.getElementById(`${PREFIX}-style`)) {
      const style = el(this.doc, 'style', { id: `${PREFIX}-style`, textContent: OVERLAY_CSS });
      this.doc.head.append(style);
    }
    this.port.onStatus((statuses) => this.apply(statuses));
    this.scan();
    let scheduled = false;
    // The page's own MutationObserver (happy-dom in tests has no global one).
    const Observer = this.doc.defaultView?.MutationObserver ?? MutationObserver;
    this.observer = new Observer(() => {
      this.pageChanged = true;
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        this.scan();
      });
    });
    this.observer.observe(this.doc.body, { childList: true, subtree: true });
    signal?.addEventListener('abort', () => {
      this.observer?.disconnect();
      for (const rail of this.rails.values()) rail.destroy();
      this.rails.clear();
    });
  }

  private missing(what: string) {
    if (this.reported.has(what)) return;
    this.reported.add(what);
    try {
      this.port.reportMissing?.(what);
    } catch {
      /* reporting must never break the page */
    }
  }

  /** Processes what is new on the page. A failing adapter is reported, never thrown into the page. */
  scan(): void {
    const fresh: string[] = [];
    try {
      const kind = this.adapter.detect(this.doc, new URL(this.doc.location.href));
      if (kind === 'list') fresh.push(...this.scanList());
      if (kind === 'detail') fresh.push(...this.scanDetail());
    } catch (error) {
      this.missing(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (fresh.length > 0) void this.refresh(fresh);
  }

  private contextOf(table: Element): ListContext | undefined {
    if (!this.adapter.listContext) return undefined;
    let context = this.contexts.get(table);
    if (!context) {
      context = this.adapter.listContext(table, this.doc);
      this.contexts.set(table, context);
    }
    return context;
  }

  private scanList(): string[] {
    const table = queryFirst(this.doc, this.adapter.selectors.listTable);
    if (!table) {
      this.missing('listTable');
      return [];
    }
    // A rail's next slice takes the rows it left, unless the page changed since: then they are looked up again.
    const queued = this.pageChanged ? undefined : this.railQueues.get(table);
    this.pageChanged = false;
    let rows = queued ?? queryAll(this.doc, this.adapter.selectors.listRow);
    for (const [railTable, rail] of this.rails) {
      if (rail.connected) continue;
      rail.destroy();
      this.rails.delete(railTable);
    }
    if (!table.hasAttribute(SEEN)) {
      table.setAttribute(SEEN, '');
      const long = rows.length >= (this.options.railFromRows ?? RAIL_FROM_ROWS);
      // A long list's bar sticks to the bottom of the window, below the table: above it, it would move the whole
      // table down, and the browser would paint all of it again. It goes first: the rail reads the rows' places.
      if (!this.bulk?.connected) this.addBulkBar(table, long);
      if (long) {
        this.rails.set(table, this.newRail(table));
        // Setting up, reading the list's formats and the first rows are three tasks, not one long one (a long task freezes the page).
        this.doc.defaultView?.setTimeout(() => this.scan(), 0);
        return [];
      }
      this.decorateHeader(table, new Set(rows));
    }
    const rail = this.rails.get(table);
    if (rail && this.adapter.listContext && !this.contexts.has(table)) {
      this.contextOf(table);
      this.doc.defaultView?.setTimeout(() => this.scan(), 0);
      return [];
    }
    const view = this.doc.defaultView;
    // The rows in the window are painted in the rail's first slice; the others follow, out of sight.
    let inView = 0;
    if (rail && view && !queued) ({ rows, inView } = StatusRail.inViewFirst(rows.filter((row) => !row.hasAttribute(SEEN)), { top: 0, bottom: view.innerHeight }));
    this.railQueues.delete(table);
    const fresh: string[] = [];
    let budget = this.options.rowsPerTask ?? ROWS_PER_TASK;
    const deadline = performance.now() + RAIL_SLICE_MS;
    const railRows: { row: Element; info: RowInfo }[] = [];
    for (const [index, row] of rows.entries()) {
      if (row.hasAttribute(SEEN)) continue;
      // Long lists are done in slices, one task each, so the page stays responsive (no task over 50 ms).
      const sliceOver = rail ? index >= Math.max(inView, RAIL_SLICE_MIN_ROWS) && performance.now() > deadline : budget-- === 0;
      if (sliceOver) {
        if (rail) this.railQueues.set(table, rows.slice(index));
        // A rail's next slice waits for the frame that shows this one: the rows in view are painted first.
        if (rail && view) view.requestAnimationFrame(() => view.setTimeout(() => this.scan(), 0));
        else this.doc.defaultView?.setTimeout(() => this.scan(), 0);
        break;
      }
      row.setAttribute(SEEN, '');
      const info = this.adapter.rowInfo(row, this.contextOf(row.closest('table') ?? table));
      if (!info) continue;
      this.rowInfo.set(info.documentId, info);
      if (rail) railRows.push({ row, info });
      else this.decorateRow(row, info);
      fresh.push(info.documentId);
    }
    if (rail && railRows.length > 0) {
      // Placed in one go after the slice's reads: a read after each write would lay the page out once per row.
      for (const marker of rail.add(railRows)) {
        this.railOfMarker.set(marker, rail);
        this.track(this.cells, marker.getAttribute('data-document-id')!, marker);
      }
    }
    if (fresh.length === 0 && this.rowInfo.size === 0) this.missing('listRow');
    return fresh;
  }

  private newRail(table: Element): StatusRail {
    return new StatusRail(this.doc, table, this.t, {
      send: (info) => this.sendRow(info),
      select: (info, selected) => {
        this.selection.set(info.documentId, selected);
        for (const rail of this.rails.values()) rail.markSelected(info.documentId, selected);
        this.updateBulk();
      },
      isSelected: (documentId) => this.selection.has(documentId),
      describe: (documentId) => {
        const status = this.statuses.get(documentId);
        const info = this.rowInfo.get(documentId);
        // A draft's marker and card say why it cannot be sent, not that it was not.
        const described = info && !info.sendable ? { text: '', title: this.t.t(info.notSendableReason ?? 'overlay_not_sendable') } : statusText(status, this.t);
        return { ...described, action: this.t.t(actionKey(status)), busy: isBusy(status) };
      },
      isUserEvent: this.isUser,
    });
  }

  private decorateHeader(table: Element, dataRows: Set<Element>) {
    const headerSpec = this.adapter.selectors.headerRow;
    const headRow = headerSpec ? queryFirst(table, headerSpec) : table.querySelector('thead tr');
    // The app's other non-data rows (filters, totals) get empty cells, so the columns stay aligned.
    if (table.tagName === 'TABLE') {
      for (const row of Array.from((table as HTMLTableElement).rows)) {
        if (row === headRow || dataRows.has(row) || row.hasAttribute(SEEN) || row.closest('table') !== table) continue;
        if (row.cells.length === 1 && row.cells[0]!.colSpan > 1) continue;
        row.setAttribute(SEEN, '');
        const tag = row.querySelector('th') ? 'th' : 'td';
        row.prepend(el(this.doc, tag, {}, { class: `${PREFIX}-col-select` }));
        row.append(el(this.doc, tag, {}, { class: `${PREFIX}-col-status` }));
      }
    }
    if (!headRow) {
      this.missing('headerRow');
      return;
    }
    const host = this.selection.selectAllBox(() => this.rowInfo.values());
    const selectTh = el(this.doc, 'th', {}, { class: `${PREFIX}-col-select` });
    selectTh.append(host);
    headRow.prepend(selectTh);
    headRow.append(el(this.doc, 'th', { textContent: this.t.t('overlay_column') }, { class: `${PREFIX}-col-status` }));
  }

  private addBulkBar(table: Element, sticky = false) {
    this.bulk = new BulkBar(this.doc, this.t, table, sticky, this.isUser, () => {
      const documents = this.selection.documentIds().map((id) => ({ id, number: this.rowInfo.get(id)?.number }));
      if (documents.length === 0) return;
      void this.send(documents);
      for (const { id } of documents) for (const rail of this.rails.values()) rail.markSelected(id, false);
      this.selection.clear();
      this.updateBulk();
    });
    this.options.onBulkBar?.(this.bulk.element);
  }

  private updateBulk() {
    this.bulk?.update(this.selection.size, this.t);
  }

  /** A row's (or the detail page's, or a rail card's) send: again only through the extension's confirmation. */
  private sendRow(info: RowInfo) {
    const current = this.statuses.get(info.documentId);
    const document = { id: info.documentId, number: info.number };
    if (current?.state === 'sent') {
      void this.port.resend(document).catch(() => undefined);
      return;
    }
    void this.send([document]);
  }

  private sendButton(info: RowInfo, where: 'row' | 'detail' = 'row'): HTMLElement {
    const look = where === 'detail' ? this.adapter.look?.detailButton : this.adapter.look?.rowButton;
    const button = sendButton(this.doc, this.t, info, look, this.isUser, () => this.sendRow(info));
    this.track(this.buttons, info.documentId, button);
    return button.host;
  }

  private decorateRow(row: Element, info: RowInfo) {
    const boxHost = this.selection.rowBox(info);
    const selectTd = el(this.doc, 'td', {}, { class: `${PREFIX}-col-select` });
    selectTd.append(boxHost);
    row.prepend(selectTd);

    const statusTd = el(this.doc, 'td', {}, { class: `${PREFIX}-col-status` });
    const cell = statusHost(this.doc, info.documentId);
    statusTd.append(cell);
    row.append(statusTd);
    this.track(this.cells, info.documentId, cell);

    const actions = queryFirst(row, this.adapter.selectors.rowActions);
    if (actions) actions.append(this.sendButton(info));
    else {
      this.missing('rowActions');
      statusTd.append(this.sendButton(info));
    }
  }

  private scanDetail(): string[] {
    const info = this.adapter.detailInfo(this.doc);
    if (!info) {
      this.missing('detailRoot');
      return [];
    }
    const actions = queryFirst(this.doc, this.adapter.selectors.detailActions);
    if (!actions) {
      this.missing('detailActions');
      return [];
    }
    if (actions.hasAttribute(SEEN)) return [];
    actions.setAttribute(SEEN, '');
    this.rowInfo.set(info.documentId, info);
    const box = el(this.doc, 'span', {}, { class: `${PREFIX}-detail` });
    const cell = statusHost(this.doc, info.documentId);
    this.track(this.cells, info.documentId, cell);
    box.append(this.sendButton(info, 'detail'), cell);
    actions.append(box);
    return [info.documentId];
  }

  private track<T>(map: Map<string, T[]>, id: string, node: T) {
    const list = map.get(id) ?? [];
    list.push(node);
    map.set(id, list);
  }

  private async send(documents: { id: string; number?: string }[]) {
    for (const d of documents) this.paint(d.id, { documentId: d.id, state: 'queued', updatedAt: new Date().toISOString() });
    try {
      await this.port.send(documents);
    } catch (error) {
      for (const d of documents) {
        this.paint(d.id, {
          documentId: d.id,
          state: 'needs-attention',
          updatedAt: new Date().toISOString(),
          // The reason only, as for every status shown in the page.
          error: { text: { key: 'overlay_request_failed', params: [] } },
        });
      }
      return;
    }
    await this.refresh(documents.map((d) => d.id));
  }

  async refresh(documentIds: string[]): Promise<void> {
    try {
      const statuses = await this.port.status(documentIds);
      const known = new Set(statuses.map((s) => s.documentId));
      this.apply(statuses);
      for (const id of documentIds) if (!known.has(id) && !this.statuses.has(id)) this.paint(id, undefined);
    } catch {
      for (const id of documentIds) this.paint(id, undefined);
    }
  }

  private apply(statuses: DocumentStatus[]) {
    for (const status of statuses) this.paint(status.documentId, status);
  }

  private paint(documentId: string, status: DocumentStatus | undefined) {
    if (status) this.statuses.set(documentId, status);
    const words = statusText(status, this.t);
    const info = this.rowInfo.get(documentId);
    for (const cell of this.cells.get(documentId) ?? []) {
      const rail = this.railOfMarker.get(cell);
      if (rail) {
        rail.paint(cell as HTMLButtonElement, status, info?.sendable ?? false);
        continue;
      }
      paintCell(cell, words, status);
    }
    for (const { host, control } of this.buttons.get(documentId) ?? []) {
      if (!info?.sendable) continue;
      // Busy, the button stays where the user's focus is (Enter or a click): unavailable, not disabled.
      setUnavailable(host, control, isBusy(status));
      control.textContent = this.t.t(actionKey(status));
      host.setAttribute('data-action', status?.state === 'sent' ? 'send-again' : 'send');
    }
  }
}
