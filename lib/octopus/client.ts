/**
 * The Octopus REST webservice client. No browser API: `fetch` and the clock are injected, so the same code runs
 * in the MV3 worker, in tests (against tests/sandbox/octopus-sim.ts) and in a CLI.
 *
 * Tokens: the auth token (POST /authentication) and one dossier token per dossier (POST /dossiers?dossierId=)
 * are cached and renewed before their 10 minutes run out (after 9), and once more when Octopus answers 401.
 * A second 401 is final (kind 'login', not retriable).
 *
 * Errors are OctopusError (./errors.ts). Nothing here logs; no error text carries the password or a token.
 */
import { MAX_API_RESPONSE_BYTES, readCappedText } from '../bounded/read-capped';
import type { z } from 'zod';
import type { Clock } from '../platform/clock';
import {
  ALL_BOOKYEARS,
  DEFAULT_LOCALE_ID,
  ERROR_CODES,
  FIELDS,
  HEADERS,
  HTTP_STATUS,
  JOURNAL_OPEN_RETRY,
  JOURNAL_OPEN_TEXT,
  MODIFIED_TIMESTAMP_EPOCH,
  PATHS,
  QUERY,
  QUOTA_TEXT,
  TOKEN_RENEW_AFTER_MS,
  accountSchema,
  authenticationResponseSchema,
  bookingReadSchema,
  bookyearSchema,
  dossierSchema,
  dossierTokenResponseSchema,
  errorBodySchema,
  formatModifiedTimeStamp,
  journalSchema,
  relationSchema,
  vatCodeSchema,
  type BuySellBookingServiceData,
  type OctopusAccount,
  type OctopusAttachment,
  type OctopusBookingRead,
  type OctopusBookyear,
  type OctopusDossier,
  type OctopusJournal,
  type OctopusRelation,
  type OctopusVatCode,
  type RelationServiceData,
} from './api';
import { OCTOPUS_MESSAGE_KEYS as K, OctopusError, redact, type OctopusErrorKind, type OctopusMessageKey } from './errors';
import { nextBrusselsMidnight, type BudgetEndpoint, type CallGate } from './budget';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface OctopusClientOptions {
  /** e.g. https://service.inaras.be/octopus-rest-api/v1 (trailing slashes are ignored). */
  baseUrl: string;
  softwareHouseUuid: string;
  user: string;
  password: string;
  /** Injected fetch; default the global one. */
  fetch?: FetchLike;
  clock?: Clock;
  /** Per request, below 30 s (clamped to 29 s). Default 20 s. */
  timeoutMs?: number;
  /** Renew tokens this long after they were issued. Default 9 min (they live 10 [OFF]). */
  renewAfterMs?: number;
  localeId?: number;
  /** [1 WetWijzer, unverified] e.g. "nl" for Dutch error texts. */
  acceptLanguage?: string;
  /**
   * fetch credentials. The doc recommends keeping cookies in the worker ('include') although the REST API is
   * said to be stateless [INF]. Default 'include'.
   */
  credentials?: RequestCredentials;
  /** Called after every HTTP exchange (no secrets: method, path, status, ms). For counting and diagnostics. */
  onRequest?: (info: RequestInfo) => void;
  /** The daily call budget: asked before every budgeted read, told when Octopus says a quota is spent. */
  budget?: CallGate;
}

export interface RequestInfo {
  operation: string;
  method: string;
  /** The path below the base URL with its query (carries no secret). */
  path: string;
  /** 0 when no answer came. */
  status: number;
  durationMs: number;
}

export interface RelationFilter {
  relationId?: number;
  extRelationId?: number;
  name?: string;
  vatNr?: string;
}

export interface BookingKey {
  bookyearId: number;
  journalKey: string;
  documentSequenceNr: number;
}

export interface UpsertRelationResult {
  created: boolean;
  /** relationKey.id, from the 201 body, from what we sent, or re-read by external id (204 has no body). */
  relationId: number;
}

