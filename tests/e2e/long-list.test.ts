import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startOctopusSimulator } from '../sandbox/octopus-sim';
import { inClosedRoot, userClickAt } from './support/overlay';
import { recordedText, startReplay, type ReplayServer } from '../support/replay';

/**
 * In Chromium, a long list: InvoicePlane's captured list page with its 6 rows repeated to 300 (copies get ids
 * from 1001 on; the 6 real ones keep theirs, so they can be fetched from the replay and booked). From 100 rows the
 * overlay leaves the app's table as it is and puts a status rail beside it (lib/overlay/rail.ts): here, that the
 * markers sit on their rows, follow a re-flow, and that a document is booked from a marker's card.
 */

const ORIGIN = 'http://127.0.0.1:8378';
const LIST = '/index.php/invoices/status/all';
const ROWS = 300;

let app: ReplayServer;
let sim: Awaited<ReturnType<typeof startOctopusSimulator>>;
let ext: ExtensionBrowser;

beforeAll(async () => {
  app = await startReplay('invoiceplane-1.7', 8378);
  sim = await startOctopusSimulator({ port: 0 });
  ext = await launchWithExtension();
  await connectDemoDossier(ext, sim);
});

afterAll(async () => {
  await ext?.close();
  await app?.close();
  await sim?.close();
});

function longListHtml(): string {
  const html = recordedText('invoiceplane-1.7', LIST);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
  const rows = body.match(/<tr[\s\S]*?<\/tr>/g)!;
  const copies: string[] = [];
  for (let i = rows.length; i < ROWS; i++) copies.push(rows[i % rows.length]!.replace(/\/invoices\/view\/\d+/g, `/invoices/view/${1001 + i - rows.length}`));
  // The app's CSS is not in the fixture. Bootstrap 3's rule for the list's wrapper is put back: it scrolls sideways,
  // which decides where a bar that sticks to the window can go (lib/overlay/overlay.ts, stickyPlace).
  return html.replace(body, body + copies.join('\n')).replace('</head>', '<style>.table-responsive{overflow-x:auto;min-height:.01%}</style></head>');
}

/** A row's marker, inside the rail's closed root, as DevTools sees it (page script cannot). */
const marker = (page: Page, id: string) => inClosedRoot(page, '.octobridge-rail', `.octobridge-status[data-document-id="${id}"]`);
const rowOf = (page: Page, id: string) => page.locator(`#filter_results tbody > tr:has(a[href$="/invoices/view/${id}"])`).first();

async function expectOnItsRow(page: Page, id: string) {
  const table = (await page.locator('#filter_results table').boundingBox())!;
  const row = (await rowOf(page, id).boundingBox())!;
  const mark = (await marker(page, id)).box!;
  expect(Math.abs(mark.y + mark.height / 2 - (row.y + row.height / 2)), `marker ${id} beside its row`).toBeLessThanOrEqual(1.5);
  // Beside the table, on the side with room (this page has no app CSS: its table starts 8 px from the window's edge).
  expect(mark.x + mark.width <= table.x || mark.x >= table.x + table.width, `marker ${id} beside the table, not over it`).toBe(true);
}

async function visible(locator: Locator, page: Page) {
  const box = (await locator.boundingBox())!;
  const view = page.viewportSize()!;
  return box.y >= 0 && box.y + box.height <= view.height;
}

describe('a 300-row InvoicePlane list in Chromium', () => {
  it('keeps the app table untouched, puts a marker beside every row, and the markers follow a re-flow', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    const html = longListHtml();
    await page.route(`${ORIGIN}${LIST}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(`${ORIGIN}${LIST}`);
    await expect.poll(() => page.locator('.octobridge-rail').getAttribute('data-rows'), { timeout: 20_000 }).toBe(String(ROWS));
    expect(await page.locator('.octobridge-rail').evaluate((host) => host.shadowRoot)).toBeNull();
    const cellCounts = await page.locator('#filter_results table').evaluate((t) => Array.from((t as HTMLTableElement).rows).map((r) => r.cells.length));
    expect(new Set(cellCounts).size, 'every row keeps its own cells').toBe(1);
    expect(await page.locator('#filter_results .octobridge-col-status, #filter_results .octobridge-send').count()).toBe(0);

    for (const id of ['5', '1', '1100']) await expectOnItsRow(page, id);
    // The draft's marker says why; the bulk bar stays in sight below the long table.
    expect((await marker(page, '5')).attributes.title).toMatch(/validate/i);
    const bar = page.locator('.octobridge-bulk');
    expect(await bar.count()).toBe(1);
    // Once the list is in view, the bar is in sight below it, however long the list.
    await rowOf(page, '1').scrollIntoViewIfNeeded();
    expect(await visible(bar, page)).toBe(true);

    // The last rows, after a scroll, and after the window gets narrower (the app's table re-flows, rows get taller).
    const last = String(1001 + ROWS - 7);
    await rowOf(page, last).scrollIntoViewIfNeeded();
    await expectOnItsRow(page, last);
    expect(await visible(bar, page)).toBe(true);
    const before = (await rowOf(page, last).boundingBox())!.y;
    await page.setViewportSize({ width: 560, height: 720 });
    await expect.poll(async () => (await rowOf(page, last).boundingBox())!.y !== before).toBe(true);
    await rowOf(page, last).scrollIntoViewIfNeeded();
    await expect.poll(async () => {
      const row = (await rowOf(page, last).boundingBox())!;
      const mark = (await marker(page, last)).box!;
      return Math.abs(mark.y + mark.height / 2 - (row.y + row.height / 2));
    }).toBeLessThanOrEqual(1.5);
    await page.close();
  });

  it('books a document from its marker card and paints the marker sent', async () => {
    const page = await ext.context.newPage();
    const html = longListHtml();
    await page.route(`${ORIGIN}${LIST}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(`${ORIGIN}${LIST}`);
    await expect.poll(() => marker(page, '3').then(() => true, () => false), { timeout: 20_000 }).toBe(true);
    // The user's clicks (the mouse), on the marker and then on the card's send button.
    // The row in view first: the mouse clicks where the marker is on screen.
    await rowOf(page, '3').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await marker(page, '3')).box!.y, { timeout: 5000 }).toBeLessThan(page.viewportSize()!.height - 20);
    await userClickAt(page, await marker(page, '3'));
    const inCard = (selector: string) => inClosedRoot(page, '.octobridge-rail', `.octobridge-card ${selector}`);
    await expect.poll(async () => (await inCard('strong')).text).toBe('RE-2026-0003');
    await userClickAt(page, await inCard('.octobridge-send'));
    await expect.poll(async () => (await marker(page, '3')).attributes['data-state'], { timeout: 45_000 }).toMatch(/sent|failed|needs-attention/);
    const painted = await marker(page, '3');
    expect(painted.attributes['data-state'], painted.attributes.title ?? '').toBe('sent');
    expect((await inCard('.octobridge-card-state')).text).toMatch(/Booked in Octopus as/);
    const booking = sim.bookings().find((b) => JSON.stringify(b).includes('RE-2026-0003'));
    expect(booking, 'booking of RE-2026-0003').toBeDefined();
    expect(booking!.attachments.length).toBeGreaterThan(0);
    await page.close();
  });
});
