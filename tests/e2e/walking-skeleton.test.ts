import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import type { ExtensionBrowser } from './support/extension';
import { startDemoSandbox, type DemoSandbox, type DemoSite, type Simulator } from './support/sandbox';
import { SIM_SEED } from '../sandbox/octopus-sim';
import { selectRow, sendRow, textOf, userClick } from './support/overlay';

type Site = DemoSite;
type Sim = Simulator;

let site: Site;
let sim: Sim;
let ext: ExtensionBrowser;

let sandbox: DemoSandbox | undefined;
beforeAll(async () => {
  // The tests connect the dossier themselves: the first one checks a wrong login.
  sandbox = await startDemoSandbox({ connect: false });
  ({ site, sim, ext } = sandbox);
});

afterAll(async () => {
  await sandbox?.close();
});


const cell = (page: Page, id: string) => page.locator(`tr[data-invoice-id="${id}"] .octobridge-status`);

describe('walking skeleton: demo site → extension → Octopus simulator', () => {
  it('refuses a wrong login in the options page and keeps nothing', async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await page.fill('input[name=baseUrl]', sim.url);
    await page.fill('input[name=softwareHouseUuid]', SIM_SEED.softwareHouseUuid);
    await page.fill('input[name=user]', SIM_SEED.users[0]!.user);
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[name=connect]');
    const message = page.getByRole('alert');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/login|password|user/i);
    expect(await page.locator('[data-connection]').count()).toBe(0);
    await page.close();
  });

  it('sends two rows one by one and three in bulk, books them, and shows them in the popup', async () => {
    const options = await ext.context.newPage();
    await connectDemoDossier(ext, sim, options);
    await options.close();

    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    const rows = page.locator('tr[data-invoice-id]');
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invoice-id')!));
    expect(ids).toHaveLength(22);
    // The column, one button per row, and the bulk bar, each exactly once.
    expect(await page.locator('th.octobridge-col-status').count()).toBe(1);
    expect(await page.locator('.octobridge-send').count()).toBe(22);
    expect(await page.locator('.octobridge-bulk').count()).toBe(1);

    const sendable = await page
      .locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invoice-id')!));
    const drafts = ids.filter((id) => !sendable.includes(id));
    expect(drafts.length).toBeGreaterThan(0); // drafts cannot be sent
    const [a, b, c, d, e] = sendable;

    for (const id of [a!, b!]) {
      await sendRow(page, id);
      await expect.poll(() => cell(page, id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    }

    for (const id of [c!, d!, e!]) await selectRow(page, id);
    expect(await page.locator('.octobridge-bulk-count').textContent()).toContain('3');
    await userClick(page, '.octobridge-bulk-send');
    for (const id of [c!, d!, e!]) {
      await expect.poll(() => cell(page, id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    }
    expect(await textOf(cell(page, a!))).toMatch(/✓ V\d\/\S+\/\d+/);

    const bookings = sim.bookings();
    expect(bookings).toHaveLength(5);
    const numbers = new Set(bookings.map((x) => `${x.journalKey}/${x.documentSequenceNr}`));
    expect(numbers.size).toBe(5); // no booking twice
    for (const booking of bookings) {
      expect(booking.dossierId).toBe(SIM_SEED.dossiers[0]!.id);
      expect(booking.attachments.length).toBeGreaterThan(0);
    }

    // A reload keeps the states: they come from the ledger, not from the page.
    await page.reload();
    await expect.poll(() => cell(page, a!).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await expect.poll(() => popup.locator('tr[data-transfer-id]').count(), { timeout: 15_000 }).toBe(5);
    expect(await popup.locator('tr[data-transfer-id] [data-state=sent]').count()).toBe(5);
    const firstNumber = (await popup.locator('tr[data-transfer-id] .doc-number').first().textContent())!;
    await popup.fill('input[name=search]', firstNumber);
    await expect.poll(() => popup.locator('tr[data-transfer-id]').count()).toBe(1);
    await popup.close();
    await page.close();
  });

  it('shows a simulator error in the row and the popup, and the document can be sent again', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const target = await page
      .locator('tr[data-invoice-id]:has(.octobridge-status:not([data-state])):has(.octobridge-send:not([data-disabled]))')
      .first()
      .getAttribute('data-invoice-id');
    const before = sim.bookings().length;
    sim.setJournalOpen(SIM_SEED.dossiers[0]!.id, 'V1', true);
    await sendRow(page, target!);
    await expect
      .poll(() => cell(page, target!).getAttribute('data-state'), { timeout: 30_000 })
      .toMatch(/failed|needs-attention/);
    // The page gets the translated reason (the simulator's own words stay in the overlay's closed root).
    const shown = (await textOf(cell(page, target!)))!;
    expect(shown).toMatch(/journal/i);
    expect(sim.bookings().length).toBe(before); // nothing recorded as sent that was not

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const row = popup.locator(`tr[data-document-id="${target}"]`);
    await row.waitFor();
    expect(await row.locator('.message').textContent()).toMatch(/journal/i);

    sim.setJournalOpen(SIM_SEED.dossiers[0]!.id, 'V1', false);
    await sendRow(page, target!);
    await expect.poll(() => cell(page, target!).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    expect(sim.bookings().length).toBe(before + 1);
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await popup.close();
    await page.close();
  });

  it('sends from the detail page, and keeps drafts from being sent', async () => {
    const booked = sim.bookings().map((b) => b.comment);
    const target = site.documents.find(
      (d) => d.invoice.kind === 'invoice' && d.status !== 'draft' && !booked.some((c) => c.startsWith(`${d.invoice.number} `)),
    )!;
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices/${target.id}`);
    const detail = page.locator('.octobridge-detail');
    await detail.waitFor();
    expect(await page.locator('.octobridge-detail').count()).toBe(1);
    await userClick(page, detail.locator('.octobridge-send'));
    await expect.poll(() => detail.locator('.octobridge-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    expect(await textOf(detail.locator('.octobridge-status'))).toMatch(/✓ V1\/2026\/\d+/);
    expect(sim.bookings().filter((b) => b.comment.startsWith(`${target.invoice.number} `))).toHaveLength(1);

    const draft = site.documents.find((d) => d.status === 'draft')!;
    await page.goto(`${site.url}/invoices/${draft.id}`);
    await page.locator('.octobridge-detail').waitFor();
    expect(await page.locator('.octobridge-detail .octobridge-send').getAttribute('data-disabled')).not.toBeNull();
    await page.close();
  });

  it('sets up the dossier in the options page and books with its journals, periods, VAT codes and amounts', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const settings = options.locator(`[data-dossier-settings="${SIM_SEED.dossiers[0]!.id}"]`);
    await settings.locator('summary').first().click();
    await settings.locator('button[name=import]').click();
    const summary = settings.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/2026.*\b\d+ journals.*\b17 VAT codes/);
    // The communication log shows each call of the import.
    await settings.getByTestId('import-log').locator('summary').click();
    // Login, dossier, bookyears and journals at least (accounts and VAT codes kept from the bookings are not read again).
    expect(await settings.getByTestId('import-log').locator('tr').count()).toBeGreaterThanOrEqual(4);
    // The VAT mapping offers the dossier's own codes: 21 % sales maps to "21" by itself.
    expect(await settings.locator('select[name="vat-sales:S:21"] option').first().textContent()).toContain('21');
    // Credit notes go to their own journal in this dossier; a non-numeric account is refused with a clear message.
    await settings.locator('select[name=journal-credit-notes]').selectOption('V2');
    await settings.locator('input[name=account-sales]').fill('70O000');
    await settings.locator('button[name=save-dossier]').click();
    expect(await settings.getByRole('alert').textContent()).toContain('70O000');
    await settings.locator('input[name=account-sales]').fill('700000');
    await settings.locator('button[name=save-dossier]').click();
    await settings.getByRole('status').waitFor();
    await options.close();

    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const booked = sim.bookings().map((b) => b.comment);
    const creditNote = site.documents.find(
      (d) => d.invoice.kind === 'credit-note' && d.status !== 'draft' && !booked.some((c) => c.startsWith(`${d.invoice.number} `)),
    )!;
    expect(creditNote).toBeDefined();
    await sendRow(page, creditNote.id);
    await expect.poll(() => cell(page, creditNote.id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    expect(await textOf(cell(page, creditNote.id))).toMatch(/V2\/2026\/\d+/);
    await page.close();

    // Every booking made in this file, checked against the document it came from.
    const salesCodes = new Map(sim.dossier(SIM_SEED.dossiers[0]!.id)!.vatCodes.map((v) => [v.code, v] as const));
    const bookings = sim.bookings({ source: 'webservice' });
    expect(bookings.length).toBeGreaterThanOrEqual(7);
    for (const booking of bookings) {
      const doc = site.documents.find((d) => booking.comment.startsWith(`${d.invoice.number} `))!;
      expect(doc, booking.comment).toBeDefined();
      const isCredit = doc.invoice.kind === 'credit-note';
      if (booking === bookings.at(-1)) expect(booking.journalKey).toBe('V2');
      else expect(booking.journalKey).toBe('V1');
      expect(booking.bookyearPeriodeNr).toBe(Number(doc.invoice.issueDate.slice(0, 4) + doc.invoice.issueDate.slice(5, 7)));
      expect(booking.documentDate).toBe(doc.invoice.issueDate);
      const payable = Number(doc.invoice.totals.payable);
      expect(booking.amount).toBeCloseTo(isCredit ? -Math.abs(payable) : payable, 2);
      const lines = booking.data.bookingLines as { baseAmount: number; vatAmount: number; vatCodeKey: string }[];
      const base = lines.reduce((sum, l) => sum + l.baseAmount, 0);
      expect(Math.abs(base)).toBeCloseTo(Math.abs(Number(doc.invoice.totals.taxExclusive)), 2);
      for (const line of lines) {
        const code = salesCodes.get(line.vatCodeKey);
        expect(code, line.vatCodeKey).toBeDefined();
        expect(doc.invoice.vatBreakdown.some((v) => Number(v.rate) === code!.basePercentage)).toBe(true);
      }
      expect(booking.attachments.some((a) => a.fileName.endsWith('.pdf'))).toBe(true);
    }
  });

  it('answers a malformed message with a clear error and changes nothing', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    // The popup page stands in for any sender; the worker validates what it receives whoever sends it.
    const answer = await popup.evaluate(() =>
      (globalThis as any).chrome.runtime.sendMessage({ type: 'documents.send', documents: [{ id: '../../admin' }] }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.stringify(answer)).toContain('invalid document id');
    const unknown = await popup.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'secrets.read' }));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await popup.close();
  });
});
