// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { translatorFor } from '../../lib/i18n';
import { dossier as dossierSchema, type Dossier } from '../../lib/model/dossier';
import { parseUserSites, USER_SITES_KEY } from '../../lib/sites/user-sites';

/**
 * The options page's sites section in Dutch: adding a site asks for the dossiers it may book into (the firm's one
 * pre-selected), asks the browser for the origin only then, warns before plain http to another machine, and the list
 * shows and edits each site's dossiers; a site stored before it had dossiers says it books nowhere.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const nl = translatorFor('nl');
const storage = new Map<string, unknown>();
const requested: string[][] = [];
let grant = true;

let activeTabUrl = 'https://erp.client-a.example/compta/facture/list.php';

let SiteSettings: typeof import('../../components/SiteSettings').SiteSettings;
let AddThisSite: typeof import('../../components/AddThisSite').AddThisSite;

beforeAll(async () => {
  // wxt/browser picks globalThis.chrome when its module is first evaluated.
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { id: 'test', sendMessage: async () => ({ ok: false }) },
    tabs: { query: async () => [{ id: 1, url: activeTabUrl }] },
    i18n: { getMessage: (key: string, subs?: string[]) => nl.t(key, subs ?? []), getUILanguage: () => 'nl' },
    permissions: {
      async request(p: { origins: string[] }) {
        requested.push(p.origins);
        return grant;
      },
      async remove() {
        return true;
      },
    },
    storage: {
      local: {
        async get(keys: string | string[]) {
          return Object.fromEntries((Array.isArray(keys) ? keys : [keys]).filter((k) => storage.has(k)).map((k) => [k, storage.get(k)]));
        },
        async set(items: Record<string, unknown>) {
          for (const [k, v] of Object.entries(items)) storage.set(k, structuredClone(v));
        },
        async remove(keys: string | string[]) {
          for (const k of Array.isArray(keys) ? keys : [keys]) storage.delete(k);
        },
      },
    },
  };
  ({ SiteSettings } = await import('../../components/SiteSettings'));
  ({ AddThisSite } = await import('../../components/AddThisSite'));
});

const harness = reactHarness();
beforeEach(() => {
  storage.clear();
  requested.length = 0;
  grant = true;
});
afterEach(() => harness.unmountAll());

const dossierOf = (id: string, name: string, vat: string): Dossier =>
  dossierSchema.parse({ id, name, octopusDossierId: 1000 + id.charCodeAt(0), connectionId: 'c1', vatNumber: vat });
const A = dossierOf('A', 'Client A BV', 'BE0477472701');
const B = dossierOf('B', 'Client B NV', 'BE0403170701');

async function type(element: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto = element instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}
const click = (element: Element | null) => act(async () => (element as HTMLElement).click());
const stored = () => parseUserSites(storage.get(USER_SITES_KEY));
const q = <T extends Element = HTMLElement>(root: HTMLElement, selector: string) => root.querySelector<T & HTMLElement>(selector);

describe('adding a site in the options page', () => {
  it('pre-selects the firm’s one dossier, asks the browser on the click and keeps the site with it', async () => {
    const page = await harness.render(<SiteSettings dossiers={[A]} />);
    const box = q<HTMLInputElement>(page, 'input[name=site-dossier][value=A]')!;
    expect(box.checked).toBe(true);
    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'erp.client-a.example/index.php');
    await click(q(page, '.site-add button[type=submit]'));
    await waitFor(() => q(page, '[data-origin="https://erp.client-a.example"]'));
    expect(requested).toEqual([['https://erp.client-a.example/*']]);
    expect(stored()).toMatchObject([{ origin: 'https://erp.client-a.example', dossierIds: ['A'] }]);
    expect(q(page, '[data-origin="https://erp.client-a.example"] .site-books')!.textContent).toBe('boekt in: Client A BV (standaard)');
  });

  it('with several dossiers, refuses to add a site without one (asking the browser nothing), then keeps the chosen set and default', async () => {
    const page = await harness.render(<SiteSettings dossiers={[A, B]} />);
    expect(q<HTMLInputElement>(page, 'input[name=site-dossier][value=A]')!.checked).toBe(false);
    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'https://erp.client-a.example');
    await click(q(page, '.site-add button[type=submit]'));
    expect(page.querySelector('[role=status]')!.textContent).toBe('Kies minstens één dossier waarin deze site mag boeken');
    expect(requested).toEqual([]);
    expect(storage.has(USER_SITES_KEY)).toBe(false);

    await click(q(page, 'input[name=site-dossier][value=A]'));
    expect(q(page, 'select[name=site-default]')).toBeNull(); // one dossier is its own default
    await click(q(page, 'input[name=site-dossier][value=B]'));
    await type(q<HTMLSelectElement>(page, 'select[name=site-default]')!, 'B');
    await click(q(page, '.site-add button[type=submit]'));
    await waitFor(() => stored().length === 1);
    expect(stored()[0]).toMatchObject({ dossierIds: ['A', 'B'], defaultDossierId: 'B' });
  });

  it('asks for plain http to another machine only after the user confirms the warning, and not for loopback', async () => {
    const page = await harness.render(<SiteSettings dossiers={[A]} />);
    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'http://erp.client-a.example:8080');
    await click(q(page, '.site-add button[type=submit]'));
    const warning = await waitFor(() => q(page, '.site-http-warning'));
    expect(warning.textContent).toContain('http://erp.client-a.example:8080 gebruikt gewone http');
    expect(requested).toEqual([]);
    expect(storage.has(USER_SITES_KEY)).toBe(false);
    await click(q(page, 'button[name=confirm-http]'));
    await waitFor(() => stored().length === 1);
    expect(requested).toEqual([['http://erp.client-a.example/*']]);
    expect(q(page, '.site-http-warning')).toBeNull();

    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'http://127.0.0.1:8080');
    await click(q(page, '.site-add button[type=submit]'));
    await waitFor(() => stored().length === 2);
    expect(q(page, '.site-http-warning')).toBeNull();
    expect(requested[1]).toEqual(['http://127.0.0.1/*']);
  });

  it('keeps nothing when the browser refuses the permission', async () => {
    grant = false;
    const page = await harness.render(<SiteSettings dossiers={[A]} />);
    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'https://erp.client-a.example');
    await click(q(page, '.site-add button[type=submit]'));
    await waitFor(() => requested.length === 1);
    await waitFor(() => page.querySelector('[role=status]')?.textContent?.includes('erp.client-a.example'));
    expect(storage.has(USER_SITES_KEY)).toBe(false);
  });
});

describe('a listed site’s dossiers', () => {
  it('says a site stored before it had dossiers books nowhere, and edits its set', async () => {
    storage.set(USER_SITES_KEY, [{ origin: 'https://erp.client-a.example', app: 'auto', addedAt: '2026-11-01T10:00:00Z' }]);
    const page = await harness.render(<SiteSettings dossiers={[A, B]} />);
    const row = await waitFor(() => q(page, '[data-origin="https://erp.client-a.example"]'));
    expect(q(row, '.site-books')!.textContent).toBe('boekt nergens tot je haar dossiers kiest');
    await click(q(row, 'button[name=edit-dossiers]'));
    // Saving none is refused.
    await click(q(row, 'button[name=save-dossiers]'));
    expect(page.querySelector('[role=status]')!.textContent).toBe('Kies minstens één dossier waarin deze site mag boeken');
    await click(q(row, 'input[name=edit-dossier][value=A]'));
    await click(q(row, 'button[name=save-dossiers]'));
    await waitFor(() => stored()[0]?.dossierIds.length === 1);
    expect(stored()).toEqual([{ origin: 'https://erp.client-a.example', app: 'auto', addedAt: '2026-11-01T10:00:00Z', dossierIds: ['A'] }]);
    await waitFor(() => q(page, '[data-origin="https://erp.client-a.example"] .site-books')!.textContent === 'boekt in: Client A BV (standaard)');
    expect(requested).toEqual([]); // editing asks the browser nothing
  });
});

describe('a site’s name', () => {
  it('is given when the site is added, shown in the list, changed or taken away in the edit panel', async () => {
    const page = await harness.render(<SiteSettings dossiers={[A]} />);
    expect(q(page, 'input[name=site-name]')!.closest('label')!.textContent).toContain('Naam (optioneel, getoond in de pop-up)');
    await type(q<HTMLInputElement>(page, 'input[name=site-url]')!, 'erp.client-a.example');
    await type(q<HTMLInputElement>(page, 'input[name=site-name]')!, '  Dolibarr van Bakkerij Janssens  ');
    await click(q(page, '.site-add button[type=submit]'));
    const row = await waitFor(() => q(page, '[data-origin="https://erp.client-a.example"]'));
    expect(stored()).toMatchObject([{ origin: 'https://erp.client-a.example', name: 'Dolibarr van Bakkerij Janssens', dossierIds: ['A'] }]);
    expect(q(row, '.site-name')!.textContent).toBe('Dolibarr van Bakkerij Janssens');
    expect(q<HTMLInputElement>(page, 'input[name=site-name]')!.value).toBe('');

    await click(q(row, 'button[name=edit-dossiers]'));
    const edit = q<HTMLInputElement>(row, 'input[name=edit-site-name]')!;
    expect(edit.value).toBe('Dolibarr van Bakkerij Janssens');
    await type(edit, 'Boekhouding Janssens');
    await click(q(row, 'button[name=save-dossiers]'));
    await waitFor(() => stored()[0]?.name === 'Boekhouding Janssens');
    await waitFor(() => q(page, '.site-name')?.textContent === 'Boekhouding Janssens');
    await click(q(page, 'button[name=edit-dossiers]'));
    await type(q<HTMLInputElement>(page, 'input[name=edit-site-name]')!, '   ');
    await click(q(page, 'button[name=save-dossiers]'));
    await waitFor(() => stored()[0] !== undefined && !('name' in stored()[0]!));
    expect(stored()[0]).toMatchObject({ origin: 'https://erp.client-a.example', dossierIds: ['A'] });
  });
});

describe('the popup’s "Add this site"', () => {
  it('offers the active tab’s origin with the firm’s one dossier, warns before plain http, then asks the browser and lists it', async () => {
    activeTabUrl = 'http://erp.client-a.example:8080/facturen?page=2';
    const popup = await harness.render(<AddThisSite dossiers={[A]} />);
    const section = await waitFor(() => q(popup, '[data-testid=add-this-site]'));
    expect(section.textContent).toContain('http://erp.client-a.example:8080 is nog geen van je facturatiesites.');
    expect(q<HTMLInputElement>(section, 'input[name=popup-site-dossier][value=A]')!.checked).toBe(true);
    await click(q(section, 'button[name=add-this-site]'));
    expect(q(section, '.site-http-warning')!.textContent).toContain('gebruikt gewone http');
    expect(requested).toEqual([]);
    expect(storage.has(USER_SITES_KEY)).toBe(false);
    await click(q(section, 'button[name=add-this-site]'));
    await waitFor(() => section.querySelector('[role=status]')?.textContent === 'http://erp.client-a.example:8080 toegevoegd');
    expect(requested).toEqual([['http://erp.client-a.example/*']]);
    expect(stored()).toMatchObject([{ origin: 'http://erp.client-a.example:8080', app: 'auto', dossierIds: ['A'] }]);
  });

  it('takes the site out again when the browser refuses, and offers nothing on a site already listed', async () => {
    activeTabUrl = 'https://app.client-b.example/invoices';
    grant = false;
    const popup = await harness.render(<AddThisSite dossiers={[A, B]} />);
    const section = await waitFor(() => q(popup, '[data-testid=add-this-site]'));
    await click(q(section, 'button[name=add-this-site]'));
    expect(section.querySelector('[role=status]')!.textContent).toBe('Kies minstens één dossier waarin deze site mag boeken');
    await click(q(section, 'input[name=popup-site-dossier][value=B]'));
    await click(q(section, 'button[name=add-this-site]'));
    await waitFor(() => section.querySelector('[role=status]')?.textContent?.includes('app.client-b.example'));
    expect(requested).toEqual([['https://app.client-b.example/*']]);
    expect(stored()).toEqual([]);

    storage.set(USER_SITES_KEY, [{ origin: 'https://app.client-b.example', app: 'auto', addedAt: '2026-11-01T10:00:00Z', dossierIds: ['B'] }]);
    const again = await harness.render(<AddThisSite dossiers={[A, B]} />);
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(q(again, '[data-testid=add-this-site]')).toBeNull();
  });
});
