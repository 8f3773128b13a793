import { countryFromName } from './countries';

/**
 * An address as an app prints it ("Rue de la Loi 42 1000 Bruxelles", "Keizersgracht 123, 1015 CJ Amsterdam",
 * several lines, a trailing country name) split into the fields Octopus keeps apart: street and number, postcode,
 * city, country. Written by hand: address libraries (libpostal and its ports) need a native model of hundreds of MB,
 * and the apps only print the western-European forms below.
 */
export interface SplitAddress {
  street?: string;
  postalCode?: string;
  city?: string;
  countryCode?: string;
}

/** Postcodes by country: Belgium, Luxembourg, Austria, Switzerland, Denmark 4 digits; France, Germany, Italy, Spain 5; the Netherlands 4 digits and 2 letters; Sweden 3+2. */
const POSTCODE: Record<string, string> = {
  BE: '\\d{4}',
  LU: '\\d{4}',
  AT: '\\d{4}',
  CH: '\\d{4}',
  DK: '\\d{4}',
  NL: '\\d{4}\\s?[A-Z]{2}',
  FR: '\\d{5}',
  DE: '\\d{5}',
  IT: '\\d{5}',
  ES: '\\d{5}',
  SE: '\\d{3}\\s?\\d{2}',
};
const ANY_POSTCODE = '\\d{4}\\s?[A-Z]{2}|\\d{3}\\s\\d{2}|\\d{4,5}';
/** The letter prefixes printed before a postcode ("B-1000", "F-75001", "NL-1015 CJ", "L-1234"). */
const PREFIX = '(?:[A-Z]{1,2}-)?';

/** A trailing country name (one to three words, en/nl/fr/de) taken off the text. */
function takeCountry(text: string): { rest: string; countryCode?: string } {
  const words = text.split(' ');
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const code = countryFromName(words.slice(-n).join(' ').replace(/^[,\s]+/, ''));
    if (code) return { rest: words.slice(0, -n).join(' ').replace(/[,\s]+$/, ''), countryCode: code };
  }
  return { rest: text };
}

/**
 * Splits what the app prints. `lines` are the address's lines where the page keeps them apart, else one line.
 * The country hint (from the VAT number or the app) decides the postcode's form; without it the common forms are tried.
 */
export function splitAddress(lines: readonly string[] | string, countryHint?: string): SplitAddress {
  const parts = (typeof lines === 'string' ? [lines] : [...lines]).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (parts.length === 0) return {};
  // A last line that is only a country name.
  let countryCode: string | undefined;
  const lastAlone = countryFromName(parts[parts.length - 1]);
  if (parts.length > 1 && lastAlone) {
    countryCode = lastAlone;
    parts.pop();
  }
  const joined = parts.join(', ');
  const taken = takeCountry(joined);
  countryCode ??= taken.countryCode;
  const country = countryCode ?? countryHint?.toUpperCase();
  // North American addresses end in "City, ST 94043" (state before the ZIP): the postcode is last, the city keeps its
  // state, which Octopus has no field for.
  if (!country || country === 'US' || country === 'CA') {
    const american = /^(?:(.*?),\s*)?([^\d,][^,]*?),\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$/.exec(taken.rest);
    if (american && (country || /^\d{5}/.test(american[4]!))) {
      const [, street, city, state, zip] = american;
      return { ...(street?.trim() ? { street: street.trim() } : {}), postalCode: zip!, city: `${city!.trim()}, ${state!}`, ...(countryCode ? { countryCode } : {}) };
    }
  }
  const postcode = (country && POSTCODE[country]) || ANY_POSTCODE;
  // The last postcode that is followed by a city (text that starts with a letter), so a house number is never taken.
  const match = new RegExp(`^(?:(.*?)[,\\s]+)?${PREFIX}(${postcode})[,\\s]+([^\\d,\\s][^,]*)$`).exec(taken.rest);
  if (!match) return { ...(taken.rest ? { street: taken.rest } : {}), ...(countryCode ? { countryCode } : {}) };
  const [, street, code, city] = match;
  return {
    ...(street?.replace(/[,\s]+$/, '') ? { street: street.replace(/[,\s]+$/, '') } : {}),
    postalCode: code!.trim(),
    city: city!.trim(),
    ...(countryCode ? { countryCode } : {}),
  };
}
