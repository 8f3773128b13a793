import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTransport, type Transporter } from 'nodemailer';
import { addressAllowed, isAddress } from '../mail/address';
import { JsonFileStore, MemoryStore, type IdempotencyStore, type SendRecord } from './store';

/**
 * The reference relay a firm runs for the extension: HTTPS (behind the firm's reverse proxy) in,
 * the firm's own SMTP out. It sends a message at most once per Idempotency-Key, only to allowed
 * recipients (so it is never an open relay), and leaves the message bytes as they are (our
 * Message-ID stays). Contract: lib/relay/README.md.
 */

export interface RelayConfig {
  host: string;
  port: number;
  /** Bearer tokens, one per user or office; a hash of the token separates their keys. */
  tokens: string[];
  /** nodemailer SMTP URL of the firm's own server, e.g. smtp://user:pass@smtp.firm.be:587. */
  smtpUrl: string;
  /** Addresses, domains or "*.domain" patterns a message may go to. */
  allow: string[];
  maxMessageBytes: number;
  /** The envelope sender the SMTP server accepts; else the client's X-Envelope-From. */
  envelopeFrom?: string;
  store: IdempotencyStore;
  /** How long the SMTP exchange may take before the answer is "unknown". */
  smtpTimeoutMs: number;
}

export interface RunningRelay {
  url: string;
  port: number;
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
const DEFAULT_MAX = 25 * 1024 * 1024;

/** The configuration from environment variables (README); a missing or bad one is a clear error. */
export function configFromEnv(env: Record<string, string | undefined>): RelayConfig {
  const problems: string[] = [];
  const tokens = (env.RELAY_TOKENS ?? env.RELAY_TOKEN ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tokens.length === 0) problems.push('RELAY_TOKENS: at least one bearer token is needed');
  if (tokens.some((t) => t.length < 16)) problems.push('RELAY_TOKENS: tokens must be at least 16 characters');
  const smtpUrl = env.RELAY_SMTP_URL ?? '';
  if (!/^smtps?:\/\//.test(smtpUrl)) problems.push('RELAY_SMTP_URL: an smtp:// or smtps:// URL is needed');
  const allow = (env.RELAY_ALLOW ?? '*.octopus.be,octopus.be').split(',').map((p) => p.trim()).filter(Boolean);
  const maxMessageBytes = env.RELAY_MAX_BYTES ? Number(env.RELAY_MAX_BYTES) : DEFAULT_MAX;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1024) problems.push('RELAY_MAX_BYTES: a whole number of bytes (≥ 1024)');
  const port = env.RELAY_PORT ? Number(env.RELAY_PORT) : 5630;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('RELAY_PORT: a port number');
  if (env.RELAY_FROM && !isAddress(env.RELAY_FROM)) problems.push('RELAY_FROM: an e-mail address');
  const keepDays = env.RELAY_KEEP_DAYS ? Number(env.RELAY_KEEP_DAYS) : 30;
  if (!(keepDays >= 7)) problems.push('RELAY_KEEP_DAYS: at least 7');
  if (problems.length > 0) throw new Error(`relay configuration:\n  ${problems.join('\n  ')}`);
  return {
    host: env.RELAY_HOST ?? '127.0.0.1',
    port,
    tokens,
    smtpUrl,
    allow,
    maxMessageBytes,
    ...(env.RELAY_FROM ? { envelopeFrom: env.RELAY_FROM } : {}),
    store: env.RELAY_STORE ? new JsonFileStore(env.RELAY_STORE, keepDays * 86_400_000) : new MemoryStore(),
    smtpTimeoutMs: env.RELAY_SMTP_TIMEOUT_MS ? Number(env.RELAY_SMTP_TIMEOUT_MS) : 60_000,
  };
}

/** smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the start); ?requireTLS=true insists on STARTTLS. */
export function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
  };
}

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** The header block of a message: Message-ID and From must be there, and a blank line after it. */
function headerOf(raw: Buffer): { messageId?: string; ok: boolean } {
  const text = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return { ok: false };
  const unfolded = text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const messageId = /^message-id:\s*(<[^>\s]+>)\s*$/im.exec(unfolded)?.[1];
  return { messageId, ok: Boolean(messageId) && /^from:/im.test(unfolded) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Read on to the end without keeping it: the client gets its 413 instead of a reset connection.
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks);
}

function summary(record: SendRecord, key: string) {
  return { id: key, status: record.status, messageId: record.messageId, recipients: record.recipients, sentAt: record.sentAt };
}

