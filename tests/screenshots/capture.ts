/**
 * `npm run screenshots`: the README's pictures, made from the sandbox build against the simulator and the demo site, so
 * they show the extension as it is. English and Dutch (Chromium needs Debian's chromium-l10n for the Dutch UI), light
 * and dark, into docs/screenshots/<lang>-<name>-<theme>.png. Needs `npm run build:sandbox` first.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../e2e/support/extension';
import { connectDemoDossier } from '../e2e/support/octopus';
import { message } from '../e2e/support/pages';
import { rowStatus, sendRow } from '../e2e/support/overlay';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';

const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
const LANGUAGES = [
  { code: 'en', chromium: 'en-US' },
  { code: 'nl', chromium: 'nl' },
] as const;
const THEMES = ['light', 'dark'] as const;

async function shoot(page: Page, lang: string, name: string, options: { fullPage?: boolean; themes?: readonly (typeof THEMES)[number][] } = {}): Promise<void> {
  for (const theme of options.themes ?? THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    // Let the theme's colours settle before the picture.
    await page.waitForTimeout(150);
    const path = join(OUT, `${lang}-${name}-${theme}.png`);
    await page.screenshot({ path, fullPage: options.fullPage ?? false });
    console.log(path);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function waitForSent(page: Page, id: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await rowStatus(page, id).getAttribute('data-state')) !== 'sent') {
    if (Date.now() > deadline) throw new Error(`row ${id} was not sent within 30 s`);
    await page.waitForTimeout(200);
  }
}

async function capture(lang: (typeof LANGUAGES)[number]): Promise<void> {
  const sim = await startOctopusSimulator({ port: 0 });
  const site = await startDemoSite({ port: 0 });
  let ext: ExtensionBrowser | undefined;
  try {
    ext = await launchWithExtension({ lang: lang.chromium });
    const optionsUrl = `chrome-extension://${ext.extensionId}/options.html`;
    // The tab the install opened is the first thing a new user sees.
    const options = await ext.context.newPage();
    await options.setViewportSize({ width: 1180, height: 820 });
    await options.goto(optionsUrl);
    await options.locator('[data-testid=setup]').waitFor();
    await shoot(options, lang.code, 'setup');

    await connectDemoDossier(ext, sim, options);
    const dossierSeed = SIM_SEED.dossiers[0]!;
    const settings = options.locator(`[data-dossier-settings="${dossierSeed.id}"]`);
    await settings.locator('summary').first().click();
    await settings.locator('button[name=import]').click();
    await settings.getByTestId('import-summary').waitFor();
    await shoot(options, lang.code, 'dossier', { fullPage: true });

    // The overlay and the popup first: the sandbox serves the demo site to every dossier until it is added under Sites.
    const app = await ext.context.newPage();
    await app.setViewportSize({ width: 1180, height: 760 });
    await app.goto(`${site.url}/invoices`);
    await app.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const sendable = await app
      .locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invoice-id')!));
    for (const id of sendable.slice(0, 3)) {
      await sendRow(app, id);
      await waitForSent(app, id);
    }
    // The demo app has no dark theme of its own, so its page is shown as it is: light.
    await shoot(app, lang.code, 'overlay', { themes: ['light'] });

    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 680, height: 600 });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.locator('h1').waitFor();
    await popup.waitForTimeout(500);
    await shoot(popup, lang.code, 'popup');

    // Then the demo site, bound to the dossier, as "Sites" keeps it once the user added it.
    const answer = (await message(options, { type: 'settings.get' })) as { dossiers: { id: string; octopusDossierId: number }[] };
    const dossier = answer.dossiers.find((d) => d.octopusDossierId === dossierSeed.id)!;
    await options.evaluate(
      ({ origin, dossierId }) =>
        (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }).chrome.storage.local.set({
          'octobridge.sites': [{ origin, app: 'auto', addedAt: new Date().toISOString(), dossierIds: [dossierId], defaultDossierId: dossierId }],
        }),
      { origin: site.url, dossierId: dossier.id },
    );
    await options.goto(optionsUrl);
    await options.locator('[data-testid=setup][data-complete=true]').waitFor();
    await shoot(options, lang.code, 'options');

    await options.close();
  } finally {
    await ext?.close();
    await site.close();
    await sim.close();
  }
}

mkdirSync(OUT, { recursive: true });
// SCREENSHOT_LANGS=en makes only the English ones (faster while changing a page).
const only = process.env.SCREENSHOT_LANGS?.split(',');
for (const lang of LANGUAGES.filter((l) => !only || only.includes(l.code))) await capture(lang);
