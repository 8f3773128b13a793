import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger, type SendRequest } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine, backoffMs, KeyedLimiter, type RetryPolicy } from '../../lib/transfer/engine';
import { TransferError, type DeliveryContext, type Transport } from '../../lib/transfer/transport';
import { BulkJobs } from '../../lib/transfer/bulk';
import { reconcileDossier } from '../../lib/transfer/reconcile';
import { rulesPolicy, defaultRules } from '../../lib/transfer/rules';
import { systemClock } from '../../lib/platform/clock';
import type { SiteAdapter } from '../../lib/sites/types';
import { invoice as invoiceSchema, type Invoice } from '../../lib/model/invoice';
import type { Dossier } from '../../lib/model/dossier';

const START = Date.parse('2026-11-22T10:00:00Z');

function sampleInvoice(number: string, seller: string, amount = '100.00', direction: 'sales' | 'purchase' = 'sales'): Invoice {
  const vat = (Number(amount) * 0.21).toFixed(2);
  const total = (Number(amount) + Number(vat)).toFixed(2);
  return invoiceSchema.parse({
    kind: 'invoice',
    direction,
    number,
    issueDate: '2026-11-02',
    currency: 'EUR',
    seller: { name: 'Seller', enterpriseNumber: seller, address: { countryCode: 'BE' } },
    buyer: { name: 'Buyer', enterpriseNumber: direction === 'purchase' ? '0477472701' : undefined, address: { countryCode: 'BE' } },
    lines: [{ id: '1', description: 'Work', quantity: '1', unitPrice: amount, netAmount: amount, vat: { category: 'S', rate: '21' } }],
    vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: amount, taxAmount: vat }],
    totals: { lineExtension: amount, taxExclusive: amount, taxTotal: vat, taxInclusive: total, payable: total },
  });
}

/** Documents "A-n" belong to dossier A (0477472701), "B-n" to dossier B (0403170701). */
function adapter(amounts: Map<string, string> = new Map()): SiteAdapter {
  return {
    id: 'fake',
    name: 'Fake',
    matches: [],
    detect: () => undefined,
    selectors: {} as SiteAdapter['selectors'],
    rowInfo: () => undefined,
    detailInfo: () => undefined,
    async fetchDocument(_origin, id) {
      const purchase = id.startsWith('P-');
      return { invoice: sampleInvoice(id, id.startsWith('B-') ? '0403170701' : purchase ? '0403170701' : '0477472701', amounts.get(id) ?? '100.00', purchase ? 'purchase' : 'sales') };
    },
  };
}

/** Holds every delivery open for `ms` of real time, recording how many run at once per dossier. */
class SlowTransport implements Transport {
  kind = 'webservice' as const;
  active = new Map<string, number>();
  peak = new Map<string, number>();
  delivered: DeliveryContext[] = [];
  failNext: TransferError[] = [];
  constructor(private readonly ms = 5) {}
  async deliver(ctx: DeliveryContext) {
    const k = ctx.dossier.id;
    this.active.set(k, (this.active.get(k) ?? 0) + 1);
    this.peak.set(k, Math.max(this.peak.get(k) ?? 0, this.active.get(k)!));
    try {
      await new Promise((r) => setTimeout(r, this.ms));
      const failure = this.failNext.shift();
      if (failure) throw failure;
      this.delivered.push(ctx);
      return { reference: { journal: 'V1', bookyear: 2, documentSequenceNr: this.delivered.length }, text: { key: 'log_booked', params: ['V1'] } };
    } finally {
      this.active.set(k, this.active.get(k)! - 1);
    }
  }
}

const dossier = (id: string, enterpriseNumber: string): Dossier => ({
  id,
  name: id,
  octopusDossierId: id === 'A' ? 1001 : 1002,
  connectionId: 'c1',
  enterpriseNumber,
  transport: 'webservice',
  journals: { sales: 'V1', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: {},
});

const request = (documentId: string, extra: Partial<SendRequest> = {}): SendRequest => ({
  site: 'shop.test',
  origin: 'https://shop.test',
  adapter: 'fake',
  documentId,
  transport: 'webservice',
  ...extra,
});

let db: LedgerDb;
let ledger: Ledger;
let n = 0;
const fast: RetryPolicy = { baseMs: 1_000, capMs: 8_000, maxAttempts: 5 };

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  db = new LedgerDb(`engine-${++n}`);
  ledger = new Ledger(db, systemClock);
  await db.dossiers.bulkPut([dossier('A', '0477472701'), dossier('B', '0403170701')]);
});
afterEach(() => {
  db.close();
  vi.useRealTimers();
});

