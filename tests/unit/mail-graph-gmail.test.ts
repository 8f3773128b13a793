import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Dexie from 'dexie';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphRelay } from '../../lib/mail/graph';
import { createGmailRelay } from '../../lib/mail/gmail';
import { authorizationUrl, codeFromRedirect, createPkce, OAUTH_PROVIDERS, refreshingTokenSource, type OAuthTokens } from '../../lib/mail/oauth';
import { composeInvoiceMail } from '../../lib/mail/compose';
import { RelayError } from '../../lib/mail/relay';
import { handleMailPageRequest } from '../../lib/mail/page-requests';
import { LedgerDb } from '../../lib/ledger/db';
import { createMailboxTransport } from '../../lib/transfer/mailbox-transport';
import { readInvoiceXml } from '../../lib/ubl/read';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

/**
 * Contract stubs of Microsoft Graph, the Gmail API and an OAuth token endpoint on 127.0.0.1: each
 * checks the documented request shape (path, method, headers, body) and answers as scripted.
 */

interface Seen {
  path: string;
  auth?: string;
  contentType?: string;
  parsed?: ParsedMail;
}

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
let server: Server;
let base: string;
const seen: Seen[] = [];
/** Answers for the next mail requests, in order; then 202 (Graph) / 200 (Gmail). */
let script: { status: number; body?: string; headers?: Record<string, string> }[] = [];
let validTokens = new Set<string>();
const codes = new Map<string, string>(); // code → PKCE challenge
let tokenRequests: URLSearchParams[] = [];
let issued = 0;

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function newToken() {
  const token = `access-${++issued}`;
  validTokens.add(token);
  return token;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const url = new URL(req.url ?? '/', 'http://stub');
      const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (url.pathname === '/token') {
        const form = new URLSearchParams(raw.toString());
        tokenRequests.push(form);
        if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return answer(400, { error: 'invalid_request' });
        if (form.get('grant_type') === 'authorization_code') {
          const challenge = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const computed = createHash('sha256').update(verifier).digest('base64url');
          if (!challenge || challenge !== computed || !form.get('redirect_uri') || form.get('client_id') !== 'client-1') return answer(400, { error: 'invalid_grant' });
          return answer(200, { access_token: newToken(), refresh_token: 'refresh-1', expires_in: 3600, token_type: 'Bearer' });
        }
        if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-1') {
          return answer(200, { access_token: newToken(), expires_in: 3600, token_type: 'Bearer' });
        }
        return answer(400, { error: 'invalid_grant', error_description: 'refresh token expired' });
      }
      const graph = req.method === 'POST' && url.pathname === '/v1.0/me/sendMail';
      const gmail = req.method === 'POST' && url.pathname === '/upload/gmail/v1/users/me/messages/send' && url.searchParams.get('uploadType') === 'media';
      if (!graph && !gmail) return answer(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
      const auth = req.headers.authorization;
      const record: Seen = { path: `${url.pathname}${url.search}`, auth, contentType: req.headers['content-type'] };
      seen.push(record);
      if (!auth?.startsWith('Bearer ') || !validTokens.has(auth.slice(7))) {
        return answer(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } });
      }
      if (graph) {
        if (req.headers['content-type'] !== 'text/plain') return answer(400, { error: { code: 'ErrorMimeContentInvalid', message: 'Content-Type must be text/plain' } });
        const text = raw.toString('latin1');
        if (!/^[A-Za-z0-9+/]+=*$/.test(text)) return answer(400, { error: { code: 'ErrorMimeContentInvalidBase64String', message: 'Invalid base64 string for MIME content.' } });
        record.parsed = await simpleParser(Buffer.from(text, 'base64'));
      } else {
        if (req.headers['content-type'] !== 'message/rfc822') return answer(400, { error: { code: 400, message: 'Media type not supported' } });
        record.parsed = await simpleParser(raw);
      }
      const next = script.shift();
      if (next) {
        res.writeHead(next.status, { 'Content-Type': 'application/json', ...(next.headers ?? {}) });
        return res.end(next.body ?? '');
      }
      if (graph) return answer(202);
      return answer(200, { id: `gm-${seen.length}`, threadId: 't1', labelIds: ['SENT'] });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});
beforeEach(() => {
  seen.length = 0;
  script = [];
  validTokens = new Set();
  tokenRequests = [];
});

const docs = demoDocuments.filter((d) => d.status !== 'draft');
function documentOf(index: number) {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  return { invoice: read.invoice, sourceXml: xml };
}
const mailOf = async (index: number) => {
  const { invoice, sourceXml } = documentOf(index);
  return composeInvoiceMail({ dossierId: 'd1', direction: 'sales', invoice, sourceXml, to: 'uid-1@import.octopus.be', from: { address: 'me@firm.example' }, date: new Date('2026-11-22T10:00:00Z'), generation: 0 });
};

