/**
 * Octopus's daily call budget. The webservice allows very few reads a day per endpoint (2 of VAT codes, 2 of
 * accounts, 10 single-booking reads …, per Europe/Brussels day; see the evidence table in the project docs), and
 * what it answers once a quota is spent is unknown. So every call is counted here before it is made, and a call
 * the budget does not allow is not made: the caller gets an OctopusError of kind 'quota' that says which read,
 * how many a day, and when the next one is possible (the next Brussels midnight).
 *
 * Counts are kept per dossier (scope) and endpoint, in a small store (IndexedDB in the extension, a file in the
 * CLI), so they survive the worker's death and restarts.
 */
import type { Clock } from '../platform/clock';
import { OCTOPUS_MESSAGE_KEYS as K, OctopusError, type OctopusMessageKey } from './errors';

/** The budgeted reads. Writes, authentication and connecting a dossier have no published limit. */
export const BUDGET_ENDPOINTS = ['dossiers', 'bookyears', 'journals', 'accounts', 'accounts-modified', 'vatcodes', 'relations', 'relations-search', 'booking', 'modified', 'coda'] as const;
export type BudgetEndpoint = (typeof BUDGET_ENDPOINTS)[number];

export interface EndpointLimit {
  /** Calls a Brussels day. */
  limit: number;
  /** Kept for what the user starts by hand (an import, a refresh): automatic work stops at limit − reserve. */
  reserve: number;
}

/** The evidence table's figures (S15; the 48 of the modified feeds also S13). */
export const DEFAULT_DAILY_LIMITS: Readonly<Record<BudgetEndpoint, number>> = {
  dossiers: 150,
  bookyears: 24,
  journals: 24,
  accounts: 2,
  'accounts-modified': 48, // accounts/modified
  vatcodes: 2,
  relations: 2, // the unfiltered list
  'relations-search': 400,
  booking: 10, // one booking read back
  modified: 48, // buysellbookings/modified
  // The CODA import has no published limit; a dossier gets about one statement a day per account, so a low ceiling
  // stops a runaway loop from writing into the books without getting in the way of normal work.
  coda: 10,
};

/** A tenth of the limit, rounded down: nothing of the 2-a-day reads, some room on the others. */
export function defaultReserve(limit: number): number {
  return Math.floor(limit / 10);
}

/** The message that says "Octopus allows N reads of … a day; next possible on …". */
export const BUDGET_MESSAGE_KEYS: Readonly<Record<BudgetEndpoint, OctopusMessageKey>> = {
  dossiers: K.budgetDossiers,
  bookyears: K.budgetBookyears,
  journals: K.budgetJournals,
  accounts: K.budgetAccounts,
  'accounts-modified': K.budgetAccountsModified,
  vatcodes: K.budgetVatCodes,
  relations: K.budgetRelations,
  'relations-search': K.budgetRelationsSearch,
  booking: K.budgetBooking,
  modified: K.budgetModified,
  coda: K.budgetCoda,
};

// ---------------------------------------------------------------------------------------------------------------
// The Brussels day
// ---------------------------------------------------------------------------------------------------------------

const BRUSSELS = 'Europe/Brussels';
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: BRUSSELS, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: BRUSSELS, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "2026-03-29": the calendar day in Brussels at that instant (the quotas' day). */
export function brusselsDay(at: Date): string {
  return dayFormat.format(at);
}

/** The first instant of the next Brussels day (23 or 25 hours away on the days the clocks change). */
export function nextBrusselsMidnight(at: Date): Date {
  const [y, m, d] = brusselsDay(at).split('-').map(Number) as [number, number, number];
  const target = brusselsDay(new Date(Date.UTC(y, m - 1, d + 1, 12)));
  // Brussels is UTC+1 or UTC+2; midnight is never inside a clock change (they happen at 02:00 and 03:00).
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d + 1) - offsetHours * 3_600_000);
    if (brusselsDay(candidate) === target && timeFormat.format(candidate) === '00:00') return candidate;
  }
  return new Date(Date.UTC(y, m - 1, d + 1) - 3_600_000);
}

// ---------------------------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------------------------

/** One endpoint's count for one scope. */
export interface BudgetUsage {
  /** The Brussels day the count belongs to; another day starts at 0. */
  day: string;
  used: number;
  /** Octopus itself said the quota is spent: nothing more that day. */
  exhausted?: boolean;
}

/** Limits changed by the user, per endpoint (missing: the default). */
export type LimitOverrides = Partial<Record<BudgetEndpoint, Partial<EndpointLimit>>>;

/** Where counts and limit overrides live: rows of JSON by key, each changed atomically. */
export interface BudgetStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Read, change and write one row as one step (no other update of the row in between). */
  update<T>(key: string, change: (current: T | undefined) => T): Promise<T>;
}

export class MemoryBudgetStore implements BudgetStore {
  readonly rows = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    const v = this.rows.get(key);
    return v === undefined ? undefined : (structuredClone(v) as T);
  }

  async update<T>(key: string, change: (current: T | undefined) => T): Promise<T> {
    const next = change(await this.get<T>(key));
    this.rows.set(key, structuredClone(next));
    return next;
  }
}

const LIMITS_KEY = 'limits';
const usageKey = (scope: string, endpoint: BudgetEndpoint) => `usage|${scope}|${endpoint}`;

/** One endpoint as the options page and `octopus:budget` show it. */
export interface BudgetLine extends EndpointLimit {
  endpoint: BudgetEndpoint;
  used: number;
  /** What is left today for what the user starts (automatic work: left − reserve). */
  left: number;
  exhausted: boolean;
  /** When the count starts again (ISO). */
  resetsAt: string;
}

