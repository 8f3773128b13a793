import type { AllowedDossiers, Dossier, SiteDossierSet } from '../model/dossier';
import type { Invoice } from '../model/invoice';
import type { LocalizedText } from '../model/transfer';

/** Digits of an enterprise or VAT number, so "BE 0477.472.701" and "0477472701" compare equal. */
export function enterpriseDigits(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/^[A-Za-z]{2}/, '').replace(/\D/g, '');
  if (digits.length === 9) return `0${digits}`;
  return digits.length === 10 ? digits : undefined;
}

export type { AllowedDossiers, SiteDossierSet } from '../model/dossier';

export type RouteDecision = { ok: true; dossier: Dossier } | { ok: false; text: LocalizedText; code: string };

/**
 * The dossier of a document among the dossiers it may go to, never elsewhere. The document's own party (the seller
 * of a sale, the buyer of a purchase) is only what the page or file claims, so it picks among the allowed dossiers
 * alone: a page of one client claiming another client's number must not land in the other client's books, nor
 * silently in its own. It waits for the user when that number matches no allowed dossier (saying whose it is, if it
 * is another dossier's, unless unmatchedToDefault), when the set is empty, or when it names no number and there is no
 * default. `chosen` says the set is the one dossier the user picked for a dropped file (the reasons speak of that).
 */
export function routeWithin(invoice: Invoice, dossiers: readonly Dossier[], allowed: AllowedDossiers, chosen = false): RouteDecision {
  const inSet = dossiers.filter((d) => allowed.dossierIds.includes(d.id));
  if (inSet.length === 0) return { ok: false, code: 'site-no-dossiers', text: { key: 'routing_site_no_dossiers', params: [] } };
  const purchase = invoice.direction === 'purchase';
  const own = purchase ? invoice.buyer : invoice.seller;
  const ids = [enterpriseDigits(own.enterpriseNumber), enterpriseDigits(own.vatId)].filter((x): x is string => Boolean(x));
  if (ids.length === 0) {
    const fallback = inSet.find((d) => d.id === allowed.defaultDossierId);
    return fallback ? { ok: true, dossier: fallback } : { ok: false, code: 'no-dossier', text: { key: 'routing_no_default', params: [] } };
  }
  const claimed = own.vatId ?? own.enterpriseNumber ?? ids[0]!;
  const isOwn = (d: Dossier) => [enterpriseDigits(d.enterpriseNumber), enterpriseDigits(d.vatNumber)].some((x) => x && ids.includes(x));
  const inside = inSet.filter(isOwn);
  if (inside.length === 1) return { ok: true, dossier: inside[0]! };
  const names = (list: readonly Dossier[]) => list.map((d) => d.name).join(', ');
  if (inside.length > 1) {
    const preferred = inside.find((d) => d.id === allowed.defaultDossierId);
    if (preferred) return { ok: true, dossier: preferred };
    return { ok: false, code: 'dossier-ambiguous', text: { key: 'routing_ambiguous', params: [claimed, names(inside)] } };
  }
  const outside = dossiers.filter((d) => !allowed.dossierIds.includes(d.id) && isOwn(d));
  const fallback = inSet.find((d) => d.id === allowed.defaultDossierId);
  if (outside.length === 0 && allowed.unmatchedToDefault && fallback) return { ok: true, dossier: fallback };
  const role = purchase ? 'buyer' : 'seller';
  if (outside.length > 0) {
    const params = [claimed, names(outside)];
    const text: LocalizedText = chosen
      ? { key: role === 'buyer' ? 'routing_buyer_other_than_chosen' : 'routing_seller_other_than_chosen', params }
      : { key: role === 'buyer' ? 'routing_buyer_other_dossier' : 'routing_seller_other_dossier', params };
    return { ok: false, code: 'dossier-not-allowed', text };
  }
  const params = [claimed, names(inSet)];
  return { ok: false, code: 'dossier-no-match', text: { key: role === 'buyer' ? 'routing_buyer_no_match' : 'routing_seller_no_match', params } };
}
