import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger, type SendRequest } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine, backoffMs } from '../../lib/transfer/engine';
import { TransferError, type DeliveryContext, type Transport } from '../../lib/transfer/transport';
import type { SiteAdapter } from '../../lib/sites/types';
import { DocumentFetchError } from '../../lib/sites/types';
import { invoice as invoiceSchema, type Invoice } from '../../lib/model/invoice';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';

class ManualClock {
  constructor(public t = Date.parse('2026-11-22T10:00:00Z')) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

function sampleInvoice(number: string, sellerEnterprise = '0477472701'): Invoice {
  return invoiceSchema.parse({
    kind: 'invoice',
    number,
    issueDate: '2026-11-02',
    currency: 'EUR',
    seller: { name: 'Demo BV', enterpriseNumber: sellerEnterprise, address: { countryCode: 'BE' } },
    buyer: { name: 'Klant NV', address: { countryCode: 'BE' } },
    lines: [{ id: '1', description: 'Work', quantity: '1', unitPrice: '100.00', netAmount: '100.00', vat: { category: 'S', rate: '21' } }],
    vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: '100.00', taxAmount: '21.00' }],
    totals: { lineExtension: '100.00', taxExclusive: '100.00', taxTotal: '21.00', taxInclusive: '121.00', payable: '121.00' },
  });
}

const fakeAdapter = (fail: Map<string, DocumentFetchError> = new Map()): SiteAdapter => ({
  id: 'fake',
  name: 'Fake',
  matches: [],
  detect: () => undefined,
  selectors: {} as SiteAdapter['selectors'],
  rowInfo: () => undefined,
  detailInfo: () => undefined,
  async fetchDocument(_origin, documentId) {
    const error = fail.get(documentId);
    if (error) throw error;
    return { invoice: sampleInvoice(`N-${documentId}`) };
  },
});

class RecordingTransport implements Transport {
  kind = 'webservice' as const;
  delivered: DeliveryContext[] = [];
  attempts = 0;
  script: ((ctx: DeliveryContext) => void)[] = [];
  async deliver(ctx: DeliveryContext) {
    this.attempts++;
    const step = this.script.shift();
    step?.(ctx);
    this.delivered.push(ctx);
    return {
      reference: { journal: 'V1', bookyear: 2, documentSequenceNr: this.delivered.length },
      text: { key: 'log_booked', params: ['V1'] },
    };
  }
}

