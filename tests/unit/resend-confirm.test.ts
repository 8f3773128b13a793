import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { contentRequest, contentResponse } from '../../lib/messaging/protocol';
import { handleResendPageMessage, RESEND_TTL_MS, ResendConfirmations, type ResendStore } from '../../lib/extension/resend';
import type { Clock } from '../../lib/platform/clock';

/**
 * Sending again what Octopus already has, as the worker handles it: a page may only ask to open a confirmation for one
 * document of its own site that was sent; only the extension's own page confirms, with a token used once. The ledger
 * is the real one (fake-indexeddb); the store is a Map, as storage.session is for the worker.
 */

let dbCount = 0;
class TestClock implements Clock {
  constructor(public ms: number) {}
  now() {
    return new Date(this.ms);
  }
}

async function setup() {
  const clock = new TestClock(Date.parse('2026-03-02T10:00:00Z'));
  const ledger = new Ledger(new LedgerDb(`resend-test-${++dbCount}`), clock);
  const base = { origin: 'http://shop.test', adapter: 'factuurdemo', transport: 'webservice' as const };
  const [booked] = await ledger.enqueue([{ ...base, site: 'shop.test', documentId: 'INV-1', documentNumber: '2026-0001' }]);
  await ledger.markSent(booked!.transfer.id, { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 }, { key: 'log_booked', params: ['V1/2026/42'] });
  await ledger.enqueue([{ ...base, site: 'shop.test', documentId: 'INV-2' }]);
  const [other] = await ledger.enqueue([{ ...base, origin: 'http://other.test', site: 'other.test', documentId: 'INV-9' }]);
  await ledger.markSent(other!.transfer.id, { journal: 'V1', bookyear: 2026, documentSequenceNr: 43 }, { key: 'log_booked', params: ['V1/2026/43'] });
  const map = new Map<string, unknown>();
  const store: ResendStore = {
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    remove: async (k) => void map.delete(k),
  };
  const sends: string[] = [];
  const confirmations = new ResendConfirmations({
    transferOf: async (site, id) => (await ledger.byDocumentIds(site, [id]))[0],
    send: async (request) => {
      sends.push(`${request.site}/${request.documentId}${request.force ? ' (again)' : ''}`);
      const [result] = await ledger.enqueue([request]);
      return { outcome: result!.outcome };
    },
    store,
    now: () => clock.ms,
  });
  const state = async (site: string, id: string) => (await ledger.byDocumentIds(site, [id]))[0]!.state;
  return { ledger, clock, confirmations, sends, map, state };
}

describe('content-script messages cannot send again', () => {
  it('refuses `force` (and any other extra field) in documents.send', () => {
    const documents = [{ id: 'INV-1' }];
    expect(contentRequest.safeParse({ type: 'documents.send', documents }).success).toBe(true);
    expect(contentRequest.safeParse({ type: 'documents.send', documents, force: true }).success).toBe(false);
    expect(contentRequest.safeParse({ type: 'documents.send', documents, force: false }).success).toBe(false);
    expect(contentRequest.safeParse({ type: 'documents.send', documents, includeAlreadyTransferred: true }).success).toBe(false);
  });

  it('takes document.resend for one document only, and nothing else with it', () => {
    expect(contentRequest.safeParse({ type: 'document.resend', documentId: 'INV-1', adapter: 'factuurdemo' }).success).toBe(true);
    expect(contentRequest.safeParse({ type: 'document.resend', documentIds: ['INV-1', 'INV-2'] }).success).toBe(false);
    expect(contentRequest.safeParse({ type: 'document.resend', documentId: 'INV-1', confirmed: true }).success).toBe(false);
    expect(contentRequest.safeParse({ type: 'document.resend', documentId: '../admin' }).success).toBe(false);
  });
});

