import Dexie, { type EntityTable } from 'dexie';
import { referenceKey, referenceKeysOf, type Transfer } from '../model/transfer';
import type { Connection, ConnectionSecret, Dossier } from '../model/dossier';
import type { MailAccount, MailAccountSecret, MailSendRecord } from '../mail/store';
import type { SiteProblemRow } from './site-problems';
import { secretUrl } from '../platform/secret-url';
import { secretUrlsOf } from '../mail/secret-urls';

/** A unit of pending work. One row per document to send; removed when the transfer is settled. */
export interface OutboxItem {
  /** Same id as the transfer it drives. */
  transferId: string;
  dossierId: string;
  documentKey: string;
  /** When it may run next (ISO); work is picked in this order. */
  dueAt: string;
  /** Set while a worker holds it; a lease older than its expiry is taken back after a crash. */
  leaseUntil?: string;
  /** An earlier attempt may have reached the peer: check there before sending again. */
  outcomeUnknown?: boolean;
  /** The user asked to send it again although it was sent. */
  force?: boolean;
  /**
   * Cancelled while a worker held it: the worker drops it before it calls the transport (after that nothing can be
   * taken back), see Ledger.markDelivering.
   */
  cancelRequested?: boolean;
  /**
   * False from the claim until the transport is called, then true. An attempt cut off while it was
   * still false never reached the peer, so it is resumed without the costly look-back (undefined: unknown, be careful).
   */
  delivering?: boolean;
  /** Set by a scheduled run: the document goes only if it routes to this dossier and its rules let it. */
  scheduledFor?: string;
  /** The user approved it: rules that ask for approval let it go. */
  approved?: boolean;
  /** Its last attempt was cut off and then put back unstarted: the next claim still says "resumed". */
  interrupted?: boolean;
}

/** A bulk send (a selection, a number range, a period): its progress survives worker and browser restarts. */
export interface BulkJob {
  id: string;
  site: string;
  /** What the user asked for, for display ("2026 1–10", "2026-10-01 – 2026-10-31", "12 selected"). */
  label: string;
  createdAt: string;
  transferIds: string[];
  /** Documents the request named that were not queued (already sent, excluded by the filter…). */
  skipped: number;
  state: 'running' | 'cancelled' | 'done';
  finishedAt?: string;
  /** A scheduled run: a system notification sums it up when it is done. */
  notify?: boolean;
  /** Set once that notification went (so a restarted worker does not repeat it). */
  notifiedAt?: string;
}

/** A site the user pointed at a dossier (the site's default dossier). */
export interface SiteSetting {
  site: string;
  defaultDossierId?: string;
}

/** Octopus reference data (journals, VAT codes, accounts, relation ids) kept between bookings. */
export interface ReferenceRow {
  key: string;
  value: unknown;
  /** Epoch ms after which the row is read again from Octopus. */
  expiresAt: number;
}

/** A file dropped in the popup (ad-hoc send): the e-invoice XML to send and the PDF it came with. */
export interface UploadRow {
  /** Hash of the content: the same file dropped twice is one document. */
  id: string;
  fileName: string;
  xml: string;
  pdfBase64?: string;
  dossierId: string;
  /** UBL does not say whose books it is for: a sale of the dossier, or a purchase (the dossier is the buyer). */
  direction: 'sales' | 'purchase';
  createdAt: string;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

function boundOrUndefined<T>(bind: () => T): T | undefined {
  try {
    return bind();
  } catch {
    return undefined;
  }
}

/**
 * The extension's IndexedDB. Lives in the extension origin, so content scripts (which run in the
 * page's origin) cannot open it: that is why secrets sit here and not in storage.local.
 */
export class LedgerDb extends Dexie {
  transfers!: EntityTable<Transfer, 'id'>;
  outbox!: EntityTable<OutboxItem, 'transferId'>;
  dossiers!: EntityTable<Dossier, 'id'>;
  connections!: EntityTable<Connection, 'id'>;
  secrets!: EntityTable<ConnectionSecret, 'connectionId'>;
  sites!: EntityTable<SiteSetting, 'site'>;
  settings!: EntityTable<SettingRow, 'key'>;
  reference!: EntityTable<ReferenceRow, 'key'>;
  bulkJobs!: EntityTable<BulkJob, 'id'>;
  mailSends!: EntityTable<MailSendRecord, 'dedupKey'>;
  mailAccounts!: EntityTable<MailAccount, 'id'>;
  mailSecrets!: EntityTable<MailAccountSecret, 'id'>;
  uploads!: EntityTable<UploadRow, 'id'>;
  siteProblems!: EntityTable<SiteProblemRow, 'key'>;
  /** The Octopus daily call budget: counts per dossier, endpoint and Brussels day, and limits the user changed. */
  callBudget!: EntityTable<SettingRow, 'key'>;

