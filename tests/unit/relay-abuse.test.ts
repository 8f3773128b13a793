import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { relayToken, startRelay, type RelayConfig, type RunningRelay } from '../../lib/relay/server';
import type { AccessLogEntry } from '../../lib/relay/access-log';
import { MemoryStore } from '../../lib/relay/store';
import { createHttpRelay } from '../../lib/mail/http-relay';
import { RelayError } from '../../lib/mail/relay';
import { createMailboxTransport, toMailTransferError } from '../../lib/transfer/mailbox-transport';
import { TransferError } from '../../lib/transfer/transport';
import { LedgerDb } from '../../lib/ledger/db';
import type { Dossier } from '../../lib/model/dossier';
import { readInvoiceXml } from '../../lib/ubl/read';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

/**
 * The relay as an attacker holding a token meets it: other recipients, another sender, addresses that
 * reroute mail, bad escapes, floods of messages and of bytes. Every refusal is checked at the SMTP
 * sink too: nothing refused may arrive.
 */

const ANNE_TOKEN = 'anne-token-0123456789abcdef';
const BOB_TOKEN = 'bob-token-0123456789abcdefgh';
const ANNE = 'anne@firm.example';
const BOB = 'bob@firm.example';
const ANNE_MAILBOX = 'uid-008352-24@import.octopus.be';

let sink: MailSink;
let slowSink: MailSink;
const running: RunningRelay[] = [];

beforeAll(async () => {
  sink = await startMailSink();
  slowSink = await startMailSink({ answerDelayMs: 1500 });
});
afterAll(async () => {
  for (const r of running) await r.close();
  await sink?.close();
  await slowSink?.close();
});

async function relay(overrides: Partial<RelayConfig> = {}, now?: () => number) {
  const lines: string[] = [];
  const config: RelayConfig = {
    host: '127.0.0.1',
    port: 0,
    tokens: [
      // Anne may mail her dossier's mailbox only; Bob any mailbox under import.octopus.be.
      relayToken({ name: 'anne', token: ANNE_TOKEN, from: ANNE, recipients: [ANNE_MAILBOX] }),
      relayToken({ name: 'bob', token: BOB_TOKEN, from: BOB, domains: ['import.octopus.be'] }),
    ],
    smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    maxMessageBytes: 5 * 1024 * 1024,
    store: new MemoryStore(),
    smtpTimeoutMs: 10_000,
    ...overrides,
  };
  const r = await startRelay(config, { logger: { write: (line) => lines.push(line) }, ...(now ? { now } : {}) });
  running.push(r);
  const log = () => lines.map((l) => JSON.parse(l) as AccessLogEntry);
  return { ...r, lines, log };
}

/** A small RFC 5322 message; `padding` adds lines of text to make it large. */
function message(options: { from?: string; id?: string; padding?: number; extraHeaders?: string } = {}) {
  const id = options.id ?? `<${randomUUID()}@firm.example>`;
  const lines = `${'x'.repeat(76)}\r\n`.repeat(Math.ceil((options.padding ?? 0) / 78));
  const raw = Buffer.from(`From: Kantoor <${options.from ?? ANNE}>\r\nTo: ${ANNE_MAILBOX}\r\nMessage-ID: ${id}\r\nSubject: invoice\r\n${options.extraHeaders ?? ''}\r\nhello\r\n${lines}`);
  return { id, raw };
}

interface Post {
  token?: string;
  to?: string;
  envelopeFrom?: string | null;
  raw?: Buffer;
  key?: string;
}

