/**
 * `npm run bench:html`: the worker's HTML reader (lib/sites/html.ts: htmlparser2 + css-select) against the hand-written
 * one it replaced (./html-lite.ts, kept here for this comparison only), on every recorded HTML page of both apps
 * (tests/fixtures/apps). Per page: parse, then what the worker extracts from it — a list page through the adapter's
 * list reader (rows and next link), a detail page through the card/view header reader and the line rows' cells.
 * First it checks that both readers extract the same on every page (exit 1 if not), then prints ms per page (median
 * of warm runs) and the ratio new/old. BENCH_MS (default 1000) is the time spent per measurement.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseHtml } from '../../lib/sites/html';
import { parseHtml as parseHtmlLite } from './html-lite';
import { all, text, type QueryRoot } from '../../lib/sites/query';
import { readCardHeader } from '../../lib/sites/dolibarr';
import { readViewHeader } from '../../lib/sites/invoiceplane';
import { readDolibarrListPage } from '../../lib/sites/dolibarr.fetch';
import { readInvoicePlaneListPage } from '../../lib/sites/invoiceplane.fetch';
import type { HtmlNode } from '../../lib/sites/html';
import { APPS_DIR, readManifest } from '../support/replay';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 1000);

interface Page {
  set: string;
  url: string;
  html: string;
}

/** Every GET answered with HTML in the two recorded apps (lists, cards, views, AJAX fragments). */
function recordedPages(): Page[] {
  const pages: Page[] = [];
  for (const set of ['dolibarr-20', 'invoiceplane-1.7']) {
    for (const entry of readManifest(set).entries) {
      const type = Object.entries(entry.response_headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      if (entry.method !== 'GET' || !entry.file || !/text\/html/.test(type)) continue;
      pages.push({ set, url: entry.url, html: fs.readFileSync(path.join(APPS_DIR, set, entry.file), 'utf8') });
    }
  }
  return pages;
}

const rowsOf = (root: QueryRoot, selector: string) => all(root, selector).map((row) => all(row, 'td').map((cell) => text(cell)));

/** What the worker takes from a page, as plain data so the two readers' results can be compared. */
function extract(page: Page, parse: (html: string) => HtmlNode): unknown {
  const root = parse(page.html);
  if (page.set === 'dolibarr-20') {
    return {
      list: readDolibarrListPage(root, `http://127.0.0.1${page.url}`),
      card: readCardHeader(root, /[?&]id=(\d+)/.exec(page.url)?.[1]),
      lines: rowsOf(root, '#tablelines tr[data-id]'),
    };
  }
  const pathname = page.url.replace(/^\/index\.php/, '');
  return {
    list: readInvoicePlaneListPage(root),
    view: readViewHeader(root, pathname, 'en'),
    items: all(root, 'tbody.item').map((item) => all(item, 'input[name], select[name] option[selected]').map((n) => n.getAttribute('value') ?? text(n))),
  };
}

function msPerRun(run: () => void): number {
  for (let i = 0; i < 5; i++) run();
  const samples: number[] = [];
  const end = performance.now() + BUDGET_MS;
  while (performance.now() < end) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const pages = recordedPages();
let differ = 0;
for (const page of pages) {
  if (!isDeepStrictEqual(extract(page, parseHtml), extract(page, parseHtmlLite))) {
    differ++;
    console.error(`different extraction: ${page.set} ${page.url}`);
  }
}
if (differ > 0) {
  console.error(`${differ} of ${pages.length} pages extract differently`);
  process.exit(1);
}
console.log(`${pages.length} recorded HTML pages; both readers extract the same from each.\n`);
console.log(`${'page'.padEnd(58)} ${'KiB'.padStart(5)} ${'old ms'.padStart(8)} ${'new ms'.padStart(8)} ${'new/old'.padStart(8)}`);
let oldTotal = 0;
let newTotal = 0;
for (const page of pages) {
  const oldMs = msPerRun(() => extract(page, parseHtmlLite));
  const newMs = msPerRun(() => extract(page, parseHtml));
  oldTotal += oldMs;
  newTotal += newMs;
  const name = `${page.set} ${page.url}`;
  console.log(
    `${(name.length > 58 ? `${name.slice(0, 55)}...` : name).padEnd(58)} ${(page.html.length / 1024).toFixed(0).padStart(5)} ${oldMs.toFixed(2).padStart(8)} ${newMs.toFixed(2).padStart(8)} ${(newMs / oldMs).toFixed(2).padStart(8)}`,
  );
}
console.log(`\nall pages: old ${oldTotal.toFixed(1)} ms, new ${newTotal.toFixed(1)} ms, new/old ${(newTotal / oldTotal).toFixed(2)}`);
