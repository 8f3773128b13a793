import { buildSync } from 'esbuild';
import path from 'node:path';

/**
 * The page sides of the site adapters as one script for a real browser page, so a Chromium test can run the
 * adapters' extraction on the replayed pages themselves (the content script's isolated world is out of reach).
 * Exposes globalThis.__octobridgeSites.
 */
export function adapterBundle(): string {
  const entry = `
    import { dolibarrDom } from './lib/sites/dolibarr';
    import { invoicePlaneDom } from './lib/sites/invoiceplane';
    import { queryAll, queryFirst } from './lib/sites/types';
    function rows(adapter) {
      const table = queryFirst(document, adapter.selectors.listTable);
      const context = table && adapter.listContext ? adapter.listContext(table, document) : undefined;
      return queryAll(document, adapter.selectors.listRow).map((row) => adapter.rowInfo(row, context));
    }
    globalThis.__octobridgeSites = { dolibarr: dolibarrDom, invoiceplane: invoicePlaneDom, rows, detail: (a) => a.detailInfo(document) };
  `;
  const out = buildSync({
    stdin: { contents: entry, resolveDir: path.resolve(import.meta.dirname, '../..'), loader: 'ts' },
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'chrome120',
  });
  return out.outputFiles[0]!.text;
}
