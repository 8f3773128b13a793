import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXEMPTIONS,
  completeInvoice,
  computeTotals,
  computeVatBreakdown,
  lineNetAmount,
  lineNetMismatches,
  vatAmount,
} from '../../lib/ubl/compute';
import { belgianDraft } from '../support/fixtures';

describe('line net amount', () => {
  it('is quantity × price ÷ base quantity, rounded to cents, ± line allowances and charges', () => {
    expect(lineNetAmount({ quantity: '12', unitPrice: '3.45' }).toFixed(2)).toBe('41.40');
    expect(lineNetAmount({ quantity: '3', unitPrice: '0.3333' }).toFixed(2)).toBe('1.00');
    expect(lineNetAmount({ quantity: '10', unitPrice: '200', priceBaseQuantity: '2' }).toFixed(2)).toBe('1000.00');
    expect(
      lineNetAmount({
        quantity: '10',
        unitPrice: '410',
        allowancesCharges: [
          { isCharge: true, amount: '1' },
          { isCharge: false, amount: '101' },
        ],
      }).toFixed(2),
    ).toBe('4000.00'); // Peppol Allowance-example line 1
    expect(lineNetAmount({ quantity: '-3', unitPrice: '500' }).toFixed(2)).toBe('-1500.00');
  });
  it('reports lines whose stated amount is off, and whether R120 would refuse it', () => {
    const lines = [
      { id: 'a', quantity: '2', unitPrice: '10', netAmount: '20.00' },
      { id: 'b', quantity: '2', unitPrice: '10', netAmount: '20.01' },
      { id: 'c', quantity: '2', unitPrice: '10', netAmount: '21.00' },
    ];
    expect(lineNetMismatches(lines)).toEqual([
      { index: 1, lineId: 'b', expected: '20.00', actual: '20.01', outsideTolerance: false },
      { index: 2, lineId: 'c', expected: '20.00', actual: '21.00', outsideTolerance: true },
    ]);
  });
});

describe('VAT breakdown', () => {
  it('groups by category and rate and rounds once per group, half away from zero', () => {
    // Per line, 0.07 × 6 % = 0.0042 rounds to 0.00; per group 0.21 × 6 % = 0.0126 rounds to 0.01.
    const lines = [0, 1, 2].map(() => ({ netAmount: '0.07', vat: { category: 'S' as const, rate: '6' } }));
    expect(computeVatBreakdown(lines)).toEqual([{ category: 'S', rate: '6', taxableAmount: '0.21', taxAmount: '0.01' }]);
    expect(vatAmount('S', '21', '2.50').toFixed(2)).toBe('0.53');
    expect(vatAmount('S', '21', '-2.50').toFixed(2)).toBe('-0.53');
    expect(vatAmount('K', '0', '1000').toFixed(2)).toBe('0.00');
  });
  it('treats "21", "21.0" and "21.00" as one rate', () => {
    const b = computeVatBreakdown([
      { netAmount: '100', vat: { category: 'S', rate: '21' } },
      { netAmount: '100', vat: { category: 'S', rate: '21.00' } },
    ]);
    expect(b).toEqual([{ category: 'S', rate: '21', taxableAmount: '200.00', taxAmount: '42.00' }]);
  });
  it('subtracts document allowances and adds charges in their own category', () => {
    const b = computeVatBreakdown(
      [
        { netAmount: '1000', vat: { category: 'S', rate: '21' } },
        { netAmount: '200', vat: { category: 'S', rate: '6' } },
      ],
      [
        { isCharge: false, amount: '100', vat: { category: 'S', rate: '21' } },
        { isCharge: true, amount: '15.50', vat: { category: 'S', rate: '6' } },
      ],
    );
    expect(b).toEqual([
      { category: 'S', rate: '21', taxableAmount: '900.00', taxAmount: '189.00' },
      { category: 'S', rate: '6', taxableAmount: '215.50', taxAmount: '12.93' },
    ]);
  });
  it('adds the exemption reasons the rules require, and none for S/Z', () => {
    const cats = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
    const b = computeVatBreakdown(cats.map((c) => ({ netAmount: '10', vat: { category: c, rate: c === 'S' ? '21' : '0' } })));
    expect(b.map((x) => [x.category, x.exemptionReasonCode, x.exemptionReason])).toEqual([
      ['S', undefined, undefined],
      ['Z', undefined, undefined],
      ['E', undefined, 'Exempt from VAT'],
      ['AE', 'VATEX-EU-AE', 'Reverse charge'],
      ['K', 'VATEX-EU-IC', 'Intra-Community supply'],
      ['G', 'VATEX-EU-G', 'Export outside the EU'],
      ['O', 'VATEX-EU-O', 'Not subject to VAT'],
    ]);
    expect(b.every((x) => x.taxAmount === (x.category === 'S' ? '2.10' : '0.00'))).toBe(true);
    const overridden = computeVatBreakdown([{ netAmount: '10', vat: { category: 'E', rate: '0' } }], [], {
      E: { code: 'VATEX-EU-132', reason: 'Exempt based on article 132 of Council Directive 2006/112/EC' },
    });
    expect(overridden[0]).toMatchObject({ exemptionReasonCode: 'VATEX-EU-132' });
    expect(DEFAULT_EXEMPTIONS.Z).toBeUndefined();
  });
  it('refuses a document allowance without VAT', () => {
    expect(() => computeVatBreakdown([{ netAmount: '10', vat: { category: 'S', rate: '21' } }], [{ isCharge: false, amount: '1' }])).toThrow(/BR-32/);
  });
});