describe('the resend confirmation in the worker', () => {
  it('opens a confirmation for a sent document of the sender’s site only', async () => {
    const { confirmations, sends, map } = await setup();
    // Another site's document (the page names it, the worker takes the site from the sender).
    expect(await confirmations.request('shop.test', 'INV-9')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Not sent yet: the ordinary send is the way, not a resend.
    expect(await confirmations.request('shop.test', 'INV-2')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await confirmations.request('shop.test', 'INV-404')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(map.size).toBe(0);
    const answer = await confirmations.request('shop.test', 'INV-1');
    expect(contentResponse['document.resend'].parse(answer)).toMatchObject({ ok: true });
    expect(sends).toEqual([]); // asking books nothing
  });

  it('confirms only from the extension’s own page, once, and then queues the second booking', async () => {
    const { confirmations, sends, state } = await setup();
    const answer = await confirmations.request('shop.test', 'INV-1');
    const token = (answer as { token: string }).token;
    // A content script (compromised renderer) sends the confirm itself: refused, the token stays for the user.
    expect(await handleResendPageMessage({ type: 'resend.confirm', token }, false, confirmations)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handleResendPageMessage({ type: 'resend.details', token }, false, confirmations)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(sends).toEqual([]);
    expect(await state('shop.test', 'INV-1')).toBe('sent');

    // The confirmation page reads what it shows: the number, the booking, the site; no dossier, no credentials.
    const details = await handleResendPageMessage({ type: 'resend.details', token }, true, confirmations);
    expect(details).toEqual({ ok: true, details: { documentNumber: '2026-0001', site: 'shop.test', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 }, sentAt: expect.any(String) } });

    const queued: string[] = [];
    expect(await handleResendPageMessage({ type: 'resend.confirm', token }, true, confirmations, (id) => queued.push(id))).toMatchObject({ ok: true, documentId: 'INV-1', outcome: 'queued' });
    expect(sends).toEqual(['shop.test/INV-1 (again)']);
    expect(queued).toEqual(['INV-1']);
    expect(await state('shop.test', 'INV-1')).toBe('queued');
    // Used once: the same token again does nothing.
    expect(await handleResendPageMessage({ type: 'resend.confirm', token }, true, confirmations)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(sends).toHaveLength(1);
  });

  it('does nothing for a forged, malformed, expired or cancelled token', async () => {
    const { confirmations, sends, clock } = await setup();
    expect(await handleResendPageMessage({ type: 'resend.confirm', token: '0123456789abcdef0123456789abcdef' }, true, confirmations)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await handleResendPageMessage({ type: 'resend.confirm', token: 'x'.repeat(32) }, true, confirmations)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handleResendPageMessage({ type: 'resend.confirm', token: 'abc', documentId: 'INV-1' }, true, confirmations)).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const expiring = ((await confirmations.request('shop.test', 'INV-1')) as { token: string }).token;
    clock.ms += RESEND_TTL_MS + 1;
    expect(await confirmations.confirm(expiring)).toMatchObject({ ok: false });

    const cancelled = ((await confirmations.request('shop.test', 'INV-1')) as { token: string }).token;
    expect(await handleResendPageMessage({ type: 'resend.cancel', token: cancelled }, true, confirmations)).toEqual({ ok: true });
    expect(await confirmations.confirm(cancelled)).toMatchObject({ ok: false });
    expect(sends).toEqual([]);
  });

  it('takes a token once even when two confirms arrive at the same moment', async () => {
    const { confirmations, sends } = await setup();
    const token = ((await confirmations.request('shop.test', 'INV-1')) as { token: string }).token;
    const answers = await Promise.all([confirmations.confirm(token), confirmations.confirm(token), confirmations.confirm(token)]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(sends).toEqual(['shop.test/INV-1 (again)']);
  });

  it('leaves other messages to the worker', async () => {
    const { confirmations } = await setup();
    expect(await handleResendPageMessage({ type: 'documents.send', documents: [{ id: 'INV-1' }] }, true, confirmations)).toBeUndefined();
    expect(await handleResendPageMessage(null, false, confirmations)).toBeUndefined();
  });
});
