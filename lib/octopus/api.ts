/**
 * Every detail of the Octopus REST webservice that the code relies on, in ONE place, each marked twice:
 *   {S1, S9, …} the sources of /work/shared/docs/octopus-api-evidence.md that confirm it, or {unconfirmed} when
 *     none does (S9 is the one live probe; S8, S11–S14 are client code; S15 transcribed the spec);
 *   [OFF] official manual · [N] several open-source clients agree · [1] one client · [INF] inference, the older
 *     reading of /work/shared/docs/octopus-webservice.md.
 * `npm run -s cli -- octopus:probe` settles some {unconfirmed} points against a real dossier (lib/octopus/probe.ts).
 * Nothing here has been checked against the official swagger (https://service.inaras.be/octopus-rest-api/swagger/).
 * When it is: diff the swagger against this file; the client, the booking code and the tests read from here.
 */
import { z } from 'zod';
import type { OctopusErrorKind, OctopusMessageKey } from './errors';
import { OCTOPUS_MESSAGE_KEYS as K } from './errors';

// -------------------------------------------------------------------------------------------------------------
// Hosts, paths, headers, parameters
// -------------------------------------------------------------------------------------------------------------

/** {S9, S11, S12} [N] go-octopus, deppy, Laravel, CPMCore. Versioning is only the /v1 segment (no version header). */
export const OCTOPUS_PRODUCTION_BASE_URL = 'https://service.inaras.be/octopus-rest-api/v1';

const seg = (v: number | string) => encodeURIComponent(String(v));

export const PATHS = {
  /** POST {user,password} → {token} {S1, S6, S9, S10–S14}; GET = whoami {unconfirmed} [1 Ruby MCP]. */
  authentication: () => '/authentication',
  /** GET list (header Token) {S15} [N]; POST ?dossierId=&localeId= → {Dossiertoken} {S2, S9, S11–S14}. */
  dossiers: () => '/dossiers',
  bookyears: (dossierId: number) => `/dossiers/${seg(dossierId)}/bookyears`, // {S6, S11, S13}
  journals: (dossierId: number, bookyearId: number) => `/dossiers/${seg(dossierId)}/bookyears/${seg(bookyearId)}/journals`, // {S6, S11, S13}
  accounts: (dossierId: number) => `/dossiers/${seg(dossierId)}/accounts`, // {S6, S11, S13} ?bookyearId=
  /** Accounts created or changed since a time {S15: exists, 48 a day}; parameters unconfirmed: taken as the bookings feed's. */
  accountsModified: (dossierId: number) => `/dossiers/${seg(dossierId)}/accounts/modified`,
  vatCodes: (dossierId: number) => `/dossiers/${seg(dossierId)}/vatcodes`, // {S6, S11, S13}
  relations: (dossierId: number) => `/dossiers/${seg(dossierId)}/relations`, // {S7, S11, S13} GET (filters) / PUT (upsert)
  buySellBookings: (dossierId: number) => `/dossiers/${seg(dossierId)}/buysellbookings`, // POST {S6, S10, S11} / GET {S11} [N]
  buySellBookingsModified: (dossierId: number) => `/dossiers/${seg(dossierId)}/buysellbookings/modified`, // {S9, S10, S13}
  /**
   * POST a CODA bank statement into the dossier's financial journal {unconfirmed} [1 Ruby MCP client; octopus-webservice.md
   * §6.7]: the body is the CODA text as one JSON string, `?publishPdfInDms=true|false`. Which journal it lands in (by the
   * statement's account, as Octopus's own CODA import does?) and what the answer holds are unknown; octopus:probe does not
   * try it, as it would write into the books.
   */
  coda: (dossierId: number) => `/dossiers/${seg(dossierId)}/coda`,
} as const;

export const HEADERS = {
  /** On POST /authentication {S1, S3, S9} [OFF requirements.htm, N]. go-octopus sends it on every call (harmless). */
  softwareHouseUuid: 'softwareHouseUuid',
  /** The auth token, on GET/POST /dossiers {S2, S9}. */
  token: 'Token',
  /** The dossier token, on every dossier-scoped call {S9: `Token` there gave 401, -79}; go-octopus writes `DossierToken` (headers are case-insensitive, S11). */
  dossierToken: 'dossierToken',
  /** {unconfirmed} [1 WetWijzer] Dutch/French error texts. */
  acceptLanguage: 'Accept-Language',
} as const;

