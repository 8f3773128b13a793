import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectDemoDossier } from './support/octopus';
import { launchWithExtension, type ExtensionBrowser } from './support/extension';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { relayToken, startRelay, type RunningRelay } from '../../lib/relay/server';
import { sendRow } from './support/overlay';
import { MemoryStore } from '../../lib/relay/store';

type Site = Awaited<ReturnType<typeof startDemoSite>>;
type Sim = Awaited<ReturnType<typeof startOctopusSimulator>>;

const TOKEN = 'e2e-relay-token-0123456789abcdef';
const SALES_MAILBOX = 'uid-008352-24@import.octopus.be';
let site: Site;
let sim: Sim;
let sink: MailSink;
let relay: RunningRelay;
let ext: ExtensionBrowser;

beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
  sim = await startOctopusSimulator({ port: 0 });
  sink = await startMailSink();
  relay = await startRelay({ host: '127.0.0.1', port: 0, tokens: [relayToken({ name: 'office', token: TOKEN, from: 'office@firm.example', domains: ['*.octopus.be'] })], smtpUrl: `smtp://127.0.0.1:${sink.port}`, maxMessageBytes: 10_000_000, store: new MemoryStore(), smtpTimeoutMs: 10_000 }, { logger: { write: () => undefined } });
  ext = await launchWithExtension();
});

afterAll(async () => {
  await ext?.close();
  await relay?.close();
  await sink?.close();
  await site?.close();
  await sim?.close();
});


/** An HTTP server on 127.0.0.1 that records every request it gets and answers 404, or a 307 to `redirectTo`. */
async function recordingServer(redirectTo?: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    if (redirectTo) res.writeHead(307, { Location: `${redirectTo}${req.url}` }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const cell = (page: Page, id: string) => page.locator(`tr[data-invoice-id="${id}"] .octobridge-status`);

describe('mailbox transport: demo site → extension → relay → SMTP sink', () => {
  it('sets up the relay and the dossier mailbox in the options page, refusing bad input and warning about a non-Octopus address', async () => {
    const page = await ext.context.newPage();
    await connectDemoDossier(ext, sim, page);
    await page.reload();
    const section = page.getByTestId('mail-settings');
    await section.waitFor();

    // A wrong token: tested before it is kept.
    await page.selectOption('select[name=mail-kind]', 'http-relay');
    await page.fill('input[name=mail-from]', 'office@firm.example');
    await page.fill('input[name=mail-url]', relay.url);
    await page.fill('input[name=mail-token]', 'wrong-token-0000000000000');
    await page.click('button[name=mail-save]');
    await expect.poll(() => page.getByTestId('mail-message').textContent()).toMatch(/could not be reached|refused/i);
    expect(await page.getByTestId('mail-account').textContent()).toMatch(/No mail account/);

    await page.fill('input[name=mail-token]', TOKEN);
    await page.click('button[name=mail-save]');
    await expect.poll(() => page.getByTestId('mail-account').textContent()).toContain('office@firm.example');

    // Pointed at another server, the kept token does not follow: the page asks for it again and nothing reaches there.
    const elsewhere = await recordingServer();
    try {
      await expect.poll(() => page.locator('input[name=mail-token]').getAttribute('placeholder')).toMatch(/^kept/);
      await page.fill('input[name=mail-url]', elsewhere.url);
      await expect.poll(() => page.getByTestId('mail-secret-again').count()).toBe(1);
      expect(await page.locator('input[name=mail-token]').getAttribute('placeholder')).toBeNull();
      await page.click('button[name=mail-save]');
      await expect.poll(() => page.getByTestId('mail-message').textContent()).toMatch(/enter the token or password again/);
      expect(elsewhere.requests).toEqual([]);

      // A relay that redirects: the browser does not follow it with the token, and the page says why.
      const redirecting = await recordingServer(elsewhere.url);
      try {
        await page.fill('input[name=mail-url]', redirecting.url);
        await page.fill('input[name=mail-token]', TOKEN);
        await page.click('button[name=mail-save]');
        await expect.poll(() => page.getByTestId('mail-message').textContent()).toMatch(/redirected the request elsewhere/);
        expect(redirecting.requests.length).toBeGreaterThan(0);
        expect(elsewhere.requests).toEqual([]);
      } finally {
        await redirecting.close();
      }
      await page.fill('input[name=mail-token]', '');
      await page.fill('input[name=mail-url]', relay.url);
      await expect.poll(() => page.getByTestId('mail-secret-again').count()).toBe(0);
    } finally {
      await elsewhere.close();
    }

    const row = page.locator(`[data-mail-dossier="${SIM_SEED.dossiers[0]!.id}"]`);
    await row.locator('select[name=transport]').selectOption('mailbox');
    await row.locator('input[name=sales]').fill('not an address');
    await row.locator('button[name=mail-dossier-save]').click();
    await expect.poll(() => row.getByRole('alert').textContent()).toContain('is not an e-mail address');

    // Not under octopus.be: a warning, and it is kept all the same.
    await row.locator('input[name=sales]').fill('scan@firm.example');
    expect(await row.getByTestId('mail-warning').textContent()).toContain('scan@firm.example');
    await row.locator('button[name=mail-dossier-save]').click();
    await expect.poll(() => row.getByRole('status').first().textContent()).toMatch(/Saved/);

    const saved = page.locator(`[data-mail-dossier="${SIM_SEED.dossiers[0]!.id}"]`);
    await saved.locator('input[name=sales]').fill(SALES_MAILBOX);
    await saved.locator('button[name=mail-dossier-save]').click();
    await expect.poll(() => saved.locator('input[name=sales]').inputValue()).toBe(SALES_MAILBOX);
    await expect.poll(() => saved.getByTestId('mail-warning').count()).toBe(0);
    await page.close();
  });

  it('sends a row by e-mail: the mail reaches the sink with the UBL and the PDF, once, and Octopus books nothing', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const id = (await page.locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))').first().getAttribute('data-invoice-id'))!;
    const number = (await page.locator(`tr[data-invoice-id="${id}"]`).getAttribute('data-invoice-number')) ?? undefined;
    await sendRow(page, id);
    await expect.poll(() => cell(page, id).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');

    const mail = await sink.waitFor((m) => m.envelope.rcptTo.includes(SALES_MAILBOX), 15_000);
    expect(mail.messageId).toMatch(/^<ubl-[0-9a-f]{32}@firm\.example>$/);
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
    const ubl = await (await fetch(`${site.url}/invoices/${id}/ubl`)).text();
    expect(mail.attachments[0]!.content.toString('utf8')).toBe(ubl);
    const pdf = Buffer.from(await (await fetch(`${site.url}/invoices/${id}/pdf`)).arrayBuffer());
    expect(mail.attachments[1]!.content.equals(pdf)).toBe(true);
    expect(mail.attachments[1]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    if (number) expect(mail.subject).toContain(number);
    expect(sim.bookings()).toHaveLength(0);

    // Clicked again: already sent, so it only opens the confirmation; nothing goes out a second time.
    await page.reload();
    await expect.poll(() => cell(page, id).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    const send = page.locator(`tr[data-invoice-id="${id}"] .octobridge-send`);
    if ((await send.getAttribute('data-disabled')) === null) await sendRow(page, id);
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(sink.messages.filter((m) => m.messageId === mail.messageId)).toHaveLength(1);

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await expect.poll(() => popup.locator(`tr[data-document-id="${id}"] [data-state]`).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await popup.close();
    await page.close();
  });
});
