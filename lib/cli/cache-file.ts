import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ReferenceCache } from '../octopus/booking';
import type { BudgetStore } from '../octopus/budget';
import type { Clock } from '../platform/clock';

/**
 * The CLI's memory between runs: one JSON file per software house and dossier holding the reference data
 * (bookyears, journals, accounts, VAT codes, relation ids) and the day's call counts, so that running
 * `octopus:book` again spends nothing but the POST. Nothing secret is written: the software house ID only
 * enters the file name through a hash.
 */
interface CacheFileContent {
  reference: Record<string, { value: unknown; expiresAt: number }>;
  budget: Record<string, unknown>;
}

/** $XDG_CACHE_HOME/octobridge, else ~/.cache/octobridge. */
export function defaultCacheDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'octobridge');
}

export function cacheFilePath(dir: string, softwareHouseUuid: string, baseUrl: string, dossierId: number): string {
  const who = createHash('sha256').update(`${softwareHouseUuid}|${baseUrl.replace(/\/+$/, '')}`).digest('hex').slice(0, 16);
  return join(dir, `octopus-${who}-${dossierId}.json`);
}

export class CacheFile {
  private content: CacheFileContent | undefined;

  constructor(
    readonly path: string,
    private readonly clock: Clock,
  ) {}

  private load(): CacheFileContent {
    if (this.content) return this.content;
    let parsed: Partial<CacheFileContent> = {};
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<CacheFileContent>;
    } catch {
      // No file yet, or one that cannot be read as ours: start empty (a broken file only costs reads again).
    }
    this.content = { reference: parsed.reference ?? {}, budget: parsed.budget ?? {} };
    return this.content;
  }

  /** Written whole to a temporary file and renamed over, so a run cut off leaves the old file or the new one. */
  private save(): void {
    const content = this.load();
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  readonly reference: ReferenceCache = {
    get: async <T>(key: string) => {
      const row = this.load().reference[key];
      if (!row) return undefined;
      if (row.expiresAt <= this.clock.now().getTime()) {
        delete this.load().reference[key];
        return undefined;
      }
      return structuredClone(row.value) as T;
    },
    set: async (key, value, ttlMs) => {
      this.load().reference[key] = { value: structuredClone(value), expiresAt: this.clock.now().getTime() + ttlMs };
      this.save();
    },
    delete: async (key) => {
      delete this.load().reference[key];
      this.save();
    },
    deletePrefix: async (prefix) => {
      const rows = this.load().reference;
      for (const k of Object.keys(rows)) if (k.startsWith(prefix)) delete rows[k];
      this.save();
    },
  };

  readonly budget: BudgetStore = {
    get: async <T>(key: string) => {
      const v = this.load().budget[key];
      return v === undefined ? undefined : (structuredClone(v) as T);
    },
    update: async <T>(key: string, change: (current: T | undefined) => T) => {
      // Read again first: another run may have counted calls since this one started.
      this.content = undefined;
      const budget = this.load().budget;
      const next = change(budget[key] === undefined ? undefined : (structuredClone(budget[key]) as T));
      budget[key] = structuredClone(next);
      this.save();
      return next;
    },
  };
}
