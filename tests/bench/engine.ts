/**
 * Transfer engine benchmark. Prints figures; asserts nothing about speed.
 *
 *   npm run bench:engine                 # 500 documents at 150 ms latency
 *   BENCH_COUNT=100 BENCH_LATENCY_MS=50 npm run bench:engine
 *
 * 1. Octopus calls per booking in steady state (reference data cached, tokens fresh): goal ≤ 1.1.
 * 2. A bulk of BENCH_COUNT documents against the simulator with BENCH_LATENCY_MS added to every request, beside its
 *    floor: calls × latency ÷ allowed concurrency (the webservice goes one booking at a time per dossier).
 * Everything runs in this process on 127.0.0.1: the demo site, the simulator, the engine on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine, DEFAULT_IN_FLIGHT } from '../../lib/transfer/engine';
import { createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import { BulkJobs } from '../../lib/transfer/bulk';
import { factuurDemo } from '../../lib/sites/factuurdemo';
import { systemClock } from '../../lib/platform/clock';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED, SIM_DOSSIER_ID } from '../sandbox/octopus-sim';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 150);
const WARM = 20;
const STEADY = Number(process.env.BENCH_STEADY ?? 100);

async function setup(name: string, count: number) {
  const site = await startDemoSite({ port: 0, count });
  const sim = await startOctopusSimulator({ port: 0 });
  const db = new LedgerDb(name);
  const ledger = new Ledger(db, systemClock);
  const user = SIM_SEED.users[0]!;
  await db.connections.put({ id: 'c1', label: 'bench', baseUrl: sim.url, user: user.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: user.password });
  await db.dossiers.put({
    id: 'd1',
    name: 'Demo BV',
    octopusDossierId: SIM_DOSSIER_ID,
    connectionId: 'c1',
    transport: 'webservice',
    journals: { sales: 'V1', purchases: 'A1' },
    defaultAccounts: { sales: '700000', purchases: '604000' },
    vatCodeOverrides: {},
    mailbox: {},
  });
  await db.settings.put({ key: 'defaultDossierId', value: 'd1' });
  const engine = new TransferEngine({
    ledger,
    dossiersForSite: () => everyDossier(ledger.db),
    adapters: [factuurDemo],
    transports: { webservice: createWebserviceTransport(db, (i, init) => fetch(i, init)) },
    fetch: (i, init) => fetch(i, init),
    clock: systemClock,
  });
  const bulk = new BulkJobs(ledger, systemClock);
  const origin = site.url;
  const send = (ids: string[]) =>
    bulk.start({ site: new URL(origin).host, origin, adapter: 'factuurdemo', transport: 'webservice', documents: ids.map((id) => ({ id })), label: String(ids.length) });
  return { site, sim, db, ledger, engine, bulk, send, close: async () => (db.close(), await site.close(), await sim.close()) };
}

async function steadyState() {
  const s = await setup('bench-steady', WARM + STEADY);
  const ids = s.site.documents.map((d) => d.id);
  await s.send(ids.slice(0, WARM));
  await s.engine.runDue();
  const before = s.sim.countRequests();
  await s.send(ids.slice(WARM));
  await s.engine.runDue();
  const calls = s.sim.countRequests() - before;
  const booked = s.sim.bookings().length;
  const byRoute = new Map<string, number>();
  for (const r of s.sim.requests().slice(before)) byRoute.set(r.route, (byRoute.get(r.route) ?? 0) + 1);
  console.log(`steady state: ${calls} Octopus calls for ${STEADY} bookings = ${(calls / STEADY).toFixed(3)} calls per booking (goal ≤ 1.1)`);
  console.log(`  by route: ${[...byRoute].map(([k, v]) => `${k} ${v}`).join(', ')}; bookings in the simulator: ${booked}`);
  await s.close();
}

async function bulkAtLatency() {
  const s = await setup('bench-bulk', COUNT);
  s.sim.injectFault({ kind: 'delay', delayMs: LATENCY, count: null });
  const ids = s.site.documents.map((d) => d.id);
  const t0 = performance.now();
  const { job } = await s.send(ids);
  await s.engine.runDue();
  const ms = performance.now() - t0;
  const progress = await s.bulk.progress(job.id);
  const calls = s.sim.countRequests();
  const concurrency = DEFAULT_IN_FLIGHT.webservice;
  const floor = (calls * LATENCY) / concurrency;
  console.log(
    `bulk: ${COUNT} documents at ${LATENCY} ms latency in ${(ms / 1000).toFixed(1)} s; ` +
      `${calls} calls (${(calls / COUNT).toFixed(3)} per booking, cold start included); ` +
      `floor ${calls} × ${LATENCY} ms ÷ ${concurrency} = ${(floor / 1000).toFixed(1)} s; ratio ${(ms / floor).toFixed(2)}`,
  );
  console.log(`  job: done ${progress?.done}/${progress?.total}, failed ${progress?.failed}; simulator bookings ${s.sim.bookings().length}`);
  await s.close();
}

await steadyState();
await bulkAtLatency();
