import type { Invoice } from '../model/invoice';
import type { LocalizedText } from '../model/transfer';
import type { AmountFormat, DateOrder } from './locale';
import type { QueryNode } from './query';

/**
 * A selector with its known variants, newest first, and the page each was checked against, so a
 * change in the app is one edit here (the refined-github way).
 */
export interface SelectorSpec {
  variants: readonly string[];
  /** Fixture or URL the variants were checked against. */
  checkedAgainst: string;
}

export type PageKind = 'list' | 'detail';

/** What kind of document a row is: a sales invoice, a sales credit note, or a purchase (supplier) invoice. */
export type ListedKind = 'invoice' | 'credit-note' | 'purchase';
/** The app's status, normalised; `statusLabel` keeps what the app shows. */
export type ListedStatus = 'draft' | 'unpaid' | 'partially_paid' | 'paid' | 'abandoned' | 'unknown';

/** What a list row (or a detail page) tells before the document is fetched. */
export interface RowInfo {
  /** The app's own id of the document, as in its URLs. */
  documentId: string;
  number?: string;
  kind?: ListedKind;
  status?: ListedStatus;
  statusLabel?: string;
  /** ISO dates. */
  issueDate?: string;
  dueDate?: string;
  counterparty?: string;
  /** Total including VAT, a decimal string with the sign the app shows (credit notes negative). */
  total?: string;
  currency?: string;
  /** False for drafts and the like: the app must validate the document first. */
  sendable: boolean;
  /** Message key saying why it cannot be sent. */
  notSendableReason?: string;
}

/** How a list page writes its columns, decided once per table (never per cell), see ./locale.ts. */
export interface ListContext {
  dateOrder?: DateOrder;
  amountFormat?: AmountFormat;
  /** Column index (0-based, among the row's cells) of each field the adapter found in the header. */
  columns: Partial<Record<'number' | 'issueDate' | 'dueDate' | 'counterparty' | 'total' | 'status' | 'download', number>>;
}

export interface FetchedDocument {
  invoice: Invoice;
  /** The app's own UBL or CII, when it gave one. */
  sourceXml?: string;
  /** What the transfer's log should say about how the document was read (e.g. page and XML disagree). */
  notes?: { text: LocalizedText; detail?: string }[];
}

/** fetch, injected: the worker passes the global one (with the user's cookies), tests a local one. */
export type Fetch = typeof fetch;

/** Classes of the app's own controls, so the overlay's buttons look native there. */
export interface NativeLook {
  /** Added to the row button (e.g. the app's small button class). */
  rowButton?: string;
  /** Added to the detail-page button, placed among the app's own action buttons. */
  detailButton?: string;
}

/**
 * The page side of one invoicing app: which pages it runs on, its selectors and how to read them. It runs
 * in the content script and never fetches; it touches no browser API at import time.
 */
export interface SiteDomAdapter {
  id: string;
  name: string;
  /** Match patterns of the pages the content script is injected into. */
  matches: string[];
  /** Which kind of page this is, or undefined when the adapter does not apply here. */
  detect(doc: Document, url: URL): PageKind | undefined;
  selectors: {
    listTable: SelectorSpec;
    listRow: SelectorSpec;
    rowActions: SelectorSpec;
    detailRoot: SelectorSpec;
    detailActions: SelectorSpec;
    /** The list's header row, when it is not `thead tr` (Dolibarr writes its header as a plain first row). */
    headerRow?: SelectorSpec;
  };
  /** Reads the table's header and cells once, to decide its columns and formats (./locale.ts). */
  listContext?(table: Element, doc: Document): ListContext;
  rowInfo(row: Element, context?: ListContext): RowInfo | undefined;
  detailInfo(doc: Document): RowInfo | undefined;
  look?: NativeLook;
  /**
   * The site's base from one of its page URLs: the origin plus the path the app is installed under
   * ("https://host/dolibarr" for https://host/dolibarr/compta/facture/list.php). The worker side takes it as its
   * `origin`. Absent: the app lives at the root and the origin is the base.
   */
  siteBase?(url: URL): string;
}

/** The worker side of one invoicing app: getting a document with the user's session. */
export interface SiteFetcher {
  id: string;
  fetchDocument(origin: string, documentId: string, fetchFn: Fetch): Promise<FetchedDocument>;
}

/**
 * One invoicing app, both sides. The worker's registry puts them together; content scripts import only
 * the DOM side, so they do not carry the XML reader.
 */
export type SiteAdapter = SiteDomAdapter & SiteFetcher;

