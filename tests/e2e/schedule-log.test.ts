import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoDossier } from './support/octopus';
import { idb } from './support/pages';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';

/**
 * In Chromium: a scheduled run that cannot reach the invoicing app is listed under the rules in the options page
 * (why, and when it is tried again), and the popup says so in one line that opens that list.
 */

let site: Awaited<ReturnType<typeof startDemoSite>>;
let sim: Awaited<ReturnType<typeof startOctopusSimulator>>;
let ext: ExtensionBrowser;
const DOSSIER = SIM_SEED.dossiers[0]!.id;

beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
  sim = await startOctopusSimulator({ port: 0 });
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
  await sim?.close();
});

describe('scheduled runs log (Chromium)', () => {
  it('shows a run that could not reach the app in the options page and the popup, which opens the list', async () => {
    const options = await ext.context.newPage();
    await connectDemoDossier(ext, sim, options);
    const { host, origin } = new URL(site.url);

    // The worker learns the app from one of its pages, as it does for a user.
    const app = await ext.context.newPage();
    await app.goto(`${site.url}/invoices`);
    await app.waitForSelector('tr[data-invoice-id] .octobridge-send');
    await app.close();
    await expect
      .poll(async () => JSON.stringify(await idb<{ key: string; value: unknown }[]>(options, 'settings', 'getAll')), { timeout: 10_000 })
      .toContain(host);
    // The app is down from here on: the run's listing fails.
    await site.close();

    const form = options.locator(`[data-testid=rules] form[data-rules-dossier="${DOSSIER}"]`);
    await form.waitFor();
    const list = options.locator('[data-testid=rules] [data-testid=scheduled-runs]');
    expect(await list.textContent()).toContain('No scheduled run has queued documents or failed yet.');
    await form.locator('select[name=schedule]').selectOption('nightly');
    await form.locator('input[name=hour]').fill('2');
    await form.locator('button[name=save-rules]').click();
    await form.locator('[role=status]').waitFor();

    // The schedule's alarm, now rather than at 2 o'clock (an unpacked extension's alarms may fire this soon).
    await ext.worker.evaluate(() => (globalThis as any).chrome.alarms.create('octobridge-schedule', { when: Date.now() + 500 }));
    const row = list.locator(`tbody tr[data-site="${host}"]`);
    await row.waitFor({ timeout: 60_000 });
    const reason = `The invoicing app at ${origin} could not be reached`;
    expect(await row.getAttribute('data-outcome')).toBe('error');
    expect(await row.locator('.run-text').textContent()).toBe(`Could not read the list: ${reason}`);
    // The browser's own words, for support.
    expect(await row.locator('.run-detail').textContent()).toBe('TypeError: Failed to fetch');
    expect(await row.locator('.run-site').textContent()).toContain(SIM_SEED.dossiers[0]!.description);
    // A retry is planned, so its time is shown.
    expect((await row.locator('.run-retry').textContent())?.trim()).not.toBe('');

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const notice = popup.locator('[data-testid=schedule-failure] a');
    expect(await notice.textContent()).toBe(`Scheduled run could not read ${host}: ${reason}`);
    const [opened] = await Promise.all([ext.context.waitForEvent('page'), notice.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(`chrome-extension://${ext.extensionId}/options.html#scheduled-runs`);
    await opened.locator(`[data-testid=scheduled-runs] tbody tr[data-site="${host}"]`).waitFor();
    // The page opens at the list, which lies below the first screen (connection, dossiers, mail, sites).
    expect(await opened.locator('#scheduled-runs').evaluate((h) => h.getBoundingClientRect().top + scrollY > innerHeight)).toBe(true);
    await expect
      .poll(() => opened.locator('#scheduled-runs').evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < innerHeight))
      .toBe(true);
  });
});
