import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import { dossier as dossierSchema } from '../../lib/model/dossier';
import { secretUrl } from '../../lib/platform/secret-url';
import type { TransferEngine } from '../../lib/transfer/engine';
import type { CodaFileOutcome } from '../../lib/coda/extension-send';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

/** The worker's side of the popup's CODA drop, on fake-indexeddb, against the simulator on 127.0.0.1. */
const FIXTURES = join(import.meta.dirname, '../fixtures/coda');
const text = (name: string) => new TextDecoder('windows-1252').decode(readFileSync(join(FIXTURES, name)));
let sim: OctopusSimulator;
let deps: SettingsDeps;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  const db = new LedgerDb(`coda-${Math.random()}`);
  deps = { db, ledger: new Ledger(db, systemClock), engine: {} as TransferEngine, fetch };
  await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_SEED.users[0]!.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: secretUrl(sim.url), softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_SEED.users[0]!.password });
  await db.dossiers.put(dossierSchema.parse({ id: 'd1', name: 'Bakkerij Janssens', octopusDossierId: 1001, connectionId: 'c1', codaAccounts: [{ iban: 'BE68539007547034', journal: 'F1' }] }));
});

const send = async (fileName: string, body = text(fileName)) =>
  (await handlePageRequest(pageRequest.parse({ type: 'coda.send', fileName, text: body }), deps)) as CodaFileOutcome;

describe('coda.send from the popup', () => {
  it('routes by account, sends once, and says so per statement', async () => {
    const first = await send('bank-a-v2-two-statements.cod');
    expect(first).toEqual({
      ok: true,
      problems: [],
      statements: [
        { account: 'BE68539007547034', statementNumber: 41, year: 2026, newBalanceDate: '2026-03-02', outcome: 'sent', dossierName: 'Bakkerij Janssens' },
        { account: 'BE68539007547034', statementNumber: 42, year: 2026, newBalanceDate: '2026-03-03', outcome: 'sent', dossierName: 'Bakkerij Janssens' },
      ],
    });
    expect(sim.codaStatements(1001)).toHaveLength(2);
    const again = await send('bank-a-v2-two-statements.cod');
    expect(again.statements.map((s) => s.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(sim.countRequests({ route: 'coda.post' })).toBe(1);
  });

  it('the same file sent from two popups at once goes once', async () => {
    const [a, b] = await Promise.all([send('bank-a-v2-two-statements.cod'), send('bank-a-v2-two-statements.cod')]);
    expect([...a.statements, ...b.statements].map((s) => s.outcome).sort()).toEqual(['already-sent', 'already-sent', 'sent', 'sent']);
    expect(sim.countRequests({ route: 'coda.post' })).toBe(1);
  });

  it('an account of no dossier waits with the reason; a broken file is refused with its reasons', async () => {
    const other = await send('bank-b-v2-free-text.cod');
    expect(other).toEqual({
      ok: true,
      problems: [],
      statements: [
        {
          account: 'NL91ABNA0417164300', statementNumber: 7, year: 2026, newBalanceDate: '2026-05-29', outcome: 'waits',
          text: { key: 'coda_account_unknown', params: ['NL91 ABNA 0417 1643 00'] },
        },
      ],
    });
    const broken = await send('broken-debit-total.cod');
    expect(broken.statements).toEqual([]);
    expect(broken.problems.map((p) => p.key)).toEqual(['coda_debit_total']);
    expect(sim.countRequests({ route: 'coda.post' })).toBe(0);
  });

  it('a refusal of Octopus is the statement’s outcome, in words', async () => {
    sim.injectFault({ kind: 'status', status: 503, path: 'coda$' });
    const failed = await send('bank-c-v1.cod');
    expect(failed.statements[0]).toMatchObject({ outcome: 'failed', statementNumber: 3 });
    expect(failed.statements[0]!.text!.key).toMatch(/^octopus_/);
  });
});
