/**
 * A local simulator of the Octopus REST webservice (`/octopus-rest-api/v1`), built from
 * /work/shared/docs/octopus-webservice.md. `node:http` only.
 *
 * It is deliberately written independently of lib/octopus/api.ts (its own literals), so a misreading in the
 * client is not mirrored here. Where the doc is silent the simulator makes a choice; each is marked
 * `SIM CHOICE` with the doc's confidence ([OFF] official, [N] several clients, [1] one client, [INF] inference).
 *
 *   npx tsx tests/sandbox/octopus-sim.ts --port 5620     # prints its URL; Ctrl+C stops
 *
 * Control API (JSON) beside the webservice, for a browser test in another process or the demo:
 *   GET  /__sim/state                      snapshot (dossiers, journals, relations, bookings, faults, quotas)
 *   GET  /__sim/bookings[?dossierId=]      bookings (attachments as file name + size)
 *   GET  /__sim/requests                   the request log
 *   POST /__sim/reset                      back to the seed; clears log, faults, tokens, quota usage
 *   POST /__sim/faults                     {kind:'status'|'delay'|'drop', status?, delayMs?, count?, path?, method?, phase?}
 *   POST /__sim/faults/clear
 *   POST /__sim/journal-open               {dossierId, journalKey, open, bookyearId?}
 *   POST /__sim/journal-synced             {dossierId, journalKey, synced, bookyearId?}
 *   POST /__sim/close-period               {dossierId, period, bookyearId?, journalKey?, mode?:'closed'|'protected'}
 *   POST /__sim/quota                      {route, limit|null} or {quotas:{route:limit}}; {resetUsage:true}
 *   POST /__sim/expire-tokens
 *   POST /__sim/ignore-filters             {on}: GET relations ignores its query filters and returns every relation
 *   POST /__sim/insert-booking             {dossierId, journalKey, bookyearId?, amount?, documentDate?, comment?}
 *   GET  /__sim/coda[?dossierId=]          the CODA statements imported (see ./octopus-sim-coda.ts)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';
import { importCoda, type SimCodaStatement } from './octopus-sim-coda';

export const SIM_BASE_PATH = '/octopus-rest-api/v1';
export const SIM_CONTROL_PATH = '/__sim';

// ---------------------------------------------------------------------------------------------------------------
// Seed
// ---------------------------------------------------------------------------------------------------------------

export interface SimUserSeed {
  user: string;
  password: string;
  /** False: the user's webservice module is not active (doc §2: B… logins need it activated). */
  webservice: boolean;
  /** Dossiers the user may open; 'all' for a main user. Sub-users (Sub@U…) are restricted. */
  dossierIds: readonly number[] | 'all';
}

export interface SimBookyearSeed {
  id: number;
  description: string;
  /** Calendar year; the bookyear runs 1 Jan – 31 Dec. */
  year: number;
  closed?: boolean;
  /** 12 monthly periods (default) or 4 quarters: clients must read the periods, not compute them. */
  periodsPerYear?: 12 | 4;
}

export interface SimJournalSeed {
  key: string;
  name: string;
  /** SIM CHOICE [INF]: 0 = bookings journal, 1 = invoice-module journal (cannot take bookings, ERR_JOURNAL_WRONG_MODE). */
  insertionType?: number;
  /** False: created in Octopus but not yet synchronised (File > Synchronise): invisible to the API. */
  synced?: boolean;
  /** Last booked number per bookyear id. */
  lastBookedDocumentNr?: Readonly<Record<number, number>>;
}

export interface SimAccountSeed {
  nr: number;
  nl: string;
  fr: string;
  en: string;
  /** When it was created or changed (ISO; seeded accounts: never, older than any feed). */
  modifiedAt?: string;
}

export interface SimVatCodeSeed {
  code: string;
  description: string;
  /** SIM CHOICE [INF]: 1 = purchase code, 2 = sales code (WetWijzer's guess "2 = sales", unverified). */
  type: number;
  basePercentage: number;
  defaultSellBookingAccountNr?: number;
}

export interface SimDossierSeed {
  id: number;
  description: string;
  vatNr: string;
  enterpriseNumber: string;
  streetAndNr: string;
  postalCode: string;
  city: string;
  country: string;
  email: string;
  languageCode: string;
  /** ERR_DOSSIER_DISABLED (-5) on connect. */
  disabled?: boolean;
  bookyears: readonly SimBookyearSeed[];
  journals: readonly SimJournalSeed[];
  accounts: readonly SimAccountSeed[];
  vatCodes: readonly SimVatCodeSeed[];
  relations: readonly SimRelation[];
}

export interface SimSeed {
  softwareHouseUuid: string;
  users: readonly SimUserSeed[];
  dossiers: readonly SimDossierSeed[];
  /** Daily quotas per route, per dossier and Brussels day; a route without an entry is unlimited. */
  quotas: Readonly<Partial<Record<SimQuotaKey, number>>>;
}

/** The relation as the API returns it (RelationServiceData, doc §6.5), kept loose. */
export interface SimRelation {
  relationIdentificationServiceData: { relationKey: { id: number }; externalRelationId?: number | null };
  name: string;
  client: boolean;
  supplier: boolean;
  [field: string]: unknown;
}

const ACCOUNTS: readonly SimAccountSeed[] = [
  { nr: 400000, nl: 'Handelsdebiteuren', fr: 'Clients', en: 'Trade debtors' },
  { nr: 440000, nl: 'Leveranciers', fr: 'Fournisseurs', en: 'Suppliers' },
  { nr: 604000, nl: 'Aankopen van handelsgoederen', fr: 'Achats de marchandises', en: 'Purchases of goods' },
  { nr: 700000, nl: 'Omzet', fr: "Chiffre d'affaires", en: 'Turnover' },
  { nr: 701000, nl: 'Omzet diensten', fr: 'Prestations de services', en: 'Services turnover' },
  { nr: 702000, nl: 'Omzet buitenland', fr: "Chiffre d'affaires étranger", en: 'Foreign turnover' },
];

const SALES = 2;
const PURCHASE = 1;

const VAT_CODES: readonly SimVatCodeSeed[] = [
  { code: '21', description: 'Btw 21% / TVA 21%', type: SALES, basePercentage: 21, defaultSellBookingAccountNr: 700000 },
  { code: '12', description: 'Btw 12% / TVA 12%', type: SALES, basePercentage: 12, defaultSellBookingAccountNr: 700000 },
  { code: '06', description: 'Btw 6% / TVA 6%', type: SALES, basePercentage: 6, defaultSellBookingAccountNr: 700000 },
  { code: '00', description: 'Btw 0% / TVA 0%', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 700000 },
  { code: 'ICL', description: 'Intracommunautaire levering / Livraison intracommunautaire', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 702000 },
  { code: 'EXP', description: 'Uitvoer buiten EU / Exportation hors UE', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 702000 },
  { code: 'VRY', description: 'Vrijgesteld / Exonéré', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 700000 },
  { code: 'MC', description: 'Medecontractant (btw verlegd) / Cocontractant (autoliquidation)', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 700000 },
  { code: 'NO', description: 'Niet onderworpen / Hors champ', type: SALES, basePercentage: 0, defaultSellBookingAccountNr: 700000 },
  { code: 'D21', description: 'Aankopen btw 21% / Achats TVA 21%', type: PURCHASE, basePercentage: 21 },
  { code: 'D12', description: 'Aankopen btw 12% / Achats TVA 12%', type: PURCHASE, basePercentage: 12 },
  { code: 'D06', description: 'Aankopen btw 6% / Achats TVA 6%', type: PURCHASE, basePercentage: 6 },
  { code: 'D00', description: 'Aankopen btw 0% / Achats TVA 0%', type: PURCHASE, basePercentage: 0 },
  { code: 'DIC', description: 'Intracommunautaire verwerving / Acquisition intracommunautaire', type: PURCHASE, basePercentage: 21 },
  { code: 'DMC', description: 'Medecontractant aankopen (verlegd) / Cocontractant achats (autoliquidation)', type: PURCHASE, basePercentage: 21 },
  { code: 'DIM', description: 'Invoer buiten EU / Importation hors UE', type: PURCHASE, basePercentage: 21 },
  { code: 'DVR', description: 'Vrijgestelde aankopen / Achats exonérés', type: PURCHASE, basePercentage: 0 },
];

const BOOKYEARS: readonly SimBookyearSeed[] = [
  { id: 1, description: '2025', year: 2025 },
  { id: 2, description: '2026', year: 2026 },
];

