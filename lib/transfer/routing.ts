import type { Dossier } from '../model/dossier';
import type { Invoice } from '../model/invoice';

/** Digits of an enterprise or VAT number, so "BE 0477.472.701" and "0477472701" compare equal. */
export function enterpriseDigits(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/^[A-Za-z]{2}/, '').replace(/\D/g, '');
  if (digits.length === 9) return `0${digits}`;
  return digits.length === 10 ? digits : undefined;
}

/**
 * The dossier a document belongs to: the one whose enterprise or VAT number is the seller's (sales)
 * or the buyer's (purchases); else the site's default; else the general default; else none, and
 * the document waits for the user to choose.
 */
export function routeDossier(
  invoice: Invoice,
  dossiers: Dossier[],
  defaults: { siteDefault?: string; generalDefault?: string },
): Dossier | undefined {
  const own = invoice.direction === 'purchase' ? invoice.buyer : invoice.seller;
  const ids = [enterpriseDigits(own.enterpriseNumber), enterpriseDigits(own.vatId)].filter(Boolean);
  if (ids.length > 0) {
    const match = dossiers.find((d) =>
      [enterpriseDigits(d.enterpriseNumber), enterpriseDigits(d.vatNumber)].some((x) => x && ids.includes(x)),
    );
    if (match) return match;
  }
  const byId = (id?: string) => (id ? dossiers.find((d) => d.id === id) : undefined);
  return byId(defaults.siteDefault) ?? byId(defaults.generalDefault);
}
