import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import type { ReferenceImport } from '../../lib/octopus/import';
import { systemClock } from '../../lib/platform/clock';
import type { TransferEngine } from '../../lib/transfer/engine';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

let sim: OctopusSimulator;
let db: LedgerDb;
let deps: SettingsDeps;
let dbName: string;

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(async () => sim.close());
beforeEach(() => {
  sim.reset();
  dbName = `setup-${Math.random()}`;
  db = new LedgerDb(dbName);
  deps = { db, ledger: new Ledger(db, systemClock), engine: {} as TransferEngine, fetch };
});
afterEach(async () => {
  db.close();
  await Dexie.delete(dbName);
});

/** Every request goes through the same zod parse as in the worker. */
const ask = (raw: unknown) => handlePageRequest(pageRequest.parse(raw), deps) as Promise<any>;

async function connectDemo() {
  const user = SIM_SEED.users[0]!;
  const saved = await ask({
    type: 'connection.save',
    connection: { label: 'Sim', baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: user.user, password: user.password },
  });
  expect(saved.ok).toBe(true);
  const used = await ask({ type: 'dossier.use', connectionId: saved.connection.id, octopusDossierId: 1001, name: 'Demo BV', vatNumber: 'BE0477472701' });
  return { connectionId: saved.connection.id as string, dossierId: used.dossier.id as string };
}

