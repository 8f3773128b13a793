import { readCappedJson } from '../bounded/read-capped';
import { answerText, fetchWithoutRedirect, networkFailure, RelayError, retryAfterMs, type FetchLike, type MailRelay, type OutgoingMail, type SendResult } from './relay';

/**
 * The extension's side of the firm's HTTP → SMTP relay (lib/relay/server.ts): the raw message is
 * POSTed with the send's key as Idempotency-Key, so a retry of a send that did go out is answered
 * "duplicate" and not sent again; GET of the key tells whether an interrupted send went.
 */
export interface HttpRelayOptions {
  url: string;
  token: string;
  fetch: FetchLike;
  /** The account's sender: checked against the one the relay allows this token, when it says. */
  from?: string;
  /** How long one request may take; after it the outcome is unknown. */
  timeoutMs?: number;
}

export function createHttpRelay(options: HttpRelayOptions): MailRelay & Required<Pick<MailRelay, 'alreadySent'>> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const auth = { Authorization: `Bearer ${options.token}` };
  let limit: number | undefined;

  async function request(path: string, init: RequestInit, what: string): Promise<Response> {
    // The token goes to the relay's own URL only: a redirect is refused, not followed.
    return fetchWithoutRedirect(options.fetch, `${base}${path}`, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) }, what);
  }

  async function failure(response: Response, what: string): Promise<RelayError> {
    // The relay's own "busy" (sends or bytes at its cap) is back-pressure like a rate limit; another 503 is the mail server's.
    const busy = response.status === 503 && (await response.clone().json().then((b: { status?: unknown }) => b.status === 'busy', () => false));
    const said = `${what}: HTTP ${response.status}${(await answerText(response).then((t) => (t ? ` ${t}` : '')))}`;
    const status = response.status;
    if (status === 401) return new RelayError(said, 'auth', { status });
    if (status === 413) return new RelayError(said, 'too-large', { status, ...(limit ? { limit } : {}) });
    // 403: the token is good but may not mail this recipient or send as this sender; sending again changes nothing.
    if (status === 400 || status === 403 || status === 411 || status === 415 || status === 422) return new RelayError(said, 'rejected', { status });
    if (status === 409 || status === 504) return new RelayError(said, 'unknown-outcome', { status });
    const retryAfter = retryAfterMs(response);
    if (status === 429 || busy) return new RelayError(said, 'rate-limited', { status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
    if (status === 503) return new RelayError(said, 'transient', { status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
    // Any other 5xx: the relay may have failed after handing the message on.
    return new RelayError(said, status >= 500 ? 'unknown-outcome' : 'rejected', { status });
  }

  return {
    id: 'http-relay',
    async maxMessageBytes() {
      if (limit !== undefined) return limit;
      const response = await request('/v1/limits', { headers: auth }, 'relay limits');
      if (!response.ok) throw await failure(response, 'relay limits');
      const body = (await readCappedJson(response)) as { maxMessageBytes?: unknown; from?: unknown };
      if (typeof body.maxMessageBytes !== 'number') throw new RelayError('relay limits: no maxMessageBytes in the answer', 'rejected');
      // The relay sends only as the token's sender: a different account address would be refused at every send.
      if (options.from && typeof body.from === 'string' && body.from.toLowerCase() !== options.from.trim().toLowerCase()) {
        throw new RelayError(`relay limits: this token sends only as ${body.from}, not ${options.from}`, 'rejected', { status: 403 });
      }
      limit = body.maxMessageBytes;
      return limit;
    },
    async send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
      const response = await request(
        '/v1/messages',
        {
          method: 'POST',
          headers: {
            ...auth,
            'Content-Type': 'message/rfc822',
            'Idempotency-Key': mail.dedupKey,
            'X-Envelope-From': mail.envelopeFrom,
            'X-Envelope-To': mail.to.join(','),
          },
          body: mail.raw as Uint8Array<ArrayBuffer>,
          ...(signal ? { signal } : {}),
        },
        'relay',
      );
      if (response.status !== 202 && response.status !== 200) throw await failure(response, 'relay');
      const body = (await readCappedJson(response)) as { id?: string; status?: string };
      return { status: body.status === 'duplicate' ? 'duplicate' : 'sent', ...(body.id ? { providerRef: body.id } : {}) };
    },
    async alreadySent(mail: OutgoingMail): Promise<boolean> {
      const response = await request(`/v1/messages/${encodeURIComponent(mail.dedupKey)}`, { headers: auth }, 'relay status');
      if (response.status === 404) return false;
      if (!response.ok) throw await failure(response, 'relay status');
      const body = (await readCappedJson(response)) as { status?: string };
      if (body.status === 'sent') return true;
      throw new RelayError(`relay status: the earlier send is "${body.status ?? '?'}"`, 'unknown-outcome');
    },
  };
}
