import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
export async function launchWithExtension(options: { profileDir?: string; lang?: string; buildDir?: string } = {}): Promise<ExtensionBrowser> {
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
