/**
 * Belgian and banking identifiers: enterprise number (KBO/BCE, Peppol scheme 0208), Belgian VAT number, IBAN
 * (ISO 13616) and the Belgian structured communication ("OGM/VCS", +++123/4567/89012+++).
 *
 * Every validator returns a result with a machine-readable reason and an English message, never a bare boolean,
 * so callers can show why a value was refused. Pure functions, no Node built-ins: safe in an MV3 service worker.
 */

export type IdFailureReason =
  | 'empty'
  | 'characters' // characters that cannot occur in this identifier
  | 'length'
  | 'prefix' // wrong or missing country prefix
  | 'country' // country code unknown / not allowed
  | 'first-digit' // Belgian enterprise numbers start with 0 or 1
  | 'checksum' // the check digits do not match
  | 'national-checksum'; // IBAN is fine, but the national account number's own check fails (BE)

export type IdResult =
  | {
      valid: true;
      /** The normalised form (e.g. "0123456749", "BE0123456749", "BE68539007547034", "+++090/9337/55493+++"). */
      value: string;
    }
  | {
      valid: false;
      reason: IdFailureReason;
      message: string;
      /** The input after clean-up (spaces, dots, … removed), when there was something to clean up. */
      cleaned?: string;
    };

function fail(reason: IdFailureReason, message: string, cleaned?: string): IdResult {
  return cleaned === undefined ? { valid: false, reason, message } : { valid: false, reason, message, cleaned };
}

/** Remainder of a decimal digit string modulo 97, in chunks so it never leaves the safe-integer range. */
export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) {
    rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  }
  return rest;
}

// ---------------------------------------------------------------------------------------------------------------
// Belgian enterprise number (ondernemingsnummer / numéro d'entreprise), Peppol EAS/ICD 0208
// ---------------------------------------------------------------------------------------------------------------

/** The two check digits of a Belgian enterprise number for its first 8 digits: 97 − (n mod 97). */
export function enterpriseCheckDigits(first8: string): string {
  return String(97 - mod97(first8)).padStart(2, '0');
}

/**
 * Strips the "BE" prefix, spaces, dots, dashes and slashes, and pads the old 9-digit form with a leading 0:
 * "BE 0123.456.749", "0123456749" and "123456749" all become "0123456749". Does not validate.
 */
export function cleanEnterpriseNumber(input: string): string {
  let s = input.trim().toUpperCase().replace(/[\s.\-/]/g, '');
  if (s.startsWith('BE')) s = s.slice(2);
  if (/^\d{9}$/.test(s)) s = '0' + s;
  return s;
}

export function validateEnterpriseNumber(input: string): IdResult {
  if (input.trim() === '') return fail('empty', 'Enterprise number is empty.');
  const s = cleanEnterpriseNumber(input);
  if (!/^\d+$/.test(s)) {
    return fail('characters', `Enterprise number "${input}" may contain only digits (with an optional BE prefix).`, s);
  }
  if (s.length !== 10) {
    return fail('length', `Enterprise number "${input}" has ${s.length} digits; it must have 10 (or 9 in the old form).`, s);
  }
  if (s[0] !== '0' && s[0] !== '1') {
    return fail('first-digit', `Enterprise number "${input}" must start with 0 or 1.`, s);
  }
  const expected = enterpriseCheckDigits(s.slice(0, 8));
  if (s.slice(8) !== expected) {
    return fail(
      'checksum',
      `Enterprise number "${input}" has check digits ${s.slice(8)}, but ${s.slice(0, 8)} needs ${expected}.`,
      s,
    );
  }
  return { valid: true, value: s };
}

/** The normalised 10-digit enterprise number, or undefined when the input is not a valid one. */
export function normalizeEnterpriseNumber(input: string): string | undefined {
  const r = validateEnterpriseNumber(input);
  return r.valid ? r.value : undefined;
}

