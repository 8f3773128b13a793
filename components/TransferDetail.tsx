import type { Dossier } from '../lib/model/dossier';
import type { Transfer } from '../lib/model/transfer';
import { amountOf, bookingsOf, documentLink, formatAmount, messageIdOf, peerKey, siteLabel } from '../lib/history/present';
import { StateBadge } from './StateBadge';
import { FailureReason, RetryNow, SendAgain } from './TransferActions';
import { t, text, uiLanguage } from './i18n';

/**
 * One transfer as support needs it: where it went (every booking), why not, and each step in words with the peer's
 * own replies and the e-mail's Message-ID; the actions retry now, send again (confirmed) and open in the app.
 */
export function TransferDetail(props: { transfer: Transfer; dossiers: Dossier[]; siteNames: ReadonlyMap<string, string>; onBack: () => void }) {
  const { transfer } = props;
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'medium' });
  const amount = amountOf(transfer);
  const bookings = bookingsOf(transfer);
  const link = documentLink(transfer);
  const dossier = props.dossiers.find((d) => d.id === transfer.dossierId);
  const number = transfer.documentNumber ?? transfer.documentId;
  return (
    <section className="transfer-detail" data-testid="transfer-detail" data-transfer-id={transfer.id} aria-labelledby="detail-title">
      <div className="detail-head">
        <button type="button" name="back" ref={(el) => el?.focus()} onClick={props.onBack}>
          {t.t('popup_back')}
        </button>
        <h2 id="detail-title">{number}</h2>
      </div>
      <dl className="facts">
        <dt>{t.t('popup_fact_kind')}</dt>
        <dd>{t.t(transfer.kind === 'credit-note' ? 'popup_kind_credit_note' : 'popup_kind_invoice')}</dd>
        {transfer.counterparty && (
          <>
            <dt>{t.t('popup_fact_counterparty')}</dt>
            <dd>{transfer.counterparty}</dd>
          </>
        )}
        {amount && (
          <>
            <dt>{t.t('popup_fact_amount')}</dt>
            <dd className="amount" data-amount={amount.value}>
              {formatAmount(amount, uiLanguage())}
            </dd>
          </>
        )}
        <dt>{t.t('popup_fact_dossier')}</dt>
        <dd>{dossier?.name ?? transfer.dossierId ?? '—'}</dd>
        <dt>{t.t('popup_fact_site')}</dt>
        <dd>{siteLabel(transfer.site, props.siteNames)}</dd>
        <dt>{t.t('popup_fact_state')}</dt>
        <dd>
          <StateBadge state={transfer.state} />
        </dd>
        <dt>{t.t('popup_fact_created')}</dt>
        <dd>{time.format(new Date(transfer.createdAt))}</dd>
        <dt>{t.t('popup_fact_attempts')}</dt>
        <dd>{transfer.attempts}</dd>
      </dl>
      <FailureReason transfer={transfer} />
      <div className="detail-actions">
        <RetryNow transfer={transfer} />
        {bookings.length > 0 && <SendAgain transfer={transfer} reference={bookings[bookings.length - 1]!.reference} />}
        {link && (
          <a href={link} target="_blank" rel="noreferrer" className="button">
            {t.t('popup_open_in_app')}
          </a>
        )}
      </div>
      <h3>{t.t('popup_bookings')}</h3>
      {bookings.length === 0 ? (
        <p className="muted">{t.t('popup_no_booking')}</p>
      ) : (
        <ul className="bookings" data-testid="bookings">
          {bookings.map((b) => (
            <li key={b.reference}>{t.t('popup_booking_line', [b.reference, time.format(new Date(b.at))])}</li>
          ))}
        </ul>
      )}
      <h3>{t.t('popup_log')}</h3>
      <ol className="log" data-testid="transfer-log">
        {transfer.log.map((entry, index) => {
          const messageId = messageIdOf(entry);
          return (
            <li key={index} className={`log-${entry.level}`} data-key={entry.text.key}>
              <time dateTime={entry.at}>{time.format(new Date(entry.at))}</time> <span className="level">{t.t(`popup_log_${entry.level}`)}</span>{' '}
              <span>{text(entry.text)}</span>
              {entry.detail && <span className="peer-words">{t.t(peerKey(transfer), [entry.detail])}</span>}
              {messageId && <div className="message-id">{t.t('popup_message_id', [messageId])}</div>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
