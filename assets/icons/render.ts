/**
 * `npm run icons`: renders the SVG sources of this folder to the PNGs the build takes from public/icons (they are
 * committed: the build copies them, it does not draw them). Run it after changing an SVG. resvg ships its renderer
 * inside its npm package, so nothing is downloaded; its output is the same bytes on every run.
 *
 *   icon.svg                 the extension's icon: store, extension pages, notifications (16, 32, 48, 128 px); idle in the toolbar
 *   toolbar-attention.svg    the toolbar when documents need the user (16, 32 px)
 *   toolbar-sending.svg      the toolbar while documents are being sent (16, 32 px)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { ICON_SIZES, iconFile, TOOLBAR_SIZES, TOOLBAR_STATES, toolbarIconFile } from '../../lib/extension/toolbar-icon';

const here = import.meta.dirname;
const publicDir = path.resolve(here, '../../public');

function render(source: string, size: number, file: string): void {
  const svg = fs.readFileSync(path.join(here, source), 'utf8');
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
  const out = path.join(publicDir, file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, png);
  console.log(`${file} (${size} px, ${png.length} bytes)`);
}

for (const size of ICON_SIZES) render('icon.svg', size, iconFile(size));
// Idle is the extension's icon itself (toolbarIconFile).
for (const state of TOOLBAR_STATES) {
  if (state !== 'idle') for (const size of TOOLBAR_SIZES) render(`toolbar-${state}.svg`, size, toolbarIconFile(state, size));
}
