import type { Dossier, TransportKind } from '../model/dossier';
import type { LocalizedText, OctopusReference, Transfer } from '../model/transfer';
import type { FetchedDocument } from '../sites/types';

export interface DeliveryContext {
  transfer: Transfer;
  dossier: Dossier;
  document: FetchedDocument;
  /** An earlier attempt may have reached the peer: check there before sending again. */
  outcomeUnknown: boolean;
  /** The user asked to send again what was sent. */
  force: boolean;
}

export interface Delivery {
  reference?: OctopusReference;
  /** What happened, for the transfer's log (e.g. "booked as V1/2026/42", "already booked"). */
  text: LocalizedText;
}

/** One way of getting a document into Octopus: the webservice, or the dossier's mailbox. */
export interface Transport {
  kind: TransportKind;
  deliver(context: DeliveryContext): Promise<Delivery>;
}

/**
 * A failure the engine knows how to handle: retried by itself when `retriable`, else left for the
 * user. `outcomeUnknown` says the peer may have acted (a timeout after the request went out).
 * `backPressure` says the peer asked to wait `retryAfterMs` before it took anything (a rate limit, a
 * busy relay): the engine queues it again then, without counting an attempt or logging a failure.
 */
export class TransferError extends Error {
  constructor(
    readonly text: LocalizedText,
    readonly options: {
      retriable: boolean;
      detail?: string;
      code?: string;
      outcomeUnknown?: boolean;
      retryAfterMs?: number;
      /** Retried by itself only while the transfer has had fewer attempts than this (and the engine's limit). */
      maxAttempts?: number;
      /** The peer asked us to slow down (429, busy): wait without spending an attempt. */
      backPressure?: boolean;
      /** A daily quota is spent: it waits for the reset (retryAfterMs), which is not a failed attempt. */
      waitsForQuota?: boolean;
    },
  ) {
    super(options.detail ?? text.key);
    this.name = 'TransferError';
  }
}