export const QUERY = {
  dossierId: 'dossierId', // {S2, S9, S11–S14} POST /dossiers
  /** {S2, S9} `localeId=1`; fiscai documents 0–4; meaning {unconfirmed} (language?) [INF]. */
  localeId: 'localeId',
  /** accounts {S6, S11, S13}, /modified {S10}; Ruby uses `bookyearKeyId` (HTTP 400 "on some dossiers"). */
  bookyearId: 'bookyearId',
  journalKey: 'journalKey', // {S10} on /modified; on the single-booking GET {unconfirmed} [1 go-octopus]
  /** {unconfirmed} [N? go-octopus + CPMCore invoice endpoints]; Ruby uses `documentSequenceNr`. Check swagger. */
  documentSeqNr: 'documentSeqNr',
  /** {S10} "yyyy-MM-dd HH:mm:ss.SSS", the space sent as %20 (client.ts queryString); time zone {unconfirmed}. */
  modifiedTimeStamp: 'modifiedTimeStamp',
  /** {unconfirmed} [1 Ruby MCP] on POST /coda: also file the statement's PDF in the dossier's DMS. */
  publishPdfInDms: 'publishPdfInDms',
  /**
   * Relation filters: an external-id filter exists {S15}, but the name `extRelationId` has one source {S11 only:
   * unconfirmed}, nor do the others: a server may ignore them, so lookups check what comes back (client.ts).
   */
  extRelationId: 'extRelationId',
  relationId: 'relationId',
  name: 'name',
  vatNr: 'vatNr',
} as const;

export const FIELDS = {
  /** POST /authentication body {S1, S9, S10–S14}: `user`, not `username`. */
  user: 'user',
  password: 'password',
  /** POST /authentication answer {S1, S9}. */
  authToken: 'token',
  /** POST /dossiers answer: capital D, lowercase t {S2, S9, S11–S14}. */
  dossierToken: 'Dossiertoken',
  /** POST /buysellbookings wrapper {S6, S10}; `attachments` sits beside it {S6, S10}. */
  bookingWrapper: 'buySellBookingServiceData',
  attachments: 'attachments',
} as const;

/** Default localeId we send {S2, S9}. */
export const DEFAULT_LOCALE_ID = 1;

/** Auth and dossier tokens are valid 10 min {S1, S2, S9}; no validUntil field [N]. */
export const TOKEN_VALIDITY_MS = 10 * 60_000;
/** Clients renew after 9 min or 590 s [N] (our margin, no source needed). */
export const TOKEN_RENEW_AFTER_MS = 9 * 60_000;

/** "yyyy-MM-dd HH:mm:ss.SSS" {S10}. Full initial sync: 2000-01-01 00:00:00.000 {unconfirmed} [N]. */
export const MODIFIED_TIMESTAMP_EPOCH = '2000-01-01 00:00:00.000';
/** `bookyearId=-1` means every bookyear on the /modified endpoints {S10}. */
export const ALL_BOOKYEARS = -1;

/**
 * Format a modifiedTimeStamp. The time zone is {unconfirmed}; deppy sends UTC [1]. We send UTC and callers
 * keep a safety overlap (Brussels is UTC+1/+2, so an overlap of 2 h covers either reading) [INF].
 */
export function formatModifiedTimeStamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

// -------------------------------------------------------------------------------------------------------------
// Status codes and error codes
// -------------------------------------------------------------------------------------------------------------

