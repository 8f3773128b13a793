import { toFixed } from '../money';

/**
 * Dates and amounts as invoicing apps show them. The format is decided once per column (all its cells
 * together) and, where the cells leave it open, by the page's language — never guessed cell by cell, so
 * "03/04/2026" in a column that also holds "13/04/2026" is the 3rd of April, and "1.234" in a column that
 * also holds "1.234,50" is one thousand two hundred and thirty-four.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export interface AmountFormat {
  decimal: '.' | ',';
}

/** Spaces apps put in numbers: normal, no-break (U+00A0), narrow no-break (U+202F), thin (U+2009), and the apostrophe (Swiss). */
const GROUP_SPACES = /[\s\u00a0\u202f\u2009']/g;
const MINUS = /[\u2212\u2012\u2013]/g;

/** The primary language of a page, from <html lang> (e.g. "en-US" → "en-us"), lower-case. */
export function pageLanguage(doc: { documentElement?: { getAttribute(name: string): string | null } | null }): string {
  return (doc.documentElement?.getAttribute('lang') ?? '').trim().toLowerCase();
}

/** The date order a language writes numerically: US English month first, the others day first. */
export function dateOrderForLanguage(lang: string): DateOrder | undefined {
  if (!lang) return undefined;
  if (lang === 'en' || lang === 'en-us' || lang === 'en_us') return 'mdy';
  if (/^(en|nl|fr|de|it|es|pt|da|sv|nb|fi|pl)\b/.test(lang)) return 'dmy';
  return undefined;
}

/** The decimal separator a language uses: English a point, the continental languages a comma. */
export function amountFormatForLanguage(lang: string): AmountFormat | undefined {
  if (!lang) return undefined;
  if (/^en\b/.test(lang)) return { decimal: '.' };
  if (/^de-ch\b/.test(lang)) return { decimal: '.' };
  if (/^(nl|fr|de|it|es|pt|da|sv|nb|fi|pl)\b/.test(lang)) return { decimal: ',' };
  return undefined;
}

const NUMERIC_DATE = /^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$/;

function cleanDate(text: string): string {
  // Apps add the time ("11/22/2026 10:20 PM") or a weekday; the date is the first numeric token.
  const match = text.replace(/[\u00a0\u202f]/g, ' ').trim().match(/\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}/);
  return match ? match[0] : '';
}

/**
 * The date order that fits every sample, from the column's evidence (a part above 12 can only be a day, a
 * four-digit first part is a year); when the samples do not tell, the page language; else undefined.
 */
/**
 * The rows a list's formats are decided on: all of them up to `max`, else `max` spread evenly from the first to the
 * last. Still one decision per column for the whole list, but a 1,000-row list costs the overlay ~70 ms less before its
 * first paint (tests/bench/overlay.ts); a format that 200 rows spread over the list leave open, the page language
 * settles, as it would for the whole list.
 */
export function sampleRows<T>(rows: readonly T[], max = 200): T[] {
  if (rows.length <= max) return [...rows];
  const step = (rows.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => rows[Math.round(i * step)]!);
}

export function detectDateOrder(samples: Iterable<string>, lang = ''): DateOrder | undefined {
  let firstIsDay = false;
  let secondIsDay = false;
  let iso = false;
  let seen = 0;
  for (const raw of samples) {
    const m = cleanDate(raw).match(NUMERIC_DATE);
    if (!m) continue;
    seen++;
    if (m[1]!.length === 4) {
      iso = true;
      continue;
    }
    if (Number(m[1]) > 12) firstIsDay = true;
    if (Number(m[2]) > 12) secondIsDay = true;
  }
  if (seen === 0) return undefined;
  if (iso && !firstIsDay && !secondIsDay) return 'ymd';
  if (firstIsDay && !secondIsDay) return 'dmy';
  if (secondIsDay && !firstIsDay) return 'mdy';
  if (firstIsDay && secondIsDay) return undefined; // contradicting cells: not a date column we can read
  return dateOrderForLanguage(lang);
}

