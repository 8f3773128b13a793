import { describe, expect, it } from 'vitest';
import { SiteAccess, UserSiteList } from '../../lib/sites/site-access';
import { patternCovers, type UserSite } from '../../lib/sites/user-sites';
import { ADAPTERS } from '../../lib/sites/registry';
import { SANDBOX_ADAPTERS } from '../../lib/sites/registry-sandbox';

const site = (origin: string, app: UserSite['app'] = 'auto'): UserSite => ({ origin, app, addedAt: '2026-11-22T10:00:00Z', dossierIds: [] });

/** storage.local as a woken worker sees it: every read answers only when the test says so. */
function slowStorage(initial: unknown) {
  let stored = initial;
  const waiting: (() => void)[] = [];
  return {
    set(value: unknown) {
      stored = value;
    },
    read: () => new Promise<unknown>((resolve) => waiting.push(() => resolve(structuredClone(stored)))),
    /** Answers the reads asked so far. */
    answer() {
      for (const w of waiting.splice(0)) w();
    },
    get asked() {
      return waiting.length;
    },
  };
}

describe('the worker and the user\'s sites after a cold start', () => {
  it('answers a message that arrives before the site list is read with the user\'s list, not an empty one', async () => {
    const storage = slowStorage([site('https://erp.example.be', 'dolibarr')]);
    const list = new UserSiteList(storage.read);
    const access = new SiteAccess({ sites: list, adapters: ADAPTERS });
    // The worker starts its first read with its listeners; the message that woke it comes in before it finishes.
    void list.refresh();
    const page = new URL('https://erp.example.be/compta/facture/list.php');
    let settled = false;
    const served = access.serves(page).finally(() => (settled = true));
    const adapter = access.adapterFor(page, 'dolibarr');
    await Promise.resolve();
    expect(settled).toBe(false);
    storage.answer();
    expect(await served).toBe(true);
    expect((await adapter)?.id).toBe('dolibarr');
  });

  it('starts the read itself when a message comes before any, and waits for a read started by a change', async () => {
    const storage = slowStorage([]);
    const list = new UserSiteList(storage.read);
    const access = new SiteAccess({ sites: list, adapters: ADAPTERS });
    const page = new URL('https://new.example.be/invoices');
    const first = access.serves(page);
    expect(storage.asked).toBe(1);
    storage.answer();
    expect(await first).toBe(false);
    // The user adds the site; the change's read is still running when the page's first message comes.
    storage.set([site('https://new.example.be')]);
    void list.refresh();
    const second = access.adapterFor(page);
    storage.answer();
    expect((await second)?.id).toBe('generic');
  });

  it('keeps the newest read when an older one answers last', async () => {
    let answerOld: (v: unknown) => void = () => undefined;
    let calls = 0;
    const list = new UserSiteList(
      () =>
        new Promise((resolve) => {
          calls += 1;
          if (calls === 1) answerOld = resolve;
          else resolve([site('https://b.example.be')]);
        }),
    );
    const old = list.refresh();
    await list.refresh();
    answerOld([site('https://a.example.be')]);
    await old;
    expect((await list.current()).map((s) => s.origin)).toEqual(['https://b.example.be']);
  });

  it('tries a failed read again instead of answering from nothing', async () => {
    let calls = 0;
    const list = new UserSiteList(async () => {
      calls += 1;
      if (calls === 1) throw new Error('storage not ready');
      return [site('https://erp.example.be')];
    });
    void list.refresh().catch(() => undefined);
    expect((await list.current()).map((s) => s.origin)).toEqual(['https://erp.example.be']);
  });
});

describe('who may use the worker from a page', () => {
  const list = (sites: UserSite[]) => new UserSiteList(async () => sites);
  const local = new URL('http://127.0.0.1:5610/invoices');

  it('in the product: user-added origins only, loopback included', async () => {
    const product = new SiteAccess({ sites: list([site('http://127.0.0.1:8377', 'dolibarr')]), adapters: ADAPTERS });
    expect(await product.serves(local)).toBe(false);
    expect(await product.adapterFor(local, 'dolibarr')).toBeUndefined();
    expect(await product.adapterFor(local)).toBeUndefined();
    // Same host, the added port: served, with the user's choice of app.
    expect((await product.adapterFor(new URL('http://127.0.0.1:8377/compta/facture/list.php'), 'invoiceplane'))?.id).toBe('dolibarr');
    expect(await product.serves(new URL('http://localhost:8377/'))).toBe(false);
  });

  it('in the sandbox: also the adapters\' own loopback patterns, with the demo app', async () => {
    const sandbox = new SiteAccess({ sites: list([]), adapters: SANDBOX_ADAPTERS, adapterPatterns: patternCovers });
    expect(await sandbox.serves(local)).toBe(true);
    expect((await sandbox.adapterFor(local))?.id).toBe('factuurdemo');
    expect(await sandbox.serves(new URL('https://evil.example.be/'))).toBe(false);
  });
});