/** "0123456749" → "0123.456.749" (the way KBO/BCE prints it). */
export function formatEnterpriseNumber(tenDigits: string): string {
  return `${tenDigits.slice(0, 4)}.${tenDigits.slice(4, 7)}.${tenDigits.slice(7)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Belgian VAT number: "BE" + the enterprise number
// ---------------------------------------------------------------------------------------------------------------

export function validateBelgianVat(input: string): IdResult {
  if (input.trim() === '') return fail('empty', 'VAT number is empty.');
  const compact = input.trim().toUpperCase().replace(/[\s.\-/]/g, '');
  if (!compact.startsWith('BE')) {
    if (/^[A-Z]{2}/.test(compact)) {
      return fail('prefix', `VAT number "${input}" is not Belgian (prefix ${compact.slice(0, 2)}, expected BE).`, compact);
    }
    return fail('prefix', `Belgian VAT number "${input}" must start with BE.`, compact);
  }
  const r = validateEnterpriseNumber(compact.slice(2));
  if (!r.valid) {
    return fail(r.reason, r.message.replace(/^Enterprise number/, 'VAT number'), 'BE' + (r.cleaned ?? compact.slice(2)));
  }
  return { valid: true, value: 'BE' + r.value };
}

export function normalizeBelgianVat(input: string): string | undefined {
  const r = validateBelgianVat(input);
  return r.valid ? r.value : undefined;
}

/** The enterprise number inside a Belgian VAT number ("BE0123456749" → "0123456749"), if valid. */
export function enterpriseNumberFromVat(vat: string): string | undefined {
  const r = validateBelgianVat(vat);
  return r.valid ? r.value.slice(2) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// IBAN (ISO 13616)
// ---------------------------------------------------------------------------------------------------------------

/** IBAN lengths per country (SWIFT IBAN registry) for the countries we are most likely to meet. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27,
  GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27,
  MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27,
};

/** "be68 5390 0754 7034" → "BE68539007547034" (no validation). */
export function cleanIban(input: string): string {
  return input.trim().toUpperCase().replace(/[\s\-.]/g, '');
}

function ibanToDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += code >= 65 && code <= 90 ? String(code - 55) : ch;
  }
  return out;
}

export function validateIban(input: string): IdResult {
  if (input.trim() === '') return fail('empty', 'IBAN is empty.');
  const s = cleanIban(input);
  if (!/^[A-Z0-9]+$/.test(s)) return fail('characters', `IBAN "${input}" may contain only letters and digits.`, s);
  if (!/^[A-Z]{2}/.test(s)) return fail('country', `IBAN "${input}" must start with a two-letter country code.`, s);
  if (!/^[A-Z]{2}\d{2}/.test(s)) return fail('characters', `IBAN "${input}" must have two check digits after the country code.`, s);
  const country = s.slice(0, 2);
  const expectedLength = IBAN_LENGTHS[country];
  if (expectedLength !== undefined) {
    if (s.length !== expectedLength) {
      return fail('length', `A ${country} IBAN has ${expectedLength} characters; "${input}" has ${s.length}.`, s);
    }
  } else if (s.length < 15 || s.length > 34) {
    return fail('length', `An IBAN has 15 to 34 characters; "${input}" has ${s.length}.`, s);
  }
  if (mod97(ibanToDigits(s.slice(4) + s.slice(0, 4))) !== 1) {
    return fail('checksum', `IBAN "${input}" fails the ISO 13616 check (mod 97).`, s);
  }
  if (country === 'BE') {
    // Belgian account number: the last two digits are the first ten mod 97 (0 → 97).
    const bban = s.slice(4);
    const check = mod97(bban.slice(0, 10)) || 97;
    if (Number(bban.slice(10)) !== check) {
      return fail('national-checksum', `Belgian account number in "${input}" fails its own check digits.`, s);
    }
  }
  return { valid: true, value: s };
}

export function normalizeIban(input: string): string | undefined {
  const r = validateIban(input);
  return r.valid ? r.value : undefined;
}

/** "BE68539007547034" → "BE68 5390 0754 7034". */
export function formatIban(iban: string): string {
  return cleanIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

// ---------------------------------------------------------------------------------------------------------------
// Belgian structured communication (gestructureerde mededeling / communication structurée)
// ---------------------------------------------------------------------------------------------------------------

/** Check digits of a 10-digit base: base mod 97, where 0 becomes 97. */
export function structuredCommunicationCheck(base10: string): string {
  return String(mod97(base10) || 97).padStart(2, '0');
}

/** "123456789012" → "+++123/4567/89012+++". */
export function formatStructuredCommunication(twelveDigits: string): string {
  return `+++${twelveDigits.slice(0, 3)}/${twelveDigits.slice(3, 7)}/${twelveDigits.slice(7)}+++`;
}

/**
 * A structured communication for a number (e.g. an invoice sequence number): the number, left-padded with zeros
 * to 10 digits, plus its check digits. Throws RangeError for negative, fractional or more than 10-digit numbers.
 */
export function structuredCommunicationFrom(n: number | bigint | string): string {
  const digits = typeof n === 'string' ? n.trim() : String(n);
  if (!/^\d{1,10}$/.test(digits)) {
    throw new RangeError(`A structured communication is built from a whole number of at most 10 digits, not "${String(n)}".`);
  }
  const base = digits.padStart(10, '0');
  return formatStructuredCommunication(base + structuredCommunicationCheck(base));
}

/**
 * Accepts "+++123/4567/89012+++", "***123/4567/89012***" (also without slashes or with spaces) and bare 12 digits;
 * the normalised value is the "+++…+++" form.
 */
export function validateStructuredCommunication(input: string): IdResult {
  const trimmed = input.trim();
  if (trimmed === '') return fail('empty', 'Structured communication is empty.');
  let inner = trimmed.replace(/\s/g, '');
  const wrapped = /^(\+\+\+|\*\*\*)(.*)\1$/.exec(inner);
  if (wrapped) {
    inner = (wrapped[2] ?? '').replace(/\//g, '');
  } else if (/^[+*]/.test(inner) || /[+*]$/.test(inner)) {
    return fail('characters', `Structured communication "${input}" must be wrapped in +++…+++ or ***…***.`, inner);
  } else {
    inner = inner.replace(/\//g, '');
  }
  if (!/^\d+$/.test(inner)) {
    return fail('characters', `Structured communication "${input}" may contain only digits between the +++ marks.`, inner);
  }
  if (inner.length !== 12) {
    return fail('length', `Structured communication "${input}" has ${inner.length} digits; it must have 12.`, inner);
  }
  const expected = structuredCommunicationCheck(inner.slice(0, 10));
  if (inner.slice(10) !== expected) {
    return fail(
      'checksum',
      `Structured communication "${input}" has check digits ${inner.slice(10)}, but ${inner.slice(0, 10)} needs ${expected}.`,
      inner,
    );
  }
  return { valid: true, value: formatStructuredCommunication(inner) };
}

/** Normalised "+++…+++" form, or undefined when invalid. */
export function normalizeStructuredCommunication(input: string): string | undefined {
  const r = validateStructuredCommunication(input);
  return r.valid ? r.value : undefined;
}

/** True when the text looks like it is meant to be a structured communication (so an invalid one is worth flagging). */
export function looksLikeStructuredCommunication(input: string): boolean {
  const s = input.trim().replace(/\s/g, '');
  return /^(\+\+\+|\*\*\*)[\d/]+(\+\+\+|\*\*\*)$/.test(s) || /^\d{3}\/\d{4}\/\d{5}$/.test(s);
}
