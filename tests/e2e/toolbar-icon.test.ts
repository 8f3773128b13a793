import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, PRODUCT_DIR, type ExtensionBrowser } from './support/extension';
import { iconPaths, TOOLBAR_SIZES, TOOLBAR_STATES, toolbarIconFile } from '../../lib/extension/toolbar-icon';

/**
 * The toolbar icons as Chromium takes them from the product build's worker: the paths lib/extension/toolbar-icon.ts
 * hands to chrome.action.setIcon load for every state (a path to no file is refused, so the check can fail).
 */

let ext: ExtensionBrowser;

beforeAll(async () => {
  ext = await launchWithExtension({ buildDir: PRODUCT_DIR });
});

afterAll(async () => {
  await ext?.close();
});

const setIcon = (path: Record<string, string>) =>
  ext.worker.evaluate(async (p) => {
    const chrome = (globalThis as unknown as { chrome: { action: { setIcon(d: { path: Record<string, string> }): Promise<void> } } }).chrome;
    try {
      await chrome.action.setIcon({ path: p });
      return 'set';
    } catch (error) {
      return `refused: ${String(error)}`;
    }
  }, path);

describe('the toolbar icon in Chromium', () => {
  it('every state the worker switches to loads from the build', async () => {
    for (const state of TOOLBAR_STATES) {
      expect(await setIcon(iconPaths(TOOLBAR_SIZES, (size) => `/${toolbarIconFile(state, size)}`)), state).toBe('set');
    }
  });

  it('a path to no file is refused', async () => {
    expect(await setIcon({ '16': '/icons/none-16.png' })).toMatch(/^refused/);
  });
});