interface Token {
  value: string;
  issuedAt: number;
}

interface Exchange {
  status: number;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  json: unknown;
  text: string;
  headers: Headers;
}

interface RequestSpec {
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** A write that may act on Octopus: a timeout or 5xx leaves the outcome unknown. */
  write?: boolean;
  /** The daily limit this call counts against (reads only; see ./budget.ts). */
  endpoint?: BudgetEndpoint;
}

type Phase = 'authentication' | 'connect' | 'dossier';

const MAX_TIMEOUT_MS = 29_000;

export class OctopusClient {
  readonly baseUrl: string;
  readonly user: string;
  private readonly softwareHouseUuid: string;
  private readonly password: string;
  private readonly fetchFn: FetchLike;
  /** The client's clock (bookings read the modified feed from a time on it). */
  readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly renewAfterMs: number;
  private readonly localeId: number;
  private readonly acceptLanguage: string | undefined;
  private readonly credentials: RequestCredentials;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  private readonly budget: CallGate | undefined;
  private authToken: Token | undefined;
  private authPending: Promise<string> | undefined;
  private readonly dossierTokens = new Map<number, Token>();
  private readonly dossierPending = new Map<number, Promise<string>>();
  /** HTTP exchanges made so far (including token calls). */
  requestCount = 0;

  constructor(options: OctopusClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.user = options.user;
    this.softwareHouseUuid = options.softwareHouseUuid;
    this.password = options.password;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.clock = options.clock ?? { now: () => new Date() };
    this.timeoutMs = Math.min(options.timeoutMs ?? 20_000, MAX_TIMEOUT_MS);
    this.renewAfterMs = options.renewAfterMs ?? TOKEN_RENEW_AFTER_MS;
    this.localeId = options.localeId ?? DEFAULT_LOCALE_ID;
    this.acceptLanguage = options.acceptLanguage;
    this.credentials = options.credentials ?? 'include';
    this.onRequest = options.onRequest;
    this.budget = options.budget;
  }

  // ----------------------------------------------------------------------------------------------------------
  // Public API
  // ----------------------------------------------------------------------------------------------------------

  /** Log in now (e.g. to test a connection). Normally implicit. */
  async authenticate(): Promise<void> {
    await this.getAuthToken(true);
  }

  /** Open a dossier now (checks the user's access to it). Normally implicit. */
  async connect(dossierId: number): Promise<void> {
    await this.getDossierToken(dossierId, true);
  }

  /** Forget every token (e.g. after the password changed). */
  invalidateTokens(): void {
    this.authToken = undefined;
    this.dossierTokens.clear();
  }

