import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../sandbox/mail-sink';
import { configFromEnv, hashToken, relayToken, startRelay, type RelayConfig, type RunningRelay } from '../../lib/relay/server';
import { JsonFileStore, MemoryStore } from '../../lib/relay/store';
import { createHttpRelay } from '../../lib/mail/http-relay';
import { composeInvoiceMail, type InvoiceMail } from '../../lib/mail/compose';
import { RelayError } from '../../lib/mail/relay';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';
import { readInvoiceXml } from '../../lib/ubl/read';

const TOKEN = 'test-token-0123456789abcdef';
const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
let sink: MailSink;
const running: RunningRelay[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  for (const r of running) await r.close();
  await sink?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function config(overrides: Partial<RelayConfig> = {}): RelayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    tokens: [relayToken({ name: 'office', token: TOKEN, from: 'office@firm.example', domains: ['*.octopus.be'] })],
    smtpUrl: `smtp://${sink.host}:${sink.port}`,
    maxMessageBytes: 5 * 1024 * 1024,
    store: new MemoryStore(),
    smtpTimeoutMs: 10_000,
    ...overrides,
  };
}

async function relay(overrides: Partial<RelayConfig> = {}) {
  // The access log is checked in relay-abuse.test.ts; here it is kept off the test output.
  const r = await startRelay(config(overrides), { logger: { write: () => undefined } });
  running.push(r);
  return r;
}

const docs = demoDocuments.filter((d) => d.status !== 'draft');
async function mailOf(index: number, to = 'uid-008352-24@import.octopus.be', generation = 0): Promise<InvoiceMail> {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('unreadable demo UBL');
  return composeInvoiceMail({ dossierId: 'd1', direction: 'sales', invoice: read.invoice, sourceXml: xml, to, from: { address: 'office@firm.example' }, date: new Date('2026-11-22T10:00:00Z'), generation });
}

const delivered = (messageId: string) => sink.messages.filter((m) => m.messageId === messageId);

