import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { createMailboxTransport } from '../../lib/transfer/mailbox-transport';
import { TransferError, type DeliveryContext } from '../../lib/transfer/transport';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';
import { readInvoiceXml } from '../../lib/ubl/read';
import { relayToken, startRelay, type RunningRelay } from '../../lib/relay/server';
import { MemoryStore } from '../../lib/relay/store';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';

/**
 * The mailbox transport behind a fault-injecting proxy in front of the real relay (tests/support/fault-proxy.ts):
 * a failed read of the relay's limits sent nothing, so it is an ordinary transient failure, not an unknown outcome;
 * a send whose answer is lost stays an unknown outcome and is looked up before it is sent again.
 */

const TOKEN = 'mail-faults-unit-token-0123456789';
const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
let sink: MailSink;
let relay: RunningRelay;
let proxy: FaultProxy;
let db: LedgerDb;
let dbName: string;

beforeAll(async () => {
  sink = await startMailSink();
  relay = await startRelay({ host: '127.0.0.1', port: 0, tokens: [relayToken({ name: 'office', token: TOKEN, from: 'office@firm.example', domains: ['*.octopus.be'] })], smtpUrl: `smtp://127.0.0.1:${sink.port}`, maxMessageBytes: 5_000_000, store: new MemoryStore(), smtpTimeoutMs: 10_000 }, { logger: { write: () => undefined } });
  proxy = await startFaultProxy({ target: relay.url, random: () => 0 });
});
afterAll(async () => {
  await proxy?.close();
  await relay?.close();
  await sink?.close();
});
beforeEach(async () => {
  dbName = `mail-faults-${Math.random()}`;
  db = new LedgerDb(dbName);
  await db.mailAccounts.put({ id: 'default', kind: 'http-relay', url: proxy.url, from: 'office@firm.example' });
  await db.mailSecrets.put({ id: 'default', boundUrl: proxy.url, token: TOKEN });
  proxy.setFaults(undefined);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(dbName);
});

const dossier: Dossier = {
  id: 'd1',
  name: 'Demo BV',
  octopusDossierId: 1,
  connectionId: 'c1',
  transport: 'mailbox',
  journals: { sales: 'V1', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: { sales: 'uid-sales-1@import.octopus.be', purchases: 'uid-purch-1@import.octopus.be' },
};

const docs = demoDocuments.filter((d) => d.status !== 'draft');
function context(index: number, outcomeUnknown = false): DeliveryContext {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  const transfer: Transfer = { id: `t${index}`, documentKey: `site/${index}`, site: 'site', origin: 'http://127.0.0.1', adapter: 'factuurdemo', documentId: String(index), transport: 'mailbox', state: 'sending', createdAt: '2026-11-22T10:00:00Z', updatedAt: '2026-11-22T10:00:00Z', attempts: 1, log: [] };
  return { transfer, dossier, document: { invoice: read.invoice, sourceXml: xml }, outcomeUnknown, force: false };
}

async function failureOf(promise: Promise<unknown>): Promise<TransferError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TransferError);
  return error as TransferError;
}

const at = (path: string) => (_method: string, p: string) => p === path;

describe('mailbox transport behind a faulty relay', () => {
  it.each([
    [500, 4],
    [502, 5],
    [504, 6],
  ])('a %i on the relay limits is a transient failure that sent nothing, not an unknown outcome', async (status, index) => {
    const transport = createMailboxTransport(db, fetchFn);
    const before = proxy.records.length;
    proxy.setFaults({ statusProbability: 1, statuses: [{ status, phase: 'before' }], statusWhen: at('/v1/limits'), dropProbability: 0 });
    const failure = await failureOf(transport.deliver(context(index)));
    expect(failure.options).toMatchObject({ retriable: true, code: 'mail-unavailable' });
    expect(failure.options.outcomeUnknown).toBeFalsy();
    expect(failure.text.key).toBe('mail_error_unavailable');
    expect(failure.options.detail).toContain(`HTTP ${status}`);
    expect(proxy.records.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET /v1/limits ${status}`]);
    expect(await db.mailSends.count()).toBe(0);

    proxy.setFaults(undefined);
    const sent = await transport.deliver(context(index));
    expect(sent.text.key).toBe('mail_log_sent');
    const messageId = sent.text.params[1]!;
    await sink.waitFor((m) => m.messageId === messageId);
    expect(sink.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
    sink.clear();
  });

  it('a send whose answer is lost after the relay sent it stays an unknown outcome, and the retry asks the relay instead of sending', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const before = proxy.records.length;
    proxy.setFaults({ statusProbability: 0, statuses: [], dropProbability: 1, dropWhen: (method, path) => method === 'POST' && path === '/v1/messages' });
    const failure = await failureOf(transport.deliver(context(3)));
    expect(failure.options).toMatchObject({ retriable: true, outcomeUnknown: true, code: 'mail-unknown' });
    expect((await db.mailSends.toArray()).map((r) => r.state)).toEqual(['submitting']);
    const mail = await sink.waitFor(() => true);

    proxy.setFaults(undefined);
    const retried = await transport.deliver(context(3, true));
    expect(retried.text.key).toBe('mail_log_already_sent');
    expect(retried.text.params[1]).toBe(mail.messageId);
    const requests = proxy.records.slice(before).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{64}/, 'KEY')} ${r.status}`);
    expect(requests).toEqual(['GET /v1/limits 200', 'POST /v1/messages 0', 'GET /v1/limits 200', 'GET /v1/messages/KEY 200']);
    expect(sink.messages).toHaveLength(1);
    expect((await db.mailSends.toArray()).map((r) => r.state)).toEqual(['sent']);
    sink.clear();
  });
});
