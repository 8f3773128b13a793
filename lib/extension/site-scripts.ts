import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { ADAPTERS } from '../sites/registry';
import type { SiteAdapter } from '../sites/types';
import type { RecordOutcome, SiteProblemLog } from '../ledger/site-problems';
import { parseUserSites, resolveAdapter, siteDossierSet, syncSiteScripts, USER_SITES_KEY, type SiteScriptsApi, type UserSite } from '../sites/user-sites';
import type { LedgerDb } from '../ledger/db';
import type { SiteDossierSet } from '../transfer/routing';
import { everyDossier } from '../transfer/engine';

/**
 * The worker's side of user-added sites: keeps the runtime content script registered for the
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

/** Is the origin one the user added under "Sites"? Read afresh: a worker just woken may not have its list yet. */
export async function isUserSite(origin: string): Promise<boolean> {
  return (await api.readSites()).some((s) => s.origin === origin);
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
