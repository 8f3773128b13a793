import { describe, expect, it } from 'vitest';
import { detectAmountFormat, detectDateOrder, parseAmount, parseDate, parseQuantity, sampleRows } from '../../lib/sites/locale';

describe('dates, decided per column', () => {
  it('reads the four shapes', () => {
    expect(parseDate('21/11/2026', 'dmy')).toBe('2026-11-21');
    expect(parseDate('11/21/2026', 'mdy')).toBe('2026-11-21');
    expect(parseDate('21-11-2026', 'dmy')).toBe('2026-11-21');
    expect(parseDate('1-2-2026', 'dmy')).toBe('2026-02-01');
    expect(parseDate('21.11.2026', 'dmy')).toBe('2026-11-21');
    expect(parseDate('2026-11-21', 'ymd')).toBe('2026-11-21');
    // An ISO cell is ISO whatever the column's order (InvoicePlane's filter answer writes ISO).
    expect(parseDate('2026-11-21', 'mdy')).toBe('2026-11-21');
    expect(parseDate('11/22/2026 10:20 PM', 'mdy')).toBe('2026-11-22');
    expect(parseDate('21/11/26', 'dmy')).toBe('2026-11-21');
  });

  it('refuses what is not a date in that order', () => {
    expect(parseDate('11/21/2026', 'dmy')).toBeUndefined();
    expect(parseDate('31/02/2026', 'dmy')).toBeUndefined();
    expect(parseDate('Total', 'dmy')).toBeUndefined();
    expect(parseDate('21/11/2026', 'ymd')).toBeUndefined();
  });

  it('lets one cell above 12 decide the whole column, not each cell alone', () => {
    const column = ['03/04/2026', '13/04/2026', '05/06/2026'];
    const order = detectDateOrder(column, 'en');
    expect(order).toBe('dmy');
    // The ambiguous first cell is read like its column, although the language alone would say month first.
    expect(parseDate(column[0]!, order!)).toBe('2026-04-03');
    expect(detectDateOrder(['11/21/2026', '10/08/2026'], 'fr')).toBe('mdy');
  });

  it('falls back on the page language when every cell is ambiguous', () => {
    const ambiguous = ['10/08/2026', '11/07/2026'];
    expect(detectDateOrder(ambiguous, 'en')).toBe('mdy');
    expect(detectDateOrder(ambiguous, 'en-us')).toBe('mdy');
    expect(detectDateOrder(ambiguous, 'en-gb')).toBe('dmy');
    expect(detectDateOrder(ambiguous, 'nl-be')).toBe('dmy');
    expect(detectDateOrder(ambiguous, 'fr')).toBe('dmy');
    expect(detectDateOrder(ambiguous, 'de')).toBe('dmy');
    expect(detectDateOrder(ambiguous, '')).toBeUndefined();
    expect(detectDateOrder(['2026-11-17', '2026-12-17'], 'en')).toBe('ymd');
    // A column that contradicts itself is not read at all.
    expect(detectDateOrder(['13/01/2026', '01/13/2026'], 'en')).toBeUndefined();
  });
});

describe('amounts, decided per column', () => {
  it('reads the usual shapes, credit notes negative', () => {
    const point = { decimal: '.' } as const;
    const comma = { decimal: ',' } as const;
    expect(parseAmount('2,580.00', point)).toBe('2580.00');
    expect(parseAmount('2.580,00', comma)).toBe('2580.00');
    expect(parseAmount('2 580,00 €', comma)).toBe('2580.00');
    expect(parseAmount('2\u00a0580,00\u00a0€', comma)).toBe('2580.00');
    expect(parseAmount('2\u202f580,00 €', comma)).toBe('2580.00');
    expect(parseAmount('-3,100.00€', point)).toBe('-3100.00');
    expect(parseAmount('-250.00 €', point)).toBe('-250.00');
    expect(parseAmount('€ -1.234,5', comma)).toBe('-1234.50');
    expect(parseAmount('(1,234.56)', point)).toBe('-1234.56');
    expect(parseAmount('\u22121.234,56 EUR', comma)).toBe('-1234.56');
    expect(parseAmount('540.00', point)).toBe('540.00');
    expect(parseAmount('0,00', comma)).toBe('0.00');
  });

  it('refuses a cell that is not in the column format', () => {
    expect(parseAmount('2,580.00', { decimal: ',' })).toBeUndefined();
    expect(parseAmount('2.58.00', { decimal: '.' })).toBeUndefined();
    expect(parseAmount('12,34,567.00', { decimal: '.' })).toBeUndefined();
    expect(parseAmount('n/a', { decimal: '.' })).toBeUndefined();
  });

  it('decides the decimal mark from the column, the language only when no cell can', () => {
    expect(detectAmountFormat(['1,234', '1,234.50'], 'nl')).toEqual({ decimal: '.' });
    expect(detectAmountFormat(['1.234', '1.234,50'], 'en')).toEqual({ decimal: ',' });
    expect(detectAmountFormat(['1.234.567'], 'en')).toEqual({ decimal: ',' });
    expect(detectAmountFormat(['12,5'], 'en')).toEqual({ decimal: ',' });
    // "1,234" alone is a thousand in English and one point two in Dutch.
    expect(detectAmountFormat(['1,234', '2,580'], 'en')).toEqual({ decimal: '.' });
    expect(detectAmountFormat(['1,234', '2,580'], 'nl')).toEqual({ decimal: ',' });
    expect(detectAmountFormat(['1,234', '2,580'], '')).toBeUndefined();
    expect(detectAmountFormat(['1,50', '2.50'], 'en')).toBeUndefined();
    const column = ['1.234', '1.234,50'];
    const format = detectAmountFormat(column, 'en')!;
    expect(column.map((c) => parseAmount(c, format))).toEqual(['1234.00', '1234.50']);
  });

  it('reads quantities and rates without trailing zeros', () => {
    expect(parseQuantity('-1.00', { decimal: '.' })).toBe('-1');
    expect(parseQuantity('5,5%', { decimal: ',' })).toBe('5.5');
    expect(parseQuantity('19.00', { decimal: '.' })).toBe('19');
    expect(parseQuantity('100', { decimal: '.' })).toBe('100');
  });
});

describe('the rows a long list is decided on', () => {
  it('takes every row up to 200, else 200 spread from the first to the last', () => {
    expect(sampleRows([1, 2, 3])).toEqual([1, 2, 3]);
    const rows = Array.from({ length: 1000 }, (_, i) => i);
    const sample = sampleRows(rows);
    expect(sample).toHaveLength(200);
    expect(sample[0]).toBe(0);
    expect(sample.at(-1)).toBe(999);
    expect(new Set(sample).size).toBe(200);
    // Spread: no gap wider than the even step (999 / 199 ≈ 5.02, rounded).
    expect(Math.max(...sample.slice(1).map((v, i) => v - sample[i]!))).toBeLessThanOrEqual(6);
  });

  it('still finds the day-first order when only late rows of a long list show it', () => {
    // 1,000 rows, the first 900 dated on days 1–9 (either order fits), the last 100 on the 25th: a sample spread over
    // the list sees those (the first 200 rows would not).
    const dates = Array.from({ length: 1000 }, (_, i) => (i >= 900 ? '25/03/2026' : `0${(i % 9) + 1}/03/2026`));
    expect(detectDateOrder(dates.slice(0, 200), '')).toBeUndefined();
    expect(detectDateOrder(sampleRows(dates), '')).toBe('dmy');
  });
});
