import { base64Encode } from './bytes';
import type { TokenSource } from './oauth';
import { answerText, networkFailure, RelayError, retryAfterMs, type FetchLike, type MailRelay, type OutgoingMail, type SendResult } from './relay';

/**
 * Microsoft Graph `sendMail` in MIME mode: the body is the base64 of the whole RFC 5322 message,
 * Content-Type text/plain; 202 Accepted with no body. Graph has no idempotency and Mail.Send cannot
 * read Sent Items, so there is no `alreadySent`: after an unknown outcome the ledger and the user decide.
 */

/** About 4 MB per request; the base64 body is 4/3 of the message. */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export function createGraphRelay(options: { tokens: TokenSource; fetch: FetchLike; baseUrl?: string; timeoutMs?: number }): MailRelay {
  const base = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function post(body: string, token: string, signal?: AbortSignal): Promise<Response> {
    try {
      return await options.fetch(`${base}/v1.0/me/sendMail`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
        body,
        signal: signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw networkFailure(error, 'Microsoft Graph');
    }
  }

  return {
    id: 'graph',
    async maxMessageBytes() {
      return Math.floor((GRAPH_MAX_REQUEST_BYTES * 3) / 4) - 1024;
    },
    async send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
      const body = base64Encode(mail.raw);
      let response = await post(body, await options.tokens.accessToken(), signal);
      // A token refused before its expiry (revoked, clock skew): renew once and try again.
      if (response.status === 401) response = await post(body, await options.tokens.renew(), signal);
      if (response.status === 202) return { status: 'sent' };
      const said = `Microsoft Graph: HTTP ${response.status} ${await answerText(response)}`.trim();
      const status = response.status;
      if (status === 401 || status === 403) throw new RelayError(said, 'auth', { status });
      if (status === 413) throw new RelayError(said, 'too-large', { status });
      if (status === 429 || status === 503) {
        const wait = retryAfterMs(response);
        throw new RelayError(said, status === 429 ? 'rate-limited' : 'transient', { status, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
      }
      if (status >= 500) throw new RelayError(said, 'unknown-outcome', { status });
      throw new RelayError(said, 'rejected', { status });
    },
  };
}
