import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * Replays a captured app (tests/fixtures/apps/<set>) at its original URL paths on 127.0.0.1, by the rules of
 * tests/fixtures/apps/README.md (adapted from ../shared/fixtures/replay-server.mjs): the raw request target is
 * looked up in manifest.json, answered with the recorded status, headers and bytes; the InvoicePlane AJAX filter
 * is matched on its body without the per-session CSRF field; anything else is a 404, and counted as a miss.
 */

export const APPS_DIR = path.resolve(import.meta.dirname, '../fixtures/apps');

interface Entry {
  method: string;
  url: string;
  request_body: string | null;
  status: number;
  file: string | null;
  response_headers?: Record<string, string>;
}

export interface Manifest {
  app: string;
  version: string;
  origin: string;
  entries: Entry[];
  pages: { url: string; kind: string; invoice_id?: number }[];
}

export interface ReplayServer {
  url: string;
  port: number;
  manifest: Manifest;
  /** Requests that found nothing ("GET /path"). */
  misses: string[];
  /** Every request answered, in order ("GET /path"). */
  requests: string[];
  close(): Promise<void>;
}

const SAFE = /[A-Za-z0-9\-._~=&,+;!'()$]/;
const enc = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (b < 0x80 && SAFE.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/** The file of a request target, by the URL → file rule. */
export function fileFor(target: string, method = 'GET'): string {
  const qi = target.indexOf('?');
  const p = qi < 0 ? target : target.slice(0, qi);
  let rel = p.split('/').slice(1).map(enc).join('/');
  if (rel === '' || rel.endsWith('/')) rel += '@index';
  if (qi >= 0) rel += `%3F${enc(target.slice(qi + 1))}`;
  if (method !== 'GET' && method !== 'HEAD') rel += `%23${method}`;
  return `files/${rel}`;
}

// CSRF fields change per session, so request bodies are compared without them.
const stripVolatile = (body: string | null) =>
  Array.from(new URLSearchParams(body ?? ''))
    .filter(([k]) => !/csrf|token/i.test(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');

export function readManifest(set: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(APPS_DIR, set, 'manifest.json'), 'utf8')) as Manifest;
}

export function readTruth<T = unknown>(set: string): T {
  return JSON.parse(fs.readFileSync(path.join(APPS_DIR, set, 'truth.json'), 'utf8')) as T;
}

/** The bytes recorded for a GET of `target` (as text), for tests that need a page without a server. */
export function recordedText(set: string, target: string): string {
  const manifest = readManifest(set);
  const entry = manifest.entries.find((e) => e.method === 'GET' && e.url === target);
  const file = entry?.file ?? fileFor(target);
  return fs.readFileSync(path.join(APPS_DIR, set, file), 'utf8');
}

/**
 * Starts the replay of `set` on 127.0.0.1. `port` 0 picks a free one; the set's own port (its capture origin) keeps
 * absolute links working (InvoicePlane writes http://127.0.0.1:8378/ everywhere).
 */
export async function startReplay(set: string, port = 0): Promise<ReplayServer> {
  const dir = path.join(APPS_DIR, set);
  const manifest = readManifest(set);
  const byKey = new Map<string, Entry[]>();
  for (const e of manifest.entries) {
    const key = `${e.method} ${e.url}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const misses: string[] = [];
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = req.url ?? '/';
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      requests.push(`${method} ${target}`);
      const candidates = byKey.get(`${method} ${target}`) ?? [];
      let entry: Entry | undefined = candidates[0];
      if (candidates.length > 1 || (entry && entry.request_body)) {
        const want = stripVolatile(Buffer.concat(chunks).toString('utf8'));
        entry = candidates.find((c) => stripVolatile(c.request_body) === want);
      }
      if (!entry) {
        const f = path.join(dir, fileFor(target, method));
        if (method === 'GET' && fs.existsSync(f) && fs.statSync(f).isFile()) {
          entry = { method, url: target, request_body: null, status: 200, file: path.relative(dir, f), response_headers: {} };
        }
      }
      if (!entry) {
        misses.push(`${method} ${target}`);
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(`not in fixture set: ${method} ${target}`);
        return;
      }
      const headers: Record<string, string | number> = { ...(entry.response_headers ?? {}) };
      const body = entry.file ? fs.readFileSync(path.join(dir, entry.file)) : undefined;
      if (body) headers['content-length'] = body.length;
      res.writeHead(entry.status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    manifest,
    misses,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
