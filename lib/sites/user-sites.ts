import { z } from 'zod';
import type { SiteAdapter } from './types';
import type { SiteDossierSet } from '../model/dossier';

/**
 * Sites the user added. The options page asks the browser for the origin's permission on a
 * click and keeps the site in storage; the worker registers the runtime content script (entrypoints/sites.content.ts)
 * for the origins that are both listed and granted, at every start and whenever either changes. Nothing runs on a
 * site the user did not grant. The browser APIs come in through SiteScriptsApi, so this runs in tests too.
 */

export const USER_SITES_KEY = 'octobridge.sites';
export const TEACH_KEY_PREFIX = 'octobridge.teach.';
export const SITES_SCRIPT_ID = 'octobridge-sites';
/** The runtime content script, as WXT builds entrypoints/sites.content.ts. */
export const SITES_SCRIPT_FILE = 'content-scripts/sites.js';

/** The apps a user can pick for a site; "auto" lets the page say which of them it is. */
export const SITE_APPS = ['auto', 'dolibarr', 'invoiceplane', 'generic'] as const;
export const userSite = z
  .object({
    /** "https://erp.example.be" (scheme, host and port; no path). */
    origin: z.string().regex(/^https?:\/\/[^/\s]+$/),
    app: z.enum(SITE_APPS).default('auto'),
    /** The name the user gave the site ("Dolibarr of Bakkerij Janssens"); the popup shows it instead of the host. */
    name: z.string().trim().min(1).max(80).optional(),
    addedAt: z.string(),
    /**
     * The dossiers (Dossier.id) this site may book into: a client's app books only into that client's dossiers.
     * Sites stored before this field existed get none, so they book nowhere until the user picks them.
     */
    dossierIds: z.array(z.string().min(1)).default([]),
    /** Where a document that names no VAT or enterprise number of its own goes; only ever one of dossierIds. */
    defaultDossierId: z.string().min(1).optional(),
  })
  // A default outside the site's own dossiers is dropped rather than trusted.
  .transform(({ defaultDossierId, ...site }) => ({
    ...site,
    ...(defaultDossierId && site.dossierIds.includes(defaultDossierId) ? { defaultDossierId } : {}),
  }));
export type UserSite = z.infer<typeof userSite>;

/** The dossiers chosen for a site in a form: at least one; the default only when it is one of them. */
export interface SiteDossierChoice {
  dossierIds: string[];
  defaultDossierId?: string | undefined;
}

/** A site with the dossiers chosen for it (added or edited); undefined when no dossier is chosen. */
export function withDossiers<T extends Omit<UserSite, 'dossierIds' | 'defaultDossierId'>>(site: T, choice: SiteDossierChoice): UserSite | undefined {
  const dossierIds = [...new Set(choice.dossierIds)];
  if (dossierIds.length === 0) return undefined;
  const { origin, app, addedAt, name } = site;
  return userSite.parse({ origin, app, addedAt, ...(name ? { name } : {}), dossierIds, ...(choice.defaultDossierId ? { defaultDossierId: choice.defaultDossierId } : {}) });
}

