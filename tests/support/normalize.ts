import { Big } from '../../lib/money';
import type { Invoice } from '../../lib/model/invoice';

const DECIMAL_KEYS = new Set([
  'amount', 'baseAmount', 'percent', 'rate', 'quantity', 'unitPrice', 'priceBaseQuantity', 'netAmount', 'taxableAmount',
  'taxAmount', 'priceDiscount', 'grossPrice', 'lineExtension', 'allowanceTotal', 'chargeTotal', 'taxExclusive', 'taxTotal',
  'taxInclusive', 'prepaid', 'rounding', 'payable',
]);

/** A copy with decimals canonical ("1300" = "1300.00"), undefined properties removed and empty arrays dropped. */
export function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => canonical(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[k], k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (typeof value === 'string' && DECIMAL_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return new Big(value).toString();
  return value;
}

export function canonicalInvoice(inv: Invoice): unknown {
  return canonical(inv);
}
