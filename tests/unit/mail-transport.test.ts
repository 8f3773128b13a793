import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/samples';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { createMailboxTransport } from '../../lib/transfer/mailbox-transport';
import { TransferError, type DeliveryContext } from '../../lib/transfer/transport';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';
import { readInvoiceXml } from '../../lib/ubl/read';
import { relayToken, startRelay, type RunningRelay } from '../../lib/relay/server';
import { MemoryStore } from '../../lib/relay/store';
import { createHttpRelay } from '../../lib/mail/http-relay';
import { RelayError, type MailRelay } from '../../lib/mail/relay';
import { handleMailPageRequest } from '../../lib/mail/page-requests';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

const TOKEN = 'mail-transport-token-0123456789';
const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
let sink: MailSink;
let relay: RunningRelay;
let db: LedgerDb;
let dbName: string;

beforeAll(async () => {
  sink = await startMailSink();
  relay = await startRelay({ host: '127.0.0.1', port: 0, tokens: [relayToken({ name: 'office', token: TOKEN, from: 'office@firm.example', domains: ['*.octopus.be'] })], smtpUrl: `smtp://127.0.0.1:${sink.port}`, maxMessageBytes: 5_000_000, store: new MemoryStore(), smtpTimeoutMs: 10_000 }, { logger: { write: () => undefined } });
});
afterAll(async () => {
  await relay?.close();
  await sink?.close();
});
beforeEach(async () => {
  dbName = `mail-${Math.random()}`;
  db = new LedgerDb(dbName);
  await db.mailAccounts.put({ id: 'default', kind: 'http-relay', url: relay.url, from: 'office@firm.example', fromName: 'Kantoor Één' });
  await db.mailSecrets.put({ id: 'default', boundUrl: relay.url, token: TOKEN });
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
function documentOf(index: number) {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  return { invoice: read.invoice, sourceXml: xml };
}

function transfer(id: string, log: Transfer['log'] = []): Transfer {
  return { id, documentKey: `site/${id}`, site: 'site', origin: 'http://127.0.0.1', adapter: 'factuurdemo', documentId: id, transport: 'mailbox', state: 'sending', createdAt: '2026-11-22T10:00:00Z', updatedAt: '2026-11-22T10:00:00Z', attempts: 1, log };
}

function context(overrides: Partial<DeliveryContext> & { index?: number } = {}): DeliveryContext {
  const { index = 0, ...rest } = overrides;
  return { transfer: transfer('t1'), dossier, document: documentOf(index), outcomeUnknown: false, force: false, ...rest };
}

const delivered = (messageId: string) => sink.messages.filter((m) => m.messageId === messageId);
const idOf = (text: { params: string[] }) => text.params[1]!;

describe('mailbox transport', () => {
  it('e-mails the UBL and PDF to the sales mailbox once; the same document queued again is not sent again', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const first = await transport.deliver(context());
    expect(first.text.key).toBe('mail_log_sent');
    expect(first.text.params[0]).toBe('uid-sales-1@import.octopus.be');
    const mail = await sink.waitFor((m) => m.messageId === idOf(first.text));
    expect(mail.envelope.rcptTo).toEqual(['uid-sales-1@import.octopus.be']);
    expect(mail.from).toContain('Kantoor Één');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);

    // Another transfer of the same bytes to the same dossier (e.g. the document seen on another site).
    const again = await transport.deliver(context({ transfer: transfer('t2') }));
    expect(again.text.key).toBe('mail_log_already_sent');
    expect(idOf(again.text)).toBe(idOf(first.text));
    expect(delivered(idOf(first.text))).toHaveLength(1);
    const record = await db.mailSends.toArray();
    expect(record).toHaveLength(1);
    expect(record[0]).toMatchObject({ state: 'sent', generation: 0, to: 'uid-sales-1@import.octopus.be' });
  });

  it('"send again" is one new send per request of the user, under a new Message-ID', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const first = await transport.deliver(context({ index: 1 }));
    const asked = transfer('t1', [{ at: '2026-11-22T11:00:00.000Z', level: 'info', text: { key: 'log_queued_again', params: [] } }]);
    const resent = await transport.deliver(context({ index: 1, transfer: asked, force: true }));
    expect(resent.text.key).toBe('mail_log_sent');
    expect(idOf(resent.text)).not.toBe(idOf(first.text));
    // The same request retried (the outbox keeps `force` until it is settled) does not send a third time.
    const retried = await transport.deliver(context({ index: 1, transfer: asked, force: true, outcomeUnknown: true }));
    expect(retried.text.key).toBe('mail_log_already_sent');
    await sink.waitFor((m) => m.messageId === idOf(resent.text));
    expect(delivered(idOf(first.text))).toHaveLength(1);
    expect(delivered(idOf(resent.text))).toHaveLength(1);
  });

  it('after an unknown outcome asks the relay first: a send that went is not repeated, one that did not is sent once', async () => {
    let calls = 0;
    const real = createHttpRelay({ url: relay.url, token: TOKEN, fetch: fetchFn });
    // The relay sends, but the answer is lost on the way back.
    const lossy: MailRelay = { ...real, async send(mail) {
      calls++;
      await real.send(mail);
      throw new RelayError('no answer in time', 'unknown-outcome');
    } };
    const transport = createMailboxTransport(db, fetchFn, { relayFor: () => lossy });
    const error = (await transport.deliver(context({ index: 2 })).catch((e: unknown) => e)) as TransferError;
    expect(error).toBeInstanceOf(TransferError);
    expect(error.options).toMatchObject({ retriable: true, outcomeUnknown: true });
    expect(error.text.key).toBe('mail_error_no_answer');
    expect((await db.mailSends.toArray())[0]!.state).toBe('submitting');

    const retried = await createMailboxTransport(db, fetchFn).deliver(context({ index: 2, outcomeUnknown: true }));
    expect(retried.text.key).toBe('mail_log_already_sent');
    expect(calls).toBe(1);
    expect(delivered(idOf(retried.text))).toHaveLength(1);

    // The other case: the request never reached the relay (refused connection), then a retry.
    const unreachable = createMailboxTransport(db, fetchFn, { relayFor: () => createHttpRelay({ url: 'http://127.0.0.1:9', token: TOKEN, fetch: fetchFn }) });
    const down = (await unreachable.deliver(context({ index: 3 })).catch((e: unknown) => e)) as TransferError;
    expect(down.options.retriable).toBe(true);
    const sent = await createMailboxTransport(db, fetchFn).deliver(context({ index: 3, outcomeUnknown: true }));
    expect(sent.text.key).toBe('mail_log_sent');
    await sink.waitFor((m) => m.messageId === idOf(sent.text));
    expect(delivered(idOf(sent.text))).toHaveLength(1);
  });

  it("takes a peer's sent / not sent / cannot tell after an interrupted send (Graph's drafts)", async () => {
    // A Graph-like relay that loses the answer of its first send, then answers sendState as set by the test.
    let answer: 'sent' | 'not-sent' | 'unknown' = 'sent';
    let calls = 0;
    const relay: MailRelay = {
      id: 'graph',
      maxMessageBytes: async () => 30_000_000,
      send: async () => {
        calls++;
        if (calls === 1) throw new RelayError('Microsoft Graph: no answer in time', 'unknown-outcome');
        return { status: 'sent' };
      },
      sendState: async () => answer,
    };
    const transport = createMailboxTransport(db, fetchFn, { relayFor: () => relay });
    const interrupted = async (index: number) => {
      calls = 0;
      await transport.deliver(context({ index })).catch(() => undefined);
      expect((await db.mailSends.toArray()).some((r) => r.state === 'submitting')).toBe(true);
    };
    // It went: marked sent without a second send.
    await interrupted(5);
    answer = 'sent';
    expect((await transport.deliver(context({ index: 5, outcomeUnknown: true }))).text.key).toBe('mail_log_already_sent');
    expect(calls).toBe(1);
    // It did not: sent once more, now.
    await interrupted(6);
    answer = 'not-sent';
    expect((await transport.deliver(context({ index: 6, outcomeUnknown: true }))).text.key).toBe('mail_log_sent');
    expect(calls).toBe(2);
    // Graph cannot tell: the user decides, nothing is sent.
    await interrupted(7);
    answer = 'unknown';
    const waiting = (await transport.deliver(context({ index: 7, outcomeUnknown: true })).catch((e: unknown) => e)) as TransferError;
    expect(waiting.text.key).toBe('mail_error_outcome_unknown');
    expect(calls).toBe(1);
  });

  it('waits for the user when the peer cannot tell whether an interrupted send went (Graph, Gmail)', async () => {
    let calls = 0;
    const blind: MailRelay = { id: 'graph', maxMessageBytes: async () => 3_000_000, send: async () => {
      calls++;
      throw new RelayError('Microsoft Graph: no answer in time', 'unknown-outcome');
    } };
    const transport = createMailboxTransport(db, fetchFn, { relayFor: () => blind });
    await transport.deliver(context({ index: 4 })).catch(() => undefined);
    const second = (await transport.deliver(context({ index: 4, outcomeUnknown: true })).catch((e: unknown) => e)) as TransferError;
    expect(second.text.key).toBe('mail_error_outcome_unknown');
    expect(second.options.retriable).toBe(false);
    expect(calls).toBe(1);
  });

  it('says what is wrong, in a catalog message, and sends nothing: no account, no or bad address, too large, refused', async () => {
    const keyOf = async (promise: Promise<unknown>) => {
      const error = (await promise.catch((e: unknown) => e)) as TransferError;
      expect(error).toBeInstanceOf(TransferError);
      return [error.text.key, error.options.retriable] as const;
    };
    const transport = createMailboxTransport(db, fetchFn);
    expect(await keyOf(transport.deliver(context({ dossier: { ...dossier, mailbox: {} } })))).toEqual(['mail_error_no_sales_address', false]);
    expect(await keyOf(transport.deliver(context({ dossier: { ...dossier, mailbox: { sales: 'not an address' } } })))).toEqual(['mail_error_bad_address', false]);
    const small: MailRelay = { ...createHttpRelay({ url: relay.url, token: TOKEN, fetch: fetchFn }), maxMessageBytes: async () => 10_000 };
    const before = sink.messages.length;
    expect(await keyOf(createMailboxTransport(db, fetchFn, { relayFor: () => small }).deliver(context({ index: 5 })))).toEqual(['mail_error_too_large', false]);
    expect(await keyOf(transport.deliver(context({ index: 5, dossier: { ...dossier, mailbox: { sales: 'x@gmail.example' } } })))).toEqual(['mail_error_relay_forbidden', false]);
    await db.mailSecrets.put({ id: 'default', boundUrl: relay.url, token: 'wrong-token-000000000000' });
    expect(await keyOf(createMailboxTransport(db, fetchFn).deliver(context({ index: 5 })))).toEqual(['mail_error_auth', false]);
    await db.mailAccounts.clear();
    expect(await keyOf(transport.deliver(context({ index: 5 })))).toEqual(['mail_error_not_set_up', false]);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(sink.messages.length).toBe(before);
    // Nothing recorded as sent or in flight: a corrected setting sends it normally.
    expect((await db.mailSends.toArray()).every((r) => r.state === 'prepared')).toBe(true);
  });
});

