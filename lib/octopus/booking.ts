/**
 * Invoice (lib/model) → Octopus buy/sell booking, and `bookInvoice`, the whole "send to Octopus" for one
 * document: reference data (cached), relation find-or-upsert, sequence number, POST, and the recoveries
 * (sequence clash, lost answer).
 *
 * Amounts are computed with big.js on the model's decimal strings and become JSON numbers only in the body.
 */
import type { Dossier } from '../model/dossier';
import type { Invoice, Party, VatCategory } from '../model/invoice';
import type { OctopusReference } from '../model/transfer';
import { systemClock, type Clock } from '../platform/clock';
import { Big, dec, round, toApiNumber, toFixed, toPlain } from '../money';
import {
  PAYMENT_METHOD,
  RELATION_VAT_TYPE,
  journalSide,
  vatCodeSide,
  type VatSideReading,
  type BookingLine,
  type BuySellBookingServiceData,
  type OctopusAttachment,
  type OctopusBookingRead,
  type OctopusBookyear,
  type OctopusJournal,
  type OctopusPeriod,
  type OctopusRelation,
  type OctopusVatCode,
  type RelationServiceData,
} from './api';
import type { OctopusClient } from './client';
import { OCTOPUS_MESSAGE_KEYS as K, OctopusError, type OctopusErrorKind, type OctopusMessageKey } from './errors';
import { brusselsDay, isBudgetRefusal } from './budget';

export type Side = 'sales' | 'purchases';

/** Our own (pre-flight) failures, as OctopusError without an HTTP status. Never retriable. */
function bookingError(kind: OctopusErrorKind, messageKey: OctopusMessageKey, message: string, params: string[] = []): OctopusError {
  return new OctopusError({ kind, messageKey, message, params, retriable: false, operation: 'prepare booking' });
}

export function sideOf(invoice: Invoice): Side {
  return invoice.direction === 'purchase' ? 'purchases' : 'sales';
}

/** The counterparty the relation is made for: the buyer of a sale, the seller of a purchase. */
export function counterpartyOf(invoice: Invoice): Party {
  return invoice.direction === 'purchase' ? invoice.seller : invoice.buyer;
}

// ---------------------------------------------------------------------------------------------------------------
// Journal, bookyear, period
// ---------------------------------------------------------------------------------------------------------------

/** Sales → journals.sales (V1); credit notes → journals.salesCreditNotes when set, else sales; purchases → A1. */
export function journalKeyFor(dossier: Dossier, invoice: Invoice): string {
  if (invoice.direction === 'purchase') return dossier.journals.purchases;
  if (invoice.kind === 'credit-note') return dossier.journals.salesCreditNotes ?? dossier.journals.sales;
  return dossier.journals.sales;
}

/** The bookyear and the period whose startDate ≤ date ≤ endDate (periods are months or quarters: never computed). */
export function findBookyearPeriod(
  bookyears: readonly OctopusBookyear[],
  date: string,
): { bookyear: OctopusBookyear; period: OctopusPeriod | undefined } | undefined {
  const bookyear = bookyears.find((b) => b.startDate <= date && date <= b.endDate);
  if (!bookyear) return undefined;
  return { bookyear, period: bookyear.periods.find((p) => p.startDate <= date && date <= p.endDate) };
}

export function bookyearLabel(bookyear: OctopusBookyear): string {
  return bookyear.bookyearDescription?.trim() || bookyear.startDate.slice(0, 4);
}

// ---------------------------------------------------------------------------------------------------------------
// VAT codes
// ---------------------------------------------------------------------------------------------------------------

/**
 * How a 0 %-style category is recognised in a dossier's VAT-code list: by the code's description (NL/FR/EN),
 * since the codes themselves are dossier-specific [INF; Octopus's default descriptions not seen]. A dossier
 * where this guesses wrong sets `vatCodeOverrides`.
 */
const CATEGORY_TEXT: Partial<Record<VatCategory, RegExp>> = {
  K: /intra|\bICL?\b/i, // intra-EU supply / acquisition
  AE: /medecontract|cocontract|verlegd|autoliquid|reverse/i, // reverse charge
  G: /export|uitvoer|invoer|import|hors\s+ue|buiten\s+(de\s+)?eu/i, // export (sales) / import (purchases)
  E: /vrijgest|exon[ée]r|exempt/i,
  O: /niet\s+onderworpen|hors\s+champ|buiten\s+toepassing|outside\s+(the\s+)?scope|non\s+soumis/i,
};

function isSpecial(vc: OctopusVatCode): boolean {
  const text = `${vc.code} ${vc.description ?? ''}`;
  return Object.values(CATEGORY_TEXT).some((re) => re.test(text));
}

/** "21" / "D21" / "06" / "D6" → 21 / 6: the code names a plain rate. */
function plainRateOf(code: string): number | undefined {
  const m = /^[A-Za-z]?0*(\d+)$/.exec(code);
  return m ? Number(m[1]) : undefined;
}

function sideUnresolved(key: string, codes: string[]): OctopusError {
  const list = codes.join(', ');
  return bookingError('unknown-vat-code', K.vatSideUnresolved, `The side of VAT code(s) ${list} is in question (type and name disagree); answer it in the dossier settings`, [key, list]);
}

/**
 * The dossier's VAT code for a category and rate, from the dossier's own list (never hard-coded).
 * Overrides first, most specific first: "sales:S:21" / "purchases:S:21", then "S:21", then "S" (keys use the
 * plain rate: "S:6", not "S:06"). An override without a side that names a code of the other side is skipped.
 * `reading` is the dossier's answer where a code's `type` and its D prefix disagree (see vatCodeSide).
 */
