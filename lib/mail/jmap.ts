import { readCappedJson } from '../bounded/read-capped';
import { answerText, fetchWithoutRedirect, networkFailure, RelayError, type FetchLike, type MailRelay, type OutgoingMail, type SendResult } from './relay';

/**
 * JMAP (RFC 8620 core, RFC 8621 mail and submission): the prebuilt message is uploaded as a blob,
 * imported into Drafts, and submitted with EmailSubmission/set, which moves it to Sent. JMAP has no
 * idempotency across requests, so before each send (and after an unknown outcome) Email/query looks
 * for our Message-ID in Sent.
 */

const CORE = 'urn:ietf:params:jmap:core';
const MAIL = 'urn:ietf:params:jmap:mail';
const SUBMISSION = 'urn:ietf:params:jmap:submission';

export interface JmapOptions {
  /** The session resource (…/.well-known/jmap or …/jmap/). */
  sessionUrl: string;
  /** "Basic …" or "Bearer …". */
  authorization: string;
  fetch: FetchLike;
  timeoutMs?: number;
}

interface Session {
  apiUrl: string;
  uploadUrl: string;
  accountId: string;
  maxSizeUpload: number;
  maxSizeRequest: number;
}

type MethodCall = [string, Record<string, unknown>, string];

/** A URL template of the session (RFC 6570 braces), parsed only to read its origin. */
function sessionUrlOf(template: string, base: string): URL {
  try {
    return new URL(template, base);
  } catch {
    // Unparseable: no origin to trust.
    throw new RelayError('JMAP session: a URL it names cannot be read', 'rejected');
  }
}

export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

