import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { TransferEngine, everyDossier } from '../../lib/transfer/engine';
import { createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import { TransferError } from '../../lib/transfer/transport';
import { bookInvoice, MemoryReferenceCache } from '../../lib/octopus/booking';
import { brusselsDay, budgetScope, CallBudget, MemoryBudgetStore, nextBrusselsMidnight } from '../../lib/octopus/budget';
import { OctopusClient } from '../../lib/octopus/client';
import { OctopusError } from '../../lib/octopus/errors';
import { translatorFor } from '../../lib/i18n';
import type { SiteFetcher } from '../../lib/sites/types';
import type { Invoice } from '../../lib/model/invoice';
import type { Transfer } from '../../lib/model/transfer';
import { startOctopusSimulator, SIM_DOSSIER_ID, SIM_SEED, SIM_USERS, type OctopusSimulator } from '../sandbox/octopus-sim';
import { makeDossier, makeInvoice } from './octopus-fixtures';

/** A clock the test moves; the simulator reads the same one, so its Brussels day is ours. */
let nowMs = Date.parse('2026-03-29T08:00:00Z');
const clock = { now: () => new Date(nowMs) };
const at = (iso: string) => {
  nowMs = Date.parse(iso);
};

let sim: OctopusSimulator;
beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0, now: clock.now });
});
afterAll(async () => sim.close());
beforeEach(() => {
  sim.reset();
  at('2026-03-29T08:00:00Z');
});