function journalsSeed(last: { V1: [number, number]; V2: [number, number]; A1: [number, number]; F1: [number, number] }): SimJournalSeed[] {
  return [
    { key: 'V1', name: 'Verkopen', insertionType: 0, lastBookedDocumentNr: { 1: last.V1[0], 2: last.V1[1] } },
    { key: 'V2', name: "Creditnota's verkoop", insertionType: 0, lastBookedDocumentNr: { 1: last.V2[0], 2: last.V2[1] } },
    { key: 'A1', name: 'Aankopen', insertionType: 0, lastBookedDocumentNr: { 1: last.A1[0], 2: last.A1[1] } },
    { key: 'F1', name: 'KBC zichtrekening', insertionType: 0, lastBookedDocumentNr: { 1: last.F1[0], 2: last.F1[1] } },
  ];
}

/**
 * The default seed. Tests and the demo use these constants; `startOctopusSimulator({seed})` takes a full
 * seed or a function that edits a fresh copy of this one.
 */
export const SIM_SEED: SimSeed = {
  softwareHouseUuid: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  users: [
    { user: 'demo@U15032003', password: 'demo-password', webservice: true, dossierIds: 'all' },
    // Sub-user of the same U account, restricted to dossier 1001 (doc §2: sub-users "can be restricted").
    { user: 'Maxime@U15032003', password: 'maxime-password', webservice: true, dossierIds: [1001] },
    // Accountancy-office (B…) login whose webservice module was never activated (doc §2).
    { user: 'boekhouder@B12345678', password: 'bookkeeper-password', webservice: false, dossierIds: 'all' },
  ],
  dossiers: [
    {
      id: 1001,
      description: 'Demo BV',
      vatNr: 'BE0477472701',
      enterpriseNumber: '0477472701',
      streetAndNr: 'Kerkstraat 1',
      postalCode: '9000',
      city: 'Gent',
      country: 'BE',
      email: 'boekhouding@demo-bv.example',
      languageCode: 'NL',
      bookyears: BOOKYEARS,
      journals: journalsSeed({ V1: [118, 41], V2: [6, 2], A1: [230, 17], F1: [52, 9] }),
      accounts: ACCOUNTS,
      vatCodes: VAT_CODES,
      relations: [
        {
          relationIdentificationServiceData: { relationKey: { id: 1 }, externalRelationId: 5001 },
          name: 'Bestaande Klant NV',
          firstName: '',
          client: true,
          supplier: false,
          active: true,
          streetAndNr: 'Meir 10',
          postalCode: '2000',
          city: 'Antwerpen',
          country: 'BE',
          vatNr: 'BE0123456749',
          vatType: 1,
          currencyCode: 'EUR',
          email: 'factuur@bestaande-klant.example',
        },
      ],
    },
    {
      id: 1002,
      description: 'Tweede Zaak NV',
      vatNr: 'BE0403170701',
      enterpriseNumber: '0403170701',
      streetAndNr: 'Rue de la Loi 16',
      postalCode: '1000',
      city: 'Bruxelles',
      country: 'BE',
      email: 'compta@tweede-zaak.example',
      languageCode: 'FR',
      bookyears: BOOKYEARS,
      journals: journalsSeed({ V1: [0, 0], V2: [0, 0], A1: [0, 0], F1: [0, 0] }),
      accounts: ACCOUNTS,
      vatCodes: VAT_CODES,
      relations: [],
    },
  ],
  // The evidence table's daily limits (a connector built from the official spec; the feed's 48 also CPMCore).
  quotas: {
    'dossiers.get': 150,
    'bookyears.get': 24,
    'journals.get': 24,
    'accounts.get': 2,
    'accounts.modified': 48,
    'vatcodes.get': 2,
    'relations.get': 2,
    'relations.search': 400,
    'buysellbookings.get': 10,
    'buysellbookings.modified': 48,
  },
};

/** No daily limits at all: for tests about something else that make more calls than a real day allows. */
export const SIM_NO_QUOTAS: Readonly<Partial<Record<SimQuotaKey, number>>> = {};