describe('mail settings requests', () => {
  it('tests the relay before keeping it, keeps the token out of the answers, and warns about non-Octopus addresses', async () => {
    await db.dossiers.put({ ...dossier, transport: 'webservice', mailbox: {} });
    const bad = (await handleMailPageRequest({ type: 'mail.account.save', account: { kind: 'http-relay', url: relay.url, from: 'office@firm.example' }, token: 'not-the-token-123456' }, { db, fetch: fetchFn })) as { ok: boolean; error: { text: { key: string } } };
    expect(bad.ok).toBe(false);
    expect(bad.error.text.key).toBe('mail_error_account_test');
    // The relay sends only as the token's own sender: another address is refused when the account is set up.
    const otherSender = (await handleMailPageRequest({ type: 'mail.account.save', account: { kind: 'http-relay', url: relay.url, from: 'ceo@firm.example' }, token: TOKEN }, { db, fetch: fetchFn })) as { ok: boolean; error: { text: { key: string } } };
    expect([otherSender.ok, otherSender.error.text.key]).toEqual([false, 'mail_error_relay_forbidden']);
    expect(await db.mailAccounts.get('default')).toMatchObject({ from: 'office@firm.example' });
    const good = (await handleMailPageRequest({ type: 'mail.account.save', account: { kind: 'http-relay', url: `${relay.url}/`, from: 'office@firm.example' }, token: TOKEN }, { db, fetch: fetchFn })) as { ok: boolean };
    expect(good.ok).toBe(true);
    const settings = await handleMailPageRequest({ type: 'mail.settings.get' }, { db, fetch: fetchFn });
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    expect(settings).toMatchObject({ ok: true, account: { kind: 'http-relay', url: relay.url }, secrets: { token: true } });

    const invalid = (await handleMailPageRequest({ type: 'mail.dossier.save', dossierId: 'd1', transport: 'mailbox', sales: 'nope', purchases: undefined }, { db, fetch: fetchFn })) as { ok: boolean; error: { text: { key: string } } };
    expect(invalid.error.text.key).toBe('mail_error_bad_address');
    const saved = (await handleMailPageRequest({ type: 'mail.dossier.save', dossierId: 'd1', transport: 'mailbox', sales: 'sales@docin.octopus.be', purchases: 'scan@firm.example' }, { db, fetch: fetchFn })) as { ok: boolean; warnings: { key: string; params: string[] }[] };
    expect(saved.ok).toBe(true);
    expect(saved.warnings).toEqual([{ key: 'mail_not_octopus_warning', params: ['scan@firm.example'] }]);
    expect((await db.dossiers.get('d1'))?.mailbox).toEqual({ sales: 'sales@docin.octopus.be', purchases: 'scan@firm.example' });
  });
});