export function chooseVatCode(
  vatCodes: readonly OctopusVatCode[],
  want: { side: Side; category: VatCategory; rate: string },
  overrides: Readonly<Record<string, string>> = {},
  reading?: VatSideReading,
): string {
  const rate = toPlain(want.rate);
  const key = `${want.category}:${rate}`;
  const sideAliases = want.side === 'sales' ? ['sales', 'sale'] : ['purchases', 'purchase'];
  const byCode = (code: string) => vatCodes.find((v) => v.code === code);
  for (const k of [...sideAliases.map((s) => `${s}:${key}`), ...sideAliases.map((s) => `${s}:${want.category}`)]) {
    const code = overrides[k];
    if (code === undefined) continue;
    if (!byCode(code)) throw bookingError('unknown-vat-code', K.vatCodeOverrideUnknown, `VAT-code override ${k} names ${code}, which the dossier does not have`, [k, code]);
    return code;
  }
  for (const k of [key, want.category]) {
    const code = overrides[k];
    if (code === undefined) continue;
    const vc = byCode(code);
    if (!vc) throw bookingError('unknown-vat-code', K.vatCodeOverrideUnknown, `VAT-code override ${k} names ${code}, which the dossier does not have`, [k, code]);
    const side = vatCodeSide(vc, reading);
    if (side === undefined) throw sideUnresolved(key, [code]);
    if (side === want.side) return code;
  }

  // A code whose side is in question stays a candidate of both sides, so that it can never be picked silently.
  const unresolved = (v: OctopusVatCode) => vatCodeSide(v, reading) === undefined;
  const mine = vatCodes.filter((v) => vatCodeSide(v, reading) === want.side || unresolved(v));
  const pct = dec(rate);
  const samePct = (v: OctopusVatCode) => new Big(v.basePercentage).eq(pct);
  let candidates: OctopusVatCode[];
  const special = CATEGORY_TEXT[want.category];
  if (special) {
    candidates = mine.filter((v) => special.test(`${v.code} ${v.description ?? ''}`));
    if (candidates.length > 1 && candidates.some(samePct)) candidates = candidates.filter(samePct);
  } else if (want.category === 'S' || want.category === 'Z') {
    const pctWanted = want.category === 'Z' ? new Big(0) : pct;
    candidates = mine.filter((v) => new Big(v.basePercentage).eq(pctWanted) && !isSpecial(v));
    if (candidates.length > 1) {
      const plain = candidates.filter((v) => plainRateOf(v.code) !== undefined && new Big(plainRateOf(v.code)!).eq(pctWanted));
      if (plain.length > 0) candidates = plain;
    }
  } else {
    candidates = []; // L, M, B: no way to tell; needs an override
  }
  const inQuestion = candidates.filter(unresolved);
  if (inQuestion.length > 0) throw sideUnresolved(key, inQuestion.map((v) => v.code));
  if (candidates.length === 1) return candidates[0]!.code;
  if (candidates.length === 0) {
    throw bookingError('unknown-vat-code', K.noVatCode, `The dossier has no ${want.side} VAT code for ${key}; set a VAT-code override`, [`@vat_category_${want.category}`, rate, `@vat_side_${want.side}`]);
  }
  const list = candidates.map((v) => v.code).join(', ');
  throw bookingError('unknown-vat-code', K.vatCodeAmbiguous, `Several ${want.side} VAT codes fit ${key} (${list}); set a VAT-code override`, [`@vat_category_${want.category}`, rate, list]);
}

// ---------------------------------------------------------------------------------------------------------------
// Lines and amounts
// ---------------------------------------------------------------------------------------------------------------

const INT31_MAX = 2_147_483_647;

/** A GL account number: digits only (Octopus's accountKey is an int [N]). */
export function parseAccount(value: string, lineId: string): number {
  const v = value.trim();
  if (!/^\d{1,10}$/.test(v) || Number(v) > INT31_MAX) {
    throw bookingError('unknown-account', K.accountNotNumeric, `Account "${value}" on line ${lineId} is not a numeric GL account`, [value, lineId]);
  }
  return Number(v);
}

interface Group {
  account: number;
  category: VatCategory;
  rate: string;
  base: Big;
  vat: Big;
  descriptions: string[];
}

export interface BookingLinesResult {
  lines: BookingLine[];
  /** Total incl. VAT as booked: negative for a credit note (with positive lines) [OFF pitfalls]. */
  amount: Big;
  credit: boolean;
}

const vatKey = (category: string, rate: string) => `${category}:${toPlain(rate)}`;

/**
 * Booking lines: one per (GL account, VAT category, rate). Bases are the line net amounts (document-level
 * allowances and charges go to the largest line of their VAT rate); VAT comes from the VAT breakdown (BG-23),
 * spread over the lines of that rate in proportion to their base, the rounding cent to the largest.
 * Credit notes (and invoices with a negative total): positive lines, negative amount.
 */
