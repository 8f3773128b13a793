import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import type { SiteAdapter } from '../sites/types';
import type { RecordOutcome, SiteProblemLog } from '../ledger/site-problems';
import { siteDossierSet, syncSiteScripts, USER_SITES_KEY, type SiteScriptsApi } from '../sites/user-sites';
import { SiteAccess, UserSiteList } from '../sites/site-access';
import type { LedgerDb } from '../ledger/db';
import type { SiteDossierSet } from '../model/dossier';
import { everyDossier } from '../transfer/engine';

/**
 * The worker's side of user-added sites: keeps the runtime content script registered for the listed and granted
 * origins, and knows the user's site list to decide who may use the worker from a page.
 */

const userSites = new UserSiteList(async () => ((await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>)[USER_SITES_KEY]);

const api: SiteScriptsApi = {
  async grantedOrigins() {
    return (await browser.permissions.getAll()).origins ?? [];
  },
  readSites() {
    return userSites.refresh();
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
    if (area !== 'local' || !(USER_SITES_KEY in changes)) return;
    // Read now, not behind a registration still running: the next message from a just-added site waits for this read.
    void userSites.refresh().catch(() => undefined);
    sync();
  });
  // The first read starts here, synchronously with the listeners, so a message that woke the worker waits for it.
  void userSites.refresh().catch(() => undefined);
  sync();
}

/**
 * The worker's gate for pages: the user's sites, and in the sandbox build (trustAdapterPatterns) also the adapters'
 * own match patterns, which its static loopback scripts need.
 */
export function siteAccess(adapters: readonly SiteAdapter[], trustAdapterPatterns: boolean): SiteAccess {
  return new SiteAccess({
    sites: userSites,
    adapters,
    adapterPatterns: trustAdapterPatterns ? (pattern, url) => new MatchPattern(pattern).includes(url.href) : undefined,
  });
}

/** Is the origin one the user added under "Sites"? Read afresh, not from what this worker read before. */
export async function isUserSite(origin: string): Promise<boolean> {
  return (await userSites.refresh()).some((s) => s.origin === origin);
}

/** The dossiers a transfer's site (its host) may book into, from the site list read afresh (the options page edits it). */
export async function dossiersForSite(site: string, db: LedgerDb, sandbox: boolean): Promise<SiteDossierSet> {
  const [sites, every] = await Promise.all([api.readSites(), everyDossier(db)]);
  const all = every.ok ? every : { dossierIds: [], defaultDossierId: undefined };
  return siteDossierSet(site, sites, { sandbox, allDossierIds: all.dossierIds, ...(all.defaultDossierId ? { generalDefault: all.defaultDossierId } : {}) });
}

/**
 * A selector that stopped matching on a site: a line in the worker's console and a row of the problem log the popup
 * and the options page show. The origin is the sender's page, never the message's.
 */
export async function logSiteProblem(
  problem: { adapter: string; what: string; path: string },
  pageUrl: string,
  log: Pick<SiteProblemLog, 'record'>,
): Promise<{ ok: true; outcome: RecordOutcome } | { ok: false; error: { code: 'forbidden'; message: string } }> {
  const page = new URL(pageUrl);
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return { ok: false, error: { code: 'forbidden', message: 'not a web page' } };
  console.warn(`octobridge: site adapter "${problem.adapter}": ${problem.what} not found on ${page.origin}${problem.path}`);
  const outcome = await log.record({ adapter: problem.adapter, origin: page.origin, what: problem.what, path: problem.path });
  return { ok: true, outcome };
}

/** The part of chrome.storage.local that restricts who may use it (Chrome 102+ for session; local from later versions). */
interface AccessLevelArea {
  setAccessLevel?(options: { accessLevel: 'TRUSTED_CONTEXTS' | 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }): Promise<void>;
}

/**
 * Content scripts no longer read or write storage.local (teach mappings go through the worker, lib/extension/teach-store.ts),
 * so it is closed to them: a script compromised by its page cannot read the user's site list or plant a mapping.
 * Browsers without setAccessLevel for local storage keep the default; the worker checks every message either way.
 */
export async function restrictLocalStorage(area: AccessLevelArea | undefined): Promise<'restricted' | 'unsupported'> {
  if (!area || typeof area.setAccessLevel !== 'function') return 'unsupported';
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return 'restricted';
  } catch (error) {
    console.warn('octobridge: storage.local access level not set', error);
    return 'unsupported';
  }
}
