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
