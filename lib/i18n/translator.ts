import type { LocalizedText } from '../model/transfer';

export type Locale = 'en' | 'nl' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'nl', 'fr'];

/** A message in the three languages; `{1}`…`{9}` stand for the parameters. */
export type CatalogEntry = Record<Locale, string>;
export type Catalog = Record<string, CatalogEntry>;

export interface Translator {
  t(key: string, params?: readonly string[]): string;
}

export function describe(translator: Translator, text: LocalizedText): string {
  return translator.t(text.key, text.params);
}

function fill(template: string, params: readonly string[]): string {
  return template.replace(/\{(\d)\}/g, (_, n: string) => params[Number(n) - 1] ?? '');
}

/**
 * A parameter written "@key" is itself a catalog message, translated in the reader's language: a stored text can
 * then name a VAT category or a side ("@vat_category_K", "@vat_side_sales") without fixing the language when it
 * is written. A parameter that names no message stays as it is.
 */
const NESTED_KEY = /^@([a-z][A-Za-z0-9_]*)$/;
export const messageParam = (key: string) => `@${key}`;
function translateParams(params: readonly string[], lookup: (key: string) => string | undefined): string[] {
  return params.map((p) => {
    const m = NESTED_KEY.exec(p);
    return (m && lookup(m[1]!)) || p;
  });
}

/** For Node (tests, CLI): translates from the catalog directly. */
export function catalogTranslator(catalog: Catalog, locale: Locale): Translator {
  return {
    t(key, params = []) {
      const entry = catalog[key];
      if (!entry) return key;
      const nested = translateParams(params, (k) => (catalog[k] ? catalog[k][locale] || catalog[k].en : undefined));
      return fill(entry[locale] || entry.en, nested);
    },
  };
}

/** For extension pages and content scripts: `browser.i18n.getMessage`, which picks the UI language. */
export function browserTranslator(getMessage: (key: string, substitutions?: string[]) => string): Translator {
  return {
    t(key, params = []) {
      return getMessage(key, translateParams(params, (k) => getMessage(k) || undefined)) || key;
    },
  };
}

/**
 * The catalog as Chrome's `_locales/<locale>/messages.json`: `{1}` becomes a named placeholder
 * `$P1$` whose content is `$1`, the form `i18n.getMessage` substitutes.
 */
export function toChromeMessages(catalog: Catalog, locale: Locale): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(catalog)) {
    const text = entry[locale] || entry.en;
    const numbers = [...new Set([...text.matchAll(/\{(\d)\}/g)].map((m) => m[1]!))];
    const message = text.replace(/\$/g, '$$$$').replace(/\{(\d)\}/g, (_, n: string) => `$P${n}$`);
    out[key] = numbers.length
      ? { message, placeholders: Object.fromEntries(numbers.map((n) => [`p${n}`, { content: `$${n}` }])) }
      : { message };
  }
  return out;
}