export function bookingLinesFor(
  invoice: Invoice,
  dossier: Dossier,
  vatCodes: readonly OctopusVatCode[],
  accounts?: ReadonlyMap<number, { vatRecupPercentage?: number | null }>,
): BookingLinesResult {
  const side = sideOf(invoice);
  const defaultAccount = side === 'sales' ? dossier.defaultAccounts.sales : dossier.defaultAccounts.purchases;
  const groups = new Map<string, Group>();
  const groupFor = (account: number, category: VatCategory, rate: string): Group => {
    const k = `${account}|${vatKey(category, rate)}`;
    let g = groups.get(k);
    if (!g) {
      g = { account, category, rate: toPlain(rate), base: new Big(0), vat: new Big(0), descriptions: [] };
      groups.set(k, g);
    }
    return g;
  };

  for (const line of invoice.lines) {
    // A line's accounting reference (BT-133) is the buyer's: the dossier's own account on a purchase, but on a sale
    // the customer's cost code, which must never pick the seller's GL account.
    const account = parseAccount((side === 'purchases' ? line.accountingCost : undefined) ?? defaultAccount, line.id);
    const g = groupFor(account, line.vat.category, line.vat.rate);
    g.base = g.base.plus(dec(line.netAmount));
    if (line.description && !g.descriptions.includes(line.description)) g.descriptions.push(line.description);
  }

  // One breakdown per category and rate: a document may split one (two intra-Community supplies with their own
  // exemption texts), and each part would otherwise be checked against all the lines of that rate.
  const merged = new Map<string, Invoice['vatBreakdown'][number]>();
  for (const bd of invoice.vatBreakdown) {
    const k = vatKey(bd.category, bd.rate);
    const known = merged.get(k);
    merged.set(
      k,
      known
        ? { ...known, taxableAmount: toFixed(dec(known.taxableAmount).plus(bd.taxableAmount)), taxAmount: toFixed(dec(known.taxAmount).plus(bd.taxAmount)) }
        : bd,
    );
  }
  const breakdowns = [...merged.values()];
  for (const ac of invoice.allowancesCharges) {
    const vat = ac.vat ?? (breakdowns.length === 1 ? { category: breakdowns[0]!.category, rate: breakdowns[0]!.rate } : undefined);
    if (!vat) throw bookingError('invalid', K.amounts, 'A document-level allowance or charge has no VAT category', ['allowance/charge without VAT']);
    const amount = ac.isCharge ? dec(ac.amount) : dec(ac.amount).times(-1);
    const sameVat = [...groups.values()].filter((g) => vatKey(g.category, g.rate) === vatKey(vat.category, vat.rate));
    const target = sameVat.sort((a, b) => b.base.abs().cmp(a.base.abs()))[0] ?? groupFor(parseAccount(defaultAccount, 'allowance'), vat.category, vat.rate);
    target.base = target.base.plus(amount);
    if (ac.reason && !target.descriptions.includes(ac.reason)) target.descriptions.push(ac.reason);
  }

  // VAT per breakdown, bases reconciled with the breakdown's taxable amount.
  const covered = new Set<string>();
  for (const bd of breakdowns) {
    const k = vatKey(bd.category, bd.rate);
    covered.add(k);
    let members = [...groups.values()].filter((g) => vatKey(g.category, g.rate) === k);
    if (members.length === 0) members = [groupFor(parseAccount(defaultAccount, 'vat'), bd.category, bd.rate)];
    members.sort((a, b) => b.base.abs().cmp(a.base.abs()));
    const largest = members[0]!;
    const baseSum = members.reduce((s, g) => s.plus(g.base), new Big(0));
    const diff = dec(bd.taxableAmount).minus(baseSum);
    if (diff.abs().gt('0.05')) {
      const detail = `lines at ${k} add up to ${toFixed(baseSum)}, the VAT breakdown says ${toFixed(bd.taxableAmount)}`;
      throw bookingError('invalid', K.amounts, `The invoice does not add up: ${detail}`, [detail]);
    }
    largest.base = largest.base.plus(diff);
    const tax = dec(bd.taxAmount);
    const total = dec(bd.taxableAmount);
    let spread = new Big(0);
    for (const g of members.slice(1)) {
      g.vat = total.eq(0) ? new Big(0) : round(tax.times(g.base).div(total), 2);
      spread = spread.plus(g.vat);
    }
    largest.vat = tax.minus(spread);
  }
  for (const g of groups.values()) {
    const k = vatKey(g.category, g.rate);
    if (!covered.has(k)) {
      const detail = `lines at ${k} have no VAT breakdown`;
      throw bookingError('invalid', K.amounts, `The invoice does not add up: ${detail}`, [detail]);
    }
  }

  let kept = [...groups.values()].filter((g) => !(g.base.eq(0) && g.vat.eq(0)));
  if (kept.length === 0) kept = [...groups.values()].slice(0, 1);
  for (const g of kept) {
    if (g.base.times(g.vat).lt(0)) {
      const detail = `line at ${vatKey(g.category, g.rate)} on ${g.account}: base ${toFixed(g.base)}, VAT ${toFixed(g.vat)}`;
      throw bookingError('invalid', K.amounts, `Base and VAT have opposite signs (${detail})`, [detail]);
    }
  }
  const rawTotal = kept.reduce((s, g) => s.plus(g.base).plus(g.vat), new Big(0));
  const expected = dec(invoice.totals.taxInclusive);
  if (rawTotal.abs().minus(expected.abs()).abs().gt('0.01')) {
    const detail = `the lines add up to ${toFixed(rawTotal)}, the invoice total is ${toFixed(expected)}`;
    throw bookingError('invalid', K.amounts, `The invoice does not add up: ${detail}`, [detail]);
  }
  // Octopus: "the total amount should be negative, whilst the line amounts… have to be positive" [OFF].
  const flip = rawTotal.lt(0);
  const credit = invoice.kind === 'credit-note' || flip;
  const sign = flip ? -1 : 1;
  const lines: BookingLine[] = kept.map((g) => {
    const recup = accounts?.get(g.account)?.vatRecupPercentage;
    const comment = g.descriptions.join('; ').slice(0, 100);
    return {
      accountKey: g.account,
      baseAmount: toApiNumber(g.base.times(sign)),
      vatCodeKey: chooseVatCode(vatCodes, { side, category: g.category, rate: g.rate }, dossier.vatCodeOverrides, dossier.vatSideReading),
      vatAmount: toApiNumber(g.vat.times(sign)),
      ...(comment ? { comment } : {}),
      vatRecupPercentage: typeof recup === 'number' ? recup : 100,
    };
  });
  const amount = credit ? rawTotal.abs().times(-1) : rawTotal;
  return { lines, amount: round(amount, 2), credit };
}

// ---------------------------------------------------------------------------------------------------------------
// Relation
// ---------------------------------------------------------------------------------------------------------------

/** FNV-1a, 32 bit, over UTF-8. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const HASH_FLOOR = 1_000_000_000;

/**
 * How much earlier than our POST the modified feed is read: our clock and Octopus's may differ, and the feed's
 * time zone is not documented. A wider window only makes the one answer longer; a narrower one could miss ours.
 */
const LOST_ANSWER_MARGIN_MS = 26 * 60 * 60_000;

