import type { LocalizedText, Transfer } from '../model/transfer';
import { OCTOPUS_MESSAGE_KEYS as K } from './errors';

/**
 * The VAT rates and categories documents met that the dossier's codes do not cover, read back from the transfers
 * that wait for a code. They become rows of the dossier's VAT-code table, so a foreign rate (20 %, 19 %) can be
 * mapped where the user is told to map it.
 */
const CATEGORY_PARAM = /^@vat_category_([A-Z]{1,2})$/;
const SIDE_PARAM = /^@vat_side_(sales|purchases)$/;

/** "sales:S:20" for a booking refused for want of a code; undefined for any other text. */
export function vatKeyOfError(text: LocalizedText | undefined, side?: 'sales' | 'purchases'): string | undefined {
  if (!text || (text.key !== K.noVatCode && text.key !== K.vatCodeAmbiguous)) return undefined;
  const [category, rate, third] = text.params;
  const cat = CATEGORY_PARAM.exec(category ?? '')?.[1];
  const named = SIDE_PARAM.exec(third ?? '')?.[1] as 'sales' | 'purchases' | undefined;
  const onSide = named ?? side;
  if (!cat || !rate || !/^\d+(\.\d+)?$/.test(rate) || !onSide) return undefined;
  return `${onSide}:${cat}:${rate}`;
}

/** The keys met per dossier, from the transfers that failed or wait (sorted, each once). */
export function vatKeysMet(transfers: readonly Pick<Transfer, 'dossierId' | 'direction' | 'lastError'>[]): Record<string, string[]> {
  const met: Record<string, Set<string>> = {};
  for (const t of transfers) {
    if (!t.dossierId) continue;
    const key = vatKeyOfError(t.lastError?.text, t.direction === 'purchase' ? 'purchases' : t.direction === 'sales' ? 'sales' : undefined);
    if (key) (met[t.dossierId] ??= new Set()).add(key);
  }
  return Object.fromEntries(Object.entries(met).map(([id, keys]) => [id, [...keys].sort()]));
}