const dossier: Dossier = {
  id: 'd1',
  name: 'Demo BV',
  octopusDossierId: 1001,
  connectionId: 'c1',
  enterpriseNumber: '0477472701',
  transport: 'webservice',
  journals: { sales: 'V1', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: {},
};

const request = (documentId: string, extra: Partial<SendRequest> = {}): SendRequest => ({
  site: 'shop.test',
  origin: 'https://shop.test',
  adapter: 'fake',
  documentId,
  transport: 'webservice',
  ...extra,
});

let db: LedgerDb;
let clock: ManualClock;
let ledger: Ledger;
let dbCounter = 0;

beforeEach(async () => {
  db = new LedgerDb(`test-${++dbCounter}`);
  clock = new ManualClock();
  ledger = new Ledger(db, clock);
  await db.dossiers.put(dossier);
});
afterEach(async () => {
  db.close();
});

describe('ledger', () => {
  it('has a versioned schema with the indexes the queries need', () => {
    expect(db.verno).toBeGreaterThanOrEqual(3);
    expect(db.tables.map((t) => t.name)).toContain('bulkJobs');
    const transfers = db.tables.find((t) => t.name === 'transfers')!;
    const indexes = transfers.schema.indexes.map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(['[dossierId+documentKey]', 'state', 'updatedAt', 'documentKey']));
    expect(db.tables.map((t) => t.name)).toContain('outbox');
  });

  it('queues a document once, and refuses to queue what is queued or sent', async () => {
    const first = await ledger.enqueue([request('7')]);
    expect(first[0]!.outcome).toBe('queued');
    const again = await ledger.enqueue([request('7')]);
    expect(again[0]!.outcome).toBe('already-queued');
    expect(await db.outbox.count()).toBe(1);

    const claimed = await ledger.claimNext(60_000);
    await ledger.markSent(claimed!.transfer.id, undefined, { key: 'log_booked', params: [] });
    const afterSent = await ledger.enqueue([request('7')]);
    expect(afterSent[0]!.outcome).toBe('already-sent');
    expect(await db.outbox.count()).toBe(0);

    const forced = await ledger.enqueue([request('7', { force: true })]);
    expect(forced[0]!.outcome).toBe('queued');
    expect((await db.outbox.toArray())[0]!.force).toBe(true);
    expect(await db.transfers.count()).toBe(1);
  });

  it('holds a dossier while a booking’s outcome is unknown, but not for a mail of unknown outcome', async () => {
    for (const transport of ['webservice', 'mailbox'] as const) {
      await db.outbox.clear();
      await db.transfers.clear();
      await ledger.enqueue([request(`${transport}-1`, { transport }), request(`${transport}-2`, { transport })]);
      const first = await ledger.claimNext(30_000);
      await ledger.describe(first!.transfer.id, { dossierId: 'd1', transport });
      const second = (await db.outbox.toArray()).find((i) => i.transferId !== first!.transfer.id)!;
      await ledger.describe(second.transferId, { dossierId: 'd1', transport });
      // The first attempt may have reached the peer: it fails with its outcome unknown, retried later.
      await ledger.markFailed(first!.transfer.id, { text: { key: 'error_unexpected', params: [] }, code: 'x' }, new Date(clock.t + 60_000), { outcomeUnknown: true });
      const next = await ledger.claimNext(30_000);
      if (transport === 'webservice') {
        expect(next, 'a booking waits for the unknown one').toBeUndefined();
        expect(await ledger.unresolvedIn('d1', second.transferId)).toBeDefined();
      } else {
        expect(next?.transfer.id, 'a mail goes on').toBe(second.transferId);
        expect(await ledger.unresolvedIn('d1', second.transferId)).toBeUndefined();
      }
    }
  });

  it('takes back a lease that ran out and marks its outcome unknown', async () => {
    await ledger.enqueue([request('1')]);
    const first = await ledger.claimNext(30_000);
    expect(first!.item.outcomeUnknown).toBeUndefined();
    await ledger.markDelivering(first!.transfer.id); // it reached the transport, then the worker died
    expect(await ledger.claimNext(30_000)).toBeUndefined(); // still leased
    clock.advance(31_000);
    const second = await ledger.claimNext(30_000);
    expect(second!.transfer.id).toBe(first!.transfer.id);
    expect(second!.item.outcomeUnknown).toBe(true);
    expect(second!.transfer.attempts).toBe(2);
    expect(second!.transfer.log.map((l) => l.text.key)).toContain('log_resumed');
  });

  it('searches the history, newest first', async () => {
    await ledger.enqueue([request('1', { documentNumber: 'F-001' })]);
    clock.advance(1000);
    await ledger.enqueue([request('2', { documentNumber: 'F-002' })]);
    const all = await ledger.history();
    expect(all.map((t) => t.documentNumber)).toEqual(['F-002', 'F-001']);
    expect((await ledger.history({ search: 'f-001' })).map((t) => t.documentId)).toEqual(['1']);
  });
});

