import { MAX_API_RESPONSE_BYTES, readCappedJson, readCappedText } from '../bounded/read-capped';
import { base64Encode } from './bytes';
import type { MimeAttachment } from './mime';
import type { TokenSource } from './oauth';
import { GRAPH_API_URL } from './secret-urls';
import { fetchWithoutRedirect, networkFailure, RelayError, retryAfterMs, type FetchLike, type MailRelay, type OutgoingMail, type SendResult, type SendState } from './relay';

/**
 * Microsoft Graph, two ways, chosen by the size of the message.
 *
 * Up to about 4 MB per request: `sendMail` in MIME mode, the body the base64 of the whole RFC 5322
 * message, Content-Type text/plain; 202 Accepted with no body. Graph has no idempotency and keeps
 * nothing to ask about afterwards, so after an unknown outcome the ledger and the user decide.
 *
 * Bigger, up to Exchange Online's default message size (35 MB, the mailbox's MaxSendSize; an admin
 * may set it otherwise, and Graph then refuses): the documented large-attachment path
 * (learn.microsoft.com/graph/outlook-large-attachments, api/attachment-createuploadsession). A draft
 * (POST /me/messages), each file attached to it (under 3 MB one POST with contentBytes, else an upload
 * session whose byte ranges are PUT to a pre-authenticated URL), then POST /me/messages/{id}/send (202).
 * Drafts need the delegated permission Mail.ReadWrite besides Mail.Send (asked for in ./oauth.ts).
 *
 * That path takes JSON, not MIME, so the draft is made from `mail.message`, the input the MIME was
 * built from. What Graph lets through: subject, text body, recipients, the files byte for byte, and
 * our Message-ID as `internetMessageId` (settable while the message is a draft). What it does not:
 * the Date header (Graph stamps the send time) and From (always the signed-in mailbox, as with
 * sendMail). `internetMessageHeaders` takes only X- headers and our MIME carries none.
 *
 * Exactly once: the draft carries our Message-ID, so every attempt first looks for it
 * ($filter=internetMessageId): a copy that is no longer a draft means it went ("duplicate"); a draft
 * left by an attempt that failed halfway is deleted before a new one is made, so drafts never pile
 * up. Ids are asked for as immutable ids (Prefer: IdType="ImmutableId"): the sent copy keeps the
 * draft's id, so GET /me/messages/{id}?$select=isDraft says whether it went.
 */

/** About 4 MB per request. */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** The largest message sendMail takes: its base64 body is 4/3 of it and must fit one request. */
export const GRAPH_SENDMAIL_MAX_BYTES = Math.floor((GRAPH_MAX_REQUEST_BYTES * 3) / 4) - 1024;
/** Exchange Online's default message size limit, compared with the MIME size (attachments base64-encoded, as Exchange counts). */
export const GRAPH_MAX_MESSAGE_BYTES = 35 * 1024 * 1024;
/** "Under 3 MB": one POST. Decimal, so the base64 JSON body stays under the 4 MB request limit. */
export const GRAPH_INLINE_ATTACHMENT_MAX_BYTES = 3_000_000;
/** Upload ranges: at most 4 MB each, in multiples of 320 KiB. */
export const GRAPH_UPLOAD_CHUNK_BYTES = 10 * 320 * 1024;
/** Retries of one upload range after a lost answer, a 429 or a 5xx, before the attempt gives up. */
const UPLOAD_RETRIES = 3;
/** A longer Retry-After is left to the engine's schedule: a worker that sleeps that long may be stopped. */
const MAX_INLINE_WAIT_MS = 10_000;

/**
 * sent / not-sent: Graph says so. unknown: it cannot tell (sendMail leaves nothing to ask about; a
 * draft just sent is in neither Drafts nor Sent Items until Exchange has made the Sent Items copy).
 */
export type GraphSendState = SendState;

/**
 * No `alreadySent` (a yes/no): for a message that went by sendMail Graph can only say "unknown". It has
 * `sendState` instead, which the mailbox transport reads after an interrupted send: sent → marked sent,
 * not-sent → sent now, unknown → the user decides (lib/transfer/mailbox-transport.ts).
 */