describe('mailbox transport — a CII or Factur-X source', () => {
  const ciiXml = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'cii', 'factur-x-en16931-invoice.xml'), 'utf8');
  function ciiDocument(xml = ciiXml) {
    const read = readInvoiceXml(xml);
    if (!read.ok) throw new Error(read.error.message);
    return { invoice: read.invoice, sourceXml: xml };
  }

  it('is mailed as the Peppol BIS UBL written from it, named after the document number, with a text that says what is attached', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const document = ciiDocument();
    const sent = await transport.deliver(context({ document }));
    expect(sent.text.key).toBe('mail_log_sent');
    const mail = await sink.waitFor((m) => m.messageId === idOf(sent.text));
    const xmlFile = mail.attachments.find((a) => a.contentType === 'application/xml');
    expect(xmlFile?.filename).toBe('FX-2026-0017.xml');
    const body = xmlFile!.content.toString('utf8');
    expect(body).not.toContain('CrossIndustryInvoice');
    expect(body).toContain('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(body).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>');
    const reread = readInvoiceXml(body);
    expect(reread.ok && reread.invoice.totals).toEqual(document.invoice.totals);
    expect(mail.text).toContain('- FX-2026-0017.xml: the invoice as UBL (Peppol BIS 3.0, written by octobridge from the document)');
  });

  it('the app\'s own UBL is still sent byte for byte, and said to be the app\'s', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const document = documentOf(1);
    // Its own dossier, so the relay has not seen these bytes under another message.
    const sent = await transport.deliver(context({ document, dossier: { ...dossier, id: 'd-own-ubl' } }));
    const mail = await sink.waitFor((m) => m.messageId === idOf(sent.text));
    expect(mail.attachments.find((a) => a.contentType === 'application/xml')?.content.toString('utf8')).toBe(document.sourceXml);
    expect(mail.text).toMatch(/\.xml: the invoice as UBL \(the invoicing app's own file\)/);
  });

  it('a document whose written UBL breaks the pre-flight rules is not mailed; the rules are named', async () => {
    const transport = createMailboxTransport(db, fetchFn);
    const document = ciiDocument();
    document.invoice.totals.payable = '1.00';
    const before = sink.messages.length;
    const error = await transport.deliver(context({ document })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).text).toEqual({ key: 'mail_error_preflight', params: [expect.stringContaining('BR-CO-16 (totals.payable)')] });
    expect((error as TransferError).options.retriable).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.length).toBe(before);
  });
});
