import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { startDemoSite } from '../sandbox/demo-site';
import { idb } from './support/pages';
import { userClick } from './support/overlay';
import type { Transfer } from '../../lib/model/transfer';

/**
 * A site books only into its own dossiers, in Chromium on the production build: the firm uses two dossiers of the
 * simulator (Demo BV, BE0477472701, and Tweede Zaak NV, BE0403170701); a plain invoicing app on localhost is added
 * through the options page for Demo BV alone. Of its two invoices, one names Demo BV as seller and is booked there;
 * the other claims Tweede Zaak NV's VAT number and waits, with the reason in the page, and nothing reaches that dossier.
 */

const [demoBv, tweedeZaak] = SIM_SEED.dossiers as [(typeof SIM_SEED.dossiers)[0], (typeof SIM_SEED.dossiers)[0]];
const DEMO_SELLER = '0792345686'; // the demo app's seller (tests/sandbox/demo-data.ts), as digits in its UBL

let sim: Awaited<ReturnType<typeof startOctopusSimulator>>;
let demo: Awaited<ReturnType<typeof startDemoSite>>;
let app: http.Server;
let ext: ExtensionBrowser;
let port = 0;
const numbers: string[] = [];

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
  demo = await startDemoSite({ port: 0 });
  const picked = demo.documents.filter((d) => d.status !== 'draft' && d.invoice.kind === 'invoice').slice(0, 2);
  // Each invoice's seller becomes one client of the firm: the first Demo BV (the site's), the second Tweede Zaak NV.
  const owners = [demoBv.enterpriseNumber, tweedeZaak.enterpriseNumber];
  const ubl = new Map<string, string>();
  for (const [i, d] of picked.entries()) {
    const xml = await (await fetch(`${demo.url}/invoices/${encodeURIComponent(d.invoice.number)}/ubl`)).text();
    expect(xml).toContain(DEMO_SELLER);
    ubl.set(d.invoice.number, xml.replaceAll(DEMO_SELLER, owners[i]!));
    numbers.push(d.invoice.number);
  }
  const page = `<!doctype html><html lang="nl-BE"><head><title>Facturen</title></head><body><h1>Facturen</h1><table><thead><tr>${[
    'Factuurnummer',
    'Factuurdatum',
    'Klant',
    'Totaal',
    'Download',
  ]
    .map((h) => `<th>${h}</th>`)
    .join('')}</tr></thead><tbody>${picked
    .map((d, i) => `<tr><td>${d.invoice.number}</td><td>0${i + 1}-02-2026</td><td>${d.invoice.buyer.name}</td><td>1.234,5${i} €</td><td><a href="/docs/${encodeURIComponent(d.invoice.number)}.xml">UBL</a></td></tr>`)
    .join('')}</tbody></table></body></html>`;
  app = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const doc = url.pathname.startsWith('/docs/') ? ubl.get(decodeURIComponent(url.pathname.slice(6, -4))) : undefined;
    if (url.pathname === '/facturen') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (doc) res.writeHead(200, { 'content-type': 'application/xml' }).end(doc);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  port = (app.address() as AddressInfo).port;
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  app?.closeAllConnections();
  await new Promise((r) => app?.close(r));
  await demo?.close();
  await sim?.close();
});

/** The options page: connect the simulator's demo login and use both dossiers (the first becomes the general default). */
async function connectTwoDossiers(options: Page): Promise<void> {
  const user = SIM_SEED.users[0]!;
  await options.fill('input[name=baseUrl]', sim.url);
  await options.fill('input[name=softwareHouseUuid]', SIM_SEED.softwareHouseUuid);
  await options.fill('input[name=user]', user.user);
  await options.fill('input[name=password]', user.password);
  await options.click('button[name=connect]');
  await options.waitForSelector('[data-testid=available-dossiers]');
  for (const d of [demoBv, tweedeZaak]) {
    await options.click(`[data-octopus-dossier="${d.id}"] button`);
    await options.waitForSelector(`[data-testid=dossiers] [data-dossier="${d.id}"]`);
  }
}

describe('a site books only into its own dossiers', () => {
  it('books the invoice of the site’s client and holds the one claiming another client’s VAT number, with the reason', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await connectTwoDossiers(options);

    // Two dossiers: none is chosen for the site by itself; adding without one is refused.
    const origin = `http://localhost:${port}`;
    await options.fill('input[name=site-url]', origin);
    const siteForm = options.locator('form.site-add');
    await expect.poll(() => siteForm.locator('input[name=site-dossier]').count()).toBe(2);
    expect(await siteForm.locator('input[name=site-dossier]:checked').count()).toBe(0);
    await options.click('.site-add button[type=submit]');
    await options.waitForSelector('text=Choose at least one dossier this site may book into');
    await siteForm.locator('label', { hasText: demoBv.description }).locator('input[name=site-dossier]').check();
    await options.click('.site-add button[type=submit]');
    const row = options.locator(`[data-origin="${origin}"]`);
    await row.waitFor();
    expect(await row.locator('.site-books').textContent()).toBe(`books into: ${demoBv.description} (default)`);
    await options.close();

    const before = sim.bookings().length;
    const page = await ext.context.newPage();
    await page.goto(`${origin}/facturen`);
    await page.waitForSelector('.octobridge-send');
    expect(await page.locator('.octobridge-send').count()).toBe(2);
    const idOf = async (i: number) => (await page.locator('.octobridge-send').nth(i).getAttribute('data-document-id'))!;
    const [own, claimed] = [await idOf(0), await idOf(1)];
    // As the user does: a trusted click on each row's control (page script's clicks count for nothing).
    await userClick(page, page.locator(`.octobridge-send[data-document-id="${own}"]`));
    await userClick(page, page.locator(`.octobridge-send[data-document-id="${claimed}"]`));
    const status = (id: string) => page.locator(`.octobridge-status[data-document-id="${id}"]`);
    for (const id of [own, claimed]) {
      await expect.poll(() => status(id).getAttribute('data-state'), { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
    }
    expect(await status(own).getAttribute('data-state'), (await status(own).getAttribute('data-text')) ?? '').toBe('sent');
    expect(await status(claimed).getAttribute('data-state')).toBe('needs-attention');
    const reason = `The seller’s VAT number BE${tweedeZaak.enterpriseNumber} belongs to dossier ${tweedeZaak.description}, which this site may not use`;
    // The reason in words, as the page's DOM carries it (the translated text, never Octopus's detail).
    expect(await status(claimed).getAttribute('data-text')).toContain(reason);

    // Nothing reached the other client's dossier; the site's own invoice is in its own.
    const bookings = sim.bookings().slice(before);
    expect(bookings.filter((b) => b.dossierId === tweedeZaak.id)).toEqual([]);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]!.dossierId).toBe(demoBv.id);
    expect(JSON.stringify(bookings[0])).toContain(numbers[0]!);
    expect(JSON.stringify(bookings[0])).not.toContain(numbers[1]!);
    // The ledger holds it as waiting for the user, in no dossier.
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const transfers = await idb<Transfer[]>(popup, 'transfers', 'getAll');
    const held = transfers.find((t) => t.documentId === claimed)!;
    expect(held).toMatchObject({ state: 'needs-attention', lastError: { text: { key: 'routing_seller_other_dossier', params: [`BE${tweedeZaak.enterpriseNumber}`, tweedeZaak.description] } } });
    expect(held.dossierId).toBeUndefined();
    await popup.close();
    await page.close();
  });
});
