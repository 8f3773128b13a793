/**
 * A firm's working day for one dossier against the simulator with Octopus's daily limits on (the evidence table),
 * counted per endpoint against each limit. Exits 1 when a limit is exceeded, or when the client's own budget had
 * to hold a transfer back (a day of normal work must fit).
 *
 *   npm run bench:day
 *
 * 08:00–18:00 Brussels time on a simulated clock: the first import of the dossier's reference data, two
 * re-imports (12:00, 16:00), 200 documents one every 3 minutes (5 with a VAT category the dossier has no code for,
 * 3 whose answer is lost after Octopus booked them), and reconciliation through the modified feed every 30 minutes.
 * Everything runs in this process on 127.0.0.1: the simulator and the engine on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { TransferEngine, everyDossier } from '../../lib/transfer/engine';
import { clientForConnection, createWebserviceTransport, dayBudget } from '../../lib/transfer/webservice-transport';
import { reconcileDossier } from '../../lib/transfer/reconcile';
import { importReferenceData, type ImportLogEntry } from '../../lib/octopus/import';
import { IndexedDbReferenceCache } from '../../lib/octopus/reference-cache';
import { DEFAULT_DAILY_LIMITS, type BudgetEndpoint } from '../../lib/octopus/budget';
import type { Invoice } from '../../lib/model/invoice';
import type { SiteFetcher } from '../../lib/sites/types';
import { startOctopusSimulator, SIM_DOSSIER_ID, SIM_SEED, SIM_USERS, type SimRequestRecord } from '../sandbox/octopus-sim';
import { makeDossier, makeInvoice } from '../unit/octopus-fixtures';

const DOCUMENTS = 200;
const UNMAPPED = new Set([17, 58, 99, 140, 181]); // documents with a VAT category the dossier has no code for
const LOST = new Set([33, 111, 170]); // documents whose answer is lost after Octopus booked them
const START = Date.parse('2026-03-10T07:00:00Z'); // 08:00 in Brussels
const END = Date.parse('2026-03-10T17:00:00Z'); // 18:00

let nowMs = START;
const clock = { now: () => new Date(nowMs) };

const sim = await startOctopusSimulator({ port: 0, now: clock.now });
const db = new LedgerDb('bench-day');
const ledger = new Ledger(db, clock);
await db.connections.put({ id: 'c1', label: 'bench', baseUrl: sim.url, user: SIM_USERS.demo.user });
await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_USERS.demo.password });
const dossier = makeDossier({ id: 'd1', connectionId: 'c1' });
await db.dossiers.put(dossier);
const connection = (await db.connections.get('c1'))!;
const secret = (await db.secrets.get('c1'))!;

const documents = new Map<string, Invoice>();
const fetcher: SiteFetcher = { id: 'bench', fetchDocument: async (_origin, id) => ({ invoice: documents.get(id)! }) };
const engine = new TransferEngine({
  ledger,
  dossiersForSite: () => everyDossier(db),
  adapters: [fetcher],
  transports: { webservice: createWebserviceTransport(db, (i, init) => fetch(i, init), clock) },
  fetch: (i, init) => fetch(i, init),
  clock,
  retry: { baseMs: 1_000, capMs: 60_000, maxAttempts: 8 },
});
const budget = dayBudget(db, clock);
/** Imports and reconciliations that failed (a budget refusal included): a normal day has none. */
let troubles = 0;

/** As the options page does it (lib/extension/settings.ts): the user's action, so the reserve may be used. */
async function importNow(): Promise<void> {
  const log: ImportLogEntry[] = [];
  const client = clientForConnection(connection, secret, (i, init) => fetch(i, init), clock, undefined, budget.gate(sim.url, { userAsked: true }));
  const result = await importReferenceData(client, dossier, new IndexedDbReferenceCache(db, clock), log, clock.now);
  if (result.error) {
    troubles++;
    console.log(`  import at ${hhmm()}: ${result.error.detail}`);
  }
}

/** As the worker does it: the modified feed through a budgeted client. */
async function reconcile(): Promise<void> {
  const client = clientForConnection(connection, secret, (i, init) => fetch(i, init), clock, undefined, budget.gate(sim.url));
  try {
    await reconcileDossier({ ledger, dossier, clock, feed: (d, since) => client.modifiedBookings(d.octopusDossierId, since ? { since } : {}) });
  } catch (error) {
    troubles++;
    console.log(`  reconciliation at ${hhmm()} failed: ${(error as Error).message}`);
  }
}

const hhmm = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit' }).format(clock.now());

