import { describe, expect, it } from 'vitest';
import {
  grantedSitePatterns,
  originFromInput,
  originPattern,
  parseUserSites,
  patternCovers,
  resolveAdapter,
  SITES_SCRIPT_FILE,
  SITES_SCRIPT_ID,
  syncSiteScripts,
  type SiteScriptsApi,
  type UserSite,
} from '../../lib/sites/user-sites';
import { ADAPTERS } from '../../lib/sites/registry';
import { SANDBOX_ADAPTERS } from '../../lib/sites/registry-sandbox';

const site = (origin: string, app: UserSite['app'] = 'auto'): UserSite => ({ origin, app, addedAt: '2026-11-22T10:00:00Z', dossierIds: [] });
const matches = (pattern: string, url: URL) => patternCovers(pattern, url);

describe('sites the user adds', () => {
  it('takes an address as typed and keeps only its origin', () => {
    expect(originFromInput('erp.example.be/index.php?x=1')).toBe('https://erp.example.be');
    expect(originFromInput('http://invoices.example.be:8080/list')).toBe('http://invoices.example.be:8080');
    expect(originFromInput('ftp://x.example.be')).toBeUndefined();
    expect(originFromInput('not a url')).toBeUndefined();
    expect(originFromInput('')).toBeUndefined();
    expect(originPattern('http://invoices.example.be:8080')).toBe('http://invoices.example.be/*');
    // A damaged entry is left out; the others stay readable.
    expect(parseUserSites([site('https://a.example.be'), { origin: 'javascript:alert(1)' }, 'x'])).toEqual([site('https://a.example.be')]);
    expect(parseUserSites([site('https://a.example.be')])).toEqual([site('https://a.example.be')]);
  });

  it('registers the runtime script for listed and granted origins only, and only when that changes', async () => {
    const registered: { id: string; matches?: string[] }[] = [];
    const calls: string[] = [];
    let sites = [site('https://a.example.be'), site('https://b.example.be', 'generic')];
    let granted = ['https://a.example.be/*', 'http://127.0.0.1/*'];
    const api: SiteScriptsApi = {
      grantedOrigins: async () => granted,
      readSites: async () => sites,
      registered: async () => registered.map((r) => ({ ...r })),
      register: async (script) => {
        calls.push(`register ${script.matches.join(' ')}`);
        expect(script).toMatchObject({ id: SITES_SCRIPT_ID, js: [SITES_SCRIPT_FILE], runAt: 'document_idle', persistAcrossSessions: true });
        registered.push({ id: script.id, matches: script.matches });
      },
      unregister: async (ids) => {
        calls.push(`unregister ${ids.join(' ')}`);
        for (const id of ids) registered.splice(registered.findIndex((r) => r.id === id), 1);
      },
    };
    // b.example.be is listed but not granted: nothing runs there.
    expect(await syncSiteScripts(api)).toEqual(['https://a.example.be/*']);
    expect(await syncSiteScripts(api)).toEqual(['https://a.example.be/*']);
    expect(calls).toEqual(['register https://a.example.be/*']);
    granted = [...granted, 'https://b.example.be/*'];
    await syncSiteScripts(api);
    expect(registered[0]!.matches).toEqual(['https://a.example.be/*', 'https://b.example.be/*']);
    sites = [];
    await syncSiteScripts(api);
    expect(registered).toEqual([]);
    expect(calls.at(-1)).toBe(`unregister ${SITES_SCRIPT_ID}`);
    expect(grantedSitePatterns([site('https://c.example.be')], ['https://*/*'])).toEqual(['https://c.example.be/*']);
    expect(grantedSitePatterns([site('https://c.example.be')], ['http://*/*'])).toEqual([]);
  });

  it('finds the adapter of a sender from the site mapping, never from the page alone', () => {
    const erp = new URL('https://erp.example.be/compta/facture/list.php');
    expect(resolveAdapter(erp, 'dolibarr', [site('https://erp.example.be')], ADAPTERS, matches)?.id).toBe('dolibarr');
    expect(resolveAdapter(erp, undefined, [site('https://erp.example.be')], ADAPTERS, matches)?.id).toBe('generic');
    // The user's choice wins over what the page claims.
    expect(resolveAdapter(erp, 'dolibarr', [site('https://erp.example.be', 'invoiceplane')], ADAPTERS, matches)?.id).toBe('invoiceplane');
    // A site that was not added: no adapter, whatever the page says.
    expect(resolveAdapter(erp, 'dolibarr', [], ADAPTERS, matches)).toBeUndefined();
    // The sandbox build's origins: the claim counts for an adapter whose patterns cover them.
    const local = new URL('http://127.0.0.1:8377/compta/facture/list.php');
    expect(resolveAdapter(local, 'dolibarr', [], SANDBOX_ADAPTERS, matches)?.id).toBe('dolibarr');
    expect(resolveAdapter(local, 'generic', [], SANDBOX_ADAPTERS, matches)).toBeUndefined();
    expect(resolveAdapter(local, undefined, [], SANDBOX_ADAPTERS, matches)?.id).toBe('factuurdemo');
    // The product has no demo adapter, and its worker passes no patterns: loopback is nothing special there.
    expect(ADAPTERS.map((a) => a.id)).not.toContain('factuurdemo');
    expect(resolveAdapter(local, 'dolibarr', [], ADAPTERS, () => false)).toBeUndefined();
  });
});