describe('dossier set-up (options page)', () => {
  it('imports journals, accounts and VAT codes with a communication log, and shows the VAT mapping', async () => {
    const { dossierId } = await connectDemo();
    const answer = await ask({ type: 'dossier.import', dossierId });
    expect(answer.ok).toBe(true);
    const result = answer.import as ReferenceImport;
    expect(result.error).toBeUndefined();
    expect(result.bookyear?.label).toBe('2026');
    expect(result.journals.map((j) => j.key)).toEqual(expect.arrayContaining(['V1', 'V2', 'A1']));
    expect(result.journals.find((j) => j.key === 'V1')?.lastBookedDocumentNr).toBe(41);
    expect(result.vatCodes).toHaveLength(17);
    expect(result.accounts).toBeGreaterThan(0);
    // The whole relation list (2 reads a day, HTTP 400 on some dossiers) is not read.
    expect(sim.countRequests({ route: 'relations.get' })).toBe(0);
    expect(result.log.map((l) => `${l.method} ${l.path.split('?')[0]} ${l.status}`)).toEqual(
      expect.arrayContaining(['POST /authentication 200', 'GET /dossiers/1001/bookyears 200', 'GET /dossiers/1001/vatcodes 200']),
    );
    expect(JSON.stringify(result.log)).not.toContain(SIM_SEED.users[0]!.password);
    const row = (side: string, key: string) => result.vatMapping.find((r) => r.side === side && r.key === key)!;
    expect(row('sales', 'S:21').code).toBe('21');
    expect(row('sales', 'S:6').code).toBe('06');
    expect(row('purchases', 'S:21').code).toBe('D21');
    expect(row('sales', 'K:0').code).toBe('ICL');
    // The import is kept for the options page.
    const settings = await ask({ type: 'settings.get' });
    expect(settings.imports[dossierId].vatCodes).toHaveLength(17);
  });

  it('imports twice more in a day without reading accounts or VAT codes again; a refresh costs one of each, within the budget', async () => {
    const { dossierId } = await connectDemo();
    await ask({ type: 'dossier.import', dossierId });
    await ask({ type: 'dossier.import', dossierId });
    const third = (await ask({ type: 'dossier.import', dossierId })).import as ReferenceImport;
    expect(third.error).toBeUndefined();
    expect(third.vatCodes).toHaveLength(17);
    expect(third.accounts).toBeGreaterThan(0);
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(1);
    expect(sim.countRequests({ route: 'accounts.get' })).toBe(1);
    expect(sim.countRequests({ route: 'relations.get' })).toBe(0);
    expect(third.fetchedAt?.vatcodes).toBeDefined();
    // What the options page shows: today's count against the limit.
    const budget = (await ask({ type: 'octopus.budget.get', dossierId })).budget as { endpoint: string; used: number; left: number }[];
    expect(budget.find((l) => l.endpoint === 'vatcodes')).toMatchObject({ used: 1, left: 1 });
    // The user's refresh reads both again; a second refresh that day is refused before any call, and the
    // other parts are still imported.
    expect(((await ask({ type: 'dossier.import', dossierId, refresh: true })).import as ReferenceImport).error).toBeUndefined();
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(2);
    const refused = (await ask({ type: 'dossier.import', dossierId, refresh: true })).import as ReferenceImport;
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(2);
    expect(refused.problems?.map((p) => [p.part, p.text.key])).toEqual([
      ['accounts', 'octopus_budget_accounts'],
      ['vatcodes', 'octopus_budget_vatcodes'],
    ]);
    expect(refused.journals.length).toBeGreaterThan(0);
    expect(refused.budget?.find((l) => l.endpoint === 'vatcodes')).toMatchObject({ used: 2, left: 0 });
  });

  it('does not fail as a whole when one part answers 400', async () => {
    const { dossierId } = await connectDemo();
    sim.injectFault({ kind: 'status', status: 400, method: 'GET', path: '/accounts$', body: { errorCode: -79, errorMessage: 'Bad request' } });
    const result = (await ask({ type: 'dossier.import', dossierId })).import as ReferenceImport;
    expect(result.problems?.map((p) => p.part)).toEqual(['accounts']);
    expect(result.error).toBeDefined();
    expect(result.journals.length).toBeGreaterThan(0);
    expect(result.vatCodes).toHaveLength(17);
  });

  it('changes a daily limit from the options page and refuses a bad one', async () => {
    const answer = await ask({ type: 'octopus.budget.setLimit', endpoint: 'vatcodes', limit: 4 });
    expect(answer.limits.vatcodes).toEqual({ limit: 4, reserve: 0 });
    expect(pageRequest.safeParse({ type: 'octopus.budget.setLimit', endpoint: 'vatcodes', limit: -1 }).success).toBe(false);
    expect(pageRequest.safeParse({ type: 'octopus.budget.setLimit', endpoint: 'everything', limit: 4 }).success).toBe(false);
    expect((await ask({ type: 'octopus.budget.setLimit', endpoint: 'vatcodes', limit: null })).limits.vatcodes).toEqual({ limit: 2, reserve: 0 });
  });

  it('keeps journals, accounts and VAT overrides, and refuses a non-numeric account or an unknown field', async () => {
    const { dossierId } = await connectDemo();
    await ask({ type: 'dossier.import', dossierId });
    const updated = await ask({
      type: 'dossier.update',
      dossierId,
      changes: { journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' }, defaultAccounts: { sales: '700100', purchases: '604000' }, vatCodeOverrides: { 'sales:E:0': 'VRY' } },
    });
    expect(updated.ok).toBe(true);
    const stored = await db.dossiers.get(dossierId);
    expect(stored).toMatchObject({ journals: { salesCreditNotes: 'V2' }, defaultAccounts: { sales: '700100' }, vatCodeOverrides: { 'sales:E:0': 'VRY' } });
    const settings = await ask({ type: 'settings.get' });
    const mapping = (settings.imports[dossierId] as ReferenceImport).vatMapping.find((r) => r.side === 'sales' && r.key === 'E:0')!;
    expect(mapping).toMatchObject({ code: 'VRY', overridden: true });

    expect(pageRequest.safeParse({ type: 'dossier.update', dossierId, changes: { defaultAccounts: { sales: '70O000', purchases: '604000' } } }).success).toBe(false);
    expect(pageRequest.safeParse({ type: 'dossier.update', dossierId, changes: { vatCodeOverrides: { 'drop table': 'x' } } }).success).toBe(false);
    expect((await db.dossiers.get(dossierId))!.defaultAccounts.sales).toBe('700100');
  });

  it('records a failed import with the reason in the user’s terms', async () => {
    const { dossierId } = await connectDemo();
    sim.setQuota('vatcodes.get', 0);
    const answer = await ask({ type: 'dossier.import', dossierId });
    const result = answer.import as ReferenceImport;
    expect(result.error?.text.key).toMatch(/^octopus_error_/);
  });

  it('removes a login and its secret in one request', async () => {
    const { connectionId } = await connectDemo();
    expect(await db.secrets.count()).toBe(1);
    await ask({ type: 'connection.delete', connectionId });
    expect(await db.secrets.count()).toBe(0);
    expect(await db.connections.count()).toBe(0);
    expect(await db.dossiers.count()).toBe(0);
  });
});
