import type { Catalog } from './translator';

/** Messages of the ubl area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const UBL_CATALOG: Catalog = {};
