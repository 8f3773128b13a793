import { UI_CATALOG } from './catalog';
import { catalogTranslator, type Catalog, type Locale } from './translator';
import octopusMessages from '../octopus/messages.json';
import { UBL_CATALOG } from './catalog-ubl';
import { MAIL_CATALOG } from './catalog-mail';
import { SITES_CATALOG } from './catalog-sites';
import { ENGINE_CATALOG } from './catalog-engine';
import { VAT_CATALOG } from './catalog-vat';
import { BUDGET_CATALOG } from './catalog-budget';
import { OVERLAY_CATALOG } from './catalog-overlay';
import { PAGES_CATALOG } from './catalog-pages';
import { POPUP_CATALOG } from './catalog-popup';
import { CODA_CATALOG } from './catalog-coda';

/** lib/octopus/messages.json writes parameters chrome-style ($1); the catalog writes {1}. */
function fromChromeStyle(messages: Record<string, Record<Locale, string>>): Catalog {
  return Object.fromEntries(
    Object.entries(messages).map(([key, entry]) => [
      key,
      { en: entry.en.replace(/\$(\d)/g, '{$1}'), nl: entry.nl.replace(/\$(\d)/g, '{$1}'), fr: entry.fr.replace(/\$(\d)/g, '{$1}') },
    ]),
  );
}

/** The whole catalog: the UI's strings and the domain's messages. */
export const CATALOG: Catalog = {
  ...UI_CATALOG,
  ...fromChromeStyle(octopusMessages),
  ...UBL_CATALOG,
  ...MAIL_CATALOG,
  ...SITES_CATALOG,
  ...ENGINE_CATALOG,
  ...VAT_CATALOG,
  ...BUDGET_CATALOG,
  ...OVERLAY_CATALOG,
  ...PAGES_CATALOG,
  ...POPUP_CATALOG,
  ...CODA_CATALOG,
};

export function translatorFor(locale: Locale) {
  return catalogTranslator(CATALOG, locale);
}
