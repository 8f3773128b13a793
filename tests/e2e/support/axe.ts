import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { closedRootsOf } from './overlay';

/**
 * axe-core on the overlay's own UI in Chromium. The overlay's controls are in CLOSED shadow roots (lib/overlay/shadow.ts),
 * which axe, running in the page, cannot enter (host.shadowRoot is null for it as for any page script). Rather than a
 * separate build with open roots (a build that is not the one users run, and another minute of building), the test
 * reaches the real roots through DevTools (CDP, as tests/e2e/support/overlay.ts does): each closed root's content is
 * copied into an OPEN root on a twin of its host, in the host's place (same tag, attributes and light-DOM position, so
 * the same page styles and background apply), the original is hidden, and axe scans the twins and our light-DOM boxes.
 * Only the test's page is changed; scan at the end of a test.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Our hosts with closed roots, and our light-DOM boxes in the app's page. */
const HOSTS = 'octobridge-control, octobridge-status, octobridge-rail, octobridge-message, octobridge-preview';
const OURS = ['.octobridge-bulk', 'th.octobridge-col-status', 'th.octobridge-col-select', '.octobridge-progress', '.octobridge-detail', '[data-octobridge-axe-twin]'];


export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

/** Puts each closed root's content into an open root on a twin host (see above); answers how many were opened. */
async function openTwins(page: Page): Promise<number> {
  const { cdp, roots } = await closedRootsOf(page, HOSTS);
  try {
    let opened = 0;
    for (const { shadows } of roots) {
      const shadow = shadows[0];
      if (!shadow) continue;
      // The closed root as an object of the page's main world, where axe runs.
      const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId })) as { object: { objectId: string } };
      await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: `function () {
          const host = this.host;
          if (host.hasAttribute('data-octobridge-axe-hidden')) return;
          const twin = host.cloneNode(false);
          twin.setAttribute('data-octobridge-axe-twin', '');
          const open = twin.attachShadow({ mode: 'open' });
          for (const child of this.childNodes) open.append(child.cloneNode(true));
          // Checked boxes and typed values are properties, not attributes: copied by hand.
          const from = this.querySelectorAll('input'), to = open.querySelectorAll('input');
          from.forEach((input, i) => { to[i].checked = input.checked; to[i].value = input.value; });
          host.after(twin);
          host.setAttribute('data-octobridge-axe-hidden', '');
          host.style.display = 'none';
        }`,
      });
      opened++;
    }
    return opened;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** axe's violations in the overlay's own UI on this page (closed roots included, see above). */
export async function axeOverlay(page: Page): Promise<{ violations: AxeViolation[]; opened: number; scanned: number }> {
  const opened = await openTwins(page);
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (ours) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const include = ours.flatMap((selector) => Array.from(document.querySelectorAll(selector)));
    const result = await axe.run({ include }, { resultTypes: ['violations'] });
    return {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary })) })),
      opened: 0,
      scanned: include.length,
    };
  }, OURS).then((r) => ({ ...r, opened }));
}

/** The violations in words, for a failing assertion's message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.html}\n    ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.x A/AA rules on the page (or the part `include` selects). Evaluated over CDP, so an extension
 * page's CSP (no inline script) does not keep it out. Each finding names its rule and the nodes, for a readable failure.
 */
export async function axeViolations(page: Page, include?: string): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (selector) => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(selector ? { include: [selector] } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: { target: string[] }) => n.target.join(' ')) }));
  }, include);
}
