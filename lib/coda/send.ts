import type { OctopusClient } from '../octopus/client';
import { isOctopusError } from '../octopus/errors';
import type { LocalizedText } from '../model/transfer';
import { accountKey, statementYear, type CodaStatement } from './model';

/**
 * Sending CODA statements to Octopus exactly once. A statement is known by its account, number and year (banks
 * number statements per account and year); what was sent is remembered in a small store (a file for the CLI),
 * written before the call ("sending") and after it ("sent"), so a run cut off or an answer lost never leads to a
 * second import in the client's books: such a statement waits until the user has looked in Octopus.
 */
export interface CodaSentRecord {
  key: string;
  state: 'sending' | 'sent';
  dossierId: number;
  account: string;
  statementNumber: number;
  year: number;
  /** ISO time of the last change. */
  at: string;
}

export interface CodaSentStore {
  get(key: string): Promise<CodaSentRecord | undefined>;
  put(record: CodaSentRecord): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every record (a firm has a few accounts and a statement a day each: small). */
  list(): Promise<CodaSentRecord[]>;
}

export function codaSendKey(statement: CodaStatement): string {
  return `${accountKey(statement.account)}|${statement.statementNumber}|${statementYear(statement)}`;
}

export class CodaSendRefused extends Error {
  constructor(readonly text: LocalizedText) {
    super(`${text.key} ${text.params.join(' ')}`);
  }
}

export interface CodaSendResult {
  sent: CodaStatement[];
  alreadySent: { statement: CodaStatement; record: CodaSentRecord }[];
}

/**
 * Per account, a statement goes only after the one before it was sent (or as the first one sent of that account):
 * a missing statement would leave a hole in the financial journal that no later statement can mend.
 */
function refuseGaps(toSend: readonly CodaStatement[], sent: readonly CodaSentRecord[]): void {
  const last = new Map<string, { year: number; number: number }>();
  const later = (a: { year: number; number: number }, b: { year: number; number: number } | undefined) =>
    !b || a.year > b.year || (a.year === b.year && a.number > b.number);
  for (const r of sent) {
    const candidate = { year: r.year, number: r.statementNumber };
    if (later(candidate, last.get(r.account))) last.set(r.account, candidate);
  }
  for (const s of toSend) {
    const account = accountKey(s.account);
    const here = { year: statementYear(s), number: s.statementNumber };
    const previous = last.get(account);
    const follows =
      !previous ||
      (here.year === previous.year && here.number === previous.number + 1) ||
      (here.number === 1 && (here.year > previous.year || previous.number === 999));
    if (!follows) throw new CodaSendRefused({ key: 'coda_gap', params: [account, String(here.number), String(previous!.number)] });
    last.set(account, here);
  }
}

/** The statements' own lines of the file, in file order: what goes to Octopus when some were sent before. */
export function codaTextOf(fileText: string, statements: readonly CodaStatement[]): string {
  const lines = fileText.split(/\r?\n/);
  return statements.map((s) => `${lines.slice(s.firstLine - 1, s.lastLine).join('\r\n')}\r\n`).join('');
}

export interface CodaSendOptions {
  /** The user looked in Octopus and the statements left "sending" did not arrive: send them again. */
  again?: boolean;
  now?: () => Date;
}

/**
 * Sends the statements of a checked file that were not sent before, in one call. The file must have passed
 * readCoda's checks (the caller refuses it otherwise); statements already sent are skipped and reported.
 */
export async function sendCodaStatements(
  client: Pick<OctopusClient, 'importCoda'>,
  dossierId: number,
  fileText: string,
  statements: readonly CodaStatement[],
  store: CodaSentStore,
  options: CodaSendOptions = {},
): Promise<CodaSendResult> {
  const now = options.now ?? (() => new Date());
  const result: CodaSendResult = { sent: [], alreadySent: [] };
  const toSend: CodaStatement[] = [];
  for (const statement of statements) {
    const record = await store.get(codaSendKey(statement));
    if (record?.state === 'sent') result.alreadySent.push({ statement, record });
    else if (record?.state === 'sending' && !options.again) {
      throw new CodaSendRefused({
        key: 'coda_outcome_unknown',
        params: [String(statement.statementNumber), record.account, String(record.dossierId), record.at],
      });
    } else toSend.push(statement);
  }
  if (toSend.length === 0) return result;
  refuseGaps(toSend, (await store.list()).filter((r) => r.state === 'sent'));

  const records = toSend.map<CodaSentRecord>((s) => ({
    key: codaSendKey(s),
    state: 'sending',
    dossierId,
    account: accountKey(s.account),
    statementNumber: s.statementNumber,
    year: statementYear(s),
    at: now().toISOString(),
  }));
  for (const r of records) await store.put(r);
  try {
    await client.importCoda(dossierId, codaTextOf(fileText, toSend));
  } catch (error) {
    // Refused for sure (a 4xx, the day's budget): nothing was imported, so the statements may go again later.
    // A lost answer keeps them "sending": only the user can tell whether Octopus has them.
    if (!(isOctopusError(error) && error.outcomeUnknown)) for (const r of records) await store.delete(r.key);
    throw error;
  }
  for (const r of records) await store.put({ ...r, state: 'sent', at: now().toISOString() });
  result.sent = toSend;
  return result;
}
