import { z } from 'zod';
import { Big, dec, sum, toFixed, toPlain } from '../money';
import {
  allowanceCharge,
  invoice as invoiceSchema,
  invoiceLine,
  totals as totalsSchema,
  vatBreakdown as vatBreakdownSchema,
} from '../model/invoice';
import type { AllowanceCharge, Invoice, InvoiceInput, VatBreakdown, VatCategory } from '../model/invoice';

/**
 * EN 16931 calculations: line net amounts (BT-131), the VAT breakdown (BG-23) and the document totals (BG-22).
 * Everything is decimal (big.js), amounts rounded half away from zero to 2 decimals. The VAT of a category is
 * computed on the category's taxable amount and rounded once per breakdown (BR-CO-17, BR-S-09), never per line.
 */

/** Categories whose VAT amount is always 0 (and whose rate is 0, or absent for O). */
export const ZERO_VAT_CATEGORIES: readonly VatCategory[] = ['Z', 'E', 'AE', 'K', 'G', 'O'];
/** Categories that must NOT carry an exemption reason (BR-S-10, BR-Z-10, BR-AF-10, BR-AG-10). */
export const NO_EXEMPTION_CATEGORIES: readonly VatCategory[] = ['S', 'Z', 'L', 'M'];
/** Categories that must carry an exemption reason code or text (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
export const EXEMPTION_REQUIRED_CATEGORIES: readonly VatCategory[] = ['E', 'AE', 'K', 'G', 'O'];

export interface Exemption {
  /** VATEX code (BT-121), e.g. "VATEX-EU-AE". */
  code?: string;
  /** Reason text (BT-120). */
  reason?: string;
}

/**
 * Default exemption reasons. The VATEX codes are those Peppol ties to the category (P0104–P0107); for E there is no
 * single code (Belgian art. 44 exemptions, small-enterprise scheme, … each have their own), so only a text.
 */
export const DEFAULT_EXEMPTIONS: Readonly<Partial<Record<VatCategory, Exemption>>> = {
  E: { reason: 'Exempt from VAT' },
  AE: { code: 'VATEX-EU-AE', reason: 'Reverse charge' },
  K: { code: 'VATEX-EU-IC', reason: 'Intra-Community supply' },
  G: { code: 'VATEX-EU-G', reason: 'Export outside the EU' },
  O: { code: 'VATEX-EU-O', reason: 'Not subject to VAT' },
};