export async function startRelay(config: RelayConfig, options: { transport?: Transporter } = {}): Promise<RunningRelay> {
  const transport: Transporter =
    options.transport ??
    createTransport({ ...smtpOptions(config.smtpUrl), connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: config.smtpTimeoutMs });
  const tokenDigests = config.tokens.map((t) => sha256(t));
  const inFlight = new Map<string, Promise<void>>();

  /** The tenant of a request (a hash of its token), or undefined when the token is not known. */
  function tenantOf(req: IncomingMessage): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return undefined;
    const digest = sha256(match[1]!);
    return tokenDigests.some((known) => timingSafeEqual(known, digest)) ? digest.toString('hex').slice(0, 16) : undefined;
  }

  async function post(req: IncomingMessage, res: ServerResponse, tenant: string): Promise<void> {
    const clientKey = String(req.headers['idempotency-key'] ?? '');
    if (!KEY.test(clientKey)) {
      req.resume();
      return json(res, 400, { error: 'an Idempotency-Key header of 8 to 200 characters [A-Za-z0-9._:-] is required' });
    }
    const recipients = String(req.headers['x-envelope-to'] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    const invalid = recipients.filter((r) => !isAddress(r));
    const refused = recipients.filter((r) => isAddress(r) && !addressAllowed(r, config.allow));
    const sender = config.envelopeFrom ?? String(req.headers['x-envelope-from'] ?? '').trim();
    let problem: string | undefined;
    if (recipients.length === 0) problem = 'X-Envelope-To names no recipient';
    else if (recipients.length > 10) problem = 'at most 10 recipients';
    else if (invalid.length > 0) problem = `not an e-mail address: ${invalid.join(', ')}`;
    else if (refused.length > 0) problem = `recipient not allowed by this relay: ${refused.join(', ')}`;
    else if (!isAddress(sender)) problem = 'X-Envelope-From is not an e-mail address';
    else if (!/^message\/rfc822\b/i.test(req.headers['content-type'] ?? '')) problem = 'Content-Type must be message/rfc822';
    if (problem) {
      req.resume();
      return json(res, 422, { error: problem, status: 'rejected' });
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    const body = declared > config.maxMessageBytes ? 'too-large' : await readBody(req, config.maxMessageBytes);
    if (body === 'too-large') {
      if (declared > config.maxMessageBytes) req.resume();
      return json(res, 413, { error: `message larger than ${config.maxMessageBytes} bytes`, limit: config.maxMessageBytes });
    }
    const header = headerOf(body);
    if (!header.ok) return json(res, 422, { error: 'not an RFC 5322 message with From and Message-ID headers', status: 'rejected' });

    const key = `${tenant}:${clientKey}`;
    // Two requests with one key at once: the second waits for the first and then sees its record.
    while (inFlight.has(key)) await inFlight.get(key);
    const digest = sha256(body).toString('hex');
    const existing = config.store.get(key);
    if (existing) {
      if (existing.digest !== digest) return json(res, 422, { error: 'this Idempotency-Key was used for another message', status: 'rejected' });
      if (existing.status === 'sent') return json(res, 202, { ...summary(existing, clientKey), status: 'duplicate' });
      return json(res, 409, { ...summary(existing, clientKey), error: 'an earlier send with this key was cut off; it may have gone out' });
    }
    let done!: () => void;
    inFlight.set(key, new Promise<void>((ok) => (done = ok)));
    try {
      const record: SendRecord = { key, status: 'sending', digest, messageId: header.messageId, recipients, createdAt: new Date().toISOString() };
      config.store.put(record);
      try {
        const info = await transport.sendMail({ envelope: { from: sender, to: recipients }, raw: body });
        const sent: SendRecord = { ...record, status: 'sent', sentAt: new Date().toISOString(), response: String(info.response ?? '') };
        config.store.put(sent);
        return json(res, 202, { ...summary(sent, clientKey), status: 'sent' });
      } catch (error) {
        const smtp = error as { responseCode?: number; response?: string; code?: string; command?: string; message?: string };
        const said = smtp.response ?? smtp.message ?? String(error);
        if (smtp.responseCode && smtp.responseCode >= 500) {
          config.store.delete(key);
          return json(res, 422, { error: `the mail server refused the message: ${said}`, status: 'rejected' });
        }
        // A refusal before DATA, or no connection at all: the message certainly did not leave.
        if (smtp.responseCode || smtp.command === 'CONN' || smtp.code === 'ECONNECTION' || smtp.code === 'EDNS') {
          config.store.delete(key);
          return json(res, 503, { error: `the mail server cannot take the message now: ${said}`, status: 'not-sent' }, { 'Retry-After': '60' });
        }
        // Cut off during the exchange: the server may have taken it.
        config.store.put({ ...record, status: 'unknown', response: said });
        return json(res, 504, { error: `no answer from the mail server: ${said}`, status: 'unknown' });
      }
    } finally {
      inFlight.delete(key);
      done();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (req.method === 'GET' && url.pathname === '/healthz') return json(res, 200, { ok: true });
    const tenant = tenantOf(req);
    if (!tenant) {
      req.resume();
      return json(res, 401, { error: 'a valid bearer token is required' }, { 'WWW-Authenticate': 'Bearer' });
    }
    if (req.method === 'GET' && url.pathname === '/v1/limits') {
      return json(res, 200, { maxMessageBytes: config.maxMessageBytes, allow: config.allow });
    }
    const one = /^\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const clientKey = decodeURIComponent(one[1]!);
      const key = `${tenant}:${clientKey}`;
      const record = config.store.get(key);
      if (!record) return json(res, 404, { error: 'no message under this key', status: 'not-found' });
      return json(res, 200, summary(record, clientKey));
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages') return post(req, res, tenant);
    req.resume();
    return json(res, 404, { error: 'not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
        transport.close();
      }),
  };
}

// `npm run relay`: configured by environment variables (lib/relay/README.md).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const config = configFromEnv(process.env);
    const relay = await startRelay(config);
    console.log(`octobridge relay on ${relay.url} → ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}; recipients allowed: ${config.allow.join(', ')}`);
    const stop = () => void relay.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}
