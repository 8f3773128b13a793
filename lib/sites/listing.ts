import { DocumentFetchError, type Fetch, type SiteListedDocument } from './types';
import { parseHtml, type HtmlNode } from './html';
import { fetchOk, siteText } from './detail-invoice';

/**
 * The worker's reading of an app's own invoice list (scheduled runs have no tab): page after page, following the
 * app's pager, with the user's session. Shared by the Dolibarr and InvoicePlane adapters, which read each page's
 * rows with their page side's reader.
 */

/** At most this many list pages per listing: a pager that never ends (or loops) cannot keep the worker busy. */
export const LIST_MAX_PAGES = 50;

/** What an adapter reads from one list page: its rows and the link to the next page, or undefined when it is not the list. */
export interface ListPageRead {
  rows: SiteListedDocument[];
  /** The pager's link to the next page, as written in the page (absolute, root-relative or relative). */
  next?: string;
}

/** A base ("https://host" or "https://host/dolibarr") without its trailing slash, from what the caller gave. */
export function normalBase(base: string): string {
  const url = new URL(base);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A login form (a password field) where the list was expected: the session has expired. */
export function isLoginPage(root: HtmlNode): boolean {
  return root.querySelector('input[type="password"]') !== null;
}

/**
 * A pager link as a URL of this site: resolved against the page it is on, then put back on the base's origin (apps
 * write their configured URL, e.g. InvoicePlane's absolute base_url, which may name another host or port than the
 * one the user's session is on). Links that leave the app's path are not followed.
 */
export function onSite(href: string, pageUrl: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const root = new URL(`${base}/`);
  if (!url.pathname.startsWith(root.pathname)) return undefined;
  return `${root.origin}${url.pathname}${url.search}`;
}

/**
 * Reads the list from `start` on, following `read`'s next link, up to LIST_MAX_PAGES. Each document once (a row
 * that moved to the next page while paging is not listed twice). A login page is a clear error, never an empty list.
 */
export async function readListPages(
  app: string,
  base: string,
  start: string,
  fetchFn: Fetch,
  read: (root: HtmlNode, url: string) => ListPageRead | undefined,
): Promise<SiteListedDocument[]> {
  const byId = new Map<string, SiteListedDocument>();
  const seen = new Set<string>();
  let url: string | undefined = start;
  for (let page = 0; url && page < LIST_MAX_PAGES; page++) {
    seen.add(url);
    const html = await siteText(await fetchOk(url, fetchFn, base), url, base);
    const root = parseHtml(html);
    const got = read(root, url);
    if (!got) {
      if (isLoginPage(root)) throw new DocumentFetchError('sites_error_list_login', [app, base], `${url} answered a login page`, false);
      throw new DocumentFetchError('sites_error_not_a_list', [app, url], 'the answer has no invoice list', false);
    }
    let fresh = 0;
    for (const row of got.rows) {
      if (byId.has(row.id)) continue;
      byId.set(row.id, row);
      fresh++;
    }
    const next: string | undefined = got.next ? onSite(got.next, url, base) : undefined;
    // A page that adds nothing means the pager went round (or past the end): stop rather than loop.
    url = next && !seen.has(next) && fresh > 0 ? next : undefined;
  }
  return [...byId.values()];
}
