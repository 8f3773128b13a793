import type { Ledger } from '../ledger/ledger';
import type { OctopusBookingRead } from '../octopus/api';
import type { Dossier } from '../model/dossier';
import type { Transfer } from '../model/transfer';
import type { Clock } from '../platform/clock';

/** Octopus's modified feed for one dossier: bookings created or changed since a time. */
export type ModifiedFeed = (dossier: Dossier, since: Date | undefined) => Promise<OctopusBookingRead[]>;

export interface ReconcileSummary {
  dossierId: string;
  /** Our bookings the feed showed. */
  confirmed: number;
  /** Documents we had not sent (queued, failed, waiting) that the feed shows booked in Octopus by other means. */
  bookedElsewhere: Transfer[];
  /** Bookings in the feed we know nothing of (made in Octopus, or by another tool). */
  foreign: number;
  /** When this read started: the next one asks from here (with an overlap). */
  readAt: string;
}

/** The feed's time zone is undocumented: ask from a little earlier and accept seeing a booking twice. */
export const FEED_OVERLAP_MS = 26 * 60 * 60_000;
export const reconcileKey = (dossierId: string) => `reconcile:${dossierId}`;

const keyOf = (journal: string | null | undefined, bookyear: number | null | undefined, seq: number) => `${journal ?? ''}|${bookyear ?? ''}|${seq}`;

function mentions(booking: OctopusBookingRead, number: string | undefined): boolean {
  if (!number) return false;
  const words = `${booking.comment ?? ''} ${booking.reference ?? ''}`.split(/\s+/);
  return words.includes(number);
}

/**
 * Reads the dossier's modified feed once (it is quota-limited: about 48 calls a day) and:
 * - confirms our sent transfers whose booking (journal, bookyear, number) it shows;
 * - notices unsent documents of ours that it shows booked (the comment or reference holds their number): they are
 *   recorded as sent with that booking, so they are not booked twice;
 * - counts the rest as foreign.
 */
export async function reconcileDossier(options: { ledger: Ledger; dossier: Dossier; feed: ModifiedFeed; clock: Clock }): Promise<ReconcileSummary> {
  const { ledger, dossier, feed, clock } = options;
  const readAt = clock.now();
  const last = (await ledger.db.settings.get(reconcileKey(dossier.id)))?.value;
  const since = typeof last === 'string' ? new Date(Date.parse(last) - FEED_OVERLAP_MS) : undefined;
  const bookings = await feed(dossier, since);
  const transfers = await ledger.db.transfers.filter((t) => t.dossierId === dossier.id).toArray();
  const byReference = new Map<string, Transfer>();
  for (const t of transfers) {
    if (t.state === 'sent' && t.octopusReference) {
      const r = t.octopusReference;
      byReference.set(keyOf(r.journal, r.bookyear, r.documentSequenceNr), t);
    }
  }
  const unsent = transfers.filter((t) => t.state !== 'sent' && t.state !== 'sending');
  let confirmed = 0;
  let foreign = 0;
  const bookedElsewhere: Transfer[] = [];
  for (const booking of bookings) {
    const ours = byReference.get(keyOf(booking.journalKey, booking.bookyearKey?.id, booking.documentSequenceNr));
    if (ours) {
      if (!ours.confirmedAt) {
        await ledger.confirm(ours.id);
        confirmed++;
      }
      continue;
    }
    const match = unsent.find((t) => mentions(booking, t.documentNumber));
    if (match && booking.journalKey && booking.bookyearKey?.id !== undefined) {
      const marked = await ledger.markBookedElsewhere(match.id, {
        journal: booking.journalKey,
        bookyear: booking.bookyearKey.id,
        documentSequenceNr: booking.documentSequenceNr,
      });
      if (marked) bookedElsewhere.push(marked);
      unsent.splice(unsent.indexOf(match), 1);
      continue;
    }
    foreign++;
  }
  await ledger.db.settings.put({ key: reconcileKey(dossier.id), value: readAt.toISOString() });
  return { dossierId: dossier.id, confirmed, bookedElsewhere, foreign, readAt: readAt.toISOString() };
}
