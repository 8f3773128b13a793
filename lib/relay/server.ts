import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTransport, type Transporter } from 'nodemailer';
import { formatAccessLine, stdoutLogger, type AccessLogEntry, type RelayLogger } from './access-log';
import { addressProblem, domainPart } from './address';
import { configFromEnv, limitsOf, smtpOptions, type RelayConfig } from './config';
import { Admission, RateLimiter } from './limits';
import { headerOf, mailboxOf } from './message';
import type { SendRecord } from './store';
import { newToken, recipientAllowed, tokenMatcher, type RelayToken } from './tokens';

export { configFromEnv, smtpOptions, type RelayConfig } from './config';
export { hashToken, relayToken, type RelayToken } from './tokens';

/**
 * The reference relay a firm runs for the extension: HTTPS (behind the firm's reverse proxy) in,
 * the firm's own SMTP out. It sends a message at most once per Idempotency-Key, only as the token's
 * own sender and only to the token's recipients (so it is never an open relay), within a rate per
 * token and a global cap on sends and bytes in progress, and leaves the message bytes as they are
 * (our Message-ID stays). Contract: lib/relay/README.md.
 */

export interface RunningRelay {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface RelayOptions {
  transport?: Transporter;
  /** Where the access log goes; stdout by default. */
  logger?: RelayLogger;
  now?: () => number;
}

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
/** How long a client waits after "busy" (sends or bytes in flight at their cap). */
const BUSY_RETRY_SECONDS = 5;
const MAX_RECIPIENTS = 10;

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

/** What the access log needs to know of one request, filled in as it is handled. */
interface Exchange {
  token?: RelayToken;
  route: string;
  outcome: string;
  key?: string;
  recipients: string[];
  bytes: number;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Reads exactly `size` bytes into one buffer (no second copy); undefined when the client went away first. */
async function readBody(req: IncomingMessage, size: number, exchange: Exchange): Promise<Buffer | undefined> {
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      // Node's parser stops at Content-Length; the check keeps the copy inside the buffer whatever comes.
      if (at + chunk.length > size) return undefined;
      chunk.copy(body, at);
      at += chunk.length;
      exchange.bytes = at;
    }
  } catch {
    return undefined;
  }
  return at === size ? body : undefined;
}

/**
 * Keys are per token, so two tokens never see each other's sends. The prefix is the start of the token's
 * sha256, as the first version had it, so a store file written before keeps its keys.
 */
const storeKey = (token: RelayToken, clientKey: string) => `${token.sha256.slice(0, 16)}:${clientKey}`;

function summary(record: SendRecord, key: string) {
  return { id: key, status: record.status, messageId: record.messageId, recipients: record.recipients, sentAt: record.sentAt };
}