describe('the Brussels day', () => {
  it('starts at local midnight, 23 or 25 hours apart on the days the clocks change', () => {
    // 29 March 2026: CET (UTC+1) until 02:00, then CEST (UTC+2).
    expect(brusselsDay(new Date('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(brusselsDay(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(nextBrusselsMidnight(new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(nextBrusselsMidnight(new Date('2026-03-29T08:00:00Z')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 25 October 2026: back to CET.
    expect(nextBrusselsMidnight(new Date('2026-10-25T12:00:00Z')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(nextBrusselsMidnight(new Date('2026-10-24T21:59:00Z')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    // Just before and at midnight itself.
    expect(nextBrusselsMidnight(new Date('2026-07-01T21:59:59Z')).toISOString()).toBe('2026-07-01T22:00:00.000Z');
    expect(nextBrusselsMidnight(new Date('2026-07-01T22:00:00Z')).toISOString()).toBe('2026-07-02T22:00:00.000Z');
  });

  it('counts per dossier and endpoint, keeps a reserve for what the user starts, and takes changed limits', async () => {
    const budget = new CallBudget(new MemoryBudgetStore(), clock);
    const scope = budgetScope('http://x/v1', 1);
    // The feed: 48 a day, 4 kept for the user.
    for (let i = 0; i < 44; i++) await budget.take(scope, 'modified');
    await expect(budget.take(scope, 'modified')).rejects.toMatchObject({ kind: 'quota', messageKey: 'octopus_budget_modified' });
    for (let i = 0; i < 4; i++) await budget.take(scope, 'modified', { userAsked: true });
    await expect(budget.take(scope, 'modified', { userAsked: true })).rejects.toBeInstanceOf(OctopusError);
    await budget.take(budgetScope('http://x/v1', 2), 'modified'); // another dossier has its own count
    await budget.setLimit('modified', { limit: 60 });
    await budget.take(scope, 'modified');
    const line = (await budget.status(scope)).find((l) => l.endpoint === 'modified')!;
    expect(line).toMatchObject({ limit: 60, reserve: 6, used: 49, left: 11 });
    await expect(budget.setLimit('modified', { limit: -1 })).rejects.toBeInstanceOf(RangeError);
    // A new Brussels day starts from zero.
    at('2026-03-29T22:00:00Z');
    expect((await budget.status(scope)).find((l) => l.endpoint === 'modified')!.used).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

let db: LedgerDb;
let dbName: string;
const documents = new Map<string, Invoice>();
const fetcher: SiteFetcher = {
  id: 'fake',
  async fetchDocument(_origin, documentId) {
    return { invoice: documents.get(documentId)! };
  },
};
const dossier = makeDossier({ id: 'd1', connectionId: 'c1' });

beforeEach(async () => {
  dbName = `budget-${Math.random()}`;
  db = new LedgerDb(dbName);
  await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_USERS.demo.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_USERS.demo.password });
  await db.dossiers.put(dossier);
  documents.clear();
});
afterEach(async () => {
  db.close();
  await Dexie.delete(dbName);
});

function engineOn(database: LedgerDb) {
  const ledger = new Ledger(database, clock);
  const transport = createWebserviceTransport(database, fetch, clock);
  const engine = new TransferEngine({
    ledger,
    dossiersForSite: () => everyDossier(database),
    adapters: [fetcher],
    transports: { webservice: transport },
    fetch,
    clock,
    retry: { baseMs: 1_000, capMs: 1_000, maxAttempts: 10 },
    random: () => 0.5,
  });
  return { ledger, transport, engine };
}

async function send(engine: TransferEngine, invoice: Invoice): Promise<string> {
  documents.set(invoice.number, invoice);
  const [queued] = await engine.send([{ site: 'fake.test', origin: 'https://fake.test', adapter: 'fake', documentId: invoice.number, transport: 'webservice', dossierId: 'd1' }]);
  return queued!.transfer.id;
}

describe('the budget in the transfer engine', () => {
  it('does not make the 3rd VAT-code read of a day: the transfer waits with the reason and goes on after Brussels midnight', async () => {
    const { engine, ledger } = engineOn(db);
    // Two reads of the VAT codes fail (each is one of the day's two), so the third is not made.
    sim.injectFault({ kind: 'status', status: 503, method: 'GET', path: '/vatcodes$', count: 2 });
    const id = await send(engine, makeInvoice({ number: 'B-1', issueDate: '2026-03-20' }));
    for (let attempt = 0; attempt < 3; attempt++) {
      await engine.runDue();
      nowMs += 2_000;
    }
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(2);
    const waiting = (await ledger.db.transfers.get(id))!;
    expect(waiting.state).toBe('failed');
    expect(waiting.nextAttemptAt).toBe('2026-03-29T22:00:00.000Z'); // midnight in Brussels, summer time since 02:00
    expect(waiting.lastError!.text).toEqual({ key: 'octopus_budget_vatcodes', params: ['2', '2026-03-30'] });
    expect(translatorFor('en').t(waiting.lastError!.text.key, waiting.lastError!.text.params)).toBe(
      'Octopus allows 2 reads of VAT codes a day; next possible on 2026-03-30 from 00:00 (Brussels time). It goes on by itself then.',
    );
    expect(translatorFor('nl').t(waiting.lastError!.text.key, waiting.lastError!.text.params)).toContain('maar 2 keer per dag');
    expect(translatorFor('fr').t(waiting.lastError!.text.key, waiting.lastError!.text.params)).toContain('2 lectures des codes TVA par jour');

    // A worker restart: new ledger, transport and engine on the same database. The count is remembered.
    at('2026-03-29T21:59:00Z');
    const restarted = engineOn(new LedgerDb(dbName));
    await restarted.engine.runDue(); // not due yet
    const direct = await restarted.transport
      .deliver({ transfer: { id: 'x', createdAt: clock.now().toISOString() } as Transfer, dossier, document: { invoice: makeInvoice({ number: 'B-2', issueDate: '2026-03-20' }) }, outcomeUnknown: false, force: false })
      .catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(TransferError);
    expect((direct as TransferError).text.key).toBe('octopus_budget_vatcodes');
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(2);
    expect(sim.bookings()).toHaveLength(0);

    at('2026-03-29T22:00:01Z');
    await restarted.engine.runDue();
    expect((await restarted.ledger.db.transfers.get(id))!.state).toBe('sent');
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(3);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('waits for the budget however many attempts the transfer had', async () => {
    const ledger = new Ledger(db, clock);
    const engine = new TransferEngine({ ledger, dossiersForSite: () => everyDossier(db), adapters: [fetcher], transports: { webservice: createWebserviceTransport(db, fetch, clock) }, fetch, clock, retry: { baseMs: 1_000, capMs: 1_000, maxAttempts: 1 } });
    const budget = new CallBudget(new (await import('../../lib/octopus/reference-cache')).IndexedDbBudgetStore(db), clock);
    for (let i = 0; i < 2; i++) await budget.take(budgetScope(sim.url, SIM_DOSSIER_ID), 'vatcodes', { userAsked: true });
    const id = await send(engine, makeInvoice({ number: 'M-1', issueDate: '2026-03-20' }));
    await engine.runDue();
    expect(await ledger.db.transfers.get(id)).toMatchObject({ state: 'failed', nextAttemptAt: '2026-03-29T22:00:00.000Z' });
  });

  it('books without any read once the reference data is kept, even with the day\'s reads spent', async () => {
    const { engine, ledger } = engineOn(db);
    await send(engine, makeInvoice({ number: 'K-1', issueDate: '2026-03-20' }));
    await engine.runDue();
    // Spend the rest of the day's VAT-code and account reads.
    const budget = new CallBudget(new (await import('../../lib/octopus/reference-cache')).IndexedDbBudgetStore(db), clock);
    const scope = budgetScope(sim.url, SIM_DOSSIER_ID);
    for (const endpoint of ['vatcodes', 'accounts'] as const) await budget.take(scope, endpoint, { userAsked: true });
    sim.clearRequests();
    const id = await send(engine, makeInvoice({ number: 'K-2', issueDate: '2026-03-21' }));
    await engine.runDue();
    expect((await ledger.db.transfers.get(id))!.state).toBe('sent');
    expect(sim.requests().map((r) => r.route)).toEqual(['buysellbookings.post']);
  });

  it('two documents that fail on a VAT code do not wipe the kept reference data; the stale part is read again once', async () => {
    const { engine, ledger } = engineOn(db);
    await send(engine, makeInvoice({ number: 'W-1', issueDate: '2026-03-20' }));
    await engine.runDue();
    // Next day: the accountant removed code 06 in Octopus; our kept list still has it.
    at('2026-03-30T08:00:00Z');
    const d = sim.dossier(SIM_DOSSIER_ID)!;
    d.vatCodes = d.vatCodes.filter((v) => v.code !== '06');
    sim.clearRequests();
    const failing = [
      await send(engine, makeInvoice({ number: 'W-2', issueDate: '2026-03-20', lines: [{ net: '100.00', rate: '6' }] })),
      await send(engine, makeInvoice({ number: 'W-3', issueDate: '2026-03-20', lines: [{ net: '50.00', rate: '6' }] })),
    ];
    await engine.runDue();
    for (const id of failing) expect((await ledger.db.transfers.get(id))!.state).toBe('needs-attention');
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(1); // once, not once per document
    expect(sim.countRequests({ route: 'accounts.get' })).toBe(0);
    // The rest of the kept data is still there: the next booking reads nothing of it.
    sim.clearRequests();
    const ok = await send(engine, makeInvoice({ number: 'W-4', issueDate: '2026-03-20' }));
    await engine.runDue();
    expect((await ledger.db.transfers.get(ok))!.state).toBe('sent');
    expect(sim.requests().map((r) => r.route)).toEqual(['buysellbookings.post']);
  });
});

describe('an account new in Octopus', () => {
  it('is found through the accounts feed (48 a day), not by reading the whole list (2 a day)', async () => {
    const budget = new CallBudget(new MemoryBudgetStore(), clock);
    const client = new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password, clock, budget: budget.gate(sim.url) });
    const cache = new MemoryReferenceCache(clock);
    await bookInvoice(client, makeDossier(), makeInvoice({ number: 'A-1', issueDate: '2026-03-20' }), { cache });
    nowMs += 3_600_000;
    sim.addAccount(SIM_DOSSIER_ID, { nr: 604900, name: 'Aankopen nieuw' });
    sim.clearRequests();
    // A line's own account is a purchase's (BT-133 is the buyer's accounting reference).
    const result = await bookInvoice(client, makeDossier(), makeInvoice({ direction: 'purchase', number: 'A-2', issueDate: '2026-03-20', lines: [{ net: '10.00', account: '604900' }] }), { cache });
    expect(result.alreadyBooked).toBe(false);
    expect(sim.countRequests({ route: 'accounts.modified' })).toBe(1);
    expect(sim.countRequests({ route: 'accounts.get' })).toBe(0);
    // An account that is nowhere: one more feed read, then a clear refusal (no full read: the feed answered).
    sim.clearRequests();
    const missing = await bookInvoice(client, makeDossier(), makeInvoice({ direction: 'purchase', number: 'A-3', issueDate: '2026-03-20', lines: [{ net: '10.00', account: '609999' }] }), { cache }).catch((e: unknown) => e as OctopusError);
    expect(missing).toMatchObject({ kind: 'unknown-account', params: ['609999'] });
    expect(sim.countRequests({ route: 'accounts.get' })).toBe(0);
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
  });
});

describe('an exhausted quota at Octopus', () => {
  it('stops that endpoint until the next Brussels midnight, with no call before then', async () => {
    const budget = new CallBudget(new MemoryBudgetStore(), clock);
    const client = new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password, clock, budget: budget.gate(sim.url) });
    sim.setQuota('vatcodes.get', 0); // Octopus counts other tools' calls too: it may say "spent" before we think so
    const first = await client.vatCodes(SIM_DOSSIER_ID).catch((e: unknown) => e as OctopusError);
    expect(first).toMatchObject({ kind: 'quota', httpStatus: 429, retriable: true });
    expect((first as OctopusError).retryAfterMs).toBe(Date.parse('2026-03-29T22:00:00Z') - nowMs);
    nowMs += 3 * 3_600_000;
    const second = await client.vatCodes(SIM_DOSSIER_ID).catch((e: unknown) => e as OctopusError);
    expect(second).toMatchObject({ kind: 'quota', messageKey: 'octopus_budget_vatcodes' });
    expect(sim.countRequests({ route: 'vatcodes.get' })).toBe(1);
    // Other endpoints are not affected.
    await client.accounts(SIM_DOSSIER_ID, 2);
    expect((await budget.status(budgetScope(sim.url, SIM_DOSSIER_ID))).find((l) => l.endpoint === 'vatcodes')).toMatchObject({ exhausted: true, left: 0 });
    at('2026-03-29T22:00:00Z');
    sim.setQuota('vatcodes.get', 2);
    expect((await client.vatCodes(SIM_DOSSIER_ID)).length).toBeGreaterThan(0);
  });
});

describe('a lost answer', () => {
  it('costs one read of the modified feed, from just before the POST, and no single-booking reads', async () => {
    const budget = new CallBudget(new MemoryBudgetStore(), clock);
    const client = new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password, clock, budget: budget.gate(sim.url) });
    const cache = new MemoryReferenceCache(clock);
    await bookInvoice(client, makeDossier(), makeInvoice({ number: 'L-1', issueDate: '2026-03-20' }), { cache });
    sim.clearRequests();
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/buysellbookings$', phase: 'after' });
    const result = await bookInvoice(client, makeDossier(), makeInvoice({ number: 'L-2', issueDate: '2026-03-20' }), { cache });
    expect(result).toMatchObject({ documentSequenceNr: 43, alreadyBooked: false });
    expect(sim.requests().map((r) => r.route)).toEqual(['buysellbookings.post', 'buysellbookings.modified']);
    expect(sim.requests({ route: 'buysellbookings.modified' })[0]!.query).toContain('journalKey=V1');
    expect(sim.bookings().filter((b) => b.comment.startsWith('L-2 '))).toHaveLength(1);
    expect((await budget.status(budgetScope(sim.url, SIM_DOSSIER_ID))).find((l) => l.endpoint === 'booking')!.used).toBe(0);
  });
});
