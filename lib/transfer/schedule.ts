import type { Schedule } from './rules';

// The app's list rows belong to the site adapters; re-exported here for the schedule's readers.
export type { ListedDocument } from '../sites/types';
import type { ListedDocument } from '../sites/types';

const MINUTE = 60_000;
/** How often an "N minutes after creation" schedule looks at the app (the app's list, not Octopus). */
export const AFTER_CREATION_POLL_MS = 5 * MINUTE;

/**
 * The next run strictly after `after`, in the browser's local time (accountants think in their own hours), or
 * undefined for 'never'.
 */
export function nextRunAt(schedule: Schedule, after: Date): Date | undefined {
  switch (schedule.type) {
    case 'never':
      return undefined;
    case 'nightly': {
      const next = new Date(after);
      next.setHours(schedule.hour, 0, 0, 0);
      if (next.getTime() <= after.getTime()) next.setDate(next.getDate() + 1);
      return next;
    }
    case 'lastMonth': {
      // The 1st at 03:00: the month before is complete and the night's other work is done.
      const next = new Date(after.getFullYear(), after.getMonth(), 1, 3, 0, 0, 0);
      if (next.getTime() <= after.getTime()) next.setMonth(next.getMonth() + 1);
      return next;
    }
    case 'afterCreation':
      return new Date(after.getTime() + Math.min(AFTER_CREATION_POLL_MS, schedule.minutes * MINUTE));
  }
}

const isoDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The last full calendar month before `at`: e.g. on 1 Dec 2026 → 2026-11-01 … 2026-11-30. */
export function previousFullMonth(at: Date): { from: string; to: string } {
  const from = new Date(at.getFullYear(), at.getMonth() - 1, 1);
  const to = new Date(at.getFullYear(), at.getMonth(), 0);
  return { from: isoDate(from), to: isoDate(to) };
}

/** Which listed documents a run at `runAt` takes (before rules and "already transferred" are applied). */
export function dueForRun(schedule: Schedule, runAt: Date, listed: readonly ListedDocument[]): ListedDocument[] {
  switch (schedule.type) {
    case 'never':
      return [];
    case 'nightly':
      return [...listed];
    case 'lastMonth': {
      const { from, to } = previousFullMonth(runAt);
      return listed.filter((d) => d.issueDate !== undefined && d.issueDate >= from && d.issueDate <= to);
    }
    case 'afterCreation': {
      const limit = runAt.getTime() - schedule.minutes * MINUTE;
      // Without a creation time the issue date stands in (its start of day).
      return listed.filter((d) => {
        const created = d.createdAt ? Date.parse(d.createdAt) : d.issueDate ? Date.parse(`${d.issueDate}T00:00:00`) : NaN;
        return Number.isFinite(created) && created <= limit;
      });
    }
  }
}

/** The earliest of several next runs (one alarm serves every dossier). */
export function earliest(dates: (Date | undefined)[]): Date | undefined {
  return dates.filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
}
