import type { LedgerDb } from '../ledger/db';
import type { Dossier } from '../model/dossier';
import type { LocalizedText, Transfer } from '../model/transfer';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { isAddress } from '../mail/address';
import { relayForAccount } from '../mail/accounts';
import { composeInvoiceMail, isUblSource, ublBytesOf } from '../mail/compose';
import { checkInvoice } from '../ubl/checks';
import type { Invoice } from '../model/invoice';
import { mailDedupKey, messageIdFor } from '../mail/dedup';
import { peerDetail } from '../mail/redact';
import { RelayError, type FetchLike, type MailRelay } from '../mail/relay';
import type { MailAccount, MailAccountSecret, MailSendRecord } from '../mail/store';
import { TransferError, type Transport } from './transport';

/**
 * The dossier's Octopus mailbox as a transport: the UBL with its PDF, e-mailed through the account
 * set up in the options page (the firm's relay, JMAP, Microsoft 365 or Gmail).
 *
 * Exactly once: each send has a dedup key (dossier | direction | UBL bytes) and a Message-ID
 * derived from it, recorded in the send ledger (db.mailSends) before the message leaves. A document
 * already sent under its key is not sent again unless the user asks ("send again": a new
 * generation, a new Message-ID). A send whose outcome is unknown is first looked up at the peer (the
 * relay's GET, JMAP Email/query); where the peer cannot tell (Graph, Gmail) it waits for the user.
 */

export interface MailboxTransportOptions {
  clock?: Clock;
  /** Tests inject a relay; by default it follows the stored account. */
  relayFor?: (account: MailAccount, secret: MailAccountSecret | undefined) => MailRelay;
}

const text = (key: string, ...params: string[]): LocalizedText => ({ key, params });

/** When the user last asked to send this transfer again (the ledger logs it), to tell one request from its retries. */
function resendRequestedAt(transfer: Transfer): string | undefined {
  return [...transfer.log].reverse().find((entry) => entry.text.key === 'log_queued_again')?.at;
}

export function toMailTransferError(error: unknown, relayName: string): TransferError {
  if (error instanceof TransferError) return error;
  if (!(error instanceof RelayError)) {
    return new TransferError(text('error_unexpected'), { retriable: true, detail: peerDetail(String(error)), outcomeUnknown: true });
  }
  // Already masked (RelayError masks its message; the account's relay its secrets by value).
  const detail = error.message;
  if (error.options.key) {
    // A refusal of ours (an address that changed, a server naming another, a redirect): nothing went out.
    return new TransferError(text(error.options.key), { retriable: false, detail, code: 'mail-refused-here' });
  }
  switch (error.kind) {
    case 'auth':
      return new TransferError(text('mail_error_auth', relayName), { retriable: false, detail, code: 'mail-auth' });
    case 'too-large':
      return new TransferError(
        error.options.limit ? text('mail_error_too_large', String(Math.floor(error.options.limit / 1024))) : text('mail_error_too_large_peer'),
        { retriable: false, detail, code: 'mail-too-large' },
      );
    case 'rejected':
      // 403 from the firm's relay: this token may not send as this sender or to this mailbox (lib/relay/README.md).
      if (error.options.status === 403) return new TransferError(text('mail_error_relay_forbidden'), { retriable: false, detail, code: 'mail-forbidden' });
      return new TransferError(text('mail_error_rejected', relayName), { retriable: false, detail, code: 'mail-rejected' });
    case 'rate-limited':
    case 'transient':
      return new TransferError(text('mail_error_unavailable', relayName), {
        retriable: true,
        detail,
        code: 'mail-unavailable',
        ...(error.options.retryAfterMs !== undefined ? { retryAfterMs: error.options.retryAfterMs } : {}),
        // A rate limit or a busy peer took nothing: "try later", not a failed attempt.
        ...(error.kind === 'rate-limited' ? { backPressure: true } : {}),
      });
    case 'unknown-outcome':
      return new TransferError(text('mail_error_no_answer', relayName), { retriable: true, detail, code: 'mail-unknown', outcomeUnknown: true });
  }
}

