import type { LedgerDb } from '../ledger/db';
import type { Clock } from '../platform/clock';
import type { ReferenceCache } from './booking';
import type { BudgetStore } from './budget';

/**
 * The Octopus reference cache in the extension's IndexedDB, so journals, VAT codes, accounts and relation
 * ids survive the worker's restarts: with the webservice's low daily quotas a booking in steady state
 * should cost one call, not seven.
 */
export class IndexedDbReferenceCache implements ReferenceCache {
  constructor(
    private readonly db: LedgerDb,
    private readonly clock: Clock,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.reference.get(key);
    if (!row) return undefined;
    if (row.expiresAt <= this.clock.now().getTime()) {
      await this.db.reference.delete(key);
      return undefined;
    }
    return row.value as T;
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    await this.db.reference.put({ key, value, expiresAt: this.clock.now().getTime() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    await this.db.reference.delete(key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.db.reference.where('key').startsWith(prefix).delete();
  }

  /** Rows cached for one dossier (for the options page's "refresh" action and tests). */
  async countPrefix(prefix: string): Promise<number> {
    return this.db.reference.where('key').startsWith(prefix).count();
  }
}

/** The daily call budget's rows in the extension's IndexedDB (survive the worker's death and restarts). */
export class IndexedDbBudgetStore implements BudgetStore {
  constructor(private readonly db: LedgerDb) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.db.callBudget.get(key))?.value as T | undefined;
  }

  async update<T>(key: string, change: (current: T | undefined) => T): Promise<T> {
    const { db } = this;
    return db.transaction('rw', db.callBudget, async () => {
      const next = change((await db.callBudget.get(key))?.value as T | undefined);
      await db.callBudget.put({ key, value: next });
      return next;
    });
  }
}
