import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';
import { settle, writeCoda, type StatementDraft } from '../fixtures/coda/writer';

const FIXTURES = join(import.meta.dirname, '../fixtures/coda');
const DOSSIER = '1001';
let sim: OctopusSimulator;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

/** Each test its own cache folder (the record of what was sent lives there) unless it passes one. */
function cli(cacheDir = mkdtempSync(join(tmpdir(), 'octobridge-coda-')), env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => void (out.stdout += t),
    stderr: (t: string) => void (out.stderr += t),
    env: { XDG_CACHE_HOME: cacheDir, OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password, ...env } as Record<string, string | undefined>,
  };
  const run = async (...args: string[]) => {
    out.stdout = '';
    out.stderr = '';
    return runCli(args, io);
  };
  return { out, run, cacheDir };
}

const send = (c: ReturnType<typeof cli>, file: string, ...more: string[]) => c.run('coda:send', file, '--dossier', DOSSIER, '--base-url', sim.url, ...more);
const posts = () => sim.countRequests({ route: 'coda.post' });

/** The lines of statements 41 and 42 of bank A, each as a file of its own. */
function statementsOfBankA(): [string, string] {
  const lines = readFileSync(join(FIXTURES, 'bank-a-v2-two-statements.cod'), 'latin1').split('\r\n');
  return [`${lines.slice(0, 14).join('\r\n')}\r\n`, `${lines.slice(14, 19).join('\r\n')}\r\n`];
}

function fileOf(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'octobridge-coda-files-')), name);
  writeFileSync(path, text, 'latin1');
  return path;
}

describe('cli coda:parse', () => {
  it('prints the statements as JSON', async () => {
    const c = cli();
    expect(await c.run('coda:parse', join(FIXTURES, 'bank-a-v2-two-statements.cod'))).toBe(0);
    const json = JSON.parse(c.out.stdout) as { statements: { statementNumber: number; newBalance: string; movements: unknown[] }[]; problems: unknown[] };
    expect(json.problems).toEqual([]);
    expect(json.statements.map((s) => [s.statementNumber, s.newBalance, s.movements.length])).toEqual([
      [41, '12766.51', 5],
      [42, '12866.46', 1],
    ]);
  });

  it('gives the reason in the user’s language and exits 1 on a broken file', async () => {
    const c = cli(undefined, { LANG: 'nl_BE.UTF-8' });
    expect(await c.run('coda:parse', join(FIXTURES, 'broken-balance.cod'))).toBe(1);
    expect(c.out.stderr).toContain('het oud saldo 12500.00 plus de bewegingen 266.51 geeft 12766.51, maar het nieuw saldo is 13766.52');
    expect(await c.run('coda:parse', join(FIXTURES, 'broken-sequence.cod'), '--lang', 'fr')).toBe(1);
    expect(c.out.stderr).toContain('l’extrait 44 suit l’extrait 41');
  });
});