/** The stored list, each site read on its own (one damaged entry does not hide the others). */
export function parseUserSites(raw: unknown): UserSite[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = userSite.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Loopback hosts: plain http to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

/** Plain http to another machine: the page (and what the extension reads from it) can be read or changed on the way. */
export function needsHttpWarning(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/**
 * The dossier set of a site (a transfer's host). A user site has its own; with one dossier, that one is also its
 * default. Any other site books nowhere, except on loopback when `sandbox` is set (the sandbox build's static demo
 * scripts run only there): then every dossier, with the general default (as lib/transfer/engine.ts everyDossier).
 * Two listed origins on one host (http and https) must both allow a dossier.
 */
export function siteDossierSet(
  host: string,
  sites: readonly UserSite[],
  options: { sandbox: boolean; allDossierIds: readonly string[]; generalDefault?: string },
): SiteDossierSet {
  const listed = sites.filter((s) => new URL(s.origin).host === host);
  if (listed.length === 0) {
    const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : undefined;
    if (!options.sandbox || !hostname || !isLoopbackHost(hostname)) return { ok: false, reason: 'not-added' };
    return {
      ok: true,
      dossierIds: [...options.allDossierIds],
      unmatchedToDefault: true,
      ...(options.generalDefault ? { defaultDossierId: options.generalDefault } : {}),
    };
  }
  const dossierIds = listed[0]!.dossierIds.filter((id) => listed.every((s) => s.dossierIds.includes(id)));
  const defaults = new Set(listed.map((s) => s.defaultDossierId ?? (s.dossierIds.length === 1 ? s.dossierIds[0] : undefined)));
  const [only] = [...defaults];
  const defaultDossierId = defaults.size === 1 && only && dossierIds.includes(only) ? only : undefined;
  return { ok: true, dossierIds, ...(defaultDossierId ? { defaultDossierId } : {}) };
}

/** The origin of what the user typed ("erp.example.be/index.php" → "https://erp.example.be"), or undefined. */
export function originFromInput(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (!/^https?:$/.test(url.protocol) || (!url.hostname.includes('.') && !isLoopbackHost(url.hostname))) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The match pattern of an origin's pages. Chrome's patterns take no port: the host covers every port. */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Is the page covered by a granted origin pattern ("https://x/*", "*://x/*", "<all_urls>")? */
export function patternCovers(pattern: string, url: URL): boolean {
  if (pattern === '<all_urls>') return true;
  const m = /^(\*|https?):\/\/([^/]+)\/(.*)$/.exec(pattern);
  if (!m) return false;
  const [, scheme, host] = m;
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  if (host === '*') return true;
  if (host!.startsWith('*.')) return url.hostname === host!.slice(2) || url.hostname.endsWith(host!.slice(1));
  return url.hostname === host!.replace(/:\d+$/, '');
}

/**
 * The adapter of a content script's request. A user-added site uses the app chosen for it (or, on "auto", the one
 * the page recognised); otherwise the page's claim counts only for an adapter whose own match patterns cover the page,
 * and without a claim the first adapter whose patterns cover it (the sandbox's FactuurDemo).
 */
export function resolveAdapter(
  url: URL,
  claimed: string | undefined,
  sites: readonly UserSite[],
  adapters: readonly SiteAdapter[],
  matches: (pattern: string, url: URL) => boolean,
): SiteAdapter | undefined {
  const byId = (id: string | undefined) => adapters.find((a) => a.id === id);
  const site = sites.find((s) => s.origin === url.origin);
  if (site) {
    if (site.app !== 'auto') return byId(site.app);
    return byId(claimed && SITE_APPS.includes(claimed as UserSite['app']) ? claimed : 'generic');
  }
  if (claimed) {
    const adapter = byId(claimed);
    return adapter && adapter.matches.some((m) => matches(m, url)) ? adapter : undefined;
  }
  return adapters.find((a) => a.matches.some((m) => matches(m, url)));
}

/** The pieces of the browser the registration needs (chrome.permissions, chrome.scripting, chrome.storage.local). */
export interface SiteScriptsApi {
  grantedOrigins(): Promise<string[]>;
  readSites(): Promise<UserSite[]>;
  registered(): Promise<{ id: string; matches?: string[] }[]>;
  register(script: { id: string; matches: string[]; js: string[]; runAt: 'document_idle'; persistAcrossSessions: boolean }): Promise<void>;
  unregister(ids: string[]): Promise<void>;
}

/** The patterns the runtime script should run on: listed sites whose origin is granted. */
export function grantedSitePatterns(sites: readonly UserSite[], granted: readonly string[]): string[] {
  const patterns = new Set<string>();
  for (const site of sites) {
    const url = new URL(site.origin);
    if (granted.some((g) => patternCovers(g, url))) patterns.add(originPattern(site.origin));
  }
  return [...patterns].sort();
}

/** Brings the registration in line with what is listed and granted; idempotent, so it runs at every worker start. */
export async function syncSiteScripts(api: SiteScriptsApi): Promise<string[]> {
  const [sites, granted, registered] = await Promise.all([api.readSites(), api.grantedOrigins(), api.registered()]);
  const want = grantedSitePatterns(sites, granted);
  const current = registered.find((s) => s.id === SITES_SCRIPT_ID);
  const have = [...(current?.matches ?? [])].sort();
  if (current && have.length === want.length && have.every((p, i) => p === want[i])) return want;
  if (current) await api.unregister([SITES_SCRIPT_ID]);
  if (want.length > 0) {
    await api.register({ id: SITES_SCRIPT_ID, matches: want, js: [SITES_SCRIPT_FILE], runAt: 'document_idle', persistAcrossSessions: true });
  }
  return want;
}
