import type { Invoice } from '../model/invoice';

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

/** What a list row tells before the document is fetched. */
export interface RowInfo {
  documentId: string;
  number?: string;
  /** False for drafts and the like: the app must validate the document first. */
  sendable: boolean;
  /** Message key saying why it cannot be sent. */
  notSendableReason?: string;
}

export interface FetchedDocument {
  invoice: Invoice;
  /** The app's own UBL or CII, when it gave one. */
  sourceXml?: string;
}

/** fetch, injected: the worker passes the global one (with the user's cookies), tests a local one. */
export type Fetch = typeof fetch;

/**
 * One invoicing app. The DOM part runs in the content script, `fetchDocument` in the worker; the
 * module itself touches no browser API at import time, so both can load it.
 */
export interface SiteAdapter {
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
  };
  rowInfo(row: Element): RowInfo | undefined;
  detailInfo(doc: Document): RowInfo | undefined;
  fetchDocument(origin: string, documentId: string, fetchFn: Fetch): Promise<FetchedDocument>;
}

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
