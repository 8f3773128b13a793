import type { Frame, Locator, Page } from 'playwright-core';

/**
 * The overlay's controls are in closed shadow roots (lib/overlay/shadow.ts): locators cannot enter them, and a click
 * from page script is refused. A test clicks as the user does, with the mouse at the control's host (each host is
 * the size of its one control), and reads the state the host shows the page (`data-state`, `data-text`,
 * `data-disabled`, `data-action`).
 */

/** A real (trusted) click in the middle of the element's box; scrolls it into view first. */
export async function userClick(page: Page, target: Locator | string): Promise<void> {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`no box for ${String(target)}`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** The send button host of a demo-site row (or of any row with data-invoice-id). */
export const rowSend = (page: Page, id: string) => page.locator(`tr[data-invoice-id="${id}"] .octobridge-send`);
/** The status host of a demo-site row. */
export const rowStatus = (page: Page, id: string) => page.locator(`tr[data-invoice-id="${id}"] .octobridge-status`);

/** A trusted click on a row's "Send to Octopus" (or "Send again"). */
export const sendRow = (page: Page, id: string) => userClick(page, rowSend(page, id));

/** A trusted click on a row's checkbox. */
export const selectRow = (page: Page, id: string) => userClick(page, page.locator(`tr[data-invoice-id="${id}"] .octobridge-select`));

/** The state of a status host (`sent`, `failed`…), or null before it has one. */
export const stateOf = (status: Locator) => status.getAttribute('data-state');
/** The translated state and reason a status host shows the page. */
export const textOf = (status: Locator) => status.getAttribute('data-text');

/** Types into one of the overlay's fields (range, period): a trusted click to focus it, then the keyboard. */
export async function userType(page: Page, host: Locator, text: string): Promise<void> {
  await userClick(page, host);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/** The "send again" confirmation frame the overlay shows, once its page has loaded. */
export async function confirmationFrame(page: Page, timeout = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes('/confirm.html'));
    if (frame) {
      await frame.waitForSelector('button[name=send-again]:not([disabled]), [role=alert]', { timeout: Math.max(1000, deadline - Date.now()) });
      return frame;
    }
    if (Date.now() > deadline) throw new Error('no confirmation frame');
    await page.waitForTimeout(100);
  }
}

/** A trusted click on a button in the confirmation frame (the mouse at its place in the page). */
export async function userClickInFrame(page: Page, frame: Frame, selector: string): Promise<void> {
  const box = await frame.locator(selector).boundingBox();
  if (!box) throw new Error(`no box for ${selector} in the confirmation`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
