import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { recordedText, startReplay, type ReplayServer } from '../support/replay';
import { inClosedRoot, rowSend, rowStatus, sendRow, userClick, userClickAt, userType } from './support/overlay';
import { axeOverlay, describeViolations } from './support/axe';

/**
 * axe-core on the overlay's own UI in Chromium, closed roots included (./support/axe.ts says how): the column on the
 * demo app's list with a failed row (a journal open in Octopus), a booked one and the range send's preview open, and
 * the rail of a 300-row InvoicePlane list with a marker's card open. 0 violations; the app's own page is not judged.
 * On the way, what the user sees of a send: the button and the status cell keep their widths, the focus stays on the
 * button, a failure reads "Retry now" and the toolbar badge counts it.
 */

type Site = Awaited<ReturnType<typeof startDemoSite>>;
type Sim = Awaited<ReturnType<typeof startOctopusSimulator>>;
let site: Site;
let sim: Sim;
let app: ReplayServer;
let ext: ExtensionBrowser;
const DOSSIER = SIM_SEED.dossiers[0]!.id;

beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
  sim = await startOctopusSimulator({ port: 0 });
  app = await startReplay('invoiceplane-1.7', 8378);
  ext = await launchWithExtension();
  await connectDemoDossier(ext, sim);
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
  await app?.close();
  await sim?.close();
});

describe('axe-core on the overlay (Chromium)', () => {
  it('finds nothing in the column, a failed row, the bulk bar and the range preview', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.url}/invoices`);
    const sendable = page.locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))');
    await sendable.first().waitFor({ timeout: 20_000 });
    const [okId, failId] = await sendable.evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-invoice-id')!));
    const widthBefore = (await rowSend(page, okId!).boundingBox())!.width;
    const statusWidth = (await rowStatus(page, okId!).boundingBox())!.width;
    await sendRow(page, okId!);
    await expect.poll(() => rowStatus(page, okId!).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    // "Send to Octopus" became "Send again": the button and the status cell kept their widths.
    expect((await inClosedRoot(page, `.octobridge-send[data-document-id="${okId}"]`, 'button')).text).toBe('Send again');
    expect((await rowSend(page, okId!).boundingBox())!.width).toBeCloseTo(widthBefore, 0);
    expect((await rowStatus(page, okId!).boundingBox())!.width).toBeCloseTo(statusWidth, 0);
    // The sales journal open in Octopus: the next one fails with Octopus's own words.
    sim.setJournalOpen(DOSSIER, 'V1', true);
    await sendRow(page, failId!);
    await expect.poll(() => rowStatus(page, failId!).getAttribute('data-state'), { timeout: 30_000 }).toMatch(/failed|needs-attention/);
    // Focus stays on the row's button after the send (Enter or a click).
    expect(await rowSend(page, failId!).evaluate((host) => document.activeElement === host)).toBe(true);
    const reason = await inClosedRoot(page, `tr[data-invoice-id="${failId}"] .octobridge-status`, 'span');
    expect(reason.text).toMatch(/^✗ /);
    expect((await inClosedRoot(page, `.octobridge-send[data-document-id="${failId}"]`, 'button')).text).toBe('Retry now');
    // The toolbar badge counts it: the document needs the user (close the journal), even while it is retried by itself.
    const badge = () => ext.worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}));
    await expect.poll(badge, { timeout: 5000 }).toBe('1');

    const bar = page.locator('.octobridge-bulk');
    await bar.locator('.octobridge-bulk-range summary').click();
    await userType(page, bar.locator('.octobridge-range-year'), '2026');
    await userType(page, bar.locator('.octobridge-range-from'), '1');
    await userType(page, bar.locator('.octobridge-range-to'), '12');
    await userClick(page, bar.locator('.octobridge-bulk-range-send'));
    await page.locator('.octobridge-preview').waitFor({ timeout: 15_000 });
    expect(Number(await page.locator('.octobridge-preview').getAttribute('data-skipped'))).toBeGreaterThan(0);

    const { violations, opened, scanned } = await axeOverlay(page);
    expect(opened).toBeGreaterThan(20);
    expect(scanned).toBeGreaterThan(20);
    expect(violations, describeViolations(violations)).toEqual([]);
    sim.setJournalOpen(DOSSIER, 'V1', false);
    await page.close();
  });

  it('finds nothing in the rail of a 300-row list with a marker’s card open', async () => {
    const ORIGIN = 'http://127.0.0.1:8378';
    const LIST = '/index.php/invoices/status/all';
    const html = recordedText('invoiceplane-1.7', LIST);
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    const rows = body.match(/<tr[\s\S]*?<\/tr>/g)!;
    const copies: string[] = [];
    for (let i = rows.length; i < 300; i++) copies.push(rows[i % rows.length]!.replace(/\/invoices\/view\/\d+/g, `/invoices/view/${1001 + i - rows.length}`));
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.route(`${ORIGIN}${LIST}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html.replace(body, body + copies.join('\n')) }));
    await page.goto(`${ORIGIN}${LIST}`);
    await expect.poll(() => page.locator('.octobridge-rail').getAttribute('data-rows'), { timeout: 20_000 }).toBe('300');
    const marker = () => inClosedRoot(page, '.octobridge-rail', '.octobridge-status[data-document-id="3"]');
    expect((await marker()).attributes.role, 'a marker is announced as the button it is').toBeUndefined();
    // The row in view first: the mouse clicks where the marker is on screen.
    await page.locator('#filter_results tbody > tr:has(a[href$="/invoices/view/3"])').first().scrollIntoViewIfNeeded();
    await expect.poll(async () => (await marker()).box!.y, { timeout: 5000 }).toBeLessThan(page.viewportSize()!.height - 20);
    await userClickAt(page, await marker());
    await expect.poll(() => inClosedRoot(page, '.octobridge-rail', '.octobridge-card').then(() => true, () => false), { timeout: 5000 }).toBe(true);

    const { violations, opened } = await axeOverlay(page);
    expect(opened).toBeGreaterThan(0);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.close();
  });
});