/** First element matching any variant. */
export function queryFirst(root: ParentNode, spec: SelectorSpec): Element | null {
  for (const selector of spec.variants) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** All elements matching the first variant that matches anything. */
export function queryAll(root: ParentNode, spec: SelectorSpec): Element[] {
  for (const selector of spec.variants) {
    const found = root.querySelectorAll(selector);
    if (found.length > 0) return Array.from(found);
  }
  return [];
}

export class DocumentFetchError extends Error {
  constructor(
    readonly key: string,
    readonly params: string[],
    readonly detail: string,
    readonly retriable: boolean,
  ) {
    super(detail);
    this.name = 'DocumentFetchError';
  }
}

/**
 * A node of either tree, the page's DOM or ./html.ts, that can be walked down: what the row readers shared by
 * an adapter's page side and its worker-side listing take.
 */
export type Walkable<N> = Omit<QueryNode, 'querySelector' | 'querySelectorAll'> & {
  querySelector(selector: string): N | null;
  querySelectorAll(selector: string): ArrayLike<N>;
};

/** queryFirst for either tree (the worker's HTML reader has no ParentNode). */
export function queryFirstIn<N>(root: { querySelector(selector: string): N | null }, spec: SelectorSpec): N | null {
  for (const selector of spec.variants) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** queryAll for either tree: all elements matching the first variant that matches anything. */
export function queryAllIn<N>(root: { querySelectorAll(selector: string): ArrayLike<N> }, spec: SelectorSpec): N[] {
  for (const selector of spec.variants) {
    const found = root.querySelectorAll(selector);
    if (found.length > 0) return Array.from(found);
  }
  return [];
}

/** A document as an app's list shows it: what a schedule needs to decide. */
export interface ListedDocument {
  id: string;
  number?: string;
  /** ISO date. */
  issueDate?: string;
  /** ISO timestamps, when the app tells them. */
  createdAt?: string;
  updatedAt?: string;
  /** The app's own status word (sent, paid, draft…). */
  status?: string;
  /** When the list tells it: then the rule of that kind decides, not the loosest one. */
  kind?: 'invoice' | 'credit-note';
}

/** A row of an app's list as the worker read it without a tab: what a schedule needs, and what the row showed. */
export interface SiteListedDocument
  extends ListedDocument,
    Pick<RowInfo, 'statusLabel' | 'dueDate' | 'counterparty' | 'total' | 'currency' | 'sendable' | 'notSendableReason'> {
  /** The app's status, normalised; `status` is the word the schedule's rules read (see scheduleStatusWord). */
  state: ListedStatus;
}

/** An adapter that lists the site's documents from the worker, with the user's session (scheduled runs). */
export interface SiteLister {
  listDocuments(origin: string, fetchFn: Fetch): Promise<SiteListedDocument[]>;
}

/**
 * The status word a schedule's rules read (lib/transfer/rules.ts statusAllows, and the run's draft/cancelled
 * filter), from the normalised status. Not the normalised word itself: "unpaid" and "partially_paid" contain
 * "paid", which the rules would take for paid.
 */
export function scheduleStatusWord(state: ListedStatus): string {
  switch (state) {
    case 'draft':
      return 'draft';
    case 'unpaid':
    case 'partially_paid':
      // Validated and out of the door: what the "sent" rule waits for.
      return 'sent';
    case 'paid':
      return 'paid';
    case 'abandoned':
      return 'cancelled';
    case 'unknown':
      return 'unknown';
  }
}

/** A list row's RowInfo as a listed document (both adapters read their rows with their page side's reader). */
export function listedFromRow(info: RowInfo): SiteListedDocument {
  const state = info.status ?? 'unknown';
  const kind = info.kind === 'credit-note' ? 'credit-note' : info.kind === 'invoice' ? 'invoice' : undefined;
  return {
    id: info.documentId,
    ...(info.number ? { number: info.number } : {}),
    ...(kind ? { kind } : {}),
    status: scheduleStatusWord(state),
    state,
    ...(info.statusLabel ? { statusLabel: info.statusLabel } : {}),
    ...(info.issueDate ? { issueDate: info.issueDate } : {}),
    ...(info.dueDate ? { dueDate: info.dueDate } : {}),
    ...(info.counterparty ? { counterparty: info.counterparty } : {}),
    ...(info.total ? { total: info.total } : {}),
    ...(info.currency ? { currency: info.currency } : {}),
    sendable: info.sendable,
    ...(info.notSendableReason ? { notSendableReason: info.notSendableReason } : {}),
  };
}