/** Statuses {unconfirmed} unless marked [N, wording from the Ruby MCP client and CPMCore]. */
export const HTTP_STATUS = {
  ok: 200,
  /** POST booking: 200 or 201, body empty or [] {S11}; PUT relation: 201 = created, with a body {unconfirmed}. */
  created: 201,
  /** PUT relation: updated, no body {unconfirmed}. */
  updated: 204,
  /** Invalid or missing parameters {S14}. */
  badRequest: 400,
  /** Token expired or invalid: re-authenticate and reconnect {S9}. */
  unauthorized: 401,
  /** "Journal is closed or in use by another user", or no right to book {unconfirmed}: see JOURNAL_OPEN_TEXT. */
  forbidden: 403,
  /** Not found (GET relations with no match {unconfirmed} [N]) or nothing modified ("No modified bookings found" {S9}). */
  notFound: 404,
  /** {unconfirmed} How an exhausted daily quota is answered is not documented; 429 is our best guess. */
  quota: 429,
  /** "Invalid data format (check dates, amounts, codes)" {unconfirmed} [N]. */
  serverError: 500,
} as const;

/**
 * The error body on non-2xx: {errorCode, errorMessage, technicalInfo} {S9, S11, S13}; technicalInfo is the useful
 * text for two clients used live (S11, S12), so it is kept beside errorMessage (OctopusError.detail).
 * WetWijzer also probes `description` and `octopusErrorCode` (unconfirmed); read as fallbacks.
 */
export const errorBodySchema = z.looseObject({
  errorCode: z.number().int().nullish(),
  errorMessage: z.string().nullish(),
  technicalInfo: z.string().nullish(),
  description: z.string().nullish(), // {unconfirmed} [1 WetWijzer]
  octopusErrorCode: z.number().int().nullish(), // {unconfirmed} [1 WetWijzer]
});
export type OctopusErrorBody = z.infer<typeof errorBodySchema>;

export interface ErrorCodeInfo {
  name: string;
  kind: OctopusErrorKind;
  key: OctopusMessageKey;
  retriable: boolean;
}

/**
 * The codes come from the legacy SOAP service's ReturnCodes.php (BertMaurau/inaras-php-wrapper). That REST reuses
 * them is {unconfirmed} except for -79 {S9} (the table itself is S8) and must be verified against swagger.
 * Kind/retriable are our reading.
 */
