import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { EngineService } from '../../lib/transfer/service';
import { defaultRules, rulesPolicy, type DossierRules } from '../../lib/transfer/rules';
import { createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import { factuurDemo } from '../../lib/sites/factuurdemo';
import { startDemoSite } from '../sandbox/demo-site';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

let sim: OctopusSimulator;
let site: Awaited<ReturnType<typeof startDemoSite>>;
let db: LedgerDb;
let name: string;
let service: EngineService;
let engine: TransferEngine;
const now = { t: Date.parse('2026-11-30T02:30:00Z') };
const clock = { now: () => new Date(now.t) };

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
  site = await startDemoSite({ port: 0 });
});
afterAll(async () => {
  await sim.close();
  await site.close();
});
beforeEach(async () => {
  sim.reset();
  name = `schedule-${Math.random()}`;
  db = new LedgerDb(name);
  const ledger = new Ledger(db, clock);
  await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_SEED.users[0]!.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_SEED.users[0]!.password });
  await db.dossiers.put({
    id: 'd1',
    name: 'Demo BV',
    octopusDossierId: 1001,
    connectionId: 'c1',
    transport: 'webservice',
    journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' },
    defaultAccounts: { sales: '700000', purchases: '604000' },
    vatCodeOverrides: {},
    mailbox: {},
  });
  await db.settings.put({ key: 'defaultDossierId', value: 'd1' });
  engine = new TransferEngine({
    ledger,
    dossiersForSite: () => everyDossier(ledger.db),
    adapters: [factuurDemo],
    transports: { webservice: createWebserviceTransport(db, fetch, clock) },
    fetch,
    clock,
    random: () => 0.5,
    policy: rulesPolicy((id) => service.rulesFor(id)),
  });
  service = new EngineService({ ledger, engine, adapters: [factuurDemo], fetch, clock });
  const host = new URL(site.url).host;
  await service.rememberSite({ site: host, origin: site.url, adapter: 'factuurdemo' });
});
afterEach(async () => {
  db.close();
  await Dexie.delete(name);
});

describe('scheduled runs', () => {
  it('lists the site without a tab, sends what the rules take (not drafts, paid only when asked) and skips what went before', async () => {
    const listed = await factuurDemo.listDocuments(site.url, fetch);
    expect(listed).toHaveLength(site.documents.length);
    expect(listed.find((d) => d.id === site.documents[0]!.id)).toMatchObject({ number: site.documents[0]!.invoice.number, issueDate: site.documents[0]!.invoice.issueDate });

    const rules: DossierRules = { ...defaultRules('d1'), schedule: { type: 'nightly', hour: 2 } };
    rules.kinds.salesInvoice.status = 'paid';
    expect(await service.saveRules(rules)).toMatchObject({ ok: true });
    const runs = await service.runDueSchedules();
    expect(runs.reduce((n, r) => n + r.queued, 0)).toBeGreaterThan(0);
    await engine.runDue();

    const booked = new Set(sim.bookings().map((b) => b.comment.split(' ')[0]));
    for (const doc of site.documents) {
      const paidInvoice = doc.invoice.kind === 'invoice' && doc.status === 'paid';
      const sentCredit = doc.invoice.kind === 'credit-note' && ['sent', 'paid', 'overdue'].includes(doc.status);
      expect(booked.has(doc.invoice.number), `${doc.id} ${doc.status}`).toBe(paidInvoice || sentCredit);
    }
    const before = sim.bookings().length;
    // The next night: nothing new, nothing twice.
    now.t += 24 * 60 * 60_000;
    await service.runDueSchedules();
    await engine.runDue();
    expect(sim.bookings()).toHaveLength(before);
  });
});