function engine(transport: Transport, extra: Partial<ConstructorParameters<typeof TransferEngine>[0]> = {}) {
  return new TransferEngine({
    ledger,
    dossiersForSite: () => everyDossier(ledger.db),
    adapters: [adapter()],
    transports: { webservice: transport },
    fetch: (() => Promise.reject(new Error('offline'))) as unknown as typeof fetch,
    clock: systemClock,
    random: () => 0.5,
    retry: fast,
    concurrency: 6,
    ...extra,
  });
}

describe('engine state machine (fake clock)', () => {
  it('caps deliveries in flight per dossier and transport, while dossiers run side by side', async () => {
    const transport = new SlowTransport(5);
    const e = engine(transport);
    await e.send([...Array.from({ length: 6 }, (_, i) => request(`A-${i}`)), ...Array.from({ length: 6 }, (_, i) => request(`B-${i}`))]);
    await e.runDue();
    expect(transport.delivered).toHaveLength(12);
    expect(transport.peak.get('A')).toBe(1);
    expect(transport.peak.get('B')).toBe(1);
    expect(Math.max(...e.limiter.peak.values())).toBe(1);

    const wide = new SlowTransport(150);
    const e2 = engine(wide, { inFlight: { webservice: 3 } });
    await e2.send(Array.from({ length: 9 }, (_, i) => request(`A-w${i}`)));
    await e2.runDue();
    expect(wide.peak.get('A')).toBe(3);
  });

  it('walks queued → sending → failed (with its next attempt) → sent, with backoff and jitter', async () => {
    const transport = new SlowTransport(0);
    transport.failNext.push(new TransferError({ key: 'octopus_error_server', params: [] }, { retriable: true, detail: 'HTTP 503' }));
    transport.failNext.push(new TransferError({ key: 'octopus_error_server', params: [] }, { retriable: true, detail: 'HTTP 502' }));
    const e = engine(transport);
    await e.send([request('A-1')]);
    expect((await db.transfers.toArray())[0]!.state).toBe('queued');
    await e.runDue();
    let t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('failed');
    expect(Date.parse(t.nextAttemptAt!) - Date.now()).toBe(backoffMs(1, () => 0.5, fast));
    vi.setSystemTime(Date.now() + 999);
    await e.runDue();
    expect((await db.transfers.toArray())[0]!.attempts).toBe(1); // not due yet
    vi.setSystemTime(Date.now() + 2);
    await e.runDue();
    t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('failed');
    expect(Date.parse(t.nextAttemptAt!) - Date.now()).toBe(2_000); // doubled
    vi.setSystemTime(Date.now() + 2_000);
    await e.runDue();
    t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('sent');
    expect(t.attempts).toBe(3);
    expect(t.log.filter((l) => l.level === 'error').map((l) => l.detail)).toEqual(['HTTP 503', 'HTTP 502']);
    // Jitter stays within ±20 % and the cap holds.
    for (const r of [0, 0.999]) for (let a = 1; a < 12; a++) {
      const ms = backoffMs(a, () => r, fast);
      expect(ms).toBeGreaterThanOrEqual(Math.min(1_000 * 2 ** (a - 1), 8_000) * 0.8);
      expect(ms).toBeLessThanOrEqual(Math.min(1_000 * 2 ** (a - 1), 8_000) * 1.2);
    }
  });

  it('frees the leases of a dead worker at start; only a delivery that had begun is outcome-unknown', async () => {
    await ledger.enqueue([request('A-1'), request('A-2')]);
    const first = await ledger.claimNext(120_000);
    const second = await ledger.claimNext(120_000);
    // Routed (as every attempt that reaches a transport is), then the worker died in the transport.
    await ledger.describe(second!.transfer.id, { dossierId: 'A' });
    await ledger.markDelivering(second!.transfer.id);
    expect(await ledger.claimNext(120_000)).toBeUndefined();
    expect(await ledger.releaseLeases()).toBe(2);
    const items = new Map((await db.outbox.toArray()).map((i) => [i.transferId, i]));
    expect(items.get(first!.transfer.id)!.outcomeUnknown).toBeUndefined();
    expect(items.get(second!.transfer.id)!.outcomeUnknown).toBe(true);
    const transport = new SlowTransport(0);
    const e = engine(transport);
    await e.runDue();
    // The unknown one goes first; the other waits for it (same dossier), then goes.
    vi.setSystemTime(Date.now() + 1_500);
    await e.runDue();
    expect(transport.delivered.map((d) => d.transfer.id)).toEqual([second!.transfer.id, first!.transfer.id]);
    const seen = new Map(transport.delivered.map((d) => [d.transfer.id, d.outcomeUnknown]));
    expect(seen.get(first!.transfer.id)).toBe(false);
    expect(seen.get(second!.transfer.id)).toBe(true);
    const logs = (await db.transfers.toArray()).map((t) => t.log.map((l) => l.text.key));
    expect(logs.every((l) => l.includes('log_resumed'))).toBe(true);
  });

  it('settles an unknown outcome in a dossier before booking anything else there', async () => {
    await ledger.enqueue([request('A-unknown')]);
    const claimed = await ledger.claimNext(1_000);
    await ledger.describe(claimed!.transfer.id, { dossierId: 'A' }); // routed, then sent without an answer
    await ledger.markDelivering(claimed!.transfer.id);
    await ledger.markFailed(claimed!.transfer.id, { text: { key: 'octopus_error_timeout', params: ['20'] } }, new Date(Date.now() + 1_000), { outcomeUnknown: true });
    await ledger.enqueue([request('A-next'), request('B-free')]);
    const transport = new SlowTransport(0);
    const e = engine(transport);
    await e.runDue();
    // B is not blocked; A-next waits for A-unknown.
    expect(transport.delivered.map((d) => d.transfer.documentId)).toEqual(['B-free']);
    const next = (await db.transfers.toArray()).find((t) => t.documentId === 'A-next')!;
    expect(next.state).toBe('queued');
    expect(next.attempts).toBe(0); // a deferral is not an attempt
    vi.setSystemTime(Date.now() + 1_500);
    await e.runDue();
    vi.setSystemTime(Date.now() + 1_500);
    await e.runDue();
    expect(transport.delivered.map((d) => d.transfer.documentId)).toEqual(['B-free', 'A-unknown', 'A-next']);
    expect(transport.delivered[1]!.outcomeUnknown).toBe(true);
  });

  it('keeps the unknown outcome when the user sends again what was given up', async () => {
    const e = engine(new SlowTransport(0), { retry: { ...fast, maxAttempts: 1 } });
    await e.send([request('A-1')]);
    const transport = e as unknown as { options: { transports: { webservice: SlowTransport } } };
    transport.options.transports.webservice.failNext.push(
      new TransferError({ key: 'octopus_error_timeout', params: ['20'] }, { retriable: true, outcomeUnknown: true }),
    );
    await e.runDue();
    const t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('needs-attention');
    expect(t.lastError?.code).toBe('outcome-unknown');
    await e.send([request('A-1')]);
    expect((await db.outbox.toArray())[0]!.outcomeUnknown).toBe(true);
  });

  it('holds a scheduled purchase for approval, drops what is not its dossier’s, and sends once approved', async () => {
    const transport = new SlowTransport(0);
    const rules = defaultRules('A');
    const e = engine(transport, { policy: rulesPolicy(async (id) => (id === 'A' ? rules : defaultRules(id))) });
    await e.send([request('P-1', { scheduledFor: 'A' }), request('A-1', { scheduledFor: 'A' }), request('B-1', { scheduledFor: 'A' })]);
    await e.runDue();
    const byId = new Map((await db.transfers.toArray()).map((t) => [t.documentId, t]));
    expect(byId.get('A-1')!.state).toBe('sent');
    expect(byId.get('P-1')!.state).toBe('needs-attention');
    expect(byId.get('P-1')!.lastError?.text.key).toBe('engine_awaiting_approval');
    expect(byId.has('B-1')).toBe(false); // B's own schedule takes it
    expect(await ledger.attentionCount()).toBe(1);
    await e.send([request('P-1', { scheduledFor: 'A', approved: true })]);
    await e.runDue();
    expect((await db.transfers.toArray()).find((t) => t.documentId === 'P-1')!.state).toBe('sent');
    expect(await ledger.attentionCount()).toBe(0);
  });

  it('flags a sent document that changed in the app when it is sent again', async () => {
    const amounts = new Map([['A-1', '100.00']]);
    const transport = new SlowTransport(0);
    const e = engine(transport, { adapters: [adapter(amounts)] });
    await e.send([request('A-1')]);
    await e.runDue();
    amounts.set('A-1', '150.00');
    await e.send([request('A-1', { force: true })]);
    await e.runDue();
    const t = (await db.transfers.toArray())[0]!;
    expect(t.log.map((l) => l.text.key)).toContain('engine_log_changed_after_export');
    expect(t.state).toBe('sent');
  });
});