/**
 * Octopus's externalRelationId is an int [N] (a Java int: at most 2^31−1). The invoicing app's numeric customer
 * id is used as is. Anything else (UUIDs, "CUST-7", or no id: the VAT/enterprise number, else the name) is hashed
 * to a positive int31: stable, so the same customer maps to the same Octopus relation on every device and after
 * a reinstall without a stored mapping, and in [1e9, 2^31−1) so it does not collide with the small numeric ids
 * apps hand out. Collisions between two hashed customers are ~n²/2^31 (negligible for a dossier's customers).
 */
export function externalRelationIdOf(party: Party): number {
  const id = party.externalId?.trim();
  if (id && /^[1-9]\d{0,9}$/.test(id) && Number(id) < HASH_FLOOR) return Number(id);
  let key: string;
  if (id) key = `id:${id}`;
  else if (party.vatId?.toUpperCase().startsWith('BE') || party.enterpriseNumber) {
    key = `kbo:${(party.enterpriseNumber ?? party.vatId!.slice(2)).replace(/\D/g, '').padStart(10, '0')}`;
  } else if (party.vatId) key = `vat:${party.vatId.toUpperCase()}`;
  else key = `name:${party.name.trim().toLowerCase()}|${party.address.countryCode}`;
  return HASH_FLOOR + (fnv1a(key) % (INT31_MAX - HASH_FLOOR));
}

const EU = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'GR', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);

function vatTypeOf(party: Party): number {
  const country = party.address.countryCode;
  const liable = Boolean(party.vatId || party.enterpriseNumber);
  if (country === 'BE') return liable ? RELATION_VAT_TYPE.belgian : RELATION_VAT_TYPE.privateBe;
  if (EU.has(country)) return liable ? RELATION_VAT_TYPE.intraEu : RELATION_VAT_TYPE.privateEu;
  return liable ? RELATION_VAT_TYPE.nonEu : RELATION_VAT_TYPE.privateNonEu;
}

function vatNrOf(party: Party): string | undefined {
  if (party.vatId) return party.vatId.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (party.enterpriseNumber && party.address.countryCode === 'BE') return `BE${party.enterpriseNumber}`;
  return undefined;
}

/** The relation fields we own (what we send and compare). Octopus fills the rest. */
export function relationFor(invoice: Invoice): RelationServiceData {
  const party = counterpartyOf(invoice);
  const side = sideOf(invoice);
  const street = [party.address.street, party.address.additionalStreet].filter(Boolean).join(' ');
  const out: RelationServiceData = {
    relationIdentificationServiceData: { externalRelationId: externalRelationIdOf(party) },
    name: party.name,
    client: side === 'sales',
    supplier: side === 'purchases',
    active: true,
    country: party.address.countryCode,
    vatType: vatTypeOf(party),
    currencyCode: invoice.currency,
  };
  if (street) out.streetAndNr = street;
  if (party.address.postalCode) out.postalCode = party.address.postalCode;
  if (party.address.city) out.city = party.address.city;
  const vatNr = vatNrOf(party);
  if (vatNr) out.vatNr = vatNr;
  if (party.contact?.email) out.email = party.contact.email;
  return out;
}

const COMPARED = ['name', 'streetAndNr', 'postalCode', 'city', 'country', 'vatNr', 'email'] as const;

function norm(field: string, value: unknown): string {
  const s = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
  return field === 'vatNr' ? s.replace(/[^0-9A-Za-z]/g, '').toUpperCase() : s;
}

/** A fingerprint of the fields we own, to skip the PUT while nothing changed. */
export function relationFingerprint(relation: RelationServiceData): string {
  return JSON.stringify([...COMPARED.map((f) => norm(f, relation[f])), relation.client, relation.supplier]);
}

/** Does Octopus's relation already say what we would send? */
function relationUpToDate(existing: OctopusRelation, wanted: RelationServiceData): boolean {
  const e = existing as Record<string, unknown>;
  for (const f of COMPARED) {
    if (wanted[f] !== undefined && norm(f, e[f]) !== norm(f, wanted[f])) return false;
  }
  if (wanted.client && existing.client !== true) return false;
  if (wanted.supplier && existing.supplier !== true) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Attachments and the body
// ---------------------------------------------------------------------------------------------------------------

function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 150) || 'document';
}

/**
 * The PDF(s) of the invoice (BG-24 attachments) and, when given, the app's UBL/CII XML. Whether Octopus takes
 * PDF and XML together, and its size limits, are unknown [doc §6.6].
 */
export function attachmentsFor(invoice: Invoice, options: { sourceXml?: string } = {}): OctopusAttachment[] {
  const out: OctopusAttachment[] = [];
  for (const a of invoice.attachments) {
    if (/pdf|xml/i.test(a.mimeType) || /\.(pdf|xml)$/i.test(a.filename)) {
      out.push({ fileName: safeFileName(a.filename), fileData: a.contentBase64.replace(/\s+/g, '') });
    }
  }
  if (options.sourceXml) out.push({ fileName: safeFileName(`${invoice.number}.xml`), fileData: utf8ToBase64(options.sourceXml) });
  return out;
}

const OGM = /^\+{3}\d{3}\/\d{4}\/\d{5}\+{3}$/;

/** "+++123/4567/89012+++" from either that form or its 12 digits; undefined otherwise. */
export function structuredCommunication(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (OGM.test(v)) return v;
  const digits = v.replace(/[\s/+*]/g, '');
  if (/^\d{12}$/.test(digits)) return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
  return undefined;
}

export interface BookingBodyInput {
  invoice: Invoice;
  dossier: Dossier;
  bookyear: OctopusBookyear;
  period: OctopusPeriod;
  journalKey: string;
  documentSequenceNr: number;
  relation: { relationId?: number; externalRelationId: number };
  lines: BookingLinesResult;
  exchangeRate?: number;
}

