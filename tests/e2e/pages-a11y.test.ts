import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { axeViolations } from './support/axe';
import { message } from './support/pages';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { startDemoSite } from '../sandbox/demo-site';
import { rowStatus, sendRow } from './support/overlay';

type Sim = Awaited<ReturnType<typeof startOctopusSimulator>>;
type Site = Awaited<ReturnType<typeof startDemoSite>>;

let sim: Sim;
let site: Site;
let ext: ExtensionBrowser;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
  site = await startDemoSite({ port: 0 });
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
  await sim?.close();
});

const optionsUrl = () => `chrome-extension://${ext.extensionId}/options.html`;
const fontSize = (page: Page, selector: string) => page.locator(selector).first().evaluate((e) => getComputedStyle(e).fontSize);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function expectNoViolations(page: Page, include?: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page, include), `axe in the ${scheme} theme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the extension pages: first run, sections, readable and accessible', () => {
  it('opens the options page by itself on install, at the guided set-up', async () => {
    await expect.poll(() => ext.context.pages().some((p) => p.url() === optionsUrl()), { timeout: 10_000 }).toBe(true);
    const opened = ext.context.pages().find((p) => p.url() === optionsUrl())!;
    const next = opened.locator('[data-testid=setup] li[data-step-state=next]');
    await next.waitFor();
    expect(await next.getAttribute('data-step')).toBe('connect');
    expect(await opened.locator('[data-testid=setup] li[data-step-state=todo]').count()).toBe(3);
    await opened.close();
  });

  it('a fresh profile: 14 px text, light and dark themes, translated checks of an empty form, 0 axe violations', async () => {
    const page = await ext.context.newPage();
    await page.goto(optionsUrl());
    await page.locator('[data-testid=setup]').waitFor();
    // Chromium's extension-page stylesheet makes body text 75 %; the page's own 14 px wins.
    expect(await fontSize(page, 'body')).toBe('14px');
    expect(await fontSize(page, 'label.field span')).toBe('14px');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background(page);
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);

    // The connection section is open, the later ones that need a dossier are folded; each has its anchor.
    for (const [id, open] of [['connection', true], ['dossiers', false], ['mail', false], ['sites', true], ['rules', false], ['support', false]] as const) {
      expect(await page.locator(`details#${id}`).evaluate((d) => (d as HTMLDetailsElement).open), id).toBe(open);
    }
    expect(await page.locator('nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      '#connection', '#dossiers', '#mail', '#sites', '#rules', '#support',
    ]);

    await page.fill('input[name=softwareHouseUuid]', '');
    await page.click('button[name=connect]');
    expect(await page.getByRole('alert').textContent()).toBe('Software house ID: fill this in.');
    expect(await page.locator('#connection-user-error').textContent()).toBe('User: fill this in.');
    expect(await page.locator('input[name=user]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('body').textContent()).not.toMatch(/Too small|expected string/);
    // The worker too answers a bad form with a catalog message, not zod's English.
    const refused = (await message(page, { type: 'connection.save', connection: { label: 'x', baseUrl: sim.url, softwareHouseUuid: '', user: 'u', password: 'p' } })) as {
      ok: boolean;
      error: { code: string; text?: { key: string; params: string[] } };
    };
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request', text: { key: 'form_required', params: ['@options_software_house'] } } });
    await expectNoViolations(page);
    await page.close();
  });

  it('links a support person to a section: options.html#support opens it', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${optionsUrl()}#support`);
    await page.getByTestId('support').waitFor();
    expect(await page.locator('details#support').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.getByTestId('support').textContent()).toMatch(/Version \d+\.\d+/);
    await page.close();
  });

  it('after connecting the demo dossier and importing it: next step named, journals by side, 0 axe violations', async () => {
    const page = await ext.context.newPage();
    await connectDemoDossier(ext, sim, page);
    const next = page.locator('[data-testid=setup] li[data-step-state=next]');
    await expect.poll(() => next.getAttribute('data-step')).toBe('journals');
    expect(await next.textContent()).toContain(SIM_SEED.dossiers[0]!.description);

    const settings = page.locator(`[data-dossier-settings="${SIM_SEED.dossiers[0]!.id}"]`);
    // The step's link opens the waiting dossier's settings.
    await next.locator('a').click();
    await expect.poll(() => settings.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await settings.locator('button[name=import]').click();
    await settings.getByTestId('import-summary').waitFor();
    // The sales journal list offers sales journals only, the purchases list purchase journals only (no bank journal).
    const keys = (name: string) => settings.locator(`select[name=${name}] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const sales = await keys('journal-sales');
    const purchases = await keys('journal-purchases');
    expect(sales.length).toBeGreaterThan(0);
    expect(purchases.length).toBeGreaterThan(0);
    expect(sales.every((k) => k.startsWith('V'))).toBe(true);
    expect(purchases.every((k) => k.startsWith('A'))).toBe(true);
    await settings.locator('button[name=save-dossier]').click();
    await settings.getByRole('status').waitFor();
    await expect.poll(() => next.getAttribute('data-step')).toBe('site');

    for (const id of ['mail', 'rules', 'support']) {
      const details = page.locator(`details#${id}`);
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').first().click();
    }
    await expectNoViolations(page);
    await page.close();
  });

  it('the popup with a booked transfer: 14 px text and 0 axe violations in both themes', async () => {
    const app = await ext.context.newPage();
    await app.goto(`${site.url}/invoices`);
    await app.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const id = (await app.locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))').first().getAttribute('data-invoice-id'))!;
    await sendRow(app, id);
    await expect.poll(() => rowStatus(app, id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    await app.close();

    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await page.locator('h1').waitFor();
    await page.getByText('V1/2026/', { exact: false }).first().waitFor();
    expect(await fontSize(page, 'body')).toBe('14px');
    await expectNoViolations(page);
    await page.close();
  });
});
