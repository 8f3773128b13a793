import { parseUserSites, resolveAdapter, type UserSite } from './user-sites';
import type { SiteAdapter } from './types';

/**
 * The user's site list as the worker knows it. A message can wake a stopped worker before its first read of the list
 * has finished; answering from an empty list would refuse a site the user added ("forbidden" on the first click after
 * the browser stopped the worker). So every question waits for the newest read started, the first one included.
 */
export class UserSiteList {
  private sites: UserSite[] = [];
  private latest: Promise<UserSite[]> | undefined;

  constructor(private readonly readStored: () => Promise<unknown>) {}

  /** Reads the stored list again (at start and on every change of it); the newest read wins. */
  refresh(): Promise<UserSite[]> {
    const reading: Promise<UserSite[]> = this.readStored().then((raw) => {
      const sites = parseUserSites(raw);
      if (this.latest === reading) this.sites = sites;
      return sites;
    });
    this.latest = reading;
    return reading;
  }

  /** The list once the newest read has finished (started here if none was). A failed read is tried once more. */
  async current(): Promise<readonly UserSite[]> {
    const pending = this.latest ?? this.refresh();
    try {
      await pending;
    } catch {
      await this.refresh();
    }
    return this.sites;
  }
}

export interface SiteAccessOptions {
  sites: UserSiteList;
  adapters: readonly SiteAdapter[];
  /**
   * The sandbox build only: an adapter's own match patterns (127.0.0.1, localhost) stand in for the user's list, as
   * its static content scripts run on pages nobody added. The product leaves this out: only user-added sites count.
   */
  adapterPatterns?: (pattern: string, url: URL) => boolean;
}

/** Who may use the worker from a web page, and with which adapter. */
export class SiteAccess {
  constructor(private readonly options: SiteAccessOptions) {}

  /** Is the page on a site the worker serves (a user-added origin, or in the sandbox an adapter's own patterns)? */
  async serves(url: URL): Promise<boolean> {
    const sites = await this.options.sites.current();
    if (sites.some((s) => s.origin === url.origin)) return true;
    const matches = this.options.adapterPatterns;
    return matches !== undefined && this.options.adapters.some((a) => a.matches.some((m) => matches(m, url)));
  }

  /** The adapter of a content script's page: the user's site mapping, then (sandbox only) the adapters' patterns. */
  async adapterFor(url: URL, claimed?: string): Promise<SiteAdapter | undefined> {
    const sites = await this.options.sites.current();
    return resolveAdapter(url, claimed, sites, this.options.adapters, this.options.adapterPatterns ?? (() => false));
  }
}
