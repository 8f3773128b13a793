import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base64Encode } from '../../lib/mail/bytes';
import { composeInvoiceMail, ublBytesOf } from '../../lib/mail/compose';
import { createGraphRelay, GRAPH_MAX_MESSAGE_BYTES, GRAPH_SENDMAIL_MAX_BYTES } from '../../lib/mail/graph';
import { refreshingTokenSource, type OAuthTokens } from '../../lib/mail/oauth';
import { RelayError } from '../../lib/mail/relay';
import type { Invoice } from '../../lib/model/invoice';
import { readInvoiceXml } from '../../lib/ubl/read';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

/**
 * Graph's path for messages over sendMail's ~4 MB request, against a contract stub on 127.0.0.1 that
 * keeps a mailbox: drafts (POST /me/messages, JSON), attachments (POST with contentBytes, or upload
 * sessions whose PUTs it checks for order, size, Content-Range and the absence of Authorization, and
 * reassembles), /send, GET ?$select=isDraft, the internetMessageId filter, DELETE. Faults are scripted
 * per request kind.
 */

const MiB = 1024 * 1024;
const CHUNK_UNIT = 320 * 1024;

interface StubAttachment {
  name: string;
  contentType: string;
  bytes: Buffer;
  via: 'post' | 'session';
}
interface StubMessage {
  id: string;
  isDraft: boolean;
  internetMessageId: string;
  subject: string;
  body: { contentType: string; content: string };
  to: string[];
  attachments: StubAttachment[];
}
interface Session {
  messageId: string;
  name: string;
  contentType: string;
  size: number;
  next: number;
  parts: Buffer[];
}
interface Seen {
  kind: string;
  method: string;
  path: string;
  auth?: string | undefined;
  prefer?: string | undefined;
  range?: string | undefined;
  length: number;
  status?: number;
}
type Kind = 'token' | 'sendMail' | 'lookup' | 'draft' | 'get' | 'delete' | 'attach' | 'session' | 'chunk' | 'send';
interface Fault {
  kind: Kind;
  /** Which request of that kind (1-based) since the fault was added; default the next one. */
  nth?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Do the work, then answer with the fault (the answer is what gets lost). */
  after?: boolean;
  /** Run before the request is handled. */
  effect?: () => void;
  /** How many requests in a row it answers; default 1. */
  times?: number;
}

let server: Server;
let base: string;
const messages = new Map<string, StubMessage>();
const sessions = new Map<string, Session>();
let seen: Seen[] = [];
let faults: (Fault & { count: number })[] = [];
let validTokens = new Set<string>();
let refreshRefused = false;
let issued = 0;
let ids = 0;

