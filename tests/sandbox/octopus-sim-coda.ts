/**
 * The simulator's CODA import (POST /dossiers/{id}/coda, octopus-webservice.md §6.7, one client's reading:
 * the body is the CODA text as a JSON string). Written apart from lib/coda (its own positions and sums, in
 * integer thousandths), so a misreading there is not mirrored here.
 *
 * SIM CHOICE [INF]: a file is taken whole or not at all; each statement must balance (old balance + movements =
 * new balance), and per account the statements must follow the ones already imported (number + 1, or 1 in a new
 * year; the old balance equal to the last new balance). The same account + statement number + year twice is
 * refused as a duplicate. The answer is 200 with no body.
 */
export interface SimCodaStatement {
  /** The account as written in record 1 (positions 6–42), trimmed. */
  account: string;
  statementNumber: number;
  year: number;
  /** In thousandths of the currency, as CODA writes them. */
  oldBalance: number;
  newBalance: number;
  movements: number;
  importedAt: string;
  publishPdfInDms: boolean;
}

export type SimCodaOutcome = { ok: true; statements: SimCodaStatement[] } | { ok: false; status: number; errorCode: number; message: string };

const signed = (line: string, signAt: number) => (line[signAt - 1] === '1' ? -1 : 1) * Number(line.slice(signAt, signAt + 15));

/** Reads what the simulator needs of each statement, or says why it refuses the file. */
function statementsOf(text: string): Omit<SimCodaStatement, 'importedAt' | 'publishPdfInDms'>[] | string {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines.length === 0) return 'Empty CODA file';
  if (lines.some((l) => l.length !== 128)) return 'Invalid CODA file: a record is not 128 characters long';
  const out: Omit<SimCodaStatement, 'importedAt' | 'publishPdfInDms'>[] = [];
  let open: { account: string; statementNumber: number; oldBalance: number; sum: number; movements: number } | undefined;
  for (const line of lines) {
    const type = line[0];
    if (type === '1') {
      open = { account: line.slice(5, 42).trim(), statementNumber: Number(line.slice(2, 5)), oldBalance: signed(line, 43), sum: 0, movements: 0 };
    } else if (type === '2' && line[1] === '1' && open) {
      if (line.slice(6, 10) === '0000') {
        open.sum += signed(line, 32);
        open.movements++;
      }
    } else if (type === '8') {
      if (!open) return 'Invalid CODA file: new balance without old balance';
      const newBalance = signed(line, 42);
      if (open.oldBalance + open.sum !== newBalance) return `CODA statement ${open.statementNumber} does not balance`;
      out.push({ account: open.account, statementNumber: open.statementNumber, year: 2000 + Number(line.slice(61, 63)), oldBalance: open.oldBalance, newBalance, movements: open.movements });
      open = undefined;
    }
  }
  if (out.length === 0) return 'Invalid CODA file: no statement';
  return out;
}

export function importCoda(imported: SimCodaStatement[], raw: string, publishPdfInDms: boolean, now: Date): SimCodaOutcome {
  let text: unknown;
  try {
    text = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, errorCode: -79, message: 'The body is not JSON' };
  }
  if (typeof text !== 'string') return { ok: false, status: 400, errorCode: -79, message: 'The body must be the CODA text as a JSON string' };
  const read = statementsOf(text);
  if (typeof read === 'string') return { ok: false, status: 400, errorCode: -79, message: read };
  const last = new Map<string, Omit<SimCodaStatement, 'importedAt' | 'publishPdfInDms'>>();
  for (const s of imported) last.set(s.account, s);
  for (const s of read) {
    if (imported.some((i) => i.account === s.account && i.statementNumber === s.statementNumber && i.year === s.year)) {
      return { ok: false, status: 400, errorCode: -79, message: `CODA statement ${s.statementNumber}/${s.year} of ${s.account} was already imported` };
    }
    const previous = last.get(s.account);
    if (previous) {
      const next = s.statementNumber === previous.statementNumber + 1 || (s.statementNumber === 1 && s.year > previous.year);
      if (!next) return { ok: false, status: 400, errorCode: -79, message: `CODA statement ${s.statementNumber} of ${s.account} does not follow statement ${previous.statementNumber}` };
      if (s.oldBalance !== previous.newBalance) {
        return { ok: false, status: 400, errorCode: -79, message: `CODA statement ${s.statementNumber} of ${s.account} does not open with the balance statement ${previous.statementNumber} closed with` };
      }
    }
    last.set(s.account, s);
  }
  const statements = read.map((s) => ({ ...s, importedAt: now.toISOString(), publishPdfInDms }));
  imported.push(...statements);
  return { ok: true, statements };
}
