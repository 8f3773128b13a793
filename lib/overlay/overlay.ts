import type { DocumentStatus } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';
import { queryAll, queryFirst, type RowInfo, type SiteAdapter } from '../sites/types';

/** What the overlay needs from the extension: narrow requests to the worker, and status pushes. */
export interface OverlayPort {
  send(documents: { id: string; number?: string }[], force?: boolean): Promise<{ documentId: string; outcome: string }[]>;
  status(documentIds: string[]): Promise<DocumentStatus[]>;
  onStatus(listener: (statuses: DocumentStatus[]) => void): void;
  /** Reported once per selector that stopped matching; never throws. */
  reportMissing?(what: string): void;
}

const SEEN = 'data-octobridge-seen';
const PREFIX = 'octobridge';

export const OVERLAY_CSS = `
.${PREFIX}-btn{font:inherit;font-size:12px;line-height:1.4;padding:2px 8px;margin:0 2px;border:1px solid #1f6f5c;border-radius:4px;background:#fff;color:#1f6f5c;cursor:pointer;white-space:nowrap}
.${PREFIX}-btn:hover{background:#1f6f5c;color:#fff}
.${PREFIX}-btn[disabled]{opacity:.5;cursor:not-allowed;background:#fff;color:#1f6f5c}
.${PREFIX}-btn-primary{background:#1f6f5c;color:#fff}
.${PREFIX}-status{font-size:12px;white-space:nowrap}
.${PREFIX}-state-sent{color:#137333}
.${PREFIX}-state-failed,.${PREFIX}-state-needs-attention{color:#b3261e}
.${PREFIX}-state-queued,.${PREFIX}-state-sending{color:#8a6d00}
.${PREFIX}-bulk{display:flex;gap:8px;align-items:center;margin:8px 0;padding:6px 10px;border:1px solid #cfe3dc;border-radius:6px;background:#f1f8f5;font-size:13px}
.${PREFIX}-detail{display:inline-flex;gap:8px;align-items:center;margin-left:8px}
`;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}) {
  const node = doc.createElement(tag);
  Object.assign(node, props);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Text of a status for a cell: a mark and the reference when sent, the error when failed. */
export function statusText(status: DocumentStatus | undefined, t: Translator): { text: string; title: string } {
  if (!status) return { text: '—', title: t.t('overlay_not_sent') };
  const stateKey = `state_${status.state.replace('-', '_')}`;
  if (status.state === 'sent') {
    const ref = status.reference;
    const refText = ref ? `${ref.journal}/${ref.bookyearLabel ?? ref.bookyear}/${ref.documentSequenceNr}` : '';
    return { text: `✓ ${refText || t.t(stateKey)}`.trim(), title: t.t('overlay_sent_as', [refText]) };
  }
  if (status.error && (status.state === 'failed' || status.state === 'needs-attention')) {
    const message = t.t(status.error.text.key, status.error.text.params);
    const detail = status.error.detail ? ` (${status.error.detail})` : '';
    return { text: `✗ ${message}${detail}`, title: `${t.t(stateKey)}: ${message}${detail}` };
  }
  return { text: `… ${t.t(stateKey)}`, title: t.t(stateKey) };
}

/**
 * Adds the Octopus column, row buttons, selection with a bulk action and the detail-page button to
 * an app's pages. Rows are marked when processed, so a re-render or a replaced table never gets
 * them twice; new rows are picked up by one observer.
 */
export class Overlay {
  private readonly statuses = new Map<string, DocumentStatus>();
  private readonly cells = new Map<string, HTMLElement[]>();
  private readonly buttons = new Map<string, HTMLButtonElement[]>();
  private readonly selected = new Set<string>();
  private readonly rowInfo = new Map<string, RowInfo>();
  private bulkCount?: HTMLElement;
  private bulkButton?: HTMLButtonElement;
  private observer?: MutationObserver;
  private readonly reported = new Set<string>();

  constructor(
    private readonly doc: Document,
    private readonly adapter: SiteAdapter,
    private readonly port: OverlayPort,
    private readonly t: Translator,
  ) {}

  start(signal?: AbortSignal): void {
    if (!this.doc.getElementById(`${PREFIX}-style`)) {
      const style = el(this.doc, 'style', { id: `${PREFIX}-style`, textContent: OVERLAY_CSS });
      this.doc.head.append(style);
    }
    this.port.onStatus((statuses) => this.apply(statuses));
    this.scan();
    let scheduled = false;
    this.observer = new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        this.scan();
      });
    });
    this.observer.observe(this.doc.body, { childList: true, subtree: true });
    signal?.addEventListener('abort', () => this.observer?.disconnect());
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

  /** Processes what is new on the page. */
  scan(): void {
    const kind = this.adapter.detect(this.doc, new URL(this.doc.location.href));
    const fresh: string[] = [];
    if (kind === 'list') fresh.push(...this.scanList());
    if (kind === 'detail') fresh.push(...this.scanDetail());
    if (fresh.length > 0) void this.refresh(fresh);
  }

  private scanList(): string[] {
    const table = queryFirst(this.doc, this.adapter.selectors.listTable);
    if (!table) {
      this.missing('listTable');
      return [];
    }
    if (!table.hasAttribute(SEEN)) {
      table.setAttribute(SEEN, '');
      this.decorateHeader(table);
      this.addBulkBar(table);
    }
    const fresh: string[] = [];
    for (const row of queryAll(this.doc, this.adapter.selectors.listRow)) {
      if (row.hasAttribute(SEEN)) continue;
      row.setAttribute(SEEN, '');
      const info = this.adapter.rowInfo(row);
      if (!info) continue;
      this.rowInfo.set(info.documentId, info);
      this.decorateRow(row, info);
      fresh.push(info.documentId);
    }
    if (fresh.length === 0 && this.rowInfo.size === 0) this.missing('listRow');
    return fresh;
  }

  private decorateHeader(table: Element) {
    const headRow = table.querySelector('thead tr');
    if (!headRow) return;
    const selectAll = el(this.doc, 'input', { type: 'checkbox', title: this.t.t('overlay_select_all') }, { 'aria-label': this.t.t('overlay_select_all'), class: `${PREFIX}-select-all` });
    selectAll.addEventListener('change', () => {
      for (const [id, info] of this.rowInfo) {
        if (!info.sendable) continue;
        if (selectAll.checked) this.selected.add(id);
        else this.selected.delete(id);
      }
      for (const box of this.doc.querySelectorAll<HTMLInputElement>(`input.${PREFIX}-select`)) {
        if (!box.disabled) box.checked = selectAll.checked;
      }
      this.updateBulk();
    });
    const selectTh = el(this.doc, 'th', {}, { class: `${PREFIX}-col-select` });
    selectTh.append(selectAll);
    headRow.prepend(selectTh);
    headRow.append(el(this.doc, 'th', { textContent: this.t.t('overlay_column') }, { class: `${PREFIX}-col-status` }));
  }

  private addBulkBar(table: Element) {
    const bar = el(this.doc, 'div', {}, { class: `${PREFIX}-bulk`, role: 'toolbar' });
    this.bulkCount = el(this.doc, 'span', { textContent: this.t.t('overlay_selected', ['0']) }, { class: `${PREFIX}-bulk-count` });
    this.bulkButton = el(this.doc, 'button', { type: 'button', textContent: this.t.t('overlay_send_selected'), disabled: true }, { class: `${PREFIX}-btn ${PREFIX}-btn-primary ${PREFIX}-bulk-send` });
    this.bulkButton.addEventListener('click', () => {
      const documents = [...this.selected].map((id) => ({ id, number: this.rowInfo.get(id)?.number }));
      if (documents.length === 0) return;
      void this.send(documents);
      this.selected.clear();
      for (const box of this.doc.querySelectorAll<HTMLInputElement>(`input.${PREFIX}-select, input.${PREFIX}-select-all`)) box.checked = false;
      this.updateBulk();
    });
    bar.append(el(this.doc, 'strong', { textContent: 'Octopus' }), this.bulkCount, this.bulkButton);
    table.before(bar);
  }

  private updateBulk() {
    if (this.bulkCount) this.bulkCount.textContent = this.t.t('overlay_selected', [String(this.selected.size)]);
    if (this.bulkButton) this.bulkButton.disabled = this.selected.size === 0;
  }

  private sendButton(info: RowInfo): HTMLButtonElement {
    const button = el(this.doc, 'button', { type: 'button', textContent: this.t.t('overlay_send') }, { class: `${PREFIX}-btn ${PREFIX}-send`, 'data-document-id': info.documentId });
    if (!info.sendable) {
      button.disabled = true;
      button.title = this.t.t(info.notSendableReason ?? 'overlay_not_sendable');
    }
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      const current = this.statuses.get(info.documentId);
      void this.send([{ id: info.documentId, number: info.number }], current?.state === 'sent');
    });
    this.track(this.buttons, info.documentId, button);
    return button;
  }

  private decorateRow(row: Element, info: RowInfo) {
    const box = el(this.doc, 'input', { type: 'checkbox', disabled: !info.sendable }, { class: `${PREFIX}-select`, 'aria-label': this.t.t('overlay_select_row', [info.number ?? info.documentId]) });
    box.addEventListener('change', () => {
      if (box.checked) this.selected.add(info.documentId);
      else this.selected.delete(info.documentId);
      this.updateBulk();
    });
    const selectTd = el(this.doc, 'td', {}, { class: `${PREFIX}-col-select` });
    selectTd.append(box);
    row.prepend(selectTd);

    const statusTd = el(this.doc, 'td', {}, { class: `${PREFIX}-col-status` });
    const cell = el(this.doc, 'span', { textContent: '…' }, { class: `${PREFIX}-status`, 'data-document-id': info.documentId });
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
    const cell = el(this.doc, 'span', { textContent: '…' }, { class: `${PREFIX}-status`, 'data-document-id': info.documentId });
    this.track(this.cells, info.documentId, cell);
    box.append(this.sendButton(info), cell);
    actions.append(box);
    return [info.documentId];
  }

  private track<T>(map: Map<string, T[]>, id: string, node: T) {
    const list = map.get(id) ?? [];
    list.push(node);
    map.set(id, list);
  }

  private async send(documents: { id: string; number?: string }[], force = false) {
    for (const d of documents) this.paint(d.id, { documentId: d.id, state: 'queued', updatedAt: new Date().toISOString() });
    try {
      await this.port.send(documents, force);
    } catch (error) {
      for (const d of documents) {
        this.paint(d.id, {
          documentId: d.id,
          state: 'needs-attention',
          updatedAt: new Date().toISOString(),
          error: { text: { key: 'overlay_request_failed', params: [] }, detail: String(error instanceof Error ? error.message : error) },
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
    const { text, title } = statusText(status, this.t);
    for (const cell of this.cells.get(documentId) ?? []) {
      cell.textContent = text;
      cell.title = title;
      cell.className = `${PREFIX}-status${status ? ` ${PREFIX}-state-${status.state}` : ''}`;
      if (status) cell.setAttribute('data-state', status.state);
      else cell.removeAttribute('data-state');
    }
    const info = this.rowInfo.get(documentId);
    for (const button of this.buttons.get(documentId) ?? []) {
      if (!info?.sendable) continue;
      const busy = status?.state === 'queued' || status?.state === 'sending';
      button.disabled = busy;
      button.textContent = this.t.t(status?.state === 'sent' ? 'overlay_send_again' : status?.state === 'failed' || status?.state === 'needs-attention' ? 'overlay_retry' : 'overlay_send');
    }
  }
}
