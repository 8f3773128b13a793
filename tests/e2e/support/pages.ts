import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './extension';

/** Raw IndexedDB of the extension origin, from one of its pages (it works while the worker is stopped). */
export function idb<T>(page: Page, store: string, op: 'getAll' | { put: unknown }): Promise<T> {
  return page.evaluate(
    ({ store, op }) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('octobridge');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, op === 'getAll' ? 'readonly' : 'readwrite');
          const request = op === 'getAll' ? tx.objectStore(store).getAll() : tx.objectStore(store).put(op.put);
          request.onsuccess = () => {
            const value = request.result as T;
            tx.oncomplete = () => {
              db.close();
              resolve(value);
            };
          };
          request.onerror = () => reject(request.error);
        };
      }),
    { store, op },
  );
}

/** A runtime message from an extension page, as the popup or the options page sends it. */
export const message = (page: Page, body: unknown) => page.evaluate((b) => (globalThis as any).chrome.runtime.sendMessage(b), body);

/** An extension page to read the ledger and send messages from. */
export async function extensionPage(ext: ExtensionBrowser): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

/** A small seeded generator (mulberry32) so a failing fault run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bulk job's progress as the worker reports it. */
export interface BulkProgressView {
  total: number;
  done: number;
  failed: number;
  retrying: number;
  pending: number;
  state: string;
}
