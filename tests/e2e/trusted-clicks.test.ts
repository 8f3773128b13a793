import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from './support/extension';
import { startDemoSandbox, type DemoSandbox, type DemoSite, type Simulator } from './support/sandbox';
import { extensionPage, message } from './support/pages';
import { confirmationFrame, rowSend, rowStatus, sendRow, stateOf, userClickInFrame } from './support/overlay';

type Site = DemoSite;
type Sim = Simulator;

/**
 * The invoicing app's own JavaScript, as an attacker's: it can press what it finds in its DOM and dispatch events
 * anywhere, but those clicks are not the user's. Only a real click (Playwright's mouse: trusted input) books, and
 * booking a document a second time needs the click in the extension's confirmation page, which the app cannot reach.
 */

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

/** Everything the page's script can do to our controls, on every host it finds. */
const PAGE_ATTACK = () => {
  const hosts = Array.from(document.querySelectorAll<HTMLElement>('octobridge-control, octobridge-status, octobridge-rail'));
  const open = hosts.filter((h) => h.shadowRoot !== null).length;
  for (const host of hosts) {
    host.click();
    host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    host.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    // Were a root open, the page would press what is inside it.
    for (const inner of Array.from(host.shadowRoot?.querySelectorAll<HTMLElement>('button, input') ?? [])) inner.click();
    const box = host.getBoundingClientRect();
    (document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) as HTMLElement | null)?.click();
  }
  return { hosts: hosts.length, open, buttons: document.querySelectorAll('octobridge-control button, .octobridge-send button').length };
};

describe('only the user’s own click sends', () => {
  it('books nothing on the page script’s clicks, once on a real click, and again only after the confirmation', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    await page.waitForSelector('tr[data-invoice-id] .octobridge-send');
    const id = (await page.locator('tr[data-invoice-id]:has(.octobridge-send:not([data-disabled]))').first().getAttribute('data-invoice-id'))!;
    const number = site.documents.find((d) => d.id === id)!.invoice.number;
    const mine = () => sim.bookings().filter((b) => b.comment.startsWith(`${number} `)).length;

    // The page finds our hosts but no root to enter: its clicks on all of them book nothing.
    const attack = await page.evaluate(PAGE_ATTACK);
    expect(attack.hosts).toBeGreaterThan(40);
    expect(attack.open).toBe(0);
    await page.waitForTimeout(2000);
    expect(sim.bookings()).toHaveLength(0);
    expect(await stateOf(rowStatus(page, id))).toBeNull();
    expect(await page.locator('.octobridge-bulk-count').getAttribute('data-count')).toBe('0');

    // The user's click books it, once.
    await sendRow(page, id);
    await expect.poll(() => stateOf(rowStatus(page, id)), { timeout: 30_000 }).toBe('sent');
    expect(mine()).toBe(1);
    expect(await rowSend(page, id).getAttribute('data-action')).toBe('send-again');

    // "Send again" pressed by the page: no confirmation opens, nothing is booked.
    await page.evaluate(PAGE_ATTACK);
    await page.waitForTimeout(1500);
    expect(page.frames().some((f) => f.url().includes('/confirm.html'))).toBe(false);
    expect(mine()).toBe(1);

    // The user's "Send again" opens the extension's confirmation, in a root and frame the page cannot reach.
    await sendRow(page, id);
    const frame = await confirmationFrame(page);
    expect(await frame.locator('main').textContent()).toContain(number);
    expect(await frame.locator('main').textContent()).toMatch(/V1\/2026\/\d+/);
    const reach = await page.evaluate(() => {
      const tried: string[] = [];
      tried.push(`iframes:${document.querySelectorAll('iframe').length}`);
      tried.push(`host-root:${String((document.querySelector('octobridge-confirm') as HTMLElement | null)?.shadowRoot ?? null)}`);
      for (let i = 0; i < window.frames.length; i++) {
        try {
          (window.frames[i] as Window).document.querySelector('button')?.click();
          tried.push('clicked');
        } catch {
          tried.push('cross-origin');
        }
        // What the frame would send, posted into it: it listens to no such message.
        window.frames[i]!.postMessage({ type: 'resend.confirm' }, '*');
      }
      (document.querySelector('octobridge-confirm') as HTMLElement | null)?.click();
      return tried;
    });
    expect(reach).toContain('iframes:0');
    expect(reach).toContain('host-root:null');
    expect(reach).not.toContain('clicked');
    await page.waitForTimeout(1500);
    expect(mine()).toBe(1);

    // The user's click on "Send again" in the confirmation: booked a second time, and the dialog goes.
    await userClickInFrame(page, frame, 'button[name=send-again]');
    await expect.poll(() => mine(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('octobridge-confirm').count()).toBe(0);
    await expect.poll(() => stateOf(rowStatus(page, id)), { timeout: 30_000 }).toBe('sent');
    await page.close();
  });

  it('keeps the confirmation disabled while the page hides it, and cancelling books nothing', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${site.url}/invoices`);
    const sentRow = page.locator('tr[data-invoice-id]:has(.octobridge-status[data-state=sent])').first();
    await sentRow.waitFor({ timeout: 15_000 });
    const id = (await sentRow.getAttribute('data-invoice-id'))!;
    const before = sim.bookings().length;
    await sendRow(page, id);
    const frame = await confirmationFrame(page);
    // The page makes the dialog all but invisible, to get a click onto it unseen: its button is disabled meanwhile.
    await page.evaluate(() => ((document.querySelector('octobridge-confirm') as HTMLElement).style.opacity = '0.05'));
    await expect.poll(() => frame.locator('button[name=send-again]').isDisabled(), { timeout: 5000 }).toBe(true);
    await page.waitForTimeout(500);
    expect(await frame.locator('button[name=send-again]').isDisabled()).toBe(true);
    await page.evaluate(() => ((document.querySelector('octobridge-confirm') as HTMLElement).style.opacity = ''));
    await expect.poll(() => frame.locator('button[name=send-again]').isDisabled(), { timeout: 5000 }).toBe(false);
    await userClickInFrame(page, frame, 'button[name=cancel]');
    await expect.poll(() => page.locator('octobridge-confirm').count()).toBe(0);
    await page.waitForTimeout(1500);
    expect(sim.bookings()).toHaveLength(before);
    await page.close();
  });

  it('refuses `force` in documents.send, whoever sends it', async () => {
    const popup = await extensionPage(ext);
    const before = sim.bookings().length;
    const answer = await message(popup, { type: 'documents.send', documents: [{ id: site.documents[0]!.id }], force: true, adapter: 'factuurdemo' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // A made-up confirmation token books nothing either.
    expect(await message(popup, { type: 'resend.confirm', token: '0123456789abcdef0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await popup.waitForTimeout(1000);
    expect(sim.bookings()).toHaveLength(before);
    await popup.close();
  });
});