const events: { at: number; run: () => Promise<void> }[] = [];
events.push({ at: START, run: importNow });
events.push({ at: Date.parse('2026-03-10T11:00:00Z'), run: importNow });
events.push({ at: Date.parse('2026-03-10T15:00:00Z'), run: importNow });
for (let t = START + 15 * 60_000; t < END; t += 30 * 60_000) events.push({ at: t, run: reconcile });
for (let i = 0; i < DOCUMENTS; i++) {
  events.push({
    at: START + 60_000 + i * 3 * 60_000,
    run: async () => {
      const customer = i % 40;
      const invoice = makeInvoice({
        number: `DAY-${String(i + 1).padStart(3, '0')}`,
        issueDate: '2026-03-10',
        party: { name: `Klant ${customer} BV`, externalId: String(700 + customer) },
        lines: UNMAPPED.has(i) ? [{ net: '80.00', category: 'M', rate: '0' }] : [{ net: String(100 + i) + '.00' }],
      });
      documents.set(invoice.number, invoice);
      if (LOST.has(i)) sim.injectFault({ kind: 'drop', method: 'POST', path: '/buysellbookings$', phase: 'after', count: 1 });
      await engine.send([{ site: 'bench.test', origin: 'https://bench.test', adapter: 'bench', documentId: invoice.number, transport: 'webservice', dossierId: 'd1' }]);
      await engine.runDue();
    },
  });
}
events.sort((a, b) => a.at - b.at);
const t0 = performance.now();
for (const event of events) {
  nowMs = event.at;
  await event.run();
}
// Retries left over (backoff) run within the day.
for (let i = 0; i < 10; i++) {
  nowMs += 60_000;
  await engine.runDue();
}

/** The simulator's request log per limited endpoint (a relation search and the whole list apart). */
const SIM_KEY: Partial<Record<string, BudgetEndpoint>> = {
  'dossiers.get': 'dossiers',
  'bookyears.get': 'bookyears',
  'journals.get': 'journals',
  'accounts.get': 'accounts',
  'accounts.modified': 'accounts-modified',
  'vatcodes.get': 'vatcodes',
  'buysellbookings.get': 'booking',
  'buysellbookings.modified': 'modified',
};
const endpointOf = (r: SimRequestRecord): BudgetEndpoint | undefined =>
  r.route === 'relations.get' ? (/[?&](extRelationId|relationId|name|vatNr)=/.test(r.query) ? 'relations-search' : 'relations') : SIM_KEY[r.route];
const calls = new Map<BudgetEndpoint, number>();
for (const r of sim.requests()) {
  const e = endpointOf(r);
  if (e) calls.set(e, (calls.get(e) ?? 0) + 1);
}
const transfers = await db.transfers.toArray();
const sent = transfers.filter((t) => t.state === 'sent').length;
const needsAttention = transfers.filter((t) => t.state === 'needs-attention');
const heldByBudget = transfers.filter((t) => t.lastError?.text.key.startsWith('octopus_budget_') && t.state !== 'sent');
const refusedBySim = sim.requests().filter((r) => r.status === 429).length;

console.log(`A working day for one dossier (${((performance.now() - t0) / 1000).toFixed(1)} s): ${DOCUMENTS} documents, ${sent} booked, ${needsAttention.length} waiting for the user, ${sim.bookings({ source: 'webservice' }).length} bookings in the simulator`);
console.log('endpoint            calls  limit/day');
let over = false;
for (const endpoint of Object.keys(DEFAULT_DAILY_LIMITS) as BudgetEndpoint[]) {
  const n = calls.get(endpoint) ?? 0;
  const limit = sim.state.quotas[endpoint === 'relations-search' ? 'relations.search' : (Object.entries(SIM_KEY).find(([, v]) => v === endpoint)?.[0] as keyof typeof sim.state.quotas) ?? 'relations.get'];
  const exceeded = limit !== undefined && n > limit;
  over ||= exceeded;
  console.log(`${endpoint.padEnd(20)}${String(n).padStart(5)}  ${String(limit ?? '∞').padStart(9)}${exceeded ? '  EXCEEDED' : ''}`);
}
console.log(`writes: ${sim.countRequests({ route: 'buysellbookings.post' })} POST buysellbookings, ${sim.countRequests({ route: 'relations.put' })} PUT relations; 429 answers: ${refusedBySim}`);
const duplicates = sim.bookings({ source: 'webservice' }).length - new Set(sim.bookings({ source: 'webservice' }).map((b) => b.comment)).size;
if (duplicates > 0) console.log(`DUPLICATE bookings: ${duplicates}`);
if (heldByBudget.length > 0) console.log(`held back by the client's budget: ${heldByBudget.map((t) => t.documentNumber).join(', ')}`);
db.close();
await sim.close();
const expected = DOCUMENTS - UNMAPPED.size;
if (over || refusedBySim > 0 || heldByBudget.length > 0 || troubles > 0 || duplicates > 0 || sent !== expected) {
  console.log(`FAILED: the day does not fit (expected ${expected} booked)`);
  process.exit(1);
}
console.log('OK: every endpoint stayed within its daily limit');
