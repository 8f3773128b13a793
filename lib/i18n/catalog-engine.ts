import type { Catalog } from './translator';

/** Messages of the engine area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const ENGINE_CATALOG: Catalog = {};
