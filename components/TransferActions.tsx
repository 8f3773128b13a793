import { useState } from 'react';
import { browser } from 'wxt/browser';
import type { Transfer } from '../lib/model/transfer';
import { reasonOf, peerKey } from '../lib/history/present';
import { t, uiLanguage } from './i18n';

/** The worker's answer to transfer.retry: queued, or why not. */
async function askRetry(transfer: Transfer, again: boolean): Promise<string> {
  try {
    const answer = (await browser.runtime.sendMessage({ type: 'transfer.retry', transferId: transfer.id, ...(again ? { again: true } : {}) })) as
      | { ok: true; outcome?: string }
      | { ok: false; error?: { message?: string } }
      | undefined;
    if (answer?.ok) return t.t(answer.outcome === 'already-sent' ? 'popup_retry_already_sent' : 'popup_retry_queued');
    return t.t('popup_retry_failed', [answer?.error?.message ?? '?']);
  } catch (error) {
    return t.t('popup_retry_failed', [String(error)]);
  }
}

export function needsUser(transfer: Transfer): boolean {
  return transfer.state === 'failed' || transfer.state === 'needs-attention';
}

/** The failure in full where the row is: our words, then the peer's own, marked as not ours. */
export function FailureReason({ transfer }: { transfer: Transfer }) {
  const reason = reasonOf(transfer, t);
  if (!reason) return null;
  return (
    <div className="message reason">
      <span>{reason.text}</span>
      {reason.peer && <span className="peer-words">{t.t(peerKey(transfer), [reason.peer])}</span>}
    </div>
  );
}

/**
 * "Retry now" (one wording everywhere), with when the worker would try by itself. The answer is said in a live
 * region; focus stays on a control of the row (`onSettled` moves it there when the button goes with the state).
 */
export function RetryNow({ transfer, onSettled }: { transfer: Transfer; onSettled?: () => void }) {
  const [said, setSaid] = useState('');
  if (!needsUser(transfer)) return said ? <p role="status" className="muted">{said}</p> : null;
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div className="retry">
      <button
        type="button"
        name="retry-now"
        onClick={async () => {
          setSaid(await askRetry(transfer, false));
          onSettled?.();
        }}
      >
        {t.t('popup_retry_now')}
      </button>
      <span className="muted">
        {transfer.state === 'failed' && transfer.nextAttemptAt
          ? t.t('popup_next_try', [time.format(new Date(transfer.nextAttemptAt))])
          : t.t('popup_no_auto_try')}
      </span>
      <p role="status" className="muted">
        {said}
      </p>
    </div>
  );
}

/** "Send again…" of a booked document: a second booking, so it asks first and names the booking it would repeat. */
export function SendAgain({ transfer, reference }: { transfer: Transfer; reference: string }) {
  const [asking, setAsking] = useState(false);
  const [said, setSaid] = useState('');
  if (transfer.state !== 'sent') return null;
  return (
    <div className="send-again">
      {!asking && (
        <button type="button" name="send-again" onClick={() => setAsking(true)}>
          {t.t('popup_send_again')}
        </button>
      )}
      {asking && (
        <div role="alertdialog" aria-labelledby={`again-${transfer.id}`} className="confirm-box">
          <p id={`again-${transfer.id}`}>{t.t('popup_send_again_question', [reference])}</p>
          <button
            type="button"
            name="send-again-confirm"
            className="danger"
            ref={(el) => el?.focus()}
            onClick={async () => {
              setAsking(false);
              setSaid(await askRetry(transfer, true));
            }}
          >
            {t.t('popup_send_again_confirm')}
          </button>
          <button type="button" name="send-again-cancel" onClick={() => setAsking(false)}>
            {t.t('popup_cancel')}
          </button>
        </div>
      )}
      <p role="status" className="muted">
        {said}
      </p>
    </div>
  );
}
