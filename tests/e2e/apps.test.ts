import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { startDemoSite } from '../sandbox/demo-site';
import { readTruth, startReplay, type ReplayServer } from '../support/replay';
import { adapterBundle } from '../support/replay-bundle';
import { idb, message } from './support/pages';
import { inClosedRoot, inClosedRoots } from './support/overlay';
import { startFront } from '../support/app-front';

/**
 * In Chromium: Dolibarr 20 and InvoicePlane 1.7 replayed from tests/fixtures/apps at their original paths
 * on 127.0.0.1 (InvoicePlane on its capture port 8378: its pages link absolute URLs), the production build loaded,
 * the Octopus simulator as the webservice.
 */

interface TruthInvoice {
  id: number;
  number: string;
  type: 'invoice' | 'credit_note';
  status: string;
  issue_date: string;
  due_date: string | null;
  customer: { name: string };
  totals: { gross: string };
}
interface Truth {
  invoices: TruthInvoice[];
  pages: Record<string, { invoice_ids_in_order?: number[]; filter?: { invoice_ids_in_order: number[] } }>;
}

let dolibarrApp: ReplayServer;
let planeApp: ReplayServer;
let sim: Awaited<ReturnType<typeof startOctopusSimulator>>;
let ext: ExtensionBrowser;
let bundle: string;

beforeAll(async () => {
  dolibarrApp = await startReplay('dolibarr-20', 0);
  planeApp = await startReplay('invoiceplane-1.7', 8378);
  sim = await startOctopusSimulator({ port: 0 });
  ext = await launchWithExtension();
  bundle = adapterBundle();
  await connectDemoDossier(ext, sim);
});

afterAll(async () => {
  await ext?.close();
  await dolibarrApp?.close();
  await planeApp?.close();
  await sim?.close();
});

const kindOf = (t: TruthInvoice) => (t.type === 'credit_note' ? 'credit-note' : 'invoice');
const send = (page: Page, id: string) => page.locator(`.octobridge-send[data-document-id="${id}"]`);
const status = (page: Page, id: string) => page.locator(`.octobridge-status[data-document-id="${id}"]`);
/** Our controls are in closed roots: their hosts say when they are disabled. */
const isDisabled = async (host: Locator) => (await host.getAttribute('data-disabled')) !== null;

async function extracted(page: Page, adapter: 'dolibarr' | 'invoiceplane', what: 'rows' | 'detail') {
  await page.addScriptTag({ content: bundle });
  return page.evaluate(
    ([a, w]) => {
      const sites = (globalThis as unknown as { __octobridgeSites: Record<string, never> & { rows(x: unknown): unknown; detail(x: unknown): unknown } }).__octobridgeSites;
      return w === 'rows' ? sites.rows(sites[a]) : sites.detail(sites[a]);
    },
    [adapter, what] as const,
  );
}

function expectTruth(info: Record<string, unknown>, t: TruthInvoice) {
  expect(info).toMatchObject({
    documentId: String(t.id),
    number: t.number,
    kind: kindOf(t),
    status: t.status,
    issueDate: t.issue_date,
    counterparty: t.customer.name,
    total: t.totals.gross,
    sendable: t.status !== 'draft',
  });
}

function bookingOf(t: TruthInvoice) {
  return sim.bookings().find((b) => JSON.stringify(b.data).includes(t.number) || b.reference === t.number || b.comment.includes(t.number));
}

