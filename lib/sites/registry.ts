import { factuurDemo } from './factuurdemo';
import type { SiteAdapter } from './types';

/** Every site adapter; the worker finds a page's adapter here by its match patterns. */
export const ADAPTERS: readonly SiteAdapter[] = [factuurDemo];