/** Shorthands for tests. */
export const SIM_DOSSIER_ID = 1001;
export const SIM_OTHER_DOSSIER_ID = 1002;
export const SIM_BOOKYEAR_2025 = 1;
export const SIM_BOOKYEAR_2026 = 2;
export const SIM_USERS = {
  demo: SIM_SEED.users[0]!,
  maxime: SIM_SEED.users[1]!,
  noWebservice: SIM_SEED.users[2]!,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------

export type SimRoute =
  | 'authentication.post'
  | 'authentication.get'
  | 'dossiers.get'
  | 'dossiers.connect'
  | 'bookyears.get'
  | 'journals.get'
  | 'accounts.get'
  | 'accounts.modified'
  | 'vatcodes.get'
  | 'relations.get'
  | 'relations.put'
  | 'buysellbookings.post'
  | 'buysellbookings.get'
  | 'buysellbookings.modified'
  | 'coda.post'
  | 'unknown';

/** What a quota counts: a route, except that a relation search and the whole relation list have their own. */
export type SimQuotaKey = SimRoute | 'relations.search';

export interface SimPeriod {
  bookyearPeriod: number;
  startDate: string;
  endDate: string;
}

export interface SimBookyear {
  bookyearKey: { id: number };
  bookyearDescription: string;
  startDate: string;
  endDate: string;
  closed: boolean;
  periods: SimPeriod[];
}

export interface SimJournal {
  bookyearId: number;
  journalKey: string;
  name: string;
  closed: boolean;
  currencyCode: string;
  lastBookedDocumentNr: number;
  /** Bookings in a period ≤ max(protectedPeriod, closedPeriod) are refused (0 = none). */
  protectedPeriod: number;
  closedPeriod: number;
  insertionType: number;
  /** Hidden state: a user has the journal open in the Octopus application (ERR_JOURNAL_OPEN). */
  openInOctopus: boolean;
  /** Hidden state: false until File > Synchronise; invisible to the API. */
  synced: boolean;
}

export interface SimVatCode {
  code: string;
  description: string;
  type: number;
  basePercentage: number;
  defaultSellBookingAccountNr: number;
}

export interface SimAttachmentRecord {
  fileName: string;
  /** Decoded size in bytes. */
  size: number;
  /** The base64 as received (in-process only; the control API leaves it out). */
  fileData: string;
}

export interface SimBooking {
  dossierId: number;
  bookyearId: number;
  journalKey: string;
  documentSequenceNr: number;
  bookyearPeriodeNr: number;
  documentDate: string;
  amount: number;
  comment: string;
  reference: string;
  relationId: number;
  externalRelationId: number | null;
  /** The buySellBookingServiceData as posted, with the relation resolved (what the GET returns). */
  data: Record<string, unknown>;
  attachments: SimAttachmentRecord[];
  createdAt: string;
  modifiedAt: string;
  /** 'webservice' = posted through the API; 'accountant' = inserted behind the client's back. */
  source: 'webservice' | 'accountant';
}

export interface SimDossier {
  id: number;
  description: string;
  vatNr: string;
  enterpriseNumber: string;
  streetAndNr: string;
  postalCode: string;
  city: string;
  country: string;
  email: string;
  languageCode: string;
  disabled: boolean;
  bookyears: SimBookyear[];
  journals: SimJournal[];
  accounts: SimAccountSeed[];
  vatCodes: SimVatCode[];
  relations: SimRelation[];
  bookings: SimBooking[];
  nextRelationId: number;
  /** CODA statements imported through POST /coda, in order. */
  codaStatements: SimCodaStatement[];
}

export interface SimRequestRecord {
  seq: number;
  method: string;
  path: string;
  query: string;
  route: SimRoute;
  dossierId?: number;
  time: string;
  /** 0 when the connection was dropped. */
  status: number;
  errorCode?: number;
  dropped?: boolean;
  fault?: SimFault['kind'];
}

export interface SimFaultInput {
  /** 'status': answer `status` (5xx) without handling; 'delay': wait `delayMs`; 'drop': destroy the socket. */
  kind: 'status' | 'delay' | 'drop';
  status?: number;
  /** Body for 'status': an object is sent as JSON, a string as text/html. Default: a proxy-style HTML page. */
  body?: unknown;
  delayMs?: number;
  /** How many matching requests it hits; null = every one until cleared. Default 1. */
  count?: number | null;
  /** RegExp source matched against the path below the base path (e.g. "buysellbookings$"). */
  path?: string;
  method?: string;
  /**
   * 'before' (default): the request is not handled. 'after': it is handled (a booking lands) and then the
   * answer is delayed or the connection dropped: the client's outcome is unknown.
   */
  phase?: 'before' | 'after';
  /** 0..1: the fault hits a matching request only with this chance (StartOptions.random draws). Default: always. */
  probability?: number;
}

export interface SimFault extends SimFaultInput {
  id: number;
  count: number | null;
  phase: 'before' | 'after';
}

interface Session {
  user: string;
  issuedAt: number;
}

interface DossierSession extends Session {
  dossierId: number;
}

export interface SimState {
  softwareHouseUuid: string;
  users: SimUserSeed[];
  dossiers: SimDossier[];
  quotas: Partial<Record<SimQuotaKey, number>>;
  /** "dossierId|quota key" → calls today (the Brussels day in `quotaDay`). */
  quotaUsage: Record<string, number>;
  quotaDay: string;
  authTokens: Map<string, Session>;
  dossierTokens: Map<string, DossierSession>;
  requests: SimRequestRecord[];
  faults: SimFault[];
  nextFaultId: number;
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function periodsOf(year: number, perYear: 12 | 4): SimPeriod[] {
  const months = 12 / perYear;
  const out: SimPeriod[] = [];
  for (let p = 0; p < perYear; p++) {
    const start = new Date(Date.UTC(year, p * months, 1));
    const end = new Date(Date.UTC(year, (p + 1) * months, 0));
    out.push({ bookyearPeriod: year * 100 + p + 1, startDate: iso(start), endDate: iso(end) });
  }
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function buildState(seed: SimSeed): SimState {
  const dossiers: SimDossier[] = seed.dossiers.map((d) => {
    const bookyears = d.bookyears.map<SimBookyear>((b) => ({
      bookyearKey: { id: b.id },
      bookyearDescription: b.description,
      startDate: `${b.year}-01-01`,
      endDate: `${b.year}-12-31`,
      closed: b.closed ?? false,
      periods: periodsOf(b.year, b.periodsPerYear ?? 12),
    }));
    const journals: SimJournal[] = [];
    for (const b of d.bookyears) {
      for (const j of d.journals) {
        journals.push({
          bookyearId: b.id,
          journalKey: j.key,
          name: j.name,
          closed: false,
          currencyCode: 'EUR',
          lastBookedDocumentNr: j.lastBookedDocumentNr?.[b.id] ?? 0,
          protectedPeriod: 0,
          closedPeriod: 0,
          insertionType: j.insertionType ?? 0,
          openInOctopus: false,
          synced: j.synced ?? true,
        });
      }
    }
    const relations = clone(d.relations) as SimRelation[];
    return {
      id: d.id,
      description: d.description,
      vatNr: d.vatNr,
      enterpriseNumber: d.enterpriseNumber,
      streetAndNr: d.streetAndNr,
      postalCode: d.postalCode,
      city: d.city,
      country: d.country,
      email: d.email,
      languageCode: d.languageCode,
      disabled: d.disabled ?? false,
      bookyears,
      journals,
      accounts: clone(d.accounts) as SimAccountSeed[],
      vatCodes: d.vatCodes.map((v) => ({ ...v, defaultSellBookingAccountNr: v.defaultSellBookingAccountNr ?? 0 })),
      relations,
      bookings: [],
      codaStatements: [],
      nextRelationId: Math.max(100, ...relations.map((r) => r.relationIdentificationServiceData.relationKey.id + 1)),
    };
  });
  return {
    softwareHouseUuid: seed.softwareHouseUuid,
    users: clone(seed.users) as SimUserSeed[],
    dossiers,
    quotas: { ...seed.quotas },
    quotaUsage: {},
    quotaDay: '',
    authTokens: new Map(),
    dossierTokens: new Map(),
    requests: [],
    faults: [],
    nextFaultId: 1,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors (doc §5). The body is {errorCode, errorMessage, technicalInfo} [N].
// ---------------------------------------------------------------------------------------------------------------

const ERROR_NAMES: Record<number, string> = {
  [-1]: 'ERR_CODE_INVALID_LOGIN',
  [-2]: 'ERR_NOT_AUTHENTICATED',
  [-3]: 'ERR_NO_ACCESS_TO_DOSSIER',
  [-5]: 'ERR_DOSSIER_DISABLED',
  [-7]: 'ERR_INSERT_UPDATE_RELATION',
  [-9]: 'ERR_UNKNOWN_BOOKYEAR',
  [-10]: 'ERR_UNKNOWN_JOURNAL',
  [-11]: 'ERR_JOURNAL_CLOSED',
  [-12]: 'ERR_JOURNAL_OPEN',
  [-13]: 'ERR_ILLEGAL_DOCUMENT_SEQUENCE_NR',
  [-14]: 'ERR_UNKNOWN_BOOKYEAR_PERIOD_NR',
  [-15]: 'ERR_BOOKYEAR_PERIOD_NR_PROTECTED',
  [-16]: 'ERR_UNKNOWN_RELATION',
  [-17]: 'ERR_NO_DOCUMENT_DATE',
  [-18]: 'ERR_NO_EXPIRY_DATE',
  [-19]: 'ERR_UNKNOWN_CURRENCY',
  [-20]: 'ERR_ILLEGAL_EXCHANGE_RATE',
  [-21]: 'ERR_UNKNOWN_ACCOUNT',
  [-22]: 'ERR_UNKNOWN_VATCODE',
  [-23]: 'ERR_BOOKING_LINE_BASE_VAT_OTHER_SIGN',
  [-24]: 'ERR_INSERT_BOOKING',
  [-29]: 'ERR_JOURNAL_WRONG_MODE',
  [-51]: 'ERR_TO_MANY_CONNECTIONS',
  [-68]: 'ERR_INVALID_SOFTWARE_HOUSE_IDENTIFICATION',
  [-75]: 'ERR_VATCODE_WRONG_TYPE',
  [-79]: 'ERR_INVALID_PARAMETER',
};

interface SimResponse {
  status: number;
  body?: unknown;
  contentType?: string;
  errorCode?: number;
}

function fail(status: number, errorCode: number, errorMessage: string): SimResponse {
  // SIM CHOICE [INF]: technicalInfo carries the error name; clients must not depend on it.
  return { status, errorCode, body: { errorCode, errorMessage, technicalInfo: ERROR_NAMES[errorCode] ?? '' } };
}

const ok = (body: unknown, status = 200): SimResponse => ({ status, body });

// ---------------------------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------------------------

export interface StartOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** A full seed, or a function that edits a fresh copy of SIM_SEED. */
  seed?: SimSeed | ((seed: SimSeed) => void);
  /** Auth and dossier token lifetime; 10 min [OFF authentication.htm, dossier_token.htm]. */
  tokenTtlMs?: number;
  now?: () => Date;
  /** SIM CHOICE [INF]: attachment size limit (unknown in the doc). */
  maxAttachmentBytes?: number;
  /** 0..1, for faults with a probability; inject a seeded one for a reproducible run. Default Math.random. */
  random?: () => number;
  /**
   * Behave like a server that does not know our filter parameters: GET relations ignores `extRelationId`,
   * `relationId`, `name` and `vatNr` and returns every relation (what a misspelt parameter would get from a
   * server that drops unknown parameters). The name `extRelationId` has one source (evidence S11). reset() restores
   * this starting value.
   */
  ignoreFilters?: boolean;
}

export interface RequestFilter {
  route?: SimRoute;
  method?: string;
  path?: string | RegExp;
  dossierId?: number;
}

export interface InsertBookingOptions {
  dossierId: number;
  journalKey: string;
  bookyearId?: number;
  amount?: number;
  documentDate?: string;
  comment?: string;
}

export interface ClosePeriodOptions {
  dossierId: number;
  /** e.g. 202601: that period and every earlier one are refused. */
  period: number;
  bookyearId?: number;
  journalKey?: string;
  mode?: 'closed' | 'protected';
}

export interface OctopusSimulator {
  /** e.g. http://127.0.0.1:5620/octopus-rest-api/v1 */
  url: string;
  /** e.g. http://127.0.0.1:5620 */
  origin: string;
  /** e.g. http://127.0.0.1:5620/__sim */
  controlUrl: string;
  port: number;
  /** Live in-process state (replaced by reset()). */
  readonly state: SimState;
  close(): Promise<void>;
  reset(seed?: SimSeed | ((seed: SimSeed) => void)): void;
  injectFault(fault: SimFaultInput): number;
  clearFaults(): void;
  setJournalOpen(dossierId: number, journalKey: string, open: boolean, bookyearId?: number): void;
  setJournalSynced(dossierId: number, journalKey: string, synced: boolean, bookyearId?: number): void;
  closePeriod(options: ClosePeriodOptions): void;
  setQuota(route: SimQuotaKey, limit: number | null): void;
  resetQuotaUsage(): void;
  /** Invalidate every auth and dossier token now (the client still believes they are valid). */
  expireTokens(): void;
  /** A booking made by the accountant in the Octopus application: takes the journal's next number. */
  insertBooking(options: InsertBookingOptions): SimBooking;
  /** An account the accountant adds in Octopus (it shows in the accounts feed from now). */
  addAccount(dossierId: number, account: { nr: number; name: string }): void;
  dossier(dossierId: number): SimDossier | undefined;
  journal(dossierId: number, bookyearId: number, journalKey: string): SimJournal | undefined;
  bookings(filter?: { dossierId?: number; journalKey?: string; source?: SimBooking['source'] }): SimBooking[];
  relations(dossierId: number): SimRelation[];
  codaStatements(dossierId: number): SimCodaStatement[];
  requests(filter?: RequestFilter): SimRequestRecord[];
  countRequests(filter?: RequestFilter): number;
  clearRequests(): void;
  /** See StartOptions.ignoreFilters. */
  setIgnoreFilters(on: boolean): void;
}

export function freshSeed(edit?: (seed: SimSeed) => void): SimSeed {
  const seed = clone(SIM_SEED);
  edit?.(seed);
  return seed;
}

function resolveSeed(seed: StartOptions['seed']): SimSeed {
  if (typeof seed === 'function') return freshSeed(seed);
  return clone(seed ?? SIM_SEED);
}

const DOSSIER_ROUTE = /^\/dossiers\/(\d+)\/(bookyears|bookyears\/(\d+)\/journals|accounts|accounts\/modified|vatcodes|relations|buysellbookings|buysellbookings\/modified|coda)$/;

function routeOf(method: string, path: string): { route: SimRoute; dossierId?: number; bookyearId?: number } {
  if (path === '/authentication') return { route: method === 'GET' ? 'authentication.get' : method === 'POST' ? 'authentication.post' : 'unknown' };
  if (path === '/dossiers') return { route: method === 'GET' ? 'dossiers.get' : method === 'POST' ? 'dossiers.connect' : 'unknown' };
  const m = DOSSIER_ROUTE.exec(path);
  if (!m) return { route: 'unknown' };
  const dossierId = Number(m[1]);
  const what = m[2]!;
  const by = m[3] !== undefined ? Number(m[3]) : undefined;
  const table: Record<string, Partial<Record<string, SimRoute>>> = {
    bookyears: { GET: 'bookyears.get' },
    accounts: { GET: 'accounts.get' },
    'accounts/modified': { GET: 'accounts.modified' },
    vatcodes: { GET: 'vatcodes.get' },
    relations: { GET: 'relations.get', PUT: 'relations.put' },
    buysellbookings: { GET: 'buysellbookings.get', POST: 'buysellbookings.post' },
    'buysellbookings/modified': { GET: 'buysellbookings.modified' },
    coda: { POST: 'coda.post' },
  };
  const key = by !== undefined ? 'journals' : what;
  const route = key === 'journals' ? (method === 'GET' ? 'journals.get' : undefined) : table[key]?.[method];
  return { route: route ?? 'unknown', dossierId, bookyearId: by };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const cents = (n: number): number => Math.round(n * 100);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INT31_MAX = 2_147_483_647;

/** "2020-02-08 14:55:00.000" (doc §4). SIM CHOICE [INF]: read as UTC (the doc does not say). */
function parseModifiedTimeStamp(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0'))));
}

function normVat(v: unknown): string {
  return typeof v === 'string' ? v.replace(/[^0-9A-Za-z]/g, '').toUpperCase() : '';
}

export async function startOctopusSimulator(options: StartOptions = {}): Promise<OctopusSimulator> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const tokenTtlMs = options.tokenTtlMs ?? 10 * 60_000;
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 10 * 1024 * 1024;
  let ignoreFilters = options.ignoreFilters ?? false;
  let state = buildState(resolveSeed(options.seed));
  let requestSeq = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const findDossier = (id: number) => state.dossiers.find((d) => d.id === id);
  const findJournal = (d: SimDossier, bookyearId: number, key: string) =>
    d.journals.find((j) => j.bookyearId === bookyearId && j.journalKey === key);

  function userRecord(name: string): SimUserSeed | undefined {
    // SIM CHOICE [INF]: logins compared case-insensitively, passwords exactly.
    return state.users.find((u) => u.user.toLowerCase() === name.toLowerCase());
  }

  function mayOpen(user: SimUserSeed, dossierId: number): boolean {
    return user.dossierIds === 'all' || user.dossierIds.includes(dossierId);
  }

  function expired(session: Session): boolean {
    return now().getTime() - session.issuedAt >= tokenTtlMs;
  }

  function authSession(req: IncomingMessage): Session | SimResponse {
    const token = header(req, 'Token');
    const session = token ? state.authTokens.get(token) : undefined;
    if (!token || !session || expired(session)) {
      if (token) state.authTokens.delete(token);
      return fail(401, -2, 'Not authenticated: the token is missing, invalid or expired');
    }
    return session;
  }

  function dossierSession(req: IncomingMessage, dossierId: number): SimDossier | SimResponse {
    const token = header(req, 'dossierToken');
    const session = token ? state.dossierTokens.get(token) : undefined;
    if (!token || !session || expired(session)) {
      if (token) state.dossierTokens.delete(token);
      return fail(401, -2, 'Not authenticated: the dossier token is missing, invalid or expired');
    }
    if (session.dossierId !== dossierId) return fail(403, -3, `The dossier token is not valid for dossier ${dossierId}`);
    const dossier = findDossier(dossierId);
    if (!dossier) return fail(403, -3, `No access to dossier ${dossierId}`);
    return dossier;
  }

  const isResponse = (v: unknown): v is SimResponse => isObject(v) && typeof v.status === 'number';

  // --- handlers ------------------------------------------------------------------------------------------------

  function authenticate(req: IncomingMessage, raw: string): SimResponse {
    const uuid = header(req, 'softwareHouseUuid');
    // SIM CHOICE [INF]: unknown software house → 401 with -68 (status not documented).
    if (!uuid || uuid !== state.softwareHouseUuid) return fail(401, -68, 'Invalid software house identification');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, -79, 'Invalid JSON body');
    }
    if (!isObject(body) || typeof body.user !== 'string' || typeof body.password !== 'string') {
      // The field is `user` [N, six clients]; `username` (WetWijzer) is refused like a bad login.
      return fail(401, -1, 'Invalid login: user or password is wrong');
    }
    const user = userRecord(body.user);
    if (!user || user.password !== body.password) return fail(401, -1, 'Invalid login: user or password is wrong');
    // SIM CHOICE [INF]: the code for "webservice module not active" was not found in any source. We answer
    // 403 with -3 (ERR_NO_ACCESS_TO_DOSSIER-style): 403 tells it apart from a wrong password (401/-1).
    if (!user.webservice) return fail(403, -3, 'The webservice module is not active for this user');
    const token = randomUUID();
    state.authTokens.set(token, { user: user.user, issuedAt: now().getTime() });
    return ok({ token });
  }

  function whoami(req: IncomingMessage): SimResponse {
    const s = authSession(req);
    if (isResponse(s)) return s;
    return ok({ user: s.user });
  }

  function listDossiers(req: IncomingMessage): SimResponse {
    const s = authSession(req);
    if (isResponse(s)) return s;
    const user = userRecord(s.user);
    if (!user) return fail(401, -2, 'Not authenticated');
    return ok(
      state.dossiers
        .filter((d) => mayOpen(user, d.id))
        .map((d) => ({
          dossierKey: { id: d.id },
          dossierDescription: d.description,
          vatNr: d.vatNr,
          streetAndNr: d.streetAndNr,
          country: d.country,
          postalCode: d.postalCode,
          city: d.city,
          url: '',
          email: d.email,
          corporationTypeKey: { id: 1 },
          languageCode: d.languageCode,
        })),
    );
  }

  function connectDossier(req: IncomingMessage, query: URLSearchParams): SimResponse {
    const s = authSession(req);
    if (isResponse(s)) return s;
    const user = userRecord(s.user);
    if (!user) return fail(401, -2, 'Not authenticated');
    const idText = query.get('dossierId');
    if (!idText || !/^\d+$/.test(idText)) return fail(400, -79, 'dossierId is required');
    const locale = query.get('localeId');
    if (locale !== null && !/^[0-4]$/.test(locale)) return fail(400, -79, 'localeId must be 0..4');
    const id = Number(idText);
    const dossier = findDossier(id);
    // An unknown dossier and a dossier the user may not open look the same: no access (-3).
    if (!dossier || !mayOpen(user, id)) return fail(403, -3, `No access to dossier ${id}`);
    if (dossier.disabled) return fail(403, -5, `Dossier ${id} is disabled`);
    const token = randomUUID();
    state.dossierTokens.set(token, { user: user.user, dossierId: id, issuedAt: now().getTime() });
    // The field is "Dossiertoken" (capital D, lowercase t) [N: six clients].
    return ok({ Dossiertoken: token });
  }

  function bookyearsOf(d: SimDossier): SimResponse {
    return ok(clone(d.bookyears));
  }

  function journalsOf(d: SimDossier, bookyearId: number): SimResponse {
    if (!d.bookyears.some((b) => b.bookyearKey.id === bookyearId)) return fail(400, -9, `Unknown bookyear ${bookyearId}`);
    return ok(
      d.journals
        .filter((j) => j.bookyearId === bookyearId && j.synced)
        .map((j) => ({
          bookyearKey: { id: j.bookyearId },
          journalKey: j.journalKey,
          name: j.name,
          closed: j.closed,
          currencyCode: j.currencyCode,
          lastBookedDocumentNr: j.lastBookedDocumentNr,
          protectedPeriod: j.protectedPeriod,
          closedPeriod: j.closedPeriod,
          insertionType: j.insertionType,
          customFieldList: [],
          customFieldLineList: [],
        })),
    );
  }

  function accountsOf(d: SimDossier, query: URLSearchParams): SimResponse {
    const by = query.get('bookyearId');
    if (!by || !/^-?\d+$/.test(by)) return fail(400, -79, 'bookyearId is required');
    const bookyearId = Number(by);
    if (!d.bookyears.some((b) => b.bookyearKey.id === bookyearId)) return fail(400, -9, `Unknown bookyear ${bookyearId}`);
    return ok(
      d.accounts.map((a) => ({
        accountKey: { id: a.nr, bookyearKey: { id: bookyearId } },
        description: { description_NL: a.nl, description_FR: a.fr, description_EN: a.en },
        costCentreType: 0,
        fiscProfessionalPercentage: 100,
        fiscRecupPercentage: 100,
        vatRecupPercentage: 100,
      })),
    );
  }

  /** SIM CHOICE [evidence: the feed exists, 48 a day; parameters INF, as buysellbookings/modified]. */
  function accountsModifiedOf(d: SimDossier, query: URLSearchParams): SimResponse {
    const stamp = query.get('modifiedTimeStamp');
    const since = stamp ? parseModifiedTimeStamp(stamp) : undefined;
    if (!since) return fail(400, -79, 'modifiedTimeStamp must be yyyy-MM-dd HH:mm:ss.SSS');
    const by = query.get('bookyearId');
    if (!by || !/^-?\d+$/.test(by)) return fail(400, -79, 'bookyearId is required');
    const changed = d.accounts.filter((a) => a.modifiedAt !== undefined && new Date(a.modifiedAt).getTime() >= since.getTime());
    if (changed.length === 0) return fail(404, -24, 'Nothing modified');
    return ok(
      changed.map((a) => ({
        accountKey: { id: a.nr, bookyearKey: { id: Number(by) } },
        description: { description_NL: a.nl, description_FR: a.fr, description_EN: a.en },
        vatRecupPercentage: 100,
      })),
    );
  }

  function vatCodesOf(d: SimDossier): SimResponse {
    return ok(clone(d.vatCodes));
  }

  function relationsOf(d: SimDossier, query: URLSearchParams): SimResponse {
    let found = d.relations;
    if (ignoreFilters) return ok(clone(found));
    const ext = query.get('extRelationId');
    const rel = query.get('relationId');
    const name = query.get('name');
    const vat = query.get('vatNr');
    for (const [k, v] of [['extRelationId', ext], ['relationId', rel]] as const) {
      if (v !== null && !/^-?\d+$/.test(v)) return fail(400, -79, `${k} must be a number`);
    }
    if (ext !== null) found = found.filter((r) => r.relationIdentificationServiceData.externalRelationId === Number(ext));
    if (rel !== null) found = found.filter((r) => r.relationIdentificationServiceData.relationKey.id === Number(rel));
    // SIM CHOICE [INF]: name matches case-insensitively as a substring; vatNr ignoring dots and spaces.
    if (name !== null) found = found.filter((r) => r.name.toLowerCase().includes(name.toLowerCase()));
    if (vat !== null) found = found.filter((r) => normVat(r.vatNr) === normVat(vat));
    // Nothing found → 404 with an error body [N: CPMCore, Laravel]. SIM CHOICE: code -16.
    if (found.length === 0) return fail(404, -16, 'No relation found');
    return ok(clone(found));
  }

  function upsertRelation(d: SimDossier, raw: string): SimResponse {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, -79, 'Invalid JSON body');
    }
    // The body is an unwrapped RelationServiceData [N].
    if (!isObject(body)) return fail(400, -79, 'RelationServiceData expected');
    if (typeof body.name !== 'string' || body.name.trim() === '') return fail(400, -7, 'The relation has no name');
    if (body.client !== true && body.supplier !== true) return fail(400, -7, 'A relation must be a client or a supplier');
    const ident = isObject(body.relationIdentificationServiceData) ? body.relationIdentificationServiceData : {};
    const ext = ident.externalRelationId;
    if (ext !== undefined && ext !== null && (!isInt(ext) || ext < 0 || ext > INT31_MAX)) {
      return fail(400, -79, 'externalRelationId must be an int');
    }
    const keyId = isObject(ident.relationKey) && isInt(ident.relationKey.id) ? ident.relationKey.id : 0;
    // Upsert keyed on the external number (doc §6.5, CSVToO comments, assumed for REST [INF]). SIM CHOICE [INF]:
    // when several relations carry that number the server cannot tell which is meant and creates a new one.
    const sameExt = isInt(ext) ? d.relations.filter((r) => r.relationIdentificationServiceData.externalRelationId === ext) : [];
    let existing = sameExt.length === 1 ? sameExt[0] : undefined;
    if (!existing && keyId > 0) {
      existing = d.relations.find((r) => r.relationIdentificationServiceData.relationKey.id === keyId);
      if (!existing) return fail(404, -16, `Unknown relation ${keyId}`);
    }
    const { relationIdentificationServiceData: _ignored, ...fields } = body;
    if (existing) {
      const id = existing.relationIdentificationServiceData.relationKey.id;
      const extId = isInt(ext) ? ext : (existing.relationIdentificationServiceData.externalRelationId ?? null);
      Object.assign(existing, fields, {
        relationIdentificationServiceData: { relationKey: { id }, externalRelationId: extId },
      });
      return { status: 204 };
    }
    const id = d.nextRelationId++;
    const created = {
      ...fields,
      name: body.name,
      client: body.client === true,
      supplier: body.supplier === true,
      relationIdentificationServiceData: { relationKey: { id }, externalRelationId: isInt(ext) ? ext : null },
    } as SimRelation;
    d.relations.push(created);
    // 201 with a body when created [N: Ruby, CPMCore handling; unverified].
    return ok(clone(created), 201);
  }

  function validateBooking(d: SimDossier, raw: string): SimResponse | { booking: SimBooking; journal: SimJournal } {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, -79, 'Invalid JSON body');
    }
    // The wrapper is required and `attachments` sits beside it [N].
    if (!isObject(body) || !isObject(body.buySellBookingServiceData)) {
      return fail(400, -79, 'buySellBookingServiceData is required');
    }
    const b = body.buySellBookingServiceData;
    const bookyearId = isObject(b.bookyearKey) && isInt(b.bookyearKey.id) ? b.bookyearKey.id : undefined;
    const bookyear = d.bookyears.find((y) => y.bookyearKey.id === bookyearId);
    // SIM CHOICE [INF]: data errors answer 400; closed/open/protected (no right to book) answer 403, as the Ruby
    // client's 403 text "journal is closed or in use by another user" suggests.
    if (!bookyear) return fail(400, -9, `Unknown bookyear ${String(bookyearId)}`);
    const journalKey = typeof b.journalKey === 'string' ? b.journalKey : '';
    const journal = findJournal(d, bookyear.bookyearKey.id, journalKey);
    if (!journal || !journal.synced) return fail(400, -10, `Unknown journal ${journalKey}`);
    const side = journalKey.startsWith('V') ? 'sales' : journalKey.startsWith('A') ? 'purchases' : undefined;
    if (!side || journal.insertionType !== 0) {
      return fail(400, -29, `Journal ${journalKey} has the wrong type. This should be 'Sales bookings' or 'Purchase bookings'`);
    }
    if (journal.openInOctopus) return fail(403, -12, `Journal ${journalKey} is open in Octopus by another user`);
    if (journal.closed || bookyear.closed) return fail(403, -11, `Journal ${journalKey} is closed`);
    const periodNr = b.bookyearPeriodeNr;
    const period = bookyear.periods.find((p) => p.bookyearPeriod === periodNr);
    if (!isInt(periodNr) || !period) return fail(400, -14, `Unknown bookyear period ${String(periodNr)}`);
    const lock = Math.max(journal.protectedPeriod, journal.closedPeriod);
    if (lock > 0 && periodNr <= lock) return fail(403, -15, `Book year period ${periodNr} is closed or protected`);
    if (!isInt(b.documentSequenceNr) || b.documentSequenceNr !== journal.lastBookedDocumentNr + 1) {
      return fail(400, -13, `Illegal document sequence number ${String(b.documentSequenceNr)}; the next number of journal ${journalKey} is ${journal.lastBookedDocumentNr + 1}`);
    }
    if (typeof b.documentDate !== 'string' || !ISO_DATE.test(b.documentDate)) return fail(400, -17, 'No document date');
    if (typeof b.expiryDate !== 'string' || !ISO_DATE.test(b.expiryDate)) return fail(400, -18, 'No expiry date');
    // Relation: by relationKey.id (when not 0) or by externalRelationId [N; INF that the external id alone works].
    const ident = isObject(b.relationIdentificationServiceData) ? b.relationIdentificationServiceData : {};
    const keyId = isObject(ident.relationKey) && isInt(ident.relationKey.id) ? ident.relationKey.id : 0;
    const ext = isInt(ident.externalRelationId) ? ident.externalRelationId : undefined;
    let relation: SimRelation | undefined;
    if (keyId > 0) relation = d.relations.find((r) => r.relationIdentificationServiceData.relationKey.id === keyId);
    else if (ext !== undefined) relation = d.relations.find((r) => r.relationIdentificationServiceData.externalRelationId === ext);
    if (!relation) return fail(400, -16, 'Unknown relation');
    if (ext !== undefined && keyId > 0 && relation.relationIdentificationServiceData.externalRelationId !== ext) {
      return fail(400, -16, 'relationKey and externalRelationId point to different relations');
    }
    const currency = b.currencyCode ?? 'EUR';
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return fail(400, -19, 'Unknown currency');
    if (b.exchangeRate !== undefined && (typeof b.exchangeRate !== 'number' || !(b.exchangeRate > 0))) {
      return fail(400, -20, 'Illegal exchange rate');
    }
    if (typeof b.amount !== 'number' || !Number.isFinite(b.amount)) return fail(500, -24, 'Invalid data format: amount');
    const lines = b.bookingLines;
    if (!Array.isArray(lines) || lines.length === 0) return fail(400, -24, 'A booking needs at least one line');
    const accounts = new Set(d.accounts.map((a) => a.nr));
    let sum = 0;
    for (const [i, line] of lines.entries()) {
      if (!isObject(line)) return fail(400, -79, `Booking line ${i + 1} is not an object`);
      if (!isInt(line.accountKey) || !accounts.has(line.accountKey)) return fail(400, -21, `Unknown account ${String(line.accountKey)}`);
      const vat = d.vatCodes.find((v) => v.code === line.vatCodeKey);
      if (!vat) return fail(400, -22, `Unknown VAT code ${String(line.vatCodeKey)}`);
      if ((side === 'sales') !== (vat.type === SALES)) {
        return fail(400, -75, `VAT code ${vat.code} cannot be used in a ${side === 'sales' ? 'sales' : 'purchase'} journal`);
      }
      if (typeof line.baseAmount !== 'number' || typeof line.vatAmount !== 'number') {
        return fail(500, -24, `Invalid data format: amounts of booking line ${i + 1}`);
      }
      if (line.baseAmount * line.vatAmount < 0) return fail(400, -23, `Booking line ${i + 1}: base and VAT amount have another sign`);
      sum += cents(line.baseAmount) + cents(line.vatAmount);
    }
    const amount = cents(b.amount);
    // amount = sum(base + vat) within a cent [N]; credit note: negative total with positive lines [OFF pitfalls].
    const credit = amount < 0;
    if (credit && sum < 0) return fail(400, -24, 'Credit note: the total is negative, the lines must be positive');
    if (Math.abs(Math.abs(amount) - Math.abs(sum)) > 1 || (!credit && sum < 0 && amount !== 0)) {
      return fail(400, -24, `The amount ${b.amount} is not the sum of the lines (${(sum / 100).toFixed(2)})`);
    }
    const attachments: SimAttachmentRecord[] = [];
    const rawAttachments = body.attachments ?? [];
    if (!Array.isArray(rawAttachments)) return fail(400, -79, 'attachments must be an array');
    for (const a of rawAttachments) {
      if (!isObject(a) || typeof a.fileName !== 'string' || a.fileName === '' || typeof a.fileData !== 'string' || !BASE64.test(a.fileData)) {
        return fail(400, -79, 'An attachment needs fileName and base64 fileData');
      }
      const size = Buffer.from(a.fileData, 'base64').length;
      if (size > maxAttachmentBytes) return fail(400, -79, `Attachment ${a.fileName} is too large`);
      attachments.push({ fileName: a.fileName, size, fileData: a.fileData });
    }
    const at = now().toISOString();
    const relationId = relation.relationIdentificationServiceData.relationKey.id;
    const externalRelationId = relation.relationIdentificationServiceData.externalRelationId ?? null;
    const data = {
      ...clone(b),
      relationIdentificationServiceData: { relationKey: { id: relationId }, externalRelationId },
      currencyCode: currency,
    };
    return {
      journal,
      booking: {
        dossierId: d.id,
        bookyearId: bookyear.bookyearKey.id,
        journalKey,
        documentSequenceNr: b.documentSequenceNr,
        bookyearPeriodeNr: periodNr,
        documentDate: b.documentDate,
        amount: b.amount,
        comment: typeof b.comment === 'string' ? b.comment : '',
        reference: typeof b.reference === 'string' ? b.reference : '',
        relationId,
        externalRelationId,
        data,
        attachments,
        createdAt: at,
        modifiedAt: at,
        source: 'webservice',
      },
    };
  }

  function postBooking(d: SimDossier, raw: string): SimResponse {
    const result = validateBooking(d, raw);
    if (isResponse(result)) return result;
    d.bookings.push(result.booking);
    result.journal.lastBookedDocumentNr = result.booking.documentSequenceNr;
    // 200/201 with an empty body [N]. SIM CHOICE: 201, no body.
    return { status: 201 };
  }

  function bookingView(b: SimBooking): Record<string, unknown> {
    return clone(b.data);
  }

  function getBookings(d: SimDossier, query: URLSearchParams): SimResponse {
    // Parameter names per go-octopus (bookyearId, journalKey, documentSeqNr) [N? uncertain, doc §6.6].
    const by = query.get('bookyearId');
    const journalKey = query.get('journalKey');
    const seq = query.get('documentSeqNr');
    if (!by || !/^\d+$/.test(by) || !journalKey) return fail(400, -79, 'bookyearId and journalKey are required');
    if (seq !== null && !/^\d+$/.test(seq)) return fail(400, -79, 'documentSeqNr must be a number');
    const bookyearId = Number(by);
    if (!d.bookyears.some((y) => y.bookyearKey.id === bookyearId)) return fail(400, -9, `Unknown bookyear ${bookyearId}`);
    const found = d.bookings.filter(
      (b) => b.bookyearId === bookyearId && b.journalKey === journalKey && (seq === null || b.documentSequenceNr === Number(seq)),
    );
    // SIM CHOICE [INF]: nothing found → 404 with an error body, like relations.
    if (found.length === 0) return fail(404, -24, 'No booking found');
    return ok(found.map(bookingView));
  }

  function modifiedBookings(d: SimDossier, query: URLSearchParams): SimResponse {
    const by = query.get('bookyearId');
    const stamp = query.get('modifiedTimeStamp');
    if (!by || !/^-?\d+$/.test(by) || !stamp) return fail(400, -79, 'bookyearId and modifiedTimeStamp are required');
    const since = parseModifiedTimeStamp(stamp);
    if (!since) return fail(400, -79, 'modifiedTimeStamp must be yyyy-MM-dd HH:mm:ss.SSS');
    const bookyearId = Number(by);
    const journalKey = query.get('journalKey');
    const found = d.bookings.filter(
      (b) =>
        (bookyearId === -1 || b.bookyearId === bookyearId) &&
        (!journalKey || b.journalKey === journalKey) &&
        new Date(b.modifiedAt).getTime() >= since.getTime(),
    );
    // Nothing modified → 404 "No modified bookings found" (evidence S9, seen live). SIM CHOICE: the errorCode
    // was not recorded; we send -24 with it.
    if (found.length === 0) return fail(404, -24, 'No modified bookings found');
    return ok(found.map(bookingView));
  }

  function quotaExceeded(route: SimRoute, dossierId: number | undefined, query: URLSearchParams): SimResponse | undefined {
    // SIM CHOICE [evidence]: quotas count per Europe/Brussels day; per dossier is our reading (not confirmed).
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(now());
    if (state.quotaDay !== day) {
      state.quotaDay = day;
      state.quotaUsage = {};
    }
    const searched = ['extRelationId', 'relationId', 'name', 'vatNr'].some((k) => query.has(k));
    const key: SimQuotaKey = route === 'relations.get' && searched ? 'relations.search' : route;
    const usageKey = `${dossierId ?? '-'}|${key}`;
    const used = (state.quotaUsage[usageKey] ?? 0) + 1;
    state.quotaUsage[usageKey] = used;
    const limit = state.quotas[key];
    // SIM CHOICE [INF, low confidence]: how Octopus answers an exhausted quota is not documented. We answer
    // HTTP 429 with -51 (ERR_TO_MANY_CONNECTIONS, the nearest SOAP name).
    if (limit !== undefined && used > limit) return fail(429, -51, `Daily quota of ${limit} calls exceeded for this endpoint`);
    return undefined;
  }

  function dispatch(req: IncomingMessage, route: SimRoute, dossierId: number | undefined, bookyearId: number | undefined, query: URLSearchParams, raw: string): SimResponse {
    if (route === 'unknown') return fail(404, -79, 'Unknown resource');
    const q = quotaExceeded(route, dossierId, query);
    if (q) return q;
    switch (route) {
      case 'authentication.post':
        return authenticate(req, raw);
      case 'authentication.get':
        return whoami(req);
      case 'dossiers.get':
        return listDossiers(req);
      case 'dossiers.connect':
        return connectDossier(req, query);
      default:
        break;
    }
    const d = dossierSession(req, dossierId!);
    if (isResponse(d)) return d;
    switch (route) {
      case 'bookyears.get':
        return bookyearsOf(d);
      case 'journals.get':
        return journalsOf(d, bookyearId!);
      case 'accounts.get':
        return accountsOf(d, query);
      case 'accounts.modified':
        return accountsModifiedOf(d, query);
      case 'vatcodes.get':
        return vatCodesOf(d);
      case 'relations.get':
        return relationsOf(d, query);
      case 'relations.put':
        return upsertRelation(d, raw);
      case 'buysellbookings.post':
        return postBooking(d, raw);
      case 'buysellbookings.get':
        return getBookings(d, query);
      case 'buysellbookings.modified':
        return modifiedBookings(d, query);
      case 'coda.post': {
        const outcome = importCoda(d.codaStatements, raw, query.get('publishPdfInDms') === 'true', new Date());
        return outcome.ok ? { status: 200 } : fail(outcome.status, outcome.errorCode, outcome.message);
      }
      default:
        return fail(404, -79, 'Unknown resource');
    }
  }

  function takeFault(method: string, path: string, phase: 'before' | 'after'): SimFault | undefined {
    const fault = state.faults.find(
      (f) =>
        f.phase === phase &&
        (f.count === null || f.count > 0) &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || new RegExp(f.path).test(path)) &&
        (f.probability === undefined || random() < f.probability),
    );
    if (fault && fault.count !== null) fault.count -= 1;
    return fault;
  }

  function send(res: ServerResponse, r: SimResponse): void {
    if (res.destroyed || res.writableEnded) return;
    if (r.body === undefined) {
      res.writeHead(r.status);
      res.end();
      return;
    }
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status, { 'Content-Type': r.contentType ?? 'application/json;charset=UTF-8' });
    res.end(text);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(SIM_BASE_PATH.length) || '/';
    const raw = await readBody(req);
    const { route, dossierId, bookyearId } = routeOf(method, path);
    const record: SimRequestRecord = {
      seq: ++requestSeq,
      method,
      path: url.pathname,
      query: url.search,
      route,
      ...(dossierId !== undefined ? { dossierId } : {}),
      time: now().toISOString(),
      status: 0,
    };
    state.requests.push(record);

    const before = takeFault(method, path, 'before');
    if (before) {
      record.fault = before.kind;
      if (before.kind === 'delay') await sleep(before.delayMs ?? 1000);
      else if (before.kind === 'drop') {
        record.dropped = true;
        req.socket.destroy();
        return;
      } else {
        const status = before.status ?? 503;
        record.status = status;
        const body = before.body ?? `<html><body><h1>${status}</h1>Simulated fault</body></html>`;
        send(res, { status, body, contentType: typeof body === 'string' ? 'text/html' : undefined });
        return;
      }
    }
    if (res.destroyed) return; // the client gave up while we waited

    const response = dispatch(req, route, dossierId, bookyearId, url.searchParams, raw);
    record.status = response.status;
    if (response.errorCode !== undefined) record.errorCode = response.errorCode;

    const after = takeFault(method, path, 'after');
    if (after) {
      record.fault = after.kind;
      if (after.kind === 'drop') {
        record.dropped = true;
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (after.kind === 'delay') await sleep(after.delayMs ?? 1000);
      else {
        const status = after.status ?? 503;
        record.status = status;
        send(res, { status, body: after.body ?? `<html><body><h1>${status}</h1>Simulated fault</body></html>`, contentType: 'text/html' });
        return;
      }
    }
    send(res, response);
  }

  // --- in-process helpers --------------------------------------------------------------------------------------

  function journalsMatching(dossierId: number, journalKey: string | undefined, bookyearId: number | undefined): SimJournal[] {
    const d = findDossier(dossierId);
    if (!d) throw new Error(`Simulator: no dossier ${dossierId}`);
    const found = d.journals.filter((j) => (!journalKey || j.journalKey === journalKey) && (bookyearId === undefined || j.bookyearId === bookyearId));
    if (found.length === 0) throw new Error(`Simulator: no journal ${journalKey ?? '*'} in dossier ${dossierId}`);
    return found;
  }

  function matches(r: SimRequestRecord, f: RequestFilter): boolean {
    if (f.route && r.route !== f.route) return false;
    if (f.method && r.method !== f.method.toUpperCase()) return false;
    if (f.dossierId !== undefined && r.dossierId !== f.dossierId) return false;
    if (f.path !== undefined) {
      if (typeof f.path === 'string' ? !r.path.includes(f.path) : !f.path.test(r.path)) return false;
    }
    return true;
  }

  const helpers = {
    reset(seed?: SimSeed | ((seed: SimSeed) => void)) {
      state = buildState(resolveSeed(seed ?? options.seed));
      ignoreFilters = options.ignoreFilters ?? false;
    },
    injectFault(fault: SimFaultInput): number {
      const id = state.nextFaultId++;
      state.faults.push({ ...fault, id, count: fault.count === undefined ? 1 : fault.count, phase: fault.phase ?? 'before' });
      return id;
    },
    clearFaults() {
      state.faults = [];
    },
    setJournalOpen(dossierId: number, journalKey: string, open: boolean, bookyearId?: number) {
      for (const j of journalsMatching(dossierId, journalKey, bookyearId)) j.openInOctopus = open;
    },
    setJournalSynced(dossierId: number, journalKey: string, synced: boolean, bookyearId?: number) {
      for (const j of journalsMatching(dossierId, journalKey, bookyearId)) j.synced = synced;
    },
    closePeriod(o: ClosePeriodOptions) {
      for (const j of journalsMatching(o.dossierId, o.journalKey, o.bookyearId)) {
        if ((o.mode ?? 'closed') === 'closed') j.closedPeriod = o.period;
        else j.protectedPeriod = o.period;
      }
    },
    setQuota(route: SimQuotaKey, limit: number | null) {
      if (limit === null) delete state.quotas[route];
      else state.quotas[route] = limit;
    },
    resetQuotaUsage() {
      state.quotaUsage = {};
    },
    expireTokens() {
      state.authTokens.clear();
      state.dossierTokens.clear();
    },
    addAccount(dossierId: number, account: { nr: number; name: string }) {
      const d = findDossier(dossierId);
      if (!d) throw new Error(`Simulator: no dossier ${dossierId}`);
      d.accounts.push({ nr: account.nr, nl: account.name, fr: account.name, en: account.name, modifiedAt: now().toISOString() });
    },
    insertBooking(o: InsertBookingOptions): SimBooking {
      const d = findDossier(o.dossierId);
      if (!d) throw new Error(`Simulator: no dossier ${o.dossierId}`);
      const date = o.documentDate ?? iso(now());
      const bookyear =
        o.bookyearId !== undefined
          ? d.bookyears.find((b) => b.bookyearKey.id === o.bookyearId)
          : d.bookyears.find((b) => b.startDate <= date && date <= b.endDate);
      if (!bookyear) throw new Error(`Simulator: no bookyear for ${date}`);
      const journal = findJournal(d, bookyear.bookyearKey.id, o.journalKey);
      if (!journal) throw new Error(`Simulator: no journal ${o.journalKey}`);
      const period = bookyear.periods.find((p) => p.startDate <= date && date <= p.endDate) ?? bookyear.periods[0]!;
      const relation = d.relations[0];
      const amount = o.amount ?? 121;
      const seq = journal.lastBookedDocumentNr + 1;
      const at = now().toISOString();
      const relationId = relation?.relationIdentificationServiceData.relationKey.id ?? 0;
      const externalRelationId = relation?.relationIdentificationServiceData.externalRelationId ?? null;
      const comment = o.comment ?? 'Manual booking by the accountant';
      const booking: SimBooking = {
        dossierId: d.id,
        bookyearId: bookyear.bookyearKey.id,
        journalKey: o.journalKey,
        documentSequenceNr: seq,
        bookyearPeriodeNr: period.bookyearPeriod,
        documentDate: date,
        amount,
        comment,
        reference: '',
        relationId,
        externalRelationId,
        data: {
          bookyearKey: { id: bookyear.bookyearKey.id },
          journalKey: o.journalKey,
          documentSequenceNr: seq,
          relationIdentificationServiceData: { relationKey: { id: relationId }, externalRelationId },
          bookyearPeriodeNr: period.bookyearPeriod,
          documentDate: date,
          expiryDate: date,
          comment,
          reference: '',
          amount,
          currencyCode: 'EUR',
          exchangeRate: 1,
          bookingLines: [],
        },
        attachments: [],
        createdAt: at,
        modifiedAt: at,
        source: 'accountant',
      };
      d.bookings.push(booking);
      journal.lastBookedDocumentNr = seq;
      return booking;
    },
    dossier: (dossierId: number) => findDossier(dossierId),
    journal(dossierId: number, bookyearId: number, journalKey: string) {
      const d = findDossier(dossierId);
      return d ? findJournal(d, bookyearId, journalKey) : undefined;
    },
    bookings(filter: { dossierId?: number; journalKey?: string; source?: SimBooking['source'] } = {}) {
      return state.dossiers
        .flatMap((d) => d.bookings)
        .filter(
          (b) =>
            (filter.dossierId === undefined || b.dossierId === filter.dossierId) &&
            (!filter.journalKey || b.journalKey === filter.journalKey) &&
            (!filter.source || b.source === filter.source),
        );
    },
    relations: (dossierId: number) => findDossier(dossierId)?.relations ?? [],
    codaStatements: (dossierId: number) => findDossier(dossierId)?.codaStatements ?? [],
    requests: (filter: RequestFilter = {}) => state.requests.filter((r) => matches(r, filter)),
    countRequests: (filter: RequestFilter = {}) => state.requests.filter((r) => matches(r, filter)).length,
    setIgnoreFilters(on: boolean) {
      ignoreFilters = on;
    },
    clearRequests() {
      state.requests = [];
    },
  };

  // --- control API ---------------------------------------------------------------------------------------------

  function snapshot(): unknown {
    return {
      softwareHouseUuid: state.softwareHouseUuid,
      users: state.users.map(({ password: _p, ...u }) => u),
      dossiers: state.dossiers.map((d) => ({
        ...d,
        bookings: d.bookings.map(bookingSummary),
      })),
      quotas: state.quotas,
      quotaUsage: state.quotaUsage,
      faults: state.faults,
      requests: state.requests.length,
      authTokens: state.authTokens.size,
      dossierTokens: state.dossierTokens.size,
    };
  }

  function bookingSummary(b: SimBooking): unknown {
    return { ...b, attachments: b.attachments.map(({ fileName, size }) => ({ fileName, size })) };
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const what = url.pathname.slice(SIM_CONTROL_PATH.length + 1);
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (isObject(parsed)) body = parsed;
      } catch {
        send(res, { status: 400, body: { error: 'invalid JSON' } });
        return;
      }
    }
    const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined);
    try {
      if (method === 'GET' && what === 'state') return send(res, ok(snapshot()));
      if (method === 'GET' && what === 'bookings') {
        const dossierId = num(url.searchParams.get('dossierId') ?? undefined);
        return send(res, ok(helpers.bookings(dossierId !== undefined ? { dossierId } : {}).map(bookingSummary)));
      }
      if (method === 'GET' && what === 'requests') return send(res, ok(state.requests));
      if (method === 'GET' && what === 'coda') {
        const dossierId = num(url.searchParams.get('dossierId') ?? undefined);
        return send(res, ok(state.dossiers.filter((d) => dossierId === undefined || d.id === dossierId).flatMap((d) => d.codaStatements.map((c) => ({ dossierId: d.id, ...c })))));
      }
      if (method === 'POST') {
        switch (what) {
          case 'reset':
            helpers.reset();
            return send(res, ok({ ok: true }));
          case 'faults':
            return send(res, ok({ id: helpers.injectFault(body as unknown as SimFaultInput) }));
          case 'faults/clear':
            helpers.clearFaults();
            return send(res, ok({ ok: true }));
          case 'journal-open':
            helpers.setJournalOpen(num(body.dossierId)!, String(body.journalKey), body.open !== false, num(body.bookyearId));
            return send(res, ok({ ok: true }));
          case 'journal-synced':
            helpers.setJournalSynced(num(body.dossierId)!, String(body.journalKey), body.synced !== false, num(body.bookyearId));
            return send(res, ok({ ok: true }));
          case 'close-period':
            helpers.closePeriod({
              dossierId: num(body.dossierId)!,
              period: num(body.period)!,
              ...(body.bookyearId !== undefined ? { bookyearId: num(body.bookyearId)! } : {}),
              ...(typeof body.journalKey === 'string' ? { journalKey: body.journalKey } : {}),
              mode: body.mode === 'protected' ? 'protected' : 'closed',
            });
            return send(res, ok({ ok: true }));
          case 'quota':
            if (isObject(body.quotas)) {
              for (const [route, limit] of Object.entries(body.quotas)) helpers.setQuota(route as SimQuotaKey, num(limit) ?? null);
            }
            if (typeof body.route === 'string') helpers.setQuota(body.route as SimQuotaKey, body.limit === null ? null : num(body.limit) ?? null);
            if (body.resetUsage === true) helpers.resetQuotaUsage();
            return send(res, ok({ quotas: state.quotas }));
          case 'ignore-filters':
            helpers.setIgnoreFilters(body.on !== false);
            return send(res, ok({ ignoreFilters }));
          case 'expire-tokens':
            helpers.expireTokens();
            return send(res, ok({ ok: true }));
          case 'insert-booking':
            return send(
              res,
              ok(
                bookingSummary(
                  helpers.insertBooking({
                    dossierId: num(body.dossierId)!,
                    journalKey: String(body.journalKey),
                    ...(body.bookyearId !== undefined ? { bookyearId: num(body.bookyearId)! } : {}),
                    ...(typeof body.amount === 'number' ? { amount: body.amount } : {}),
                    ...(typeof body.documentDate === 'string' ? { documentDate: body.documentDate } : {}),
                    ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
                  }),
                ),
              ),
            );
        }
      }
      send(res, { status: 404, body: { error: `unknown control call ${method} ${url.pathname}` } });
    } catch (error) {
      send(res, { status: 400, body: { error: error instanceof Error ? error.message : String(error) } });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handler = url.pathname.startsWith(`${SIM_CONTROL_PATH}/`)
      ? handleControl
      : url.pathname === SIM_BASE_PATH || url.pathname.startsWith(`${SIM_BASE_PATH}/`)
        ? handleApi
        : async (_req: IncomingMessage, r: ServerResponse) => send(r, fail(404, -79, 'Not found'));
    handler(req, res, url).catch((error: unknown) => {
      send(res, { status: 500, body: { errorCode: -24, errorMessage: 'Simulator failure', technicalInfo: String(error) } });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;

  return {
    url: `${origin}${SIM_BASE_PATH}`,
    origin,
    controlUrl: `${origin}${SIM_CONTROL_PATH}`,
    port,
    get state() {
      return state;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    ...helpers,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Run directly: npx tsx tests/sandbox/octopus-sim.ts --port 5620
// ---------------------------------------------------------------------------------------------------------------

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.OCTOPUS_SIM_PORT ?? 5620);
  const ttlArg = process.argv.indexOf('--token-ttl-ms');
  const tokenTtlMs = ttlArg >= 0 ? Number(process.argv[ttlArg + 1]) : undefined;
  startOctopusSimulator({ port, ...(tokenTtlMs ? { tokenTtlMs } : {}) }).then(
    (sim) => {
      const u = SIM_SEED.users[0]!;
      console.log(sim.url);
      console.log(`  control: ${sim.controlUrl}/state`);
      console.log(`  softwareHouseUuid: ${SIM_SEED.softwareHouseUuid}   user: ${u.user}   password: ${u.password}`);
      const stop = () => void sim.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