describe('totals', () => {
  it('follows BR-CO-10…16', () => {
    const t = computeTotals(
      [{ netAmount: '1000.00' }, { netAmount: '-1.01' }],
      [
        { isCharge: false, amount: '10' },
        { isCharge: true, amount: '5.5' },
      ],
      [{ taxAmount: '208.79' }, { taxAmount: '0.30' }],
      { prepaid: '100', rounding: '-0.08' },
    );
    expect(t).toEqual({
      lineExtension: '998.99',
      allowanceTotal: '10.00',
      chargeTotal: '5.50',
      taxExclusive: '994.49',
      taxTotal: '209.09',
      taxInclusive: '1203.58',
      prepaid: '100.00',
      rounding: '-0.08',
      payable: '1103.50',
    });
  });
});

describe('completeInvoice', () => {
  it('fills net amounts, breakdown and totals from lines only', () => {
    const inv = completeInvoice(belgianDraft());
    expect(inv.lines.map((l) => l.netAmount)).toEqual(['41.40', '250.00']);
    expect(inv.vatBreakdown).toEqual([
      { category: 'S', rate: '6', taxableAmount: '41.40', taxAmount: '2.48' },
      { category: 'S', rate: '21', taxableAmount: '250.00', taxAmount: '52.50' },
    ]);
    expect(inv.totals).toEqual({
      lineExtension: '291.40',
      allowanceTotal: '0.00',
      chargeTotal: '0.00',
      taxExclusive: '291.40',
      taxTotal: '54.98',
      taxInclusive: '346.38',
      prepaid: '0.00',
      rounding: '0.00',
      payable: '346.38',
    });
    expect(inv.lines[0]?.unitCode).toBe('C62');
    expect(inv.direction).toBe('sales');
  });
  it('gives a document allowance the VAT of the lines when they share one rate, and keeps prepaid', () => {
    const inv = completeInvoice(
      belgianDraft({
        lines: [{ id: '1', description: 'Brood', quantity: '10', unitPrice: '5', vat: { category: 'S', rate: '6' } }],
        allowancesCharges: [{ isCharge: false, amount: '5', reason: 'Korting' }],
        totals: { prepaid: '20' },
      }),
    );
    expect(inv.allowancesCharges[0]?.vat).toEqual({ category: 'S', rate: '6' });
    expect(inv.vatBreakdown).toEqual([{ category: 'S', rate: '6', taxableAmount: '45.00', taxAmount: '2.70' }]);
    expect(inv.totals).toMatchObject({ allowanceTotal: '5.00', taxExclusive: '45.00', taxInclusive: '47.70', prepaid: '20.00', payable: '27.70' });
  });
  it('asks for the VAT of a document allowance when lines have several rates', () => {
    expect(() => completeInvoice(belgianDraft({ allowancesCharges: [{ isCharge: false, amount: '5', reason: 'Korting' }] }))).toThrow(
      /no VAT category.*2 different VAT rates/,
    );
  });
  it('keeps a given breakdown, complete totals and net amounts', () => {
    const inv = completeInvoice(
      belgianDraft({
        lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '10', netAmount: '10.00', vat: { category: 'S', rate: '21' } }],
        vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: '10.00', taxAmount: '2.10' }],
        totals: { lineExtension: '10.00', taxExclusive: '10.00', taxTotal: '2.10', taxInclusive: '12.10', payable: '12.10' },
      }),
    );
    expect(inv.totals.payable).toBe('12.10');
    expect(inv.totals.prepaid).toBe('0.00');
  });
  it('uses per-category exemption overrides', () => {
    const inv = completeInvoice(
      belgianDraft({
        lines: [{ id: '1', description: 'Medical care', quantity: '1', unitPrice: '80', vat: { category: 'E', rate: '0' } }],
        vatExemptions: { E: { reason: 'Vrijgesteld – art. 44 WBTW' } },
      }),
    );
    expect(inv.vatBreakdown[0]).toEqual({
      category: 'E',
      rate: '0',
      taxableAmount: '80.00',
      taxAmount: '0.00',
      exemptionReason: 'Vrijgesteld – art. 44 WBTW',
    });
  });
  it('refuses amounts that are not plain decimals', () => {
    expect(() =>
      completeInvoice(belgianDraft({ lines: [{ id: '1', description: 'X', quantity: '1', unitPrice: '1.234,50', vat: { category: 'S', rate: '21' } }] })),
    ).toThrow(/decimal number expected/);
  });
});
