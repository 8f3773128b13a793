import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, PRODUCT_DIR, type ExtensionBrowser } from './support/extension';
import { iconFile, iconPaths, TOOLBAR_SIZES, TOOLBAR_STATES, toolbarIconFile } from '../../lib/extension/toolbar-icon';

/**
 * The toolbar icons as Chromium takes them from the product build's worker: the paths lib/extension/toolbar-icon.ts
 * hands to chrome.action.setIcon load for every state, and the worker's notifications take the extension's icon (a path
 * to no file is refused, so the checks can fail).
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

  it('a notification takes the extension icon the worker gives it', async () => {
    const notify = (iconUrl: string) =>
      ext.worker.evaluate(async (url) => {
        const chrome = (globalThis as unknown as { chrome: { notifications: { create(id: string, o: object): Promise<string>; clear(id: string): Promise<boolean> } } }).chrome;
        try {
          const id = await chrome.notifications.create(`octobridge-test-${url}`, { type: 'basic', iconUrl: url, title: 'octobridge', message: 'test' });
          await chrome.notifications.clear(id);
          return 'shown';
        } catch (error) {
          return `refused: ${String(error)}`;
        }
      }, iconUrl);
    expect(await notify(iconFile(128))).toBe('shown');
    expect(await notify('icons/none-128.png')).toMatch(/^refused/);
  });
});
