import type { Catalog } from './translator';

/** Messages of the sites area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const SITES_CATALOG: Catalog = {};