const newToken = () => {
  const token = `access-${++issued}`;
  validTokens.add(token);
  return token;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const graphError = (code: string, message: string) => ({ error: { code, message } });

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stub');
      const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
      const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const kind: Kind | undefined =
        url.pathname === '/token' ? 'token'
        : req.method === 'PUT' && segments[0] === 'upload' ? 'chunk'
        : segments[0] !== 'v1.0' || segments[1] !== 'me' ? undefined
        : segments[2] === 'sendMail' && req.method === 'POST' ? 'sendMail'
        : segments[2] !== 'messages' ? undefined
        : segments.length === 3 && req.method === 'GET' ? 'lookup'
        : segments.length === 3 && req.method === 'POST' ? 'draft'
        : segments.length === 4 && req.method === 'GET' ? 'get'
        : segments.length === 4 && req.method === 'DELETE' ? 'delete'
        : segments.length === 5 && segments[4] === 'attachments' && req.method === 'POST' ? 'attach'
        : segments.length === 6 && segments[5] === 'createUploadSession' && req.method === 'POST' ? 'session'
        : segments.length === 5 && segments[4] === 'send' && req.method === 'POST' ? 'send'
        : undefined;
      if (!kind) return answer(404, graphError('NotFound', `${req.method} ${url.pathname}`));
      const record: Seen = { kind, method: req.method!, path: `${url.pathname}${url.search}`, auth: req.headers.authorization, prefer: req.headers.prefer as string | undefined, range: req.headers['content-range'] as string | undefined, length: raw.length };
      seen.push(record);
      const reply = (status: number, payload?: unknown, headers?: Record<string, string>) => {
        record.status = status;
        answer(status, payload, headers);
      };

      let fault: (Fault & { count: number }) | undefined;
      for (const f of faults) {
        if (f.kind !== kind) continue;
        f.count++;
        if (!fault && f.count >= (f.nth ?? 1)) fault = f;
      }
      if (fault && --fault.times! <= 0) faults = faults.filter((f) => f !== fault);
      fault?.effect?.();
      const faultAnswer = () => {
        if (fault!.drop) {
          record.status = 0;
          req.socket.destroy();
          return;
        }
        reply(fault!.status!, fault!.body ?? graphError('Fault', `scripted ${fault!.status}`), fault!.headers);
      };
      if (fault && !fault.after) return faultAnswer();

      if (kind === 'token') {
        const form = new URLSearchParams(raw.toString());
        if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-1' && !refreshRefused) {
          return reply(200, { access_token: newToken(), expires_in: 3600, token_type: 'Bearer' });
        }
        return reply(400, { error: 'invalid_grant', error_description: 'refresh token expired' });
      }

      if (kind === 'chunk') {
        // The pre-authenticated URL: documented to take no Authorization header.
        if (req.headers.authorization) return reply(401, graphError('InvalidAuthenticationToken', 'do not send Authorization to the upload URL'));
        if (url.searchParams.get('authtoken') !== 'pre-authenticated') return reply(401, graphError('InvalidAuthenticationToken', 'bad authtoken'));
        const session = sessions.get(segments[1]!);
        if (!session) return reply(404, graphError('ErrorItemNotFound', 'upload session not found'));
        if (req.headers['content-type'] !== 'application/octet-stream') return reply(400, graphError('ErrorInvalidRequest', 'Content-Type must be application/octet-stream'));
        if (raw.length > 4 * MiB) return reply(413, graphError('RequestEntityTooLarge', 'range over 4 MB'));
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
        if (!range) return reply(400, graphError('ErrorInvalidRequest', 'Content-Range missing'));
        const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
        if (total !== session.size || end - start + 1 !== raw.length) return reply(400, graphError('ErrorInvalidRequest', 'Content-Range does not match the body'));
        if (start !== session.next) return reply(416, graphError('ErrorInvalidRequest', `expected byte ${session.next}`));
        session.parts.push(raw);
        session.next = end + 1;
        if (session.next < session.size) {
          if (fault) return faultAnswer();
          return reply(200, { expirationDateTime: '2099-01-01T00:00:00Z', nextExpectedRanges: [`${session.next}`] });
        }
        sessions.delete(segments[1]!);
        const message = messages.get(session.messageId);
        if (!message?.isDraft) return reply(404, graphError('ErrorItemNotFound', 'the draft is gone'));
        message.attachments.push({ name: session.name, contentType: session.contentType, bytes: Buffer.concat(session.parts), via: 'session' });
        if (fault) return faultAnswer();
        return reply(201, undefined, { Location: `${base}/attachments/${message.attachments.length}` });
      }

      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer ') || !validTokens.has(auth.slice(7))) {
        return reply(401, graphError('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'));
      }
      if (raw.length > 4 * MiB) return reply(413, graphError('RequestEntityTooLarge', 'request over 4 MB'));
      const json = () => JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      const message = segments[3] !== undefined ? messages.get(segments[3]) : undefined;
      const live = (m: StubMessage | undefined): m is StubMessage => m !== undefined;

      switch (kind) {
        case 'sendMail':
          if (req.headers['content-type'] !== 'text/plain') return reply(400, graphError('ErrorMimeContentInvalid', 'text/plain expected'));
          return reply(202);
        case 'lookup': {
          const filter = /^internetMessageId eq '((?:[^']|'')*)'$/.exec(url.searchParams.get('$filter') ?? '');
          if (!filter || url.searchParams.get('$select') !== 'id,isDraft') return reply(400, graphError('BadRequest', 'unexpected query'));
          const wanted = filter[1]!.replace(/''/g, "'");
          return reply(200, { value: [...messages.values()].filter((m) => m.internetMessageId === wanted).map((m) => ({ id: m.id, isDraft: m.isDraft })) });
        }
        case 'draft': {
          if (req.headers['content-type'] !== 'application/json') return reply(415, graphError('UnsupportedMediaType', 'JSON expected'));
          const body = json() as { subject?: unknown; body?: { contentType?: unknown; content?: unknown }; toRecipients?: { emailAddress?: { address?: unknown } }[]; internetMessageId?: unknown; internetMessageHeaders?: { name: string }[] };
          if (body.internetMessageHeaders?.some((h) => !/^x-/i.test(h.name))) return reply(400, graphError('InvalidInternetMessageHeader', 'only X- headers'));
          if (typeof body.internetMessageId !== 'string' || !/^<[^<>@\s]+@[^<>@\s]+>$/.test(body.internetMessageId)) return reply(400, graphError('ErrorInvalidInternetMessageId', 'bad internetMessageId'));
          if (typeof body.subject !== 'string' || body.body?.contentType !== 'Text' || typeof body.body.content !== 'string') return reply(400, graphError('ErrorInvalidRequest', 'subject and text body expected'));
          const to = (body.toRecipients ?? []).map((r) => r.emailAddress?.address);
          if (to.length === 0 || to.some((a) => typeof a !== 'string')) return reply(400, graphError('ErrorInvalidRecipients', 'recipients expected'));
          // Ids with characters that must be escaped in a path.
          const id = `AAMk/${++ids}+draft=`;
          messages.set(id, { id, isDraft: true, internetMessageId: body.internetMessageId, subject: body.subject, body: { contentType: 'Text', content: body.body.content }, to: to as string[], attachments: [] });
          if (fault) return faultAnswer();
          return reply(201, { id, isDraft: true, internetMessageId: body.internetMessageId });
        }
        case 'get':
          if (!live(message)) return reply(404, graphError('ErrorItemNotFound', 'The specified object was not found in the store.'));
          if (url.searchParams.get('$select') !== 'isDraft') return reply(400, graphError('BadRequest', 'unexpected query'));
          return reply(200, { id: message.id, isDraft: message.isDraft });
        case 'delete':
          if (!live(message)) return reply(404, graphError('ErrorItemNotFound', 'The specified object was not found in the store.'));
          messages.delete(message.id);
          return reply(204);
        case 'attach': {
          if (!live(message) || !message.isDraft) return reply(404, graphError('ErrorItemNotFound', 'no such draft'));
          const body = json() as { '@odata.type'?: unknown; name?: unknown; contentType?: unknown; contentBytes?: unknown };
          if (body['@odata.type'] !== '#microsoft.graph.fileAttachment' || typeof body.name !== 'string' || typeof body.contentType !== 'string' || typeof body.contentBytes !== 'string') {
            return reply(400, graphError('ErrorInvalidRequest', 'fileAttachment expected'));
          }
          const bytes = Buffer.from(body.contentBytes, 'base64');
          if (bytes.length >= 3 * MiB) return reply(413, graphError('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'use an upload session over 3 MB'));
          message.attachments.push({ name: body.name, contentType: body.contentType, bytes, via: 'post' });
          return reply(201, { id: `att-${message.attachments.length}` });
        }
        case 'session': {
          if (!live(message) || !message.isDraft) return reply(404, graphError('ErrorItemNotFound', 'no such draft'));
          const item = (json() as { AttachmentItem?: { attachmentType?: unknown; name?: unknown; size?: unknown; contentType?: unknown } }).AttachmentItem;
          if (item?.attachmentType !== 'file' || typeof item.name !== 'string' || typeof item.size !== 'number' || typeof item.contentType !== 'string') {
            return reply(400, graphError('ErrorInvalidRequest', 'AttachmentItem expected'));
          }
          if (item.size > 150 * MiB) return reply(413, graphError('ErrorAttachmentSizeExceeded', 'over 150 MB'));
          const sessionId = `s${++ids}`;
          sessions.set(sessionId, { messageId: message.id, name: item.name, contentType: item.contentType, size: item.size, next: 0, parts: [] });
          return reply(201, { uploadUrl: `${base}/upload/${sessionId}?authtoken=pre-authenticated`, expirationDateTime: '2099-01-01T00:00:00Z', nextExpectedRanges: ['0-'] });
        }
        case 'send':
          if (!live(message) || !message.isDraft) return reply(404, graphError('ErrorItemNotFound', 'no such draft'));
          message.isDraft = false;
          if (fault) return faultAnswer();
          return reply(202);
      }
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  // Composing a 9 MB mail takes seconds; idle keep-alive sockets must outlive it.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});
beforeEach(() => {
  messages.clear();
  sessions.clear();
  seen = [];
  faults = [];
  validTokens = new Set();
  refreshRefused = false;
});

const fault = (f: Fault) => faults.push({ ...f, times: f.times ?? 1, count: 0 });
const kinds = () => seen.map((s) => s.kind);
const drafts = () => [...messages.values()].filter((m) => m.isDraft);
const sentMessages = () => [...messages.values()].filter((m) => !m.isDraft);

/** Deterministic bytes that look like a PDF: a header, then xorshift noise (no run the stub could compress away). */
function pdfBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode('%PDF-1.7\n'));
  let x = seed >>> 0 || 1;
  for (let i = 9; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const docs = demoDocuments.filter((d) => d.status !== 'draft');
function demoInvoice(index: number): { invoice: Invoice; sourceXml: string } {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  return { invoice: read.invoice, sourceXml: xml };
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The invoice with the given PDFs embedded: the UBL is written from the model, so it carries them too. */
async function largeMail(pdfs: { filename: string; bytes: Uint8Array }[], index = 0) {
  const { invoice } = demoInvoice(index);
  const withPdfs: Invoice = { ...invoice, attachments: pdfs.map((p, i) => ({ id: `A${i + 1}`, filename: p.filename, mimeType: 'application/pdf', contentBase64: base64Encode(p.bytes) })) };
  const mail = await composeInvoiceMail(
    { dossierId: 'd1', direction: withPdfs.direction, invoice: withPdfs, to: 'uid-1@import.octopus.be', from: { address: 'me@firm.example' }, date: new Date('2026-11-22T10:00:00Z'), generation: 0 },
    GRAPH_MAX_MESSAGE_BYTES,
  );
  return { mail, ubl: ublBytesOf(withPdfs, undefined), invoice: withPdfs };
}

/** Composing a mail with megabytes of PDF takes seconds: each is made once and shared (the stub is reset per test). */
const once = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};
const BIG_PDF = pdfBytes(9 * MiB, 7);
const SMALL_PDF = pdfBytes(120 * 1024, 11);
const nineMegabytes = once(() =>
  largeMail([
    { filename: 'scan.pdf', bytes: BIG_PDF },
    { filename: 'annex.pdf', bytes: SMALL_PDF },
  ]),
);
const fourMegabytes = once(() => largeMail([{ filename: 'scan.pdf', bytes: pdfBytes(4 * MiB, 5) }], 1));

async function smallMail(index: number) {
  const { invoice, sourceXml } = demoInvoice(index);
  return composeInvoiceMail({ dossierId: 'd1', direction: invoice.direction, invoice, sourceXml, to: 'uid-1@import.octopus.be', from: { address: 'me@firm.example' }, date: new Date('2026-11-22T10:00:00Z'), generation: 0 });
}

function relay() {
  let stored: OAuthTokens | undefined = { accessToken: newToken(), refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 };
  const tokens = refreshingTokenSource({
    fetch: (input, init) => fetch(input, init),
    tokenUrl: `${base}/token`,
    clientId: 'client-1',
    load: async () => stored,
    save: async (t) => {
      stored = t;
    },
  });
  const waits: number[] = [];
  const graph = createGraphRelay({
    tokens,
    fetch: (input, init) => fetch(input, init),
    baseUrl: base,
    timeoutMs: 20_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { graph, waits };
}

const failureOf = async (p: Promise<unknown>) => {
  const error = (await p.catch((e: unknown) => e)) as RelayError;
  expect(error).toBeInstanceOf(RelayError);
  return error;
};

/** The Content-Range sequence of one upload session, in order, as [start, end, total]. */
function rangesOf(sessionPath: string): [number, number, number][] {
  return seen
    .filter((s) => s.kind === 'chunk' && s.path.startsWith(sessionPath) && s.status !== undefined && s.status !== 0 && s.status < 300)
    .map((s) => /^bytes (\d+)-(\d+)\/(\d+)$/.exec(s.range ?? '')!.slice(1).map(Number) as [number, number, number]);
}

// Composing megabytes through the hand-written base64 takes seconds on a slow machine.
describe('Microsoft Graph: a message over the sendMail limit goes as a draft with uploaded attachments', { timeout: 120_000 }, () => {
  it('a 9 MB PDF: draft, upload sessions in ordered ranges without Authorization, a small file by POST, /send; the stub reassembles the UBL and PDFs byte for byte', async () => {
    const [big, small] = [BIG_PDF, SMALL_PDF];
    const { mail, ubl } = await nineMegabytes();
    expect(mail.raw.length).toBeGreaterThan(GRAPH_SENDMAIL_MAX_BYTES);
    const { graph } = relay();
    expect(await graph.maxMessageBytes()).toBe(35 * MiB);

    const result = await graph.send(mail);
    expect(kinds()).not.toContain('sendMail');
    expect(kinds().filter((k) => k === 'draft')).toHaveLength(1);
    expect(messages.size).toBe(1);
    const [message] = [...messages.values()];
    expect(result).toEqual({ status: 'sent', providerRef: message!.id });
    expect(message).toMatchObject({ isDraft: false, internetMessageId: mail.messageId, subject: mail.message.subject, to: ['uid-1@import.octopus.be'], body: { contentType: 'Text', content: mail.message.text } });

    // Byte for byte what compose built: the UBL (with both PDFs embedded) and each PDF.
    expect(message!.attachments.map((a) => [a.name, a.contentType, a.via])).toEqual([
      [mail.message.attachments[0]!.filename, 'application/xml', 'session'],
      ['scan.pdf', 'application/pdf', 'session'],
      ['annex.pdf', 'application/pdf', 'post'],
    ]);
    expect(ubl.length).toBeGreaterThan(12 * MiB);
    expect(sha(message!.attachments[0]!.bytes)).toBe(sha(ubl));
    expect(sha(message!.attachments[1]!.bytes)).toBe(sha(big));
    expect(Buffer.compare(message!.attachments[2]!.bytes, Buffer.from(small))).toBe(0);

    // Each session: contiguous ranges from 0 to the end, ≤ 4 MB, multiples of 320 KiB but the last, no Authorization.
    const chunks = seen.filter((s) => s.kind === 'chunk');
    expect(chunks.every((c) => c.auth === undefined)).toBe(true);
    const sessionPaths = [...new Set(chunks.map((c) => c.path.split('?')[0]!))];
    expect(sessionPaths).toHaveLength(2);
    for (const [i, path] of sessionPaths.entries()) {
      const ranges = rangesOf(path);
      const total = i === 0 ? ubl.length : big.length;
      expect(ranges[0]![0]).toBe(0);
      expect(ranges.at(-1)![1]).toBe(total - 1);
      for (const [j, [start, end, size]] of ranges.entries()) {
        expect(size).toBe(total);
        if (j > 0) expect(start).toBe(ranges[j - 1]![1] + 1);
        expect(end - start + 1).toBeLessThanOrEqual(4 * MiB);
        if (j < ranges.length - 1) expect((end - start + 1) % CHUNK_UNIT).toBe(0);
      }
    }
    // Every Graph API call asks for immutable ids (the sent copy keeps the draft's id) and carries the token.
    const apiCalls = seen.filter((s) => s.kind !== 'chunk');
    expect(apiCalls.every((s) => s.prefer === 'IdType="ImmutableId"' && s.auth?.startsWith('Bearer '))).toBe(true);
    expect(kinds().filter((k) => k !== 'chunk')).toEqual(['lookup', 'draft', 'session', 'session', 'attach', 'send']);
  });

  it('a message under the limit still goes by sendMail in MIME mode, with no draft', async () => {
    const mail = await smallMail(0);
    expect(mail.raw.length).toBeLessThanOrEqual(GRAPH_SENDMAIL_MAX_BYTES);
    const { graph } = relay();
    expect(await graph.send(mail)).toEqual({ status: 'sent' });
    expect(kinds()).toEqual(['sendMail']);
    expect(messages.size).toBe(0);
    expect(await graph.sendState(mail)).toBe('unknown');
    expect(graph.alreadySent).toBeUndefined();
  });

  it('a 503 on an upload range, and a range whose connection drops, are sent again in the same draft', async () => {
    const big = BIG_PDF;
    const { mail } = await nineMegabytes();
    // The UBL's second range is refused; the PDF's first range loses its connection (chunk requests
    // counted from the first: the UBL's ranges, one of them twice, then the PDF's).
    const ublRanges = Math.ceil(mail.message.attachments[0]!.content.length / (10 * CHUNK_UNIT));
    fault({ kind: 'chunk', nth: 2, status: 503, headers: { 'Retry-After': '2' } });
    fault({ kind: 'chunk', nth: ublRanges + 2, drop: true });
    const { graph, waits } = relay();
    expect((await graph.send(mail)).status).toBe('sent');
    expect(kinds().filter((k) => k === 'draft')).toHaveLength(1);
    expect(kinds().filter((k) => k === 'session')).toHaveLength(2);
    expect(waits[0]).toBe(2000);
    expect(waits).toHaveLength(2);
    const refused = seen.find((s) => s.kind === 'chunk' && s.status === 503)!;
    expect(seen.filter((s) => s.kind === 'chunk' && s.range === refused.range)).toHaveLength(2);
    const [message] = [...messages.values()];
    expect(message!.isDraft).toBe(false);
    expect(sha(message!.attachments[1]!.bytes)).toBe(sha(big));
    expect(sha(message!.attachments[0]!.bytes)).toBe(sha(mail.message.attachments[0]!.content));
  });

  it('a 413 on a range is too-large, and the draft is deleted', async () => {
    const { mail } = await fourMegabytes();
    fault({ kind: 'chunk', nth: 3, status: 413, body: graphError('RequestEntityTooLarge', 'The request is too large') });
    const { graph } = relay();
    const error = await failureOf(graph.send(mail));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain('HTTP 413 The request is too large');
    expect(kinds()).toContain('delete');
    expect(kinds()).not.toContain('send');
    expect(messages.size).toBe(0);
  });

  it('Exchange refusing the size at /send is too-large; a 400 there is rejected; either way the draft goes', async () => {
    const { mail } = await fourMegabytes();
    const { graph } = relay();
    fault({ kind: 'send', status: 400, body: graphError('ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.') });
    expect((await failureOf(graph.send(mail))).kind).toBe('too-large');
    expect(messages.size).toBe(0);
    fault({ kind: 'send', status: 400, body: graphError('ErrorInvalidRecipients', 'Invalid recipients') });
    const rejected = await failureOf(graph.send(mail));
    expect([rejected.kind, rejected.message]).toEqual(['rejected', 'Microsoft Graph send: HTTP 400 Invalid recipients']);
    expect(messages.size).toBe(0);
  });

  it('range after range answered 503 gives up as transient (nothing sent) and deletes the draft', async () => {
    const { mail } = await fourMegabytes();
    fault({ kind: 'chunk', status: 503, times: 4 });
    const { graph, waits } = relay();
    const error = await failureOf(graph.send(mail));
    expect(error.kind).toBe('transient');
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(kinds().filter((k) => k === 'chunk')).toHaveLength(4);
    expect(messages.size).toBe(0);
  });

  it('a 429 on a range with a long Retry-After is left to the engine: rate-limited with the wait, no sleeping in the worker, the draft deleted', async () => {
    const { mail } = await fourMegabytes();
    fault({ kind: 'chunk', nth: 2, status: 429, headers: { 'Retry-After': '120' } });
    const { graph, waits } = relay();
    const error = await failureOf(graph.send(mail));
    expect([error.kind, error.options.retryAfterMs]).toEqual(['rate-limited', 120_000]);
    expect(waits).toEqual([]);
    expect(messages.size).toBe(0);
  });

  it('a 401 half-way: renewed once and carried on in the same draft; when the refresh is refused it is auth, and the next attempt replaces the leftover draft', async () => {
    const { mail } = await fourMegabytes();
    // The token is revoked just before the first upload session is asked for.
    fault({ kind: 'session', status: 401, body: graphError('InvalidAuthenticationToken', 'revoked'), effect: () => validTokens.clear() });
    expect((await relay().graph.send(mail)).status).toBe('sent');
    expect(kinds().filter((k) => k === 'draft')).toHaveLength(1);
    expect(kinds().filter((k) => k === 'token')).toHaveLength(1);
    expect(sentMessages()).toHaveLength(1);

    messages.clear();
    seen = [];
    refreshRefused = true;
    fault({ kind: 'session', effect: () => validTokens.clear(), status: 401, body: graphError('InvalidAuthenticationToken', 'revoked') });
    const error = await failureOf(relay().graph.send(mail));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/invalid_grant|refresh token expired/);
    expect(kinds()).not.toContain('send');
    // The token is gone, so the draft could not be removed now…
    expect(drafts()).toHaveLength(1);
    const leftover = drafts()[0]!.id;

    // …the next attempt (signed in again) finds it by our Message-ID, deletes it and sends one message.
    refreshRefused = false;
    seen = [];
    expect((await relay().graph.send(mail)).status).toBe('sent');
    expect(kinds().slice(0, 3)).toEqual(['lookup', 'delete', 'draft']);
    expect(messages.has(leftover)).toBe(false);
    expect(drafts()).toHaveLength(0);
    expect(sentMessages()).toHaveLength(1);
  });

  it('a 403 on the draft path (consent given before Mail.ReadWrite was asked for) is auth and says to sign in again', async () => {
    const { mail } = await fourMegabytes();
    fault({ kind: 'lookup', status: 403, body: graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.') });
    const error = await failureOf(relay().graph.send(mail));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('Mail.ReadWrite');
    expect(messages.size).toBe(0);
  });

  it('an unknown outcome of /send keeps the draft; Graph then says whether it went, and sending again is a duplicate, not a second message', async () => {
    const { mail } = await fourMegabytes();
    // It went, but the answer is lost.
    fault({ kind: 'send', after: true, status: 504, body: graphError('GatewayTimeout', 'gateway timeout') });
    const { graph } = relay();
    expect((await failureOf(graph.send(mail))).kind).toBe('unknown-outcome');
    expect(kinds()).not.toContain('delete');
    const [message] = [...messages.values()];
    // The same relay asks by the draft's (immutable) id.
    seen = [];
    expect(await graph.sendState(mail)).toBe('sent');
    expect(seen.map((s) => [s.kind, s.path])).toEqual([['get', `/v1.0/me/messages/${encodeURIComponent(message!.id)}?$select=isDraft`]]);
    // A new relay (the worker restarted) finds it by our Message-ID.
    expect(await relay().graph.sendState(mail)).toBe('sent');
    seen = [];
    expect(await relay().graph.send(mail)).toEqual({ status: 'duplicate', providerRef: message!.id });
    expect(kinds()).toEqual(['lookup']);
    expect(messages.size).toBe(1);
  });

  it('an unknown outcome of /send that did not go: the draft says so, and the next send replaces it and sends once', async () => {
    const { mail } = await fourMegabytes();
    fault({ kind: 'send', drop: true });
    const { graph } = relay();
    expect((await failureOf(graph.send(mail))).kind).toBe('unknown-outcome');
    expect(drafts()).toHaveLength(1);
    expect(await graph.sendState(mail)).toBe('not-sent');
    expect(await relay().graph.sendState(mail)).toBe('not-sent');
    expect((await relay().graph.send(mail)).status).toBe('sent');
    expect(drafts()).toHaveLength(0);
    expect(sentMessages()).toHaveLength(1);
    // Nothing under our Message-ID at all: Graph cannot tell (a draft just sent is briefly in neither folder).
    messages.clear();
    expect(await relay().graph.sendState(mail)).toBe('unknown');
  });
});