describe('transfer engine', () => {
  function engine(transport: Transport, adapter = fakeAdapter(), changes: Transfer[] = []) {
    return new TransferEngine({
      ledger,
      dossiersForSite: () => everyDossier(ledger.db),
      adapters: [adapter],
      transports: { webservice: transport },
      fetch: (() => {
        throw new Error('no network in this test');
      }) as unknown as typeof fetch,
      clock,
      onChange: (t) => changes.push(t),
      random: () => 0.5,
    });
  }

  it('fetches, routes by the seller and records the reference', async () => {
    const transport = new RecordingTransport();
    const changes: Transfer[] = [];
    const e = engine(transport, fakeAdapter(), changes);
    await e.send([request('1'), request('2')]);
    await e.runDue();
    const transfers = await db.transfers.toArray();
    expect(transfers.map((t) => t.state)).toEqual(['sent', 'sent']);
    expect(transfers.every((t) => t.dossierId === 'd1')).toBe(true);
    expect(transfers.map((t) => t.documentNumber).sort()).toEqual(['N-1', 'N-2']);
    expect(transfers[0]!.octopusReference?.journal).toBe('V1');
    expect(await db.outbox.count()).toBe(0);
    expect(changes.map((c) => c.state)).toEqual(expect.arrayContaining(['queued', 'sending', 'sent']));
  });

  it('retries a retriable failure later with backoff', async () => {
    const transport = new RecordingTransport();
    transport.script.push(() => {
      throw new TransferError({ key: 'octopus_error_server', params: [] }, { retriable: true, detail: 'HTTP 503 from simulator' });
    });
    const e = engine(transport);
    await e.send([request('1')]);
    await e.runDue();
    let t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('failed');
    expect(t.lastError?.detail).toBe('HTTP 503 from simulator');
    expect(Date.parse(t.nextAttemptAt!) - clock.t).toBe(backoffMs(1, () => 0.5));
    await e.runDue(); // not due yet
    expect(transport.attempts).toBe(1);
    clock.advance(10_000);
    await e.runDue();
    t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('sent');
    expect(transport.attempts).toBe(2);
    expect(t.lastError).toBeUndefined();
    expect(t.log.map((l) => l.level)).toContain('error');
  });

  it('gives a retriable failure to the user after the last attempt', async () => {
    const transport = new RecordingTransport();
    for (let i = 0; i < 8; i++)
      transport.script.push(() => {
        throw new TransferError({ key: 'octopus_error_server', params: [] }, { retriable: true });
      });
    const e = engine(transport);
    await e.send([request('1')]);
    for (let i = 0; i < 8; i++) {
      await e.runDue();
      clock.advance(20 * 60_000);
    }
    const t = (await db.transfers.toArray())[0]!;
    expect(transport.attempts).toBe(8);
    expect(t.state).toBe('needs-attention');
    expect(await db.outbox.count()).toBe(0);
  });

  it('queues again after Retry-After, without using an attempt or logging a failure, when the peer pushes back', async () => {
    const transport = new RecordingTransport();
    // More pushes back than there are attempts: none of them may bring it to the user.
    for (let i = 0; i < 10; i++)
      transport.script.push(() => {
        throw new TransferError({ key: 'mail_error_unavailable', params: ['relay'] }, { retriable: true, retryAfterMs: 30_000, backPressure: true });
      });
    const e = engine(transport);
    await e.send([request('1')]);
    for (let i = 0; i < 10; i++) {
      await e.runDue();
      const t = (await db.transfers.toArray())[0]!;
      expect([t.state, t.attempts, t.lastError]).toEqual(['queued', 0, undefined]);
      expect(Date.parse((await db.outbox.toArray())[0]!.dueAt) - clock.t).toBe(30_000);
      clock.advance(10_000);
      await e.runDue(); // not due yet
      clock.advance(20_000);
    }
    expect(transport.attempts).toBe(10);
    await e.runDue();
    const t = (await db.transfers.toArray())[0]!;
    expect(t.state).toBe('sent');
    expect(transport.attempts).toBe(11);
    expect(t.log.map((l) => l.level)).not.toContain('error');
  });

  it('leaves a non-retriable failure to the user and lets it be sent again', async () => {
    const transport = new RecordingTransport();
    transport.script.push(() => {
      throw new TransferError({ key: 'octopus_error_unknown_account', params: ['999999'] }, { retriable: false, detail: 'Unknown account 999999' });
    });
    const e = engine(transport);
    await e.send([request('1')]);
    await e.runDue();
    expect((await db.transfers.toArray())[0]!.state).toBe('needs-attention');
    expect(await db.outbox.count()).toBe(0);
    const again = await e.send([request('1')]);
    expect(again[0]!.outcome).toBe('queued');
    await e.runDue();
    expect((await db.transfers.toArray())[0]!.state).toBe('sent');
  });

  it('says when no dossier fits and when the site cannot give the document', async () => {
    const transport = new RecordingTransport();
    const adapter = fakeAdapter(new Map([['404', new DocumentFetchError('error_site_http', ['404', 'x'], 'Not found', false)]]));
    await db.dossiers.clear();
    const e = engine(transport, adapter);
    await e.send([request('1'), request('404')]);
    await e.runDue();
    const byId = Object.fromEntries((await db.transfers.toArray()).map((t) => [t.documentId, t]));
    expect(byId['1']!.lastError?.text.key).toBe('routing_site_no_dossiers');
    expect(byId['404']!.lastError?.text.key).toBe('error_site_http');
    expect(byId['404']!.state).toBe('needs-attention');
    expect(transport.delivered).toHaveLength(0);
  });

  it('tells the transport when an interrupted attempt may have gone through', async () => {
    await ledger.enqueue([request('1')]);
    const claimed = await ledger.claimNext(30_000); // a worker took it, called the transport, then died
    await ledger.markDelivering(claimed!.transfer.id);
    clock.advance(31_000);
    const transport = new RecordingTransport();
    await engine(transport).runDue();
    expect(transport.delivered[0]!.outcomeUnknown).toBe(true);
    expect((await db.transfers.toArray())[0]!.state).toBe('sent');
  });
});