describe('reference relay with an SMTP sink', () => {
  it('delivers the bytes as built: Message-ID kept, UBL and PDF identical, envelope as asked', async () => {
    const r = await relay();
    const client = createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn });
    const mail = await mailOf(0);
    expect(await client.alreadySent(mail)).toBe(false);
    expect(await client.send(mail)).toEqual({ status: 'sent', providerRef: mail.dedupKey });
    const got = await sink.waitFor((m) => m.messageId === mail.messageId);
    expect(got.raw.equals(Buffer.from(mail.raw))).toBe(true);
    expect(got.envelope).toEqual({ mailFrom: 'office@firm.example', rcptTo: ['uid-008352-24@import.octopus.be'] });
    const xml = ublOf(docs[0]!);
    expect(got.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
    expect(got.attachments[0]!.content.toString('utf8')).toBe(xml);
    const read = readInvoiceXml(xml);
    const pdf = read.ok ? read.invoice.attachments[0]!.contentBase64 : '';
    expect(got.attachments[1]!.content.equals(Buffer.from(pdf, 'base64'))).toBe(true);
    expect(await client.alreadySent(mail)).toBe(true);
    expect(await client.maxMessageBytes()).toBe(5 * 1024 * 1024);
  });

  it('delivers a duplicate send once, also when both come at the same moment', async () => {
    const r = await relay();
    const client = createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn });
    const mail = await mailOf(1);
    const answers = await Promise.all([client.send(mail), client.send(mail), client.send(mail)]);
    expect(answers.map((a) => a.status).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    expect((await client.send(mail)).status).toBe('duplicate');
    await sink.waitFor((m) => m.messageId === mail.messageId);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(delivered(mail.messageId)).toHaveLength(1);
    // An explicit "send again" is another key and another Message-ID: it goes.
    const again = await mailOf(1, undefined, 1);
    expect((await client.send(again)).status).toBe('sent');
    await sink.waitFor((m) => m.messageId === again.messageId);
  });

  it('answers 413 above the size limit, and the client says so', async () => {
    const r = await relay({ maxMessageBytes: 20_000 });
    const client = createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn });
    const mail = await mailOf(2);
    expect(mail.size).toBeGreaterThan(20_000);
    const error = await client.send(mail).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).kind).toBe('too-large');
    expect((error as RelayError).options.status).toBe(413);
    expect(delivered(mail.messageId)).toHaveLength(0);
    expect(await client.alreadySent(mail)).toBe(false);
  });

  it('refuses a recipient outside the allow-list, a wrong token and a reused key: nothing is sent', async () => {
    const r = await relay();
    const client = createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn });
    const outside = await mailOf(3, 'someone@gmail.example');
    const refused = (await client.send(outside).catch((e: unknown) => e)) as RelayError;
    expect(refused.kind).toBe('rejected');
    expect(refused.message).toMatch(/not allowed.*someone@gmail\.example/);

    const wrong = createHttpRelay({ url: r.url, token: 'not-the-token-0000000', fetch: fetchFn });
    const denied = (await wrong.send(await mailOf(3)).catch((e: unknown) => e)) as RelayError;
    expect(denied.kind).toBe('auth');

    const first = await mailOf(4);
    await client.send(first);
    const other = { ...(await mailOf(5)), dedupKey: first.dedupKey };
    const reused = (await client.send(other).catch((e: unknown) => e)) as RelayError;
    expect(reused.kind).toBe('rejected');
    expect(reused.message).toMatch(/another message/);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(delivered(outside.messageId)).toHaveLength(0);
    expect(delivered(other.messageId)).toHaveLength(0);

    const raw = await fetch(`${r.url}/v1/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'message/rfc822', 'Idempotency-Key': 'abcdefgh1', 'X-Envelope-From': 'office@firm.example', 'X-Envelope-To': 'x@import.octopus.be' },
      body: 'no headers here',
    });
    expect(raw.status).toBe(400);
  });

  it('keeps its keys in a JSON file across restarts; a send cut off by a crash is never sent again by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-store-'));
    dirs.push(dir);
    const path = join(dir, 'keys.json');
    const first = await relay({ store: new JsonFileStore(path, 7 * 86_400_000) });
    const mail = await mailOf(6);
    await createHttpRelay({ url: first.url, token: TOKEN, fetch: fetchFn }).send(mail);
    await first.close();
    const second = await relay({ store: new JsonFileStore(path, 7 * 86_400_000) });
    const client = createHttpRelay({ url: second.url, token: TOKEN, fetch: fetchFn });
    expect((await client.send(mail)).status).toBe('duplicate');
    expect(delivered(mail.messageId)).toHaveLength(1);

    // The file as a crash mid-send leaves it: the record still says "sending".
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { records: { status: string; key: string }[] };
    // Keys are filed under the start of the token's sha256, as the first version did: an older file keeps working.
    expect(saved.records.map((record) => record.key)).toEqual([`${createHash('sha256').update(TOKEN).digest('hex').slice(0, 16)}:${mail.dedupKey}`]);
    for (const record of saved.records) record.status = 'sending';
    writeFileSync(path, JSON.stringify(saved));
    const third = await relay({ store: new JsonFileStore(path, 7 * 86_400_000) });
    const after = createHttpRelay({ url: third.url, token: TOKEN, fetch: fetchFn });
    const unknown = (await after.send(mail).catch((e: unknown) => e)) as RelayError;
    expect(unknown.kind).toBe('unknown-outcome');
    expect(((await after.alreadySent(mail).catch((e: unknown) => e)) as RelayError).kind).toBe('unknown-outcome');
    expect(delivered(mail.messageId)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the SMTP server is down, and forgets the key so a retry sends', async () => {
    const down = await startMailSink();
    const port = down.port;
    await down.close();
    const r = await relay({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const client = createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn });
    const mail = await mailOf(7);
    const error = (await client.send(mail).catch((e: unknown) => e)) as RelayError;
    expect(error.kind).toBe('transient');
    expect(error.options.retryAfterMs).toBe(60_000);
    expect(await client.alreadySent(mail)).toBe(false);
  });

  it('says "outcome unknown" when the relay never answers, and "transient" when nobody listens', async () => {
    const silent: Server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const client = createHttpRelay({ url, token: TOKEN, fetch: fetchFn, timeoutMs: 300 });
    const error = (await client.send(await mailOf(8)).catch((e: unknown) => e)) as RelayError;
    expect(error.kind).toBe('unknown-outcome');
    silent.closeAllConnections();
    await new Promise((ok) => silent.close(ok));
    const nobody = createHttpRelay({ url, token: TOKEN, fetch: fetchFn, timeoutMs: 300 });
    expect(((await nobody.send(await mailOf(8)).catch((e: unknown) => e)) as RelayError).kind).toBe('transient');
  });

  it('sends with a token configured by its hash only, as the file gives it', async () => {
    const entry = { name: 'office', sha256: hashToken(TOKEN).toUpperCase(), from: 'office@firm.example', recipients: ['uid-008352-24@import.octopus.be'] };
    const fromEnv = configFromEnv({ RELAY_TOKENS_JSON: JSON.stringify({ tokens: [entry] }), RELAY_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, RELAY_PORT: '0' });
    const r = await startRelay(fromEnv, { logger: { write: () => undefined } });
    running.push(r);
    const mail = await mailOf(9);
    expect(await createHttpRelay({ url: r.url, token: TOKEN, fetch: fetchFn }).send(mail)).toEqual({ status: 'sent', providerRef: mail.dedupKey });
    await sink.waitFor((m) => m.messageId === mail.messageId);
    const other = createHttpRelay({ url: r.url, token: `${TOKEN}x`, fetch: fetchFn });
    expect(((await other.send(await mailOf(10)).catch((e: unknown) => e)) as RelayError).kind).toBe('auth');
  });

  it('reads its tokens from a file or the environment, hashed, and says what is wrong', () => {
    const smtp = { RELAY_SMTP_URL: 'smtp://127.0.0.1:25' };
    expect(() => configFromEnv({})).toThrow(/RELAY_TOKENS_FILE[\s\S]*RELAY_SMTP_URL/);
    // The first version's plain tokens (any sender, any allowed recipient) are refused with the way out.
    expect(() => configFromEnv({ ...smtp, RELAY_TOKENS: TOKEN })).toThrow(/RELAY_TOKENS: plain tokens are no longer accepted/);
    const entry = { name: 'anne', sha256: hashToken(TOKEN), from: 'anne@firm.example', recipients: ['uid-008352-24@import.octopus.be'] };
    const files: Record<string, string> = { '/etc/relay/tokens.json': JSON.stringify({ tokens: [entry, { ...entry, name: 'bob', sha256: hashToken(`${TOKEN}2`), recipients: [], domains: ['Import.Octopus.be'], perMinute: 5 }] }) };
    const ok = configFromEnv({ ...smtp, RELAY_TOKENS_FILE: '/etc/relay/tokens.json', RELAY_MAX_BYTES: '1048576' }, (p) => files[p]!);
    expect(ok.tokens.map((t) => [t.name, t.from, t.recipients, t.domains, t.perMinute])).toEqual([
      ['anne', 'anne@firm.example', ['uid-008352-24@import.octopus.be'], [], undefined],
      ['bob', 'anne@firm.example', [], ['import.octopus.be'], 5],
    ]);
    expect(JSON.stringify(ok.tokens)).not.toContain(TOKEN);
    expect(ok.maxMessageBytes).toBe(1_048_576);
    expect(ok.limits).toEqual({ perMinute: 30, burst: 10, maxConcurrent: 4, maxInFlightBytes: 2 * 1_048_576 });

    const bad = (tokens: unknown[]) => () => configFromEnv({ ...smtp, RELAY_TOKENS_JSON: JSON.stringify({ tokens }) });
    expect(bad([{ ...entry, sha256: TOKEN }])).toThrow(/tokens\.0\.sha256: the sha256 of the token/);
    expect(bad([{ ...entry, from: 'a%b@firm.example' }])).toThrow(/tokens\.0\.from: "a%b@firm\.example": "%" is not accepted/);
    expect(bad([{ ...entry, recipients: [] }])).toThrow(/at least one recipient or domain/);
    expect(bad([entry, { ...entry, sha256: hashToken('x'.repeat(20)) }])).toThrow(/"anne" is used twice/);
    expect(bad([{ ...entry, token: TOKEN }])).toThrow(/Unrecognized key/i);
    expect(() => configFromEnv({ ...smtp, RELAY_TOKENS_JSON: '{tokens' })).toThrow(/RELAY_TOKENS_JSON: not JSON/);
    expect(() => configFromEnv({ ...smtp, RELAY_TOKENS_JSON: JSON.stringify({ tokens: [entry] }), RELAY_MAX_BYTES: '1048576', RELAY_MAX_INFLIGHT_BYTES: '1000' })).toThrow(
      /RELAY_MAX_INFLIGHT_BYTES: .*at least RELAY_MAX_BYTES/,
    );
  });
});
