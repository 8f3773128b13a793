import type { CDPSession, Frame, Locator, Page } from 'playwright-core';

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

/** What DevTools sees of an element inside one of our closed roots. */
export interface ClosedElement {
  attributes: Record<string, string>;
  box?: { x: number; y: number; width: number; height: number };
  text: string;
  /** A field's current value. */
  value?: string;
}

export interface CdpNode {
  nodeId: number;
  backendNodeId: number;
  nodeName?: string;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

/**
 * The shadow roots (closed ones too: DevTools pierces them) of each host `hostSelector` finds on the page, with the
 * DevTools session to work on them in; the caller detaches it.
 */
export async function closedRootsOf(page: Page, hostSelector: string): Promise<{ cdp: CDPSession; roots: { hostId: number; shadows: CdpNode[] }[] }> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
  const byId = new Map<number, CdpNode>();
  const walk = (node: CdpNode) => {
    byId.set(node.nodeId, node);
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
  };
  walk(root);
  const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: hostSelector })) as { nodeIds: number[] };
  return { cdp, roots: nodeIds.map((hostId) => ({ hostId, shadows: byId.get(hostId)?.shadowRoots ?? [] })) };
}

/**
 * Elements inside the closed roots of the hosts `hostSelector` finds, as DevTools (CDP) sees them: a test's view of
 * what the user sees, where page script has none. Clicks on them still go through the mouse (`userClickAt`).
 */
export async function inClosedRoots(page: Page, hostSelector: string, innerSelector: string): Promise<ClosedElement[]> {
  const { cdp, roots } = await closedRootsOf(page, hostSelector);
  try {
    const found: ClosedElement[] = [];
    for (const { shadows } of roots) {
      for (const shadow of shadows) {
        const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: shadow.nodeId, selector: innerSelector })) as { nodeIds: number[] };
        for (const nodeId of nodeIds) {
          const { attributes } = (await cdp.send('DOM.getAttributes', { nodeId })) as { attributes: string[] };
          const pairs: Record<string, string> = {};
          for (let i = 0; i < attributes.length; i += 2) pairs[attributes[i]!] = attributes[i + 1]!;
          const model = (await cdp.send('DOM.getBoxModel', { nodeId }).catch(() => undefined)) as { model: { border: number[]; width: number; height: number } } | undefined;
          const { object } = (await cdp.send('DOM.resolveNode', { nodeId })) as { object: { objectId: string } };
          const { result } = (await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: 'function () { return { text: this.textContent, value: this.value }; }', returnByValue: true })) as { result: { value: { text?: string; value?: string } } };
          found.push({
            attributes: pairs,
            text: result.value.text ?? '',
            ...(typeof result.value.value === 'string' ? { value: result.value.value } : {}),
            ...(model ? { box: { x: model.model.border[0]!, y: model.model.border[1]!, width: model.model.width, height: model.model.height } } : {}),
          });
        }
      }
    }
    return found;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** The one element inside a closed root that the selectors find (throws when there is none). */
export async function inClosedRoot(page: Page, hostSelector: string, innerSelector: string): Promise<ClosedElement> {
  const [first] = await inClosedRoots(page, hostSelector, innerSelector);
  if (!first) throw new Error(`nothing at ${hostSelector} >>> ${innerSelector}`);
  return first;
}

/** A trusted click in the middle of an element found in a closed root. */
export async function userClickAt(page: Page, element: ClosedElement): Promise<void> {
  if (!element.box || element.box.width === 0) throw new Error('not shown');
  await page.mouse.click(element.box.x + element.box.width / 2, element.box.y + element.box.height / 2);
}

/**
 * The range or period send's preview (lib/overlay/range-preview.ts): waits for it and answers its "Send N documents"
 * with a trusted click, as the user does. Answers how many documents it said go.
 */
export async function confirmPreview(page: Page, timeout = 15_000): Promise<number> {
  const preview = page.locator('.octobridge-preview');
  await preview.waitFor({ timeout });
  const go = Number(await preview.getAttribute('data-go'));
  await userClickAt(page, await inClosedRoot(page, '.octobridge-preview', '.octobridge-preview-confirm'));
  return go;
}

/**
 * Types an ISO day into one of the overlay's date fields as the user does in an en-US browser: a click on its first
 * segment (the month), then the digits; Chromium moves on from segment to segment by itself.
 */
export async function userTypeDate(page: Page, host: Locator, isoDay: string): Promise<void> {
  const [year, month, day] = isoDay.split('-');
  await host.scrollIntoViewIfNeeded();
  const box = await host.boundingBox();
  if (!box) throw new Error('no box for the date field');
  await page.mouse.click(box.x + 12, box.y + box.height / 2);
  await page.keyboard.type(`${month}${day}${year}`);
}
