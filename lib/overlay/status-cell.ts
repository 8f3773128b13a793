import type { DocumentStatus } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';

const PREFIX = 'octobridge';

/** Inside a status host's closed root: the text, coloured by state. */
export const STATUS_CSS = `
:host{display:inline-block}
span{display:block;white-space:normal;overflow-wrap:anywhere;line-height:1.35}
.${PREFIX}-next{display:block;color:#4d5a56}
.${PREFIX}-octopus{display:block;color:#3b4541;font-style:italic}
.${PREFIX}-state-sent{color:#137333}
.${PREFIX}-state-failed,.${PREFIX}-state-needs-attention{color:#b3261e}
.${PREFIX}-state-queued,.${PREFIX}-state-sending{color:#8a6d00}
`;

/** When the next automatic try is: the time today, else the day and the time (in the browser's locale). */
export function formatNextTry(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

export interface StatusWords {
  /** The line the cell shows (the reason in full for a failure). */
  text: string;
  /** Everything in one sentence: the rail's label and card, a tooltip. */
  title: string;
  /** What the page may read on the host: the translated state and reason only, no peer's words. */
  plain: string;
  /** A failure's next automatic try ("Next try at 14:05"), shown under the reason. */
  next?: string;
  /** Octopus's own words, marked as such ("Octopus: «…»"), shown in the closed root only. */
  octopus?: string;
}

/**
 * Text of a status for a cell: a mark and the reference when sent, the reason in full when failed, with the time of
 * the next automatic try and Octopus's own words. All of it is shown in our closed roots; `plain` is what the page
 * may read on the host.
 */
export function statusText(status: DocumentStatus | undefined, t: Translator): StatusWords {
  if (!status) return { text: '—', title: t.t('overlay_not_sent'), plain: t.t('overlay_not_sent') };
  const stateKey = `state_${status.state.replace('-', '_')}`;
  if (status.state === 'sent') {
    const ref = status.reference;
    const refText = ref ? `${ref.journal}/${ref.bookyearLabel ?? ref.bookyear}/${ref.documentSequenceNr}` : '';
    const text = `✓ ${refText || t.t(stateKey)}`.trim();
    return { text, title: t.t('overlay_sent_as', [refText]), plain: text };
  }
  if (status.error && (status.state === 'failed' || status.state === 'needs-attention')) {
    const message = t.t(status.error.text.key, status.error.text.params);
    const when = status.state === 'failed' && status.nextAttemptAt ? formatNextTry(status.nextAttemptAt) : '';
    const next = when ? t.t('overlay_next_try', [when]) : undefined;
    const octopus = status.octopusText ? t.t('overlay_octopus_says', [status.octopusText]) : undefined;
    const title = [`${t.t(stateKey)}: ${message}`, octopus, next].filter(Boolean).join(' · ');
    return { text: `✗ ${message}`, title, plain: `✗ ${message}`, ...(next ? { next } : {}), ...(octopus ? { octopus } : {}) };
  }
  return { text: `… ${t.t(stateKey)}`, title: t.t(stateKey), plain: `… ${t.t(stateKey)}` };
}

/** The send button's labels, one per state; it is as wide as the widest (./overlay.ts). */
export const ACTION_KEYS = ['overlay_send', 'overlay_send_again', 'overlay_retry_now'] as const;

export function isBusy(status: DocumentStatus | undefined): boolean {
  return status?.state === 'queued' || status?.state === 'sending';
}

/** What the send button of a row says, by its state. */
export function actionKey(status: DocumentStatus | undefined): string {
  if (status?.state === 'sent') return 'overlay_send_again';
  if (status?.state === 'failed' || status?.state === 'needs-attention') return 'overlay_retry_now';
  return 'overlay_send';
}

