import { Big, dec } from '../money';
import { formatIban } from '../identifiers';
import { codaDecimal, problem, type CodaProblem } from './fields';
import { accountKey, type CodaStatement } from './model';

/** What the reader counted in one statement: records 1, 2.x, 3.x and 8, and the free-text records 4 apart. */
export interface RecordCounts {
  counted: number;
  freeText: number;
}

function accountLabel(statement: CodaStatement): string {
  const key = accountKey(statement.account);
  return statement.account.iban ? formatIban(key) : key;
}

/** Movements that count in balances and totals: a globalised movement's details only break it down. */
function booked(statement: CodaStatement) {
  return statement.movements.filter((m) => m.detail === 0);
}

/**
 * The checks a statement must pass before it goes to a client's books, each with its reason in words:
 * the trailer's record count and totals, old balance + movements = new balance, and per account, statements
 * that follow each other in number with the balance carried over.
 */
export function checkStatements(statements: CodaStatement[], counts: RecordCounts[]): CodaProblem[] {
  const problems: CodaProblem[] = [];
  statements.forEach((s, index) => {
    const label = accountLabel(s);
    const count = counts[index]!;
    // The spec counts records 1, 2, 3 and 8; some banks count the free-text records 4 too. Either reading is fine:
    // what this catches is a record lost or added.
    if (s.trailer.recordCount !== count.counted && s.trailer.recordCount !== count.counted + count.freeText) {
      problems.push(problem('coda_record_count', s.statementNumber, label, s.trailer.recordCount, count.counted, s.lastLine));
    }
    const movements = booked(s);
    const debit = movements.filter((m) => dec(m.amount).lt(0)).reduce((t, m) => t.plus(dec(m.amount).abs()), new Big(0));
    const credit = movements.filter((m) => dec(m.amount).gt(0)).reduce((t, m) => t.plus(dec(m.amount)), new Big(0));
    if (!debit.eq(dec(s.trailer.debitTotal))) {
      problems.push(problem('coda_debit_total', s.statementNumber, label, s.trailer.debitTotal, codaDecimal(debit)));
    }
    if (!credit.eq(dec(s.trailer.creditTotal))) {
      problems.push(problem('coda_credit_total', s.statementNumber, label, s.trailer.creditTotal, codaDecimal(credit)));
    }
    const expected = dec(s.oldBalance).plus(credit).minus(debit);
    if (!expected.eq(dec(s.newBalance))) {
      problems.push(problem('coda_balance', s.statementNumber, label, s.oldBalance, codaDecimal(credit.minus(debit)), codaDecimal(expected), s.newBalance));
    }
  });
  problems.push(...checkSequence(statements));
  return problems;
}

/** Whether statement `next` may follow `previous` of the same account: the next number, or 1 in a new year. */
export function followsInSequence(previous: { statementNumber: number; newBalanceDate: string }, next: { statementNumber: number; newBalanceDate: string }): boolean {
  if (next.statementNumber === previous.statementNumber + 1) return true;
  const newYear = next.newBalanceDate.slice(0, 4) > previous.newBalanceDate.slice(0, 4);
  return next.statementNumber === 1 && (newYear || previous.statementNumber === 999);
}

/** Statements of one account in one file: numbers in sequence, and each opens with the balance the one before closed with. */
function checkSequence(statements: CodaStatement[]): CodaProblem[] {
  const problems: CodaProblem[] = [];
  const last = new Map<string, CodaStatement>();
  for (const s of statements) {
    const key = `${accountKey(s.account)}|${s.account.currency}`;
    const previous = last.get(key);
    last.set(key, s);
    if (!previous) continue;
    if (!followsInSequence(previous, s)) {
      problems.push(problem('coda_sequence', accountLabel(s), s.statementNumber, previous.statementNumber, previous.statementNumber + 1));
    }
    if (!dec(previous.newBalance).eq(dec(s.oldBalance))) {
      problems.push(problem('coda_chain', accountLabel(s), s.statementNumber, s.oldBalance, previous.statementNumber, previous.newBalance));
    }
  }
  return problems;
}