function tokenSource(initial: OAuthTokens) {
  let stored: OAuthTokens | undefined = initial;
  const saved: OAuthTokens[] = [];
  const source = refreshingTokenSource({
    fetch: fetchFn,
    tokenUrl: `${base}/token`,
    clientId: 'client-1',
    load: async () => stored,
    save: async (t) => {
      stored = t;
      saved.push(t);
    },
  });
  return { source, saved };
}

const kindOf = async (p: Promise<unknown>) => {
  const error = (await p.catch((e: unknown) => e)) as RelayError;
  expect(error).toBeInstanceOf(RelayError);
  return error;
};

describe('Microsoft Graph sendMail (MIME mode) against a contract stub', () => {
  it('posts base64 MIME as text/plain with a bearer token; 202 is sent, with our Message-ID and attachments', async () => {
    const { source } = tokenSource({ accessToken: newToken(), refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 });
    const graph = createGraphRelay({ tokens: source, fetch: fetchFn, baseUrl: base });
    const mail = await mailOf(0);
    expect(await graph.send(mail)).toEqual({ status: 'sent' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ path: '/v1.0/me/sendMail', auth: 'Bearer access-' + issued, contentType: 'text/plain' });
    expect(seen[0]!.parsed!.messageId).toBe(mail.messageId);
    expect(seen[0]!.parsed!.attachments[0]!.content.toString('utf8')).toBe(documentOf(0).sourceXml);
    expect(graph.alreadySent).toBeUndefined();
  });

  it('renews the token after a 401 and sends once; an expired token is refreshed before the call', async () => {
    const { source, saved } = tokenSource({ accessToken: 'revoked', refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 });
    const graph = createGraphRelay({ tokens: source, fetch: fetchFn, baseUrl: base });
    expect((await graph.send(await mailOf(1))).status).toBe('sent');
    expect(seen.map((s) => s.auth)).toEqual(['Bearer revoked', `Bearer ${saved[0]!.accessToken}`]);
    expect(tokenRequests.map((f) => f.get('grant_type'))).toEqual(['refresh_token']);
    expect(saved[0]!.refreshToken).toBe('refresh-1'); // kept when the answer holds none

    const expired = tokenSource({ accessToken: 'old', refreshToken: 'refresh-1', expiresAt: Date.now() - 1000 });
    await createGraphRelay({ tokens: expired.source, fetch: fetchFn, baseUrl: base }).send(await mailOf(1));
    expect(seen.at(-1)!.auth).toBe(`Bearer ${expired.saved[0]!.accessToken}`);
  });

  it('maps 400, 413, 429 with Retry-After, a refused refresh and 5xx to clear error kinds', async () => {
    const { source } = tokenSource({ accessToken: newToken(), refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 });
    const graph = createGraphRelay({ tokens: source, fetch: fetchFn, baseUrl: base });
    const mail = await mailOf(2);
    script = [{ status: 400, body: JSON.stringify({ error: { code: 'ErrorInvalidRecipients', message: 'Invalid recipients' } }) }];
    const rejected = await kindOf(graph.send(mail));
    expect([rejected.kind, rejected.message]).toEqual(['rejected', 'Microsoft Graph: HTTP 400 Invalid recipients']);
    script = [{ status: 413, body: JSON.stringify({ error: { code: 'RequestEntityTooLarge', message: 'too large' } }) }];
    expect((await kindOf(graph.send(mail))).kind).toBe('too-large');
    script = [{ status: 429, headers: { 'Retry-After': '7' }, body: '{}' }];
    const limited = await kindOf(graph.send(mail));
    expect([limited.kind, limited.options.retryAfterMs]).toEqual(['rate-limited', 7000]);
    script = [{ status: 504, body: '{}' }];
    expect((await kindOf(graph.send(mail))).kind).toBe('unknown-outcome');
    const stale = tokenSource({ accessToken: 'revoked', refreshToken: 'refresh-expired', expiresAt: Date.now() + 3_600_000 });
    const auth = await kindOf(createGraphRelay({ tokens: stale.source, fetch: fetchFn, baseUrl: base }).send(mail));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toMatch(/invalid_grant|refresh token expired/);
  });

  it('stub check: a body that is not base64 gets the documented 400', async () => {
    const token = newToken();
    const response = await fetch(`${base}/v1.0/me/sendMail`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body: 'From: x\r\n\r\nnot base64' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid base64 string for MIME content');
  });
});

describe('Gmail API media upload against a contract stub', () => {
  it('posts the raw message as message/rfc822 to the upload URL; 200 gives the Gmail id', async () => {
    const { source } = tokenSource({ accessToken: newToken(), refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 });
    const gmail = createGmailRelay({ tokens: source, fetch: fetchFn, baseUrl: base });
    const mail = await mailOf(3);
    const result = await gmail.send(mail);
    expect(result).toEqual({ status: 'sent', providerRef: 'gm-1' });
    expect(seen[0]).toMatchObject({ path: '/upload/gmail/v1/users/me/messages/send?uploadType=media', contentType: 'message/rfc822' });
    expect(seen[0]!.parsed!.messageId).toBe(mail.messageId);
    expect(seen[0]!.parsed!.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
  });

  it('renews after a 401, and maps 413 and 429 with Retry-After', async () => {
    const { source } = tokenSource({ accessToken: 'revoked', refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 });
    const gmail = createGmailRelay({ tokens: source, fetch: fetchFn, baseUrl: base });
    expect((await gmail.send(await mailOf(4))).status).toBe('sent');
    expect(seen).toHaveLength(2);
    script = [{ status: 413, body: '{"error":{"message":"Request Entity Too Large"}}' }];
    expect((await kindOf(gmail.send(await mailOf(4)))).kind).toBe('too-large');
    script = [{ status: 429, headers: { 'Retry-After': '3' }, body: '{"error":{"message":"Rate Limit Exceeded"}}' }];
    const limited = await kindOf(gmail.send(await mailOf(4)));
    expect([limited.kind, limited.options.retryAfterMs]).toEqual(['rate-limited', 3000]);
  });
});

describe('OAuth code + PKCE, from the options page to a sent mail', () => {
  it('builds the consent URL, checks the state, redeems the code in the worker, and the transport sends with the kept tokens', async () => {
    const pkce = await createPkce();
    expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const url = new URL(authorizationUrl(OAUTH_PROVIDERS.graph, { clientId: 'client-1', redirectUri: 'https://abc.chromiumapp.org/', state: 's1', challenge: pkce.challenge }));
    expect(url.origin + url.pathname).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', code_challenge: pkce.challenge, state: 's1', scope: 'https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/Mail.ReadWrite offline_access' });
    expect(new URL(authorizationUrl(OAUTH_PROVIDERS.gmail, { clientId: 'c', redirectUri: 'https://abc.chromiumapp.org/', state: 's', challenge: 'x' })).searchParams.get('access_type')).toBe('offline');
    expect(() => codeFromRedirect('https://abc.chromiumapp.org/?code=c1&state=other', 's1')).toThrow(/state/);
    expect(() => codeFromRedirect('https://abc.chromiumapp.org/?error=access_denied&state=s1', 's1')).toThrow(/access_denied/);
    const code = codeFromRedirect('https://abc.chromiumapp.org/?code=c1&state=s1', 's1');
    codes.set(code, pkce.challenge);

    const db = new LedgerDb(`oauth-${Math.random()}`);
    try {
      const deps = { db, fetch: fetchFn };
      const wrongVerifier = (await handleMailPageRequest({ type: 'mail.account.save', account: { kind: 'graph', from: 'me@firm.example', clientId: 'client-1', tokenUrl: `${base}/token`, url: base }, oauth: { code, verifier: 'x'.repeat(43), redirectUri: 'https://abc.chromiumapp.org/' } }, deps)) as { ok: boolean };
      expect(wrongVerifier.ok).toBe(false);
      expect(await db.mailAccounts.count()).toBe(0);
      const saved = (await handleMailPageRequest({ type: 'mail.account.save', account: { kind: 'graph', from: 'me@firm.example', clientId: 'client-1', tokenUrl: `${base}/token`, url: base }, oauth: { code, verifier: pkce.verifier, redirectUri: 'https://abc.chromiumapp.org/' } }, deps)) as { ok: boolean };
      expect(saved.ok).toBe(true);
      const secret = await db.mailSecrets.get('default');
      expect(secret?.oauth).toMatchObject({ refreshToken: 'refresh-1' });
      expect(JSON.stringify(await handleMailPageRequest({ type: 'mail.settings.get' }, deps))).not.toContain(secret!.oauth!.accessToken);

      // The token is revoked at the provider: the transport renews it, sends, and keeps the new one.
      validTokens.delete(secret!.oauth!.accessToken);
      const transport = createMailboxTransport(db, fetchFn);
      const dossier = { id: 'd1', name: 'Demo', octopusDossierId: 1, connectionId: 'c1', transport: 'mailbox' as const, journals: { sales: 'V1', purchases: 'A1' }, defaultAccounts: { sales: '700000', purchases: '604000' }, vatCodeOverrides: {}, mailbox: { sales: 'uid-1@import.octopus.be' } };
      const transfer = { id: 't1', documentKey: 's/1', site: 's', origin: 'http://127.0.0.1', adapter: 'x', documentId: '1', transport: 'mailbox' as const, state: 'sending' as const, createdAt: '', updatedAt: '', attempts: 1, log: [] };
      const delivery = await transport.deliver({ transfer, dossier, document: documentOf(5), outcomeUnknown: false, force: false });
      expect(delivery.text.key).toBe('mail_log_sent');
      // First the revoked token (401), then the renewed one (202, our message).
      expect(seen.map((s) => s.auth)).toEqual([`Bearer ${secret!.oauth!.accessToken}`, `Bearer ${(await db.mailSecrets.get('default'))!.oauth!.accessToken}`]);
      expect(seen[1]!.parsed!.messageId).toBe(delivery.text.params[1]);
      expect((await db.mailSecrets.get('default'))!.oauth!.accessToken).not.toBe(secret!.oauth!.accessToken);
    } finally {
      db.close();
      await Dexie.delete(db.name);
    }
  });
});
