import { describe, expect, it } from 'vitest';
import {
  cleanEnterpriseNumber,
  enterpriseNumberFromVat,
  formatEnterpriseNumber,
  formatIban,
  looksLikeStructuredCommunication,
  mod97,
  normalizeBelgianVat,
  normalizeEnterpriseNumber,
  normalizeIban,
  normalizeStructuredCommunication,
  structuredCommunicationFrom,
  validateBelgianVat,
  validateEnterpriseNumber,
  validateIban,
  validateStructuredCommunication,
} from '../../lib/identifiers';
import { sampleText } from '../support/samples';

/** Reads the vefa test set: every 0208 identifier with whether PEPPOL-COMMON-R043 expects success or error. */
function r043Cases(): Array<{ value: string; expectValid: boolean }> {
  const xml = sampleText('PEPPOL-COMMON-R043.xml');
  const cases: Array<{ value: string; expectValid: boolean }> = [];
  for (const test of xml.split('<test>').slice(1)) {
    const expectValid = /<success>PEPPOL-COMMON-R043<\/success>/.test(test);
    const isError = /<error>PEPPOL-COMMON-R043<\/error>/.test(test);
    expect(expectValid || isError).toBe(true);
    for (const m of test.matchAll(/schemeID="0208">([^<]*)</g)) cases.push({ value: m[1] ?? '', expectValid });
  }
  return cases;
}

describe('mod97', () => {
  it('handles long digit strings exactly', () => {
    expect(mod97('0')).toBe(0);
    expect(mod97('97')).toBe(0);
    expect(mod97('98')).toBe(1);
    // 3214282912345698765432161182 mod 97 = 1 (ISO 13616 example for GB82WEST12345698765432)
    expect(mod97('3214282912345698765432161182')).toBe(1);
  });
});

describe('Belgian enterprise number (0208)', () => {
  it('agrees with every case of the official PEPPOL-COMMON-R043 test set', () => {
    const cases = r043Cases();
    expect(cases.length).toBeGreaterThanOrEqual(7);
    for (const c of cases) {
      expect({ value: c.value, valid: validateEnterpriseNumber(c.value).valid }).toEqual({ value: c.value, valid: c.expectValid });
    }
  });
  it('normalises the usual written forms', () => {
    for (const input of ['BE 0123.456.749', 'be0123456749', '0123456749', '123456749', '0123 456 749', '0123-456-749']) {
      expect(normalizeEnterpriseNumber(input)).toBe('0123456749');
    }
    expect(cleanEnterpriseNumber('BE 123.456.749')).toBe('0123456749');
    expect(formatEnterpriseNumber('0123456749')).toBe('0123.456.749');
  });
  it('accepts real-world and sample numbers', () => {
    for (const v of ['0739484052', '0000000196', '0000000295', '0428759497', '0202239951']) {
      expect(validateEnterpriseNumber(v)).toEqual({ valid: true, value: v });
    }
  });
  it('explains each refusal', () => {
    expect(validateEnterpriseNumber('')).toMatchObject({ valid: false, reason: 'empty' });
    expect(validateEnterpriseNumber('ABC')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateEnterpriseNumber('07399999484052')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateEnterpriseNumber('2123456789')).toMatchObject({ valid: false, reason: 'first-digit' });
    const bad = validateEnterpriseNumber('0739484059');
    expect(bad).toMatchObject({ valid: false, reason: 'checksum', cleaned: '0739484059' });
    if (!bad.valid) expect(bad.message).toContain('needs 52');
  });
});

describe('Belgian VAT number', () => {
  it('normalises to BE + 10 digits', () => {
    expect(normalizeBelgianVat('BE 0123.456.749')).toBe('BE0123456749');
    expect(normalizeBelgianVat('be123456749')).toBe('BE0123456749');
    expect(enterpriseNumberFromVat('BE0428.759.497')).toBe('0428759497');
  });
  it('refuses other countries, a missing prefix and bad check digits', () => {
    expect(validateBelgianVat('NL123456789B01')).toMatchObject({ valid: false, reason: 'prefix' });
    expect(validateBelgianVat('0123456749')).toMatchObject({ valid: false, reason: 'prefix' });
    expect(validateBelgianVat('BE0123456748')).toMatchObject({ valid: false, reason: 'checksum', cleaned: 'BE0123456748' });
    const r = validateBelgianVat('BE0123456748');
    if (!r.valid) expect(r.message).toMatch(/^VAT number/);
  });
});

