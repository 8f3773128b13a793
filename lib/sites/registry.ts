import { factuurDemo } from './factuurdemo';
import { dolibarr } from './dolibarr.fetch';
import { invoicePlane } from './invoiceplane.fetch';
import { generic } from './generic.fetch';
import type { SiteAdapter } from './types';

/**
 * Every site adapter, both sides, for the worker: it finds a page's adapter here by the site mapping or the
 * adapter's match patterns (lib/extension/worker.ts). Content scripts import ./registry-dom.ts instead.
 */
export const ADAPTERS: readonly SiteAdapter[] = [factuurDemo, dolibarr, invoicePlane, generic];
