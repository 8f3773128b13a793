import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { ledgerAsOfVersion } from '../support/old-ledger';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { IndexedDbReferenceCache } from '../../lib/octopus/reference-cache';
import { createWebserviceTransport, describeOctopusFailure, formatReference } from '../../lib/transfer/webservice-transport';
import { TransferError } from '../../lib/transfer/transport';
import { invoice as invoiceSchema } from '../../lib/model/invoice';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';
import { startOctopusSimulator, SIM_SEED, type OctopusSimulator } from '../sandbox/octopus-sim';

let sim: OctopusSimulator;
let db: LedgerDb;
let dbName: string;
const clock = { now: () => new Date() };

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(async () => sim.close());

beforeEach(async () => {
  sim.reset();
  dbName = `transport-${Math.random()}`;
  db = new LedgerDb(dbName);
  await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_SEED.users[0]!.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_SEED.users[0]!.password });
});
afterEach(async () => {
  db.close();
  await Dexie.delete(dbName);
});

const dossier: Dossier = {
  id: 'd1',
  name: 'Demo BV',
  octopusDossierId: SIM_SEED.dossiers[0]!.id,
  connectionId: 'c1',
  enterpriseNumber: '0477472701',
  transport: 'webservice',
  journals: { sales: 'V1', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: {},
};

function invoice(number: string) {
  return invoiceSchema.parse({
    kind: 'invoice',
    direction: 'sales',
    number,
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    currency: 'EUR',
    seller: { name: 'Demo BV', enterpriseNumber: '0477472701', vatNumber: 'BE0477472701', address: { countryCode: 'BE' } },
    buyer: { name: 'Klant NV', id: 'CUST-9', vatNumber: 'BE0123456749', address: { street: 'Meir 10', city: 'Antwerpen', postalCode: '2000', countryCode: 'BE' } },
    lines: [{ id: '1', description: 'Work', quantity: '1', unitPrice: '100.00', netAmount: '100.00', vat: { category: 'S', rate: '21' } }],
    vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: '100.00', taxAmount: '21.00' }],
    totals: { lineExtension: '100.00', taxExclusive: '100.00', taxTotal: '21.00', taxInclusive: '121.00', payable: '121.00' },
    attachments: [{ id: `${number}.pdf`, mimeType: 'application/pdf', filename: `${number}.pdf`, contentBase64: Buffer.from('%PDF-1.4 test').toString('base64') }],
  });
}

const transfer = { id: 't' } as Transfer;

describe('webservice transport', () => {
  it('books through the connection kept in IndexedDB and names the Octopus reference', async () => {
    const transport = createWebserviceTransport(db, fetch, clock);
    const delivery = await transport.deliver({ transfer, dossier, document: { invoice: invoice('2026-0100') }, outcomeUnknown: false, force: false });
    expect(delivery.reference).toMatchObject({ journal: 'V1', documentSequenceNr: 42 });
    expect(delivery.text).toEqual({ key: 'log_booked', params: [formatReference(delivery.reference!)] });
    const [booking] = sim.bookings({ source: 'webservice' });
    expect(booking!.documentSequenceNr).toBe(42);
    expect(booking!.attachments.map((a) => a.fileName)).toContain('2026-0100.pdf');
  });

  it('keeps reference data in IndexedDB so a later booking, even by a new worker, costs about one call', async () => {
    await createWebserviceTransport(db, fetch, clock).deliver({ transfer, dossier, document: { invoice: invoice('2026-0101') }, outcomeUnknown: false, force: false });
    const cache = new IndexedDbReferenceCache(db, clock);
    expect(await cache.countPrefix('octopus|')).toBeGreaterThan(3);
    // A new transport = a restarted worker: tokens are gone, the reference data is not.
    sim.clearRequests();
    await createWebserviceTransport(db, fetch, clock).deliver({ transfer, dossier, document: { invoice: invoice('2026-0102') }, outcomeUnknown: false, force: false });
    const afterRestart = sim.countRequests();
    sim.clearRequests();
    const transport = createWebserviceTransport(db, fetch, clock);
    await transport.deliver({ transfer, dossier, document: { invoice: invoice('2026-0103') }, outcomeUnknown: false, force: false });
    sim.clearRequests();
    await transport.deliver({ transfer, dossier, document: { invoice: invoice('2026-0104') }, outcomeUnknown: false, force: false });
    const steady = sim.countRequests();
    expect(afterRestart).toBe(3); // authentication, dossier token, the booking
    expect(steady).toBe(1);
    // Refresh forgets the dossier's reference data; relations stay.
    await transport.refresh(dossier);
    const left = await cache.countPrefix(`octopus|${sim.url}|${dossier.octopusDossierId}|`);
    expect(left).toBe(1);
  });

  it('turns Octopus refusals into transfer errors the engine understands, in the three languages', async () => {
    sim.setJournalOpen(dossier.octopusDossierId, 'V1', true);
    const transport = createWebserviceTransport(db, fetch, clock);
    const error = await transport
      .deliver({ transfer, dossier, document: { invoice: invoice('2026-0105') }, outcomeUnknown: false, force: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransferError);
    const failure = error as TransferError;
    expect(failure.text.key).toBe('octopus_error_journal_open');
    expect(failure.options.retriable).toBe(true);
    expect(sim.bookings({ source: 'webservice' })).toHaveLength(0);
  });

  it('says so when the connection of a dossier was removed, without retrying', async () => {
    await db.secrets.delete('c1');
    const error = (await createWebserviceTransport(db, fetch, clock)
      .deliver({ transfer, dossier, document: { invoice: invoice('2026-0106') }, outcomeUnknown: false, force: false })
      .catch((e: unknown) => e)) as TransferError;
    expect(error.text).toEqual({ key: 'error_connection_missing', params: ['Demo BV'] });
    expect(error.options.retriable).toBe(false);
  });

  it('describes a wrong login in English for logs, without the password', async () => {
    await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: 'not-the-password' });
    const error = await createWebserviceTransport(db, fetch, clock)
      .deliver({ transfer, dossier, document: { invoice: invoice('2026-0107') }, outcomeUnknown: false, force: false })
      .catch((e: unknown) => e);
    expect((error as TransferError).text.key).toBe('octopus_error_login');
    expect((error as TransferError).options.retriable).toBe(false);
    const { OctopusError } = await import('../../lib/octopus/errors');
    const described = describeOctopusFailure(new OctopusError({ kind: 'login', message: 'bad credentials', retriable: false, messageKey: 'octopus_error_login' }));
    expect(described).toMatch(/^Octopus refused the login/);
    expect(JSON.stringify(error)).not.toContain('not-the-password');
  });
});

describe('ledger schema upgrade', () => {
  it('opens a version-1 database at the current version and keeps its transfers', async () => {
    const name = `upgrade-${Math.random()}`;
    const v1 = ledgerAsOfVersion(name, 1);
    await v1.table('transfers').put({ id: 'old', documentKey: 'x/1', state: 'sent', updatedAt: '2026-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z' });
    v1.close();
    const v2 = new LedgerDb(name);
    await v2.open();
    expect(v2.verno).toBeGreaterThanOrEqual(2); // and every later version's upgrade ran on old data
    expect(await v2.transfers.get('old')).toMatchObject({ state: 'sent' });
    await v2.reference.put({ key: 'k', value: 1, expiresAt: 0 });
    expect(await new IndexedDbReferenceCache(v2, clock).get('k')).toBeUndefined(); // expired rows are not served
    v2.close();
    await Dexie.delete(name);
  });
});
