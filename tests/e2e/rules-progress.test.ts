import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoDossier } from './support/octopus';
import { idb } from './support/pages';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { confirmPreview, inClosedRoot, userClick, userType, userTypeDate } from './support/overlay';
import { parseDocumentNumber } from '../../lib/transfer/bulk';

/**
 * In Chromium: a rule set in the options page is kept after a reload; a number-range bulk send started
 * from the page's bulk bar shows its bar in the page (again after a reload) and in the popup, is cancelled from
 * the page, and afterwards the simulator holds exactly what the ledger says went, and nothing after the cancel.
 * A period send takes the app's whole list (the worker lists it), not only the rows the page shows.
 */

type Site = Awaited<ReturnType<typeof startDemoSite>>;
type Sim = Awaited<ReturnType<typeof startOctopusSimulator>>;

let site: Site;
let sim: Sim;
let ext: ExtensionBrowser;
const DOSSIER = SIM_SEED.dossiers[0]!.id;
/** Each booking takes this long at the simulator (one in flight per dossier), so the job lasts long enough to watch. */
const BOOKING_DELAY_MS = 3000;

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



interface JobRow {
  id: string;
  label: string;
  state: string;
  transferIds: string[];
}
interface TransferRow {
  id: string;
  documentId: string;
  documentNumber?: string;
  state: string;
  lastError?: { code?: string };
}

