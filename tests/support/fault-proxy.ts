import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small fault-injecting HTTP proxy for tests, put in front of a real peer on 127.0.0.1 (the mail relay). It
 * forwards every request unchanged, and, at the rates it is given, answers a 5xx instead of the peer (before the
 * request reaches it, or after the peer handled it and its answer is thrown away), or forwards the request, lets the
 * peer handle it, and then drops the connection without a byte of answer: the client cannot tell whether it went.
 *
 * Every answer carries `Connection: close`, so each request comes on a fresh connection: Chromium silently sends a
 * request again when a reused keep-alive connection dies before the answer, which would hide a dropped answer.
 * Every request is recorded with what was done to it.
 */

export interface StatusFault {
  status: number;
  /** before: the peer never sees the request; after: the peer handled it and its answer is replaced. */
  phase: 'before' | 'after';
}

export interface FaultPlan {
  /** Share of all requests answered with one of `statuses` (picked at random). */
  statusProbability: number;
  statuses: StatusFault[];
  /** Which requests may get a status fault (default: all). */
  statusWhen?: (method: string, path: string) => boolean;
  /** Share of the matching requests forwarded, handled by the peer, and then left without an answer. */
  dropProbability: number;
  /** Which requests may be dropped after the peer handled them (default: all). */
  dropWhen?: (method: string, path: string) => boolean;
}

export interface ProxyRecord {
  seq: number;
  method: string;
  path: string;
  /** The request's Idempotency-Key, or the key in GET /v1/messages/{key}. */
  key?: string;
  fault?: 'status' | 'drop';
  phase?: 'before' | 'after';
  /** What the client got (0: nothing, the connection was dropped). */
  status: number;
  /** What the peer answered, when the request reached it. */
  upstreamStatus?: number;
  /** The `status` field of the peer's JSON answer, when there was one (e.g. "sent", "duplicate"). */
  upstreamState?: string;
  /** The proxy's own failure (the peer unreachable). */
  error?: string;
  at: string;
}

export interface FaultProxy {
  url: string;
  port: number;
  records: ProxyRecord[];
  /** Starts (or changes) the faults; undefined forwards everything untouched. */
  setFaults(plan: FaultPlan | undefined): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  return out;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function keyOf(req: IncomingMessage, path: string): string | undefined {
  const header = req.headers['idempotency-key'];
  if (typeof header === 'string' && header) return header;
  const one = /^\/v1\/messages\/([^/]+)$/.exec(path);
  return one ? decodeURIComponent(one[1]!) : undefined;
}

function stateOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { status?: unknown };
    return typeof parsed.status === 'string' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

export async function startFaultProxy(options: { target: string; random: () => number; host?: string; port?: number }): Promise<FaultProxy> {
  const target = new URL(options.target);
  const host = options.host ?? '127.0.0.1';
  const records: ProxyRecord[] = [];
  let plan: FaultPlan | undefined;
  let seq = 0;

  function answer(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length), Connection: 'close' });
    res.end(bytes);
  }

  function faultAnswer(res: ServerResponse, fault: StatusFault): void {
    // No Retry-After: the client's own backoff decides (a reverse proxy's error page carries none either).
    answer(res, fault.status, { 'Content-Type': 'text/html' }, `<html><body><h1>${fault.status}</h1>Injected by the test proxy</body></html>`);
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...forwardable(req.headers), 'Content-Length': String(body.length), Connection: 'close' },
        },
        (response) => {
          readAll(response).then((bytes) => resolve({ status: response.statusCode ?? 502, headers: forwardable(response.headers), body: bytes }), reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const key = keyOf(req, path);
    const record: ProxyRecord = { seq: ++seq, method, path, ...(key ? { key } : {}), status: 0, at: new Date().toISOString() };
    records.push(record);
    const body = await readAll(req);

    const current = plan;
    let statusFault: StatusFault | undefined;
    let drop = false;
    if (current) {
      if (current.statuses.length > 0 && (current.statusWhen?.(method, path) ?? true) && options.random() < current.statusProbability) {
        statusFault = current.statuses[Math.floor(options.random() * current.statuses.length)]!;
      } else if ((current.dropWhen?.(method, path) ?? true) && options.random() < current.dropProbability) {
        drop = true;
      }
    }

    if (statusFault?.phase === 'before') {
      Object.assign(record, { fault: 'status', phase: 'before', status: statusFault.status });
      return faultAnswer(res, statusFault);
    }
    let upstream: Awaited<ReturnType<typeof forward>>;
    try {
      upstream = await forward(req, body);
    } catch (error) {
      // The peer could not be reached: a gateway error, as a reverse proxy would say, and on the record.
      Object.assign(record, { status: 502, error: String(error) });
      return answer(res, 502, { 'Content-Type': 'text/plain' }, `fault proxy: ${String(error)}`);
    }
    record.upstreamStatus = upstream.status;
    const state = stateOf(upstream.body);
    if (state) record.upstreamState = state;
    if (statusFault) {
      Object.assign(record, { fault: 'status', phase: 'after', status: statusFault.status });
      return faultAnswer(res, statusFault);
    }
    if (drop) {
      Object.assign(record, { fault: 'drop', phase: 'after', status: 0 });
      req.socket.destroy();
      return;
    }
    record.status = upstream.status;
    answer(res, upstream.status, upstream.headers, upstream.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 502, { 'Content-Type': 'text/plain' }, `fault proxy: ${String(error)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    records,
    setFaults(next) {
      plan = next;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
