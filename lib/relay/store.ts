import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The relay's idempotency store: what was sent under which key. A key is never used for two sends.
 *
 * Two kinds: in memory (lost on restart: a retry after a restart is sent again) and a JSON file
 * (kept across restarts). The file is rewritten whole after each change (write to a temporary file,
 * then rename, so a crash leaves the old or the new file, never half of one); fine for a firm's
 * volume (thousands of keys), not for a shared service with millions. Entries older than the keep
 * period are dropped when the file is written.
 */

export type SendStatus = 'sending' | 'sent' | 'unknown';

export interface SendRecord {
  /** Tenant (a hash of the token) and the client's Idempotency-Key. */
  key: string;
  status: SendStatus;
  /** sha256 of the message bytes: the same key with other bytes is refused. */
  digest: string;
  messageId?: string;
  recipients: string[];
  createdAt: string;
  sentAt?: string;
  /** What the SMTP server answered. */
  response?: string;
}

export interface IdempotencyStore {
  get(key: string): SendRecord | undefined;
  put(record: SendRecord): void;
  delete(key: string): void;
}

export class MemoryStore implements IdempotencyStore {
  protected readonly records = new Map<string, SendRecord>();
  get(key: string) {
    return this.records.get(key);
  }
  put(record: SendRecord) {
    this.records.set(record.key, record);
  }
  delete(key: string) {
    this.records.delete(key);
  }
}

export class JsonFileStore extends MemoryStore {
  constructor(
    private readonly path: string,
    private readonly keepMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
    if (existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { records?: SendRecord[] };
      for (const record of saved.records ?? []) {
        // A send cut off by a crash may or may not have left: never send it again by itself.
        this.records.set(record.key, record.status === 'sending' ? { ...record, status: 'unknown' } : record);
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
    }
  }

  override put(record: SendRecord) {
    super.put(record);
    this.save();
  }

  override delete(key: string) {
    super.delete(key);
    this.save();
  }

  private save() {
    const oldest = this.now() - this.keepMs;
    for (const [key, record] of this.records) {
      if (record.status === 'sent' && Date.parse(record.sentAt ?? record.createdAt) < oldest) this.records.delete(key);
    }
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ records: [...this.records.values()] }));
    renameSync(temporary, this.path);
  }
}
