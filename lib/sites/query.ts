/**
 * The part of the DOM the readers use, so one reader runs on the page's DOM (content script, happy-dom) and on
 * ./html.ts in the worker, which has no DOM.
 */
export interface QueryNode {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): QueryNode | null;
  querySelectorAll(selector: string): ArrayLike<QueryNode>;
}
export type QueryRoot = Pick<QueryNode, 'querySelector' | 'querySelectorAll'>;

export function all(root: QueryRoot, selector: string): QueryNode[] {
  return Array.from(root.querySelectorAll(selector));
}

/** Text with whitespace collapsed (no-break and narrow spaces included). */
export function text(node: QueryNode | null | undefined): string {
  return (node?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** A query parameter of a link (href as written in the page, relative or absolute). */
export function hrefParam(href: string | null | undefined, name: string): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, 'http://x.invalid/').searchParams.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A row's own cells, without the ones the overlay added, so column numbers mean the same before and after it ran. */
export function appCells(row: Element): Element[] {
  return Array.from(row.children).filter((c) => !/\boctobridge-col-/.test(c.getAttribute('class') ?? ''));
}
