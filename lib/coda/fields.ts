import { Big } from '../money';
import { mod97 } from '../identifiers';
import type { LocalizedText } from '../model/transfer';
import type { CodaAccount } from './model';

/** Every CODA record is exactly this long (Febelfin). */
export const CODA_RECORD_LENGTH = 128;

/** A reason a file cannot be trusted, as a catalog key with its parameters (lib/i18n/catalog-coda.ts). */
export type CodaProblem = LocalizedText;

/** Thrown while reading one record: the fields after a broken one cannot be trusted, so reading stops there. */
export class CodaFormatError extends Error {
  constructor(readonly problem: CodaProblem) {
    super(`${problem.key} ${problem.params.join(' ')}`);
  }
}

export const problem = (key: string, ...params: (string | number)[]): CodaProblem => ({ key, params: params.map(String) });

/** One record with its 1-based line number; positions below are 1-based and inclusive, as the Febelfin spec writes them. */
export class CodaRecord {
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  raw(from: number, to: number): string {
    return this.text.slice(from - 1, to);
  }

  trimmed(from: number, to: number): string {
    return this.raw(from, to).trim();
  }

  int(from: number, to: number): number {
    const value = this.raw(from, to);
    if (!/^\d+$/.test(value)) throw new CodaFormatError(problem('coda_not_a_number', this.line, from, to, value));
    return Number(value);
  }

  /** Amounts: 15 digits with 3 implied decimals; a sign digit before them (0 credit, 1 debit) where `signAt` is given. */
  amount(signAt: number | undefined, from: number): Big {
    const digits = this.raw(from, from + 14);
    if (!/^\d{15}$/.test(digits)) throw new CodaFormatError(problem('coda_not_a_number', this.line, from, from + 14, digits));
    const value = new Big(digits).div(1000);
    if (signAt === undefined) return value;
    const sign = this.raw(signAt, signAt);
    if (sign !== '0' && sign !== '1') throw new CodaFormatError(problem('coda_bad_sign', this.line, signAt, sign));
    return sign === '1' ? value.times(-1) : value;
  }

  /** DDMMYY as an ISO date (CODA has no century: 20YY); `000000` is "no date" where `optional`. */
  date(from: number, optional = false): string | null {
    const value = this.raw(from, from + 5);
    if (optional && value === '000000') return null;
    const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
    if (m) {
      const [day, month, year] = [Number(m[1]), Number(m[2]), 2000 + Number(m[3])];
      const d = new Date(Date.UTC(year, month - 1, day));
      if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) {
        return `${year}-${m[2]}-${m[1]}`;
      }
    }
    throw new CodaFormatError(problem('coda_bad_date', this.line, from, from + 5, value));
  }
}

/** The amount as the model writes it: cents, or the third decimal CODA allows where it is used. */
export function codaDecimal(value: Big): string {
  return value.times(100).round(0).eq(value.times(100)) ? value.toFixed(2) : value.toFixed(3);
}

/** A Belgian 12-digit account number as its IBAN (BE + check digits + the number). */
export function belgianIban(number: string): string | undefined {
  if (!/^\d{12}$/.test(number)) return undefined;
  const check = 98 - mod97(`${number}111400`);
  return `BE${String(check).padStart(2, '0')}${number}`;
}

/**
 * The account of records 1 (positions 6–42) and 8 (5–41): 37 characters laid out by the account structure.
 * `field` is those 37 characters.
 */
export function readAccount(structure: number, field: string): CodaAccount {
  switch (structure) {
    case 0: {
      const number = field.slice(0, 12).trim();
      return { structure, number, iban: belgianIban(number), currency: field.slice(13, 16).trim() };
    }
    case 2: {
      const number = field.slice(0, 16).trim();
      return { structure, number, iban: number, currency: field.slice(34, 37).trim() };
    }
    case 3: {
      const number = field.slice(0, 34).trim();
      return { structure, number, iban: number, currency: field.slice(34, 37).trim() };
    }
    default: {
      const number = field.slice(0, 34).trim();
      return { structure, number, currency: field.slice(34, 37).trim() };
    }
  }
}

/** The counterparty's account of record 2.3 (positions 11–47): a Belgian 12-digit number (version 1) or an IBAN. */
export function readCounterpartyAccount(field: string): { account: string; iban?: string; currency: string } {
  if (/^\d{12}( |$)/.test(field)) {
    const account = field.slice(0, 12);
    return { account, iban: belgianIban(account), currency: field.slice(13, 16).trim() };
  }
  const account = field.slice(0, 34).trim();
  return { account, ...(/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(account) ? { iban: account } : {}), currency: field.slice(34, 37).trim() };
}
