import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bookInvoice, externalRelationIdOf } from '../../lib/octopus/booking';
import { OctopusClient } from '../../lib/octopus/client';
import { JOURNAL_OPEN_RETRY } from '../../lib/octopus/api';
import { OctopusError } from '../../lib/octopus/errors';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { TransferEngine, everyDossier } from '../../lib/transfer/engine';
import { createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import type { SiteAdapter } from '../../lib/sites/types';
import { startOctopusSimulator, SIM_DOSSIER_ID, SIM_SEED, SIM_USERS, type OctopusSimulator, type SimRelation } from '../sandbox/octopus-sim';
import { CUSTOMER, makeDossier, makeInvoice } from './octopus-fixtures';

/**
 * The Octopus webservice as the public evidence describes it, not as we would like it: a server that ignores the
 * relation filter, duplicate external ids, 403s that are not about an open journal, technicalInfo, the encoding of
 * the modifiedTimeStamp and the 404 of an empty /modified feed.
 */

let sim: OctopusSimulator;
const clock = { now: () => new Date('2026-03-20T09:00:00Z') };
/** Bodies of the PUT /relations the client sent, as JSON. */
let puts: Record<string, unknown>[] = [];

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  puts = [];
});

const recordingFetch = async (input: string, init?: RequestInit) => {
  if (init?.method === 'PUT' && /\/relations$/.test(input)) puts.push(JSON.parse(String(init.body)) as Record<string, unknown>);
  return fetch(input, init);
};

const client = (password = SIM_USERS.demo.password) =>
  new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password, clock, fetch: recordingFetch });

async function failure(p: Promise<unknown>): Promise<OctopusError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(OctopusError);
    return error as OctopusError;
  }
  throw new Error('expected a failure');
}

const relationKeyIds = (body: Record<string, unknown>) => (body.relationIdentificationServiceData as { relationKey?: { id: number } }).relationKey?.id;

describe('exact relations', () => {
  it('on a server that ignores the external-id filter, creates our relation and leaves the unrelated one alone', async () => {
    sim.setIgnoreFilters(true);
    const before = structuredClone(sim.relations(SIM_DOSSIER_ID));
    expect(before).toHaveLength(1); // "Bestaande Klant NV", external id 5001
    const ours = externalRelationIdOf(CUSTOMER);

    const result = await bookInvoice(client(), makeDossier(), makeInvoice({ number: 'F-1' }));

    // The lookup did reach the server and got the unrelated relation back…
    const lookups = sim.requests({ route: 'relations.get' });
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups[0]!.query).toContain(`extRelationId=${ours}`);
    expect(lookups[0]!.status).toBe(200);
    // …but it was neither used nor written to.
    expect(puts).toHaveLength(1);
    expect(relationKeyIds(puts[0]!)).toBeUndefined();
    expect(puts[0]).toMatchObject({ name: CUSTOMER.name, relationIdentificationServiceData: { externalRelationId: ours } });
    expect(sim.relations(SIM_DOSSIER_ID)[0]).toEqual(before[0]);
    const created = sim.relations(SIM_DOSSIER_ID).find((r) => r.relationIdentificationServiceData.externalRelationId === ours)!;
    expect(created.name).toBe(CUSTOMER.name);
    expect(result.relationId).toBe(created.relationIdentificationServiceData.relationKey.id);
    expect(result.relationId).not.toBe(1);
    const [booking] = sim.bookings({ source: 'webservice' });
    expect(booking!.relationId).toBe(created.relationIdentificationServiceData.relationKey.id);
  });

  it('several relations with our external id: none of them is used or updated, a new one is created', async () => {
    const duplicate = (id: number, name: string): SimRelation => ({
      relationIdentificationServiceData: { relationKey: { id }, externalRelationId: 812 },
      name,
      client: false,
      supplier: true,
      country: 'BE',
    });
    sim.reset((seed) => {
      (seed.dossiers[0]!.relations as SimRelation[]).push(duplicate(7, 'Dubbel Een BV'), duplicate(8, 'Dubbel Twee BV'));
    });
    const before = structuredClone(sim.relations(SIM_DOSSIER_ID));
    const inv = makeInvoice({ direction: 'purchase', number: 'SUP-9', party: { name: 'Leverancier BV', externalId: '812', vatId: 'BE0123456749' } });

    const result = await bookInvoice(client(), makeDossier(), inv);

    expect(puts).toHaveLength(1);
    expect(relationKeyIds(puts[0]!)).toBeUndefined();
    const after = sim.relations(SIM_DOSSIER_ID);
    for (const old of before) expect(after.find((r) => r.relationIdentificationServiceData.relationKey.id === old.relationIdentificationServiceData.relationKey.id)).toEqual(old);
    expect(after).toHaveLength(before.length + 1);
    expect([7, 8, 1]).not.toContain(result.relationId);
    expect(sim.bookings({ source: 'webservice' })[0]!.relationId).toBe(result.relationId);
  });

  it('on a server that honours the filter, an exact match is used without a PUT', async () => {
    const inv = makeInvoice({ party: { name: 'Bestaande Klant NV', externalId: '5001', vatId: 'BE0123456749', address: { countryCode: 'BE', street: 'Meir 10', postalCode: '2000', city: 'Antwerpen' }, contact: { email: 'factuur@bestaande-klant.example' } } });
    const result = await bookInvoice(client(), makeDossier(), inv);
    expect(result.relationId).toBe(1);
    expect(puts).toHaveLength(0);
  });
});

