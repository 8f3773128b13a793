/**
 * The popup at 50,000 transfers, in Chromium on the built extension (npm run build:sandbox first): the records are put
 * straight into the extension's IndexedDB, then the real popup page is opened and timed from navigation to its first
 * rows painted (goal ≤ 200 ms), with the JS heap it uses; then a search by Octopus reference of an old document and a
 * state filter, to the rows shown. Prints the median of 5 openings.
 */
import { launchWithExtension } from '../e2e/support/extension';

const COUNT = Number(process.env.BENCH_POPUP_COUNT ?? 50_000);
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const ext = await launchWithExtension({ args: ['--enable-precise-memory-info'] });
  try {
    const popupUrl = `chrome-extension://${ext.extensionId}/popup.html`;
    // The popup creates the database at its current version; the records go in beside it.
    const setup = await ext.context.newPage();
    await setup.setViewportSize({ width: 520, height: 600 });
    await setup.goto(popupUrl);
    await setup.waitForSelector('main.popup');
    const started = Date.now();
    await setup.evaluate(async (count) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('octobridge');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const base = Date.parse('2020-01-01T00:00:00Z');
      const states = ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'needs-attention', 'queued'];
      for (let start = 0; start < count; start += 5000) {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('transfers', 'readwrite');
          const store = tx.objectStore('transfers');
          for (let i = start; i < Math.min(count, start + 5000); i++) {
            const at = new Date(base + i * 60_000).toISOString();
            const state = states[i % states.length]!;
            const credit = i % 7 === 0;
            const reference = { journal: credit ? 'V2' : 'V1', bookyear: 2020 + Math.floor(i / 10_000), documentSequenceNr: i + 1 };
            store.put({
              id: `bench-${i}`,
              documentKey: `erp.example.be/${i}`,
              site: i % 3 === 0 ? 'erp.example.be' : 'factuur.example.be',
              origin: 'https://erp.example.be',
              adapter: 'dolibarr',
              documentId: String(i),
              documentNumber: `F-${String(i).padStart(6, '0')}`,
              dossierId: i % 2 === 0 ? 'd1' : 'd2',
              kind: credit ? 'credit-note' : 'invoice',
              direction: 'sales',
              counterparty: `Klant ${i % 997} BV`,
              amount: { value: `${credit ? '-' : ''}${(i % 5000) + 10}.${String(i % 100).padStart(2, '0')}`, currency: 'EUR' },
              transport: 'webservice',
              state,
              createdAt: at,
              updatedAt: at,
              attempts: 1,
              ...(state === 'sent'
                ? { octopusReference: reference, bookings: [{ at, reference }], referenceKeys: [`${reference.journal}/${reference.bookyear}/${reference.documentSequenceNr}`.toLowerCase()], sentAt: at }
                : {}),
              ...(state === 'failed' || state === 'needs-attention'
                ? { lastError: { text: { key: 'octopus_error_journal_open', params: ['V1'] }, detail: 'Journal V1 is open in Octopus by another user' } }
                : {}),
              log: [
                { at, level: 'info', text: { key: 'log_queued', params: [] } },
                { at, level: 'info', text: { key: 'log_sending', params: ['1'] } },
                state === 'sent'
                  ? { at, level: 'info', text: { key: 'log_booked', params: [`${reference.journal}/${reference.bookyear}/${reference.documentSequenceNr}`] } }
                  : { at, level: 'error', text: { key: 'octopus_error_journal_open', params: ['V1'] }, detail: 'Journal V1 is open in Octopus by another user' },
              ],
            });
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    }, COUNT);
    console.log(`${COUNT} transfers put into IndexedDB in ${Date.now() - started} ms`);
    await setup.close();

    // The first rows' paint: a MutationObserver notes when the first row is in the page, the next frame is its paint.
    await ext.context.addInitScript(() => {
      const w = window as unknown as { __firstRows?: number };
      new MutationObserver((_, observer) => {
        if (w.__firstRows === undefined && document.querySelector('tr[data-transfer-id]')) {
          observer.disconnect();
          requestAnimationFrame(() => (w.__firstRows = performance.now()));
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const paints: number[] = [];
    const heaps: number[] = [];
    const searches: number[] = [];
    const filters: number[] = [];
    const dcls: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await ext.context.newPage();
      await page.setViewportSize({ width: 520, height: 600 });
      await page.goto(popupUrl);
      await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined, undefined, { timeout: 30_000 });
      paints.push(await page.evaluate(() => (window as unknown as { __firstRows: number }).__firstRows));
      const nav = await page.evaluate(() => {
        const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { dcl: entry.domContentLoadedEventEnd, script: (window as unknown as { __script?: number }).__script };
      });
      dcls.push(nav.dcl);
      const rows = await page.locator('tr[data-transfer-id]').count();
      if (run === 0) console.log(`rows in the page (virtualised): ${rows}`);
      heaps.push(await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0));
      // Support's question about an old document, by its Octopus reference.
      const old = Math.floor(COUNT * 0.1) + 1; // a sent one: state index 0
      const wanted = `V1/${2020 + Math.floor((old - 1) / 10_000)}/${old}`;
      let t0 = Date.now();
      await page.fill('input[name=search]', wanted);
      await page.waitForFunction((n) => {
        const rows = document.querySelectorAll('tr[data-transfer-id] .reference');
        return rows.length > 0 && Array.from(rows).every((r) => r.textContent === n);
      }, wanted, { timeout: 60_000 });
      searches.push(Date.now() - t0);
      await page.fill('input[name=search]', '');
      await page.locator('details.history-filter-set > summary').click();
      t0 = Date.now();
      await page.selectOption('select[name=filter-state]', 'needs-attention');
      await page.waitForFunction(() => {
        const states = document.querySelectorAll('tr[data-transfer-id] [data-state]');
        return states.length > 0 && Array.from(states).every((s) => s.getAttribute('data-state') === 'needs-attention');
      }, undefined, { timeout: 60_000 });
      filters.push(Date.now() - t0);
      await page.close();
    }
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(`first rows painted: median ${median(paints).toFixed(0)} ms (runs: ${paints.map((p) => p.toFixed(0)).join(', ')}); goal ≤ 200 ms`);
    console.log(`of which the page's scripts loaded and ran (DOMContentLoaded): median ${median(dcls).toFixed(0)} ms`);
    console.log(`JS heap after first paint: median ${mb(median(heaps))} MB`);
    console.log(`search by an old Octopus reference to its row (reference index): median ${median(searches)} ms`);
    console.log(`state filter (indexed) to its rows: median ${median(filters)} ms`);
    if (median(paints) > 200) process.exitCode = 1;
  } finally {
    await ext.close();
  }
}

await main();
