import type { SendRequest } from '../ledger/ledger';
import { resendPageRequest } from '../messaging/protocol';
import type { OctopusReference, Transfer } from '../model/transfer';

/**
 * Sending again a document Octopus already has books it twice, so a page cannot ask for it: the content script only
 * opens a confirmation (`document.resend`, one document of its own site), and the booking is queued when the user
 * clicks "Send again" in the extension's own page (confirm.html, framed in the overlay's closed shadow root), which
 * page script can neither read nor click. The confirmation is a token kept by the worker: short-lived, used once.
 *
 * Pending confirmations live in an injected store (the worker passes `storage.session`: in memory, closed to content
 * scripts, and it outlives the MV3 worker being stopped while the user reads the dialog; gone when the browser closes).
 */

/** How long a confirmation stays open: time to read a dialog, not to come back tomorrow. */
export const RESEND_TTL_MS = 5 * 60_000;
const KEY_PREFIX = 'resend:';

export interface PendingResend {
  token: string;
  site: string;
  origin: string;
  adapter: string;
  documentId: string;
  documentNumber?: string;
  transport: Transfer['transport'];
  reference?: OctopusReference;
  /** When it was booked (the transfer's sentAt), for the dialog. */
  sentAt?: string;
  expiresAt: number;
}

export interface ResendStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface ResendDeps {
  /** The site's transfer of the document, if any (the ledger, by the site's host). */
  transferOf(site: string, documentId: string): Promise<Transfer | undefined>;
  /** Queues the forced send (the engine). */
  send(request: SendRequest): Promise<{ outcome: string }>;
  store: ResendStore;
  now(): number;
  /** 128 random bits as text; injectable for tests. */
  newToken?(): string;
}

export type ResendAnswer = { ok: true; token: string } | { ok: false; error: { code: 'not-found' | 'forbidden'; message: string } };

/** What the dialog shows: the document and where and when it was booked; nothing about credentials or dossiers. */
export interface ResendDetails {
  documentNumber: string;
  site: string;
  reference?: OctopusReference;
  sentAt?: string;
}

function randomToken(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isPending(value: unknown): value is PendingResend {
  const v = value as Partial<PendingResend> | undefined;
  return Boolean(v && typeof v.token === 'string' && typeof v.site === 'string' && typeof v.documentId === 'string' && typeof v.expiresAt === 'number');
}

export class ResendConfirmations {
  /** Confirms run one after the other, so one token cannot be taken twice by two messages at once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ResendDeps) {}

  /**
   * A content script of `site` asks to send `documentId` again: allowed only for a document of that site that was
   * sent; answers the token its confirmation page needs.
   */
  async request(site: string, documentId: string): Promise<ResendAnswer> {
    const transfer = await this.deps.transferOf(site, documentId);
    if (!transfer || transfer.site !== site) return { ok: false, error: { code: 'not-found', message: 'no transfer of this document on this site' } };
    if (transfer.state !== 'sent') return { ok: false, error: { code: 'forbidden', message: 'only a document that was sent is sent again' } };
    const token = (this.deps.newToken ?? randomToken)();
    const pending: PendingResend = {
      token,
      site,
      origin: transfer.origin,
      adapter: transfer.adapter,
      documentId,
      ...(transfer.documentNumber ? { documentNumber: transfer.documentNumber } : {}),
      transport: transfer.transport,
      ...(transfer.octopusReference ? { reference: transfer.octopusReference } : {}),
      ...(transfer.sentAt ? { sentAt: transfer.sentAt } : {}),
      expiresAt: this.deps.now() + RESEND_TTL_MS,
    };
    await this.deps.store.set(KEY_PREFIX + token, pending);
    return { ok: true, token };
  }

  /** What the confirmation page shows for a token still open; undefined for an unknown, used or expired one. */
  async details(token: string): Promise<ResendDetails | undefined> {
    const pending = await this.open(token);
    if (!pending) return undefined;
    return { documentNumber: pending.documentNumber ?? pending.documentId, site: pending.site, reference: pending.reference, sentAt: pending.sentAt };
  }

  /** The user clicked "Send again" in the extension's page: the token is used up and the forced send queued. */
  confirm(token: string): Promise<{ ok: true; documentId: string; outcome: string } | { ok: false; error: { code: 'not-found'; message: string } }> {
    const run = this.queue.then(async () => {
      const pending = await this.open(token);
      if (!pending) return { ok: false as const, error: { code: 'not-found' as const, message: 'no such confirmation (used, expired or never made)' } };
      // Removed before sending: a second confirm finds nothing, whatever happens to the send.
      await this.deps.store.remove(KEY_PREFIX + token);
      const result = await this.deps.send({
        site: pending.site,
        origin: pending.origin,
        adapter: pending.adapter,
        documentId: pending.documentId,
        ...(pending.documentNumber ? { documentNumber: pending.documentNumber } : {}),
        transport: pending.transport,
        force: true,
      });
      return { ok: true as const, documentId: pending.documentId, outcome: result.outcome };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The user cancelled: the token is dropped. */
  async cancel(token: string): Promise<void> {
    if (/^[0-9a-f]{32}$/.test(token)) await this.deps.store.remove(KEY_PREFIX + token);
  }

  private async open(token: string): Promise<PendingResend | undefined> {
    if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
    const value = await this.deps.store.get(KEY_PREFIX + token);
    if (!isPending(value) || value.token !== token) return undefined;
    if (value.expiresAt <= this.deps.now()) {
      await this.deps.store.remove(KEY_PREFIX + token);
      return undefined;
    }
    return value;
  }
}

/**
 * The worker's handling of the confirmation page's messages (`resend.*`): refused unless the sender is one of the
 * extension's own pages; undefined when the message is not one of them (the worker goes on with its other kinds).
 */
export async function handleResendPageMessage(
  raw: unknown,
  fromExtensionPage: boolean,
  confirmations: ResendConfirmations,
  onQueued: (documentId: string) => void = () => undefined,
): Promise<unknown> {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !type.startsWith('resend.')) return undefined;
  if (!fromExtensionPage) return { ok: false, error: { code: 'forbidden', message: 'only the extension’s own page confirms a resend' } };
  const parsed = resendPageRequest.safeParse(raw);
  if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
  const { token } = parsed.data;
  switch (parsed.data.type) {
    case 'resend.details': {
      const details = await confirmations.details(token);
      return details ? { ok: true, details } : { ok: false, error: { code: 'not-found', message: 'no such confirmation (used, expired or never made)' } };
    }
    case 'resend.cancel':
      await confirmations.cancel(token);
      return { ok: true };
    case 'resend.confirm': {
      const answer = await confirmations.confirm(token);
      if (answer.ok) onQueued(answer.documentId);
      return answer;
    }
  }
}