export const ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = {
  [-1]: { name: 'ERR_CODE_INVALID_LOGIN', kind: 'login', key: K.login, retriable: false },
  [-2]: { name: 'ERR_NOT_AUTHENTICATED', kind: 'login', key: K.notAuthenticated, retriable: false },
  /** Also our simulator's choice for "webservice module not active" at login (the real code was not found). */
  [-3]: { name: 'ERR_NO_ACCESS_TO_DOSSIER', kind: 'access', key: K.noDossierAccess, retriable: false },
  [-5]: { name: 'ERR_DOSSIER_DISABLED', kind: 'access', key: K.dossierDisabled, retriable: false },
  [-7]: { name: 'ERR_INSERT_UPDATE_RELATION', kind: 'invalid', key: K.relationRejected, retriable: false },
  [-9]: { name: 'ERR_UNKNOWN_BOOKYEAR', kind: 'period-closed', key: K.unknownBookyear, retriable: false },
  /** Journals created recently are invisible until File > Synchronise [Teamleader article]. */
  [-10]: { name: 'ERR_UNKNOWN_JOURNAL', kind: 'unknown-journal', key: K.unknownJournal, retriable: false },
  [-11]: { name: 'ERR_JOURNAL_CLOSED', kind: 'period-closed', key: K.journalClosed, retriable: false },
  /** The journal is open/locked by a user in the Octopus application [INF]; it clears when they close it (retried JOURNAL_OPEN_RETRY times). */
  [-12]: { name: 'ERR_JOURNAL_OPEN', kind: 'journal-open', key: K.journalOpen, retriable: true },
  /** documentSequenceNr is not lastBookedDocumentNr + 1 (CSVToO comments). Re-read the journal. */
  [-13]: { name: 'ERR_ILLEGAL_DOCUMENT_SEQUENCE_NR', kind: 'sequence', key: K.sequence, retriable: true },
  [-14]: { name: 'ERR_UNKNOWN_BOOKYEAR_PERIOD_NR', kind: 'period-closed', key: K.unknownPeriod, retriable: false },
  [-15]: { name: 'ERR_BOOKYEAR_PERIOD_NR_PROTECTED', kind: 'period-closed', key: K.periodClosed, retriable: false },
  [-16]: { name: 'ERR_UNKNOWN_RELATION', kind: 'unknown-relation', key: K.unknownRelation, retriable: false },
  [-17]: { name: 'ERR_NO_DOCUMENT_DATE', kind: 'invalid', key: K.missingDate, retriable: false },
  [-18]: { name: 'ERR_NO_EXPIRY_DATE', kind: 'invalid', key: K.missingDate, retriable: false },
  [-19]: { name: 'ERR_UNKNOWN_CURRENCY', kind: 'invalid', key: K.currency, retriable: false },
  [-20]: { name: 'ERR_ILLEGAL_EXCHANGE_RATE', kind: 'invalid', key: K.currency, retriable: false },
  [-21]: { name: 'ERR_UNKNOWN_ACCOUNT', kind: 'unknown-account', key: K.unknownAccount, retriable: false },
  [-22]: { name: 'ERR_UNKNOWN_VATCODE', kind: 'unknown-vat-code', key: K.unknownVatCode, retriable: false },
  [-23]: { name: 'ERR_BOOKING_LINE_BASE_VAT_OTHER_SIGN', kind: 'invalid', key: K.amounts, retriable: false },
  /** A data problem in the cases we know of (the same data fails again) [INF]. */
  [-24]: { name: 'ERR_INSERT_BOOKING', kind: 'invalid', key: K.amounts, retriable: false },
  /** "Journal V1 has the wrong type… is 'Invoices'": an invoice-module journal [INF]. */
  [-29]: { name: 'ERR_JOURNAL_WRONG_MODE', kind: 'unknown-journal', key: K.journalWrongMode, retriable: false },
  [-30]: { name: 'ERR_INVALID_PERCENTAGE_VAT_RECUP', kind: 'invalid', key: K.invalid, retriable: false },
  [-38]: { name: 'ERR_INVALID_JOURNAL', kind: 'unknown-journal', key: K.journalWrongMode, retriable: false },
  /** Also our quota guess (with HTTP 429) [INF]. */
  [-51]: { name: 'ERR_TO_MANY_CONNECTIONS', kind: 'quota', key: K.quota, retriable: true },
  [-68]: { name: 'ERR_INVALID_SOFTWARE_HOUSE_IDENTIFICATION', kind: 'login', key: K.softwareHouse, retriable: false },
  [-75]: { name: 'ERR_VATCODE_WRONG_TYPE', kind: 'unknown-vat-code', key: K.unknownVatCode, retriable: false },
  [-78]: { name: 'ERR_MISSING_CODA_VERSION_INFO', kind: 'invalid', key: K.invalid, retriable: false },
  [-79]: { name: 'ERR_INVALID_PARAMETER', kind: 'invalid', key: K.invalid, retriable: false },
};

export const ERROR_CODE = {
  INVALID_LOGIN: -1,
  NOT_AUTHENTICATED: -2,
  NO_ACCESS_TO_DOSSIER: -3,
  JOURNAL_OPEN: -12,
  ILLEGAL_DOCUMENT_SEQUENCE_NR: -13,
  UNKNOWN_RELATION: -16,
  TOO_MANY_CONNECTIONS: -51,
  INVALID_SOFTWARE_HOUSE: -68,
} as const;

/**
 * {unconfirmed} A 403 whose text says a journal is open or in use (en/nl/fr). Any other 403 is a permission refusal.
 * The code -12 ERR_JOURNAL_OPEN is from the SOAP table (S8); whether REST sends it is unconfirmed.
 */
export const JOURNAL_OPEN_TEXT = /journal_open|\b(?:journal|dagboek)\b[^.]*\b(?:open|opened|in use|in gebruik|geopend|ouvert|utilis[ée])\b/i;

/** How often a booking refused because a journal is open is tried again by itself before it waits for the user. */
export const JOURNAL_OPEN_RETRY = { attempts: 4, everyMs: 45 * 60_000 } as const;

/** {unconfirmed} Texts that mean "quota exhausted" whatever the status (no source recorded the real answer). */
export const QUOTA_TEXT = /quota|limit (?:reached|exceeded)|too many (?:requests|calls)/i;