describe('rules and bulk progress (Chromium)', () => {
  it('keeps a rule set in the options page after a reload, and refuses a bad hour in the page', async () => {
    const options = await ext.context.newPage();
    await connectDemoDossier(ext, sim, options);
    const form = options.locator(`[data-testid=rules] form[data-rules-dossier="${DOSSIER}"]`);
    await form.waitFor();
    // Defaults: purchase documents wait for approval, warn before editing is on.
    expect(await form.locator('input[name=approval-purchase]').isChecked()).toBe(true);
    expect(await form.locator('input[name=warnEditAfterExport]').isChecked()).toBe(true);

    await form.locator('select[name=schedule]').selectOption('nightly');
    await form.locator('input[name=hour]').fill('25');
    await form.locator('button[name=save-rules]').click();
    expect(await form.getByRole('alert').textContent()).toMatch(/hour.*0 to 23.*25/);

    // No schedule in this test (a schedule would start sending by itself); kinds and options change.
    await form.locator('select[name=schedule]').selectOption('never');
    await form.locator('select[name=status-salesInvoice]').selectOption('paid');
    await form.locator('input[name=auto-purchase]').uncheck();
    await form.locator('input[name=includeAlreadyTransferred]').check();
    await form.locator('button[name=save-rules]').click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Rules saved');

    await options.reload();
    await form.waitFor();
    expect(await form.locator('select[name=status-salesInvoice]').inputValue()).toBe('paid');
    expect(await form.locator('input[name=auto-purchase]').isChecked()).toBe(false);
    expect(await form.locator('input[name=includeAlreadyTransferred]').isChecked()).toBe(true);
    expect(await form.locator('input[name=warnEditAfterExport]').isChecked()).toBe(true);
    expect(await form.locator('select[name=schedule]').inputValue()).toBe('never');
    await options.close();
  });

  it('sends numbers 1 to 10 of 2026 from the bulk bar, shows the bar in the page and the popup, and cancels it', async () => {
    sim.injectFault({ kind: 'delay', delayMs: BOOKING_DELAY_MS, count: null, path: 'buysellbookings$', method: 'POST' });
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    const bar = page.locator('.octobridge-bulk');
    await bar.locator('.octobridge-bulk-range summary').click();
    // A range that is wrong is refused in the page, and nothing goes.
    // The fields and buttons are in closed roots: typed into and pressed as the user does.
    await userType(page, bar.locator('.octobridge-range-from'), '10');
    await userType(page, bar.locator('.octobridge-range-to'), '1');
    await userClick(page, bar.locator('.octobridge-bulk-range-send'));
    await expect.poll(() => bar.locator('.octobridge-bulk-message').getAttribute('data-text')).toBe('The start (10) must not be after the end (1)');

    expect((await inClosedRoot(page, '.octobridge-range-year', 'input')).value).toBe(String(new Date().getFullYear()));
    await userType(page, bar.locator('.octobridge-range-year'), '2026');
    await userType(page, bar.locator('.octobridge-range-from'), '1');
    await userType(page, bar.locator('.octobridge-range-to'), '10');
    await userClick(page, bar.locator('.octobridge-bulk-range-send'));
    // First the preview, and nothing goes before the user's "Send N documents".
    const previewed = await confirmPreview(page);
    await expect.poll(() => bar.locator('.octobridge-bulk-message').getAttribute('data-text'), { timeout: 15_000 }).toMatch(/^\d+ documents go to Octopus/);

    // Which documents the range means: 1–10 of 2026, drafts and cancelled ones left out (the demo numbers sales and
    // credit notes apart).
    const expected = site.documents
      .filter((d) => d.status !== 'draft' && d.status !== 'cancelled')
      .filter((d) => {
        const n = parseDocumentNumber(d.invoice.number);
        return n.year === 2026 && n.sequence! >= 1 && n.sequence! <= 10;
      })
      .map((d) => d.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(previewed).toBe(expected.length);

    const job = page.locator('.octobridge-progress .octobridge-job');
    await job.waitFor({ timeout: 15_000 });
    expect(await job.getAttribute('data-state')).toBe('running');
    expect(await job.getAttribute('data-total')).toBe(String(expected.length));
    const jobId = (await job.getAttribute('data-job-id'))!;
    expect(await job.locator('.octobridge-job-done').textContent()).toMatch(new RegExp(`^\\d+ of ${expected.length} sent$`));

    // The popup shows the same job, live from the ledger.
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const popupBar = popup.locator(`.bulk-progress[data-job-id="${jobId}"]`);
    await popupBar.waitFor({ timeout: 15_000 });
    expect(await popupBar.getAttribute('data-state')).toBe('running');
    expect(await popupBar.locator('.bulk-done').textContent()).toMatch(new RegExp(`of ${expected.length} sent`));

    // A reload while it runs: the bar comes back (the job lives in the worker's ledger, not in the page).
    await page.reload();
    const again = page.locator(`.octobridge-job[data-job-id="${jobId}"]`);
    await again.waitFor({ timeout: 15_000 });
    expect(await again.getAttribute('data-state')).toBe('running');
    // It sits right below the bulk bar.
    expect(await page.locator('.octobridge-bulk + .octobridge-progress').count()).toBe(1);

    // Let one go, then cancel from the page. Claimed documents stop before their booking: at most the one whose
    // booking is on the wire (one at a time per dossier) still lands.
    await expect.poll(() => sim.bookings({ source: 'webservice' }).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(await again.getAttribute('data-state')).toBe('running');
    const bookedAtCancel = sim.bookings({ source: 'webservice' }).length;
    await again.locator('.octobridge-job-cancel').click();
    await expect.poll(() => again.getAttribute('data-state'), { timeout: 15_000 }).toBe('cancelled');
    await expect.poll(() => popupBar.getAttribute('data-state'), { timeout: 15_000 }).toBe('cancelled');

    // What was being sent at the cancel finishes (it cannot be taken back halfway); nothing starts after it.
    const settled = async () => {
      const transfers = await idb<TransferRow[]>(popup, 'transfers', 'getAll');
      const jobRow = (await idb<JobRow[]>(popup, 'bulkJobs', 'getAll')).find((j) => j.id === jobId)!;
      const mine = transfers.filter((t) => jobRow.transferIds.includes(t.id));
      return { jobRow, mine, open: mine.filter((t) => t.state === 'queued' || t.state === 'sending' || t.state === 'failed').length };
    };
    await expect.poll(async () => (await settled()).open, { timeout: 30_000 }).toBe(0);
    const bookedAtSettle = sim.bookings({ source: 'webservice' }).length;
    await new Promise((r) => setTimeout(r, BOOKING_DELAY_MS * 2));
    const bookings = sim.bookings({ source: 'webservice' });
    expect(bookings.length).toBe(bookedAtSettle);
    expect(bookings.length).toBeLessThanOrEqual(bookedAtCancel + 1);

    const { jobRow, mine } = await settled();
    expect(jobRow.state).toBe('cancelled');
    const sent = mine.filter((t) => t.state === 'sent');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThan(expected.length);
    // Every booking is a sent transfer of the range, once; every other document of the range is not in Octopus.
    const bookedNumbers = bookings.map((b) => b.comment.split(' ')[0]!).sort();
    expect(bookedNumbers).toEqual(sent.map((t) => t.documentNumber ?? t.documentId).sort());
    expect(new Set(bookedNumbers).size).toBe(bookedNumbers.length);
    for (const id of sent.map((t) => t.documentId)) expect(expected).toContain(id);
    const notSent = expected.filter((id) => !sent.some((t) => t.documentId === id));
    expect(notSent.length).toBeGreaterThan(0);
    for (const id of notSent) expect(bookedNumbers).not.toContain(site.documents.find((d) => d.id === id)!.invoice.number);

    // The page's rows agree: sent ones show ✓, the others are not marked sent.
    for (const t of sent) {
      await expect.poll(() => page.locator(`tr[data-invoice-id="${t.documentId}"] .octobridge-status`).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    }
    for (const id of notSent) expect(await page.locator(`tr[data-invoice-id="${id}"] .octobridge-status`).getAttribute('data-state')).not.toBe('sent');

    // A sent document's page warns before the app's edit action (the rule is on by default).
    const detail = await ext.context.newPage();
    await detail.goto(`${site.url}/invoices/${sent[0]!.documentId}`);
    const warning = detail.locator('.octobridge-edit-warning');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toMatch(/already in Octopus.*credit note/);
    await detail.goto(`${site.url}/invoices/${notSent[0]}`);
    await detail.locator('.octobridge-detail .octobridge-status').waitFor();
    await new Promise((r) => setTimeout(r, 500));
    expect(await detail.locator('.octobridge-edit-warning').count()).toBe(0);

    sim.clearFaults();
    await detail.close();
    await popup.close();
    await page.close();
  });

  it('a period send books what the app lists for it, also a document the page shown does not have', async () => {
    const page = await ext.context.newPage();
    // The app's own "sent" filter: its list page shows fewer rows than the app has (as a paginated list would).
    await page.goto(`${site.url}/invoices?status=sent`);
    const bar = page.locator('.octobridge-bulk');
    await bar.waitFor({ timeout: 15_000 });
    const november = site.documents.filter((d) => d.status !== 'draft' && d.invoice.issueDate >= '2026-11-01' && d.invoice.issueDate <= '2026-11-30');
    const notShown = november.filter((d) => d.status !== 'sent');
    expect(notShown.map((d) => d.invoice.number)).toEqual(['2026-0016']);
    expect(await page.locator(`tr[data-invoice-id="${notShown[0]!.id}"]`).count()).toBe(0);
    expect(await page.locator('tr[data-invoice-id]').count()).toBeLessThan(site.documents.length);
    // None of them went before (the range test sent numbers 1 to 10 at most).
    const numbers = november.map((d) => d.invoice.number).sort();
    const before = sim.bookings({ source: 'webservice' });
    expect(before.filter((b) => numbers.includes(b.comment.split(' ')[0]!))).toEqual([]);

    await bar.locator('.octobridge-bulk-period summary').click();
    await userTypeDate(page, bar.locator('.octobridge-period-from'), '2026-11-01');
    await userTypeDate(page, bar.locator('.octobridge-period-to'), '2026-11-30');
    expect((await inClosedRoot(page, '.octobridge-period-from', 'input')).value).toBe('2026-11-01');
    expect((await inClosedRoot(page, '.octobridge-period-to', 'input')).value).toBe('2026-11-30');
    await userClick(page, bar.locator('.octobridge-bulk-period-send'));
    expect(await confirmPreview(page)).toBe(november.length);
    const message = bar.locator('.octobridge-bulk-message');
    // The worker listed the app: no "only the rows of this page" note.
    await expect.poll(() => message.getAttribute('data-text'), { timeout: 15_000 }).toBe(`${november.length} documents go to Octopus (0 skipped)`);
    const job = page.locator('.octobridge-progress .octobridge-job');
    await job.waitFor({ timeout: 15_000 });
    expect(await job.getAttribute('data-total')).toBe(String(november.length));

    // Every one of them is booked once, the one the page did not show too; nothing else, and not November's drafts.
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    const booked = sim
      .bookings({ source: 'webservice' })
      .filter((b) => !before.includes(b))
      .map((b) => b.comment.split(' ')[0]!)
      .sort();
    expect(booked).toEqual(numbers);
    expect(await job.getAttribute('data-done')).toBe(String(november.length));
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const transfers = await idb<TransferRow[]>(popup, 'transfers', 'getAll');
    expect(transfers.find((t) => t.documentId === notShown[0]!.id)?.state).toBe('sent');
    await expect.poll(() => page.locator(`tr[data-invoice-id="${november.find((d) => d.status === 'sent')!.id}"] .octobridge-status`).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await popup.close();
    await page.close();
  });
});
