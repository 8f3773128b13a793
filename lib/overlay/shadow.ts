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
export const isUserEvent: UserEventCheck = (event) => event.isTrusted === true;

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
    // A control that is unavailable but keeps the focus (setUnavailable) does nothing.
    if ((target as Partial<Element>).getAttribute?.('aria-disabled') === 'true') return;
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

/** What one control's root shows: the control and the look it needs, nothing of the page. */
const CONTROL_CSS = `
:host{display:inline-block;vertical-align:middle}
:host([hidden]){display:none}
.octobridge-btn{font:inherit;font-size:12px;line-height:1.4;padding:2px 8px;margin:0 2px;border:1px solid #1f6f5c;border-radius:4px;background:#fff;color:#1f6f5c;cursor:pointer;white-space:nowrap}
.octobridge-btn:hover{background:#1f6f5c;color:#fff}
.octobridge-btn:focus-visible{outline:2px solid #1f6f5c;outline-offset:1px}
.octobridge-btn[disabled],.octobridge-btn[aria-disabled=true]{opacity:.55;cursor:not-allowed;background:#fff;color:#1f6f5c}
.octobridge-native[disabled],.octobridge-native[aria-disabled=true]{opacity:.55;cursor:not-allowed}
.octobridge-btn.octobridge-btn-primary{background:#1f6f5c;color:#fff}
.octobridge-btn.octobridge-btn-primary:hover{background:#185a4a}
.octobridge-btn.octobridge-btn-primary[aria-disabled=true]{background:#1f6f5c;color:#fff}
/* The button is as wide as its widest label (data-widest, drawn invisibly and 0 px high in the grid's one column under
   the label, which stays first so the button keeps its baseline), so a label that changes with the row's state never
   moves the app's own buttons beside it. */
.octobridge-sized{display:inline-grid;justify-items:center}
.octobridge-sized::after{content:attr(data-widest);visibility:hidden;height:0;overflow:hidden;white-space:nowrap}
input{margin:0 2px;vertical-align:middle}
input[type=number]{width:5.5em}
`;

/**
 * One control (a button, a checkbox, an input) in a host of its own with a closed root. The host is the control's
 * size, so the app's layout around it stays as it was, and a test clicks the control by clicking the host's box.
 * `nativeLook`: the app's own classes, with the page's sheets linked in so they apply.
 */
export function controlHost<K extends 'button' | 'input'>(
  doc: Document,
  tag: K,
  hostClass: string,
  options: { attrs?: Record<string, string>; controlClass?: string; nativeLook?: string } = {},
): { host: HTMLElement; control: HTMLElementTagNameMap[K] } {
  const { host, root } = closedHost(doc, 'octobridge-control', CONTROL_CSS, { class: hostClass, ...options.attrs });
  if (options.nativeLook) root.prepend(...pageStyleNodes(doc));
  const control = doc.createElement(tag);
  if (tag === 'button') (control as HTMLButtonElement).type = 'button';
  const classes = [options.controlClass ?? (tag === 'button' ? 'octobridge-btn' : ''), options.nativeLook ? `${options.nativeLook} octobridge-native` : ''].join(' ').trim();
  if (classes) control.className = classes;
  root.append(control);
  return { host, control };
}

/** Disables a control, and says so on its host (the page and tests see the state, not the control). */
export function setDisabled(host: Element, control: HTMLButtonElement | HTMLInputElement, disabled: boolean): void {
  control.disabled = disabled;
  host.toggleAttribute('data-disabled', disabled);
}

/**
 * A button that cannot act now (busy, nothing selected) but keeps its place in the tab order and the focus a keyboard
 * user put on it: aria-disabled, which onUserEvent honours, instead of `disabled`, which drops the focus to the page.
 */
export function setUnavailable(host: Element, control: HTMLButtonElement, unavailable: boolean): void {
  control.disabled = false;
  if (unavailable) control.setAttribute('aria-disabled', 'true');
  else control.removeAttribute('aria-disabled');
  host.toggleAttribute('data-disabled', unavailable);
}

/** The control inside one of our hosts (the overlay's own code and tests). */
export function controlOf<T extends Element = HTMLButtonElement>(host: Element): T | undefined {
  return (shadowOf(host)?.querySelector('button, input') as T | null) ?? undefined;
}
