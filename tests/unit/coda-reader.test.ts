import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Big } from '../../lib/money';
import { CODA_MAX_BYTES, readCoda } from '../../lib/coda/reader';
import { belgianIban } from '../../lib/coda/fields';
import type { CodaStatement } from '../../lib/coda/model';
import { translatorFor } from '../../lib/i18n';
import { CODA_CATALOG } from '../../lib/i18n/catalog-coda';
import { validateIban } from '../../lib/identifiers';
import { settle, writeCoda } from '../fixtures/coda/writer';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/coda', name)));

describe('CODA reader: fixtures', () => {
  it('reads two statements of one account, version 2, with every kind of movement record', () => {
    const { statements, problems } = readCoda(fixture('bank-a-v2-two-statements.cod'));
    expect(problems).toEqual([]);
    expect(statements.map((s) => [s.statementNumber, s.oldBalance, s.newBalance, s.newBalanceDate])).toEqual([
      [41, '12500.00', '12766.51', '2026-03-02'],
      [42, '12766.51', '12866.46', '2026-03-03'],
    ]);
    const [s41] = statements;
    expect(s41!.version).toBe(2);
    expect(s41!.account).toEqual({ structure: 2, number: 'BE68539007547034', iban: 'BE68539007547034', currency: 'EUR' });
    expect(s41!.companyId).toBe('00123456749');
    const [paid, rent, salaries, detail1] = s41!.movements;
    expect(paid).toMatchObject({
      amount: '1512.50',
      structuredCommunication: '+++000/0000/04242+++',
      clientReference: 'INV-2026-0042',
      counterparty: { iban: 'BE71096123456769', bic: 'GKCCBEBB', name: 'CAFE DE KROON', currency: 'EUR' },
      line: 3,
    });
    expect(rent!.amount).toBe('-245.99');
    expect(rent!.structuredCommunication).toBeUndefined();
    expect(rent!.communication).toBe('Huur maart 2026 atelier Kerkstraat 12 en bijhorende garage, volgens contract van 1 januari');
    expect(rent!.transactionCode).toBe('00010000');
    expect(salaries).toMatchObject({ amount: '-1000.00', globalisation: 1, detail: 0 });
    expect(detail1).toMatchObject({ amount: '-600.00', detail: 1, sequence: 3 });
    expect(s41!.information).toEqual([
      { line: 6, sequence: 1, detail: 0, bankReference: 'REF000001', transactionCode: '00150000', communication: 'Adres tegenpartij: Markt 1, 9000 Gent' },
    ]);
    expect(s41!.trailer).toEqual({ recordCount: 12, debitTotal: '1245.99', creditTotal: '1512.50' });
  });

  it('reads a foreign IBAN, a negative balance, a missing value date and free text counted in the trailer', () => {
    const { statements, problems } = readCoda(fixture('bank-b-v2-free-text.cod'));
    expect(problems).toEqual([]);
    const [s] = statements;
    expect(s!.account).toEqual({ structure: 3, number: 'NL91ABNA0417164300', iban: 'NL91ABNA0417164300', currency: 'EUR' });
    expect([s!.oldBalance, s!.newBalance]).toEqual(['-350.40', '2057.50']);
    expect(s!.movements[0]!.valueDate).toBeNull();
    expect(s!.movements[1]!.counterparty!.name).toBe('SOCIÉTÉ ÉLECTRIQUE SA'); // windows-1252, not UTF-8
    expect(s!.freeText).toEqual(['Nouveau tarif des frais de gestion à partir du 1er juin.']);
    expect(s!.holderName).toBe('ATELIER DUPONT SRL');
  });

  it('reads version 1 with a Belgian 12-digit account and gives its IBAN', () => {
    const { statements, problems } = readCoda(fixture('bank-c-v1.cod'));
    expect(problems).toEqual([]);
    expect(statements[0]!.version).toBe(1);
    expect(statements[0]!.account).toEqual({ structure: 0, number: '539007547034', iban: 'BE68539007547034', currency: 'EUR' });
    expect(statements[0]!.movements[0]!.counterparty).toEqual({ account: '001234567803', iban: 'BE21001234567803', currency: 'EUR', bic: '', name: 'TELECOM NV' });
  });

  it('derives valid IBANs from Belgian account numbers', () => {
    expect(belgianIban('539007547034')).toBe('BE68539007547034');
    expect(validateIban(belgianIban('001234567803')!).valid).toBe(true);
    expect(belgianIban('12345')).toBeUndefined();
  });

  const broken: [string, string, string][] = [
    ['broken-line-length.cod', 'coda_line_length', 'Line 4 has 126 characters; every CODA line has exactly 128.'],
    ['broken-record-order.cod', 'coda_record_order', 'Line 2: a record 21 cannot follow a record 0'],
    ['broken-version.cod', 'coda_version', 'CODA version “5” is not supported'],
    ['broken-record-count.cod', 'coda_record_count', 'the trailer (line 14) counts 11 records, but the statement has 12'],
    ['broken-debit-total.cod', 'coda_debit_total', 'debit total is 1245.90, but the debit movements add up to 1245.99'],
    ['broken-balance.cod', 'coda_balance', 'the old balance 12500.00 plus the movements 266.51 makes 12766.51, but the new balance is 13766.52'],
    ['broken-sequence.cod', 'coda_sequence', 'statement 44 follows statement 41; the next statement should be number 42'],
    ['broken-chain.cod', 'coda_chain', 'statement 42 opens with balance 10000.00, but statement 41 closed with 12766.51'],
  ];
  it.each(broken)('%s fails its check with the reason in words', (file, key, english) => {
    const { problems } = readCoda(fixture(file));
    expect(problems.map((p) => p.key)).toContain(key);
    const p = problems.find((x) => x.key === key)!;
    expect(translatorFor('en').t(p.key, p.params)).toContain(english);
    for (const locale of ['nl', 'fr'] as const) {
      const text = translatorFor(locale).t(p.key, p.params);
      expect(text).not.toBe(translatorFor('en').t(p.key, p.params));
      expect(text).not.toMatch(/\{\d\}/);
    }
  });

  it('says an empty file is empty and refuses a record type CODA does not have', () => {
    expect(readCoda('').problems).toEqual([{ key: 'coda_empty', params: [] }]);
    const lines = new TextDecoder('latin1').decode(fixture('bank-c-v1.cod')).split('\r\n');
    expect(readCoda(lines.slice(0, 3).join('\n')).problems[0]!.key).toBe('coda_missing_trailer');
    lines[2] = `7${lines[2]!.slice(1)}`;
    expect(readCoda(lines.join('\n')).problems[0]!.key).toBe('coda_unknown_record');
  });

  it('reads LF line ends as well as CRLF, and refuses a file over the size limit before reading it', () => {
    const crlf = new TextDecoder('latin1').decode(fixture('bank-a-v2-two-statements.cod'));
    expect(readCoda(crlf.replace(/\r\n/g, '\n'))).toEqual(readCoda(crlf));
    const huge = new Uint8Array(CODA_MAX_BYTES + 1);
    expect(readCoda(huge).problems).toEqual([{ key: 'coda_too_large', params: ['21', '20'] }]);
  });

  it('names at most five broken lines, not thousands', () => {
    const text = Array.from({ length: 5000 }, () => 'x'.repeat(100)).join('\n');
    const { problems } = readCoda(text);
    expect(problems.map((p) => p.params[0])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('has every message in the three languages', () => {
    for (const [key, entry] of Object.entries(CODA_CATALOG)) {
      expect(entry.en && entry.nl && entry.fr, key).toBeTruthy();
      const params = (s: string) => [...s.matchAll(/\{(\d)\}/g)].map((m) => m[1]).sort().join();
      expect(params(entry.nl), key).toBe(params(entry.en));
      expect(params(entry.fr), key).toBe(params(entry.en));
    }
  });
});

// Property: any statements the writer can lay out read back as they were, and pass every check.
const text = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9 ,./-]{0,${max - 2}}[A-Za-z0-9]$`));
const isoDay = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const cents = (max: number) => fc.integer({ min: -max, max }).map((n) => (n / 100).toFixed(2));
const iban = fc.bigInt({ min: 10n ** 9n, max: 10n ** 10n - 1n }).map((n) => {
  const base = String(n);
  const bban = base + String(Number(BigInt(base) % 97n) || 97).padStart(2, '0');
  return belgianIban(bban)!;
});

const movementArb = (version: 1 | 2) =>
  fc.record({
    amount: cents(10_000_000_00),
    valueDate: fc.option(isoDay, { nil: null }),
    entryDate: isoDay,
    transactionCode: fc.stringMatching(/^\d{8}$/),
    bankReference: text(21),
    structured: fc.option(fc.stringMatching(/^\d{12}$/), { nil: undefined }),
    communication: fc.option(text(149), { nil: '' }),
    clientReference: version === 2 ? fc.option(text(35), { nil: '' }) : fc.constant(''),
    counterparty: fc.option(
      fc.record({ iban, name: text(35), bic: version === 2 ? fc.option(fc.constantFrom('GKCCBEBB', 'BBRUBEBB', 'AGRIFRPP'), { nil: '' }) : fc.constant('') }),
      { nil: undefined },
    ),
  });

const statementArb = fc.constantFrom<1 | 2>(1, 2).chain((version) =>
  fc.record({
    version: fc.constant(version),
    day: isoDay,
    number: fc.integer({ min: 1, max: 998 }),
    oldBalance: cents(1_000_000_000_00),
    account: iban,
    holderName: text(26),
    freeText: fc.array(text(80), { maxLength: 2 }),
    movements: fc.array(movementArb(version), { maxLength: 6 }),
  }),
);

function draftOf(g: typeof statementArb extends fc.Arbitrary<infer T> ? T : never, statementNumber = g.number, oldBalance = g.oldBalance) {
  const belgian = g.version === 1;
  return settle({
    version: g.version,
    creationDate: g.day,
    bankId: '000',
    duplicate: false,
    fileReference: 'PROP',
    addressee: g.holderName,
    bic: belgian ? '' : 'GEBABEBB',
    companyId: '',
    account: belgian
      ? { structure: 0, number: g.account.slice(4), iban: g.account, currency: 'EUR' }
      : { structure: 2, number: g.account, iban: g.account, currency: 'EUR' },
    holderName: g.holderName,
    accountDescription: '',
    statementNumber,
    codaSequence: statementNumber,
    oldBalance,
    oldBalanceDate: g.day,
    newBalanceDate: g.day,
    movements: g.movements.map((m, i) => {
      const communication = m.structured ? `101${m.structured}` : m.communication;
      const cp = m.counterparty;
      const account = cp && belgian ? cp.iban.slice(4) : cp?.iban;
      return {
        sequence: i + 1,
        detail: 0,
        bankReference: m.bankReference,
        amount: m.amount,
        valueDate: m.valueDate,
        entryDate: m.entryDate,
        transactionCode: m.transactionCode,
        communication,
        ...(m.structured ? { structuredCommunication: `+++${m.structured.slice(0, 3)}/${m.structured.slice(3, 7)}/${m.structured.slice(7)}+++` } : {}),
        globalisation: 0,
        clientReference: m.clientReference,
        ...(cp ? { counterparty: { account: account!, iban: cp.iban, currency: 'EUR', bic: cp.bic, name: cp.name } } : {}),
      };
    }),
    information: [],
    freeText: g.freeText,
  });
}

const withoutLines = (s: CodaStatement) => {
  const { firstLine: _f, lastLine: _l, ...rest } = s;
  return { ...rest, movements: rest.movements.map(({ line: _line, ...m }) => m), information: rest.information.map(({ line: _line, ...n }) => n) };
};

describe('CODA reader: properties', () => {
  it('reads back what was written, and a consistent file passes every check', () => {
    fc.assert(
      fc.property(statementArb, (g) => {
        const draft = draftOf(g);
        const { statements, problems } = readCoda(writeCoda([draft]));
        expect(problems).toEqual([]);
        expect(statements.map(withoutLines)).toEqual([draft]);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on garbage: any 128-character lines get an answer (statements or reasons)', () => {
    const good = new TextDecoder('latin1').decode(fixture('bank-a-v2-two-statements.cod')).split('\r\n').filter(Boolean);
    const line = fc.oneof(
      fc.constantFrom(...good),
      fc.tuple(fc.constantFrom('0', '1', '21', '22', '23', '31', '32', '33', '4', '8', '9', 'x'), fc.string({ minLength: 126, maxLength: 126 })).map(([type, rest]) =>
        (type + rest).slice(0, 128).padEnd(128, ' '),
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const result = readCoda(lines.join('\n'));
        expect(result.statements.length > 0 || result.problems.length > 0 || lines.length === 0).toBe(true);
        for (const p of result.problems) expect(Object.keys(CODA_CATALOG)).toContain(p.key);
      }),
      { numRuns: 300 },
    );
  });

  it('a chain of statements passes; any one amount changed by a cent fails a check', () => {
    fc.assert(
      fc.property(statementArb, statementArb, fc.nat(), (a, b, pick) => {
        const first = draftOf(a);
        const second = draftOf({ ...b, version: a.version, account: a.account, day: a.day }, first.statementNumber + 1, first.newBalance);
        expect(readCoda(writeCoda([first, second])).problems).toEqual([]);
        const all = [...first.movements, ...second.movements];
        if (all.length === 0) return;
        const target = all[pick % all.length]!;
        target.amount = new Big(target.amount).plus('0.01').toFixed(2);
        expect(readCoda(writeCoda([first, second])).problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });
});
