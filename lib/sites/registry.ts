import { dolibarr } from './dolibarr.fetch';
import { invoicePlane } from './invoiceplane.fetch';
import { generic } from './generic.fetch';
import type { SiteAdapter } from './types';

/**
 * The product's site adapters, both sides, for the worker: it finds a page's adapter here by the user's site mapping
 * (lib/extension/worker.ts). The sandbox build adds the demo app's (./registry-sandbox.ts). Content scripts import
 * ./registry-dom.ts instead.
 */
export const ADAPTERS: readonly SiteAdapter[] = [dolibarr, invoicePlane, generic];
