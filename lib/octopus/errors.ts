/**
 * Octopus failures as one typed error. The numbers, names and HTTP meanings live in ./api.ts; this file
 * holds the kinds the rest of the extension reacts to and the localized message keys
 * (strings in ./messages.json as { key: { en, nl, fr } }, placeholders $1, $2 in chrome.i18n style).
 *
 * An OctopusError never carries a password or a token: the client redacts every text it puts in one.
 */
import type { LocalizedText } from '../model/transfer';

export const OCTOPUS_ERROR_KINDS = [
  'login', // wrong user/password, unknown software house, token refused after one refresh
  'access', // webservice module not active, no right on the dossier, dossier disabled
  'journal-open', // ERR_JOURNAL_OPEN: a user has the journal open in Octopus; retried by itself a few times
  'period-closed', // bookyear/period unknown, closed or protected; journal closed
  'sequence', // ERR_ILLEGAL_DOCUMENT_SEQUENCE_NR (after the one automatic retry)
  'unknown-journal', // not synchronised yet, or a journal of the wrong type/mode
  'unknown-account',
  'unknown-vat-code',
  'unknown-relation',
  'quota', // daily per-endpoint quota, too many connections
  'server', // 5xx
  'network', // no answer: connection refused/reset, timeout
  'invalid', // the data or the request is wrong (4xx without a better kind), unexpected answer
] as const;
export type OctopusErrorKind = (typeof OCTOPUS_ERROR_KINDS)[number];

/**
 * Message keys (chrome.i18n names: lowercase, digits, underscore). $1.. are the params of LocalizedText.
 * Keep in step with ./messages.json (a unit test checks it).
 */
export const OCTOPUS_MESSAGE_KEYS = {
  login: 'octopus_error_login',
  softwareHouse: 'octopus_error_software_house',
  webserviceDisabled: 'octopus_error_webservice_disabled',
  notAuthenticated: 'octopus_error_not_authenticated',
  noDossierAccess: 'octopus_error_no_dossier_access', // $1 dossier id
  permission: 'octopus_error_permission', // $1 Octopus's own words
  dossierDisabled: 'octopus_error_dossier_disabled', // $1 dossier id
  journalOpen: 'octopus_error_journal_open', // $1 journal
  journalClosed: 'octopus_error_journal_closed', // $1 journal
  journalWrongMode: 'octopus_error_journal_wrong_mode', // $1 journal
  journalWrongType: 'octopus_error_journal_wrong_type', // $1 journal, $2 "sales"/"purchases"
  unknownJournal: 'octopus_error_unknown_journal', // $1 journal
  unknownBookyear: 'octopus_error_unknown_bookyear', // $1 date
  unknownPeriod: 'octopus_error_unknown_period', // $1 date or period
  periodClosed: 'octopus_error_period_closed', // $1 period, $2 journal
  sequence: 'octopus_error_sequence', // $1 journal
  unknownRelation: 'octopus_error_unknown_relation', // $1 name
  relationRejected: 'octopus_error_relation_rejected', // $1 name
  unknownAccount: 'octopus_error_unknown_account', // $1 account
  accountNotNumeric: 'octopus_error_account_not_numeric', // $1 value, $2 line id
  unknownVatCode: 'octopus_error_unknown_vat_code', // $1 code
  noVatCode: 'octopus_error_no_vat_code', // $1 "@vat_category_X", $2 rate, $3 "@vat_side_sales"/"@vat_side_purchases" (translated when read)
  vatCodeAmbiguous: 'octopus_error_vat_code_ambiguous', // $1 "@vat_category_X", $2 rate, $3 candidate codes
  vatCodeOverrideUnknown: 'octopus_error_vat_code_override_unknown', // $1 override key, $2 code
  vatSideUnresolved: 'octopus_error_vat_side_unresolved', // $1 category:rate, $2 codes whose side is in question
  amounts: 'octopus_error_amounts', // $1 detail
  currency: 'octopus_error_currency', // $1 currency
  missingDate: 'octopus_error_missing_date',
  invalid: 'octopus_error_invalid',
  quota: 'octopus_error_quota',
  // The client's own daily budget refused a read ($1 calls a day, $2 the Brussels date it is possible again).
  budgetDossiers: 'octopus_budget_dossiers',
  budgetBookyears: 'octopus_budget_bookyears',
  budgetJournals: 'octopus_budget_journals',
  budgetAccounts: 'octopus_budget_accounts',
  budgetAccountsModified: 'octopus_budget_accounts_modified',
  budgetVatCodes: 'octopus_budget_vatcodes',
  budgetRelations: 'octopus_budget_relations',
  budgetRelationsSearch: 'octopus_budget_relations_search',
  budgetBooking: 'octopus_budget_booking',
  budgetModified: 'octopus_budget_modified',
  budgetCoda: 'octopus_budget_coda',
  server: 'octopus_error_server', // $1 HTTP status
  network: 'octopus_error_network',
  timeout: 'octopus_error_timeout', // $1 seconds
  unexpectedResponse: 'octopus_error_unexpected_response',
  booked: 'octopus_booked', // $1 journal, $2 bookyear label, $3 number
  alreadyBooked: 'octopus_already_booked', // $1 journal, $2 bookyear label, $3 number
  // The findings of `octopus:probe` (./probe.ts).
  probeTitle: 'octopus_probe_title', // $1 dossier, $2 bookyear id, $3 base URL
  probeSettled: 'octopus_probe_settled',
  probeOpen: 'octopus_probe_open',
  probeSeen: 'octopus_probe_seen', // $1 what was seen
  probeCalls: 'octopus_probe_calls', // $1 calls made, $2 the most allowed
  probeFailed: 'octopus_probe_failed', // $1 what, $2 the error
  probeVatAgree: 'octopus_probe_vat_agree', // $1 codes with a type
  probeVatReversed: 'octopus_probe_vat_reversed', // $1 codes with a type
  probeVatMixed: 'octopus_probe_vat_mixed', // $1 agreeing, $2 disagreeing, $3 their codes
  probeVatNone: 'octopus_probe_vat_none', // $1 types seen
  probePeriodYyyypp: 'octopus_probe_period_yyyypp', // $1 values seen
  probePeriodIndex: 'octopus_probe_period_index', // $1 values seen
  probePeriodNone: 'octopus_probe_period_none', // $1 bookyear id
  probePeriodMixed: 'octopus_probe_period_mixed', // $1 values seen
  probeFilterHonoured: 'octopus_probe_filter_honoured', // $1 HTTP status
  probeFilterIgnored: 'octopus_probe_filter_ignored', // $1 relations returned
  probeFilterRefused: 'octopus_probe_filter_refused', // $1 HTTP status, $2 Octopus's words
  probeFeed: 'octopus_probe_feed', // $1 HTTP status, $2 Octopus's words
  probeFeedUnexpected: 'octopus_probe_feed_unexpected', // $1 HTTP status, $2 Octopus's words
  probeCoda: 'octopus_probe_coda', // $1 dossier
} as const;
export type OctopusMessageKey = (typeof OCTOPUS_MESSAGE_KEYS)[keyof typeof OCTOPUS_MESSAGE_KEYS];