export async function startRelay(config: RelayConfig, options: RelayOptions = {}): Promise<RunningRelay> {
  const transport: Transporter =
    options.transport ??
    createTransport({ ...smtpOptions(config.smtpUrl), connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: config.smtpTimeoutMs });
  // Tokens built in code (tests, the sandbox) skip the file's checks: the addresses that reach SMTP are checked here too.
  for (const token of config.tokens) {
    const bad = [token.from, ...token.recipients].find((address) => addressProblem(address));
    if (bad) throw new Error(`relay token "${token.name}": "${bad}": ${addressProblem(bad)}`);
  }
  const logger = options.logger ?? stdoutLogger;
  const now = options.now ?? Date.now;
  const limits = limitsOf(config);
  const matchToken = tokenMatcher(config.tokens);
  const rate = new RateLimiter(now);
  const admission = new Admission(limits);
  const inFlight = new Map<string, Promise<void>>();

  /**
   * Answers and notes the outcome for the log. A token holder's body not read yet is drained (bounded by its
   * rate) so the client gets the answer, not a reset; without a valid token the connection is closed instead.
   */
  function answer(req: IncomingMessage, res: ServerResponse, exchange: Exchange, status: number, outcome: string, body: unknown, headers: Record<string, string> = {}) {
    exchange.outcome = outcome;
    if (exchange.token) {
      if (!req.readableEnded) req.resume();
      json(res, status, body, headers);
    } else {
      json(res, status, body, { ...headers, Connection: 'close' });
    }
  }

  function tokenOf(req: IncomingMessage): RelayToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return match ? matchToken(match[1]!) : undefined;
  }

  async function post(req: IncomingMessage, res: ServerResponse, token: RelayToken, exchange: Exchange): Promise<void> {
    const refuse = (status: number, outcome: string, error: string, headers: Record<string, string> = {}) =>
      answer(req, res, exchange, status, outcome, { error, status: 'rejected' }, headers);

    // Charged before anything else, refusals included, so a token cannot probe the relay at speed either.
    const waitMs = rate.take(token.name, token.perMinute ?? limits.perMinute, token.burst ?? limits.burst);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      return answer(req, res, exchange, 429, 'rate-limited', { error: `too many messages for this token; try again in ${seconds} s`, status: 'not-sent' }, { 'Retry-After': String(seconds) });
    }
    const clientKey = String(req.headers['idempotency-key'] ?? '');
    if (!KEY.test(clientKey)) return refuse(400, 'bad-request', 'an Idempotency-Key header of 8 to 200 characters [A-Za-z0-9._:-] is required');
    exchange.key = clientKey;
    if (!/^message\/rfc822\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return refuse(415, 'bad-request', 'Content-Type must be message/rfc822');

    const recipients = String(req.headers['x-envelope-to'] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    if (recipients.length === 0) return refuse(400, 'bad-request', 'X-Envelope-To names no recipient');
    if (recipients.length > MAX_RECIPIENTS) return refuse(400, 'bad-request', `at most ${MAX_RECIPIENTS} recipients`);
    for (const recipient of recipients) {
      const problem = addressProblem(recipient);
      if (problem) return refuse(400, 'bad-request', `recipient refused: ${problem}`);
    }
    exchange.recipients = recipients;
    const outside = recipients.filter((r) => !recipientAllowed(token, r));
    if (outside.length > 0) return refuse(403, 'forbidden', `recipient not allowed: ${outside.join(', ')} (not among this token's mailboxes or domains)`);
    // The sender is the token's: a request naming another is refused, not rewritten, so a misconfigured
    // account shows up at once and the message bytes stay exactly as the extension built them.
    const claimed = String(req.headers['x-envelope-from'] ?? '').trim();
    if (claimed && claimed.toLowerCase() !== token.from.toLowerCase()) {
      return refuse(403, 'forbidden', `sender not allowed: this token sends only as ${token.from}`);
    }

    const length = req.headers['content-length'];
    if (length === undefined) return refuse(411, 'bad-request', 'a Content-Length header is required');
    if (!/^\d{1,15}$/.test(length)) return refuse(400, 'bad-request', 'Content-Length is not a number of bytes');
    const size = Number(length);
    if (size > config.maxMessageBytes) {
      return answer(req, res, exchange, 413, 'too-large', { error: `message larger than ${config.maxMessageBytes} bytes`, limit: config.maxMessageBytes, status: 'rejected' });
    }
    const slot = admission.enter(size);
    if ('refused' in slot) {
      const why = slot.refused === 'concurrency' ? 'too many messages are being sent at once' : 'too many bytes are being sent at once';
      return answer(req, res, exchange, 503, 'busy', { error: `the relay is busy (${why}); try again in ${BUSY_RETRY_SECONDS} s`, status: 'busy' }, { 'Retry-After': String(BUSY_RETRY_SECONDS) });
    }
    try {
      const body = await readBody(req, size, exchange);
      if (!body) {
        exchange.outcome = 'aborted';
        res.destroy();
        return;
      }
      await deliver(req, res, token, exchange, body, clientKey, recipients);
    } finally {
      slot.release();
    }
  }

  async function deliver(req: IncomingMessage, res: ServerResponse, token: RelayToken, exchange: Exchange, body: Buffer, clientKey: string, recipients: string[]) {
    const header = headerOf(body);
    if (!header.ok) return answer(req, res, exchange, 400, 'bad-request', { error: 'not an RFC 5322 message with From and Message-ID headers', status: 'rejected' });
    const fromAddress = header.from.length === 1 ? mailboxOf(header.from[0]!) : undefined;
    const senders = header.sender.map(mailboxOf);
    if (fromAddress?.toLowerCase() !== token.from.toLowerCase() || senders.some((s) => s?.toLowerCase() !== token.from.toLowerCase())) {
      return answer(req, res, exchange, 403, 'forbidden', { error: `sender not allowed: the message's From must be ${token.from} alone`, status: 'rejected' });
    }

    const key = storeKey(token, clientKey);
    // Two requests with one key at once: the second waits for the first and then sees its record.
    while (inFlight.has(key)) await inFlight.get(key);
    const digest = sha256(body).toString('hex');
    const existing = config.store.get(key);
    if (existing) {
      if (existing.digest !== digest) return answer(req, res, exchange, 422, 'rejected', { error: 'this Idempotency-Key was used for another message', status: 'rejected' });
      if (existing.status === 'sent') return answer(req, res, exchange, 202, 'duplicate', { ...summary(existing, clientKey), status: 'duplicate' });
      return answer(req, res, exchange, 409, 'unknown', { ...summary(existing, clientKey), error: 'an earlier send with this key was cut off; it may have gone out' });
    }
    let done!: () => void;
    inFlight.set(key, new Promise<void>((ok) => (done = ok)));
    try {
      const record: SendRecord = { key, status: 'sending', digest, messageId: header.messageId, recipients, createdAt: new Date(now()).toISOString() };
      config.store.put(record);
      try {
        const info = await transport.sendMail({ envelope: { from: config.envelopeFrom ?? token.from, to: recipients }, raw: body });
        const sent: SendRecord = { ...record, status: 'sent', sentAt: new Date(now()).toISOString(), response: String(info.response ?? '') };
        config.store.put(sent);
        return answer(req, res, exchange, 202, 'sent', { ...summary(sent, clientKey), status: 'sent' });
      } catch (error) {
        const smtp = error as { responseCode?: number; response?: string; code?: string; command?: string; message?: string };
        const said = smtp.response ?? smtp.message ?? String(error);
        if (smtp.responseCode && smtp.responseCode >= 500) {
          config.store.delete(key);
          return answer(req, res, exchange, 422, 'smtp-refused', { error: `the mail server refused the message: ${said}`, status: 'rejected' });
        }
        // A refusal before DATA, or no connection at all: the message certainly did not leave.
        if (smtp.responseCode || smtp.command === 'CONN' || smtp.code === 'ECONNECTION' || smtp.code === 'EDNS') {
          config.store.delete(key);
          return answer(req, res, exchange, 503, 'smtp-unavailable', { error: `the mail server cannot take the message now: ${said}`, status: 'not-sent' }, { 'Retry-After': '60' });
        }
        // Cut off during the exchange: the server may have taken it.
        config.store.put({ ...record, status: 'unknown', response: said });
        return answer(req, res, exchange, 504, 'unknown', { error: `no answer from the mail server: ${said}`, status: 'unknown' });
      }
    } finally {
      inFlight.delete(key);
      done();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://relay');
    } catch {
      return answer(req, res, exchange, 400, 'bad-request', { error: 'the request URL is not valid' });
    }
    const one = /^\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    exchange.route = url.pathname === '/healthz' || url.pathname === '/v1/limits' || url.pathname === '/v1/messages' ? url.pathname : one ? '/v1/messages/:key' : 'other';
    if (req.method === 'GET' && url.pathname === '/healthz') return answer(req, res, exchange, 200, 'ok', { ok: true });
    const token = tokenOf(req);
    if (!token) return answer(req, res, exchange, 401, 'unauthorized', { error: 'a valid bearer token is required' }, { 'WWW-Authenticate': 'Bearer' });
    exchange.token = token;
    if (req.method === 'GET' && url.pathname === '/v1/limits') {
      return answer(req, res, exchange, 200, 'ok', {
        maxMessageBytes: config.maxMessageBytes,
        from: token.from,
        recipients: token.recipients,
        domains: token.domains,
        allow: [...token.recipients, ...token.domains],
        perMinute: token.perMinute ?? limits.perMinute,
        burst: token.burst ?? limits.burst,
      });
    }
    if (req.method === 'GET' && one) {
      let clientKey: string;
      try {
        clientKey = decodeURIComponent(one[1]!);
      } catch {
        return answer(req, res, exchange, 400, 'bad-request', { error: 'the key in the URL has a bad %-escape' });
      }
      if (!KEY.test(clientKey)) return answer(req, res, exchange, 400, 'bad-request', { error: 'a key is 8 to 200 characters [A-Za-z0-9._:-]' });
      exchange.key = clientKey;
      const record = config.store.get(storeKey(token, clientKey));
      if (!record) return answer(req, res, exchange, 404, 'not-found', { error: 'no message under this key', status: 'not-found' });
      return answer(req, res, exchange, 200, 'found', summary(record, clientKey));
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages') return post(req, res, token, exchange);
    return answer(req, res, exchange, 404, 'not-found', { error: 'not found' });
  }

  const server = createServer((req, res) => {
    const started = now();
    const exchange: Exchange = { route: 'other', outcome: 'aborted', recipients: [], bytes: 0 };
    res.once('close', () => {
      const entry: AccessLogEntry = {
        time: new Date(started).toISOString(),
        token: exchange.token?.name ?? '-',
        method: String(req.method ?? '').slice(0, 10),
        route: exchange.route,
        status: res.headersSent ? res.statusCode : 0,
        outcome: exchange.outcome,
        ...(exchange.key ? { key: exchange.key } : {}),
        recipients: exchange.recipients.length,
        domains: [...new Set(exchange.recipients.map(domainPart))],
        bytes: exchange.bytes,
        ms: now() - started,
      };
      try {
        logger.write(formatAccessLine(entry));
      } catch {
        // A broken log sink must not take the relay down.
      }
    });
    handle(req, res, exchange).catch(() => {
      exchange.outcome = 'error';
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // What Node's HTTP parser refuses never becomes a request: answered and logged here, so every request has its line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const entry: AccessLogEntry = { time: new Date(now()).toISOString(), token: '-', method: '-', route: 'other', status, outcome: 'malformed-http', recipients: 0, domains: [], bytes: 0, ms: 0 };
    try {
      logger.write(formatAccessLine(entry));
    } catch {
      // A broken log sink must not take the relay down.
    }
    socket.end(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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

/** `npm run relay -- new-token NAME FROM [MAILBOX|DOMAIN…]`: a fresh token and its entry for the token file. */
function printNewToken(args: string[]): void {
  const [name, from, ...allowed] = args;
  if (!name || !from || addressProblem(from)) {
    console.error('usage: npm run relay -- new-token NAME FROM [MAILBOX|DOMAIN…]   (FROM: the address this token sends as)');
    process.exit(2);
  }
  const { token, sha256: hash } = newToken();
  const entry = { name, sha256: hash, from, recipients: allowed.filter((a) => a.includes('@')), domains: allowed.filter((a) => !a.includes('@')) };
  console.log(`token (give it to the user; it is not stored anywhere):\n  ${token}\nentry for the token file:\n  ${JSON.stringify(entry)}`);
}

// `npm run relay`: configured by environment variables (lib/relay/README.md).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv[2] === 'new-token') {
    printNewToken(process.argv.slice(3));
  } else {
    try {
      const config = configFromEnv(process.env);
      const relay = await startRelay(config);
      const limits = limitsOf(config);
      console.error(
        `octobridge relay on ${relay.url} → ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}; ${config.tokens.length} token(s): ${config.tokens.map((t) => t.name).join(', ')}; ` +
          `${limits.perMinute}/min (burst ${limits.burst}) per token, ${limits.maxConcurrent} sends and ${limits.maxInFlightBytes} bytes at once`,
      );
      const stop = () => void relay.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    }
  }
}
