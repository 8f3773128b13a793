import { readCappedJson } from '../bounded/read-capped';
import type { TokenSource } from './oauth';
import { GMAIL_API_URL } from './secret-urls';
import { answerText, fetchWithoutRedirect, RelayError, retryAfterMs, type FetchLike, type MailRelay, type OutgoingMail, type SendResult } from './relay';

/**
 * The Gmail API's media upload: the raw message as `message/rfc822` to
 * /upload/gmail/v1/users/me/messages/send?uploadType=media (up to 35 MB); the answer is the sent
 * message's {id, threadId}. The gmail.send scope cannot read Sent, so there is no `alreadySent`.
 */
export const GMAIL_MAX_BYTES = 35 * 1024 * 1024;

export function createGmailRelay(options: { tokens: TokenSource; fetch: FetchLike; baseUrl?: string; timeoutMs?: number }): MailRelay {
  const base = (options.baseUrl ?? GMAIL_API_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 120_000;

  async function post(raw: Uint8Array, token: string, signal?: AbortSignal): Promise<Response> {
    // The access token goes to this URL only: a redirect is refused, not followed.
    return fetchWithoutRedirect(
      options.fetch,
      `${base}/upload/gmail/v1/users/me/messages/send?uploadType=media`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'message/rfc822' }, body: raw as Uint8Array<ArrayBuffer>, signal: signal ?? AbortSignal.timeout(timeoutMs) },
      'Gmail',
    );
  }

  return {
    id: 'gmail',
    async maxMessageBytes() {
      return GMAIL_MAX_BYTES;
    },
    async send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
      let response = await post(mail.raw, await options.tokens.accessToken(), signal);
      if (response.status === 401) response = await post(mail.raw, await options.tokens.renew(), signal);
      if (response.ok) {
        const body = (await readCappedJson(response).catch(() => ({}))) as { id?: string };
        return { status: 'sent', ...(body.id ? { providerRef: body.id } : {}) };
      }
      const said = `Gmail: HTTP ${response.status} ${await answerText(response)}`.trim();
      const status = response.status;
      if (status === 401 || status === 403) throw new RelayError(said, 'auth', { status });
      if (status === 413) throw new RelayError(said, 'too-large', { status, limit: GMAIL_MAX_BYTES });
      if (status === 429 || status === 503) {
        const wait = retryAfterMs(response);
        throw new RelayError(said, status === 429 ? 'rate-limited' : 'transient', { status, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
      }
      if (status >= 500) throw new RelayError(said, 'unknown-outcome', { status });
      throw new RelayError(said, 'rejected', { status });
    },
  };
}