export interface OctopusErrorInit {
  kind: OctopusErrorKind;
  /** HTTP status; 0 when no answer came (network, timeout) or the error is ours (booking validation). */
  httpStatus?: number;
  errorCode?: number;
  errorName?: string;
  /** Octopus's own errorMessage, verbatim (redacted), or our description when Octopus said nothing. */
  message: string;
  technicalInfo?: string;
  retriable: boolean;
  messageKey: OctopusMessageKey;
  params?: string[];
  /** The request may have reached Octopus and acted (timeout or 5xx on a write): check before sending again. */
  outcomeUnknown?: boolean;
  /** A hint for the engine's backoff (e.g. until the quota resets). */
  retryAfterMs?: number;
  /** At most this many attempts in all before the document waits for the user (below the engine's own limit). */
  attemptCap?: number;
  /** What we were doing: 'authentication', 'dossier', 'GET bookyears', … (never a URL with secrets). */
  operation?: string;
}

export class OctopusError extends Error {
  readonly kind: OctopusErrorKind;
  readonly httpStatus: number;
  readonly errorCode: number | undefined;
  readonly errorName: string | undefined;
  readonly technicalInfo: string | undefined;
  readonly retriable: boolean;
  readonly messageKey: OctopusMessageKey;
  readonly params: string[];
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | undefined;
  readonly attemptCap: number | undefined;
  readonly operation: string | undefined;

  constructor(init: OctopusErrorInit) {
    super(init.message);
    this.name = 'OctopusError';
    this.kind = init.kind;
    this.httpStatus = init.httpStatus ?? 0;
    this.errorCode = init.errorCode;
    this.errorName = init.errorName;
    this.technicalInfo = init.technicalInfo;
    this.retriable = init.retriable;
    this.messageKey = init.messageKey;
    this.params = init.params ?? [];
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.attemptCap = init.attemptCap;
    this.operation = init.operation;
  }

  /** Octopus's errorMessage with its technicalInfo beside it (both redacted), for the transfer log's detail. */
  get detail(): string {
    const info = this.technicalInfo?.trim();
    return info && info !== this.message ? `${this.message} — ${info}` : this.message;
  }

  /** The localized text for the transfer log / UI. */
  get text(): LocalizedText {
    return { key: this.messageKey, params: this.params };
  }

  /** A short code for logs and `Transfer.lastError.code`, e.g. "octopus:-12" or "octopus:http-503". */
  get code(): string {
    if (this.errorCode !== undefined) return `octopus:${this.errorCode}`;
    if (this.httpStatus) return `octopus:http-${this.httpStatus}`;
    return `octopus:${this.kind}`;
  }

  /** With new params (e.g. the journal key the caller knows). */
  withParams(params: string[]): OctopusError {
    return new OctopusError({ ...this.init(), params });
  }

  private init(): OctopusErrorInit {
    return {
      kind: this.kind,
      httpStatus: this.httpStatus,
      ...(this.errorCode !== undefined ? { errorCode: this.errorCode } : {}),
      ...(this.errorName !== undefined ? { errorName: this.errorName } : {}),
      message: this.message,
      ...(this.technicalInfo !== undefined ? { technicalInfo: this.technicalInfo } : {}),
      retriable: this.retriable,
      messageKey: this.messageKey,
      params: this.params,
      outcomeUnknown: this.outcomeUnknown,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.attemptCap !== undefined ? { attemptCap: this.attemptCap } : {}),
      ...(this.operation !== undefined ? { operation: this.operation } : {}),
    };
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, ...this.init() };
  }
}

export function isOctopusError(error: unknown): error is OctopusError {
  return error instanceof OctopusError;
}

/** Replace every secret that might have slipped into a text (Octopus echoing a token, a URL, …). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
