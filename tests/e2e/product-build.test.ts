import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { grantInProfile, launchWithExtension, PRODUCT_DIR, type ExtensionBrowser } from './support/extension';
import { idb } from './support/pages';
import { startDemoSite, type DemoSite } from '../sandbox/demo-site';
import { startReplay, type ReplayServer } from '../support/replay';

/**
 * The product build (npm run build) in Chromium, with the demo invoicing site and a replayed Dolibarr on 127.0.0.1.
 * Nothing of octobridge may run on a loopback page the user did not add, even one with the demo's markup, and no page
 * may reach the worker's booking. Once the user added the Dolibarr origin and granted it, the overlay is there, and
 * only there: the demo site on another port of the same host still gets nothing.
 */

let demo: DemoSite;
let dolibarr: ReplayServer;
let ext: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoSite({ port: 0 });
  dolibarr = await startReplay('dolibarr-20', 0);
  ext = await launchWithExtension({ buildDir: PRODUCT_DIR });
});

afterAll(async () => {
  await ext?.close();
  await demo?.close();
  await dolibarr?.close();
});

const registeredScripts = () =>
  ext.worker.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> } } }).chrome;
    return (await chrome.scripting.getRegisteredContentScripts()).map((s) => `${s.id} ${s.matches?.join(',')}`);
  });

/** Anything of the overlay in the page: its mark on <html>, or an element of ours. */
const overlayTraces = (page: Page) =>
  page.evaluate(() => ({
    marked: document.documentElement.hasAttribute('data-octobridge-overlay'),
    elements: document.querySelectorAll('[class*="octobridge"], [id^="octobridge"], [data-octobridge-seen]').length,
  }));

/** What the page's own script gets when it tries to book through the extension. */
const forgedFromPage = (page: Page) =>
  page.evaluate(async (extensionId) => {
    const chrome = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?(id: string, m: unknown): Promise<unknown> } } }).chrome;
    if (!chrome?.runtime?.sendMessage) return 'no runtime';
    try {
      return `answered ${JSON.stringify(await chrome.runtime.sendMessage(extensionId, { type: 'documents.send', documents: [{ id: '2026-0001' }], adapter: 'factuurdemo' }))}`;
    } catch (error) {
      return `refused ${String(error)}`;
    }
  }, ext.extensionId);

/** The extension's content-script world in a page (as a script compromised by the page would use it), if any. */
async function extensionWorld(page: Page) {
  const cdp = await ext.context.newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(ext.extensionId));
  return {
    found: world !== undefined,
    async send(message: unknown): Promise<unknown> {
      const result = await cdp.send('Runtime.evaluate', {
        contextId: world!.id,
        expression: `chrome.runtime.sendMessage(${JSON.stringify(message)})`,
        awaitPromise: true,
        returnByValue: true,
      });
      return result.result.value;
    },
  };
}

async function transfers(): Promise<unknown[]> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  const all = await idb<unknown[]>(page, 'transfers', 'getAll');
  await page.close();
  return all;
}

describe('the product build on loopback pages', () => {
  it('runs nothing on the demo site or a local Dolibarr, and gives their pages no way to the worker', async () => {
    expect(await registeredScripts()).toEqual([]);
    const pages = [
      { url: `${demo.url}/invoices`, markup: 'table#invoice-list tbody tr[data-invoice-id]' },
      { url: `${dolibarr.url}/compta/facture/list.php`, markup: 'table.liste tr[data-rowid]' },
    ];
    for (const { url, markup } of pages) {
      const page = await ext.context.newPage();
      await page.goto(url);
      // The page is what the adapters were written for (so "nothing" is not a broken page)…
      expect(await page.locator(markup).count(), url).toBeGreaterThan(0);
      await page.waitForTimeout(1500);
      // …and yet the extension added nothing to it.
      expect(await overlayTraces(page), url).toEqual({ marked: false, elements: 0 });
      expect((await extensionWorld(page)).found, url).toBe(false);
      expect(await forgedFromPage(page), url).toMatch(/^(no runtime|refused)/);
      await page.close();
    }
    expect(await transfers()).toEqual([]);
  });

  it('after the user added the Dolibarr origin and granted it, shows the overlay there and only there', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    // What the options page keeps after the browser's "Allow" (components/SiteSettings.tsx).
    await options.evaluate(
      (origin) =>
        (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }).chrome.storage.local.set({
          'octobridge.sites': [{ origin, app: 'auto', addedAt: new Date().toISOString() }],
        }),
      dolibarr.url,
    );
    // Listed but not granted: still nothing registered.
    await options.waitForTimeout(1000);
    expect(await registeredScripts()).toEqual([]);
    await options.close();

    // The grant, as the browser keeps it after the user's "Allow"; the worker registers the script at its start.
    const { profileDir, extensionId } = ext;
    await ext.close({ keepProfile: true });
    grantInProfile(profileDir, extensionId, ['http://127.0.0.1/*']);
    ext = await launchWithExtension({ buildDir: PRODUCT_DIR, profileDir });
    expect(ext.extensionId).toBe(extensionId);
    await expect.poll(registeredScripts, { timeout: 10_000 }).toEqual(['octobridge-sites http://127.0.0.1/*']);

    const app = await ext.context.newPage();
    await app.goto(`${dolibarr.url}/compta/facture/list.php`);
    await app.waitForSelector('.octobridge-send', { timeout: 15_000 });
    expect((await overlayTraces(app)).marked).toBe(true);
    const appWorld = await extensionWorld(app);
    expect(appWorld.found).toBe(true);
    expect(await appWorld.send({ type: 'documents.status', documentIds: [] })).toEqual({ ok: true, statuses: [] });

    // The demo site is on the same host, another port: the script lands there too (patterns take no port), but the
    // origin was not added, so it shows nothing, and a message from its world is refused before any booking.
    const other = await ext.context.newPage();
    await other.goto(`${demo.url}/invoices`);
    const otherWorld = await extensionWorld(other);
    await expect.poll(() => otherWorld.found || extensionWorld(other).then((w) => w.found), { timeout: 10_000 }).toBe(true);
    await other.waitForTimeout(1500);
    expect(await overlayTraces(other)).toEqual({ marked: false, elements: 0 });
    // Claiming Dolibarr, whose own patterns cover 127.0.0.1: only the sandbox build would take that claim.
    const forged = await (await extensionWorld(other)).send({ type: 'documents.send', documents: [{ id: '2026-0001', number: '2026-0001' }], adapter: 'dolibarr' });
    expect(forged).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await (await extensionWorld(other)).send({ type: 'bulk.progress' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await transfers()).toEqual([]);

    // The browser stops the worker; the next message from the added site wakes it and is answered as the user's site,
    // not refused for a site list the new worker has not read yet.
    for (let round = 0; round < 3; round++) {
      const cdp = await ext.context.newCDPSession(app);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
      expect(await appWorld.send({ type: 'documents.status', documentIds: ['1'] }), `round ${round}`).toEqual({ ok: true, statuses: [] });
    }
  });
});