/** Where a dossier's counts are kept: the connection's base URL and the Octopus dossier id. */
export function budgetScope(baseUrl: string, dossierId: number | undefined): string {
  return `${baseUrl.replace(/\/+$/, '')}|${dossierId ?? '-'}`;
}

/** What the client asks before each budgeted call, and tells after Octopus said a quota is spent. */
export interface CallGate {
  /** Counts the call, or throws an OctopusError of kind 'quota' (nothing is counted then). */
  take(dossierId: number | undefined, endpoint: BudgetEndpoint): Promise<void>;
  /** Octopus answered "quota spent": the endpoint waits for the next Brussels day. */
  exhausted(dossierId: number | undefined, endpoint: BudgetEndpoint): Promise<void>;
}

export class CallBudget {
  constructor(
    private readonly store: BudgetStore,
    private readonly clock: Clock,
  ) {}

  async limits(): Promise<Record<BudgetEndpoint, EndpointLimit>> {
    const overrides = (await this.store.get<LimitOverrides>(LIMITS_KEY)) ?? {};
    const out = {} as Record<BudgetEndpoint, EndpointLimit>;
    for (const endpoint of BUDGET_ENDPOINTS) {
      const limit = overrides[endpoint]?.limit ?? DEFAULT_DAILY_LIMITS[endpoint];
      const reserve = Math.min(limit, overrides[endpoint]?.reserve ?? defaultReserve(limit));
      out[endpoint] = { limit, reserve };
    }
    return out;
  }

  /** For when Octopus states other numbers. `null` goes back to the default. */
  async setLimit(endpoint: BudgetEndpoint, change: { limit?: number | null; reserve?: number | null }): Promise<void> {
    for (const n of [change.limit, change.reserve]) {
      if (n !== undefined && n !== null && (!Number.isInteger(n) || n < 0)) throw new RangeError(`A limit is a whole number ≥ 0, not ${n}`);
    }
    await this.store.update<LimitOverrides>(LIMITS_KEY, (current) => {
      const next: LimitOverrides = { ...(current ?? {}) };
      const entry: Partial<EndpointLimit> = { ...(next[endpoint] ?? {}) };
      if (change.limit === null) delete entry.limit;
      else if (change.limit !== undefined) entry.limit = change.limit;
      if (change.reserve === null) delete entry.reserve;
      else if (change.reserve !== undefined) entry.reserve = change.reserve;
      if (Object.keys(entry).length === 0) delete next[endpoint];
      else next[endpoint] = entry;
      return next;
    });
  }

  private today(): string {
    return brusselsDay(this.clock.now());
  }

  /**
   * Counts one call of `endpoint` in `scope`, or refuses it. `userAsked`: the user started it (an import, a
   * refresh), so the reserve may be used.
   */
  async take(scope: string, endpoint: BudgetEndpoint, options: { userAsked?: boolean } = {}): Promise<void> {
    const { limit, reserve } = (await this.limits())[endpoint];
    const allowed = options.userAsked ? limit : limit - reserve;
    const day = this.today();
    let refused = false;
    await this.store.update<BudgetUsage>(usageKey(scope, endpoint), (current) => {
      const usage = current && current.day === day ? current : { day, used: 0 };
      refused = Boolean(usage.exhausted) || usage.used >= allowed;
      return refused ? usage : { ...usage, used: usage.used + 1 };
    });
    if (refused) throw this.refusal(endpoint, limit);
  }

  async markExhausted(scope: string, endpoint: BudgetEndpoint): Promise<void> {
    const day = this.today();
    await this.store.update<BudgetUsage>(usageKey(scope, endpoint), (current) => ({
      ...(current && current.day === day ? current : { day, used: 0 }),
      exhausted: true,
    }));
  }

  /** Today's count of every endpoint in a scope. */
  async status(scope: string): Promise<BudgetLine[]> {
    const limits = await this.limits();
    const day = this.today();
    const resetsAt = nextBrusselsMidnight(this.clock.now()).toISOString();
    const lines: BudgetLine[] = [];
    for (const endpoint of BUDGET_ENDPOINTS) {
      const row = await this.store.get<BudgetUsage>(usageKey(scope, endpoint));
      const usage = row && row.day === day ? row : { day, used: 0 };
      const { limit, reserve } = limits[endpoint];
      const exhausted = Boolean(usage.exhausted);
      lines.push({ endpoint, limit, reserve, used: usage.used, left: exhausted ? 0 : Math.max(0, limit - usage.used), exhausted, resetsAt });
    }
    return lines;
  }

  /** The gate a client uses for one connection (base URL). */
  gate(baseUrl: string, options: { userAsked?: boolean } = {}): CallGate {
    return {
      take: (dossierId, endpoint) => this.take(budgetScope(baseUrl, dossierId), endpoint, options),
      exhausted: (dossierId, endpoint) => this.markExhausted(budgetScope(baseUrl, dossierId), endpoint),
    };
  }

  private refusal(endpoint: BudgetEndpoint, limit: number): OctopusError {
    const now = this.clock.now();
    const next = nextBrusselsMidnight(now);
    return new OctopusError({
      kind: 'quota',
      message: `The day's budget of ${limit} ${endpoint} calls is spent; the call was not made (next possible ${next.toISOString()})`,
      retriable: true,
      messageKey: BUDGET_MESSAGE_KEYS[endpoint],
      params: [String(limit), brusselsDay(next)],
      retryAfterMs: Math.max(1_000, next.getTime() - now.getTime()),
      operation: `budget ${endpoint}`,
    });
  }
}

/** "the budget refused it before any call" (as opposed to Octopus answering that a quota is spent). */
export function isBudgetRefusal(error: unknown): boolean {
  return error instanceof OctopusError && error.kind === 'quota' && (error.operation ?? '').startsWith('budget ');
}