  async dossiers(): Promise<OctopusDossier[]> {
    const spec: RequestSpec = { operation: 'GET dossiers', method: 'GET', path: PATHS.dossiers(), endpoint: 'dossiers' };
    const res = await this.withAuthToken(spec);
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'connect');
    return this.parse(dossierSchema.array(), res.json, spec);
  }

  async bookyears(dossierId: number): Promise<OctopusBookyear[]> {
    return this.getList(dossierId, { operation: 'GET bookyears', method: 'GET', path: PATHS.bookyears(dossierId), endpoint: 'bookyears' }, bookyearSchema);
  }

  async journals(dossierId: number, bookyearId: number): Promise<OctopusJournal[]> {
    return this.getList(dossierId, { operation: 'GET journals', method: 'GET', path: PATHS.journals(dossierId, bookyearId), endpoint: 'journals' }, journalSchema);
  }

  async accounts(dossierId: number, bookyearId: number): Promise<OctopusAccount[]> {
    return this.getList(
      dossierId,
      { operation: 'GET accounts', method: 'GET', path: PATHS.accounts(dossierId), query: { [QUERY.bookyearId]: bookyearId }, endpoint: 'accounts' },
      accountSchema,
    );
  }

  /** Accounts created or changed since `since` (404 = none → []); 48 a day, where the whole list has 2. */
  async modifiedAccounts(dossierId: number, bookyearId: number, since: Date): Promise<OctopusAccount[]> {
    const spec: RequestSpec = {
      operation: 'GET accounts/modified',
      method: 'GET',
      path: PATHS.accountsModified(dossierId),
      query: { [QUERY.bookyearId]: bookyearId, [QUERY.modifiedTimeStamp]: formatModifiedTimeStamp(since) },
      endpoint: 'accounts-modified',
    };
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status === HTTP_STATUS.notFound && isOctopusErrorBody(res.json)) return [];
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'dossier');
    return this.parse(accountSchema.array(), res.json, spec);
  }

  async vatCodes(dossierId: number): Promise<OctopusVatCode[]> {
    return this.getList(dossierId, { operation: 'GET vatcodes', method: 'GET', path: PATHS.vatCodes(dossierId), endpoint: 'vatcodes' }, vatCodeSchema);
  }

  /** Relations matching the filter; [] when Octopus answers 404 with its error body (nothing found [N]). */
  async findRelations(dossierId: number, filter: RelationFilter = {}): Promise<OctopusRelation[]> {
    const spec: RequestSpec = {
      operation: 'GET relations',
      method: 'GET',
      path: PATHS.relations(dossierId),
      query: {
        [QUERY.relationId]: filter.relationId,
        [QUERY.extRelationId]: filter.extRelationId,
        [QUERY.name]: filter.name,
        [QUERY.vatNr]: filter.vatNr,
      },
      // Without a search term it is the whole list, 2 a day; a search has 400.
      endpoint: Object.values(filter).some((v) => v !== undefined) ? 'relations-search' : 'relations',
    };
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status === HTTP_STATUS.notFound && isOctopusErrorBody(res.json)) return [];
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'dossier');
    return this.parse(relationSchema.array(), res.json, spec);
  }

  /**
   * The one relation whose externalRelationId is ours, else undefined. The server's filter is not trusted (a
   * misspelt or unknown parameter may be ignored and everything returned): a relation with another external id
   * is never taken, and several with ours are ambiguous, so none of them is taken either.
   */
  async findRelationByExternalId(dossierId: number, externalRelationId: number): Promise<OctopusRelation | undefined> {
    const found = await this.findRelations(dossierId, { extRelationId: externalRelationId });
    const ours = found.filter((r) => r.relationIdentificationServiceData.externalRelationId === externalRelationId);
    return ours.length === 1 ? ours[0] : undefined;
  }

  /**
   * PUT /relations, an upsert keyed on externalRelationId [INF from SOAP-era comments]. 201 = created (with a
   * body), 204 = updated (no body) [N, unverified]. Returns the relation id, re-reading it when needed.
   */
  async upsertRelation(dossierId: number, relation: RelationServiceData): Promise<UpsertRelationResult> {
    const spec: RequestSpec = { operation: 'PUT relations', method: 'PUT', path: PATHS.relations(dossierId), body: relation, write: true };
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status !== HTTP_STATUS.ok && res.status !== HTTP_STATUS.created && res.status !== HTTP_STATUS.updated) {
      throw this.errorOf(res, spec, 'dossier').withParams([relation.name]);
    }
    const created = res.status !== HTTP_STATUS.updated;
    const fromBody = relationSchema.safeParse(res.json);
    const bodyId = fromBody.success ? fromBody.data.relationIdentificationServiceData.relationKey?.id : undefined;
    const sentId = relation.relationIdentificationServiceData.relationKey?.id;
    let relationId = bodyId && bodyId > 0 ? bodyId : !created && sentId && sentId > 0 ? sentId : undefined;
    if (relationId === undefined) {
      const reread = await this.findRelationByExternalId(dossierId, relation.relationIdentificationServiceData.externalRelationId);
      relationId = reread?.relationIdentificationServiceData.relationKey?.id ?? undefined;
    }
    if (!relationId) {
      throw new OctopusError({
        kind: 'unknown-relation',
        message: 'The relation was saved but could not be read back',
        retriable: true,
        messageKey: K.unknownRelation,
        params: [relation.name],
        operation: spec.operation,
      });
    }
    return { created, relationId };
  }

  /**
   * POST /buysellbookings. Octopus answers 200/201 with an empty body [N]: the booking number is the
   * documentSequenceNr we sent. A timeout or a 5xx throws with `outcomeUnknown` (read back before resending).
   */
  async postBuySellBooking(dossierId: number, booking: BuySellBookingServiceData, attachments: readonly OctopusAttachment[] = []): Promise<void> {
    const spec: RequestSpec = {
      operation: 'POST buysellbookings',
      method: 'POST',
      path: PATHS.buySellBookings(dossierId),
      body: { [FIELDS.bookingWrapper]: booking, [FIELDS.attachments]: attachments },
      write: true,
    };
    let res: Exchange;
    try {
      res = await this.withDossierToken(dossierId, spec);
    } catch (error) {
      throw error instanceof OctopusError ? withBookingParams(error, booking) : error;
    }
    if (res.status >= 200 && res.status < 300) return;
    throw withBookingParams(this.errorOf(res, spec, 'dossier'), booking);
  }

  /**
   * POST /coda {unconfirmed, see PATHS.coda}: one CODA file (one or more statements) into the dossier's financial
   * journal. Counted against the day's budget before it goes; a timeout or a 5xx throws with `outcomeUnknown`, and
   * since nothing can be read back to tell, the caller must not send it again by itself.
   */
  async importCoda(dossierId: number, codaText: string, options: { publishPdfInDms?: boolean } = {}): Promise<void> {
    const spec: RequestSpec = {
      operation: 'POST coda',
      method: 'POST',
      path: PATHS.coda(dossierId),
      query: { [QUERY.publishPdfInDms]: String(options.publishPdfInDms ?? false) },
      body: codaText,
      write: true,
      endpoint: 'coda',
    };
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status >= 200 && res.status < 300) return;
    throw this.errorOf(res, spec, 'dossier');
  }

  /** Read one booking back; undefined when Octopus has none with that number (404). */
  async getBuySellBooking(dossierId: number, key: BookingKey): Promise<OctopusBookingRead | undefined> {
    const spec: RequestSpec = {
      operation: 'GET buysellbookings',
      method: 'GET',
      path: PATHS.buySellBookings(dossierId),
      query: { [QUERY.bookyearId]: key.bookyearId, [QUERY.journalKey]: key.journalKey, [QUERY.documentSeqNr]: key.documentSequenceNr },
      endpoint: 'booking',
    };
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status === HTTP_STATUS.notFound && isOctopusErrorBody(res.json)) return undefined;
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'dossier');
    const list = this.parse(bookingReadSchema.array(), Array.isArray(res.json) ? res.json : [res.json], spec);
    return list.find((b) => b.documentSequenceNr === key.documentSequenceNr) ?? list[0];
  }

  /**
   * Bookings modified since `since` (404 = nothing modified → []). Quota-limited (48/day reported [1]): do not
   * poll. The time zone of the timestamp is undocumented: give `since` with an overlap.
   */
  async modifiedBookings(
    dossierId: number,
    options: { since?: Date | string; bookyearId?: number; journalKey?: string } = {},
  ): Promise<OctopusBookingRead[]> {
    const since = options.since === undefined ? MODIFIED_TIMESTAMP_EPOCH : typeof options.since === 'string' ? options.since : formatModifiedTimeStamp(options.since);
    const spec: RequestSpec = {
      operation: 'GET buysellbookings/modified',
      method: 'GET',
      path: PATHS.buySellBookingsModified(dossierId),
      query: { [QUERY.bookyearId]: options.bookyearId ?? ALL_BOOKYEARS, [QUERY.journalKey]: options.journalKey, [QUERY.modifiedTimeStamp]: since },
      endpoint: 'modified',
    };
    const res = await this.withDossierToken(dossierId, spec);
    // 404 "No modified bookings found" with Octopus's error body (S9 LIVE); a bare 404 (a wrong URL, a proxy) is
    // not taken for "nothing changed".
    if (res.status === HTTP_STATUS.notFound && isOctopusErrorBody(res.json)) return [];
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'dossier');
    return this.parse(bookingReadSchema.array(), res.json, spec);
  }

  /**
   * One dossier-scoped GET whose answer comes back as the server gave it (status and parsed body), for the probe
   * that must see what Octopus really says rather than what this client makes of it. Tokens as for every call.
   */
  async rawGet(dossierId: number, operation: string, path: string, query: Record<string, string | number | undefined> = {}): Promise<{ status: number; json: unknown; path: string }> {
    const spec: RequestSpec = { operation, method: 'GET', path, query };
    const res = await this.withDossierToken(dossierId, spec);
    const qs = queryString(query);
    return { status: res.status, json: res.json, path: qs ? `${path}?${qs}` : path };
  }

  // ----------------------------------------------------------------------------------------------------------
  // Tokens
  // ----------------------------------------------------------------------------------------------------------

  private fresh(token: Token | undefined): token is Token {
    return token !== undefined && this.clock.now().getTime() - token.issuedAt < this.renewAfterMs;
  }

  private getAuthToken(force = false): Promise<string> {
    if (!force && this.fresh(this.authToken)) return Promise.resolve(this.authToken.value);
    if (this.authPending) return this.authPending;
    const pending = this.login().finally(() => {
      if (this.authPending === pending) this.authPending = undefined;
    });
    this.authPending = pending;
    return pending;
  }

  private async login(): Promise<string> {
    const spec: RequestSpec = {
      operation: 'authentication',
      method: 'POST',
      path: PATHS.authentication(),
      headers: { [HEADERS.softwareHouseUuid]: this.softwareHouseUuid },
      body: { [FIELDS.user]: this.user, [FIELDS.password]: this.password },
    };
    const issuedAt = this.clock.now().getTime();
    const res = await this.send(spec);
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'authentication');
    const { token } = this.parse(authenticationResponseSchema, res.json, spec);
    this.authToken = { value: token, issuedAt };
    return token;
  }

  private getDossierToken(dossierId: number, force = false): Promise<string> {
    const cached = this.dossierTokens.get(dossierId);
    if (!force && this.fresh(cached)) return Promise.resolve(cached.value);
    const pendingNow = this.dossierPending.get(dossierId);
    if (pendingNow) return pendingNow;
    const pending = this.connectDossier(dossierId).finally(() => {
      if (this.dossierPending.get(dossierId) === pending) this.dossierPending.delete(dossierId);
    });
    this.dossierPending.set(dossierId, pending);
    return pending;
  }

  private async connectDossier(dossierId: number): Promise<string> {
    const spec: RequestSpec = {
      operation: 'connect dossier',
      method: 'POST',
      path: PATHS.dossiers(),
      query: { [QUERY.dossierId]: dossierId, [QUERY.localeId]: this.localeId },
      // No body is needed; the Python seed sends {} [N].
      body: {},
    };
    const issuedAt = this.clock.now().getTime();
    const res = await this.withAuthToken(spec);
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'connect').withParams([String(dossierId)]);
    const parsed = this.parse(dossierTokenResponseSchema, res.json, spec);
    const value = parsed[FIELDS.dossierToken] as string;
    this.dossierTokens.set(dossierId, { value, issuedAt });
    return value;
  }

  /** A call with the auth token; on 401 one fresh login and one retry. */
  private async withAuthToken(spec: RequestSpec): Promise<Exchange> {
    let token = await this.getAuthToken();
    let res = await this.sendCounted(undefined, { ...spec, headers: { ...spec.headers, [HEADERS.token]: token } });
    if (res.status !== HTTP_STATUS.unauthorized) return res;
    this.authToken = undefined;
    token = await this.getAuthToken(true);
    res = await this.sendCounted(undefined, { ...spec, headers: { ...spec.headers, [HEADERS.token]: token } });
    return res;
  }

  /**
   * A budgeted call is counted before it goes (and not made when the day's budget is spent); an answer saying
   * the quota is spent stops that endpoint until the next Brussels day.
   */
  private async sendCounted(dossierId: number | undefined, spec: RequestSpec): Promise<Exchange> {
    if (spec.endpoint && this.budget) await this.budget.take(dossierId, spec.endpoint);
    const res = await this.send(spec);
    if (spec.endpoint && this.budget && this.isQuotaAnswer(res)) await this.budget.exhausted(dossierId, spec.endpoint);
    return res;
  }

  private isQuotaAnswer(res: Exchange): boolean {
    if (res.status === HTTP_STATUS.quota) return true;
    const body = errorBodySchema.safeParse(res.json);
    if (!body.success || res.status < 400) return false;
    const code = body.data.errorCode ?? body.data.octopusErrorCode ?? undefined;
    const text = body.data.errorMessage ?? body.data.description ?? undefined;
    return (code !== undefined && code !== null && ERROR_CODES[code]?.kind === 'quota') || (text !== undefined && text !== null && QUOTA_TEXT.test(text));
  }

  /** A call with the dossier token; on 401 one fresh dossier token (re-logging in if needed) and one retry. */
  private async withDossierToken(dossierId: number, spec: RequestSpec): Promise<Exchange> {
    let token = await this.getDossierToken(dossierId);
    let res = await this.sendCounted(dossierId, { ...spec, headers: { ...spec.headers, [HEADERS.dossierToken]: token } });
    if (res.status !== HTTP_STATUS.unauthorized) return res;
    // The dossier token was refused. Its auth token is likely as old: drop both and start over once.
    this.dossierTokens.delete(dossierId);
    this.authToken = undefined;
    token = await this.getDossierToken(dossierId, true);
    res = await this.sendCounted(dossierId, { ...spec, headers: { ...spec.headers, [HEADERS.dossierToken]: token } });
    return res;
  }

  private async getList<S extends z.ZodType>(dossierId: number, spec: RequestSpec, item: S): Promise<z.infer<S>[]> {
    const res = await this.withDossierToken(dossierId, spec);
    if (res.status !== HTTP_STATUS.ok) throw this.errorOf(res, spec, 'dossier');
    return this.parse(item.array(), res.json, spec) as z.infer<S>[];
  }

  // ----------------------------------------------------------------------------------------------------------
  // HTTP
  // ----------------------------------------------------------------------------------------------------------

  private secrets(): string[] {
    return [this.password, this.authToken?.value, ...[...this.dossierTokens.values()].map((t) => t.value)].filter(
      (s): s is string => Boolean(s),
    );
  }

  private async send(spec: RequestSpec): Promise<Exchange> {
    const qs = queryString(spec.query);
    const path = qs ? `${spec.path}?${qs}` : spec.path;
    const headers: Record<string, string> = { Accept: 'application/json', ...spec.headers };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.acceptLanguage) headers[HEADERS.acceptLanguage] = this.acceptLanguage;
    const started = Date.now();
    this.requestCount += 1;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        credentials: this.credentials,
        // The password and tokens go to the webservice's own address only: a redirect is refused, not followed.
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await readCappedText(response, MAX_API_RESPONSE_BYTES);
    } catch (error) {
      this.onRequest?.({ operation: spec.operation, method: spec.method, path, status: 0, durationMs: Date.now() - started });
      throw this.networkError(error, spec);
    }
    this.onRequest?.({ operation: spec.operation, method: spec.method, path, status: response.status, durationMs: Date.now() - started });
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  private networkError(error: unknown, spec: RequestSpec): OctopusError {
    const name = error instanceof Error ? error.name : '';
    const timeout = name === 'TimeoutError' || name === 'AbortError';
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = timeout
      ? `No answer from Octopus within ${Math.round(this.timeoutMs / 1000)} s`
      : `Octopus could not be reached (${error instanceof Error ? error.message : String(error)}${cause})`;
    // Refused or unresolvable: the request never left, so even a write has no unknown outcome. (Browsers say
    // only "Failed to fetch"; then we stay on the safe side.)
    const code = error instanceof Error && typeof (error.cause as { code?: unknown } | undefined)?.code === 'string' ? (error.cause as { code: string }).code : '';
    const notSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
    return new OctopusError({
      kind: 'network',
      message: redact(message, this.secrets()),
      retriable: true,
      messageKey: timeout ? K.timeout : K.network,
      params: timeout ? [String(Math.round(this.timeoutMs / 1000))] : [],
      outcomeUnknown: spec.write === true && !notSent,
      operation: spec.operation,
    });
  }

  private parse<S extends z.ZodType>(schema: S, json: unknown, spec: RequestSpec): z.infer<S> {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
    throw new OctopusError({
      kind: 'invalid',
      message: `Unexpected answer from Octopus to ${spec.operation} (${where})`,
      retriable: false,
      messageKey: K.unexpectedResponse,
      operation: spec.operation,
    });
  }

  private errorOf(res: Exchange, spec: RequestSpec, phase: Phase): OctopusError {
    const body = errorBodySchema.safeParse(res.json);
    const b = body.success ? body.data : undefined;
    const errorCode = b?.errorCode ?? b?.octopusErrorCode ?? undefined;
    const secrets = this.secrets();
    const octopusText = b?.errorMessage ?? b?.description ?? undefined;
    const message = redact(octopusText ?? `HTTP ${res.status} from Octopus (${spec.operation})`, secrets);
    const technicalInfo = b?.technicalInfo ? redact(b.technicalInfo, secrets) : undefined;
    const info = errorCode !== undefined && errorCode !== null ? ERROR_CODES[errorCode] : undefined;
    const base = {
      httpStatus: res.status,
      ...(errorCode !== undefined && errorCode !== null ? { errorCode } : {}),
      ...(info ? { errorName: info.name } : {}),
      message,
      ...(technicalInfo ? { technicalInfo } : {}),
      operation: spec.operation,
    };
    const make = (
      kind: OctopusErrorKind,
      messageKey: OctopusMessageKey,
      retriable: boolean,
      extra: { outcomeUnknown?: boolean; retryAfterMs?: number; attemptCap?: number; params?: string[] } = {},
    ) =>
      new OctopusError({ ...base, kind, messageKey, retriable, ...extra });

    // Quota: status and code are guesses (HTTP 429 / -51 [INF]), so the text is read too.
    if (res.status === HTTP_STATUS.quota || (octopusText !== undefined && QUOTA_TEXT.test(octopusText)) || info?.kind === 'quota') {
      return make('quota', K.quota, true, { retryAfterMs: this.retryAfter(res.headers) });
    }
    if (phase === 'authentication') {
      if (errorCode === -68) return make('login', K.softwareHouse, false);
      // 403 at login: the user exists but may not use the webservice (module not active) [INF: code not found].
      if (res.status === HTTP_STATUS.forbidden || errorCode === -3 || errorCode === -5) return make('access', K.webserviceDisabled, false);
      if (res.status === HTTP_STATUS.unauthorized || errorCode === -1) return make('login', K.login, false);
    }
    if (res.status === HTTP_STATUS.unauthorized) {
      // Reached only after the one refresh: final.
      if (errorCode === -68) return make('login', K.softwareHouse, false);
      return make('login', phase === 'authentication' ? K.login : K.notAuthenticated, false);
    }
    if (phase === 'connect' && (res.status === HTTP_STATUS.forbidden || errorCode === -3 || errorCode === -5)) {
      return make('access', errorCode === -5 ? K.dossierDisabled : K.noDossierAccess, false);
    }
    // A journal someone has open clears when they close it: a few tries spread over hours, then the user.
    const journalOpen = () => make('journal-open', K.journalOpen, true, { retryAfterMs: JOURNAL_OPEN_RETRY.everyMs, attemptCap: JOURNAL_OPEN_RETRY.attempts });
    if (info?.kind === 'journal-open') return journalOpen();
    if (info) return make(info.kind, info.key, info.retriable);
    if (res.status >= 500) {
      // A 5xx without an Octopus error body: the server or a proxy failed. A write may have landed.
      return make('server', K.server, true, { outcomeUnknown: spec.write === true, params: [String(res.status)] });
    }
    if (res.status === HTTP_STATUS.forbidden) {
      // 403 means "journal closed or in use by another user" or "no right to book" [N]: it is "journal open" only
      // when Octopus says so; else a permission error in Octopus's own words, not retried (it would only spend calls).
      const said = `${octopusText ?? ''} ${technicalInfo ?? ''}`;
      if (spec.write && JOURNAL_OPEN_TEXT.test(said)) return journalOpen();
      return make('access', K.permission, false, { params: [message] });
    }
    if (res.status === HTTP_STATUS.notFound && !isOctopusErrorBody(res.json)) {
      return make('invalid', K.unexpectedResponse, false); // a wrong base URL, most likely
    }
    return make('invalid', K.invalid, false);
  }

  /**
   * Until the next Brussels midnight, when the daily quotas start again: no automatic retry before then. A longer
   * Retry-After is obeyed; a shorter one is not (the quota is per day whatever the header says).
   */
  private retryAfter(headers: Headers): number {
    const now = this.clock.now();
    const untilMidnight = nextBrusselsMidnight(now).getTime() - now.getTime();
    const header = headers.get('Retry-After');
    if (header && /^\d+$/.test(header)) return Math.max(Number(header) * 1000, untilMidnight);
    return untilMidnight;
  }
}

