import { controlOf, shadowOf } from '../../lib/overlay/shadow';

/**
 * Unit tests reach into the overlay's closed shadow roots through the overlay's own map (lib/overlay/shadow.ts), which
 * page script has no way to; `host.shadowRoot` is null for them, as for the page.
 */
export const userEvents = { isUserEvent: () => true };

export function rootOf(host: Element | null | undefined): ShadowRoot {
  const root = host ? shadowOf(host) : undefined;
  if (!root) throw new Error('not one of the overlay’s hosts');
  return root;
}

/** The button or input inside the host the selector finds (e.g. `.octobridge-send[data-document-id="3"]`). */
export function control<T extends HTMLButtonElement | HTMLInputElement = HTMLButtonElement>(scope: ParentNode, selector: string): T {
  const host = scope.querySelector(selector);
  const found = host ? controlOf<T>(host) : undefined;
  if (!found) throw new Error(`no overlay control at ${selector}`);
  return found;
}

/** The text a status host shows in its closed root (with the peer's detail, which the host's data-text has not). */
export function shownText(host: Element | null): string {
  return rootOf(host).querySelector('span')?.textContent ?? '';
}
