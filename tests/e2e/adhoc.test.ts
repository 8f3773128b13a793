import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';
import { renderInvoicePdf } from '../sandbox/demo-pdf';
import { MiB, deflateBomb, pdfWith } from '../support/hostile-files';

let site: Awaited<ReturnType<typeof startDemoSite>>;
let sim: OctopusSimulator;
let ext: ExtensionBrowser;
let dir: string;

beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
  sim = await startOctopusSimulator({ port: 0 });
  ext = await launchWithExtension();
  dir = mkdtempSync(join(tmpdir(), 'octobridge-adhoc-'));
  await connectDemoDossier(ext, sim);
});

afterAll(async () => {
  await ext?.close();
  await site?.close();
  await sim?.close();
});

async function openPopup(): Promise<Page> {
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await popup.getByTestId('adhoc-section').locator('summary').click();
  return popup;
}

const bookingsOf = (number: string) => sim.bookings().filter((b) => b.comment.startsWith(`${number} `));

describe('ad-hoc send from the popup (freelancers)', () => {
  it('sends a dropped UBL file to the chosen dossier and shows it in the history', async () => {
    const doc = site.documents.find((d) => d.status !== 'draft' && d.invoice.kind === 'invoice')!;
    const path = join(dir, `${doc.id}.xml`);
    writeFileSync(path, await (await fetch(`${site.url}/invoices/${doc.id}/ubl`)).text());
    const popup = await openPopup();
    await popup.setInputFiles('input[name=adhoc-file]', path);
    expect(await popup.getByTestId('adhoc-preview').textContent()).toContain(doc.invoice.number);
    await popup.click('button[name=adhoc-send]');
    await popup.getByTestId('adhoc-message').waitFor();
    await expect.poll(() => bookingsOf(doc.invoice.number).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => popup.locator('tr[data-transfer-id] [data-state=sent]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    // Dropped again: the same document, not sent twice.
    await popup.setInputFiles('input[name=adhoc-file]', path);
    await popup.click('button[name=adhoc-send]');
    await expect.poll(() => popup.getByTestId('adhoc-message').textContent()).toMatch(/already/);
    expect(bookingsOf(doc.invoice.number)).toHaveLength(1);
    await popup.close();
  });

  it('reads the ZUGFeRD XML inside a PDF and books it with that PDF attached', async () => {
    const popup = await openPopup();
    await popup.setInputFiles('input[name=adhoc-file]', 'tests/fixtures/invoiceplane/Invoice_RE-2026-0002.pdf');
    expect(await popup.getByTestId('adhoc-preview').textContent()).toContain('RE-2026-0002');
    await popup.click('button[name=adhoc-send]');
    await expect.poll(() => bookingsOf('RE-2026-0002').length, { timeout: 30_000 }).toBe(1);
    const [booking] = bookingsOf('RE-2026-0002');
    const pdfSize = readFileSync('tests/fixtures/invoiceplane/Invoice_RE-2026-0002.pdf').length;
    expect(booking!.attachments.some((a) => a.fileName.endsWith('.pdf') && a.size === pdfSize)).toBe(true);
    await popup.close();
  });

  it('offers a pre-filled form for a bare PDF, refuses a bad amount, then books what the user confirmed', async () => {
    const doc = site.documents.find((d) => d.invoice.kind === 'invoice' && d.invoice.vatBreakdown.length === 1 && d.invoice.vatBreakdown[0]!.category === 'S')!;
    const invoice = { ...doc.invoice, number: 'SCAN-0001' };
    const path = join(dir, 'scan.pdf');
    writeFileSync(path, renderInvoicePdf(invoice));
    const popup = await openPopup();
    await popup.setInputFiles('input[name=adhoc-file]', path);
    const form = popup.getByTestId('adhoc-form');
    await form.waitFor();
    expect(await popup.inputValue('input[name=adhoc-number]')).toBe('SCAN-0001');
    expect(await popup.inputValue('input[name=adhoc-issue-date]')).toBe(invoice.issueDate);
    const rate = invoice.vatBreakdown[0]!.rate;
    expect(await popup.inputValue(`input[name="adhoc-net-${rate}"]`)).toBe(invoice.totals.taxExclusive);
    await popup.fill('input[name=adhoc-counterparty]', invoice.buyer.name);
    await popup.fill(`input[name="adhoc-net-${rate}"]`, 'veel');
    await popup.click('button[name=adhoc-send]');
    expect(await popup.getByRole('alert').textContent()).toContain('veel');
    expect(bookingsOf('SCAN-0001')).toHaveLength(0);
    await popup.fill(`input[name="adhoc-net-${rate}"]`, invoice.totals.taxExclusive.replace('.', ','));
    await popup.click('button[name=adhoc-send]');
    await expect.poll(() => bookingsOf('SCAN-0001').length, { timeout: 30_000 }).toBe(1);
    expect(bookingsOf('SCAN-0001')[0]!.amount).toBeCloseTo(Number(invoice.totals.payable), 2);
    await popup.close();
  });
  it('refuses a PDF whose factur-x.xml inflates to 512 MiB, in seconds, saying why, and books nothing', async () => {
    const path = join(dir, 'bomb.pdf');
    writeFileSync(path, await pdfWith([{ name: 'factur-x.xml', deflated: await deflateBomb(512 * MiB, 0x3c) }]));
    const before = sim.bookings().length;
    const popup = await openPopup();
    const t0 = Date.now();
    await popup.setInputFiles('input[name=adhoc-file]', path);
    const message = popup.getByTestId('adhoc-message');
    await message.waitFor({ timeout: 15_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await message.textContent()).toBe(
      'bomb.pdf is not an invoice octobridge can read: The embedded factur-x.xml is larger than 20.0 MB once unpacked, too large for an invoice; it is refused.',
    );
    expect(await popup.getByTestId('adhoc-form').count()).toBe(0);
    expect(await popup.locator('button[name=adhoc-send]').count()).toBe(0);
    expect(sim.bookings()).toHaveLength(before);
    await popup.close();
  });
  it('does not hand a PDF without an e-invoice whose streams inflate to 512 MiB to pdfjs: it says why', async () => {
    const path = join(dir, 'scan-bomb.pdf');
    writeFileSync(path, await pdfWith([{ name: 'scan.bin', deflated: await deflateBomb(512 * MiB, 0x20) }]));
    const popup = await openPopup();
    await popup.setInputFiles('input[name=adhoc-file]', path);
    const message = popup.getByTestId('adhoc-message');
    await message.waitFor({ timeout: 15_000 });
    expect(await message.textContent()).toBe('scan-bomb.pdf unpacks to more than 256 MB: too large for an invoice, so it is not read');
    expect(await popup.getByTestId('adhoc-form').count()).toBe(0);
    await popup.close();
  });
});
