import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  ICON_SIZES,
  iconFile,
  TOOLBAR_SIZES,
  TOOLBAR_STATES,
  toolbar,
  toolbarIconFile,
  toolbarState,
  type ToolbarAction,
} from '../../lib/extension/toolbar-icon';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PUBLIC = path.join(ROOT, 'public');

/** Width and height from a PNG's IHDR chunk (after the 8-byte signature and the chunk's length and type). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex'), `${file} is a PNG`).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const allFiles = () => [
  ...ICON_SIZES.map((size) => ({ file: iconFile(size), size, source: 'icon.svg' })),
  ...TOOLBAR_STATES.filter((s) => s !== 'idle').flatMap((state) =>
    TOOLBAR_SIZES.map((size) => ({ file: toolbarIconFile(state, size), size, source: `toolbar-${state}.svg` })),
  ),
];

describe('icon files in public/', () => {
  it('every icon and toolbar state exists as a square PNG of its size', () => {
    const files = allFiles();
    expect(files).toHaveLength(8);
    for (const { file, size } of files) expect(pngSize(path.join(PUBLIC, file)), file).toEqual({ width: size, height: size });
    for (const state of TOOLBAR_STATES) {
      for (const size of TOOLBAR_SIZES) expect(fs.existsSync(path.join(PUBLIC, toolbarIconFile(state, size))), `${state} ${size}`).toBe(true);
    }
  });

  it('the committed PNGs are what `npm run icons` draws from the SVG sources now (none was left out of date)', () => {
    for (const { file, size, source } of allFiles()) {
      const svg = fs.readFileSync(path.join(ROOT, 'assets/icons', source), 'utf8');
      const png = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
      expect(Buffer.compare(png, fs.readFileSync(path.join(PUBLIC, file))), file).toBe(0);
    }
  });

  it('the states are different drawings', () => {
    const bytes = TOOLBAR_STATES.map((state) => fs.readFileSync(path.join(PUBLIC, toolbarIconFile(state, 16))).toString('hex'));
    expect(new Set(bytes).size).toBe(TOOLBAR_STATES.length);
  });
});

/** Records what the worker asked of the toolbar. */
function fakeAction() {
  const calls: string[] = [];
  const action: ToolbarAction = {
    async setIcon({ path: paths }) {
      calls.push(`icon ${paths['16']} ${paths['32']}`);
    },
    async setBadgeText({ text }) {
      calls.push(`badge ${JSON.stringify(text)}`);
    },
    async setBadgeBackgroundColor({ color }) {
      calls.push(`color ${color}`);
    },
  };
  return { action, calls };
}

describe('the toolbar shows the state', () => {
  it('sending wins over attention, attention over idle', () => {
    expect(toolbarState({ attention: 0, sending: 0 })).toBe('idle');
    expect(toolbarState({ attention: 3, sending: 0 })).toBe('attention');
    expect(toolbarState({ attention: 3, sending: 1 })).toBe('sending');
    expect(toolbarState({ attention: 0, sending: 2 })).toBe('sending');
  });

  it('switches the icon on a change of state only, and counts what needs the user on the badge', async () => {
    const { action, calls } = fakeAction();
    const show = toolbar(action);
    expect(await show({ attention: 0, sending: 0 })).toBe('idle');
    expect(calls.splice(0)).toEqual(['icon /icons/icon-16.png /icons/icon-32.png', 'badge ""', 'color #b3261e']);
    expect(await show({ attention: 0, sending: 2 })).toBe('sending');
    expect(calls.splice(0)).toEqual(['icon /icons/toolbar-sending-16.png /icons/toolbar-sending-32.png', 'badge ""', 'color #b3261e']);
    expect(await show({ attention: 2, sending: 0 })).toBe('attention');
    expect(calls.splice(0)).toEqual(['icon /icons/toolbar-attention-16.png /icons/toolbar-attention-32.png', 'badge "2"', 'color #b3261e']);
    // Same state, another count: the badge changes, the icon is not set again.
    expect(await show({ attention: 5, sending: 0 })).toBe('attention');
    expect(calls.splice(0)).toEqual(['badge "5"', 'color #b3261e']);
    expect(await show({ attention: 0, sending: 0 })).toBe('idle');
    expect(calls.splice(0)).toEqual(['icon /icons/icon-16.png /icons/icon-32.png', 'badge ""', 'color #b3261e']);
  });

  it('every path the toolbar sets is a file in public/', async () => {
    const { action, calls } = fakeAction();
    const show = toolbar(action);
    for (const counts of [{ attention: 0, sending: 1 }, { attention: 1, sending: 0 }, { attention: 0, sending: 0 }]) await show(counts);
    const paths = calls.filter((c) => c.startsWith('icon ')).flatMap((c) => c.split(' ').slice(1));
    expect(paths).toHaveLength(6);
    for (const p of paths) expect(fs.existsSync(path.join(PUBLIC, p)), p).toBe(true);
  });
});