describe('bulk jobs', () => {
  it('reports done / total, failures and time left, and survives a new BulkJobs (a restarted worker)', async () => {
    const bulk = new BulkJobs(ledger, systemClock);
    const transport = new SlowTransport(0);
    transport.failNext.push(new TransferError({ key: 'octopus_error_unknown_account', params: ['1'] }, { retriable: false }));
    const e = engine(transport, { concurrency: 1 });
    await e.send([request('A-0')]);
    await e.runDue(); // fails for good: needs attention
    const { job } = await bulk.start({ site: 'shop.test', origin: 'https://shop.test', adapter: 'fake', transport: 'webservice', documents: [0, 1, 2, 3].map((i) => ({ id: `A-${i}` })), label: '4' });
    expect(job.transferIds).toHaveLength(4);
    expect((await bulk.progress(job.id))).toMatchObject({ total: 4, done: 0, failed: 0, pending: 4, state: 'running' });
    expect((await bulk.progress(job.id))!.etaMs).toBeUndefined();
    // Send two of them, ten seconds later.
    vi.setSystemTime(Date.now() + 10_000);
    await ledger.markSent((await ledger.claimNext(60_000))!.transfer.id, undefined, { key: 'log_booked', params: [] });
    await ledger.markSent((await ledger.claimNext(60_000))!.transfer.id, undefined, { key: 'log_booked', params: [] });
    const again = new BulkJobs(new Ledger(db, systemClock), systemClock);
    const mid = (await again.progress(job.id))!;
    expect(mid).toMatchObject({ total: 4, done: 2, pending: 2 });
    expect(mid.etaMs).toBe(10_000);
    await e.runDue();
    expect(await again.progress(job.id)).toMatchObject({ total: 4, done: 4, failed: 0, pending: 0, state: 'done' });
    // A selection that holds only already-sent documents queues nothing and says so.
    const none = await bulk.start({ site: 'shop.test', origin: 'https://shop.test', adapter: 'fake', transport: 'webservice', documents: [{ id: 'A-1' }], label: '1' });
    expect(none.job).toMatchObject({ state: 'done', skipped: 1 });
  });

  it('stops claimed documents before their transport is called; only one already on the wire goes', async () => {
    // Six documents of one dossier (one delivery at a time there): the engine claims them all, fetches them, and they
    // wait their turn. Cancelled while the first is on the wire, none of the others reaches the transport.
    const bulk = new BulkJobs(ledger, systemClock);
    const { job } = await bulk.start({ site: 'shop.test', origin: 'https://shop.test', adapter: 'fake', transport: 'webservice', documents: [0, 1, 2, 3, 4, 5].map((i) => ({ id: `A-${i}` })), label: '6' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const onWire: string[] = [];
    const transport: Transport = {
      kind: 'webservice',
      async deliver(ctx) {
        onWire.push(ctx.transfer.documentId);
        await gate;
        return { reference: { journal: 'V1', bookyear: 2, documentSequenceNr: onWire.length }, text: { key: 'log_booked', params: ['V1'] } };
      },
    };
    const run = engine(transport, { concurrency: 6, inFlight: { webservice: 1 } }).runDue();
    await vi.waitFor(() => expect(onWire).toHaveLength(1), { timeout: 5000 });
    // Every document is claimed by now (leased), one of them on the wire.
    expect(await db.outbox.filter((i) => Boolean(i.leaseUntil)).count()).toBe(6);
    const progress = (await bulk.cancel(job.id))!;
    expect(progress.state).toBe('cancelled');
    release();
    await run;
    expect(onWire).toHaveLength(1);
    expect(await bulk.progress(job.id)).toMatchObject({ done: 1, cancelled: 5, pending: 0 });
    const cancelled = (await db.transfers.toArray()).filter((t) => t.lastError?.code === 'cancelled');
    expect(cancelled).toHaveLength(5);
    for (const t of cancelled) expect(t.log.at(-1)!.text.key).toBe('engine_log_cancelled');
    expect(await db.outbox.count()).toBe(0);
  });

  it('cancels what has not started; what is being sent finishes', async () => {
    const bulk = new BulkJobs(ledger, systemClock);
    const { job } = await bulk.start({ site: 'shop.test', origin: 'https://shop.test', adapter: 'fake', transport: 'webservice', documents: [0, 1, 2, 3, 4].map((i) => ({ id: `A-${i}` })), label: '5' });
    const running = await ledger.claimNext(60_000);
    const progress = (await bulk.cancel(job.id))!;
    expect(progress.state).toBe('cancelled');
    expect(progress.cancelled).toBe(4);
    expect(await db.outbox.count()).toBe(1);
    await ledger.markSent(running!.transfer.id, undefined, { key: 'log_booked', params: [] });
    expect(await bulk.progress(job.id)).toMatchObject({ done: 1, cancelled: 4, pending: 0 });
    expect(await db.transfers.count()).toBe(1); // records made only for the job are gone
  });

  it('notifies a finished scheduled run once', async () => {
    const bulk = new BulkJobs(ledger, systemClock);
    const { job } = await bulk.start({ site: 's', origin: 'https://s', adapter: 'fake', transport: 'webservice', documents: [{ id: 'A-1' }], label: 'schedule', notify: true });
    expect(await bulk.takeFinishedToNotify()).toEqual([]);
    await engine(new SlowTransport(0)).runDue();
    const finished = await bulk.takeFinishedToNotify();
    expect(finished.map((f) => [f.jobId, f.done])).toEqual([[job.id, 1]]);
    expect(await bulk.takeFinishedToNotify()).toEqual([]);
  });
});

describe('reconciliation', () => {
  it('confirms our bookings, notices documents booked by other means and counts the rest', async () => {
    const e = engine(new SlowTransport(0));
    await e.send([request('A-1'), request('A-2')]);
    await e.runDue();
    await e.send([request('A-9')]);
    await ledger.markFailed((await ledger.claimNext(1000))!.transfer.id, { text: { key: 'octopus_error_journal_open', params: ['V1'] } }, undefined);
    await ledger.describe((await db.transfers.toArray()).find((t) => t.documentId === 'A-9')!.id, { dossierId: 'A', documentNumber: 'A-9' });
    const sent = (await db.transfers.toArray()).filter((t) => t.state === 'sent');
    const feed = vi.fn(async () => [
      ...sent.map((t) => ({ journalKey: 'V1', bookyearKey: { id: 2 }, documentSequenceNr: t.octopusReference!.documentSequenceNr, comment: `${t.documentNumber} Buyer` })),
      { journalKey: 'V1', bookyearKey: { id: 2 }, documentSequenceNr: 50, comment: 'A-9 Buyer' },
      { journalKey: 'V1', bookyearKey: { id: 2 }, documentSequenceNr: 51, comment: 'Manual booking by the accountant' },
    ]);
    const dossierA = (await db.dossiers.get('A'))!;
    const summary = await reconcileDossier({ ledger, dossier: dossierA, feed, clock: systemClock });
    expect(summary.confirmed).toBe(2);
    expect(summary.bookedElsewhere.map((t) => t.documentId)).toEqual(['A-9']);
    expect(summary.foreign).toBe(1);
    const a9 = (await db.transfers.toArray()).find((t) => t.documentId === 'A-9')!;
    expect(a9).toMatchObject({ state: 'sent', octopusReference: { journal: 'V1', documentSequenceNr: 50 } });
    expect(await e.send([request('A-9')])).toMatchObject([{ outcome: 'already-sent' }]);
    // The next read asks from the last one, with an overlap; a confirmed booking is not confirmed twice.
    vi.setSystemTime(Date.now() + 6 * 3600_000);
    const second = await reconcileDossier({ ledger, dossier: dossierA, feed, clock: systemClock });
    expect(second.confirmed).toBe(0);
    expect((feed.mock.calls[1] as unknown[])[1]).toEqual(new Date(START - 26 * 3600_000));
  });
});

describe('keyed limiter', () => {
  it('passes slots on in order and never exceeds the cap', async () => {
    const limiter = new KeyedLimiter();
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.run('k', 2, async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 1));
          order.push(i);
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toHaveLength(10);
  });
});