/**
 * The peer's size limit. Reading it sends nothing, so when the read fails (a 5xx, a lost answer) this attempt
 * certainly sent nothing: a transient failure, not an unknown outcome (which would make the engine hold the
 * dossier's other documents until it is settled, and log "no answer" for a send that never left).
 */
async function limitOf(relay: MailRelay): Promise<number> {
  try {
    return await relay.maxMessageBytes();
  } catch (error) {
    if (error instanceof RelayError && error.kind === 'unknown-outcome') throw new RelayError(error.message, 'transient', error.options);
    throw error;
  }
}

/**
 * Rules the mailbox does not need: the parties' Peppol addresses matter on the Peppol network, not in a mail to the
 * dossier's Octopus mailbox, and a consumer (B2C) has none.
 */
const NOT_FOR_THE_MAILBOX = new Set(['PEPPOL-EN16931-R010', 'PEPPOL-EN16931-R020']);

/**
 * A UBL we write ourselves (no source, or a CII / Factur-X one) is checked by the pre-flight rules before it goes:
 * the app's own UBL is the app's word, ours must not carry a mistake of our reading into the client's books.
 */
function preflight(invoice: Invoice, sourceXml: string | undefined): void {
  if (isUblSource(sourceXml)) return;
  const fatal = checkInvoice(invoice).filter((f) => f.severity === 'fatal' && !NOT_FOR_THE_MAILBOX.has(f.ruleId));
  if (fatal.length === 0) return;
  throw new TransferError(text('mail_error_preflight', fatal.map((f) => `${f.ruleId} (${f.path})`).join(', ')), {
    retriable: false,
    code: 'mail-preflight',
    detail: fatal.map((f) => f.message.en).join(' '),
  });
}

const RELAY_NAMES: Record<MailRelay['id'], string> = { 'http-relay': 'relay', jmap: 'JMAP', graph: 'Microsoft 365', gmail: 'Gmail' };