async function post(url: string, p: Post = {}) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${p.token ?? ANNE_TOKEN}`,
    'Content-Type': 'message/rfc822',
    'Idempotency-Key': p.key ?? `key-${randomUUID()}`,
    'X-Envelope-To': p.to ?? ANNE_MAILBOX,
  };
  if (p.envelopeFrom !== null) headers['X-Envelope-From'] = p.envelopeFrom ?? ANNE;
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: (p.raw ?? message().raw) as Uint8Array<ArrayBuffer> });
  const body = (await response.json()) as { error?: string; status?: string };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

/** A request written byte for byte, for what fetch would refuse to send (control characters, broken escapes, no length). */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => ok(answer));
    socket.on('error', fail);
  });
}

const arrived = (id: string) => [...sink.messages, ...slowSink.messages].filter((m) => m.messageId === id);

describe('the relay against a token holder who tries to abuse it', () => {
  it('lets a token mail only its own recipients', async () => {
    const r = await relay();
    const own = message();
    expect((await post(r.url, { raw: own.raw })).status).toBe(202);
    await sink.waitFor((m) => m.messageId === own.id);

    const other = message();
    const refused = await post(r.url, { to: 'uid-000001-01@import.octopus.be', raw: other.raw });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("recipient not allowed: uid-000001-01@import.octopus.be (not among this token's mailboxes or domains)");
    // A list with one allowed and one other recipient is refused whole.
    expect((await post(r.url, { to: `${ANNE_MAILBOX},uid-000001-01@import.octopus.be`, raw: other.raw })).status).toBe(403);
    // Bob's domain list: any mailbox under import.octopus.be, nothing under another octopus.be host.
    expect((await post(r.url, { token: BOB_TOKEN, envelopeFrom: BOB, to: 'uid-000001-01@import.octopus.be', raw: message({ from: BOB }).raw })).status).toBe(202);
    const elsewhere = message({ from: BOB });
    expect((await post(r.url, { token: BOB_TOKEN, envelopeFrom: BOB, to: 'boss@octopus.be', raw: elsewhere.raw })).status).toBe(403);

    // The extension says so in the user's language, and does not retry.
    const client = createHttpRelay({ url: r.url, token: ANNE_TOKEN, fetch: (input, init) => fetch(input, init) });
    const viaClient = (await client
      .send({ dedupKey: `key-${randomUUID()}`, messageId: other.id, envelopeFrom: ANNE, to: ['uid-000001-01@import.octopus.be'], raw: other.raw, message: {} as never })
      .catch((e: unknown) => e)) as RelayError;
    expect([viaClient.kind, viaClient.options.status]).toEqual(['rejected', 403]);
    const shown = toMailTransferError(viaClient, 'relay');
    expect([shown.text.key, shown.options.retriable]).toEqual(['mail_error_relay_forbidden', false]);

    const limits = (await (await fetch(`${r.url}/v1/limits`, { headers: { Authorization: `Bearer ${ANNE_TOKEN}` } })).json()) as Record<string, unknown>;
    expect(limits).toMatchObject({ from: ANNE, recipients: [ANNE_MAILBOX], domains: [], allow: [ANNE_MAILBOX] });
    await new Promise((ok) => setTimeout(ok, 200));
    expect(arrived(other.id)).toHaveLength(0);
    expect(arrived(elsewhere.id)).toHaveLength(0);
  });

  it("sends only as the token's sender: another envelope or header From is refused, none given takes the token's", async () => {
    const r = await relay();
    const refusals = [
      { envelopeFrom: 'ceo@firm.example', raw: message().raw },
      { envelopeFrom: BOB, raw: message().raw },
      { raw: message({ from: 'ceo@firm.example' }).raw },
      { raw: Buffer.from(`From: <${ANNE}>, <ceo@firm.example>\r\nMessage-ID: <two-${randomUUID()}@firm.example>\r\n\r\nhi\r\n`) },
      { raw: Buffer.from(`From: <${ANNE}>\r\nFrom: <ceo@firm.example>\r\nMessage-ID: <twice-${randomUUID()}@firm.example>\r\n\r\nhi\r\n`) },
      { raw: message({ extraHeaders: 'Sender: ceo@firm.example\r\n' }).raw },
      { raw: message({ extraHeaders: 'From : ceo@firm.example\r\n' }).raw },
      // A display name that looks like an address does not hide another one.
      { raw: message({ from: 'ceo@firm.example' }).raw.toString('latin1').replace('From: Kantoor', `From: "${ANNE}"`) },
    ];
    for (const refusal of refusals) {
      const raw = typeof refusal.raw === 'string' ? Buffer.from(refusal.raw, 'latin1') : refusal.raw;
      const answer = await post(r.url, { ...refusal, raw });
      expect(answer.status, raw.toString('latin1').slice(0, 80)).toBe(403);
      expect(answer.body.error).toMatch(/^sender not allowed: .*anne@firm\.example/);
    }
    const quoted = message();
    const withName = Buffer.from(quoted.raw.toString('latin1').replace('From: Kantoor', 'From: "Kantoor, <Anne>"'), 'latin1');
    expect((await post(r.url, { envelopeFrom: null, raw: withName })).status).toBe(202);
    const got = await sink.waitFor((m) => m.messageId === quoted.id);
    expect(got.envelope.mailFrom).toBe(ANNE);
    expect(sink.messages.filter((m) => /ceo@firm/.test(m.from ?? '') || m.envelope.mailFrom !== ANNE && m.envelope.mailFrom !== BOB)).toHaveLength(0);
  });

  it('refuses addresses that can reroute mail with 400 and says why', async () => {
    const r = await relay({ tokens: [relayToken({ name: 'anne', token: ANNE_TOKEN, from: ANNE, domains: ['octopus.be', '*.octopus.be'] })] });
    const cases: [string, RegExp][] = [
      ['victim%gmail.com@octopus.be', /"%" is not accepted/],
      ['"a@b"@octopus.be', /quoted local parts/],
      ['a!b@octopus.be', /"!" is not accepted/],
      ['a@b@octopus.be', /exactly one "@"/],
      ['(comment)a@octopus.be', /comments/],
      ['@relay.octopus.be:victim@gmail.com', /source routes/],
      ['a@[127.0.0.1]', /IP addresses/],
      ['a@127.0.0.1', /IP addresses/],
      ['<a@octopus.be>', /angle brackets/],
      ["a'b@octopus.be", /letters, digits/],
    ];
    for (const [address, why] of cases) {
      const answer = await post(r.url, { to: address });
      expect(answer.status, address).toBe(400);
      expect(answer.body.error, address).toMatch(why);
    }
    // A control character cannot be sent by fetch; written raw, it is refused the same way (or by Node's parser).
    const control = await rawHttp(
      r.port,
      `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ANNE_TOKEN}\r\nContent-Type: message/rfc822\r\nIdempotency-Key: control-key-1\r\nX-Envelope-To: a\u0001b@octopus.be\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(control).toMatch(/^HTTP\/1\.1 400 /);
    expect(r.log().at(-1)).toMatchObject({ status: 400, token: '-' });
    expect(sink.messages.some((m) => m.envelope.rcptTo.some((to) => !/^[a-z0-9.-]+@[a-z0-9.-]+$/i.test(to)))).toBe(false);
  });

  it('answers a bad %-escape, a bad URL, no length and a malformed message with 400/411, never 500', async () => {
    const r = await relay();
    const get = (path: string) => rawHttp(r.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ANNE_TOKEN}\r\nConnection: close\r\n\r\n`);
    const escape = await get('/v1/messages/%E0%A4%A');
    expect(escape).toMatch(/^HTTP\/1\.1 400 /);
    expect(escape).toContain('bad %-escape');
    expect(await get('/v1/messages/%ZZkeykeykey')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await get('/v1/messages/short')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await get('//')).toMatch(/^HTTP\/1\.1 (400|404) /);
    expect(await get('/v1/messages/never-sent-key')).toMatch(/^HTTP\/1\.1 404 /);
    const chunked = await rawHttp(
      r.port,
      `POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ANNE_TOKEN}\r\nContent-Type: message/rfc822\r\nIdempotency-Key: chunked-key-1\r\nX-Envelope-To: ${ANNE_MAILBOX}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 411 /);
    expect((await post(r.url, { raw: Buffer.from('From: anne@firm.example\r\nno blank line and no Message-ID') })).status).toBe(400);
    expect(r.log().every((entry) => entry.status !== 500)).toBe(true);
  });

  it('does not read the body of a request without a valid token: 401 and the connection is closed', async () => {
    const r = await relay();
    // Headers announcing 20 MB, and not a byte of body: the answer and the close must come without it.
    const answer = await new Promise<string>((ok, fail) => {
      const socket = connect(r.port, '127.0.0.1', () =>
        socket.write(`POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token-000000000\r\nContent-Type: message/rfc822\r\nContent-Length: 20000000\r\n\r\n`),
      );
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        fail(new Error(`the relay kept the connection open to read the body; got: ${text.slice(0, 60)}`));
      }, 3000);
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => {
        clearTimeout(timer);
        ok(text);
      });
      socket.on('error', () => undefined);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('limits each token to its rate with 429 and Retry-After, and the extension takes it as "try later"', async () => {
    let clock = Date.parse('2026-12-08T10:00:00Z');
    const r = await relay({ limits: { perMinute: 2, burst: 2 } }, () => clock);
    expect((await post(r.url)).status).toBe(202);
    expect((await post(r.url)).status).toBe(202);
    const third = await post(r.url);
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe('30');
    // Another token has its own bucket.
    expect((await post(r.url, { token: BOB_TOKEN, envelopeFrom: BOB, raw: message({ from: BOB }).raw })).status).toBe(202);

    const client = createHttpRelay({ url: r.url, token: ANNE_TOKEN, fetch: (input, init) => fetch(input, init) });
    const mail = message();
    const error = (await client
      .send({ dedupKey: `key-${randomUUID()}`, messageId: mail.id, envelopeFrom: ANNE, to: [ANNE_MAILBOX], raw: mail.raw, message: {} as never })
      .catch((e: unknown) => e)) as RelayError;
    expect(error).toBeInstanceOf(RelayError);
    expect(error.kind).toBe('rate-limited');
    expect(error.options.retryAfterMs).toBe(30_000);
    const transfer = toMailTransferError(error, 'relay');
    // Back-pressure: the engine queues it again after Retry-After without using an attempt (ledger-engine.test.ts).
    expect(transfer.options).toMatchObject({ retriable: true, retryAfterMs: 30_000, backPressure: true });
    expect(transfer.options.outcomeUnknown).toBeFalsy();

    clock += 30_000;
    expect((await post(r.url)).status).toBe(202);
    expect((await post(r.url)).status).toBe(429);
  });

  it('after a 429 the other queued documents wait out Retry-After without uploading to the relay', async () => {
    const r = await relay({ limits: { perMinute: 1, burst: 1 } });
    const db = new LedgerDb(`relay-abuse-${randomUUID()}`);
    try {
      await db.mailAccounts.put({ id: 'default', kind: 'http-relay', url: r.url, from: ANNE });
      await db.mailSecrets.put({ id: 'default', boundUrl: r.url, token: ANNE_TOKEN });
      const dossier: Dossier = { id: 'd1', name: 'Demo BV', octopusDossierId: 1, connectionId: 'c1', transport: 'mailbox', journals: { sales: 'V1', purchases: 'A1' }, defaultAccounts: { sales: '700000', purchases: '604000' }, vatCodeOverrides: {}, mailbox: { sales: ANNE_MAILBOX } };
      const sales = demoDocuments.filter((d) => d.status !== 'draft' && d.invoice.direction === 'sales');
      const transport = createMailboxTransport(db, (input, init) => fetch(input, init));
      const deliver = (index: number) => {
        const xml = ublOf(sales[index]!);
        const read = readInvoiceXml(xml);
        if (!read.ok) throw new Error('demo UBL unreadable');
        const transfer = { id: `t${index}`, documentKey: `site/${index}`, site: 'site', origin: 'http://127.0.0.1', adapter: 'factuurdemo', documentId: String(index), transport: 'mailbox' as const, state: 'sending' as const, createdAt: '2026-12-08T10:00:00Z', updatedAt: '2026-12-08T10:00:00Z', attempts: 1, log: [] };
        return transport.deliver({ transfer, dossier, document: { invoice: read.invoice, sourceXml: xml }, outcomeUnknown: false, force: false }).catch((e: unknown) => e as TransferError);
      };
      expect(await deliver(0)).toMatchObject({ text: { key: 'mail_log_sent' } });
      const limited = (await deliver(1)) as TransferError;
      expect(limited).toBeInstanceOf(TransferError);
      expect(limited.options).toMatchObject({ retriable: true, backPressure: true, retryAfterMs: 60_000 });
      const requests = r.lines.length;
      const waiting = (await deliver(2)) as TransferError;
      expect(waiting.options.backPressure).toBe(true);
      expect(waiting.options.retryAfterMs).toBeGreaterThan(50_000);
      expect(waiting.options.retryAfterMs).toBeLessThanOrEqual(60_000);
      // Not a request more: neither the limits nor the message went to the relay.
      expect(r.lines.length).toBe(requests);
      expect(r.log().filter((e) => e.route === '/v1/messages').map((e) => e.status)).toEqual([202, 429]);
    } finally {
      db.close();
      await Dexie.delete(db.name);
    }
  });

  it('caps sends in progress: beyond the cap 503 with Retry-After while the mail server is slow', async () => {
    const r = await relay({ smtpUrl: `smtp://127.0.0.1:${slowSink.port}`, limits: { maxConcurrent: 2, perMinute: 1000, burst: 100 } });
    const started = Date.now();
    const slow = [post(r.url), post(r.url)];
    // The later ones leave once the first two are surely being sent.
    await new Promise((ok) => setTimeout(ok, 300));
    const later = await Promise.all([post(r.url), post(r.url)]);
    const client = createHttpRelay({ url: r.url, token: ANNE_TOKEN, fetch: (input, init) => fetch(input, init) });
    const mail = message();
    const busy = (await client
      .send({ dedupKey: `key-${randomUUID()}`, messageId: mail.id, envelopeFrom: ANNE, to: [ANNE_MAILBOX], raw: mail.raw, message: {} as never })
      .catch((e: unknown) => e)) as RelayError;
    const answers = [...(await Promise.all(slow)), ...later];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 503, 503]);
    expect(later.map((a) => a.retryAfter)).toEqual(['5', '5']);
    expect(later[0]!.body.status).toBe('busy');
    expect(later[0]!.body.error).toMatch(/too many messages are being sent at once/);
    // The extension takes the relay's "busy" as back-pressure, like a rate limit, not as a mail server failure.
    expect([busy.kind, busy.options.retryAfterMs]).toEqual(['rate-limited', 5000]);
    expect(toMailTransferError(busy, 'relay').options.backPressure).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(arrived(mail.id)).toHaveLength(0);
    // The slots come back: a send after them goes.
    expect((await post(r.url)).status).toBe(202);
  });

  it('bounds the bytes in flight: of 8 large sends at once only what fits is read, the rest is refused unread', async () => {
    const size = 3 * 1024 * 1024;
    const r = await relay({ smtpUrl: `smtp://127.0.0.1:${slowSink.port}`, maxMessageBytes: 4 * 1024 * 1024, limits: { maxConcurrent: 8, maxInFlightBytes: 8 * 1024 * 1024, perMinute: 1000, burst: 100 } });
    const mails = Array.from({ length: 8 }, () => message({ padding: size }));
    const answers = await Promise.all(mails.map((m) => post(r.url, { raw: m.raw })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 202, 503, 503, 503, 503, 503, 503]);
    for (const busy of answers.filter((a) => a.status === 503)) {
      expect(busy.retryAfter).toBe('5');
      expect(busy.body.error).toMatch(/too many bytes/);
    }
    const posts = r.log().filter((e) => e.route === '/v1/messages');
    // The refused ones were never kept: none of their bytes was read into the relay.
    expect(posts.filter((e) => e.outcome === 'busy').map((e) => e.bytes)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(posts.filter((e) => e.outcome === 'sent').map((e) => e.bytes)).toEqual([mails[0]!.raw.length, mails[0]!.raw.length]);
    // A message over the size limit is refused on its Content-Length, before a byte is read.
    const huge = await post(r.url, { raw: message({ padding: 5 * 1024 * 1024 }).raw });
    expect(huge.status).toBe(413);
    expect(r.log().at(-1)).toMatchObject({ status: 413, outcome: 'too-large', bytes: 0 });
  });

  it('writes one access line per request: token name, counts, bytes, status, time; never the token, the body or a local part', async () => {
    const r = await relay();
    const sent = message();
    await post(r.url, { raw: sent.raw });
    await post(r.url, { to: 'uid-000001-01@import.octopus.be' });
    await post(r.url, { token: 'wrong-token-000000000000' });
    await fetch(`${r.url}/v1/messages/%E0%A4%A`, { headers: { Authorization: `Bearer ${ANNE_TOKEN}` } });
    await new Promise((ok) => setTimeout(ok, 50));
    const log = r.log();
    expect(r.lines).toHaveLength(4);
    expect(log.map((e) => [e.token, e.route, e.status, e.outcome, e.recipients, e.domains])).toEqual([
      ['anne', '/v1/messages', 202, 'sent', 1, ['import.octopus.be']],
      ['anne', '/v1/messages', 403, 'forbidden', 1, ['import.octopus.be']],
      ['-', '/v1/messages', 401, 'unauthorized', 0, []],
      ['anne', '/v1/messages/:key', 400, 'bad-request', 0, []],
    ]);
    expect(log[0]!.bytes).toBe(sent.raw.length);
    for (const entry of log) {
      expect(Date.parse(entry.time)).toBeGreaterThan(Date.now() - 60_000);
      expect(entry.ms).toBeGreaterThanOrEqual(0);
    }
    const text = r.lines.join('\n');
    for (const secret of [ANNE_TOKEN, 'wrong-token-000000000000', 'uid-008352-24', 'uid-000001-01', 'hello', sent.id]) expect(text).not.toContain(secret);
  });
});
