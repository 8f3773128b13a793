import Big from 'big.js';

/**
 * Money and quantities are decimal strings in the model ("1234.50", "-3.1"): exact, JSON-safe and
 * what UBL carries. Arithmetic goes through big.js, never through binary floats.
 */
export type Decimal = string;

/** A plain decimal: optional minus, digits, optional fraction. No exponent, no separators. */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL_PATTERN.test(value);
}

export function dec(value: Decimal | number | Big): Big {
  if (typeof value === 'string' && !DECIMAL_PATTERN.test(value)) {
    throw new RangeError(`Not a decimal number: "${value}"`);
  }
  return new Big(value);
}

/** Sum of decimals, exact. */
export function sum(values: Iterable<Decimal | Big>): Big {
  let total = new Big(0);
  for (const v of values) total = total.plus(v instanceof Big ? v : dec(v));
  return total;
}

/** Commercial rounding (half away from zero) to `places` decimals, as EN 16931 amounts expect. */
export function round(value: Big | Decimal, places = 2): Big {
  const b = value instanceof Big ? value : dec(value);
  return b.round(places, Big.roundHalfUp);
}

/** A decimal string with exactly `places` decimals, e.g. for UBL amounts. */
export function toFixed(value: Big | Decimal, places = 2): Decimal {
  return round(value, places).toFixed(places);
}

/** A decimal string without trailing zeros ("21", "0.5"). */
export function toPlain(value: Big | Decimal): Decimal {
  const b = value instanceof Big ? value : dec(value);
  return b.toString();
}

/** Amount for JSON APIs that take numbers (Octopus): rounded to cents first, so the number is exact enough. */
export function toApiNumber(value: Big | Decimal, places = 2): number {
  return Number(toFixed(value, places));
}

export function eq(a: Big | Decimal, b: Big | Decimal): boolean {
  return (a instanceof Big ? a : dec(a)).eq(b instanceof Big ? b : dec(b));
}

export { Big };
