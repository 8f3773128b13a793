import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OctopusClient, type OctopusClientOptions } from '../../lib/octopus/client';
import { OctopusError } from '../../lib/octopus/errors';
import { bookInvoice, MemoryReferenceCache } from '../../lib/octopus/booking';
import {
  startOctopusSimulator,
  SIM_BOOKYEAR_2026,
  SIM_DOSSIER_ID,
  SIM_OTHER_DOSSIER_ID,
  SIM_SEED,
  SIM_USERS,
  type OctopusSimulator,
} from '../sandbox/octopus-sim';
import { makeDossier, makeInvoice } from './octopus-fixtures';

let sim: OctopusSimulator;
let nowMs = Date.parse('2026-03-20T09:00:00Z');
const clock = { now: () => new Date(nowMs) };

beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0, now: clock.now });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  nowMs = Date.parse('2026-03-20T09:00:00Z');
  sim.reset();
});
afterEach(() => sim.clearFaults());

function client(overrides: Partial<OctopusClientOptions> = {}): OctopusClient {
  return new OctopusClient({
    baseUrl: sim.url,
    softwareHouseUuid: SIM_SEED.softwareHouseUuid,
    user: SIM_USERS.demo.user,
    password: SIM_USERS.demo.password,
    clock,
    timeoutMs: 5_000,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<OctopusError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OctopusError);
    return error as OctopusError;
  }
  throw new Error('expected an OctopusError');
}

const V1 = (seq: number) => ({ bookyearId: SIM_BOOKYEAR_2026, journalKey: 'V1', documentSequenceNr: seq });