export function bookingBody(input: BookingBodyInput): BuySellBookingServiceData {
  const { invoice } = input;
  if (invoice.currency !== 'EUR' && !input.exchangeRate) {
    throw bookingError('invalid', K.currency, `No exchange rate for ${invoice.currency}`, [invoice.currency]);
  }
  const party = counterpartyOf(invoice);
  const reference = structuredCommunication(invoice.paymentMeans?.paymentId) ?? invoice.number;
  const body: BuySellBookingServiceData = {
    bookyearKey: { id: input.bookyear.bookyearKey.id },
    journalKey: input.journalKey,
    documentSequenceNr: input.documentSequenceNr,
    relationIdentificationServiceData: {
      ...(input.relation.relationId ? { relationKey: { id: input.relation.relationId } } : {}),
      externalRelationId: input.relation.externalRelationId,
    },
    bookyearPeriodeNr: input.period.bookyearPeriod,
    documentDate: invoice.issueDate,
    // Octopus may require one (ERR_NO_EXPIRY_DATE exists): the due date, else the document date [INF].
    expiryDate: invoice.dueDate ?? invoice.issueDate,
    comment: `${invoice.number} ${party.name}`.slice(0, 100),
    reference: reference.slice(0, 100),
    amount: toApiNumber(input.lines.amount),
    currencyCode: invoice.currency,
    exchangeRate: invoice.currency === 'EUR' ? 1 : input.exchangeRate!,
    paymentMethod: PAYMENT_METHOD.unknown,
    bookingLines: input.lines.lines,
  };
  if (invoice.orderReference) body.orderReference = invoice.orderReference.slice(0, 100);
  return body;
}

/** Is the booking read back the one we sent (amount to the cent, date, comment)? */
export function sameBooking(read: OctopusBookingRead, sent: BuySellBookingServiceData): boolean {
  if (read.journalKey && read.journalKey !== sent.journalKey) return false;
  if (typeof read.amount !== 'number' || new Big(read.amount).minus(sent.amount).abs().gt('0.005')) return false;
  if (read.documentDate && read.documentDate !== sent.documentDate) return false;
  const a = (read.comment ?? '').trim();
  const b = sent.comment.trim();
  // Octopus may cut a long comment: a prefix match is enough.
  return a !== '' && (a === b || b.startsWith(a) || a.startsWith(b));
}

// ---------------------------------------------------------------------------------------------------------------
// Reference-data cache
// ---------------------------------------------------------------------------------------------------------------

/**
 * Where bookyears, journals, VAT codes, accounts and relation ids are kept between calls, so that a booking in
 * steady state costs about one request. Values are plain JSON. An IndexedDB table can back it in the worker.
 */
export interface ReferenceCache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Delete every key that starts with the prefix. */
  deletePrefix(prefix: string): Promise<void>;
}

export class MemoryReferenceCache implements ReferenceCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async get<T>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(e.value) as T;
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.clock.now().getTime() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}

const DAY_MS = 24 * 60 * 60_000;
/**
 * Accounts and VAT codes may be read twice a day only: they are kept until the user refreshes them or an error
 * shows they are stale, not re-read when a day has passed.
 */
const KEEP_MS = 400 * DAY_MS;
/** How much earlier than the last read a feed is asked from (its time zone is not documented). */
const FEED_MARGIN_MS = 26 * 60 * 60_000;

/** The parts of a dossier's reference data that are read (and refreshed) separately. */
export type ReferencePart = 'bookyears' | 'journals' | 'accounts' | 'vatcodes';

interface CachedRelation {
  relationId: number;
  fingerprint: string;
}

/** Where one dossier's reference data sits in the cache (a connection's base URL and the Octopus dossier id). */
export function referencePrefix(baseUrl: string, dossierId: number): string {
  return `octopus|${baseUrl.replace(/\/+$/, '')}|${dossierId}|`;
}

/** Reference data of one dossier through the cache. "Once per dossier per day" (doc §9). */
export class OctopusReferenceData {
  readonly prefix: string;

  constructor(
    private readonly client: OctopusClient,
    readonly dossierId: number,
    private readonly cache: ReferenceCache,
    private readonly ttlMs: number = DAY_MS,
    private readonly relationTtlMs: number = 30 * DAY_MS,
    private readonly clock: Clock = systemClock,
  ) {
    this.prefix = referencePrefix(client.baseUrl, dossierId);
  }

  private async cached<T>(key: string, fresh: boolean, load: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    const k = this.prefix + key;
    if (!fresh) {
      const hit = await this.cache.get<T>(k);
      if (hit !== undefined) return hit;
    }
    const value = await load();
    await this.cache.set(k, value, ttlMs);
    await this.cache.set(`${this.prefix}fetched|${key}`, this.now().toISOString(), ttlMs);
    return value;
  }

  private now(): Date {
    return this.clock.now();
  }

  /** When a cached part was read from Octopus (ISO), or undefined when it is not cached. */
  async fetchedAt(part: ReferencePart, bookyearId?: number): Promise<string | undefined> {
    const key = part === 'journals' || part === 'accounts' ? `${part}|${bookyearId}` : part;
    if ((await this.cache.get(this.prefix + key)) === undefined) return undefined;
    return this.cache.get<string>(`${this.prefix}fetched|${key}`);
  }

  /**
   * An error says the cached part may be stale: read it again, but once a Brussels day at most (two failing
   * documents must not spend the day's reads), and never beyond the budget. Returns whether it was read.
   * A budget refusal is thrown when `budgetRefusal` is 'throw' (the caller then waits for the next day).
   */
  async refreshStale(part: ReferencePart, bookyearId: number, budgetRefusal: 'throw' | 'ignore' = 'ignore'): Promise<boolean> {
    const at = await this.fetchedAt(part, bookyearId);
    if (at !== undefined && brusselsDay(new Date(at)) === brusselsDay(this.now())) return false;
    try {
      if (part === 'bookyears') await this.bookyears(true);
      else if (part === 'journals') await this.journals(bookyearId, true);
      else if (part === 'accounts') await this.accounts(bookyearId, true);
      else await this.vatCodes(true);
      return true;
    } catch (error) {
      if (budgetRefusal === 'ignore' && isBudgetRefusal(error)) return false;
      throw error;
    }
  }

