import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';

/**
 * Rendering React components into happy-dom for the options and popup unit tests: `render` mounts into a fresh
 * container, `unmountAll` (in afterEach) takes every mounted root down, `waitFor` polls inside act until a find
 * answers. Call with the test file's own `roots` list.
 */
export function reactHarness() {
  const roots: Root[] = [];
  return {
    async render(element: React.ReactElement): Promise<HTMLElement> {
      const container = document.createElement('div');
      document.body.append(container);
      const root = createRoot(container);
      roots.push(root);
      await act(async () => root.render(element));
      return container;
    },
    unmountAll(): void {
      for (const root of roots.splice(0)) act(() => root.unmount());
      document.body.innerHTML = '';
    },
  };
}

export async function waitFor<T>(find: () => T | null | undefined | false, timeout = 3000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > end) throw new Error('not found in time');
    await act(async () => new Promise((r) => setTimeout(r, 10)));
  }
}

/** Types into an input as React sees a user's typing (the native value setter, then an input event). */
export async function typeInto(element: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** A click inside act, so React's updates are flushed before the test reads the page. */
export const clickIn = (element: Element) => act(async () => (element as HTMLElement).click());

/**
 * An extension page's chrome.runtime and chrome.i18n for a component test: its messages go through `handle` (the
 * worker's own page-request handler, validated as the worker does) and its texts come from the catalog in `locale`.
 */
export function extensionPageGlobals(handle: (message: unknown) => Promise<unknown>, translate: (key: string, subs: string[]) => string, locale: string): void {
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { id: 'test', sendMessage: handle },
    i18n: { getMessage: (key: string, subs?: string[]) => translate(key, subs ?? []), getUILanguage: () => locale },
  };
}
