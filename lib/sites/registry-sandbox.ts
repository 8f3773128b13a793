import { factuurDemo } from './factuurdemo';
import { dolibarr } from './dolibarr.fetch';
import { invoicePlane } from './invoiceplane.fetch';
import { generic } from './generic.fetch';
import type { SiteAdapter } from './types';

/**
 * The sandbox build's adapters: the demo app (FactuurDemo, tests/sandbox/demo-site.ts) first, then the product's
 * (./registry.ts). Only entrypoints/background.ts picks this list, and only in the sandbox mode, so the product
 * bundles none of it. Listed out rather than spread from the product's list: a spread counts as a side effect to the
 * bundler and would keep the demo adapter in the product.
 */
export const SANDBOX_ADAPTERS: readonly SiteAdapter[] = [factuurDemo, dolibarr, invoicePlane, generic];
