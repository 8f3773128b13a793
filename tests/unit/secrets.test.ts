import 'fake-indexeddb/auto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Dexie from 'dexie';
import { ledgerAsOfVersion } from '../support/old-ledger';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { handleMailPageRequest } from '../../lib/mail/page-requests';
import { relayForAccount } from '../../lib/mail/accounts';
import { createHttpRelay } from '../../lib/mail/http-relay';
import { basicAuthorization, createJmapRelay } from '../../lib/mail/jmap';
import { refreshTokens } from '../../lib/mail/oauth';
import { createGraphRelay } from '../../lib/mail/graph';
import { createGmailRelay } from '../../lib/mail/gmail';
import { composeInvoiceMail } from '../../lib/mail/compose';
import { RelayError } from '../../lib/mail/relay';
import { redactMailText } from '../../lib/mail/redact';
import { createMailboxTransport } from '../../lib/transfer/mailbox-transport';
import { clientForConnection, createWebserviceTransport } from '../../lib/transfer/webservice-transport';
import { TransferError } from '../../lib/transfer/transport';
import { OctopusClient } from '../../lib/octopus/client';
import { SecretUrlMismatch, secretUrl } from '../../lib/platform/secret-url';
import { toDocumentStatus } from '../../lib/extension/worker';
import { documentStatus } from '../../lib/messaging/protocol';
import { translatorFor } from '../../lib/i18n';
import { handlePageRequest } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import type { TransferEngine } from '../../lib/transfer/engine';
import { startOctopusSimulator, SIM_SEED } from '../sandbox/octopus-sim';
import type { Dossier } from '../../lib/model/dossier';
import type { Transfer } from '../../lib/model/transfer';
import { readInvoiceXml } from '../../lib/ubl/read';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';

/**
 * A stored secret goes only where it was entered for. Every peer here is an HTTP server on 127.0.0.1 that
 * records each request with its headers and body, so "the secret was not sent there" is read off what
 * actually arrived, not off what the code meant to do.
 */

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Peer {
  url: string;
  origin: string;
  requests: Recorded[];
  /** Every request's headers and body in one string, to look for a secret in any form. */
  wire(): string;
  close(): Promise<void>;
}

type Handler = (request: Recorded, res: ServerResponse, peer: Peer) => void;

const peers: Peer[] = [];

