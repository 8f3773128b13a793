import { useEffect, useLayoutEffect, useRef } from 'react';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { Dossier } from '../lib/model/dossier';
import type { Transfer } from '../lib/model/transfer';
import { amountOf, bookingsOf, formatAmount, siteLabel } from '../lib/history/present';
import { StateBadge } from './StateBadge';
import { FailureReason, RetryNow } from './TransferActions';
import { t, uiLanguage } from './i18n';

/** The row's button that opens its log; focus returns to it (after the log view, or a retry that removed its button). */
export function focusRow(transferId: string): void {
  document.querySelector<HTMLElement>(`tr[data-transfer-id="${CSS.escape(transferId)}"] .doc-number`)?.focus();
}

function Row(props: { transfer: Transfer; dossierName?: string; siteName: string; onOpen: (transfer: Transfer) => void; time: Intl.DateTimeFormat }) {
  const { transfer } = props;
  const amount = amountOf(transfer);
  const bookings = bookingsOf(transfer);
  const number = transfer.documentNumber ?? transfer.documentId;
  return (
    <>
      <td className="doc">
        <div className="doc-line">
          <button type="button" className="doc-number link" aria-label={t.t('popup_open_log', [number])} onClick={() => props.onOpen(transfer)}>
            {number}
          </button>
          {transfer.kind === 'credit-note' && <span className="kind">{t.t('popup_kind_credit_note')}</span>}
          {amount && (
            <span className={amount.value.startsWith('-') ? 'amount negative' : 'amount'} data-amount={amount.value}>
              {formatAmount(amount, uiLanguage())}
            </span>
          )}
        </div>
        <div className="muted">{[transfer.counterparty, props.dossierName, props.siteName].filter(Boolean).join(' · ')}</div>
      </td>
      <td className="status">
        <div className="status-line">
          <StateBadge state={transfer.state} />
          {bookings.map((b) => (
            <span key={b.reference} className="reference">
              {b.reference}
            </span>
          ))}
          <time className="muted" dateTime={transfer.updatedAt}>
            {props.time.format(new Date(transfer.updatedAt))}
          </time>
        </div>
        <FailureReason transfer={transfer} />
        <RetryNow transfer={transfer} onSettled={() => focusRow(transfer.id)} />
      </td>
    </>
  );
}

const VIEW = { width: 400, height: 480 };
const ROW_ESTIMATE = 64;

/** Sets a spacer row's height: it changes on every scroll, so it is no stylesheet's business. */
function Spacer({ height }: { height: number }) {
  const ref = useRef<HTMLTableCellElement>(null);
  useLayoutEffect(() => {
    if (ref.current) ref.current.style.height = `${height}px`;
  }, [height]);
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={2} ref={ref} />
    </tr>
  );
}

/**
 * The history, virtualised: only the rows in view (and a few around) are in the page, so 50,000 records paint as
 * fast as 50. Rows keep their real table semantics; spacer rows stand for the others. `onNeedMore` asks for the next
 * page when the last loaded row comes into view.
 */
export function HistoryTable(props: {
  transfers: Transfer[];
  hasMore: boolean;
  onNeedMore: () => void;
  dossiers: Dossier[];
  siteNames: ReadonlyMap<string, string>;
  onOpen: (transfer: Transfer) => void;
}) {
  const names = new Map(props.dossiers.map((d) => [d.id, d.name]));
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
  const scrollRef = useRef<HTMLDivElement>(null);
  const { transfers } = props;
  const virtualizer = useVirtualizer({
    count: transfers.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => transfers[index]?.id ?? index,
    // Before the first measurement, while hidden under the log view, and without layout (tests), it assumes a
    // popup-sized view rather than showing no row at all.
    initialRect: VIEW,
    observeElementRect: (instance, report) => observeElementRect(instance, (rect) => report(rect.height > 0 ? rect : VIEW)),
    // A row measured while hidden (height 0) keeps its estimate.
    measureElement: (element) => element.getBoundingClientRect().height || ROW_ESTIMATE,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (props.hasMore && last && last.index >= transfers.length - 1) props.onNeedMore();
  }, [last?.index, transfers.length, props.hasMore]); // eslint-disable-line react-hooks/exhaustive-deps
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (last?.end ?? 0);
  return (
    <div className="history-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={t.t('popup_history_label')}>
      <table className="history">
        <thead>
          <tr>
            <th scope="col">{t.t('col_document')}</th>
            <th scope="col">{t.t('col_state')}</th>
          </tr>
        </thead>
        <tbody>
          <Spacer height={top} />
          {items.map((item) => {
            const transfer = transfers[item.index]!;
            return (
              <tr key={item.key} ref={virtualizer.measureElement} data-index={item.index} data-transfer-id={transfer.id} data-document-id={transfer.documentId}>
                <Row
                  transfer={transfer}
                  dossierName={transfer.dossierId ? (names.get(transfer.dossierId) ?? transfer.dossierId) : undefined}
                  siteName={siteLabel(transfer.site, props.siteNames)}
                  onOpen={props.onOpen}
                  time={time}
                />
              </tr>
            );
          })}
          <Spacer height={bottom} />
        </tbody>
      </table>
      {props.hasMore && <p className="muted loading-more">{t.t('popup_loading_more')}</p>}
    </div>
  );
}