/** The category a VATEX code belongs to, where Peppol fixes it (P0104–P0111). */
export function categoryOfVatex(code: string): VatCategory | undefined {
  switch (code.toUpperCase()) {
    case 'VATEX-EU-G':
      return 'G';
    case 'VATEX-EU-O':
      return 'O';
    case 'VATEX-EU-IC':
      return 'K';
    case 'VATEX-EU-AE':
      return 'AE';
    case 'VATEX-EU-D':
    case 'VATEX-EU-F':
    case 'VATEX-EU-I':
    case 'VATEX-EU-J':
      return 'E';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------------------

export interface LineAmounts {
  quantity: string;
  unitPrice: string;
  priceBaseQuantity?: string | undefined;
  allowancesCharges?: ReadonlyArray<Pick<AllowanceCharge, 'isCharge' | 'amount'>> | undefined;
}

/** Σ of the allowance (isCharge false) or charge (true) amounts. */
export function sumAllowancesCharges(
  items: ReadonlyArray<Pick<AllowanceCharge, 'isCharge' | 'amount'>> | undefined,
  isCharge: boolean,
): Big {
  return sum((items ?? []).filter((ac) => ac.isCharge === isCharge).map((ac) => ac.amount));
}

/**
 * Invoice line net amount (BT-131) = quantity × (net price ÷ base quantity), rounded to cents, + line charges −
 * line allowances (the formula of PEPPOL-EN16931-R120, which accepts ±0.02).
 */
export function lineNetAmount(line: LineAmounts): Big {
  const base = line.priceBaseQuantity !== undefined && !dec(line.priceBaseQuantity).eq(0) ? dec(line.priceBaseQuantity) : new Big(1);
  const gross = dec(line.quantity).times(dec(line.unitPrice)).div(base).round(2, Big.roundHalfUp);
  return gross.plus(sumAllowancesCharges(line.allowancesCharges, true)).minus(sumAllowancesCharges(line.allowancesCharges, false));
}

export interface LineNetMismatch {
  index: number;
  lineId: string;
  expected: string;
  actual: string;
  /** |expected − actual| exceeds the 0.02 that PEPPOL-EN16931-R120 tolerates. */
  outsideTolerance: boolean;
}

/** Lines whose stated net amount differs from quantity × price ± allowances/charges. */
export function lineNetMismatches(lines: ReadonlyArray<LineAmounts & { id: string; netAmount: string }>): LineNetMismatch[] {
  const out: LineNetMismatch[] = [];
  lines.forEach((line, index) => {
    const expected = lineNetAmount(line);
    const actual = dec(line.netAmount);
    if (!expected.eq(actual)) {
      out.push({
        index,
        lineId: line.id,
        expected: toFixed(expected),
        actual: line.netAmount,
        outsideTolerance: expected.minus(actual).abs().gt('0.02'),
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// VAT breakdown
// ---------------------------------------------------------------------------------------------------------------

/** Key of a VAT group: category + rate as a plain decimal ("S:21", "S:5.5"); O has no rate. */
export function vatKey(category: VatCategory, rate: string | undefined): string {
  return category === 'O' ? 'O:' : `${category}:${toPlain(rate ?? '0')}`;
}

export interface VatItem {
  category: VatCategory;
  rate: string;
}

/** VAT category tax amount (BT-117) for a taxable amount: rounded once, to cents; 0 for Z/E/AE/K/G/O. */
export function vatAmount(category: VatCategory, rate: string, taxable: Big | string): Big {
  if (ZERO_VAT_CATEGORIES.includes(category)) return new Big(0);
  const base = taxable instanceof Big ? taxable : dec(taxable);
  return base.times(dec(rate)).div(100).round(2, Big.roundHalfUp);
}

/**
 * The VAT breakdown for lines (with net amounts) and document-level allowances/charges (with their VAT): one
 * entry per category + rate, in order of first appearance, with default exemption reasons where the rules need one.
 */
export function computeVatBreakdown(
  lines: ReadonlyArray<{ netAmount: string; vat: VatItem }>,
  documentAllowancesCharges: ReadonlyArray<Pick<AllowanceCharge, 'isCharge' | 'amount' | 'vat'>> = [],
  exemptions: Partial<Record<VatCategory, Exemption>> = {},
): VatBreakdown[] {
  const groups = new Map<string, { category: VatCategory; rate: string; taxable: Big }>();
  const add = (vat: VatItem, amount: Big): void => {
    const key = vatKey(vat.category, vat.rate);
    const group = groups.get(key);
    if (group) group.taxable = group.taxable.plus(amount);
    else groups.set(key, { category: vat.category, rate: vat.category === 'O' ? '0' : toPlain(vat.rate), taxable: amount });
  };
  for (const line of lines) add(line.vat, dec(line.netAmount));
  documentAllowancesCharges.forEach((ac, i) => {
    if (!ac.vat) throw new Error(`Document-level ${ac.isCharge ? 'charge' : 'allowance'} ${i + 1} has no VAT category (BR-32/BR-37).`);
    add(ac.vat, ac.isCharge ? dec(ac.amount) : dec(ac.amount).neg());
  });
  return [...groups.values()].map((g) => {
    const taxable = g.taxable.round(2, Big.roundHalfUp);
    const entry: VatBreakdown = {
      category: g.category,
      rate: g.rate,
      taxableAmount: toFixed(taxable),
      taxAmount: toFixed(vatAmount(g.category, g.rate, taxable)),
    };
    if (EXEMPTION_REQUIRED_CATEGORIES.includes(g.category)) {
      const exemption = { ...DEFAULT_EXEMPTIONS[g.category], ...exemptions[g.category] };
      if (exemption.reason) entry.exemptionReason = exemption.reason;
      if (exemption.code) entry.exemptionReasonCode = exemption.code;
    }
    return entry;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------------------------------------------

export type Totals = z.infer<typeof totalsSchema>;

/** Document totals (BT-106…BT-115) per BR-CO-10…BR-CO-16. */
export function computeTotals(
  lines: ReadonlyArray<{ netAmount: string }>,
  documentAllowancesCharges: ReadonlyArray<Pick<AllowanceCharge, 'isCharge' | 'amount'>>,
  breakdown: ReadonlyArray<Pick<VatBreakdown, 'taxAmount'>>,
  options: { prepaid?: string | undefined; rounding?: string | undefined } = {},
): Totals {
  const lineExtension = sum(lines.map((l) => l.netAmount));
  const allowanceTotal = sumAllowancesCharges(documentAllowancesCharges, false);
  const chargeTotal = sumAllowancesCharges(documentAllowancesCharges, true);
  const taxExclusive = lineExtension.minus(allowanceTotal).plus(chargeTotal);
  const taxTotal = sum(breakdown.map((b) => b.taxAmount));
  const taxInclusive = taxExclusive.plus(taxTotal);
  const prepaid = dec(options.prepaid ?? '0');
  const rounding = dec(options.rounding ?? '0');
  return {
    lineExtension: toFixed(lineExtension),
    allowanceTotal: toFixed(allowanceTotal),
    chargeTotal: toFixed(chargeTotal),
    taxExclusive: toFixed(taxExclusive),
    taxTotal: toFixed(taxTotal),
    taxInclusive: toFixed(taxInclusive),
    prepaid: toFixed(prepaid),
    rounding: toFixed(rounding),
    payable: toFixed(taxInclusive.minus(prepaid).plus(rounding)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// completeInvoice
// ---------------------------------------------------------------------------------------------------------------

type LineInput = z.input<typeof invoiceLine>;
export type LineDraft = Omit<LineInput, 'netAmount'> & { netAmount?: string };

/** An invoice as an app produces it: lines are enough; net amounts, VAT breakdown and totals are optional. */
export type InvoiceDraft = Omit<InvoiceInput, 'lines' | 'vatBreakdown' | 'totals'> & {
  lines: LineDraft[];
  vatBreakdown?: z.input<typeof vatBreakdownSchema>[];
  /** Give prepaid (BT-113) / rounding (BT-114) here; the rest is computed when missing. */
  totals?: Partial<z.input<typeof totalsSchema>>;
  /** Exemption reason code/text per category, overriding DEFAULT_EXEMPTIONS (e.g. E with "VATEX-EU-132"). */
  vatExemptions?: Partial<Record<VatCategory, Exemption>>;
};

const REQUIRED_TOTALS = ['lineExtension', 'taxExclusive', 'taxTotal', 'taxInclusive', 'payable'] as const;

/**
 * Fills what an app need not give: line net amounts, the VAT of document-level allowances/charges when all lines
 * share one VAT rate, the VAT breakdown, and the totals. What is given is kept (a given breakdown or complete totals
 * are not recomputed; use the checks to compare). Returns a parsed Invoice; throws a ZodError on invalid input, or
 * an Error when a document-level allowance/charge has no VAT and the lines have more than one VAT rate.
 */
export function completeInvoice(draft: InvoiceDraft): Invoice {
  const { vatExemptions, ...rest } = draft;
  const lines = draft.lines.map((l) => {
    const parsed = invoiceLine.parse({ ...l, netAmount: l.netAmount ?? '0' });
    return l.netAmount === undefined ? { ...parsed, netAmount: toFixed(lineNetAmount(parsed)) } : parsed;
  });

  const lineVatKeys = new Set(lines.map((l) => vatKey(l.vat.category, l.vat.rate)));
  const docAcs = (draft.allowancesCharges ?? []).map((ac, i) => {
    const parsed = allowanceCharge.parse(ac);
    if (parsed.vat) return parsed;
    const only = lines[0];
    if (lineVatKeys.size === 1 && only) return { ...parsed, vat: { ...only.vat } };
    throw new Error(
      `Document-level ${parsed.isCharge ? 'charge' : 'allowance'} ${i + 1} has no VAT category, and the lines have ${lineVatKeys.size} different VAT rates: give it one.`,
    );
  });

  const breakdown =
    draft.vatBreakdown && draft.vatBreakdown.length > 0
      ? draft.vatBreakdown.map((b) => vatBreakdownSchema.parse(b))
      : computeVatBreakdown(lines, docAcs, vatExemptions);

  const given = draft.totals ?? {};
  const totals = REQUIRED_TOTALS.every((k) => given[k] !== undefined)
    ? totalsSchema.parse(given)
    : computeTotals(lines, docAcs, breakdown, { prepaid: given.prepaid, rounding: given.rounding });

  return invoiceSchema.parse({ ...rest, lines, allowancesCharges: docAcs, vatBreakdown: breakdown, totals });
}