describe('authentication and dossier access', () => {
  it('logs in and lists the dossiers', async () => {
    const c = client();
    const dossiers = await c.dossiers();
    expect(dossiers.map((d) => d.dossierKey.id)).toEqual([SIM_DOSSIER_ID, SIM_OTHER_DOSSIER_ID]);
    expect(dossiers[0]!.dossierDescription).toBe('Demo BV');
    expect(sim.countRequests({ route: 'authentication.post' })).toBe(1);
  });

  it('refuses a wrong password without leaking it', async () => {
    const secret = 'wrong-password-xyz';
    const error = await failure(client({ password: secret }).dossiers());
    expect(error).toMatchObject({ kind: 'login', httpStatus: 401, errorCode: -1, errorName: 'ERR_CODE_INVALID_LOGIN', retriable: false, messageKey: 'octopus_error_login' });
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it('refuses an unknown software house', async () => {
    const error = await failure(client({ softwareHouseUuid: '00000000-0000-0000-0000-000000000000' }).dossiers());
    expect(error).toMatchObject({ kind: 'login', errorCode: -68, messageKey: 'octopus_error_software_house', retriable: false });
  });

  it('tells a user without webservice access apart from a wrong password', async () => {
    const error = await failure(client({ user: SIM_USERS.noWebservice.user, password: SIM_USERS.noWebservice.password }).dossiers());
    expect(error).toMatchObject({ kind: 'access', httpStatus: 403, messageKey: 'octopus_error_webservice_disabled', retriable: false });
  });

  it('limits a sub-user to its dossiers', async () => {
    const c = client({ user: SIM_USERS.maxime.user, password: SIM_USERS.maxime.password });
    expect((await c.dossiers()).map((d) => d.dossierKey.id)).toEqual([SIM_DOSSIER_ID]);
    expect((await c.bookyears(SIM_DOSSIER_ID)).length).toBe(2);
    const error = await failure(c.bookyears(SIM_OTHER_DOSSIER_ID));
    expect(error).toMatchObject({ kind: 'access', errorCode: -3, messageKey: 'octopus_error_no_dossier_access', params: ['1002'], retriable: false });
  });

  it('caches the tokens and renews them after 9 minutes, before Octopus refuses them', async () => {
    const c = client();
    await c.bookyears(SIM_DOSSIER_ID);
    await c.vatCodes(SIM_DOSSIER_ID);
    expect(sim.countRequests({ route: 'authentication.post' })).toBe(1);
    expect(sim.countRequests({ route: 'dossiers.connect' })).toBe(1);
    nowMs += 9 * 60_000 + 1_000;
    await c.journals(SIM_DOSSIER_ID, SIM_BOOKYEAR_2026);
    expect(sim.countRequests({ route: 'authentication.post' })).toBe(2);
    expect(sim.countRequests({ route: 'dossiers.connect' })).toBe(2);
    expect(sim.requests().filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('logs in again once when Octopus drops the tokens in the middle of a batch', async () => {
    const c = client();
    const cache = new MemoryReferenceCache(clock);
    const d = makeDossier();
    const results = [];
    for (let i = 0; i < 4; i++) {
      if (i === 2) sim.expireTokens(); // Octopus forgets the session; the client still trusts its tokens
      results.push(await bookInvoice(c, d, makeInvoice(), { cache }));
    }
    expect(results.map((r) => r.documentSequenceNr)).toEqual([42, 43, 44, 45]);
    expect(sim.requests().filter((r) => r.status === 401)).toHaveLength(1);
    expect(sim.countRequests({ route: 'authentication.post' })).toBe(2);
    expect(sim.bookings({ dossierId: SIM_DOSSIER_ID })).toHaveLength(4);
  });

  it('handles a short token lifetime on the Octopus side', async () => {
    const short = await startOctopusSimulator({ port: 0, tokenTtlMs: 1_000, now: clock.now });
    try {
      const c = new OctopusClient({ baseUrl: short.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password, clock });
      await c.bookyears(SIM_DOSSIER_ID);
      nowMs += 2_000;
      await c.bookyears(SIM_DOSSIER_ID);
      expect(short.requests().map((r) => `${r.route}:${r.status}`)).toEqual([
        'authentication.post:200',
        'dossiers.connect:200',
        'bookyears.get:200',
        'bookyears.get:401', // the client drops both tokens at once: no connect with the stale auth token
        'authentication.post:200',
        'dossiers.connect:200',
        'bookyears.get:200',
      ]);
    } finally {
      await short.close();
    }
  });

  it('gives up after one refresh when Octopus keeps answering 401', async () => {
    const c = client();
    sim.injectFault({ kind: 'status', status: 401, body: { errorCode: -2, errorMessage: 'Not authenticated', technicalInfo: '' }, path: '/bookyears$', count: null });
    const error = await failure(c.bookyears(SIM_DOSSIER_ID));
    expect(error).toMatchObject({ kind: 'login', httpStatus: 401, messageKey: 'octopus_error_not_authenticated', retriable: false });
    expect(sim.countRequests({ route: 'bookyears.get' })).toBe(2);
  });
});

describe('reference data and read-back', () => {
  it('reads bookyears with monthly periods, journals, accounts and VAT codes', async () => {
    const c = client();
    const [y2025, y2026] = await c.bookyears(SIM_DOSSIER_ID);
    expect(y2026!.periods).toHaveLength(12);
    expect(y2026!.periods[2]).toEqual({ bookyearPeriod: 202603, startDate: '2026-03-01', endDate: '2026-03-31' });
    expect(y2025!.bookyearDescription).toBe('2025');
    const journals = await c.journals(SIM_DOSSIER_ID, SIM_BOOKYEAR_2026);
    expect(journals.map((j) => j.journalKey)).toEqual(['V1', 'V2', 'A1', 'F1']);
    expect(journals[0]!.lastBookedDocumentNr).toBe(41);
    const accounts = await c.accounts(SIM_DOSSIER_ID, SIM_BOOKYEAR_2026);
    expect(accounts.map((a) => a.accountKey.id)).toContain(700000);
    const codes = await c.vatCodes(SIM_DOSSIER_ID);
    expect(codes.find((v) => v.code === 'D21')?.basePercentage).toBe(21);
  });

  it('finds nothing as undefined / [] (Octopus answers 404) and reads a booking back', async () => {
    const c = client();
    expect(await c.findRelationByExternalId(SIM_DOSSIER_ID, 999)).toBeUndefined();
    expect(await c.getBuySellBooking(SIM_DOSSIER_ID, V1(42))).toBeUndefined();
    expect(await c.modifiedBookings(SIM_DOSSIER_ID, { since: new Date(nowMs - 60_000) })).toEqual([]);
    const result = await bookInvoice(c, makeDossier(), makeInvoice({ number: 'INV-READ-1' }));
    const read = await c.getBuySellBooking(SIM_DOSSIER_ID, V1(result.documentSequenceNr));
    expect(read).toMatchObject({ documentSequenceNr: 42, journalKey: 'V1', amount: 121, comment: 'INV-READ-1 Klant Zonder Nummer BV' });
    const modified = await c.modifiedBookings(SIM_DOSSIER_ID, { since: new Date(nowMs - 60_000) });
    expect(modified.map((b) => b.documentSequenceNr)).toEqual([42]);
  });
});

describe('booking through the simulator', () => {
  it('books a sales invoice with its PDF', async () => {
    const c = client();
    const result = await bookInvoice(c, makeDossier(), makeInvoice({ number: 'INV-1', paymentId: '+++090/9337/55493+++' }));
    expect(result).toMatchObject({ journal: 'V1', bookyear: SIM_BOOKYEAR_2026, bookyearLabel: '2026', documentSequenceNr: 42, alreadyBooked: false });
    const [booking] = sim.bookings();
    expect(booking).toMatchObject({ dossierId: SIM_DOSSIER_ID, journalKey: 'V1', documentSequenceNr: 42, bookyearPeriodeNr: 202603, amount: 121, reference: '+++090/9337/55493+++' });
    expect(booking!.attachments).toEqual([expect.objectContaining({ fileName: 'invoice.pdf', size: 15 })]);
    expect(sim.journal(SIM_DOSSIER_ID, SIM_BOOKYEAR_2026, 'V1')!.lastBookedDocumentNr).toBe(42);
  });

  it('reports ERR_JOURNAL_OPEN as retriable and books once the journal is closed', async () => {
    const c = client();
    const d = makeDossier();
    const inv = makeInvoice();
    sim.setJournalOpen(SIM_DOSSIER_ID, 'V1', true);
    const error = await failure(bookInvoice(c, d, inv));
    expect(error).toMatchObject({ kind: 'journal-open', httpStatus: 403, errorCode: -12, errorName: 'ERR_JOURNAL_OPEN', retriable: true, messageKey: 'octopus_error_journal_open', params: ['V1'] });
    expect(error.message).toMatch(/open/); // Octopus's own text
    expect(sim.bookings()).toHaveLength(0);
    sim.setJournalOpen(SIM_DOSSIER_ID, 'V1', false);
    expect((await bookInvoice(c, d, inv)).documentSequenceNr).toBe(42);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('retries once with the next number when someone booked behind our back', async () => {
    const c = client();
    const cache = new MemoryReferenceCache(clock);
    const d = makeDossier();
    expect((await bookInvoice(c, d, makeInvoice(), { cache })).documentSequenceNr).toBe(42);
    sim.insertBooking({ dossierId: SIM_DOSSIER_ID, journalKey: 'V1', documentDate: '2026-03-18' }); // takes 43
    sim.clearRequests();
    const result = await bookInvoice(c, d, makeInvoice(), { cache });
    expect(result.documentSequenceNr).toBe(44);
    expect(sim.requests().map((r) => `${r.route}:${r.status}`)).toEqual([
      'buysellbookings.post:400', // -13, from the cached last number
      'journals.get:200',
      'buysellbookings.modified:200', // is 43 ours? no (the accountant's): one feed read, no single-booking reads
      'buysellbookings.post:201',
    ]);
  });

  it('books a credit note with a negative total and positive lines', async () => {
    const c = client();
    const d = makeDossier({ journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' } });
    const result = await bookInvoice(c, d, makeInvoice({ kind: 'credit-note', lines: [{ net: '50.00' }, { net: '20.00', rate: '6' }] }));
    expect(result).toMatchObject({ journal: 'V2', documentSequenceNr: 3 });
    const [booking] = sim.bookings();
    expect(booking!.amount).toBe(-81.7);
    const lines = booking!.data.bookingLines as { baseAmount: number; vatAmount: number; vatCodeKey: string }[];
    expect(lines.map((l) => [l.vatCodeKey, l.baseAmount, l.vatAmount])).toEqual([
      ['21', 50, 10.5],
      ['06', 20, 1.2],
    ]);
  });

  it('creates a new relation once and reuses it without a second PUT', async () => {
    // Each booking here goes without a cache, so reads VAT codes and accounts again: more than a real day allows.
    sim.setQuota('vatcodes.get', null);
    sim.setQuota('accounts.get', null);
    const c = client();
    const d = makeDossier();
    const first = await bookInvoice(c, d, makeInvoice());
    expect(sim.countRequests({ route: 'relations.put' })).toBe(1);
    expect(sim.requests({ route: 'relations.put' })[0]!.status).toBe(201);
    const relation = sim.relations(SIM_DOSSIER_ID).find((r) => r.name === 'Klant Zonder Nummer BV');
    expect(relation?.relationIdentificationServiceData).toEqual({ relationKey: { id: first.relationId }, externalRelationId: first.externalRelationId });
    expect(relation).toMatchObject({ client: true, vatNr: 'BE0403170701', country: 'BE' });
    // Without any cache: found by external id, unchanged, so no PUT.
    const second = await bookInvoice(c, d, makeInvoice());
    expect(second.relationId).toBe(first.relationId);
    expect(sim.countRequests({ route: 'relations.put' })).toBe(1);
    // Changed address: updated in place (204), same relation.
    const third = await bookInvoice(c, d, makeInvoice({ party: { address: { countryCode: 'BE', city: 'Leuven', postalCode: '3000' } } }));
    expect(third.relationId).toBe(first.relationId);
    expect(sim.requests({ route: 'relations.put' }).map((r) => r.status)).toEqual([201, 204]);
    expect(sim.relations(SIM_DOSSIER_ID).filter((r) => r.name === 'Klant Zonder Nummer BV')).toHaveLength(1);
  });

  it('costs one request per booking in steady state', async () => {
    const c = client();
    const cache = new MemoryReferenceCache(clock);
    const d = makeDossier();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await bookInvoice(c, d, makeInvoice(), { cache }));
    expect(results.map((r) => r.documentSequenceNr)).toEqual([42, 43, 44, 45, 46]);
    expect(results[0]!.calls).toBeGreaterThan(5); // cold: tokens, bookyears, journals, vatcodes, accounts, relation
    for (const r of results.slice(1)) expect(r.calls).toBeLessThanOrEqual(2);
    expect(results.slice(1).map((r) => r.calls)).toEqual([1, 1, 1, 1]);
  });

  it('reports an exhausted daily quota', async () => {
    const c = client();
    const d = makeDossier();
    await bookInvoice(c, d, makeInvoice());
    sim.setQuota('buysellbookings.post', 1);
    const error = await failure(bookInvoice(c, d, makeInvoice()));
    expect(error).toMatchObject({ kind: 'quota', httpStatus: 429, retriable: true, messageKey: 'octopus_error_quota' });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('flags 5xx and dropped connections as retriable', async () => {
    const c = client();
    sim.injectFault({ kind: 'status', status: 503, path: '/bookyears$' });
    const e503 = await failure(c.bookyears(SIM_DOSSIER_ID));
    expect(e503).toMatchObject({ kind: 'server', httpStatus: 503, retriable: true, outcomeUnknown: false, messageKey: 'octopus_error_server', params: ['503'] });
    sim.injectFault({ kind: 'drop', path: '/vatcodes$' });
    const dropped = await failure(c.vatCodes(SIM_DOSSIER_ID));
    expect(dropped).toMatchObject({ kind: 'network', httpStatus: 0, retriable: true, messageKey: 'octopus_error_network' });
    expect((await c.vatCodes(SIM_DOSSIER_ID)).length).toBeGreaterThan(0);
  });

  it('posts again after a 5xx on the POST when the booking did not land', async () => {
    const c = client();
    sim.injectFault({ kind: 'status', status: 502, method: 'POST', path: '/buysellbookings$' });
    const result = await bookInvoice(c, makeDossier(), makeInvoice());
    expect(result.documentSequenceNr).toBe(42);
    expect(sim.requests({ route: 'buysellbookings.post' }).map((r) => r.status)).toEqual([502, 201]);
    // Settled with one read of the modified feed (48 a day), not single-booking reads (10 a day).
    expect(sim.countRequests({ route: 'buysellbookings.modified' })).toBe(1);
    expect(sim.countRequests({ route: 'buysellbookings.get' })).toBe(0);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('does not book twice when the answer is lost after the booking landed', async () => {
    const c = client();
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/buysellbookings$', phase: 'after' });
    const result = await bookInvoice(c, makeDossier(), makeInvoice());
    expect(result).toMatchObject({ documentSequenceNr: 42, alreadyBooked: false });
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(1);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('times out below 30 s and then finds the booking that landed', async () => {
    const c = client({ timeoutMs: 300 });
    sim.injectFault({ kind: 'delay', delayMs: 1_500, method: 'POST', path: '/buysellbookings$', phase: 'after' });
    const result = await bookInvoice(c, makeDossier(), makeInvoice());
    expect(result.documentSequenceNr).toBe(42);
    expect(sim.bookings()).toHaveLength(1);
  });

  it('leaves the outcome unknown when even the read-back fails, and the next attempt finds the booking', async () => {
    const c = client();
    const cache = new MemoryReferenceCache(clock);
    const d = makeDossier();
    const inv = makeInvoice();
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/buysellbookings$', phase: 'after' });
    sim.injectFault({ kind: 'drop', method: 'GET', path: '/buysellbookings/modified$' });
    const error = await failure(bookInvoice(c, d, inv, { cache }));
    expect(error).toMatchObject({ kind: 'network', retriable: true, outcomeUnknown: true });
    expect(sim.bookings()).toHaveLength(1); // it did land
    const again = await bookInvoice(c, d, inv, { cache, outcomeUnknown: true });
    expect(again).toMatchObject({ documentSequenceNr: 42, alreadyBooked: true });
    expect(sim.bookings()).toHaveLength(1);
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(1);
  });

  it('never puts the password or a token in an error', async () => {
    const c = client();
    await c.bookyears(SIM_DOSSIER_ID);
    const tokens = [...sim.state.authTokens.keys(), ...sim.state.dossierTokens.keys()];
    sim.setJournalOpen(SIM_DOSSIER_ID, 'V1', true);
    sim.injectFault({ kind: 'status', status: 500, body: { errorCode: -79, errorMessage: `bad token ${tokens[1]}`, technicalInfo: `pw ${SIM_USERS.demo.password}` }, path: '/vatcodes$' });
    const error = await failure(c.vatCodes(SIM_DOSSIER_ID));
    const text = JSON.stringify(error) + String(error.stack);
    for (const secret of [SIM_USERS.demo.password, ...tokens]) expect(text).not.toContain(secret);
  });
});

describe('no server at all', () => {
  it('reports a refused connection as a retriable network error', async () => {
    const c = new OctopusClient({ baseUrl: 'http://127.0.0.1:9/octopus-rest-api/v1', softwareHouseUuid: 'x', user: 'u', password: 'secret-pw', timeoutMs: 2_000 });
    const error = await failure(c.dossiers());
    expect(error).toMatchObject({ kind: 'network', retriable: true, outcomeUnknown: false, messageKey: 'octopus_error_network', httpStatus: 0 });
    expect(JSON.stringify(error)).not.toContain('secret-pw');
  });
});
