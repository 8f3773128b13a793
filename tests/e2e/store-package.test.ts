import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICON_SIZES, iconFile, TOOLBAR_SIZES, TOOLBAR_STATES, toolbarIconFile } from '../../lib/extension/toolbar-icon';

/**
 * The package for the store (`npm run zip`), built twice from the same tree into two folders: the two zips must be the
 * same bytes (WXT's zip writes files sorted, with no timestamps), and what is in it is what a reviewer reads — the
 * version of package.json, the icons the manifest names, and a README sentence for every permission. Runs no browser;
 * the two builds take about 12 s on an idle 2-core machine.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const folders: string[] = [];
let zips: Buffer[] = [];
let buildDir = '';

interface Manifest {
  version: string;
  permissions: string[];
  icons: Record<string, string>;
  action: { default_icon: Record<string, string> };
}

/** The file names in a zip, from its central directory (signature PK\1\2, name length at 28, name at 46). */
function zipNames(zip: Buffer): string[] {
  const names: string[] = [];
  for (let at = zip.indexOf('PK\u0001\u0002', 0, 'latin1'); at >= 0; at = zip.indexOf('PK\u0001\u0002', at + 46, 'latin1')) {
    const length = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 46, at + 46 + length).toString('utf8'));
  }
  return names;
}

function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(12, 16).toString('latin1'), file).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

beforeAll(async () => {
  for (const name of ['a', 'b']) {
    const out = mkdtempSync(join(tmpdir(), `octobridge-zip-${name}-`));
    folders.push(out);
    await run(join(ROOT, 'node_modules/.bin/wxt'), ['zip'], { cwd: ROOT, env: { ...process.env, OCTOBRIDGE_OUT_DIR: out } });
  }
  zips = folders.map((out) => {
    const zip = readdirSync(out).find((f) => f.endsWith('-chrome.zip'));
    expect(zip, `a zip in ${out}`).toBeDefined();
    return readFileSync(join(out, zip!));
  });
  buildDir = join(folders[0]!, 'chrome-mv3');
}, 300_000);

afterAll(() => {
  for (const out of folders) rmSync(out, { recursive: true, force: true });
});

describe('npm run zip', () => {
  it('makes the same bytes twice from the same tree', () => {
    const [a, b] = zips.map((zip) => createHash('sha256').update(zip).digest('hex'));
    expect(zips[0]!.length).toBeGreaterThan(100_000);
    expect(a).toBe(b);
  });

  it('holds the built extension: manifest with the version of package.json, and every file of the build', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.version).toBe(pkg.version);
    const names = zipNames(zips[0]!);
    expect(names).toContain('manifest.json');
    expect(names).toContain('background.js');
    expect(names).toEqual([...names].sort());
  });

  it('the manifest names the icons and the toolbar icon, which are in the package at their sizes', () => {
    const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as Manifest;
    const names = zipNames(zips[0]!);
    expect(manifest.icons).toEqual(Object.fromEntries(ICON_SIZES.map((size) => [String(size), iconFile(size)])));
    expect(manifest.action.default_icon).toEqual(Object.fromEntries(TOOLBAR_SIZES.map((size) => [String(size), toolbarIconFile('idle', size)])));
    for (const [size, file] of [...Object.entries(manifest.icons), ...Object.entries(manifest.action.default_icon)]) {
      expect(names, file).toContain(file);
      expect(pngSize(join(buildDir, file)), file).toEqual([Number(size), Number(size)]);
    }
    // The states the worker switches to are shipped too.
    for (const state of TOOLBAR_STATES) for (const size of TOOLBAR_SIZES) expect(names).toContain(toolbarIconFile(state, size));
  });

  it('README says why for every permission the manifest asks for', () => {
    const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as Manifest;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /\n## Permissions\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    expect(section, 'a Permissions section in README').not.toBe('');
    expect(manifest.permissions.length).toBeGreaterThan(0);
    for (const permission of manifest.permissions) expect(section, permission).toMatch(new RegExp(`\\| \`${permission}\` \\| [A-Z]`));
  });
});
