import type { LedgerDb } from '../ledger/db';
import type { FetchLike } from '../octopus/client';
import type { LocalizedText } from '../model/transfer';
import { systemClock } from '../platform/clock';
import { clientForConnection, dayBudget, failureText } from '../transfer/webservice-transport';
import { readCoda } from './reader';
import { accountKey, statementYear, type CodaStatement } from './model';
import { routeStatement } from './routing';
import { CodaSendRefused, sendCodaStatements, type CodaSentRecord, type CodaSentStore } from './send';

const PREFIX = 'coda-sent|';

/**
 * What the extension has sent of CODA statements, in its IndexedDB settings table (the worker's own storage, so it
 * survives the worker's death), one row per account + statement number + year.
 */
export class IndexedDbCodaSentStore implements CodaSentStore {
  constructor(private readonly db: LedgerDb) {}
  async get(key: string) {
    return (await this.db.settings.get(PREFIX + key))?.value as CodaSentRecord | undefined;
  }
  async put(record: CodaSentRecord) {
    await this.db.settings.put({ key: PREFIX + record.key, value: record });
  }
  async delete(key: string) {
    await this.db.settings.delete(PREFIX + key);
  }
  async list() {
    return (await this.db.settings.where('key').startsWith(PREFIX).toArray()).map((r) => r.value as CodaSentRecord);
  }
}

/** One statement's outcome, as the popup shows it. */
export interface CodaStatementOutcome {
  account: string;
  statementNumber: number;
  year: number;
  newBalanceDate: string;
  outcome: 'sent' | 'already-sent' | 'waits' | 'failed';
  dossierName?: string;
  text?: LocalizedText;
}

/** The answer to the popup: `problems` (the file's checks, in words) when the file was refused whole, else each statement's outcome. */
export interface CodaFileOutcome {
  ok: true;
  statements: CodaStatementOutcome[];
  problems: LocalizedText[];
}

const describe = (s: CodaStatement) => ({ account: accountKey(s.account), statementNumber: s.statementNumber, year: statementYear(s), newBalanceDate: s.newBalanceDate });

/**
 * The worker's side of "send this CODA file" (the popup's drop): read and check the file again (the page's reading is
 * not trusted), route each statement by its account to a dossier, and send each dossier's statements once.
 */
export function sendCodaFile(db: LedgerDb, fetchFn: FetchLike, text: string, options: { allowedDossierIds?: readonly string[] } = {}): Promise<CodaFileOutcome> {
  // One send at a time in the worker: two popups dropping the same file must not both find a statement unsent
  // before either has marked it "sending".
  const run = queue.then(() => sendCodaFileNow(db, fetchFn, text, options));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

async function sendCodaFileNow(db: LedgerDb, fetchFn: FetchLike, text: string, options: { allowedDossierIds?: readonly string[] }): Promise<CodaFileOutcome> {
  const read = readCoda(text);
  if (read.problems.length > 0) return { ok: true, statements: [], problems: read.problems };
  const dossiers = await db.dossiers.toArray();
  const outcomes: CodaStatementOutcome[] = [];
  const groups = new Map<string, CodaStatement[]>();
  for (const s of read.statements) {
    const route = routeStatement(s, dossiers, options);
    if (route.kind === 'waits') outcomes.push({ ...describe(s), outcome: 'waits', text: route.reason });
    else groups.set(route.dossierId, [...(groups.get(route.dossierId) ?? []), s]);
  }
  const store = new IndexedDbCodaSentStore(db);
  for (const [dossierId, statements] of groups) {
    const dossier = dossiers.find((d) => d.id === dossierId)!;
    const connection = await db.connections.get(dossier.connectionId);
    const secret = await db.secrets.get(dossier.connectionId);
    if (!connection || !secret) {
      for (const s of statements) outcomes.push({ ...describe(s), outcome: 'failed', dossierName: dossier.name, text: { key: 'error_unexpected', params: [] } });
      continue;
    }
    // The user dropped the file and pressed send: the budget's reserve may be used.
    const client = clientForConnection(connection, secret, fetchFn, systemClock, undefined, dayBudget(db).gate(connection.baseUrl, { userAsked: true }));
    try {
      const result = await sendCodaStatements(client, dossier.octopusDossierId, text, statements, store);
      for (const s of result.sent) outcomes.push({ ...describe(s), outcome: 'sent', dossierName: dossier.name });
      for (const { statement } of result.alreadySent) outcomes.push({ ...describe(statement), outcome: 'already-sent', dossierName: dossier.name });
    } catch (error) {
      const reason = error instanceof CodaSendRefused ? error.text : failureText(error);
      for (const s of statements) outcomes.push({ ...describe(s), outcome: 'failed', dossierName: dossier.name, text: reason });
    }
  }
  const order = new Map(read.statements.map((s, i) => [`${accountKey(s.account)}|${s.statementNumber}|${statementYear(s)}`, i]));
  outcomes.sort((a, b) => order.get(`${a.account}|${a.statementNumber}|${a.year}`)! - order.get(`${b.account}|${b.statementNumber}|${b.year}`)!);
  return { ok: true, statements: outcomes, problems: [] };
}
