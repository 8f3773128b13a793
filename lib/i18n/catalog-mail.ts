import type { Catalog } from './translator';

/** Messages of the mail area, in en, nl and fr (merged into CATALOG by ./index.ts). */
export const MAIL_CATALOG: Catalog = {};