// -------------------------------------------------------------------------------------------------------------
// VAT code classification
// -------------------------------------------------------------------------------------------------------------

/**
 * The VatCodeServiceData `type` enumeration is NOT documented: 1 = purchases, 2 = sales is a guess with one
 * low-trust source (WetWijzer, evidence warning 6: unconfirmed). The naming convention has better support: purchase
 * codes start with "D" ("D21" booked in a purchase journal, "21" in a sales journal: S10 LIVE). Neither is trusted
 * alone: where the two readings disagree for a code, the dossier's settings ask the user once which reading is
 * right (`Dossier.vatSideReading`), and until then that code is not chosen automatically.
 */
export const VAT_CODE_TYPE = { purchases: 1, sales: 2 } as const;

export type VatSide = 'sales' | 'purchases';
/** Which reading of a code's side the user confirmed for a dossier: its `type` value, or its D prefix. */
export type VatSideReading = 'type' | 'prefix';
type VatCodeLike = { code: string; type?: number | null | undefined };

/** The side the `type` value names, if it is one of the two values we know of. */
export function vatCodeSideByType(vatCode: VatCodeLike): VatSide | undefined {
  if (vatCode.type === VAT_CODE_TYPE.sales) return 'sales';
  if (vatCode.type === VAT_CODE_TYPE.purchases) return 'purchases';
  return undefined;
}

/** The side the code's name says: "D…" purchases, anything else sales. */
export function vatCodeSideByPrefix(vatCode: VatCodeLike): VatSide {
  return /^D/i.test(vatCode.code) ? 'purchases' : 'sales';
}

/** `type` and the D prefix name different sides for this code. */
export function vatSideInConflict(vatCode: VatCodeLike): boolean {
  const byType = vatCodeSideByType(vatCode);
  return byType !== undefined && byType !== vatCodeSideByPrefix(vatCode);
}

/**
 * The code's side: where `type` and the prefix agree (or `type` says nothing), that side; where they disagree,
 * the reading the user chose for the dossier, and undefined while there is none (the code is then not used).
 */
export function vatCodeSide(vatCode: VatCodeLike, reading?: VatSideReading): VatSide | undefined {
  if (!vatSideInConflict(vatCode)) return vatCodeSideByType(vatCode) ?? vatCodeSideByPrefix(vatCode);
  if (reading === 'type') return vatCodeSideByType(vatCode);
  if (reading === 'prefix') return vatCodeSideByPrefix(vatCode);
  return undefined;
}

/** Journal type by key letter: V = sales, A = purchases {S10: V and A journals}, F = financial, D = miscellaneous, L = ? {unconfirmed}. */
export function journalSide(journalKey: string): 'sales' | 'purchases' | undefined {
  if (/^V/i.test(journalKey)) return 'sales';
  if (/^A/i.test(journalKey)) return 'purchases';
  return undefined;
}

/** {unconfirmed} insertionType probably tells a bookings journal (0?) from an invoice-module journal. Not used to refuse. */
export const JOURNAL_INSERTION_TYPE_BOOKINGS = 0;

/** paymentMethod on a booking {unconfirmed} [1 CPMCore, probably from swagger]. */
export const PAYMENT_METHOD = { unknown: 0, bankTransfer: 1, cash: 2, creditCard: 3, directDebit: 4, forApproval: 11, blocked: 12 } as const;

/**
 * Relation vatType {unconfirmed: a comment in S11}: 0 unknown, 1 Belgian VAT-liable, 4 intra-EU VAT-liable, 6 VAT-liable
 * outside the EU, 7 private BE, 8 private EU, 9 private non-EU, 10 not VAT-liable.
 */
export const RELATION_VAT_TYPE = {
  unknown: 0,
  belgian: 1,
  intraEu: 4,
  nonEu: 6,
  privateBe: 7,
  privateEu: 8,
  privateNonEu: 9,
  notLiable: 10,
} as const;

// -------------------------------------------------------------------------------------------------------------
// Response schemas (loose: unknown fields are kept, nulls accepted where Java may send them)
// -------------------------------------------------------------------------------------------------------------

