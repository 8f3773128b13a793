import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { ADAPTERS } from '../sites/registry';
import type { SiteAdapter } from '../sites/types';
import { parseUserSites, resolveAdapter, syncSiteScripts, USER_SITES_KEY, type SiteScriptsApi, type UserSite } from '../sites/user-sites';

/**
 * The worker's side of user-added sites (issue 7, item 4): keeps the runtime content script registered for the
 * listed and granted origins, and knows the user's site list to find a sender's adapter synchronously.
 */

let userSites: UserSite[] = [];

const api: SiteScriptsApi = {
  async grantedOrigins() {
    return (await browser.permissions.getAll()).origins ?? [];
  },
  async readSites() {
    const stored = (await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>;
    userSites = parseUserSites(stored[USER_SITES_KEY]);
    return userSites;
  },
  async registered() {
    return (await browser.scripting.getRegisteredContentScripts()).map((s) => ({ id: s.id, matches: s.matches }));
  },
  async register(script) {
    await browser.scripting.registerContentScripts([script]);
  },
  async unregister(ids) {
    await browser.scripting.unregisterContentScripts({ ids });
  },
};

let syncing: Promise<unknown> = Promise.resolve();
function sync(): void {
  // One at a time: a registration racing another fails with "duplicate script id".
  syncing = syncing
    .catch(() => undefined)
    .then(() => syncSiteScripts(api))
    .catch((error) => console.warn('octobridge: content script registration failed', error));
}

/** Registers the listeners synchronously (MV3) and brings the registration up to date. */
export function watchSiteScripts(): void {
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && USER_SITES_KEY in changes) sync();
  });
  sync();
}

/** The adapter of a content script's page: the user's site mapping first, then the adapters' own patterns. */
export function adapterForSender(url: URL, claimed?: string): SiteAdapter | undefined {
  return resolveAdapter(url, claimed, userSites, ADAPTERS, (pattern, u) => new MatchPattern(pattern).includes(u.href));
}

/** A selector that stopped matching on a site: one line in the worker's console, the extension's log. */
export function logSiteProblem(problem: { adapter: string; what: string; path: string }, pageUrl: string): { ok: true } {
  console.warn(`octobridge: site adapter "${problem.adapter}": ${problem.what} not found on ${new URL(pageUrl).origin}${problem.path}`);
  return { ok: true };
}
