import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

let sim: OctopusSimulator;
let ext: ExtensionBrowser;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
  ext = await launchWithExtension();
  await connectDemoDossier(ext, sim);
});

afterAll(async () => {
  await ext?.close();
  await sim?.close();
});

async function openPopup(): Promise<Page> {
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await popup.getByTestId('coda-section').locator('summary').click();
  return popup;
}

describe('CODA bank statements from the popup', () => {
  it('shows the statements of a dropped file, sends them to the simulator once, and refuses a broken file with its reason', async () => {
    const popup = await openPopup();
    // The account is set in the dossier's settings through the worker's own request (what the settings page sends).
    const dossierId = await popup.evaluate(async (octopusId) => {
      const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const answer = (await chrome.runtime.sendMessage({ type: 'settings.get' })) as { dossiers: { id: string; octopusDossierId: number }[] };
      const dossier = answer.dossiers.find((d) => d.octopusDossierId === octopusId)!;
      await chrome.runtime.sendMessage({ type: 'dossier.update', dossierId: dossier.id, changes: { codaAccounts: [{ iban: 'BE68539007547034', journal: 'F1' }] } });
      return dossier.id;
    }, SIM_SEED.dossiers[0]!.id);
    expect(dossierId).toBeTruthy();
    await popup.reload();
    await popup.getByTestId('coda-section').locator('summary').click();

    await popup.setInputFiles('input[name=coda-files]', ['tests/fixtures/coda/bank-a-v2-two-statements.cod', 'tests/fixtures/coda/broken-balance.cod']);
    const good = popup.locator('[data-file="bank-a-v2-two-statements.cod"]');
    await good.locator('tr[data-statement="41"]').waitFor();
    const row41 = await good.locator('tr[data-statement="41"]').textContent();
    expect(row41).toContain('BE68 5390 0754 7034');
    expect(row41).toContain('12500.00 EUR');
    expect(row41).toContain('12766.51 EUR');
    expect(row41).toContain('2026-03-02');
    expect(row41).toContain('· F1');
    expect(await popup.locator('[data-file="broken-balance.cod"] [role=alert]').textContent()).toMatch(/13766.52/);

    await popup.click('button[name=coda-send]');
    await expect.poll(() => good.locator('tr[data-outcome=sent]').count(), { timeout: 30_000 }).toBe(2);
    expect(sim.codaStatements(SIM_SEED.dossiers[0]!.id).map((s) => s.statementNumber)).toEqual([41, 42]);

    // Dropped again: nothing goes twice.
    await popup.setInputFiles('input[name=coda-files]', 'tests/fixtures/coda/bank-a-v2-two-statements.cod');
    await popup.click('button[name=coda-send]');
    await expect.poll(() => good.locator('tr[data-outcome=already-sent]').count(), { timeout: 30_000 }).toBe(2);
    expect(sim.countRequests({ route: 'coda.post' })).toBe(1);
    await popup.close();
  });
});
