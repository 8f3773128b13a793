import Dexie from 'dexie';

/**
 * The ledger's tables as each earlier schema version had them (frozen copies of lib/ledger/db.ts's history), so an
 * upgrade test can make a database as an older extension left it and open it with today's LedgerDb.
 */
const TABLES_ADDED: Record<number, Record<string, string>> = {
  1: {
    transfers: 'id, &documentKey, [dossierId+documentKey], state, updatedAt, createdAt',
    outbox: 'transferId, dueAt, dossierId',
    dossiers: 'id, octopusDossierId',
    connections: 'id',
    secrets: 'connectionId',
    sites: 'site',
    settings: 'key',
  },
  2: { reference: 'key, expiresAt' },
  3: { bulkJobs: 'id, createdAt, state' },
  4: { mailSends: 'dedupKey, transferId, state', mailAccounts: 'id', mailSecrets: 'id' },
  5: { uploads: 'id, createdAt' },
  6: { siteProblems: 'key, lastSeen' },
};

/** A Dexie database named `name` with the ledger's schema of `version` (1 to 6), opened; close it before LedgerDb opens it. */
export function ledgerAsOfVersion(name: string, version: number): Dexie {
  if (!TABLES_ADDED[version]) throw new Error(`no frozen schema for version ${version}`);
  const stores: Record<string, string> = {};
  for (let v = 1; v <= version; v++) Object.assign(stores, TABLES_ADDED[v]);
  const db = new Dexie(name);
  db.version(version).stores(stores);
  return db;
}