function validDate(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An ISO date from a cell, read in the given order ("ymd" also reads ISO with any separator); undefined if it is not one. */
export function parseDate(text: string, order: DateOrder): string | undefined {
  const m = cleanDate(text).match(NUMERIC_DATE);
  if (!m) return undefined;
  const [a, b, c] = [m[1]!, m[2]!, m[3]!];
  if (a.length === 4) return validDate(Number(a), Number(b), Number(c));
  if (order === 'ymd') return undefined;
  // Two-digit years are this century's: invoices are not from the 1900s.
  const year = c.length === 2 ? 2000 + Number(c) : c.length === 4 ? Number(c) : NaN;
  if (Number.isNaN(year)) return undefined;
  return order === 'dmy' ? validDate(year, Number(b), Number(a)) : validDate(year, Number(a), Number(b));
}

interface AmountParts {
  negative: boolean;
  body: string;
}

function amountParts(text: string): AmountParts | undefined {
  let s = text.replace(MINUS, '-').replace(GROUP_SPACES, '');
  // Currency signs and codes on either side: "€", "EUR", "$", "£", "CHF".
  s = s.replace(/^(?:[A-Z]{3}|[€$£¥])/, '').replace(/(?:[A-Z]{3}|[€$£¥])$/, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/^(?:[A-Z]{3}|[€$£¥])/, '').replace(/(?:[A-Z]{3}|[€$£¥])$/, '');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = !negative;
    s = s.slice(0, -1);
  } else if (s.startsWith('+')) s = s.slice(1);
  s = s.replace(/^(?:[A-Z]{3}|[€$£¥])/, '').replace(/(?:[A-Z]{3}|[€$£¥])$/, '');
  if (!/^\d[\d.,]*$/.test(s) && !/^[.,]\d+$/.test(s)) return undefined;
  return { negative, body: s };
}

/**
 * The decimal separator of a column: a cell with both separators, a separator used twice, or one followed by
 * other than three digits settles it; when no cell does ("1,234" only), the page language; else undefined.
 */
export function detectAmountFormat(samples: Iterable<string>, lang = ''): AmountFormat | undefined {
  let point = 0;
  let comma = 0;
  let seen = 0;
  for (const raw of samples) {
    const parts = amountParts(raw);
    if (!parts) continue;
    seen++;
    const s = parts.body;
    const lastPoint = s.lastIndexOf('.');
    const lastComma = s.lastIndexOf(',');
    if (lastPoint >= 0 && lastComma >= 0) {
      if (lastPoint > lastComma) point++;
      else comma++;
      continue;
    }
    const sep = lastPoint >= 0 ? '.' : lastComma >= 0 ? ',' : undefined;
    if (!sep) continue;
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    if (count > 1) {
      // Used twice: a group separator, so the other one is the decimal mark.
      if (sep === '.') comma++;
      else point++;
    } else if (after !== 3) {
      if (sep === '.') point++;
      else comma++;
    }
  }
  if (seen === 0) return undefined;
  if (point > 0 && comma === 0) return { decimal: '.' };
  if (comma > 0 && point === 0) return { decimal: ',' };
  if (point > 0 && comma > 0) return undefined; // the column contradicts itself
  return amountFormatForLanguage(lang);
}

/** A decimal string with two places ("-2580.00") from a cell, read with the column's format; undefined if it is not an amount. */
export function parseAmount(text: string, format: AmountFormat): string | undefined {
  const parts = amountParts(text.trim());
  if (!parts) return undefined;
  const group = format.decimal === '.' ? ',' : '.';
  const body = parts.body;
  const decimalAt = body.lastIndexOf(format.decimal);
  if (body.indexOf(format.decimal) !== decimalAt) return undefined; // two decimal marks
  const intPart = decimalAt >= 0 ? body.slice(0, decimalAt) : body;
  const fraction = decimalAt >= 0 ? body.slice(decimalAt + 1) : '';
  if (fraction.includes(group)) return undefined;
  const groups = intPart.split(group);
  // Group separators must sit every three digits ("1,234,567"), else the cell is not in this format.
  if (groups.length > 1 && (groups.slice(1).some((g) => g.length !== 3) || groups[0]!.length === 0 || groups[0]!.length > 3)) return undefined;
  const digits = groups.join('') || '0';
  if (!/^\d+$/.test(digits) || !/^\d*$/.test(fraction)) return undefined;
  const plain = `${parts.negative ? '-' : ''}${digits}${fraction ? `.${fraction}` : ''}`;
  const fixed = toFixed(plain, Math.max(2, fraction.length));
  return fixed === '-0.00' ? '0.00' : fixed;
}

/** A quantity or rate without trailing zeros ("-1", "5.5"), read with the column's format. */
export function parseQuantity(text: string, format: AmountFormat): string | undefined {
  const amount = parseAmount(text.replace(/%/g, ''), format);
  if (amount === undefined) return undefined;
  const trimmed = amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
  return trimmed === '-0' ? '0' : trimmed;
}

/** The currency a cell names, from its sign or ISO code. */
export function currencyOf(text: string): string | undefined {
  const code = text.match(/\b([A-Z]{3})\b/)?.[1];
  if (code && code !== 'VAT' && code !== 'BTW' && code !== 'TVA') return code;
  if (text.includes('€')) return 'EUR';
  if (text.includes('£')) return 'GBP';
  if (text.includes('$')) return 'USD';
  return undefined;
}

/** Whitespace of a text node collapsed, as a reader sees it. */
export function squash(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
