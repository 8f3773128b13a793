import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodaSentRecord, CodaSentStore } from '../coda/send';

/**
 * The CLI's record of the CODA statements sent, one JSON file per Octopus installation (software house and
 * address, hashed: nothing secret is written) in the CLI's cache folder. It is per installation, not per dossier:
 * a statement sent to one dossier is not sent to another by a mistyped --dossier either.
 */
export function codaSentFilePath(dir: string, softwareHouseUuid: string, baseUrl: string): string {
  const who = createHash('sha256').update(`${softwareHouseUuid}|${baseUrl.replace(/\/+$/, '')}`).digest('hex').slice(0, 16);
  return join(dir, `coda-sent-${who}.json`);
}

export class CodaSentFile implements CodaSentStore {
  constructor(readonly path: string) {}

  /** Read again on every access: another run may have sent statements since this one started. */
  private load(): Record<string, CodaSentRecord> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, CodaSentRecord>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // A record that cannot be read must not be taken for "nothing sent": that would send statements twice.
      throw new Error(`${this.path} cannot be read (${(error as Error).message}); move it away only if you know nothing was sent`);
    }
  }

  /** Written whole to a temporary file and renamed over, so a run cut off leaves the old file or the new one. */
  private save(rows: Record<string, CodaSentRecord>): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(rows, null, 1), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  async get(key: string): Promise<CodaSentRecord | undefined> {
    return this.load()[key];
  }

  async put(record: CodaSentRecord): Promise<void> {
    const rows = this.load();
    rows[record.key] = record;
    this.save(rows);
  }

  async list(): Promise<CodaSentRecord[]> {
    return Object.values(this.load());
  }

  async delete(key: string): Promise<void> {
    const rows = this.load();
    delete rows[key];
    this.save(rows);
  }
}
