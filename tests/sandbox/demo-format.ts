import { dec, toFixed } from '../../lib/money';

/** Belgian display formats shared by the demo site's pages and PDFs. Decimal strings in, no floats. */

/** "1234.5" → "1.234,50" (Belgian grouping and decimal comma). */
export function formatNumberBE(value: string, places = 2): string {
  const fixed = toFixed(dec(value), places);
  const negative = fixed.startsWith('-');
  const [int = '0', frac] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, '.');
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `,${frac}` : ''}`;
}

/** "1234.5" → "€ 1.234,50"; negative amounts "€ -1.234,50" (as nl-BE formats them). */
export function formatMoneyBE(value: string, negate = false): string {
  const amount = negate ? dec(value).times(-1) : dec(value);
  return `€ ${formatNumberBE(amount.toFixed(2))}`;
}

/** A quantity without superfluous decimals: "12.5" → "12,5", "40" → "40". */
export function formatQuantityBE(value: string): string {
  const plain = dec(value).toString();
  const places = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  return formatNumberBE(plain, places);
}

/** "2026-09-01" → "01/09/2026". */
export function formatDateBE(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/** "BE11001445566748" → "BE11 0014 4556 6748". */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** "0792345686" → "0792.345.686". */
export function formatEnterpriseNumber(tenDigits: string): string {
  return `${tenDigits.slice(0, 4)}.${tenDigits.slice(4, 7)}.${tenDigits.slice(7)}`;
}

export const UNIT_LABELS: Readonly<Record<string, string>> = {
  C62: 'st.',
  KGM: 'kg',
  HUR: 'uur',
  MON: 'maand',
  XBX: 'doos',
};

export const COUNTRY_NAMES: Readonly<Record<string, string>> = { BE: 'België', NL: 'Nederland', FR: 'Frankrijk', DE: 'Duitsland', LU: 'Luxemburg' };