describe('403 and journal open', () => {
  const refuse403 = (body: unknown) => sim.injectFault({ kind: 'status', status: 403, body, path: 'buysellbookings$', method: 'POST' });

  it('a 403 on a write without "journal open" in its code or text is a permission error in Octopus’s words, not retried', async () => {
    refuse403({ errorMessage: 'Gebruiker heeft geen boekingsrechten', technicalInfo: 'BookingRightMissing' });
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice({ number: 'F-2' })));
    expect(error).toMatchObject({ kind: 'access', httpStatus: 403, messageKey: 'octopus_error_permission', params: ['Gebruiker heeft geen boekingsrechten'], retriable: false });
    expect(error.attemptCap).toBeUndefined();
    expect(error.detail).toBe('Gebruiker heeft geen boekingsrechten — BookingRightMissing');
  });

  it('a 403 whose text says the journal is in use is "journal open", retried a capped number of times', async () => {
    refuse403({ errorMessage: 'Journal V1 is in use by another user' });
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice({ number: 'F-3' })));
    expect(error).toMatchObject({ kind: 'journal-open', messageKey: 'octopus_error_journal_open', params: ['V1'], retriable: true, attemptCap: JOURNAL_OPEN_RETRY.attempts, retryAfterMs: JOURNAL_OPEN_RETRY.everyMs });
  });

  it('the code -12 alone says "journal open" too', async () => {
    sim.setJournalOpen(SIM_DOSSIER_ID, 'V1', true);
    const error = await failure(bookInvoice(client(), makeDossier(), makeInvoice({ number: 'F-4' })));
    expect(error).toMatchObject({ kind: 'journal-open', errorCode: -12, attemptCap: JOURNAL_OPEN_RETRY.attempts });
    // The simulator's technicalInfo is shown beside its errorMessage.
    expect(error.detail).toBe('Journal V1 is open in Octopus by another user — ERR_JOURNAL_OPEN');
  });

  it('the engine tries a journal-open booking a few times over hours, then it needs attention; the log keeps technicalInfo, redacted', async () => {
    let now = Date.parse('2026-03-20T09:00:00Z');
    const engineClock = { now: () => new Date(now) };
    const db = new LedgerDb(`as-it-is-${Math.random()}`);
    await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_USERS.demo.user });
    await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_USERS.demo.password });
    await db.dossiers.put(makeDossier({ id: 'd1', connectionId: 'c1', enterpriseNumber: '0477472701' }));
    // Octopus echoing the password in technicalInfo must not put it in the transfer log.
    sim.injectFault({
      kind: 'status',
      status: 403,
      count: null,
      path: 'buysellbookings$',
      method: 'POST',
      body: { errorCode: -12, errorMessage: 'Journal V1 is open', technicalInfo: `locked by session of ${SIM_USERS.demo.user}/${SIM_USERS.demo.password}` },
    });
    const adapter = {
      id: 'fake',
      async fetchDocument(_origin: string, documentId: string) {
        return { invoice: makeInvoice({ number: documentId, party: { ...CUSTOMER }, issueDate: '2026-03-10' }) };
      },
    } as unknown as SiteAdapter;
    const engine = new TransferEngine({
      ledger: new Ledger(db, engineClock),
      dossiersForSite: () => everyDossier(db),
      adapters: [adapter],
      transports: { webservice: createWebserviceTransport(db, fetch, engineClock) },
      fetch: (() => {
        throw new Error('no network');
      }) as unknown as typeof fetch,
      clock: engineClock,
      random: () => 0.5,
    });
    await engine.send([{ site: 'shop.test', origin: 'https://shop.test', adapter: 'fake', documentId: 'F-5', transport: 'webservice', dossierId: 'd1' }]);
    const posts = () => sim.countRequests({ route: 'buysellbookings.post' });
    for (let i = 0; i < 10 && posts() < JOURNAL_OPEN_RETRY.attempts + 2; i++) {
      now += JOURNAL_OPEN_RETRY.everyMs + 60_000;
      await engine.runDue();
    }
    const [transfer] = await db.transfers.toArray();
    expect(posts()).toBe(JOURNAL_OPEN_RETRY.attempts);
    expect(transfer!.state).toBe('needs-attention');
    expect(transfer!.lastError?.text.key).toBe('octopus_error_journal_open');
    expect(transfer!.lastError?.detail).toContain('Journal V1 is open — locked by session of');
    expect(JSON.stringify(transfer)).not.toContain(SIM_USERS.demo.password);
    db.close();
  });
});

describe('query strings and the empty feed', () => {
  it('sends the modifiedTimeStamp’s space as %20, not +', async () => {
    await client().modifiedBookings(SIM_DOSSIER_ID, { since: new Date('2026-03-01T08:30:00Z') });
    const [seen] = sim.requests({ route: 'buysellbookings.modified' });
    expect(seen!.query).toContain('modifiedTimeStamp=2026-03-01%2008%3A30%3A00.000');
    expect(seen!.query).not.toContain('+');
  });

  it('reads the 404 "No modified bookings found" as an empty feed, but not a bare 404', async () => {
    expect(await client().modifiedBookings(SIM_DOSSIER_ID, { since: new Date('2027-01-01T00:00:00Z') })).toEqual([]);
    const [seen] = sim.requests({ route: 'buysellbookings.modified' });
    expect(seen).toMatchObject({ status: 404 });
    sim.injectFault({ kind: 'status', status: 404, body: '<html>Not Found</html>', path: 'modified$' });
    const error = await failure(client().modifiedBookings(SIM_DOSSIER_ID, { since: new Date('2027-01-01T00:00:00Z') }));
    expect(error).toMatchObject({ httpStatus: 404, messageKey: 'octopus_error_unexpected_response' });
  });
});
