import { Big } from '../money';
import { formatStructuredCommunication } from '../identifiers';
import {
  CODA_RECORD_LENGTH,
  CodaFormatError,
  CodaRecord,
  codaDecimal,
  problem,
  readAccount,
  readCounterpartyAccount,
  type CodaProblem,
} from './fields';
import type { CodaInformation, CodaMovement, CodaStatement } from './model';
import { checkStatements, type RecordCounts } from './checks';

export type { CodaProblem } from './fields';

export interface CodaReadResult {
  statements: CodaStatement[];
  /** Empty when the file can be sent; otherwise every reason, in the catalog's words. */
  problems: CodaProblem[];
}

/** Files larger than this are not bank statements of one firm; refusing them keeps the popup and worker responsive. */
export const CODA_MAX_BYTES = 20 * 1024 * 1024;
/** A file with many broken lines says so for the first few; the rest would only repeat it. */
const MAX_LENGTH_PROBLEMS = 5;

/** Banks write CODA in windows-1252 (names with é, ç); a UTF-8 reading would garble them. */
export function decodeCoda(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes);
}

/** Reads a CODA file (version 1 or 2) into statements and checks it; see ./checks.ts for what is checked. */
export function readCoda(input: string | Uint8Array): CodaReadResult {
  if (typeof input !== 'string' && input.byteLength > CODA_MAX_BYTES) {
    return { statements: [], problems: [problem('coda_too_large', Math.ceil(input.byteLength / 1024 / 1024), CODA_MAX_BYTES / 1024 / 1024)] };
  }
  const text = typeof input === 'string' ? input : decodeCoda(input);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { statements: [], problems: [problem('coda_empty')] };

  const lengthProblems = lines
    .map((l, i) => ({ length: l.length, line: i + 1 }))
    .filter((l) => l.length !== CODA_RECORD_LENGTH)
    .map((l) => problem('coda_line_length', l.line, l.length, CODA_RECORD_LENGTH));
  if (lengthProblems.length > 0) return { statements: [], problems: lengthProblems.slice(0, MAX_LENGTH_PROBLEMS) };

  const records = lines.map((l, i) => new CodaRecord(l, i + 1));
  const statements: CodaStatement[] = [];
  const counts: RecordCounts[] = [];
  try {
    let at = 0;
    while (at < records.length) {
      const read = readStatement(records, at);
      statements.push(read.statement);
      counts.push(read.counts);
      at = read.next;
    }
  } catch (error) {
    if (error instanceof CodaFormatError) return { statements, problems: [error.problem] };
    throw error;
  }
  return { statements, problems: checkStatements(statements, counts) };
}

/** The record's type as the spec names it: "0", "1", "21", "22", "23", "31", "32", "33", "4", "8", "9". */
function recordType(record: CodaRecord): string {
  const first = record.raw(1, 1);
  return first === '2' || first === '3' ? record.raw(1, 2) : first;
}

const KNOWN_TYPES = new Set(['0', '1', '21', '22', '23', '31', '32', '33', '4', '8', '9']);
/** Which record may follow which within one statement. */
const MAY_FOLLOW: Record<string, readonly string[]> = {
  '1': ['0'],
  '21': ['1', '21', '22', '23', '31', '32', '33'],
  '22': ['21'],
  '23': ['21', '22'],
  '31': ['21', '22', '23', '31', '32', '33'],
  '32': ['31'],
  '33': ['31', '32'],
  '4': ['1', '21', '22', '23', '31', '32', '33', '4', '8'],
  '8': ['1', '21', '22', '23', '31', '32', '33', '4'],
  '9': ['8', '4'],
};