  /**
   * Accounts created or changed in Octopus since the kept list was read, through the accounts feed (48 reads a
   * day, where the whole list has 2), merged into the kept list. Returns false when nothing is kept yet or the
   * feed cannot be used (then the whole list is read, once a day); a spent feed budget is thrown.
   */
  async updateAccounts(bookyearId: number, budgetRefusal: 'throw' | 'ignore' = 'ignore'): Promise<boolean> {
    const key = `accounts|${bookyearId}`;
    const kept = await this.cache.get<{ id: number; vatRecupPercentage: number | null }[]>(this.prefix + key);
    const at = await this.cache.get<string>(`${this.prefix}fetched|${key}`);
    if (kept && at) {
      const readAt = this.now();
      try {
        // The feed's time zone is not documented: ask from well before; a longer answer costs nothing more.
        const changed = await this.client.modifiedAccounts(this.dossierId, bookyearId, new Date(Date.parse(at) - FEED_MARGIN_MS));
        const byId = new Map(kept.map((a) => [a.id, a]));
        for (const a of changed) byId.set(a.accountKey.id, { id: a.accountKey.id, vatRecupPercentage: a.vatRecupPercentage ?? null });
        await this.cache.set(this.prefix + key, [...byId.values()], KEEP_MS);
        await this.cache.set(`${this.prefix}fetched|${key}`, readAt.toISOString(), KEEP_MS);
        return true;
      } catch (error) {
        if (isBudgetRefusal(error)) {
          if (budgetRefusal === 'throw') throw error;
          return false;
        }
        // The feed did not answer as expected: fall back on the whole list below.
      }
    }
    return this.refreshStale('accounts', bookyearId, budgetRefusal);
  }

  bookyears(fresh = false): Promise<OctopusBookyear[]> {
    return this.cached('bookyears', fresh, () => this.client.bookyears(this.dossierId));
  }

  journals(bookyearId: number, fresh = false): Promise<OctopusJournal[]> {
    return this.cached(`journals|${bookyearId}`, fresh, () => this.client.journals(this.dossierId, bookyearId));
  }

  vatCodes(fresh = false): Promise<OctopusVatCode[]> {
    return this.cached('vatcodes', fresh, () => this.client.vatCodes(this.dossierId), KEEP_MS);
  }

  async accounts(bookyearId: number, fresh = false): Promise<Map<number, { vatRecupPercentage?: number | null }>> {
    const list = await this.cached(`accounts|${bookyearId}`, fresh, async () =>
      (await this.client.accounts(this.dossierId, bookyearId)).map((a) => ({ id: a.accountKey.id, vatRecupPercentage: a.vatRecupPercentage ?? null })),
      KEEP_MS,
    );
    return new Map(list.map((a) => [a.id, { vatRecupPercentage: a.vatRecupPercentage }]));
  }

  /** After a booking: the cached journal's last number moves on, so the next booking needs no journal read. */
  async noteBooked(bookyearId: number, journalKey: string, documentSequenceNr: number): Promise<void> {
    const k = `${this.prefix}journals|${bookyearId}`;
    const list = await this.cache.get<OctopusJournal[]>(k);
    if (!list) return;
    const j = list.find((x) => x.journalKey === journalKey);
    if (!j) return;
    j.lastBookedDocumentNr = Math.max(j.lastBookedDocumentNr ?? 0, documentSequenceNr);
    await this.cache.set(k, list, this.ttlMs);
  }

  // "relation-exact|": ids cached before lookups matched the external id exactly may name another customer's
  // relation, so they are not read again.
  relation(externalRelationId: number): Promise<CachedRelation | undefined> {
    return this.cache.get<CachedRelation>(`${this.prefix}relation-exact|${externalRelationId}`);
  }

  setRelation(externalRelationId: number, value: CachedRelation): Promise<void> {
    return this.cache.set(`${this.prefix}relation-exact|${externalRelationId}`, value, this.relationTtlMs);
  }

  forgetRelation(externalRelationId: number): Promise<void> {
    return this.cache.delete(`${this.prefix}relation-exact|${externalRelationId}`);
  }

