import type { Dossier } from '../lib/model/dossier';
import { formatReference, type Transfer } from '../lib/model/transfer';
import { StateBadge } from './StateBadge';
import { t, text, uiLanguage } from './i18n';

function lastMessage(transfer: Transfer): string {
  if (transfer.lastError) {
    const detail = transfer.lastError.detail ? ` (${transfer.lastError.detail})` : '';
    return `${text(transfer.lastError.text)}${detail}`;
  }
  const last = transfer.log[transfer.log.length - 1];
  return last ? text(last.text) : '';
}

function reference(transfer: Transfer): string {
  const ref = transfer.octopusReference;
  return ref ? formatReference(ref) : '';
}

export function HistoryTable(props: { transfers: Transfer[]; dossiers: Dossier[]; onRetry: (transfer: Transfer) => void }) {
  const names = new Map(props.dossiers.map((d) => [d.id, d.name]));
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
  return (
    <table className="history">
      <thead>
        <tr>
          <th>{t.t('col_document')}</th>
          <th>{t.t('col_dossier')}</th>
          <th>{t.t('col_state')}</th>
          <th>{t.t('col_time')}</th>
          <th>{t.t('col_message')}</th>
          <th>
            <span className="visually-hidden">{t.t('col_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.transfers.map((transfer) => (
          <tr key={transfer.id} data-transfer-id={transfer.id} data-document-id={transfer.documentId}>
            <td>
              <div className="doc-number">{transfer.documentNumber ?? transfer.documentId}</div>
              <div className="muted">{[transfer.counterparty, transfer.total].filter(Boolean).join(' · ')}</div>
              <div className="muted">{transfer.site}</div>
            </td>
            <td>{transfer.dossierId ? names.get(transfer.dossierId) ?? transfer.dossierId : '—'}</td>
            <td>
              <StateBadge state={transfer.state} />
              {reference(transfer) && <div className="muted">{reference(transfer)}</div>}
            </td>
            <td className="muted">{time.format(new Date(transfer.updatedAt))}</td>
            <td className="message">{lastMessage(transfer)}</td>
            <td>
              {(transfer.state === 'failed' || transfer.state === 'needs-attention') && (
                <button type="button" onClick={() => props.onRetry(transfer)}>
                  {t.t('popup_retry')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