/**
 * Bookyear and period dates "are parsed as dates or date-times" {S11} [N]. We keep the calendar date as written
 * (first 10 characters); epoch milliseconds are read in UTC [INF].
 */
export const dateLike = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') return new Date(v).toISOString().slice(0, 10);
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `date expected, got "${v}"` });
    return z.NEVER;
  }
  return m[1]!;
});

const idKey = z.looseObject({ id: z.number().int() });

export const authenticationResponseSchema = z.looseObject({ token: z.string().min(1) });

export const dossierSchema = z.looseObject({
  dossierKey: idKey,
  dossierDescription: z.string().nullish(),
  vatNr: z.string().nullish(),
  streetAndNr: z.string().nullish(),
  postalCode: z.string().nullish(),
  city: z.string().nullish(),
  country: z.string().nullish(),
  email: z.string().nullish(),
  languageCode: z.string().nullish(),
});
export type OctopusDossier = z.infer<typeof dossierSchema>;

export const dossierTokenResponseSchema = z.looseObject({ [FIELDS.dossierToken]: z.string().min(1) });

export const periodSchema = z.looseObject({
  bookyearPeriod: z.number().int(), // YYYYPP: 202601 (months) or 201601..201604 (quarters) {S10, S12}
  startDate: dateLike,
  endDate: dateLike,
});
export type OctopusPeriod = z.infer<typeof periodSchema>;

export const bookyearSchema = z.looseObject({
  bookyearKey: idKey, // small integers 1, 2, … {unconfirmed} [N]
  bookyearDescription: z.string().nullish(),
  startDate: dateLike,
  endDate: dateLike,
  closed: z.boolean().nullish(),
  periods: z.array(periodSchema).default([]),
});
export type OctopusBookyear = z.infer<typeof bookyearSchema>;

export const journalSchema = z.looseObject({
  bookyearKey: idKey.nullish(),
  journalKey: z.string(),
  name: z.string().nullish(),
  closed: z.boolean().nullish(),
  currencyCode: z.string().nullish(),
  lastBookedDocumentNr: z.number().int().nullish(), // {S6, S7, S11}
  /** Names {S6, S11}; the unit (YYYYPP, as we compare, or an index) is {unconfirmed}: octopus:probe reads it. */
  protectedPeriod: z.number().int().nullish(),
  closedPeriod: z.number().int().nullish(),
  insertionType: z.number().int().nullish(),
});
export type OctopusJournal = z.infer<typeof journalSchema>;

export const accountSchema = z.looseObject({
  accountKey: z.looseObject({ id: z.number().int(), bookyearKey: idKey.nullish() }), // 6-digit MAR number {S6, S11}
  description: z
    .looseObject({ description_NL: z.string().nullish(), description_FR: z.string().nullish(), description_EN: z.string().nullish() })
    .nullish(),
  vatRecupPercentage: z.number().nullish(),
});
export type OctopusAccount = z.infer<typeof accountSchema>;

export const vatCodeSchema = z.looseObject({
  code: z.string(), // dossier-specific: "21", "D21", … {S6, S10}; never hard-code
  description: z.string().nullish(),
  type: z.number().int().nullish(), // name {S6, S11}; enumeration {unconfirmed}: see VAT_CODE_TYPE
  basePercentage: z.number(),
  defaultSellBookingAccountNr: z.number().int().nullish(),
});
export type OctopusVatCode = z.infer<typeof vatCodeSchema>;

export const relationIdentificationSchema = z.looseObject({
  relationKey: idKey.nullish(),
  /** An int {S7, S11, S13}; we store the source app's id or a stable hash (see booking.ts). */
  externalRelationId: z.number().int().nullish(),
});

export const relationSchema = z.looseObject({
  relationIdentificationServiceData: relationIdentificationSchema,
  name: z.string().nullish(),
  firstName: z.string().nullish(),
  client: z.boolean().nullish(),
  supplier: z.boolean().nullish(),
  streetAndNr: z.string().nullish(),
  postalCode: z.string().nullish(),
  city: z.string().nullish(),
  country: z.string().nullish(),
  vatNr: z.string().nullish(),
  vatType: z.number().int().nullish(),
  email: z.string().nullish(),
});
export type OctopusRelation = z.infer<typeof relationSchema>;