describe('IBAN', () => {
  it('accepts valid IBANs of the main countries, with or without spaces', () => {
    for (const iban of [
      'BE68539007547034',
      'BE68 5390 0754 7034',
      'NL91ABNA0417164300',
      'FR1420041010050500013M02606',
      'DE89370400440532013000',
      'LU280019400644750000',
      'GB29NWBK60161331926819',
      'NO9386011117947',
      'BE54000000000097', // UBL.BE test files
      'BE91000000143476', // CEN tc434 credit note
    ]) {
      expect(validateIban(iban).valid, iban).toBe(true);
    }
    expect(normalizeIban('be68 5390 0754 7034')).toBe('BE68539007547034');
    expect(formatIban('BE68539007547034')).toBe('BE68 5390 0754 7034');
  });
  it('uses country lengths, and a generic 15–34 rule elsewhere', () => {
    expect(validateIban('BE6853900754703')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateIban('NL91ABNA041716430')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateIban('SE1212341234123412')).toMatchObject({ valid: false, reason: 'length' }); // Peppol vat-category-O sample
    expect(validateIban('XX12')).toMatchObject({ valid: false, reason: 'length' });
  });
  it('explains other refusals', () => {
    expect(validateIban('')).toMatchObject({ valid: false, reason: 'empty' });
    expect(validateIban('BE68_5390_0754_7034')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateIban('IBAN32423940')).toMatchObject({ valid: false }); // Peppol base-example placeholder
    expect(validateIban('1268539007547034')).toMatchObject({ valid: false, reason: 'country' });
    expect(validateIban('BE68539007547035')).toMatchObject({ valid: false, reason: 'checksum' });
    expect(validateIban('DE89370400440532013001')).toMatchObject({ valid: false, reason: 'checksum' });
  });
  it('checks the Belgian account number check digits too', () => {
    // BE + valid ISO check digits over a BBAN whose own mod-97 check is wrong (0000000001 needs 01, has 00).
    const bban = '000000000100';
    const check = String(98 - mod97(bban + '1114' + '00')).padStart(2, '0');
    expect(validateIban(`BE${check}${bban}`)).toMatchObject({ valid: false, reason: 'national-checksum' });
  });
});

describe('structured communication', () => {
  it('accepts the +++ form, the *** form and bare digits', () => {
    for (const s of ['+++090/9337/55493+++', '***090/9337/55493***', '090933755493', '+++ 090/9337/55493 +++', '+++090933755493+++']) {
      expect(normalizeStructuredCommunication(s), s).toBe('+++090/9337/55493+++');
    }
    expect(normalizeStructuredCommunication('010676609538')).toBe('+++010/6766/09538+++'); // CEN tc434 credit note
  });
  it('generates from a number, using 97 where the remainder is 0', () => {
    expect(structuredCommunicationFrom(1)).toBe('+++000/0000/00101+++');
    expect(structuredCommunicationFrom(97)).toBe('+++000/0000/09797+++');
    expect(structuredCommunicationFrom('0909337554')).toBe('+++090/9337/55493+++');
    expect(structuredCommunicationFrom(9999999999)).toBe('+++999/9999/99948+++');
    for (const n of [1, 42, 97, 12345, 4294967295]) expect(validateStructuredCommunication(structuredCommunicationFrom(n)).valid).toBe(true);
    expect(() => structuredCommunicationFrom(-1)).toThrow(RangeError);
    expect(() => structuredCommunicationFrom(12345678901)).toThrow(RangeError);
    expect(() => structuredCommunicationFrom(1.5)).toThrow(RangeError);
  });
  it('explains refusals', () => {
    expect(validateStructuredCommunication('')).toMatchObject({ valid: false, reason: 'empty' });
    expect(validateStructuredCommunication('+++090/9337/55494+++')).toMatchObject({ valid: false, reason: 'checksum' });
    expect(validateStructuredCommunication('+++090/9337/5549+++')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateStructuredCommunication('+++090/9337/5549A+++')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateStructuredCommunication('+++090/9337/55493***')).toMatchObject({ valid: false, reason: 'characters' });
    expect(validateStructuredCommunication('Invoice 15000004')).toMatchObject({ valid: false });
  });
  it('tells a structured communication attempt from free text', () => {
    expect(looksLikeStructuredCommunication('+++090/9337/55494+++')).toBe(true);
    expect(looksLikeStructuredCommunication('090/9337/55494')).toBe(true);
    expect(looksLikeStructuredCommunication('Invoice 15000004')).toBe(false);
  });
});