describe('Dolibarr 20, replayed', () => {
  const truth = readTruth<Truth>('dolibarr-20');
  const byNumber = (id: number) => truth.invoices.find((i) => i.id === id)!;

  it('puts the column, one button per row and the bulk bar on the list, once; extraction equals truth.json', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${dolibarrApp.url}/compta/facture/list.php`);
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('th.octobridge-col-status').count()).toBe(1);
    expect(await page.locator('tr[data-rowid] .octobridge-send').count()).toBe(6);
    expect(await page.locator('tr[data-rowid] .octobridge-status').count()).toBe(6);
    expect(await page.locator('.octobridge-bulk').count()).toBe(1);
    // The filter and total rows got their cells too, so the app's columns stay aligned.
    const widths = await page.locator('table.tagtable.liste').evaluate((t) => Array.from((t as HTMLTableElement).rows).map((r) => r.cells.length));
    expect(new Set(widths)).toEqual(new Set([11]));
    // Only the draft is disabled, with the reason in the user's language.
    expect(await isDisabled(send(page, '5'))).toBe(true);
    expect(await send(page, '5').getAttribute('data-text')).toMatch(/validate/i);
    for (const id of ['1', '2', '3', '4', '6']) expect(await isDisabled(send(page, id))).toBe(false);

    const rows = (await extracted(page, 'dolibarr', 'rows')) as Record<string, unknown>[];
    expect(rows.map((r) => Number(r.documentId))).toEqual(truth.pages['/compta/facture/list.php']!.invoice_ids_in_order);
    for (const row of rows) expectTruth(row, byNumber(Number(row.documentId)));
    await page.close();
  });

  it('sends an invoice and the credit note from the list and books them at the simulator', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${dolibarrApp.url}/compta/facture/list.php`);
    await page.waitForSelector('.octobridge-send');
    for (const id of ['4', '6']) {
      await send(page, id).click();
      await expect.poll(() => status(page, id).getAttribute('data-state'), { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
      expect(await status(page, id).getAttribute('data-state'), (await status(page, id).getAttribute('data-text')) ?? '').toBe('sent');
    }
    for (const id of [4, 6]) {
      const t = byNumber(id);
      const booking = bookingOf(t);
      expect(booking, `booking of ${t.number}`).toBeDefined();
      expect(booking!.documentDate.slice(0, 10)).toBe(t.issue_date);
      expect(Math.abs(booking!.amount)).toBeCloseTo(Math.abs(Number(t.totals.gross)), 2);
      expect(booking!.attachments.length).toBeGreaterThan(0);
    }
    await page.close();
  });

  it('works for a Dolibarr installed under a sub-path: sends from /dolibarr/… and books it', async () => {
    // The replay served under /dolibarr with its root-relative links prefixed, as Dolibarr writes them installed there.
    const front = await startFront(dolibarrApp, () => undefined, { prefix: '/dolibarr' });
    try {
      const page = await ext.context.newPage();
      await page.goto(`${front.url}/dolibarr/compta/facture/list.php`);
      await page.waitForSelector('.octobridge-send');
      expect(await page.locator('tr[data-rowid] .octobridge-send').count()).toBe(6);
      await send(page, '3').click();
      await expect.poll(() => status(page, '3').getAttribute('data-state'), { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
      expect(await status(page, '3').getAttribute('data-state'), (await status(page, '3').getAttribute('data-text')) ?? '').toBe('sent');
      const t = byNumber(3);
      const booking = bookingOf(t);
      expect(booking, `booking of ${t.number}`).toBeDefined();
      expect(Math.abs(booking!.amount)).toBeCloseTo(Math.abs(Number(t.totals.gross)), 2);
      expect(booking!.attachments.length).toBeGreaterThan(0);
      // The worker fetched the card and the PDF under the install path, never at the root.
      expect(front.requests.some((r) => r.startsWith('/dolibarr/compta/facture/card.php?id=3'))).toBe(true);
      await page.close();
    } finally {
      await front.close();
    }
  });

  it('puts the button among the card actions; the draft card cannot send', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${dolibarrApp.url}/compta/facture/card.php?id=3`);
    await page.waitForSelector('div.tabsAction .octobridge-send');
    expect(await page.locator('.octobridge-send').count()).toBe(1);
    // In the app's own button class, inside the closed root.
    expect((await inClosedRoot(page, 'div.tabsAction .octobridge-send', 'button')).attributes.class).toContain('butAction');
    expectTruth((await extracted(page, 'dolibarr', 'detail')) as Record<string, unknown>, byNumber(3));
    await page.goto(`${dolibarrApp.url}/compta/facture/card.php?id=5`);
    await page.waitForSelector('div.tabsAction .octobridge-send');
    expect(await isDisabled(page.locator('.octobridge-send'))).toBe(true);
    await page.close();
  });

  it('logs a selector the app no longer matches, and support sees it in the popup and the options page, and clears it', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    expect(await message(options, { type: 'siteProblems.clear' })).toEqual({ ok: true });

    // A Dolibarr update renamed the list's table classes: the list answers as recorded, with those classes changed.
    const page = await ext.context.newPage();
    await page.route(
      (url) => url.pathname === '/compta/facture/list.php',
      async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace('class="tagtable nobottomiftotal liste listwithfilterbefore"', 'class="tagtable-v21 nobottomiftotal list-v21"');
        await route.fulfill({ response, body });
      },
    );
    await page.goto(`${dolibarrApp.url}/compta/facture/list.php`);
    await page.waitForSelector('table.list-v21');

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const notice = popup.locator('[data-testid=site-problems]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await page.locator('.octobridge-send').count()).toBe(0);
    expect(await notice.locator('summary').textContent()).toBe('1 site problem');
    await notice.locator('summary').click();
    const row = notice.locator('tr[data-what="listTable"]');
    expect(await row.getAttribute('data-adapter')).toBe('dolibarr');
    // The origin is the page's, as the worker saw the sender.
    expect(await row.getAttribute('data-origin')).toBe(new URL(dolibarrApp.url).origin);
    expect(await row.locator('.problem-what').textContent()).toBe('the invoice list (its table)');
    expect(await row.locator('.problem-count').textContent()).toBe('1');
    expect(await row.textContent()).toContain('/compta/facture/list.php');
    const stored = await idb<{ adapter: string; origin: string; what: string; count: number; firstSeen: string; lastSeen: string }[]>(popup, 'siteProblems', 'getAll');
    expect(stored).toMatchObject([{ adapter: 'dolibarr', origin: new URL(dolibarrApp.url).origin, what: 'listTable', count: 1, samplePath: '/compta/facture/list.php' }]);

    await options.reload();
    const listed = options.locator('[data-testid=site-problem-list] tr[data-what="listTable"]');
    await listed.waitFor();
    expect(await listed.locator('.problem-what').textContent()).toBe('the invoice list (its table)');
    await options.click('button[name=clear-site-problems]');
    await options.getByText('No site problems recorded.').waitFor();
    await notice.waitFor({ state: 'detached' });
    for (const p of [page, popup, options]) await p.close();
  });
});

describe('InvoicePlane 1.7, replayed on 127.0.0.1:8378', () => {
  const truth = readTruth<Truth>('invoiceplane-1.7');
  const byId = (id: number) => truth.invoices.find((i) => i.id === id)!;
  const origin = 'http://127.0.0.1:8378';

  it('decorates the list once, and the AJAX filter answer once more without doubling anything', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${origin}/index.php/invoices`);
    expect(new URL(page.url()).pathname).toBe('/index.php/invoices/status/all');
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('#filter_results tbody tr .octobridge-send').count()).toBe(6);
    expect(await page.locator('th.octobridge-col-status').count()).toBe(1);
    expect(await inClosedRoots(page, 'div.options.btn-group .octobridge-send', 'button.btn')).toHaveLength(6);
    const rows = (await extracted(page, 'invoiceplane', 'rows')) as Record<string, unknown>[];
    expect(rows.map((r) => Number(r.documentId))).toEqual(truth.pages['/index.php/invoices/status/all']!.invoice_ids_in_order);
    for (const row of rows) expectTruth(row, byId(Number(row.documentId)));

    // The app's filter, as its own script does it (the replayed page runs none): POST, then replace #filter_results.
    await page.evaluate(async () => {
      const response = await fetch('/index.php/filter/ajax/filter_invoices', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'x-requested-with': 'XMLHttpRequest' },
        body: 'filter_query=acme&_ip_csrf=test',
      });
      document.querySelector('#filter_results')!.innerHTML = await response.text();
    });
    await expect.poll(() => page.locator('#filter_results tbody tr .octobridge-send').count(), { timeout: 10_000 }).toBe(2);
    await page.waitForTimeout(300);
    expect(await page.locator('.octobridge-send').count()).toBe(2);
    expect(await page.locator('th.octobridge-col-status').count()).toBe(1);
    expect(await page.locator('.octobridge-bulk').count()).toBe(1);
    const filtered = (await extracted(page, 'invoiceplane', 'rows')) as Record<string, unknown>[];
    expect(filtered.map((r) => Number(r.documentId))).toEqual(truth.pages['/index.php/invoices/status/all']!.filter!.invoice_ids_in_order);
    for (const row of filtered) expectTruth(row, byId(Number(row.documentId)));
    await page.close();
  });

  it('sends the credit invoice from its view page and books it', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${origin}/index.php/invoices/view/6`);
    await page.waitForSelector('#headerbar .octobridge-send');
    expect(await page.locator('.octobridge-send').count()).toBe(1);
    expectTruth((await extracted(page, 'invoiceplane', 'detail')) as Record<string, unknown>, byId(6));
    await page.locator('.octobridge-send').click();
    await expect.poll(() => status(page, '6').getAttribute('data-state'), { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
    expect(await status(page, '6').getAttribute('data-state'), (await status(page, '6').getAttribute('data-text')) ?? '').toBe('sent');
    const booking = bookingOf(byId(6));
    expect(booking).toBeDefined();
    expect(Math.abs(booking!.amount)).toBeCloseTo(3100, 2);
    await page.goto(`${origin}/index.php/invoices/view/5`);
    await page.waitForSelector('#headerbar .octobridge-send');
    expect(await isDisabled(page.locator('.octobridge-send'))).toBe(true);
    await page.close();
  });
});

describe('a site the user adds: runtime registration, the generic adapter and teach mode', () => {
  let demo: Awaited<ReturnType<typeof startDemoSite>>;
  let generic: http.Server;
  let port = 0;
  const numbers: string[] = [];

  beforeAll(async () => {
    // Two real UBL invoices (from the sandbox's demo app), served by a plain app the extension has no adapter for.
    demo = await startDemoSite({ port: 0 });
    const picked = demo.documents.filter((d) => d.status !== 'draft' && d.invoice.kind === 'invoice').slice(0, 2);
    const ubl = new Map<string, string>();
    for (const d of picked) {
      // The site books only into its dossier (Demo BV): its invoices name Demo BV as seller, not the demo app's company.
      const xml = await (await fetch(`${demo.url}/invoices/${encodeURIComponent(d.invoice.number)}/ubl`)).text();
      ubl.set(d.invoice.number, xml.replaceAll(d.invoice.seller.enterpriseNumber!, SIM_SEED.dossiers[0]!.enterpriseNumber));
      numbers.push(d.invoice.number);
    }
    const table = (headers: string[], link: string) =>
      `<!doctype html><html lang="nl-BE"><head><title>Facturen</title></head><body><h1>Facturen</h1><table><thead><tr>${headers
        .map((h) => `<th>${h}</th>`)
        .join('')}</tr></thead><tbody>${picked
        .map((d, i) => `<tr><td>${d.invoice.number}</td><td>0${i + 1}-02-2026</td><td>${d.invoice.buyer.name}</td><td>1.234,5${i} €</td><td><a href="/docs/${encodeURIComponent(d.invoice.number)}.xml">${link}</a></td></tr>`)
        .join('')}</tbody></table></body></html>`;
    generic = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/facturen') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(table(['Factuurnummer', 'Factuurdatum', 'Klant', 'Totaal', 'Download'], 'UBL'));
      } else if (url.pathname === '/lijst') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(table(['A', 'B', 'C', 'D', 'E'], 'ophalen'));
      } else if (url.pathname.startsWith('/docs/') && ubl.has(decodeURIComponent(url.pathname.slice(6, -4)))) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(ubl.get(decodeURIComponent(url.pathname.slice(6, -4))));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => generic.listen(0, '127.0.0.1', () => r()));
    port = (generic.address() as AddressInfo).port;
  });

  afterAll(async () => {
    generic?.closeAllConnections();
    await new Promise((r) => generic?.close(r));
    await demo?.close();
  });

  it('runs nothing on a site until the user adds it in the options page, then registers it and sends from it', async () => {
    const page = await ext.context.newPage();
    await page.goto(`http://localhost:${port}/facturen`);
    await page.waitForTimeout(1500);
    expect(await page.locator('.octobridge-send, .octobridge-teach-start').count()).toBe(0);

    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.fill('input[name=site-url]', `http://localhost:${port}`);
    await options.selectOption('select[name=site-app]', 'auto');
    await options.click('.site-add button[type=submit]');
    await options.waitForSelector(`[data-origin="http://localhost:${port}"]`);
    await expect
      .poll(() => ext.worker.evaluate(async () => {
          const api = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> } } }).chrome;
          return (await api.scripting.getRegisteredContentScripts()).map((s) => `${s.id} ${s.matches?.join(',')}`);
        }), { timeout: 10_000 })
      .toEqual(['octobridge-sites http://localhost/*']);
    await options.close();

    await page.reload();
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('.octobridge-send').count()).toBe(2);
    expect(await page.locator('th.octobridge-col-status').count()).toBe(1);
    const first = page.locator('.octobridge-send').first();
    const id = (await first.getAttribute('data-document-id'))!;
    await first.click();
    await expect.poll(() => status(page, id).getAttribute('data-state'), { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
    expect(await status(page, id).getAttribute('data-state'), (await status(page, id).getAttribute('data-text')) ?? '').toBe('sent');
    expect(sim.bookings().some((b) => JSON.stringify(b.data).includes(numbers[0]!) || b.reference === numbers[0])).toBe(true);
    await page.close();
  });

  it('learns a table whose headers say nothing from five clicks, and keeps it for the site', async () => {
    const page = await ext.context.newPage();
    await page.goto(`http://localhost:${port}/lijst`);
    await page.waitForSelector('.octobridge-teach-start');
    expect(await page.locator('.octobridge-send').count()).toBe(0);
    await page.click('.octobridge-teach-start');
    const cells = page.locator('tbody tr').first().locator('td');
    for (const i of [0, 1, 2, 3]) {
      await page.waitForSelector('.octobridge-teach');
      await cells.nth(i).click();
    }
    await cells.nth(4).locator('a').click();
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('.octobridge-send').count()).toBe(2);
    expect(new URL(page.url()).pathname).toBe('/lijst'); // teaching followed no link
    await page.reload();
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('.octobridge-teach-start').count()).toBe(0);

    // The mapping went through the worker, under this page's host, in the key it always had.
    const key = `octobridge.teach.localhost:${port}`;
    const stored = await ext.worker.evaluate(async (k) => (await (globalThis as any).chrome.storage.local.get(k))[k], key);
    expect(stored).toMatchObject({ headerSignature: 'a|b|c|d|e', columns: { number: 0, issueDate: 1, counterparty: 2, total: 3, download: 4 } });
    // The content script's own world can no longer read storage.local (the worker set TRUSTED_CONTEXTS).
    expect(await inContentScript(page, 'chrome.runtime.id')).toBe(ext.extensionId);
    expect(await inContentScript(page, `chrome.storage.local.get(null).then(() => 'read', (e) => 'refused: ' + e.message)`)).toMatch(/^refused/);

    // The options page shows the taught table under its site and forgets it; the page offers teaching again.
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const taught = options.locator(`[data-origin="http://localhost:${port}"] .site-taught`);
    await taught.waitFor();
    expect(await taught.textContent()).toContain('invoice number in column 1, invoice date in column 2, customer in column 3, total in column 4, UBL/CII download link in column 5');
    await taught.locator('button[name=forget-teaching]').click();
    await taught.waitFor({ state: 'detached' });
    expect(await ext.worker.evaluate(async (k) => Object.keys(await (globalThis as any).chrome.storage.local.get(k)), key)).toEqual([]);
    await page.reload();
    await page.waitForSelector('.octobridge-teach-start');
    expect(await page.locator('.octobridge-send').count()).toBe(0);
    await options.close();
    await page.close();
  });
});

/**
 * Evaluates an expression in the extension's isolated world of a page (where its content scripts run), through the
 * DevTools protocol: Playwright itself only reaches the page's main world.
 */
async function inContentScript(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event) => worlds.push(event.context));
  await cdp.send('Runtime.enable');
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && (w.origin.includes(ext.extensionId) || w.name.includes('octobridge')));
  if (!world) throw new Error(`no content script world among ${worlds.map((w) => `${w.name} ${w.origin}`).join(', ')}`);
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) return `refused: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`;
  return result.value;
}
