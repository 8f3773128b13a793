import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bookInvoice, MemoryReferenceCache } from '../../lib/octopus/booking';
import { OctopusClient } from '../../lib/octopus/client';
import { OctopusError } from '../../lib/octopus/errors';
import { startOctopusSimulator, SIM_SEED, SIM_USERS, type OctopusSimulator } from '../sandbox/octopus-sim';
import { makeDossier, makeInvoice } from './octopus-fixtures';

/**
 * Found by the Chromium fault test: a booking that landed but whose answer was lost, followed by a failure while
 * checking, must leave the outcome unknown, or the next attempt posts it a second time.
 */
let sim: OctopusSimulator;
beforeAll(async () => {
  sim = await startOctopusSimulator({ port: 0 });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

const client = () => new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password });

describe('exactly once across a lost answer and a failed check', () => {
  it('a number taken by our own resent POST, then a failed journal read: outcome unknown, and the next attempt finds it', async () => {
    const cache = new MemoryReferenceCache();
    const c = client();
    const dossier = makeDossier();
    const invoice = makeInvoice({ number: 'F-EO-1' });
    await bookInvoice(c, dossier, makeInvoice({ number: 'WARM-1' }), { cache }); // reference data cached
    // The POST lands, but the client gets "number taken" (as when a browser resends a POST whose connection
    // dropped), and the journal read that follows fails.
    sim.injectFault({ kind: 'status', status: 400, phase: 'after', path: 'buysellbookings$', method: 'POST', body: { errorCode: -13, errorMessage: 'Illegal document sequence number' } });
    sim.injectFault({ kind: 'status', status: 503, path: 'journals$', method: 'GET' });
    const failure = await bookInvoice(c, dossier, invoice, { cache }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OctopusError);
    expect((failure as OctopusError).outcomeUnknown).toBe(true);
    expect(sim.bookings().filter((b) => b.comment.startsWith('F-EO-1 '))).toHaveLength(1);
    // Meanwhile another document is booked after it (as before the fix, when nothing blocked the dossier).
    await bookInvoice(c, dossier, makeInvoice({ number: 'OTHER-1' }), { cache });
    const again = await bookInvoice(c, dossier, invoice, { cache, outcomeUnknown: true });
    expect(again.alreadyBooked).toBe(true);
    expect(sim.bookings().filter((b) => b.comment.startsWith('F-EO-1 '))).toHaveLength(1);
  });

  it('a definitive refusal stays a refusal (nothing was booked)', async () => {
    const c = client();
    sim.setJournalOpen(SIM_SEED.dossiers[0]!.id, 'V1', true);
    const failure = await bookInvoice(c, makeDossier(), makeInvoice({ number: 'F-EO-2' })).catch((e: unknown) => e);
    expect((failure as OctopusError).outcomeUnknown).toBe(false);
    expect(sim.bookings()).toHaveLength(0);
  });
});
