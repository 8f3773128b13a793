import { lazy, Suspense, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import { HistoryTable, focusRow } from '../../components/HistoryTable';
import { HistoryFilters, NO_FILTERS, queryOf, type HistoryFilterValues } from '../../components/HistoryFilters';
import { TransferDetail } from '../../components/TransferDetail';
import { ExportCsv } from '../../components/ExportCsv';
import { useLiveQuery } from '../../components/useLiveQuery';
import { useSiteNames } from '../../components/useSiteNames';
import { t } from '../../components/i18n';
import { ProgressBars } from '../../components/ProgressBars';
import { CodaDrop } from '../../components/CodaDrop';
import { AddThisSite } from '../../components/AddThisSite';
import { problemCountText, SiteProblemList, useSiteProblemCount } from '../../components/SiteProblems';
import { SCHEDULED_RUNS_ANCHOR, ScheduleFailureNotice } from '../../components/ScheduledRuns';

// The file reader (UBL, CII and PDF parsers) loads when "Send a file" opens, not before the list's first paint.
const AdHocSend = lazy(() => import('../../components/AdHocSend').then((m) => ({ default: m.AdHocSend })));

/** Rows read per step: enough to fill the popup at once, small enough to paint fast at 50,000 records. */
const PAGE = 60;

export function PopupApp(props: { db?: LedgerDb } = {}) {
  const [db] = useState(() => props.db ?? new LedgerDb());
  const [ledger] = useState(() => new Ledger(db, systemClock));
  const [filters, setFilters] = useState<HistoryFilterValues>(NO_FILTERS);
  const [limit, setLimit] = useState(PAGE);
  const [openId, setOpenId] = useState<string>();
  const [adhocOpened, setAdhocOpened] = useState(false);
  const query = queryOf(filters);
  const key = JSON.stringify(query);
  // One row more than shown says whether there are more.
  const page = useLiveQuery(() => ledger.history({ ...query, limit: limit + 1 }), [key, limit]);
  const opened = useLiveQuery(async () => (openId ? ((await db.transfers.get(openId)) ?? null) : null), [openId]);
  const dossiers = useLiveQuery(() => db.dossiers.toArray(), []) ?? [];
  const sites = useLiveQuery(() => ledger.historySites(), []) ?? [];
  const attention = useLiveQuery(() => ledger.attentionCount(), []) ?? 0;
  const problems = useSiteProblemCount(db);
  const siteNames = useSiteNames();
  useEffect(() => setLimit(PAGE), [key]);

  const [returnTo, setReturnTo] = useState<string>();
  // Back from the log view, focus goes to the row it was opened from (once the list shows again).
  useEffect(() => {
    if (returnTo && !openId) {
      focusRow(returnTo);
      setReturnTo(undefined);
    }
  }, [returnTo, openId]);

  const transfers = page?.slice(0, limit);
  // The live query answers a moment after the id changes: only the transfer asked for is shown.
  const shown = openId && opened?.id === openId ? opened : undefined;
  const close = () => {
    setReturnTo(openId);
    setOpenId(undefined);
  };

  return (
    <main className="popup">
      <header className="popup-header">
        <h1>{t.t('popup_title')}</h1>
        {attention > 0 && <span className="error">{t.t('popup_attention', [String(attention)])}</span>}
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t.t('popup_options')}
        </button>
      </header>
      <ProgressBars ledger={ledger} />
      {problems > 0 && (
        // Short for users; support opens it (or the options page's sites section, which has the same list).
        <details data-testid="site-problems" className="popup-section">
          <summary className="error">{problemCountText(problems)}</summary>
          <SiteProblemList db={db} />
        </details>
      )}
      <ScheduleFailureNotice
        db={db}
        // A tab of its own, at the rules section's run list (openOptionsPage cannot take an anchor).
        onOpen={() => void browser.tabs.create({ url: browser.runtime.getURL(`/options.html#${SCHEDULED_RUNS_ANCHOR}`) }).then(() => window.close())}
      />
      <AddThisSite dossiers={dossiers} />
      <details data-testid="adhoc-section" className="popup-section" onToggle={(e) => e.currentTarget.open && setAdhocOpened(true)}>
        <summary>{t.t('adhoc_title')}</summary>
        {adhocOpened && (
          <Suspense fallback={<p className="muted">{t.t('popup_loading')}</p>}>
            <AdHocSend dossiers={dossiers} />
          </Suspense>
        )}
      </details>
      <details data-testid="coda-section" className="popup-section">
        <summary>{t.t('coda_title')}</summary>
        <CodaDrop dossiers={dossiers} />
      </details>
      {shown && <TransferDetail transfer={shown} dossiers={dossiers} siteNames={siteNames} onBack={close} />}
      {/* The list stays mounted under the log view, so going back keeps its place. */}
      <div hidden={Boolean(shown)} className="history-view">
        <HistoryFilters values={filters} onChange={setFilters} dossiers={dossiers} sites={sites} siteNames={siteNames} />
        <ExportCsv ledger={ledger} query={query} dossiers={dossiers} siteNames={siteNames} />
        {transfers && transfers.length === 0 && (
          <p className="muted">{key !== '{}' ? t.t('popup_nothing_matches') : t.t('popup_empty')}</p>
        )}
        {transfers && transfers.length > 0 && (
          <HistoryTable
            transfers={transfers}
            hasMore={(page?.length ?? 0) > limit}
            onNeedMore={() => setLimit((l) => l + PAGE * 4)}
            dossiers={dossiers}
            siteNames={siteNames}
            onOpen={(transfer) => setOpenId(transfer.id)}
          />
        )}
      </div>
    </main>
  );
}
