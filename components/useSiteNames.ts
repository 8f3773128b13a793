import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { parseUserSites, USER_SITES_KEY } from '../lib/sites/user-sites';

/** Host ("erp.example.be", "127.0.0.1:5610", as transfers name their site) → the name the user gave it under Sites. */
export function useSiteNames(): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    void browser.storage.local.get(USER_SITES_KEY).then((stored) => {
      const sites = parseUserSites((stored as Record<string, unknown>)[USER_SITES_KEY]);
      setNames(new Map(sites.filter((s) => s.name).map((s) => [new URL(s.origin).host, s.name!])));
    });
  }, []);
  return names;
}