export function createMailboxTransport(db: LedgerDb, fetchFn: FetchLike, options: MailboxTransportOptions = {}): Transport {
  const clock = options.clock ?? systemClock;
  const relayFor =
    options.relayFor ??
    ((account: MailAccount, secret: MailAccountSecret | undefined) =>
      relayForAccount(account, secret, fetchFn, async (next) => {
        await db.mailSecrets.put(next);
      }));

  async function recipient(dossier: Dossier, direction: 'sales' | 'purchase'): Promise<string> {
    const address = direction === 'sales' ? dossier.mailbox.sales : dossier.mailbox.purchases;
    if (!address?.trim()) {
      const key = direction === 'sales' ? 'mail_error_no_sales_address' : 'mail_error_no_purchase_address';
      throw new TransferError(text(key, dossier.name), { retriable: false, code: 'mail-no-address' });
    }
    if (!isAddress(address)) throw new TransferError(text('mail_error_bad_address', address.trim()), { retriable: false, code: 'mail-bad-address' });
    return address.trim();
  }

  /**
   * Until when the peer asked us to wait (a rate limit, a busy relay). The other queued documents wait it out
   * here instead of each uploading its message only to be refused again; lost with the worker, which is harmless.
   */
  let pausedUntil = 0;

  return {
    kind: 'mailbox',
    async deliver({ transfer, dossier, document, outcomeUnknown, force }) {
      const [account, secret] = await Promise.all([db.mailAccounts.get('default'), db.mailSecrets.get('default')]);
      if (!account) throw new TransferError(text('mail_error_not_set_up'), { retriable: false, code: 'mail-not-set-up' });
      const pause = pausedUntil - clock.now().getTime();
      if (pause > 0) {
        throw new TransferError(text('mail_error_unavailable', RELAY_NAMES[account.kind]), { retriable: true, code: 'mail-unavailable', retryAfterMs: pause, backPressure: true });
      }
      if (!isAddress(account.from)) throw new TransferError(text('mail_error_bad_address', account.from), { retriable: false, code: 'mail-bad-address' });
      const { invoice } = document;
      preflight(invoice, document.sourceXml);
      const to = await recipient(dossier, invoice.direction);
      let relay: MailRelay;
      try {
        relay = relayFor(account, secret);
      } catch (error) {
        throw toMailTransferError(error, RELAY_NAMES[account.kind]);
      }
      const name = RELAY_NAMES[relay.id];
      const baseKey = await mailDedupKey(dossier.id, invoice.direction, ublBytesOf(invoice, document.sourceXml));
      const now = clock.now().toISOString();
      const requestedAt = resendRequestedAt(transfer);
      let record = await db.mailSends.get(baseKey);

      if (record?.state === 'sent') {
        const askedAgain = force && requestedAt !== undefined && requestedAt !== record.resendRequestedAt;
        if (!askedAgain) return { text: text('mail_log_already_sent', record.to, record.messageId) };
        record = { ...record, state: 'prepared', generation: record.generation + 1, date: now, resendRequestedAt: requestedAt };
      }
      record ??= {
        dedupKey: baseKey,
        transferId: transfer.id,
        dossierId: dossier.id,
        direction: invoice.direction,
        state: 'prepared',
        generation: 0,
        date: now,
        messageId: messageIdFor(baseKey, 0, account.from),
        to,
        transport: relay.id,
      };
      // Until it has gone, the address and account may still be corrected by the user.
      record = { ...record, to, transferId: transfer.id, transport: relay.id };

      try {
        const limit = await limitOf(relay);
        const mail = await composeInvoiceMail(
          { dossierId: dossier.id, direction: invoice.direction, invoice, ...(document.sourceXml !== undefined ? { sourceXml: document.sourceXml } : {}), to, from: { address: account.from, ...(account.fromName ? { name: account.fromName } : {}) }, date: new Date(record.date), generation: record.generation },
          limit,
        );
        record = { ...record, messageId: mail.messageId };

        if (record.state === 'submitting' || outcomeUnknown) {
          // The peer's own answer, where it has one: a yes/no (relay, JMAP), or yes/no/cannot tell (Graph's drafts).
          const state = relay.alreadySent ? ((await relay.alreadySent(mail)) ? 'sent' : 'not-sent') : relay.sendState ? await relay.sendState(mail) : 'unknown';
          if (state === 'sent') {
            await db.mailSends.put({ ...record, state: 'sent', sentAt: record.sentAt ?? now });
            return { text: text('mail_log_already_sent', to, mail.messageId) };
          }
          if (state === 'unknown' && record.state === 'submitting') {
            // The peer cannot say whether it went; sending blind could make a second booking.
            throw new TransferError(text('mail_error_outcome_unknown', name), { retriable: false, code: 'mail-unknown', detail: mail.messageId });
          }
        }

        await db.mailSends.put({ ...record, state: 'submitting' });
        let result;
        try {
          result = await relay.send(mail);
        } catch (error) {
          // Known not to have gone: forget the attempt, so a retry sends without asking.
          if (error instanceof RelayError && error.kind !== 'unknown-outcome') await db.mailSends.put({ ...record, state: 'prepared' });
          throw error;
        }
        await db.mailSends.put({ ...record, state: 'sent', sentAt: clock.now().toISOString(), ...(result.providerRef ? { providerRef: result.providerRef } : {}) });
        return { text: text(result.status === 'duplicate' ? 'mail_log_already_sent' : 'mail_log_sent', to, mail.messageId) };
      } catch (error) {
        const failure = toMailTransferError(error, name);
        if (failure.options.backPressure && failure.options.retryAfterMs !== undefined) {
          pausedUntil = Math.max(pausedUntil, clock.now().getTime() + failure.options.retryAfterMs);
        }
        throw failure;
      }
    },
  };
}

export type { MailSendRecord };
