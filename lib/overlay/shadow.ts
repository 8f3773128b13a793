/**
 * The overlay's controls live in CLOSED shadow roots: the page's script can neither find them (host.shadowRoot is
 * null) nor read or change what they show. Page script can still dispatch events at the host, or click a control it
 * got hold of, but those events are not trusted: every control acts only on the user's own events (`isTrusted`).
 * The roots are kept here, in the content script's own world (the page cannot see its variables), for the overlay
 * itself and for tests.
 */

const roots = new WeakMap<Element, ShadowRoot>();

/** Is this event the user's own (a real click or key), not one dispatched by script? Injectable for unit tests. */
export type UserEventCheck = (event: Event) => boolean;
export const isUserEvent: UserEventCheck = (event) => event.isTrusted;

/** A host element of ours with a closed shadow root; its style sheet goes in first. */
export function closedHost(doc: Document, tag: string, css: string, attrs: Record<string, string> = {}): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) host.setAttribute(k, v);
  const root = host.attachShadow({ mode: 'closed' });
  roots.set(host, root);
  if (css) {
    const style = doc.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  return { host, root };
}

/** The closed root of one of our hosts (for the overlay and tests; the page has no way to this map). */
export function shadowOf(host: Element): ShadowRoot | undefined {
  return roots.get(host);
}

/**
 * A listener that runs only for the user's own events; a synthetic one is stopped where it is, so it neither acts
 * nor reaches the app (a click on one of our buttons is never the app's).
 */
export function onUserEvent<E extends Event>(target: EventTarget, type: string, isUser: UserEventCheck, handler: (event: E) => void): void {
  target.addEventListener(type, (event) => {
    if (!isUser(event)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    handler(event as E);
  });
}

/**
 * The page's style sheets for a control that takes the app's own classes (its buttons look native): a closed root does
 * not inherit the page's rules, so they are linked in (the browser shares the parsed sheets).
 */
export function pageStyleNodes(doc: Document): Node[] {
  const nodes: Node[] = [];
  for (const node of doc.querySelectorAll('link[rel~="stylesheet"][href], style')) {
    if (node.id.startsWith('octobridge-')) continue;
    nodes.push(node.cloneNode(true));
  }
  return nodes;
}