  /**
   * Drop the dossier's reference data (not the relations): the next booking reads it again. Only for an explicit
   * request: the reads it causes are the day's scarcest (2 of accounts, 2 of VAT codes).
   */
  async forgetReferenceData(): Promise<void> {
    for (const k of ['bookyears', 'vatcodes']) {
      await this.cache.delete(this.prefix + k);
      await this.cache.delete(`${this.prefix}fetched|${k}`);
    }
    for (const k of ['journals', 'accounts']) {
      await this.cache.deletePrefix(`${this.prefix}${k}|`);
      await this.cache.deletePrefix(`${this.prefix}fetched|${k}|`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// bookInvoice
// ---------------------------------------------------------------------------------------------------------------

export interface BookInvoiceOptions {
  /** Default: a fresh in-memory cache (then every call reads the reference data). */
  cache?: ReferenceCache;
  /** How long reference data is trusted. Default 24 h. */
  referenceTtlMs?: number;
  /** An earlier attempt may have reached Octopus (timeout after sending): look for it before posting. */
  outcomeUnknown?: boolean;
  /**
   * With `outcomeUnknown`: no earlier attempt can have been posted before this (the transfer's creation). The
   * modified feed is read from here. Default: 26 hours ago.
   */
  postedSince?: Date;
  clock?: Clock;
  /** Default: attachmentsFor(invoice, {sourceXml}). */
  attachments?: OctopusAttachment[];
  sourceXml?: string;
  /** Required for a currency other than EUR. */
  exchangeRate?: number;
}

export interface BookInvoiceResult extends OctopusReference {
  bookyearLabel: string;
  /** It was there already (an earlier attempt landed): nothing was posted now. */
  alreadyBooked: boolean;
  relationId: number;
  externalRelationId: number;
  /** HTTP requests this call made (tokens included). */
  calls: number;
}

/** Find the relation by external id, create or update it when needed; the cache spares both in steady state. */
export async function ensureRelation(client: OctopusClient, refs: OctopusReferenceData, invoice: Invoice): Promise<{ relationId: number; externalRelationId: number }> {
  const wanted = relationFor(invoice);
  const externalRelationId = wanted.relationIdentificationServiceData.externalRelationId;
  const fingerprint = relationFingerprint(wanted);
  const cached = await refs.relation(externalRelationId);
  if (cached && cached.fingerprint === fingerprint) return { relationId: cached.relationId, externalRelationId };

  const found = await client.findRelationByExternalId(refs.dossierId, externalRelationId);
  // Only a relation carrying our external id is ours to use or update: never another customer's record.
  const existing = found?.relationIdentificationServiceData.externalRelationId === externalRelationId ? found : undefined;
  const existingId = existing?.relationIdentificationServiceData.relationKey?.id ?? undefined;
  if (existing && existingId && relationUpToDate(existing, wanted)) {
    await refs.setRelation(externalRelationId, { relationId: existingId, fingerprint });
    return { relationId: existingId, externalRelationId };
  }
  // Update: start from what Octopus has, so fields the accountant filled in (IBAN, remarks…) are kept, and
  // never take away a client/supplier role the relation already has.
  const body: RelationServiceData = existing
    ? {
        ...(existing as Record<string, unknown>),
        ...wanted,
        client: wanted.client || existing.client === true,
        supplier: wanted.supplier || existing.supplier === true,
        relationIdentificationServiceData: { ...(existingId ? { relationKey: { id: existingId } } : {}), externalRelationId },
      }
    : wanted;
  const { relationId } = await client.upsertRelation(refs.dossierId, body);
  await refs.setRelation(externalRelationId, { relationId, fingerprint });
  return { relationId, externalRelationId };
}

/**
 * Book one invoice in its dossier. Returns the Octopus reference (journal / bookyear / number).
 *
 * Steady state (reference data and relation cached, tokens fresh): one request, the POST.
 * - ERR_ILLEGAL_DOCUMENT_SEQUENCE_NR (someone booked behind our back): re-read the journal, and if the modified
 *   feed shows ours, stop; else retry once with the next number.
 * - A lost answer (timeout, dropped connection, 5xx on the POST): one read of the modified feed; ours → done;
 *   nothing → post again once (a number taken meanwhile answers "sequence"). If the feed read fails too, the error
 *   keeps `outcomeUnknown` and the next attempt (options.outcomeUnknown) reads the feed first.
 * Reference data comes from the cache; a read the day's budget does not allow throws a 'quota' OctopusError.
 */
export async function bookInvoice(client: OctopusClient, dossier: Dossier, invoice: Invoice, options: BookInvoiceOptions = {}): Promise<BookInvoiceResult> {
  const startCalls = client.requestCount;
  const clock = options.clock ?? client.clock;
  const dossierId = dossier.octopusDossierId;
  const refs = new OctopusReferenceData(client, dossierId, options.cache ?? new MemoryReferenceCache(clock), options.referenceTtlMs ?? DAY_MS, undefined, clock);
  const side = sideOf(invoice);
  const journalKey = journalKeyFor(dossier, invoice);
  if (journalSide(journalKey) !== side) {
    throw bookingError('unknown-journal', K.journalWrongType, `Journal ${journalKey} is not a ${side} journal`, [journalKey, side]);
  }
  const date = invoice.issueDate;

  // Bookyear and period (read again once when the date is past the cached bookyears: a new year was opened).
  let found = findBookyearPeriod(await refs.bookyears(), date);
  if (!found?.period) found = findBookyearPeriod(await refs.bookyears(true), date);
  if (!found) throw bookingError('period-closed', K.unknownBookyear, `Dossier has no bookyear for ${date}`, [date]);
  const { bookyear } = found;
  const period = found.period;
  if (!period) throw bookingError('period-closed', K.unknownPeriod, `Bookyear ${bookyearLabel(bookyear)} has no period for ${date}`, [date]);
  const bookyearId = bookyear.bookyearKey.id;
  if (bookyear.closed) {
    throw bookingError('period-closed', K.periodClosed, `Bookyear ${bookyearLabel(bookyear)} is closed`, [String(period.bookyearPeriod), journalKey]);
  }

  // Journal (read again once when missing: it may have been synchronised since).
  const journalOf = async (fresh: boolean) => (await refs.journals(bookyearId, fresh)).find((j) => j.journalKey === journalKey);
  let journal = (await journalOf(false)) ?? (await journalOf(true));
  if (!journal) {
    throw bookingError('unknown-journal', K.unknownJournal, `Journal ${journalKey} is not known to the webservice (run File > Synchronise in Octopus)`, [journalKey]);
  }
  const checkJournal = (j: OctopusJournal) => {
    if (j.closed) throw bookingError('period-closed', K.journalClosed, `Journal ${journalKey} is closed`, [journalKey]);
    const lock = Math.max(j.closedPeriod ?? 0, j.protectedPeriod ?? 0);
    if (lock > 0 && period.bookyearPeriod <= lock) {
      throw bookingError('period-closed', K.periodClosed, `Period ${period.bookyearPeriod} is closed or protected in journal ${journalKey}`, [String(period.bookyearPeriod), journalKey]);
    }
  };
  checkJournal(journal);

  // Lines, VAT codes, accounts.
  const vatCodes = await refs.vatCodes();
  let accounts = await refs.accounts(bookyearId);
  let lines = bookingLinesFor(invoice, dossier, vatCodes, accounts);
  const missing = () => lines.lines.map((l) => l.accountKey).filter((a) => !accounts.has(a));
  // An account we do not know may be new in Octopus: asked through the accounts feed, or the whole list once a day
  // (a spent budget waits for the next day).
  if (missing().length > 0 && (await refs.updateAccounts(bookyearId, 'throw'))) {
    accounts = await refs.accounts(bookyearId);
    lines = bookingLinesFor(invoice, dossier, vatCodes, accounts);
  }
  const still = [...new Set(missing())];
  if (still.length > 0) throw bookingError('unknown-account', K.unknownAccount, `Account ${still.join(', ')} does not exist in the dossier`, [still.join(', ')]);
  const attachments = options.attachments ?? attachmentsFor(invoice, options.sourceXml !== undefined ? { sourceXml: options.sourceXml } : {});

  let relation = await ensureRelation(client, refs, invoice);
  const bodyFor = (seq: number) =>
    bookingBody({
      invoice,
      dossier,
      bookyear,
      period,
      journalKey,
      documentSequenceNr: seq,
      relation,
      lines,
      ...(options.exchangeRate !== undefined ? { exchangeRate: options.exchangeRate } : {}),
    });
  const result = (seq: number, alreadyBooked: boolean): BookInvoiceResult => ({
    journal: journalKey,
    bookyear: bookyearId,
    bookyearLabel: bookyearLabel(bookyear),
    documentSequenceNr: seq,
    alreadyBooked,
    relationId: relation.relationId,
    externalRelationId: relation.externalRelationId,
    calls: client.requestCount - startCalls,
  });
  // A lost answer is settled with one read of the modified feed (48 a day), not single-booking reads (10 a day):
  // ours is the booking of this journal with our amount, date and comment, whatever number it got.
  const findOurs = async (since: Date, sent: BuySellBookingServiceData): Promise<OctopusBookingRead | undefined> => {
    const changed = await client.modifiedBookings(dossierId, { since, bookyearId, journalKey });
    return changed.find((b) => (b.bookyearKey?.id ?? bookyearId) === bookyearId && (b.journalKey ?? journalKey) === journalKey && sameBooking(b, sent));
  };
  const refreshJournal = async (): Promise<OctopusJournal> => {
    const j = await journalOf(true);
    if (!j) throw bookingError('unknown-journal', K.unknownJournal, `Journal ${journalKey} is no longer known to the webservice`, [journalKey]);
    checkJournal(j);
    return j;
  };

  // An earlier attempt may have landed: look for it in the feed before posting.
  if (options.outcomeUnknown) {
    const since = new Date((options.postedSince ?? clock.now()).getTime() - LOST_ANSWER_MARGIN_MS);
    const found = await findOurs(since, bodyFor((journal.lastBookedDocumentNr ?? 0) + 1));
    if (found) {
      await refs.noteBooked(bookyearId, journalKey, found.documentSequenceNr);
      return result(found.documentSequenceNr, true);
    }
  }

  const retried = { sequence: false, lost: false, relation: false };
  // Once a POST went out without a clear answer, any later failure in this call (a read while checking, a
  // second POST) leaves the outcome unknown: the next attempt must look before posting again.
  let maybeLanded = false;
  // The feed is read from well before our first POST (clocks differ; the feed's time zone is not documented,
  // and an earlier instant only widens the answer).
  const feedSince = new Date(clock.now().getTime() - LOST_ANSWER_MARGIN_MS);
  const unknownAfterPost = (error: unknown) =>
    maybeLanded && error instanceof OctopusError && error.retriable && !error.outcomeUnknown
      ? new OctopusError({ ...error, message: error.message, outcomeUnknown: true })
      : error;
  for (;;) {
    const seq = (journal.lastBookedDocumentNr ?? 0) + 1;
    const body = bodyFor(seq);
    try {
      maybeLanded ||= retried.lost || retried.sequence;
      await client.postBuySellBooking(dossierId, body, attachments);
      await refs.noteBooked(bookyearId, journalKey, seq);
      return result(seq, false);
    } catch (error) {
      if (!(error instanceof OctopusError)) throw error;

      // A lost answer or a taken number (a browser may resend a POST whose connection dropped) may mean ours landed.
      if (error.outcomeUnknown || error.kind === 'sequence') maybeLanded = true;
      try {
      if (error.kind === 'sequence' && !retried.sequence) {
        retried.sequence = true;
        journal = await refreshJournal();
        const last = journal.lastBookedDocumentNr ?? 0;
        // The number may have been taken by an earlier attempt of ours whose answer was lost.
        if (last >= seq) {
          const found = await findOurs(feedSince, body);
          if (found) {
            await refs.noteBooked(bookyearId, journalKey, found.documentSequenceNr);
            return result(found.documentSequenceNr, true);
          }
        }
        continue;
      }

      if (error.outcomeUnknown && !retried.lost) {
        retried.lost = true;
        let found: OctopusBookingRead | undefined;
        try {
          found = await findOurs(feedSince, body);
        } catch {
          throw error; // still unknown: the next attempt looks first (options.outcomeUnknown)
        }
        if (found) {
          await refs.noteBooked(bookyearId, journalKey, found.documentSequenceNr);
          return result(found.documentSequenceNr, false);
        }
        continue; // not there: post again (a number taken meanwhile answers "sequence", handled above)
      }

      if (error.kind === 'unknown-relation' && !retried.relation) {
        retried.relation = true;
        await refs.forgetRelation(relation.externalRelationId);
        relation = await ensureRelation(client, refs, invoice);
        continue;
      }

      // The dossier changed under our cached data: read again only the part the error names, once a day and
      // within the budget, so a few failing documents cannot spend the day's reads for every other booking.
      const stale: ReferencePart[] =
        error.kind === 'unknown-journal' ? ['journals'] :
        error.kind === 'unknown-account' ? ['accounts'] :
        error.kind === 'unknown-vat-code' ? ['vatcodes'] :
        error.kind === 'period-closed' ? ['bookyears', 'journals'] : [];
      for (const part of stale) {
        try {
          if (part === 'accounts') await refs.updateAccounts(bookyearId);
          else await refs.refreshStale(part, bookyearId);
        } catch {
          // The refresh failing changes nothing for this document: its own error is what the user must see.
        }
      }
      throw error;
      } catch (failure) {
        throw unknownAfterPost(failure);
      }
    }
  }
}