async function startPeer(handler: Handler): Promise<Peer> {
  const requests: Recorded[] = [];
  let peer: Peer;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      handler(recorded, res, peer);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  peer = {
    url: origin,
    origin,
    requests,
    wire: () => requests.map((r) => `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n'),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
  peers.push(peer);
  return peer;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A relay (lib/relay's API) that accepts one token and, when refusing, echoes the whole request back as careless peers do. */
function relayPeer(token: string, options: { echoOnSend?: boolean } = {}): Handler {
  return (request, res) => {
    const echo = `${JSON.stringify(request.headers)} ${request.body}`;
    if (request.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: `bad credentials in ${echo}` });
    if (request.path === '/v1/limits') return json(res, 200, { maxMessageBytes: 5_000_000 });
    if (request.method === 'POST' && request.path === '/v1/messages') {
      if (options.echoOnSend) return json(res, 422, { error: `refused: ${echo}` });
      return json(res, 202, { id: 'r-1', status: 'sent' });
    }
    if (request.method === 'GET' && request.path.startsWith('/v1/messages/')) return json(res, 404, { error: 'unknown' });
    json(res, 404, { error: 'no such path' });
  };
}

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);
const TOKEN = 'relay-token-0123456789abcdef';
const NEW_TOKEN = 'relay-token-new-fedcba987654';

const docs = demoDocuments.filter((d) => d.status !== 'draft');
function documentOf(index: number) {
  const xml = ublOf(docs[index]!);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  return { invoice: read.invoice, sourceXml: xml };
}
const dossier: Dossier = {
  id: 'd1',
  name: 'Demo BV',
  octopusDossierId: 1,
  connectionId: 'c1',
  transport: 'mailbox',
  journals: { sales: 'V1', purchases: 'A1' },
  defaultAccounts: { sales: '700000', purchases: '604000' },
  vatCodeOverrides: {},
  mailbox: { sales: 'uid-1@import.octopus.be' },
};
function transferOf(id = 't1'): Transfer {
  return { id, documentKey: `s/${id}`, site: 's', origin: 'http://127.0.0.1', adapter: 'x', documentId: id, transport: 'mailbox', state: 'sending', createdAt: '', updatedAt: '', attempts: 1, log: [] } as Transfer;
}
async function failureOf(promise: Promise<unknown>): Promise<TransferError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransferError);
  return error as TransferError;
}

let db: LedgerDb;
let dbName: string;
let n = 0;
beforeEach(() => {
  dbName = `secrets-${++n}-${Math.random()}`;
  db = new LedgerDb(dbName);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(dbName);
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

const save = (request: Record<string, unknown>) => handleMailPageRequest({ type: 'mail.account.save', ...request } as never, { db, fetch: fetchFn }) as Promise<{ ok: boolean; error?: { text?: { key: string }; message: string } }>;

describe('a stored secret is kept for the address it was entered for', () => {
  it('normalises the address it binds to, and refuses one that carries credentials', () => {
    expect(secretUrl('HTTPS://Relay.Firm.be:443/api/')).toBe('https://relay.firm.be/api');
    expect(secretUrl('http://127.0.0.1:80/x//')).toBe('http://127.0.0.1/x');
    expect(secretUrl('https://relay.firm.be/api?tenant=1#x')).toBe('https://relay.firm.be/api?tenant=1');
    expect(() => secretUrl('https://user:pw@relay.firm.be/')).toThrow(/user name or password/);
    expect(() => secretUrl('ftp://relay.firm.be/')).toThrow();
  });

  it('relay: a new URL without the token again is refused, the old token is dropped and never reaches the new server', async () => {
    const old = await startPeer(relayPeer(TOKEN));
    const other = await startPeer(relayPeer(TOKEN));
    const saved = await save({ account: { kind: 'http-relay', url: old.url, from: 'office@firm.example' }, token: TOKEN });
    expect(saved.ok).toBe(true);
    expect(old.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect((await db.mailSecrets.get('default'))?.boundUrl).toBe(secretUrl(old.url));

    const moved = await save({ account: { kind: 'http-relay', url: other.url, from: 'office@firm.example' } });
    expect(moved.ok).toBe(false);
    expect(moved.error?.text?.key).toBe('mail_error_secret_url_changed');
    expect(translatorFor('nl').t('mail_error_secret_url_changed', [])).toMatch(/opnieuw/);
    expect(other.requests).toHaveLength(0);
    expect(await db.mailSecrets.get('default')).toBeUndefined();
    // The account stays as it was, and without its secret it sends nothing anywhere.
    expect((await db.mailAccounts.get('default'))?.url).toBe(old.url);
    const before = old.requests.length;
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_auth');
    expect(old.requests).toHaveLength(before);

    // With the token entered again for the new address it is kept, and goes there only.
    const again = await save({ account: { kind: 'http-relay', url: other.url, from: 'office@firm.example' }, token: TOKEN });
    expect(again.ok).toBe(true);
    expect(other.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect((await db.mailSecrets.get('default'))?.boundUrl).toBe(secretUrl(other.url));
  });

  it('an address with a user name or password in it, or none at all, is refused in the user\'s language', async () => {
    const peer = await startPeer(relayPeer(TOKEN));
    const withCredentials = await save({ account: { kind: 'http-relay', url: peer.url.replace('http://', 'http://alice:pw@'), from: 'office@firm.example' }, token: TOKEN });
    expect(withCredentials.error?.text?.key).toBe('error_server_url');
    const without = await save({ account: { kind: 'jmap', from: 'office@firm.example', user: 'alice' }, password: 'pw-000000' });
    expect(without.error?.text?.key).toBe('error_server_url');
    expect(translatorFor('nl').t('error_server_url', [])).toMatch(/zonder gebruikersnaam/);
    expect(peer.requests).toHaveLength(0);
    expect(await db.mailAccounts.count()).toBe(0);
  });

  it('relay: the same server under another path is another address; the same address written differently is not', async () => {
    const peer = await startPeer(relayPeer(TOKEN));
    expect((await save({ account: { kind: 'http-relay', url: `${peer.url}/`, from: 'office@firm.example' }, token: TOKEN })).ok).toBe(true);
    // A trailing slash makes no difference (nor does a default port: see the normalisation above): kept without asking again.
    expect((await save({ account: { kind: 'http-relay', url: `${peer.url}//`, from: 'office@firm.example', fromName: 'Office' } })).ok).toBe(true);
    expect((await db.mailSecrets.get('default'))?.token).toBe(TOKEN);
    const moved = await save({ account: { kind: 'http-relay', url: `${peer.url}/elsewhere`, from: 'office@firm.example' } });
    expect(moved.error?.text?.key).toBe('mail_error_secret_url_changed');
    expect(peer.requests.filter((r) => r.path.startsWith('/elsewhere'))).toHaveLength(0);
    expect(await db.mailSecrets.get('default')).toBeUndefined();
  });

  it('the check is where secrets are read, not in the page: an account pointed elsewhere behind its back sends nothing there', async () => {
    const old = await startPeer(relayPeer(TOKEN));
    const other = await startPeer(relayPeer(TOKEN));
    expect((await save({ account: { kind: 'http-relay', url: old.url, from: 'office@firm.example' }, token: TOKEN })).ok).toBe(true);
    // Written straight into the database, as a flaw elsewhere might.
    await db.mailAccounts.update('default', { url: other.url });
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_secret_url_changed');
    expect(error.options.retriable).toBe(false);
    expect(other.requests).toHaveLength(0);
    // The page is told to ask for it again.
    const settings = (await handleMailPageRequest({ type: 'mail.settings.get' }, { db, fetch: fetchFn })) as { secrets: { token: boolean } };
    expect(settings.secrets.token).toBe(false);
    // Sanity: pointed back, it sends (so the refusal above came from the address, not from a broken setup).
    await db.mailAccounts.update('default', { url: old.url });
    const sent = await createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false });
    expect(sent.text.key).toBe('mail_log_sent');
    expect(other.requests).toHaveLength(0);
  });

  it('JMAP: a new session URL without the password again is refused and the password dropped', async () => {
    const password = 'jmap-password-secret-1';
    const session = (peerUrl: string) => ({
      apiUrl: `${peerUrl}/api`,
      uploadUrl: `${peerUrl}/upload/{accountId}`,
      primaryAccounts: { 'urn:ietf:params:jmap:mail': 'a1' },
      capabilities: { 'urn:ietf:params:jmap:core': { maxSizeUpload: 10_000_000 }, 'urn:ietf:params:jmap:submission': {} },
    });
    const handler: Handler = (request, res, peer) =>
      request.headers.authorization === basicAuthorization('alice', password) ? json(res, 200, session(peer.url)) : json(res, 401, { error: 'no' });
    const old = await startPeer(handler);
    const other = await startPeer(handler);
    expect((await save({ account: { kind: 'jmap', url: `${old.url}/jmap`, user: 'alice', from: 'alice@firm.example' }, password })).ok).toBe(true);
    const moved = await save({ account: { kind: 'jmap', url: `${other.url}/jmap`, user: 'alice', from: 'alice@firm.example' } });
    expect(moved.error?.text?.key).toBe('mail_error_secret_url_changed');
    expect(other.requests).toHaveLength(0);
    expect(await db.mailSecrets.get('default')).toBeUndefined();
  });

  it('OAuth: a new token endpoint (or API address) without signing in again is refused, and the tokens dropped', async () => {
    const tokenEndpoint = await startPeer((request, res) => json(res, 200, { access_token: 'access-abc-0123456789', refresh_token: 'refresh-xyz-0123456789', expires_in: 3600 }));
    const other = await startPeer((_request, res) => json(res, 200, { access_token: 'stolen', expires_in: 3600 }));
    const oauth = { code: 'code-1', verifier: 'v'.repeat(43), redirectUri: 'https://abc.chromiumapp.org/' };
    const account = { kind: 'graph', from: 'me@firm.example', clientId: 'client-1', tokenUrl: `${tokenEndpoint.url}/token`, url: tokenEndpoint.url };
    expect((await save({ account, oauth })).ok).toBe(true);
    expect((await db.mailSecrets.get('default'))?.boundApiUrl).toBe(secretUrl(tokenEndpoint.url));

    const movedToken = await save({ account: { ...account, tokenUrl: `${other.url}/token` } });
    expect(movedToken.error?.text?.key).toBe('mail_error_secret_url_changed');
    expect(await db.mailSecrets.get('default')).toBeUndefined();

    expect((await save({ account, oauth })).ok).toBe(true);
    // The API the access token goes to is bound too: moving it elsewhere behind the page's back sends nothing there.
    await db.mailAccounts.update('default', { url: other.url });
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_secret_url_changed');
    expect(other.requests).toHaveLength(0);
  });

  it('Octopus: a password is used for the webservice address it was entered for only', async () => {
    const other = await startPeer((_request, res) => json(res, 200, { token: 'x' }));
    const connection = { id: 'c1', label: 'Sim', baseUrl: other.url, user: 'user' };
    const secret = { connectionId: 'c1', boundUrl: 'https://service.inmotiv.be/octopus-rest-api/v1', softwareHouseUuid: 'sh-uuid-0000', password: 'octopus-password-1' };
    expect(() => clientForConnection(connection, secret, fetchFn)).toThrow(SecretUrlMismatch);
    await db.connections.put(connection);
    await db.secrets.put(secret);
    const transport = createWebserviceTransport(db, fetchFn);
    const error = await failureOf(transport.deliver({ transfer: { ...transferOf(), transport: 'webservice' }, dossier: { ...dossier, transport: 'webservice' }, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('error_secret_url_changed');
    expect(error.options.retriable).toBe(false);
    expect(translatorFor('fr').t('error_secret_url_changed', [])).toMatch(/mot de passe/);
    expect(other.requests).toHaveLength(0);
    // A secret bound to nothing is not used either.
    expect(() => clientForConnection(connection, { ...secret, boundUrl: '' }, fetchFn)).toThrow(SecretUrlMismatch);
    // The same address, written differently, is the same.
    expect(() => clientForConnection({ ...connection, baseUrl: `${other.url}/` }, { ...secret, boundUrl: other.url }, fetchFn)).not.toThrow();
  });

  it('Octopus: the options page binds the password to the address it was tested on; moved elsewhere, it is not used there', async () => {
    const sim = await startOctopusSimulator({ port: 0 });
    try {
      const other = await startPeer((_request, res) => json(res, 200, {}));
      const deps = { db, ledger: new Ledger(db, systemClock), engine: {} as TransferEngine, fetch };
      const ask = (raw: unknown) => handlePageRequest(pageRequest.parse(raw), deps) as Promise<any>;
      const user = SIM_SEED.users[0]!;
      const saved = await ask({ type: 'connection.save', connection: { label: 'Sim', baseUrl: `${sim.url}/`, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: user.user, password: user.password } });
      expect(saved.ok).toBe(true);
      const connectionId = saved.connection.id as string;
      const withCredentials = await ask({ type: 'connection.save', connection: { label: 'Sim', baseUrl: sim.url.replace('http://', 'http://u:p@'), softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: user.user, password: user.password } });
      expect(withCredentials).toMatchObject({ ok: false, error: { text: { key: 'error_server_url' } } });
      expect(await db.connections.count()).toBe(1);
      expect((await db.secrets.get(connectionId))?.boundUrl).toBe(secretUrl(sim.url));
      const used = await ask({ type: 'dossier.use', connectionId, octopusDossierId: 1001, name: 'Demo BV', vatNumber: 'BE0477472701' });
      expect((await ask({ type: 'connection.dossiers', connectionId })).ok).toBe(true);

      await db.connections.update(connectionId, { baseUrl: other.url });
      const listed = await ask({ type: 'connection.dossiers', connectionId });
      expect(listed).toMatchObject({ ok: false, error: { text: { key: 'error_secret_url_changed' } } });
      const imported = await ask({ type: 'dossier.import', dossierId: used.dossier.id });
      expect(imported).toMatchObject({ ok: false, error: { text: { key: 'error_secret_url_changed' } } });
      expect(other.requests).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it('binds the secrets stored before, to the address saved with them', async () => {
    const name = `secrets-upgrade-${Math.random()}`;
    const old = ledgerAsOfVersion(name, 6);
    await old.table('connections').bulkPut([
      { id: 'c1', label: 'A', baseUrl: 'https://service.inmotiv.be/octopus-rest-api/v1/', user: 'u' },
      { id: 'c2', label: 'B', baseUrl: 'http://127.0.0.1:5620/octopus-rest-api/v1', user: 'u' },
    ]);
    await old.table('secrets').bulkPut([
      { connectionId: 'c1', softwareHouseUuid: 's', password: 'p1' },
      { connectionId: 'c2', softwareHouseUuid: 's', password: 'p2' },
      { connectionId: 'orphan', softwareHouseUuid: 's', password: 'p3' },
    ]);
    await old.table('mailAccounts').put({ id: 'default', kind: 'gmail', from: 'me@firm.example', clientId: 'c' });
    await old.table('mailSecrets').put({ id: 'default', oauth: { accessToken: 'a', refreshToken: 'r', expiresAt: 0 } });
    old.close();
    const upgraded = new LedgerDb(name);
    try {
      expect((await upgraded.secrets.get('c1'))?.boundUrl).toBe('https://service.inmotiv.be/octopus-rest-api/v1');
      expect((await upgraded.secrets.get('c2'))?.boundUrl).toBe('http://127.0.0.1:5620/octopus-rest-api/v1');
      // A secret without its connection has no address to be bound to: it stays unusable.
      expect((await upgraded.secrets.get('orphan'))?.boundUrl).toBeUndefined();
      expect(await upgraded.mailSecrets.get('default')).toMatchObject({ boundUrl: 'https://oauth2.googleapis.com/token', boundApiUrl: 'https://gmail.googleapis.com', oauth: { refreshToken: 'r' } });
    } finally {
      upgraded.close();
      await Dexie.delete(name);
    }
  });
});

/** A JMAP session whose other URLs are on `elsewhere` for the named field, on the session's own server otherwise. */
function jmapSession(self: string, elsewhere: string, field?: 'apiUrl' | 'uploadUrl' | 'downloadUrl' | 'eventSourceUrl') {
  const at = (name: string, path: string) => `${name === field ? elsewhere : self}${path}`;
  return {
    apiUrl: at('apiUrl', '/api'),
    uploadUrl: at('uploadUrl', '/upload/{accountId}/'),
    downloadUrl: at('downloadUrl', '/download/{accountId}/{blobId}/{name}?accept={type}'),
    eventSourceUrl: at('eventSourceUrl', '/events?types={types}&closeafter={closeafter}&ping={ping}'),
    primaryAccounts: { 'urn:ietf:params:jmap:mail': 'a1' },
    capabilities: { 'urn:ietf:params:jmap:core': { maxSizeUpload: 10_000_000 }, 'urn:ietf:params:jmap:submission': {} },
  };
}

describe('JMAP sends its credentials to the session origin only', () => {
  const AUTH = basicAuthorization('alice', 'jmap-password-secret-2');

  for (const field of ['apiUrl', 'uploadUrl', 'downloadUrl', 'eventSourceUrl'] as const) {
    it(`a session naming another origin for ${field} is refused before anything goes there`, async () => {
      const elsewhere = await startPeer((_request, res) => json(res, 200, { methodResponses: [] }));
      const session = await startPeer((request, res, peer) => json(res, 200, jmapSession(peer.url, elsewhere.url, field)));
      const relay = createJmapRelay({ sessionUrl: `${session.url}/jmap`, authorization: AUTH, fetch: fetchFn });
      const error = (await relay.send(await mailOf(0)).catch((e: unknown) => e)) as RelayError;
      expect(error).toBeInstanceOf(RelayError);
      expect(error.options.key).toBe('mail_error_jmap_other_origin');
      expect(error.message).toContain(field);
      expect(elsewhere.requests).toHaveLength(0);
      expect(session.requests).toHaveLength(1);
    });
  }

  it('a session on its own origin is used (the refusals above come from the origin check)', async () => {
    const elsewhere = await startPeer((_request, res) => json(res, 500, {}));
    const session = await startPeer((request, res, peer) => json(res, 200, jmapSession(peer.url, elsewhere.url)));
    const relay = createJmapRelay({ sessionUrl: `${session.url}/jmap`, authorization: AUTH, fetch: fetchFn });
    expect(await relay.maxMessageBytes()).toBe(10_000_000);
    expect((await relay.session()).apiUrl).toBe(`${session.url}/api`);
  });

  it('the transport says why, in the user\'s language, and retries nothing', async () => {
    const elsewhere = await startPeer((_request, res) => json(res, 200, {}));
    const session = await startPeer((request, res, peer) => json(res, 200, jmapSession(peer.url, elsewhere.url, 'apiUrl')));
    await db.mailAccounts.put({ id: 'default', kind: 'jmap', url: `${session.url}/jmap`, user: 'alice', from: 'alice@firm.example' });
    await db.mailSecrets.put({ id: 'default', boundUrl: `${session.url}/jmap`, password: 'jmap-password-secret-2' });
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_jmap_other_origin');
    expect(error.options.retriable).toBe(false);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

async function mailOf(index: number) {
  const { invoice, sourceXml } = documentOf(index);
  return composeInvoiceMail({ dossierId: 'd1', direction: 'sales', invoice, sourceXml, to: 'uid-9@import.octopus.be', from: { address: 'alice@firm.example' }, date: new Date('2026-11-22T10:00:00Z'), generation: 0 });
}

describe('credentials do not follow redirects', () => {
  let target: Peer;
  let redirector: Peer;
  beforeEach(async () => {
    target = await startPeer((request, res) => json(res, 200, { maxMessageBytes: 1, access_token: 'x', methodResponses: [] }));
    // 307 keeps the method and body: the worst case, where a followed redirect would repeat the request as it was.
    redirector = await startPeer((request, res) => {
      res.writeHead(307, { Location: `${target.url}${request.path}` });
      res.end();
    });
  });

  it('the relay, JMAP, the OAuth token endpoint, Graph and Gmail refuse a redirect and send nothing on', async () => {
    const failures: unknown[] = [];
    failures.push(await createHttpRelay({ url: redirector.url, token: TOKEN, fetch: fetchFn }).maxMessageBytes().catch((e: unknown) => e));
    failures.push(await createHttpRelay({ url: redirector.url, token: TOKEN, fetch: fetchFn }).send(await mailOf(0)).catch((e: unknown) => e));
    failures.push(await createJmapRelay({ sessionUrl: `${redirector.url}/.well-known/jmap`, authorization: `Bearer ${TOKEN}`, fetch: fetchFn }).maxMessageBytes().catch((e: unknown) => e));
    failures.push(await refreshTokens(fetchFn, { tokenUrl: `${redirector.url}/token`, clientId: 'c', refreshToken: 'refresh-secret-000' }).catch((e: unknown) => e));
    const tokens = { accessToken: async () => 'access-secret-000', renew: async () => 'access-secret-001' };
    failures.push(await createGraphRelay({ tokens, fetch: fetchFn, baseUrl: redirector.url }).send(await mailOf(0)).catch((e: unknown) => e));
    failures.push(await createGmailRelay({ tokens, fetch: fetchFn, baseUrl: redirector.url }).send(await mailOf(0)).catch((e: unknown) => e));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(RelayError);
      expect((failure as RelayError).options.key).toBe('mail_error_redirect');
    }
    expect(redirector.requests.length).toBeGreaterThanOrEqual(failures.length);
    expect(target.requests).toHaveLength(0);
  });

  it('the Octopus client does not follow one with the password either', async () => {
    const client = new OctopusClient({ baseUrl: redirector.url, softwareHouseUuid: 'sh-uuid', user: 'u', password: 'octopus-password-2', fetch: fetchFn });
    await expect(client.dossiers()).rejects.toBeTruthy();
    expect(redirector.requests.length).toBeGreaterThan(0);
    expect(target.requests).toHaveLength(0);
  });
});

describe('mail errors are masked', () => {
  it('masks each kind of secret by its pattern', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def-ghi', 'abc.def-ghi'],
      ['{"authorization":"Basic YWxpY2U6c2VjcmV0"}', 'YWxpY2U6c2VjcmV0'],
      ['header was Basic YWxpY2U6c2VjcmV0 (refused)', 'YWxpY2U6c2VjcmV0'],
      ['invalid_grant refresh_token=1//0gAbCdEf&client_id=x', '1//0gAbCdEf'],
      ['{"access_token": "ya29.a0AfB_byC", "expires_in": 3599}', 'ya29.a0AfB_byC'],
      ['code_verifier=abcdefghijkl; password=hunter22', 'hunter22'],
      ['code_verifier=abcdefghijkl; password=hunter22', 'abcdefghijkl'],
      ['see https://alice:s3cr3t@relay.firm.be/v1', 's3cr3t'],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl was refused', 'eyJzdWIiOiIxIn0'],
      ['refused: From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nDear client, the invoice', 'Dear client'],
      [`attachment ${'QUJD'.repeat(30)} too large`, 'QUJDQUJD'],
    ];
    for (const [text, secret] of cases) {
      const masked = redactMailText(text);
      expect(masked, text).not.toContain(secret);
    }
    // Ordinary words stay readable.
    expect(redactMailText('JMAP send: HTTP 429 too many requests')).toBe('JMAP send: HTTP 429 too many requests');
    // The account's own secrets are masked by value, plain and base64.
    expect(redactMailText('it said dG9wLXNlY3JldA== and top-secret', ['top-secret'])).not.toMatch(/top-secret|dG9wLXNlY3JldA/);
  });

  it('a relay echoing the request in its errors: no token, header or message body in the ledger, the options page or the detail', async () => {
    const echoing = await startPeer(relayPeer(TOKEN, { echoOnSend: true }));
    // The account test with a wrong token: the error shown in the options page.
    const refused = await save({ account: { kind: 'http-relay', url: echoing.url, from: 'office@firm.example' }, token: NEW_TOKEN });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain(NEW_TOKEN);
    expect(echoing.wire()).toContain(NEW_TOKEN); // the peer did get it, and did echo it

    expect((await save({ account: { kind: 'http-relay', url: echoing.url, from: 'office@firm.example' }, token: TOKEN })).ok).toBe(true);
    const document = documentOf(1);
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document, outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_rejected');
    const shown = JSON.stringify({ text: error.text, detail: error.options.detail, message: error.message });
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toMatch(/Bearer [^*]/);
    expect(shown).not.toContain(document.invoice.attachments[0]!.contentBase64.slice(0, 40));
    expect(shown).not.toContain(document.sourceXml.slice(0, 60));
    expect(error.options.detail!.length).toBeLessThanOrEqual(400);
    expect(error.options.detail).toMatch(/HTTP 422/);
  });

  it('a peer quoting the message\'s text body: the quoted lines are masked', async () => {
    const mail = await mailOf(2);
    const line = mail.message.text.split(/\r?\n/).find((l) => l.trim().length >= 12)!.trim();
    const quoting = await startPeer((request, res) =>
      request.path === '/v1/limits' ? json(res, 200, { maxMessageBytes: 5_000_000 }) : json(res, 422, { error: `content filter matched "${line}"` }),
    );
    const account = { id: 'default' as const, kind: 'http-relay' as const, url: quoting.url, from: 'alice@firm.example' };
    const relay = relayForAccount(account, { id: 'default', boundUrl: quoting.url, token: TOKEN }, fetchFn, async () => undefined);
    const error = (await relay.send(mail).catch((e: unknown) => e)) as RelayError;
    expect(error).toBeInstanceOf(RelayError);
    expect(error.message).toMatch(/HTTP 422 content filter matched/);
    expect(error.message).not.toContain(line);
  });

  it('JMAP Basic credentials and OAuth tokens echoed by the peer are masked', async () => {
    const password = 'jmap-password-echoed';
    const echoing = await startPeer((request, res) => json(res, 401, { error: `refused ${JSON.stringify(request.headers)} ${request.body}` }));
    await db.mailAccounts.put({ id: 'default', kind: 'jmap', url: `${echoing.url}/jmap`, user: 'alice', from: 'alice@firm.example' });
    await db.mailSecrets.put({ id: 'default', boundUrl: `${echoing.url}/jmap`, password });
    const error = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(error.text.key).toBe('mail_error_auth');
    const basic = basicAuthorization('alice', password).slice('Basic '.length);
    expect(echoing.wire()).toContain(basic);
    expect(error.options.detail).not.toContain(basic);
    expect(error.options.detail).not.toContain(password);

    // A peer that says the secret bare, in no form a pattern knows: masked by value.
    const bare = await startPeer((_request, res) => json(res, 401, { error: `user alice with password ${password} is locked` }));
    await db.mailAccounts.put({ id: 'default', kind: 'jmap', url: `${bare.url}/jmap`, user: 'alice', from: 'alice@firm.example' });
    await db.mailSecrets.put({ id: 'default', boundUrl: `${bare.url}/jmap`, password });
    const bareError = await failureOf(createMailboxTransport(db, fetchFn).deliver({ transfer: transferOf(), dossier, document: documentOf(0), outcomeUnknown: false, force: false }));
    expect(bareError.options.detail).toMatch(/HTTP 401 user alice with password \*\*\* is locked/);

    // The token endpoint echoing the refresh token and the code, bare and as form fields.
    const tokenEcho = await startPeer((request, res) => json(res, 400, { error: `invalid_grant: ${request.body} (${[...new URLSearchParams(request.body).values()].join(' ')})` }));
    const refresh = (await refreshTokens(fetchFn, { tokenUrl: `${tokenEcho.url}/token`, clientId: 'c', refreshToken: 'r3fresh-secret-value' }).catch((e: unknown) => e)) as RelayError;
    expect(tokenEcho.wire()).toContain('r3fresh-secret-value');
    expect(refresh.message).toMatch(/invalid_grant/);
    expect(refresh.message).not.toContain('r3fresh-secret-value');
    const redeem = await save({ account: { kind: 'gmail', from: 'me@firm.example', clientId: 'c', tokenUrl: `${tokenEcho.url}/token`, url: tokenEcho.url }, oauth: { code: 'auth-code-secret-77', verifier: 'w'.repeat(43), redirectUri: 'https://abc.chromiumapp.org/' } });
    expect(tokenEcho.wire()).toContain('auth-code-secret-77');
    expect(JSON.stringify(redeem)).not.toContain('auth-code-secret-77');
    expect(JSON.stringify(redeem)).not.toContain('w'.repeat(43));

    // Graph echoing the access token it was given.
    const graphEcho = await startPeer((request, res) => json(res, 400, { error: { code: 'BadRequest', message: `bad request with ${request.headers.authorization}` } }));
    const tokens = { accessToken: async () => 'graph-access-token-secret', renew: async () => 'graph-access-token-secret' };
    const graph = (await createGraphRelay({ tokens, fetch: fetchFn, baseUrl: graphEcho.url }).send(await mailOf(0)).catch((e: unknown) => e)) as RelayError;
    expect(graphEcho.wire()).toContain('graph-access-token-secret');
    expect(graph.message).not.toContain('graph-access-token-secret');
  });
});

describe('what a content script learns of a transfer', () => {
  const failed: Transfer = {
    ...transferOf(),
    state: 'failed',
    lastError: { text: { key: 'mail_error_rejected', params: ['relay'] }, detail: 'relay: HTTP 422 mailbox uid-1@import.octopus.be unknown', code: 'mail-rejected' },
  } as Transfer;

  it('is the translated reason, without the technical detail', () => {
    const status = toDocumentStatus(failed);
    expect(status.error).toEqual({ text: { key: 'mail_error_rejected', params: ['relay'] } });
    expect(JSON.stringify(status)).not.toContain('HTTP 422');
    expect(documentStatus.safeParse(status).success).toBe(true);
  });

  it('a status that carries a detail is not a valid status for a content script', () => {
    expect(documentStatus.safeParse({ ...toDocumentStatus(failed), error: { text: { key: 'x', params: [] }, detail: 'HTTP 422' } }).success).toBe(false);
  });
});

afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