describe('cli coda:send against the simulator', () => {
  it('sends each statement once: a second run sends nothing', async () => {
    const c = cli();
    const file = join(FIXTURES, 'bank-a-v2-two-statements.cod');
    expect(await send(c, file)).toBe(0);
    expect(c.out.stderr).toBe('');
    expect(c.out.stdout).toContain('Sent to Octopus dossier 1001: statement BE68539007547034 41/2026 (new balance 12766.51).');
    expect(sim.codaStatements(1001).map((s) => [s.statementNumber, s.oldBalance, s.newBalance])).toEqual([
      [41, 12_500_000, 12_766_510],
      [42, 12_766_510, 12_866_460],
    ]);
    expect(posts()).toBe(1);
    expect(await send(c, file)).toBe(0);
    expect(c.out.stdout).toContain('Statement BE68539007547034 42/2026 was already sent to dossier 1001');
    expect(posts()).toBe(1);
    // Nor to another dossier by a mistyped --dossier: the record is per Octopus installation.
    expect(await c.run('coda:send', file, '--dossier', '1002', '--base-url', sim.url)).toBe(0);
    expect(c.out.stdout).toContain('was already sent to dossier 1001');
    expect(posts()).toBe(1);
  });

  it('sends only the statements of a file that were not sent before, in their own lines', async () => {
    const c = cli();
    const [first] = statementsOfBankA();
    expect(await send(c, fileOf('41.cod', first))).toBe(0);
    expect(await send(c, join(FIXTURES, 'bank-a-v2-two-statements.cod'))).toBe(0);
    expect(c.out.stdout).toMatch(/41\/2026 was already sent/);
    expect(c.out.stdout).toMatch(/Sent to Octopus dossier 1001: statement BE68539007547034 42\/2026/);
    expect(sim.codaStatements(1001).map((s) => s.statementNumber)).toEqual([41, 42]);
    // Had the second call carried statement 41 again, the simulator would have refused the whole file as a duplicate.
    const lastPost = sim.requests({ route: 'coda.post' }).at(-1)!;
    expect(lastPost.status).toBe(200);
  });

  it('the simulator refuses a statement out of sequence or not carrying the balance over; nothing is marked sent', async () => {
    const c = cli();
    const [first] = statementsOfBankA();
    expect(await send(c, fileOf('41.cod', first))).toBe(0);
    const base = (n: number, old: string): StatementDraft =>
      settle({
        version: 2, creationDate: '2026-03-04', bankId: '000', duplicate: false, fileReference: 'X', addressee: 'BAKKERIJ JANSSENS BV', bic: 'GEBABEBB',
        companyId: '', account: { structure: 2, number: 'BE68539007547034', iban: 'BE68539007547034', currency: 'EUR' }, holderName: 'BAKKERIJ JANSSENS BV',
        accountDescription: '', statementNumber: n, codaSequence: n, oldBalance: old, oldBalanceDate: '2026-03-04', newBalanceDate: '2026-03-04',
        movements: [{ sequence: 1, detail: 0, bankReference: 'R', amount: '10.00', valueDate: null, entryDate: '2026-03-04', transactionCode: '00150000', communication: 'x', globalisation: 0, clientReference: '' }],
        information: [], freeText: [],
      });
    // octobridge itself refuses the gap (it knows 41 was the last sent) …
    expect(await send(c, fileOf('43.cod', writeCoda([base(43, '12766.51')])))).toBe(1);
    expect(c.out.stderr).toContain('Account BE68539007547034: statement 43 is not sent, as the last statement sent of this account is 41');
    expect(posts()).toBe(1);
    // … and so does the simulator, for a gap octobridge cannot see (sent from elsewhere: another cache folder).
    const elsewhere = cli();
    expect(await send(elsewhere, fileOf('43.cod', writeCoda([base(43, '12766.51')])))).toBe(1);
    expect(elsewhere.out.stderr).toMatch(/does not follow statement 41/);
    expect(await send(c, fileOf('42-wrong.cod', writeCoda([base(42, '12000.00')])))).toBe(1);
    expect(c.out.stderr).toMatch(/does not open with the balance/);
    expect(sim.codaStatements(1001).map((s) => s.statementNumber)).toEqual([41]);
    // Refused for sure, so the right statement 42 may still go.
    expect(await send(c, fileOf('42.cod', writeCoda([base(42, '12766.51')])))).toBe(0);
    expect(sim.codaStatements(1001).map((s) => s.statementNumber)).toEqual([41, 42]);
  });

  it('a new year starts again at statement 1; a number from the past is refused', async () => {
    const c = cli();
    expect(await send(c, join(FIXTURES, 'bank-a-v2-two-statements.cod'))).toBe(0);
    const statement = (n: number, day: string): StatementDraft =>
      settle({
        version: 2, creationDate: day, bankId: '000', duplicate: false, fileReference: 'Y', addressee: 'BAKKERIJ JANSSENS BV', bic: 'GEBABEBB',
        companyId: '', account: { structure: 2, number: 'BE68539007547034', iban: 'BE68539007547034', currency: 'EUR' }, holderName: 'BAKKERIJ JANSSENS BV',
        accountDescription: '', statementNumber: n, codaSequence: n, oldBalance: '12866.46', oldBalanceDate: day, newBalanceDate: day,
        movements: [], information: [], freeText: [],
      });
    expect(await send(c, fileOf('40.cod', writeCoda([statement(40, '2026-02-27')])))).toBe(1);
    expect(c.out.stderr).toContain('statement 40 is not sent, as the last statement sent of this account is 42');
    expect(await send(c, fileOf('2027-1.cod', writeCoda([statement(1, '2027-01-04')])))).toBe(0);
    expect(sim.codaStatements(1001).map((s) => `${s.statementNumber}/${s.year}`)).toEqual(['41/2026', '42/2026', '1/2027']);
  });

  it('a file that fails a check is not sent at all', async () => {
    const c = cli();
    expect(await send(c, join(FIXTURES, 'broken-chain.cod'))).toBe(1);
    expect(c.out.stderr).toContain('statement 42 opens with balance 10000.00');
    expect(posts()).toBe(0);
  });

  it('keeps to the day’s budget for the CODA import', async () => {
    const c = cli();
    expect(await c.run('octopus:budget', '--dossier', DOSSIER, '--base-url', sim.url, '--set', 'coda=0')).toBe(0);
    expect(await send(c, join(FIXTURES, 'bank-a-v2-two-statements.cod'))).toBe(75);
    expect(c.out.stderr).toContain('octobridge sends at most 0 CODA statements a day to a dossier');
    expect(posts()).toBe(0);
    // The refusal marked nothing: with a limit again, the statements go.
    expect(await c.run('octopus:budget', '--dossier', DOSSIER, '--base-url', sim.url, '--set', 'coda=default')).toBe(0);
    expect(await send(c, join(FIXTURES, 'bank-a-v2-two-statements.cod'))).toBe(0);
    expect(posts()).toBe(1);
  });

  it('a lost answer is never resent by itself; --again after checking reaches Octopus, which has it already', async () => {
    const c = cli();
    sim.injectFault({ kind: 'drop', path: 'coda$', phase: 'after' });
    const file = join(FIXTURES, 'bank-a-v2-two-statements.cod');
    expect(await send(c, file)).not.toBe(0);
    expect(sim.codaStatements(1001)).toHaveLength(2); // it did arrive
    expect(await send(c, file)).toBe(1);
    expect(c.out.stderr).toMatch(/Statement 41 of account BE68539007547034 was sent to dossier 1001 on .*, but no answer came back/);
    expect(posts()).toBe(1);
    expect(await send(c, file, '--again')).toBe(1);
    expect(c.out.stderr).toMatch(/already imported/);
    expect(sim.codaStatements(1001)).toHaveLength(2);
  });
});