export const bookingLineReadSchema = z.looseObject({
  accountKey: z.number().int().nullish(),
  baseAmount: z.number().nullish(),
  vatCodeKey: z.string().nullish(),
  vatAmount: z.number().nullish(),
  comment: z.string().nullish(),
});

/** GET buysellbookings: an array of BuySellBookingServiceData, the POST shape without the wrapper {S11}. */
export const bookingReadSchema = z.looseObject({
  bookyearKey: idKey.nullish(),
  journalKey: z.string().nullish(),
  documentSequenceNr: z.number().int(),
  relationIdentificationServiceData: relationIdentificationSchema.nullish(),
  bookyearPeriodeNr: z.number().int().nullish(),
  documentDate: dateLike.nullish(),
  expiryDate: dateLike.nullish(),
  comment: z.string().nullish(),
  reference: z.string().nullish(),
  amount: z.number().nullish(),
  currencyCode: z.string().nullish(),
  bookingLines: z.array(bookingLineReadSchema).nullish(),
});
export type OctopusBookingRead = z.infer<typeof bookingReadSchema>;

// -------------------------------------------------------------------------------------------------------------
// Request bodies
// -------------------------------------------------------------------------------------------------------------

/** RelationServiceData for PUT /relations (unwrapped) {S7, S11, S13}. Only the fields we set; Octopus fills the rest. */
export interface RelationServiceData {
  relationIdentificationServiceData: {
    /** Absent or {id:0} for a new relation {unconfirmed} [N]. */
    relationKey?: { id: number };
    externalRelationId: number;
  };
  name: string;
  firstName?: string;
  /** At least one of client/supplier must be true (CSVToO comment). */
  client: boolean;
  supplier: boolean;
  active?: boolean;
  streetAndNr?: string;
  postalCode?: string;
  city?: string;
  /** ISO 3166 alpha-2 {S10}. */
  country?: string;
  /** "BE0123456789" form; Octopus's normalisation is {unconfirmed}. */
  vatNr?: string;
  vatType?: number;
  currencyCode?: string;
  email?: string;
  telephone?: string;
  ibanAccountNr?: string;
  bicCode?: string;
  [field: string]: unknown;
}

export interface BookingLine {
  /** 6-digit GL account number, an int {S6}. */
  accountKey: number;
  baseAmount: number;
  vatCodeKey: string;
  vatAmount: number;
  comment?: string;
  vatRecupPercentage?: number;
}

/** The body inside `buySellBookingServiceData`: field names and types {S6, S10}. */
export interface BuySellBookingServiceData {
  bookyearKey: { id: number };
  /** A* purchases, V* sales {S10}. */
  journalKey: string;
  /** Client-assigned: lastBookedDocumentNr + 1 {S7}. Whether 0 auto-numbers is {unconfirmed}. */
  documentSequenceNr: number;
  /** Sending both the key and the external id is safest {unconfirmed} [N]. */
  relationIdentificationServiceData: { relationKey?: { id: number }; externalRelationId?: number };
  /** Note the spelling "Periode" {S6, S10}; from bookyears.periods, never computed {S10, S12}. */
  bookyearPeriodeNr: number;
  documentDate: string; // YYYY-MM-DD {S10, S11}
  expiryDate: string;
  comment: string;
  /** Supplier invoice number or structured communication {unconfirmed} [N]. */
  reference: string;
  orderReference?: string;
  /** Total incl. VAT = sum(base + vat) {S6, S10}; NEGATIVE for a credit note with positive lines {S5}. */
  amount: number;
  currencyCode: string;
  exchangeRate: number; // 1.0 for EUR {S10}
  paymentMethod?: number;
  bookingLines: BookingLine[];
}

/** Beside the wrapper {S6, S10}. Size/count limits and PDF+XML together: {unconfirmed}. */
export interface OctopusAttachment {
  fileName: string;
  /** base64 */
  fileData: string;
}
