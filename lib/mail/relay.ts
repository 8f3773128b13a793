import { MAX_API_RESPONSE_BYTES, readCappedText } from '../bounded/read-capped';
import type { MimeMessage } from './mime';
import { peerDetail, redactMailText } from './redact';

/**
 * What every way of handing a message to a mail system shares. The message is built once (RFC 5322
 * bytes, ./mime.ts) and each transport only carries those bytes: the HTTP relay, JMAP, Microsoft
 * Graph (MIME mode) and the Gmail API. Graph's draft path for messages over its single-request limit
 * cannot take MIME, so it reads `message`, the very input the bytes were built from.
 */

export interface OutgoingMail {
  /** sha256 hex of dossier | direction | UBL bytes, plus ".N" for the Nth explicit "send again". */
  dedupKey: string;
  /** "<ubl-…@domain>", the same on every retry of one send. */
  messageId: string;
  envelopeFrom: string;
  to: string[];
  raw: Uint8Array;
  /** What `raw` was built from (subject, text, recipients, attachments with their bytes): never parsed back out of `raw`. */
  message: MimeMessage;
}

export type SendState = 'sent' | 'not-sent' | 'unknown';

export type SendResult = { status: 'sent'; providerRef?: string } | { status: 'duplicate'; providerRef?: string };

/**
 * auth: the credentials were refused; too-large: over the peer's limit; rejected: the peer refuses
 * this message or recipient (sending it again changes nothing); rate-limited / transient: try later;
 * unknown-outcome: the peer may have sent it, check before sending again.
 */
export type RelayErrorKind = 'auth' | 'too-large' | 'rejected' | 'rate-limited' | 'transient' | 'unknown-outcome';

export interface RelayErrorOptions {
  retryAfterMs?: number;
  status?: number;
  limit?: number;
  /** A catalog key that says what went wrong better than the kind's general message (params: none). */
  key?: string;
}

/** Its message never holds a credential or the message's content: it is masked here, whoever builds it. */
export class RelayError extends Error {
  constructor(
    message: string,
    readonly kind: RelayErrorKind,
    readonly options: RelayErrorOptions = {},
  ) {
    super(redactMailText(message));
    this.name = 'RelayError';
  }
}

export type MailRelayId = 'http-relay' | 'jmap' | 'graph' | 'gmail';

export interface MailRelay {
  readonly id: MailRelayId;
  /** The largest message the peer takes, in bytes: checked before the message is built. */
  maxMessageBytes(): Promise<number>;
  /** Throws RelayError. */
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult>;
  /** Whether the peer already sent this message; absent where the peer cannot tell (Graph, Gmail). */
  alreadySent?(mail: OutgoingMail): Promise<boolean>;
  /**
   * For a peer that can tell only sometimes (Graph: a message sent as a draft, not one sent by sendMail): 'unknown'
   * means it cannot say, and the caller waits for the user rather than send again.
   */
  sendState?(mail: OutgoingMail): Promise<SendState>;
}

/** `fetch`, injected: the worker passes the global one, tests and the CLI the same. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body of an error answer, shortened and masked, for the error's detail. */
export async function answerText(response: Response): Promise<string> {
  try {
    const text = (await readCappedText(response, MAX_API_RESPONSE_BYTES)).trim();
    try {
      const json = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
      const inner = json.error && typeof json.error === 'object' ? (json.error as { message?: unknown }).message : json.error;
      const said = inner ?? json.message ?? json.detail;
      if (typeof said === 'string') return peerDetail(said);
    } catch {
      // not JSON: the text as it is
    }
    return peerDetail(text);
  } catch {
    return '';
  }
}

/** A fetch failure: a timeout after the request left may have been acted on, a refused connection not. */
export function networkFailure(error: unknown, what: string): RelayError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new RelayError(`${what}: no answer in time`, 'unknown-outcome');
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const text = error instanceof Error ? `${error.message}${cause}` : String(error);
  // A fetch made with redirect: 'error' fails like this (in Node) when answered with a redirect: nothing was acted on.
  if (/redirect/i.test(text)) return redirectRefused(what);
  // A reset connection may come after the body was sent: as unsure as a timeout.
  return new RelayError(`${what}: ${text}`, /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text) ? 'transient' : 'unknown-outcome');
}

function redirectRefused(what: string, status?: number): RelayError {
  return new RelayError(`${what}: the server answered with a redirect${status ? ` (HTTP ${status})` : ''}, which is not followed with credentials`, 'rejected', {
    key: 'mail_error_redirect',
  });
}

/**
 * `fetch` for a request that carries credentials: a redirect is never followed (they would go along to wherever it
 * points) but answered as a refusal. 'manual' rather than 'error' so the refusal can be told from a network failure
 * in the browser too, where the redirect comes back as an opaque answer (type 'opaqueredirect', status 0); Node
 * hands back the 3xx itself. A failure to reach the peer is thrown as networkFailure's RelayError.
 */
export async function fetchWithoutRedirect(fetchFn: FetchLike, url: string, init: RequestInit, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, redirect: 'manual' });
  } catch (error) {
    throw networkFailure(error, what);
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel().catch(() => undefined);
    throw redirectRefused(what, response.status || undefined);
  }
  return response;
}
