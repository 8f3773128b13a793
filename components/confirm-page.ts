import type { Translator } from '../lib/i18n/translator';
import { formatReference, type OctopusReference } from '../lib/model/transfer';

/**
 * The "send again" confirmation (entrypoints/confirm): the extension's own page, framed by the overlay in the invoicing
 * app. It shows what was booked where and when, and only its "Send again" lets the worker queue the second booking
 * (`resend.confirm` with the token, which the worker takes from extension pages only). Plain DOM: it must be light.
 */

interface Details {
  documentNumber: string;
  site: string;
  reference?: OctopusReference;
  sentAt?: string;
}

export interface ConfirmPageDeps {
  ask(message: unknown): Promise<unknown>;
  /** Tells the overlay to take the frame away. */
  close(): void;
  t: Translator;
  /** The UI language, for the booking's date. */
  lang?: string;
  /** Whether an event is the user's own (default `isTrusted`; unit tests replace it). */
  isUserEvent?: (event: Event) => boolean;
  /** The send button is enabled this long after the dialog shows, so a click meant for the page does not land on it. */
  armAfterMs?: number;
}

function answerOk(answer: unknown): answer is { ok: true; details?: Details } {
  return Boolean(answer && (answer as { ok?: unknown }).ok === true);
}

export async function startConfirmPage(doc: Document, token: string, deps: ConfirmPageDeps): Promise<void> {
  const { t } = deps;
  const isUser = deps.isUserEvent ?? ((event: Event) => event.isTrusted === true);
  const root = doc.getElementById('root') ?? doc.body;
  root.replaceChildren();
  doc.documentElement.lang = deps.lang ?? 'en';
  const heading = doc.createElement('h1');
  heading.textContent = t.t('overlay_send_again');
  const body = doc.createElement('p');
  const actions = doc.createElement('p');
  root.append(heading, body, actions);
  root.setAttribute('style', 'padding:14px 16px');

  const cancel = doc.createElement('button');
  cancel.type = 'button';
  cancel.name = 'cancel';
  cancel.textContent = t.t('confirm_cancel');
  cancel.addEventListener('click', (event) => {
    if (!isUser(event)) return;
    void deps.ask({ type: 'resend.cancel', token }).catch(() => undefined);
    deps.close();
  });

  const details = await deps.ask({ type: 'resend.details', token }).catch(() => undefined);
  if (!answerOk(details) || !details.details) {
    body.className = 'error';
    body.setAttribute('role', 'alert');
    body.textContent = t.t('confirm_expired');
    cancel.textContent = t.t('confirm_close');
    actions.append(cancel);
    return;
  }
  const d = details.details;
  const when = d.sentAt ? new Intl.DateTimeFormat(deps.lang ?? 'en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(d.sentAt)) : '—';
  const what = doc.createElement('strong');
  what.textContent = d.documentNumber;
  const booked = doc.createElement('span');
  booked.className = 'booked';
  booked.textContent = ` ${t.t('confirm_booked', [d.reference ? formatReference(d.reference) : '—', when, d.site])}`;
  const warning = doc.createElement('p');
  warning.textContent = t.t('overlay_confirm_send_again');
  body.append(what, booked);
  body.after(warning);

  const send = doc.createElement('button');
  send.type = 'button';
  send.name = 'send-again';
  send.className = 'primary';
  send.textContent = t.t('overlay_send_again');
  send.disabled = true;
  // Armed a moment after it shows: a double click on the page's row must not fall through onto it.
  let armed = false;
  // Where the browser can tell (IntersectionObserver v2, Chromium), also only while the dialog is really seen: a page
  // that made it transparent or covered it (to trick a click onto it) leaves the button disabled.
  const Entry = (doc.defaultView as (Window & typeof globalThis) | null)?.IntersectionObserverEntry;
  const canTellVisibility = Boolean(Entry && 'isVisible' in Entry.prototype);
  let seen = !canTellVisibility;
  const update = () => {
    if (!send.isConnected || send.dataset.done) return;
    send.disabled = !(armed && seen);
  };
  setTimeout(() => {
    armed = true;
    update();
  }, deps.armAfterMs ?? 400);
  if (canTellVisibility) {
    const Observer = doc.defaultView!.IntersectionObserver;
    const observer = new Observer(
      (entries) => {
        const last = entries[entries.length - 1] as IntersectionObserverEntry & { isVisible?: boolean };
        seen = last.isVisible === true;
        update();
      },
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    // The dialog's box, not the button: a disabled button is drawn half transparent, which alone counts as not visible.
    observer.observe(root);
  }
  send.addEventListener('click', (event) => {
    if (!isUser(event) || send.disabled) return;
    send.dataset.done = 'true';
    send.disabled = true;
    cancel.disabled = true;
    void deps
      .ask({ type: 'resend.confirm', token })
      .catch(() => undefined)
      .then((answer) => {
        if (answerOk(answer)) {
          deps.close();
          return;
        }
        warning.className = 'error';
        warning.setAttribute('role', 'alert');
        warning.textContent = t.t('confirm_expired');
        cancel.disabled = false;
        cancel.textContent = t.t('confirm_close');
      });
  });
  actions.append(send, doc.createTextNode(' '), cancel);
  send.focus();
}
