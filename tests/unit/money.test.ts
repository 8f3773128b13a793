import { describe, expect, it } from 'vitest';
import { dec, sum, toFixed, toPlain, round } from '../../lib/money';

describe('money', () => {
  it('adds exactly where binary floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum(['0.1', '0.2']).toString()).toBe('0.3');
  });
  it('rounds half away from zero to cents', () => {
    expect(toFixed('2.345')).toBe('2.35');
    expect(toFixed('-2.345')).toBe('-2.35');
    expect(round('1.005').toString()).toBe('1.01');
  });
  it('prints plain decimals without trailing zeros', () => {
    expect(toPlain('21.000')).toBe('21');
  });
  it('refuses what is not a plain decimal', () => {
    expect(() => dec('1,50')).toThrow(/Not a decimal/);
    expect(() => dec('1e5')).toThrow(/Not a decimal/);
    expect(() => dec('2.580,00')).toThrow(/Not a decimal/);
  });
});
