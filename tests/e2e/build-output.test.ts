import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_DIR, SANDBOX_DIR } from './support/extension';
import { factuurDemoDom } from '../../lib/sites/factuurdemo.dom';

/**
 * What `npm run build` ships against what `npm run build:sandbox` keeps for the tests and the demo: the product has no
 * loopback permission, no static content script and nothing of the demo app's adapter. Each check runs on both
 * builds and must find the thing in the sandbox, so a check that cannot find anything would fail here.
 */

interface Manifest {
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[]; js?: string[] }[];
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const LOOPBACK = /^(\*|https?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : [path];
  });
}

/** The demo adapter's fingerprints: its id and name, and every selector it uses on the demo's pages. */
const DEMO_MARKS = [
  factuurDemoDom.id,
  factuurDemoDom.name,
  ...Object.values(factuurDemoDom.selectors).flatMap((s) => (s ? s.variants : [])),
];

function demoMarksIn(dir: string): string[] {
  const found: string[] = [];
  for (const file of filesOf(dir)) {
    if (!/\.(js|mjs|html|json|css)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const mark of DEMO_MARKS) if (text.includes(mark)) found.push(`${relative(dir, file)}: ${mark}`);
  }
  return found;
}

describe('the product build against the sandbox build', () => {
  it('the product asks for no loopback origin and declares no static content script', () => {
    const product = manifestOf(PRODUCT_DIR);
    expect(product.host_permissions).toEqual(['https://service.inaras.be/*']);
    expect(product.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    expect(product.content_scripts ?? []).toEqual([]);
    expect(filesOf(PRODUCT_DIR).map((f) => relative(PRODUCT_DIR, f)).filter((f) => f.startsWith('content-scripts/'))).toEqual(['content-scripts/sites.js']);
  });

  it('the sandbox keeps its loopback permissions and static scripts', () => {
    const sandbox = manifestOf(SANDBOX_DIR);
    expect(sandbox.host_permissions?.filter((p) => LOOPBACK.test(p))).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(sandbox.host_permissions).toContain('https://service.inaras.be/*');
    const loopbackScripts = (sandbox.content_scripts ?? []).filter((s) => s.matches.some((m) => LOOPBACK.test(m)));
    expect(loopbackScripts.flatMap((s) => s.js ?? []).sort()).toEqual(['content-scripts/apps.js', 'content-scripts/factuurdemo.js']);
  });

  it('no bundle of the product holds the demo adapter; the sandbox does', () => {
    expect(DEMO_MARKS.length).toBeGreaterThan(5);
    expect(demoMarksIn(PRODUCT_DIR)).toEqual([]);
    const inSandbox = demoMarksIn(SANDBOX_DIR);
    // The worker (it books from the demo) and the demo's content script.
    expect(inSandbox.some((f) => f.startsWith('background.js: '))).toBe(true);
    expect(inSandbox.some((f) => f.startsWith('content-scripts/factuurdemo.js: '))).toBe(true);
  });
});
