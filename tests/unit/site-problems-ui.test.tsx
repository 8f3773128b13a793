// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { SiteProblemLog } from '../../lib/ledger/site-problems';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import { translatorFor } from '../../lib/i18n';

/**
 * What support sees: the site problem list in the user's language (here Dutch), with the selector names in
 * words, and "clear" through the worker; the sites section shows a site's taught table and forgets it.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const nl = translatorFor('nl');
const storage = new Map<string, unknown>();
let handle: (message: unknown) => Promise<unknown> = async () => ({ ok: false, error: { message: 'no worker' } });

let SiteProblemList: typeof import('../../components/SiteProblems').SiteProblemList;
let SiteSettings: typeof import('../../components/SiteSettings').SiteSettings;

beforeAll(async () => {
  // wxt/browser picks globalThis.chrome when its module is first evaluated.
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { id: 'test', sendMessage: (m: unknown) => handle(m) },
    i18n: { getMessage: (key: string, subs?: string[]) => nl.t(key, subs ?? []), getUILanguage: () => 'nl' },
    storage: {
      local: {
        async get(keys: string | string[]) {
          return Object.fromEntries((Array.isArray(keys) ? keys : [keys]).filter((k) => storage.has(k)).map((k) => [k, storage.get(k)]));
        },
        async set(items: Record<string, unknown>) {
          for (const [k, v] of Object.entries(items)) storage.set(k, v);
        },
        async remove(keys: string | string[]) {
          for (const k of Array.isArray(keys) ? keys : [keys]) storage.delete(k);
        },
      },
    },
  };
  ({ SiteProblemList } = await import('../../components/SiteProblems'));
  ({ SiteSettings } = await import('../../components/SiteSettings'));
});

const { render, unmountAll } = reactHarness();
afterEach(() => {
  unmountAll();
});
const click = (element: Element) => act(async () => (element as HTMLElement).click());

describe('the site problem list', () => {
  it('shows adapter, site, what in words, first and last seen and the count, and clears through the worker', async () => {
    const db = new LedgerDb('site-problems-ui-1');
    let ms = Date.parse('2026-11-22T10:00:00Z');
    const log = new SiteProblemLog(db, { now: () => new Date(ms) });
    await log.record({ adapter: 'dolibarr', origin: 'https://erp.example.be', what: 'detailActions', path: '/compta/facture/card.php' });
    ms += 120_000;
    await log.record({ adapter: 'dolibarr', origin: 'https://erp.example.be', what: 'detailActions', path: '/compta/facture/card.php' });
    await log.record({ adapter: 'generic', origin: 'https://app.example.be', what: 'error: boom', path: '/x' });
    const asked: unknown[] = [];
    handle = async (m) => {
      asked.push(m);
      return handlePageRequest(pageRequest.parse(m), { db, problems: log } as unknown as SettingsDeps);
    };

    const page = await render(<SiteProblemList db={db} />);
    await waitFor(() => page.querySelectorAll('tbody tr').length === 2);
    const row = page.querySelector('tr[data-what="detailActions"]')!;
    expect(row.getAttribute('data-origin')).toBe('https://erp.example.be');
    expect(row.querySelector('code')!.textContent).toBe('dolibarr');
    expect(row.querySelector('.problem-what')!.textContent).toBe('de actieknoppen van een factuurpagina');
    expect(row.querySelector('.problem-count')!.textContent).toBe('2');
    expect(row.textContent).toContain('/compta/facture/card.php');
    expect(page.querySelector('tr[data-what="error: boom"] .problem-what')!.textContent).toBe('de adapter faalde: boom');
    expect(page.querySelector('thead')!.textContent).toContain('Eerst gezien');

    await click(page.querySelector('button[name=clear-site-problems]')!);
    expect(asked).toEqual([{ type: 'siteProblems.clear' }]);
    await waitFor(() => page.textContent?.includes('Geen siteproblemen vastgesteld.'));
    expect(await db.siteProblems.count()).toBe(0);
  });
});

describe('the sites section of the options page', () => {
  it('shows a site’s taught table in words and forgets it', async () => {
    storage.set('octobridge.sites', [{ origin: 'http://localhost:8080', app: 'auto', addedAt: '2026-11-22T10:00:00Z' }]);
    storage.set('octobridge.teach.localhost:8080', {
      headerSignature: 'a|b|c|d|e',
      columns: { number: 0, issueDate: 1, counterparty: 2, total: 3, download: 4 },
      taughtAt: '2026-11-22T10:00:00.000Z',
    });
    const page = await render(<SiteSettings />);
    const taught = await waitFor(() => page.querySelector('[data-origin="http://localhost:8080"] .site-taught'));
    expect(taught.textContent).toContain('factuurnummer in kolom 1, factuurdatum in kolom 2, klant in kolom 3, totaal in kolom 4, UBL/CII-downloadlink in kolom 5');
    expect(page.querySelector('#site-problems')!.textContent).toBe('Siteproblemen');
    await click(taught.querySelector('button[name=forget-teaching]')!);
    await waitFor(() => !page.querySelector('.site-taught'));
    expect(storage.has('octobridge.teach.localhost:8080')).toBe(false);
    expect(storage.has('octobridge.sites')).toBe(true);
  });
});
