import type { DocumentStatus } from '../messaging/protocol';
import type { Translator } from '../i18n/translator';
import type { RowInfo } from '../sites/types';
import { closedHost, controlHost, onUserEvent, setDisabled, shadowOf, type UserEventCheck } from './shadow';

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


/** A status cell: a host whose closed root shows the text; the host carries the state and the page-safe text. */
export function statusHost(doc: Document, documentId: string): HTMLElement {
  const { host, root } = closedHost(doc, 'octobridge-status', STATUS_CSS, { class: `${PREFIX}-status`, 'data-document-id': documentId });
  const span = doc.createElement('span');
  span.textContent = '…';
  root.append(span);
  return host;
}

/**
 * Paints a status cell: the reason in full, then Octopus's own words and the next try, each on its line (wrapping, no
 * tooltip), in the closed root; the page reads the state and the translated text on the host, never Octopus's words.
 */
export function paintCell(cell: HTMLElement, words: StatusWords, status: DocumentStatus | undefined): void {
  const shown = shadowOf(cell)?.querySelector('span');
  if (shown) {
    const doc = cell.ownerDocument;
    shown.replaceChildren(words.text);
    for (const [line, className] of [
      [words.octopus, `${PREFIX}-octopus`],
      [words.next, `${PREFIX}-next`],
    ] as const) {
      if (!line) continue;
      const span = doc.createElement('span');
      span.className = className;
      span.textContent = line;
      shown.append(span);
    }
    shown.title = words.title;
    shown.className = status ? `${PREFIX}-state-${status.state}` : '';
  }
  cell.setAttribute('data-text', words.plain);
  if (status) cell.setAttribute('data-state', status.state);
  else cell.removeAttribute('data-state');
}

/** The longest of the send button's labels in a language (the button keeps that width, see ./shadow.ts). */
export function widestAction(t: Translator): string {
  return ACTION_KEYS.map((key) => t.t(key)).reduce((a, b) => (b.length > a.length ? b : a));
}

/**
 * A row's (or the detail page's) send button in its closed root; in the app's own button classes (`look`) it looks
 * native. It is as wide as its widest label, so its state never moves the app's buttons beside it.
 */
export function sendButton(doc: Document, t: Translator, info: RowInfo, look: string | undefined, isUser: UserEventCheck, send: () => void): { host: HTMLElement; control: HTMLButtonElement } {
  const { host, control: button } = controlHost(doc, 'button', `${PREFIX}-send`, { attrs: { 'data-document-id': info.documentId }, ...(look ? { nativeLook: look } : {}) });
  button.textContent = t.t('overlay_send');
  button.classList.add(`${PREFIX}-sized`);
  button.setAttribute('data-widest', widestAction(t));
  if (!info.sendable) {
    setDisabled(host, button, true);
    button.title = t.t(info.notSendableReason ?? 'overlay_not_sendable');
    // The reason, translated, for the page's own accessibility and tests.
    host.setAttribute('data-text', button.title);
  }
  // A click on our button is never the app's (a link or row handler around it).
  host.addEventListener('click', (event) => event.stopPropagation());
  onUserEvent<MouseEvent>(button, 'click', isUser, (event) => {
    event.preventDefault();
    event.stopPropagation();
    send();
  });
  return { host, control: button };
}