function readStatement(records: CodaRecord[], start: number): { statement: CodaStatement; counts: RecordCounts; next: number } {
  const header = records[start]!;
  if (recordType(header) !== '0') {
    throw new CodaFormatError(problem('coda_expected_header', header.line, header.raw(1, 1)));
  }
  const versionCode = header.raw(128, 128);
  if (versionCode !== '1' && versionCode !== '2') throw new CodaFormatError(problem('coda_version', header.line, versionCode));
  const version = versionCode === '1' ? 1 : 2;

  const counts: RecordCounts = { counted: 0, freeText: 0 };
  const movements: CodaMovement[] = [];
  const information: CodaInformation[] = [];
  const freeText: string[] = [];
  let opening: Pick<CodaStatement, 'account' | 'statementNumber' | 'codaSequence' | 'oldBalance' | 'oldBalanceDate' | 'holderName' | 'accountDescription'> | undefined;
  let closing: { statementNumber: number; accountField: string; balance: Big; date: string; line: number } | undefined;
  let openingAccountField = '';
  let previous = '0';
  let i = start + 1;
  for (; i < records.length; i++) {
    const r = records[i]!;
    const type = recordType(r);
    if (!KNOWN_TYPES.has(type)) throw new CodaFormatError(problem('coda_unknown_record', r.line, r.raw(1, 2).trim() || ' '));
    if (type === '0') throw new CodaFormatError(problem('coda_missing_trailer', header.line, r.line));
    if (!MAY_FOLLOW[type]!.includes(previous)) throw new CodaFormatError(problem('coda_record_order', r.line, type, previous));
    previous = type;
    if (type === '4') counts.freeText++;
    else if (type !== '9') counts.counted++;

    switch (type) {
      case '1': {
        const structure = r.int(2, 2);
        openingAccountField = r.raw(6, 42);
        opening = {
          account: readAccount(structure, openingAccountField),
          statementNumber: r.int(3, 5),
          oldBalance: codaDecimal(r.amount(43, 44)),
          oldBalanceDate: r.date(59)!,
          holderName: r.trimmed(65, 90),
          accountDescription: r.trimmed(91, 125),
          codaSequence: /^\d{3}$/.test(r.raw(126, 128)) ? r.int(126, 128) : 0,
        };
        break;
      }
      case '21': {
        const structured = r.raw(62, 62) === '1';
        const ogmType = r.raw(63, 65);
        const ogm = r.raw(66, 77);
        movements.push({
          line: r.line,
          sequence: r.int(3, 6),
          detail: r.int(7, 10),
          bankReference: r.trimmed(11, 31),
          amount: codaDecimal(r.amount(32, 33)),
          valueDate: r.date(48, true),
          transactionCode: r.raw(54, 61).replace(/ /g, '0'),
          communication: r.raw(63, 115),
          ...(structured && (ogmType === '101' || ogmType === '102') && /^\d{12}$/.test(ogm)
            ? { structuredCommunication: formatStructuredCommunication(ogm) }
            : {}),
          entryDate: r.date(116)!,
          globalisation: /^\d$/.test(r.raw(125, 125)) ? r.int(125, 125) : 0,
          clientReference: '',
        });
        break;
      }
      case '22': {
        const m = movements[movements.length - 1]!;
        m.communication += r.raw(11, 63);
        m.clientReference = r.trimmed(64, 98);
        const bic = r.trimmed(99, 109);
        if (bic) m.counterparty = { ...(m.counterparty ?? { account: '', currency: '', name: '' }), bic };
        break;
      }
      case '23': {
        const m = movements[movements.length - 1]!;
        const account = readCounterpartyAccount(r.raw(11, 47));
        m.counterparty = { bic: m.counterparty?.bic ?? '', ...account, name: r.trimmed(48, 82) };
        m.communication += r.raw(83, 125);
        break;
      }
      case '31':
        information.push({
          line: r.line,
          sequence: r.int(3, 6),
          detail: r.int(7, 10),
          bankReference: r.trimmed(11, 31),
          transactionCode: r.raw(32, 39),
          communication: r.raw(41, 113),
        });
        break;
      case '32':
        information[information.length - 1]!.communication += r.raw(11, 115);
        break;
      case '33':
        information[information.length - 1]!.communication += r.raw(11, 100);
        break;
      case '4':
        freeText.push(r.trimmed(33, 112));
        break;
      case '8':
        closing = { statementNumber: r.int(2, 4), accountField: r.raw(5, 41), balance: r.amount(42, 43), date: r.date(58)!, line: r.line };
        break;
      case '9': {
        const trailer = { recordCount: r.int(17, 22), debitTotal: codaDecimal(r.amount(undefined, 23)), creditTotal: codaDecimal(r.amount(undefined, 38)) };
        if (!opening || !closing) throw new CodaFormatError(problem('coda_missing_trailer', header.line, r.line));
        if (closing.accountField !== openingAccountField) {
          throw new CodaFormatError(problem('coda_account_changed', closing.line, openingAccountField.trim(), closing.accountField.trim()));
        }
        if (closing.statementNumber !== opening.statementNumber) {
          throw new CodaFormatError(problem('coda_number_changed', closing.line, opening.statementNumber, closing.statementNumber));
        }
        for (const m of movements) m.communication = m.communication.trim();
        for (const n of information) n.communication = n.communication.trim();
        const statement: CodaStatement = {
          firstLine: header.line,
          lastLine: r.line,
          version,
          creationDate: header.date(6)!,
          bankId: header.trimmed(12, 14),
          duplicate: header.raw(17, 17) === 'D',
          fileReference: header.trimmed(25, 34),
          addressee: header.trimmed(35, 60),
          bic: header.trimmed(61, 71),
          companyId: header.trimmed(72, 82),
          ...opening,
          newBalance: codaDecimal(closing.balance),
          newBalanceDate: closing.date,
          movements,
          information,
          freeText,
          trailer,
        };
        return { statement, counts, next: i + 1 };
      }
    }
  }
  throw new CodaFormatError(problem('coda_missing_trailer', header.line, records[records.length - 1]!.line));
}