/**
 * The query string with every value percent-encoded: a space is `%20`, as the live clients send the
 * modifiedTimeStamp (URLSearchParams would write `+`, which a server may not read as a space).
 */
export function queryString(query: Record<string, string | number | undefined> = {}): string {
  return Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function isOctopusErrorBody(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && ('errorCode' in json || 'errorMessage' in json);
}

/** Fill the message params from the booking we sent (Octopus's text is kept as the detail). */
function withBookingParams(error: OctopusError, booking: BuySellBookingServiceData): OctopusError {
  const journal = booking.journalKey;
  const period = String(booking.bookyearPeriodeNr);
  switch (error.messageKey) {
    case K.journalOpen:
    case K.journalClosed:
    case K.journalWrongMode:
    case K.unknownJournal:
    case K.sequence:
      return error.withParams([journal]);
    case K.periodClosed:
      return error.withParams([period, journal]);
    case K.unknownPeriod:
      return error.withParams([period]);
    case K.unknownBookyear:
      return error.withParams([booking.documentDate]);
    case K.unknownAccount:
      return error.withParams([[...new Set(booking.bookingLines.map((l) => String(l.accountKey)))].join(', ')]);
    case K.unknownVatCode:
      return error.withParams([[...new Set(booking.bookingLines.map((l) => l.vatCodeKey))].join(', ')]);
    case K.unknownRelation:
      return error.withParams([String(booking.relationIdentificationServiceData.externalRelationId ?? booking.relationIdentificationServiceData.relationKey?.id ?? '')]);
    case K.timeout:
      return error;
    default:
      return error;
  }
}
