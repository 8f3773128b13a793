import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './support/extension';
import { startDemoSandbox, type DemoSandbox, type DemoSite, type Simulator } from './support/sandbox';
import { SIM_SEED } from '../sandbox/octopus-sim';
import { rowStatus, sendRow } from './support/overlay';

/**
 * Support's question in the popup at 400 px: did invoice X reach Octopus, where, and if not why? A credit note shows
 * its minus sign, a document sent again shows both bookings and is found by the first one's reference, a failure reads
 * in full with "Retry now" (focus stays in the row), and the CSV holds what the filters show.
 */

type Site = DemoSite;
type Sim = Simulator;

let site: Site;
let sim: Sim;
let ext: ExtensionBrowser;

let sandbox: DemoSandbox | undefined;
beforeAll(async () => {
  sandbox = await startDemoSandbox();
  ({ site, sim, ext } = sandbox);
});

afterAll(async () => {
  await sandbox?.close();
});

const bookingsOf = (number: string) => sim.bookings().filter((b) => b.comment.startsWith(`${number} `));

async function openPopup(): Promise<Page> {
  const popup = await ext.context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await popup.waitForSelector('main.popup');
  return popup;
}

describe('the popup history at 400 px', () => {
  it('answers where a document went, with every booking, signed amounts, a failure in full and the CSV', async () => {
    const sendable = site.documents.filter((d) => d.status !== 'draft');
    const credit = sendable.find((d) => d.invoice.kind === 'credit-note')!;
    const [invoice, failing] = sendable.filter((d) => d.invoice.kind === 'invoice');
    expect(credit && invoice && failing).toBeTruthy();

    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    for (const doc of [credit, invoice!]) {
      await sendRow(page, doc.id);
      await expect.poll(() => rowStatus(page, doc.id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    }

    const popup = await openPopup();
    // Nothing wider than the popup at 400 px.
    await popup.locator(`tr[data-document-id="${credit.id}"]`).waitFor();
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    const creditAmount = (await popup.locator(`tr[data-document-id="${credit.id}"] .amount`).textContent())!;
    expect(creditAmount.startsWith('-')).toBe(true);
    expect(await popup.locator(`tr[data-document-id="${credit.id}"] .amount`).getAttribute('data-amount')).toBe(`-${credit.invoice.totals.taxInclusive}`);

    // Send again from the log view: it asks first, then books a second time; both bookings stay listed.
    const first = (await popup.locator(`tr[data-document-id="${invoice!.id}"] .reference`).first().textContent())!;
    await popup.locator(`tr[data-document-id="${invoice!.id}"] .doc-number`).click();
    const detail = popup.getByTestId('transfer-detail');
    await detail.locator('button[name=send-again]').click();
    expect(bookingsOf(invoice!.invoice.number)).toHaveLength(1);
    await detail.locator('button[name=send-again-confirm]').click();
    await expect.poll(() => bookingsOf(invoice!.invoice.number).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => detail.locator('[data-testid=bookings] li').count(), { timeout: 15_000 }).toBe(2);
    expect(await detail.getByTestId('transfer-log').textContent()).toContain(`Booked in Octopus as ${first}`);
    await detail.locator('button[name=back]').click();
    // Back in the list, focus is on the row it came from.
    expect(await popup.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-document-id'))).toBe(invoice!.id);

    // Found by the first booking's reference, written with spaces.
    await popup.fill('input[name=search]', first.replace(/\//g, ' '));
    await expect.poll(() => popup.locator('tr[data-transfer-id]').count()).toBe(1);
    expect(await popup.locator('tr[data-transfer-id]').getAttribute('data-document-id')).toBe(invoice!.id);
    await popup.fill('input[name=search]', '');

    // A failure: the reason in full in the row, Octopus's words marked, Retry now by keyboard keeps focus in the row.
    sim.setJournalOpen(SIM_SEED.dossiers[0]!.id, 'V1', true);
    await sendRow(page, failing!.id);
    const row = popup.locator(`tr[data-document-id="${failing!.id}"]`);
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state'), { timeout: 30_000 }).toMatch(/failed|needs-attention/);
    const reason = (await row.locator('.message').textContent())!;
    expect(reason).toMatch(/journal/i);
    expect(await row.locator('.message').evaluate((el) => getComputedStyle(el).textOverflow)).not.toBe('ellipsis');
    sim.setJournalOpen(SIM_SEED.dossiers[0]!.id, 'V1', false);
    await row.locator('button[name=retry-now]').focus();
    await popup.keyboard.press('Enter');
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    expect(await popup.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-document-id'))).toBe(failing!.id);
    expect(bookingsOf(failing!.invoice.number)).toHaveLength(1);

    // The CSV of what the filters show: credit notes only.
    await popup.locator('details.history-filter-set > summary').click();
    await popup.selectOption('select[name=filter-kind]', 'credit-note');
    await expect.poll(() => popup.locator('tr[data-transfer-id]').count()).toBe(1);
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.click('button[name=export-csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(credit.invoice.number);
    expect(lines[1]).toContain(`,-${credit.invoice.totals.taxInclusive},EUR,`);
    await popup.close();
    await page.close();
  });
});
