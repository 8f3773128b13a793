import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Window } from 'happy-dom';
import { afterAll, beforeAll } from 'vitest';
import { recordedText, startReplay, type ReplayServer } from './replay';

/**
 * A front for a replayed app (./replay.ts) on 127.0.0.1, for the tests of the worker's listing. The replay answers
 * only the exact URLs captured, while a listing asks for the list with its own query (Dolibarr's `limit`) and walks
 * pages the capture has one of: `route` answers those itself (the recorded page, or a variant built from it); every
 * other request goes to the replay as is. With `prefix`, the app is served under that path (an install under
 * /dolibarr): requests outside it are 404, and the root-relative links of the HTML answers get the prefix, as the
 * app writes them when installed there.
 */

export interface FrontAnswer {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

export interface AppFront {
  url: string;
  /** Request targets received, as sent ("/dolibarr/compta/facture/list.php?limit=1000"). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFront(
  replay: ReplayServer,
  route: (target: URL) => FrontAnswer | undefined,
  options: { prefix?: string } = {},
): Promise<AppFront> {
  const prefix = options.prefix ?? '';
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const target = req.url ?? '/';
    requests.push(target);
    if (prefix && !target.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the install path');
      return;
    }
    const inner = target.slice(prefix.length);
    try {
      let answer = route(new URL(inner, 'http://front.invalid'));
      let bytes: Buffer | undefined;
      if (!answer) {
        const upstream = await fetch(`${replay.url}${inner}`, { redirect: 'manual' });
        const type = upstream.headers.get('content-type') ?? '';
        const headers: Record<string, string> = {};
        upstream.headers.forEach((v, k) => {
          if (!/^(content-length|content-encoding|transfer-encoding|connection)$/.test(k)) headers[k] = v;
        });
        if (/html/.test(type)) answer = { status: upstream.status, body: await upstream.text(), headers };
        else {
          bytes = Buffer.from(await upstream.arrayBuffer());
          res.writeHead(upstream.status, headers).end(bytes);
          return;
        }
      }
      const body = prefix ? withPrefix(answer.body, prefix) : answer.body;
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...(answer.headers ?? {}) }).end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Root-relative links put under the install path (what DOL_URL_ROOT does in a Dolibarr installed there). */
export function withPrefix(html: string, prefix: string): string {
  return html.replace(/\b(href|src|action)="\/(?!\/)/g, `$1="${prefix}/`);
}

/**
 * A variant of a recorded list page, built from its own markup with happy-dom: only the rows `keep` takes, and
 * `edit` may change the rest (add the pager of a multi-page list, say). Scripts do not run.
 */
export function listVariant(set: string, target: string, rowSelector: string, keep: (row: Element, index: number) => boolean, edit?: (doc: Document) => void): string {
  const window = new Window({
    url: 'http://127.0.0.1/',
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  const doc = window.document as unknown as Document;
  doc.write(recordedText(set, target));
  Array.from(doc.querySelectorAll(rowSelector)).forEach((row, i) => {
    if (!keep(row, i)) row.remove();
  });
  edit?.(doc);
  const html = `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`;
  void window.happyDOM.close();
  return html;
}

/** An HTML answer of a front's route. */
export const html = (body: string): FrontAnswer => ({ body });

/** The request targets a front received for one path ("/compta/facture/list.php?…"). */
export const listRequests = (f: AppFront, path: string) => f.requests.filter((r) => r.startsWith(path));

/**
 * Both captured apps replayed on free ports for a test file (started before its tests, closed after them), and
 * `front`, which starts a front before one of them and closes it with the rest.
 */
export function replayedApps() {
  const apps = {} as { dolibarr: ReplayServer; invoicePlane: ReplayServer };
  const fronts: AppFront[] = [];
  beforeAll(async () => {
    apps.dolibarr = await startReplay('dolibarr-20', 0);
    apps.invoicePlane = await startReplay('invoiceplane-1.7', 0);
  });
  afterAll(async () => {
    await Promise.all(fronts.splice(0).map((f) => f.close()));
    await apps.dolibarr?.close();
    await apps.invoicePlane?.close();
  });
  async function front(app: ReplayServer, route: (target: URL) => FrontAnswer | undefined, options?: { prefix?: string }): Promise<AppFront> {
    const started = await startFront(app, route, options);
    fronts.push(started);
    return started;
  }
  return { apps, front };
}