export function createJmapRelay(options: JmapOptions): MailRelay & Required<Pick<MailRelay, 'alreadySent'>> & { session(): Promise<Session>; identityEmail(): Promise<string> } {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let session: Session | undefined;

  async function http(url: string, init: RequestInit, what: string): Promise<Response> {
    // The credentials go to this URL only: a redirect (even to the same server) is refused, not followed.
    const response = await fetchWithoutRedirect(
      options.fetch,
      url,
      {
        ...init,
        headers: { Authorization: options.authorization, Accept: 'application/json', ...(init.headers as Record<string, string>) },
        signal: init.signal ?? AbortSignal.timeout(timeoutMs),
      },
      `JMAP ${what}`,
    );
    if (response.ok) return response;
    const said = `JMAP ${what}: HTTP ${response.status} ${await answerText(response)}`.trim();
    if (response.status === 401 || response.status === 403) throw new RelayError(said, 'auth', { status: response.status });
    if (response.status === 413) throw new RelayError(said, 'too-large', { status: response.status });
    if (response.status === 429 || response.status === 503) throw new RelayError(said, 'transient', { status: response.status });
    throw new RelayError(said, response.status >= 500 ? 'transient' : 'rejected', { status: response.status });
  }

  async function getSession(): Promise<Session> {
    if (session) return session;
    const response = await http(options.sessionUrl, { method: 'GET' }, 'session');
    const body = (await readCappedJson(response)) as {
      apiUrl?: string;
      uploadUrl?: string;
      downloadUrl?: string;
      eventSourceUrl?: string;
      primaryAccounts?: Record<string, string>;
      capabilities?: Record<string, { maxSizeUpload?: number; maxSizeRequest?: number }>;
    };
    const accountId = body.primaryAccounts?.[MAIL];
    if (!body.apiUrl || !body.uploadUrl || !accountId) throw new RelayError('JMAP session: no mail account, apiUrl or uploadUrl', 'rejected');
    if (!body.capabilities?.[SUBMISSION]) throw new RelayError('JMAP session: the server does not offer submission (sending)', 'rejected');
    // The server may answer with URLs relative to the session resource.
    const base = options.sessionUrl;
    const apiUrl = new URL(body.apiUrl, base);
    const uploadUrl = new URL(body.uploadUrl.replace('{accountId}', encodeURIComponent(accountId)), base);
    // The session names where the credentials go next; a session (or whoever answers for it) must not be able to
    // send them to another server. Download and event URLs are not used here, but a session naming another origin
    // for them is not trusted with the rest either.
    const origin = new URL(base).origin;
    const named: [string, URL | undefined][] = [
      ['apiUrl', apiUrl],
      ['uploadUrl', uploadUrl],
      ['downloadUrl', body.downloadUrl ? sessionUrlOf(body.downloadUrl, base) : undefined],
      ['eventSourceUrl', body.eventSourceUrl ? sessionUrlOf(body.eventSourceUrl, base) : undefined],
    ];
    for (const [field, url] of named) {
      if (url && url.origin !== origin) {
        throw new RelayError(`JMAP session: its ${field} is on another server (${url.origin}) than the session (${origin}); the credentials are not sent there`, 'rejected', { key: 'mail_error_jmap_other_origin' });
      }
    }
    session = {
      apiUrl: apiUrl.toString(),
      uploadUrl: uploadUrl.toString(),
      accountId,
      maxSizeUpload: body.capabilities?.[CORE]?.maxSizeUpload ?? 50_000_000,
      maxSizeRequest: body.capabilities?.[CORE]?.maxSizeRequest ?? 10_000_000,
    };
    return session;
  }

  async function call(calls: MethodCall[], what: string, signal?: AbortSignal): Promise<Map<string, Record<string, unknown>>> {
    const s = await getSession();
    const response = await http(
      s.apiUrl,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ using: [CORE, MAIL, SUBMISSION], methodCalls: calls }), ...(signal ? { signal } : {}) },
      what,
    );
    const body = (await readCappedJson(response)) as { methodResponses?: [string, Record<string, unknown>, string][] };
    const out = new Map<string, Record<string, unknown>>();
    for (const [name, args, id] of body.methodResponses ?? []) {
      if (name === 'error') throw new RelayError(`JMAP ${what}: ${String(args.type)} ${String(args.description ?? '')}`.trim(), 'rejected');
      if (!out.has(id)) out.set(id, { ...args, '@name': name });
      else out.set(`${id}/${name}`, args);
    }
    return out;
  }

  async function mailboxes(): Promise<{ drafts: string; sent: string; identityId: string; identityEmail: string }> {
    const s = await getSession();
    const answers = await call(
      [
        ['Mailbox/get', { accountId: s.accountId, properties: ['id', 'role', 'name'] }, 'mb'],
        ['Identity/get', { accountId: s.accountId }, 'id'],
      ],
      'mailboxes',
    );
    const list = (answers.get('mb')?.list ?? []) as { id: string; role?: string | null; name?: string }[];
    const byRole = (role: string) => list.find((m) => m.role === role) ?? list.find((m) => m.name?.toLowerCase() === role);
    const drafts = byRole('drafts');
    const sent = byRole('sent');
    const identity = ((answers.get('id')?.list ?? []) as { id: string; email: string }[])[0];
    if (!drafts || !sent) throw new RelayError('JMAP: the account has no Drafts or Sent mailbox', 'rejected');
    if (!identity) throw new RelayError('JMAP: the account has no sending identity', 'rejected');
    return { drafts: drafts.id, sent: sent.id, identityId: identity.id, identityEmail: identity.email };
  }

  /** Ids of our message (by Message-ID) in Sent. */
  async function findSent(messageId: string, sent: string): Promise<string[]> {
    const s = await getSession();
    const answers = await call(
      [['Email/query', { accountId: s.accountId, filter: { operator: 'AND', conditions: [{ header: ['Message-ID', messageId] }, { inMailbox: sent }] } }, 'q']],
      'query',
    );
    return (answers.get('q')?.ids ?? []) as string[];
  }

  return {
    id: 'jmap',
    session: getSession,
    /** The address the account sends as (the sender when none is given). */
    identityEmail: async () => (await mailboxes()).identityEmail,
    async maxMessageBytes() {
      const s = await getSession();
      return Math.min(s.maxSizeUpload, 50 * 1024 * 1024);
    },
    async alreadySent(mail: OutgoingMail): Promise<boolean> {
      const { sent } = await mailboxes();
      return (await findSent(mail.messageId, sent)).length > 0;
    },
    async send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
      const s = await getSession();
      const boxes = await mailboxes();
      const earlier = await findSent(mail.messageId, boxes.sent);
      if (earlier.length > 0) return { status: 'duplicate', providerRef: earlier[0]! };
      const upload = await http(s.uploadUrl, { method: 'POST', headers: { 'Content-Type': 'message/rfc822' }, body: mail.raw as Uint8Array<ArrayBuffer>, ...(signal ? { signal } : {}) }, 'upload');
      const blob = (await readCappedJson(upload)) as { blobId?: string };
      if (!blob.blobId) throw new RelayError('JMAP upload: no blobId in the answer', 'rejected');
      // From here the submission may happen even if the answer is lost.
      let answers: Map<string, Record<string, unknown>>;
      try {
        answers = await call(
          [
            ['Email/import', { accountId: s.accountId, emails: { m1: { blobId: blob.blobId, mailboxIds: { [boxes.drafts]: true }, keywords: { $draft: true, $seen: true } } } }, 'imp'],
            [
              'EmailSubmission/set',
              {
                accountId: s.accountId,
                create: {
                  s1: {
                    identityId: boxes.identityId,
                    emailId: '#m1',
                    envelope: { mailFrom: { email: mail.envelopeFrom || boxes.identityEmail }, rcptTo: mail.to.map((email) => ({ email })) },
                  },
                },
                onSuccessUpdateEmail: { '#s1': { [`mailboxIds/${boxes.drafts}`]: null, [`mailboxIds/${boxes.sent}`]: true, 'keywords/$draft': null } },
              },
              'sub',
            ],
          ],
          'send',
          signal,
        );
      } catch (error) {
        if (error instanceof RelayError && error.kind === 'transient') throw new RelayError(error.message, 'unknown-outcome', error.options);
        throw error;
      }
      const imported = answers.get('imp') as { created?: Record<string, { id: string }>; notCreated?: Record<string, { type: string; description?: string }> } | undefined;
      if (!imported?.created?.m1) {
        const why = imported?.notCreated?.m1;
        throw new RelayError(`JMAP Email/import refused the message: ${why?.type ?? '?'} ${why?.description ?? ''}`.trim(), why?.type === 'tooLarge' ? 'too-large' : 'rejected');
      }
      const submitted = answers.get('sub') as { created?: Record<string, { id: string }>; notCreated?: Record<string, { type: string; description?: string }> } | undefined;
      if (!submitted?.created?.s1) {
        const why = submitted?.notCreated?.s1;
        // The draft stays in Drafts: nothing was sent. Remove it so a retry does not leave two.
        await call([['Email/set', { accountId: s.accountId, destroy: [imported.created.m1.id] }, 'd']], 'clean-up').catch(() => undefined);
        throw new RelayError(`JMAP EmailSubmission/set refused the message: ${why?.type ?? '?'} ${why?.description ?? ''}`.trim(), why?.type === 'tooLarge' ? 'too-large' : why?.type === 'forbiddenToSend' ? 'auth' : 'rejected');
      }
      return { status: 'sent', providerRef: submitted.created.s1.id };
    },
  };
}