  constructor(name = 'octobridge', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // Version 1. Later schema changes add a new version() with an upgrade(), never edit this one.
    this.version(1).stores({
      transfers: 'id, &documentKey, [dossierId+documentKey], state, updatedAt, createdAt',
      outbox: 'transferId, dueAt, dossierId',
      dossiers: 'id, octopusDossierId',
      connections: 'id',
      secrets: 'connectionId',
      sites: 'site',
      settings: 'key',
    });
    // Version 2: the per-dossier Octopus reference cache (low daily quotas).
    this.version(2).stores({ reference: 'key, expiresAt' });
    // Version 3: bulk jobs (progress of a bulk send survives restarts).
    this.version(3).stores({ bulkJobs: 'id, createdAt, state' });
    // Version 4: the mailbox transport's send ledger and mail account.
    this.version(4).stores({ mailSends: 'dedupKey, transferId, state', mailAccounts: 'id', mailSecrets: 'id' });
    // Version 5: files dropped in the popup for an ad-hoc send, kept so "send again" can resend them.
    this.version(5).stores({ uploads: 'id, createdAt' });
    // Version 6: site selectors that stopped matching, for support to see in the popup and the options page.
    this.version(6).stores({ siteProblems: 'key, lastSeen' });
    // Version 7: every password and token is bound to the address it was entered for; those stored before are
    // bound to the address saved with them (a secret whose address cannot be read stays unbound: never used).
    this.version(7).upgrade(async (tx) => {
      const connections = new Map((await tx.table<Connection, string>('connections').toArray()).map((c) => [c.id, c]));
      await tx.table<ConnectionSecret, string>('secrets').toCollection().modify((secret) => {
        const baseUrl = connections.get(secret.connectionId)?.baseUrl;
        const bound = baseUrl ? boundOrUndefined(() => secretUrl(baseUrl)) : undefined;
        if (!secret.boundUrl && bound) secret.boundUrl = bound;
      });
      const account = await tx.table<MailAccount, string>('mailAccounts').get('default');
      const urls = account ? boundOrUndefined(() => secretUrlsOf(account)) : undefined;
      await tx.table<MailAccountSecret, string>('mailSecrets').toCollection().modify((secret) => {
        if (secret.boundUrl || !urls) return;
        secret.boundUrl = urls.url;
        if (urls.apiUrl) secret.boundApiUrl = urls.apiUrl;
      });
    });
    // Version 8: Octopus's daily call budget, so a worker restart cannot forget what the day has spent.
    this.version(8).stores({ callBudget: 'key' });
    // Version 9: the popup's history filters by dossier, site and state, newest first, over tens of
    // thousands of rows, and lists the sites met.
    // The references every booking got are indexed too (a search by reference reads only its rows); records booked
    // before get them from their latest reference and their log's "booked as" lines.
    this.version(9)
      .stores({
        transfers:
          'id, &documentKey, [dossierId+documentKey], state, updatedAt, createdAt, site, [dossierId+updatedAt], [site+updatedAt], [state+updatedAt], *referenceKeys',
      })
      .upgrade(async (tx) => {
        await tx.table<Transfer, string>('transfers').toCollection().modify((transfer) => {
          const keys = new Set(transfer.octopusReference ? referenceKeysOf(transfer.octopusReference) : []);
          for (const entry of transfer.log ?? []) {
            const reference = entry.text.params[0];
            if ((entry.text.key === 'log_booked' || entry.text.key === 'engine_log_booked_elsewhere') && reference) keys.add(referenceKey(reference));
          }
          if (keys.size > 0) transfer.referenceKeys = [...keys];
        });
      });
  }
}
