import type { LedgerDb } from '../ledger/db';
import type { Connection, ConnectionSecret, Dossier } from '../model/dossier';
import { formatReference, type LocalizedText, type OctopusReference } from '../model/transfer';

export { formatReference };
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { assertBoundTo, SecretUrlMismatch } from '../platform/secret-url';
import { OctopusClient, type FetchLike, type RequestInfo } from '../octopus/client';
import { bookInvoice, OctopusReferenceData, type ReferenceCache } from '../octopus/booking';
import { isOctopusError } from '../octopus/errors';
import { IndexedDbBudgetStore, IndexedDbReferenceCache } from '../octopus/reference-cache';
import { CallBudget, type CallGate } from '../octopus/budget';
import { translatorFor } from '../i18n';
import { TransferError, type Transport } from './transport';

export function clientForConnection(
  connection: Connection,
  secret: ConnectionSecret,
  fetchFn: FetchLike,
  clock: Clock = systemClock,
  onRequest?: (info: RequestInfo) => void,
  budget?: CallGate,
): OctopusClient {
  // Every client made from a stored password is made here: the password goes to the address it was entered for only.
  assertBoundTo(secret.boundUrl, connection.baseUrl);
  return new OctopusClient({
    ...(onRequest ? { onRequest } : {}),
    ...(budget ? { budget } : {}),
    baseUrl: connection.baseUrl,
    softwareHouseUuid: secret.softwareHouseUuid,
    user: connection.user,
    password: secret.password,
    fetch: fetchFn,
    clock,
  });
}


/** The localized text of a failure (Octopus's own words stay in `detail`). */
export function failureText(error: unknown): LocalizedText {
  if (isOctopusError(error)) return error.text;
  if (error instanceof SecretUrlMismatch) return { key: 'error_secret_url_changed', params: [] };
  return { key: 'error_unexpected', params: [] };
}

/** English description of a failure, for logs and the `message` field of answers. */
export function describeOctopusFailure(error: unknown): string {
  const text = failureText(error);
  const described = translatorFor('en').t(text.key, text.params);
  return isOctopusError(error) && error.message && error.message !== described ? `${described} (${error.detail})` : described;
}

export function toTransferError(error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  if (isOctopusError(error)) {
    return new TransferError(error.text, {
      retriable: error.retriable,
      detail: error.detail,
      code: error.code,
      outcomeUnknown: error.outcomeUnknown,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(error.attemptCap !== undefined ? { maxAttempts: error.attemptCap } : {}),
      ...(error.kind === 'quota' && error.retryAfterMs !== undefined ? { waitsForQuota: true } : {}),
    });
  }
  if (error instanceof SecretUrlMismatch) return new TransferError(failureText(error), { retriable: false, detail: error.message, code: 'secret-url-changed' });
  return new TransferError({ key: 'error_unexpected', params: [] }, { retriable: true, detail: String(error) });
}

/** The extension's daily call budget (kept in its IndexedDB). */
export function dayBudget(db: LedgerDb, clock: Clock = systemClock): CallBudget {
  return new CallBudget(new IndexedDbBudgetStore(db), clock);
}

/**
 * Direct booking through the Octopus webservice. Credentials are read here, in the worker, from the
 * extension's IndexedDB; one client per connection keeps its tokens between bookings.
 */
export function createWebserviceTransport(db: LedgerDb, fetchFn: FetchLike, clock: Clock = systemClock): Transport & { cache: ReferenceCache; refresh(dossier: Dossier): Promise<void> } {
  const clients = new Map<string, { client: OctopusClient; fingerprint: string }>();
  const cache = new IndexedDbReferenceCache(db, clock);
  const budget = dayBudget(db, clock);

  async function clientFor(dossier: Dossier): Promise<OctopusClient> {
    const [connection, secret] = await Promise.all([db.connections.get(dossier.connectionId), db.secrets.get(dossier.connectionId)]);
    if (!connection || !secret) {
      throw new TransferError({ key: 'error_connection_missing', params: [dossier.name] }, { retriable: false });
    }
    // A changed password or URL gets a new client (and new tokens); the fingerprint holds no secret in clear.
    const fingerprint = `${connection.baseUrl}|${connection.user}|${secret.softwareHouseUuid.length}|${await digest(secret.password + secret.softwareHouseUuid)}`;
    const known = clients.get(connection.id);
    if (known && known.fingerprint === fingerprint) return known.client;
    const client = clientForConnection(connection, secret, fetchFn, clock, undefined, budget.gate(connection.baseUrl));
    clients.set(connection.id, { client, fingerprint });
    return client;
  }

  return {
    kind: 'webservice',
    cache,
    async deliver({ transfer, dossier, document, outcomeUnknown }) {
      try {
        const client = await clientFor(dossier);
        const result = await bookInvoice(client, dossier, document.invoice, {
          cache,
          clock,
          outcomeUnknown,
          // No attempt of this transfer can have been posted before it existed: the feed is read from there.
          ...(Number.isFinite(Date.parse(transfer.createdAt)) ? { postedSince: new Date(transfer.createdAt) } : {}),
          ...(document.sourceXml !== undefined ? { sourceXml: document.sourceXml } : {}),
        });
        const reference: OctopusReference = {
          journal: result.journal,
          bookyear: result.bookyear,
          bookyearLabel: result.bookyearLabel,
          documentSequenceNr: result.documentSequenceNr,
        };
        return {
          reference,
          text: { key: result.alreadyBooked ? 'log_already_booked' : 'log_booked', params: [formatReference(reference)] },
        };
      } catch (error) {
        throw toTransferError(error);
      }
    },
    /** Forget the dossier's cached reference data: the next booking reads it again (the user asked for it). */
    async refresh(dossier: Dossier) {
      const client = await clientFor(dossier);
      await new OctopusReferenceData(client, dossier.octopusDossierId, cache, undefined, undefined, clock).forgetReferenceData();
    },
  };
}

async function digest(value: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(bytes).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}