export interface GraphRelay extends MailRelay {
  sendState(mail: OutgoingMail): Promise<GraphSendState>;
}

export interface GraphRelayOptions {
  tokens: TokenSource;
  fetch: FetchLike;
  baseUrl?: string;
  timeoutMs?: number;
  /** The pause before an upload range is sent again; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** The answer's error code and message: the code tells a too-large message from other refusals. */
async function graphError(response: Response): Promise<{ code: string; said: string }> {
  const text = (await readCappedText(response, MAX_API_RESPONSE_BYTES).catch(() => '')).trim();
  try {
    const json = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof json.error?.code === 'string' ? json.error.code : '';
    const said = typeof json.error?.message === 'string' ? json.error.message : text;
    return { code, said: said.slice(0, 500) };
  } catch {
    return { code: '', said: text.slice(0, 500) };
  }
}

/** The first offset of nextExpectedRanges (["2097152"], ["2097152-"], ["0-3276799"]). */
function rangeStart(ranges: unknown): number | undefined {
  if (!Array.isArray(ranges) || typeof ranges[0] !== 'string') return undefined;
  const match = /^(\d+)/.exec(ranges[0]);
  return match ? Number(match[1]) : undefined;
}

/** Before /send nothing can have gone out: a lost answer there is worth a plain retry, not a look-up. */
function nothingSent(error: unknown): unknown {
  if (error instanceof RelayError && error.kind === 'unknown-outcome') return new RelayError(error.message, 'transient', error.options);
  return error;
}

export function createGraphRelay(options: GraphRelayOptions): GraphRelay {
  const base = (options.baseUrl ?? GRAPH_API_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  /** Message-ID → draft id, for a look-up by the same relay after an unknown outcome of /send. */
  const drafts = new Map<string, string>();

  async function failure(response: Response, what: string, mayHaveSent: boolean): Promise<RelayError> {
    const status = response.status;
    const { code, said: text } = await graphError(response);
    const said = `Microsoft Graph${what ? ` ${what}` : ''}: HTTP ${status} ${text}`.trim();
    if (status === 401) return new RelayError(said, 'auth', { status });
    if (status === 403) {
      // On the draft path, most often a consent given before Mail.ReadWrite was asked for.
      const hint = what ? '; e-mails over 3 MB need the Mail.ReadWrite permission: sign in to Microsoft 365 again in the options' : '';
      return new RelayError(`${said}${hint}`, 'auth', { status });
    }
    if (status === 413 || code === 'ErrorMessageSizeExceeded') return new RelayError(said, 'too-large', { status });
    if (status === 429 || status === 503) {
      const wait = retryAfterMs(response);
      return new RelayError(said, status === 429 ? 'rate-limited' : 'transient', { status, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
    }
    if (status >= 500) return new RelayError(said, mayHaveSent ? 'unknown-outcome' : 'transient', { status });
    return new RelayError(said, 'rejected', { status });
  }

  /** One Graph API call with the bearer token, renewed once after a 401 (revoked, clock skew). */
  async function api(method: string, path: string, what: string, json?: unknown, signal?: AbortSignal): Promise<Response> {
    // The access token goes to this URL only: a redirect is refused, not followed.
    const once = (token: string) =>
      fetchWithoutRedirect(
        options.fetch,
        `${base}/v1.0${path}`,
        {
          method,
          headers: { Authorization: `Bearer ${token}`, Prefer: 'IdType="ImmutableId"', ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
          signal: signal ?? AbortSignal.timeout(timeoutMs),
        },
        `Microsoft Graph ${what}`,
      );
    const first = await once(await options.tokens.accessToken());
    if (first.status !== 401) return first;
    await first.body?.cancel();
    return once(await options.tokens.renew());
  }

  const messagePath = (id: string) => `/me/messages/${encodeURIComponent(id)}`;

  async function findByMessageId(messageId: string, signal?: AbortSignal): Promise<{ id: string; isDraft: boolean }[]> {
    const filter = encodeURIComponent(`internetMessageId eq '${messageId.replace(/'/g, "''")}'`);
    const response = await api('GET', `/me/messages?$filter=${filter}&$select=id,isDraft`, 'look-up', undefined, signal);
    if (!response.ok) throw await failure(response, 'look-up', false);
    const body = (await readCappedJson(response)) as { value?: { id?: unknown; isDraft?: unknown }[] };
    return (body.value ?? []).filter((m): m is { id: string; isDraft: boolean } => typeof m.id === 'string').map((m) => ({ id: m.id, isDraft: m.isDraft !== false }));
  }

  async function deleteDraft(id: string, signal?: AbortSignal): Promise<void> {
    const response = await api('DELETE', messagePath(id), 'draft removal', undefined, signal);
    if (response.status === 204 || response.status === 404) return;
    throw await failure(response, 'draft removal', false);
  }

  async function createDraft(mail: OutgoingMail, signal?: AbortSignal): Promise<string> {
    const m = mail.message;
    const response = await api(
      'POST',
      '/me/messages',
      'draft',
      {
        subject: m.subject,
        body: { contentType: 'Text', content: m.text },
        toRecipients: m.to.map((address) => ({ emailAddress: { address } })),
        internetMessageId: m.messageId,
      },
      signal,
    );
    if (response.status !== 201) throw await failure(response, 'draft', false);
    const body = (await readCappedJson(response)) as { id?: unknown };
    if (typeof body.id !== 'string') throw new RelayError('Microsoft Graph draft: no id in the answer', 'transient');
    return body.id;
  }

  async function attachSmall(draftId: string, file: MimeAttachment, signal?: AbortSignal): Promise<void> {
    const response = await api(
      'POST',
      `${messagePath(draftId)}/attachments`,
      `attachment ${file.filename}`,
      { '@odata.type': '#microsoft.graph.fileAttachment', name: file.filename, contentType: file.contentType, contentBytes: base64Encode(file.content) },
      signal,
    );
    if (response.status !== 201) throw await failure(response, `attachment ${file.filename}`, false);
  }

  /**
   * An upload session: ranges PUT in order to the pre-authenticated URL (no Authorization header, as
   * documented), each resumed from the server's nextExpectedRanges. A lost answer, a 429 or a 5xx
   * sends the same range again after a pause; a session the server no longer knows (expired URL, 404,
   * a range it will not take) is replaced once by a new one from byte 0.
   */
  async function attachLarge(draftId: string, file: MimeAttachment, signal?: AbortSignal): Promise<void> {
    const size = file.content.length;
    const what = `upload of ${file.filename}`;
    for (let session = 1; ; session++) {
      const created = await api(
        'POST',
        `${messagePath(draftId)}/attachments/createUploadSession`,
        `upload session for ${file.filename}`,
        { AttachmentItem: { attachmentType: 'file', name: file.filename, size, contentType: file.contentType } },
        signal,
      );
      if (created.status !== 201) throw await failure(created, `upload session for ${file.filename}`, false);
      const upload = (await readCappedJson(created)) as { uploadUrl?: unknown; nextExpectedRanges?: unknown };
      if (typeof upload.uploadUrl !== 'string') throw new RelayError(`Microsoft Graph upload session for ${file.filename}: no uploadUrl in the answer`, 'transient');
      let offset = rangeStart(upload.nextExpectedRanges) ?? 0;
      let retries = 0;
      for (;;) {
        const end = Math.min(size, offset + GRAPH_UPLOAD_CHUNK_BYTES);
        let response: Response | undefined;
        let lost: RelayError | undefined;
        try {
          response = await options.fetch(upload.uploadUrl, {
            method: 'PUT',
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${offset}-${end - 1}/${size}` },
            body: file.content.subarray(offset, end) as Uint8Array<ArrayBuffer>,
            signal: signal ?? AbortSignal.timeout(timeoutMs),
          });
        } catch (error) {
          lost = networkFailure(error, `Microsoft Graph ${what}`);
        }
        if (response?.status === 201) return;
        if (response?.status === 200) {
          const body = (await readCappedJson(response).catch(() => ({}))) as { nextExpectedRanges?: unknown };
          offset = rangeStart(body.nextExpectedRanges) ?? end;
          retries = 0;
          continue;
        }
        if (response && [401, 403, 404, 410, 416].includes(response.status)) {
          if (session >= 2) throw await failure(response, what, false);
          await response.body?.cancel();
          break;
        }
        if (response && response.status !== 429 && response.status < 500) throw await failure(response, what, false);
        const wait = (response && retryAfterMs(response)) ?? 1000 * 2 ** retries;
        if (++retries > UPLOAD_RETRIES || wait > MAX_INLINE_WAIT_MS) throw response ? await failure(response, what, false) : lost!;
        await response?.body?.cancel();
        await sleep(wait);
      }
    }
  }

  async function sendLarge(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
    let draftId: string | undefined;
    try {
      const earlier = await findByMessageId(mail.messageId, signal);
      const gone = earlier.find((m) => !m.isDraft);
      if (gone) return { status: 'duplicate', providerRef: gone.id };
      // Left by an attempt that failed halfway: which files it holds is not known, so it goes.
      for (const draft of earlier) await deleteDraft(draft.id, signal);
      draftId = await createDraft(mail, signal);
      drafts.set(mail.messageId, draftId);
      for (const file of mail.message.attachments) {
        if (file.content.length < GRAPH_INLINE_ATTACHMENT_MAX_BYTES) await attachSmall(draftId, file, signal);
        else await attachLarge(draftId, file, signal);
      }
    } catch (error) {
      // Best effort (the token may be what failed): the next attempt's look-up removes it otherwise.
      if (draftId) await deleteDraft(draftId).then(() => drafts.delete(mail.messageId), () => undefined);
      throw nothingSent(error);
    }
    const response = await api('POST', `${messagePath(draftId)}/send`, 'send', undefined, signal);
    if (response.status === 202) {
      drafts.delete(mail.messageId);
      return { status: 'sent', providerRef: draftId };
    }
    const error = await failure(response, 'send', true);
    // Refused for certain: the draft goes. Maybe sent: it stays, it is what tells us later.
    if (error.kind !== 'unknown-outcome') await deleteDraft(draftId).then(() => drafts.delete(mail.messageId), () => undefined);
    throw error;
  }

  async function sendMime(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
    const body = base64Encode(mail.raw);
    const post = (token: string) =>
      fetchWithoutRedirect(
        options.fetch,
        `${base}/v1.0/me/sendMail`,
        { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body, signal: signal ?? AbortSignal.timeout(timeoutMs) },
        'Microsoft Graph',
      );
    let response = await post(await options.tokens.accessToken());
    // A token refused before its expiry (revoked, clock skew): renew once and try again.
    if (response.status === 401) response = await post(await options.tokens.renew());
    if (response.status === 202) return { status: 'sent' };
    throw await failure(response, '', true);
  }

  const usesDraft = (mail: OutgoingMail) => mail.raw.length > GRAPH_SENDMAIL_MAX_BYTES;

  return {
    id: 'graph',
    async maxMessageBytes() {
      return GRAPH_MAX_MESSAGE_BYTES;
    },
    async send(mail: OutgoingMail, signal?: AbortSignal): Promise<SendResult> {
      return usesDraft(mail) ? sendLarge(mail, signal) : sendMime(mail, signal);
    },
    async sendState(mail: OutgoingMail): Promise<GraphSendState> {
      if (!usesDraft(mail)) return 'unknown';
      const known = drafts.get(mail.messageId);
      if (known) {
        const response = await api('GET', `${messagePath(known)}?$select=isDraft`, 'look-up');
        if (response.ok) return ((await readCappedJson(response)) as { isDraft?: unknown }).isDraft === false ? 'sent' : 'not-sent';
        if (response.status !== 404) throw await failure(response, 'look-up', false);
      }
      const found = await findByMessageId(mail.messageId);
      if (found.some((m) => !m.isDraft)) return 'sent';
      return found.length > 0 ? 'not-sent' : 'unknown';
    },
  };
}
