import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const OUT_DIR = process.env.OCTOBRIDGE_OUT_DIR ?? '.output';
/** The product (npm run build): runs only on sites the user added and granted. */
export const PRODUCT_DIR = resolve(OUT_DIR, 'chrome-mv3');
/** The sandbox build (npm run build:sandbox): loopback permissions, static scripts and the demo app; what most tests load. */
export const SANDBOX_DIR = resolve(OUT_DIR, 'chrome-mv3-sandbox');
export const EXTENSION_DIR = SANDBOX_DIR;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  profileDir: string;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/**
 * Debian's Chromium with a build loaded (the sandbox build unless buildDir says otherwise), headless, in a persistent
 * profile (extensions need one). The flags keep Chromium from reaching out to the network, which is closed here.
 */
export async function launchWithExtension(options: { profileDir?: string; lang?: string; buildDir?: string; args?: string[] } = {}): Promise<ExtensionBrowser> {
  const buildDir = options.buildDir ?? EXTENSION_DIR;
  if (!existsSync(join(buildDir, 'manifest.json'))) {
    throw new Error(`No build at ${buildDir}: run "npm run ${buildDir === PRODUCT_DIR ? 'build' : 'build:sandbox'}" first`);
  }
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'octobridge-e2e-'));
  const lang = options.lang ?? 'en-US';
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    locale: lang,
    args: [
      `--disable-extensions-except=${buildDir}`,
      `--load-extension=${buildDir}`,
      `--lang=${lang}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    profileDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Grants optional host permissions the way the browser keeps a user's "Allow" (the extension's granted and active
 * permissions in the profile), for a profile whose browser is closed. Headless Chromium shows the permission prompt of
 * chrome.permissions.request nowhere and never answers it, so a test cannot click "Allow"; the next launch starts
 * with the grant, as after a real click, and fires no permissions.onAdded (the worker's start-up sync covers it).
 */
export function grantInProfile(profileDir: string, extensionId: string, origins: string[]): void {
  let found = false;
  for (const file of ['Secure Preferences', 'Preferences']) {
    const path = join(profileDir, 'Default', file);
    if (!existsSync(path)) continue;
    const prefs = JSON.parse(readFileSync(path, 'utf8')) as { extensions?: { settings?: Record<string, Record<string, { explicit_host?: string[]; scriptable_host?: string[] }>> } };
    const settings = prefs.extensions?.settings?.[extensionId];
    if (!settings) continue;
    for (const key of ['granted_permissions', 'active_permissions']) {
      const set = (settings[key] ??= {});
      set.explicit_host = [...new Set([...(set.explicit_host ?? []), ...origins])];
      set.scriptable_host = [...new Set([...(set.scriptable_host ?? []), ...origins])];
    }
    writeFileSync(path, JSON.stringify(prefs));
    found = true;
  }
  if (!found) throw new Error(`extension ${extensionId} not found in the profile ${profileDir}`);
}
