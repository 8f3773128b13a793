import { useState } from 'react';
import { browser } from 'wxt/browser';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import { HistoryTable } from '../../components/HistoryTable';
import { useLiveQuery } from '../../components/useLiveQuery';
import { t } from '../../components/i18n';
import { ProgressBars } from '../../components/ProgressBars';
import { AdHocSend } from '../../components/AdHocSend';
import { CodaDrop } from '../../components/CodaDrop';
import { AddThisSite } from '../../components/AddThisSite';
import { problemCountText, SiteProblemList, useSiteProblemCount } from '../../components/SiteProblems';
import { SCHEDULED_RUNS_ANCHOR, ScheduleFailureNotice } from '../../components/ScheduledRuns';

const db = new LedgerDb();
const ledger = new Ledger(db, systemClock);

export function PopupApp() {
  const [search, setSearch] = useState('');
  const transfers = useLiveQuery(() => ledger.history({ search, limit: 300 }), [search]);
  const dossiers = useLiveQuery(() => db.dossiers.toArray(), []) ?? [];
  const attention = useLiveQuery(() => ledger.attentionCount(), []) ?? 0;
  const problems = useSiteProblemCount(db);

  return (
    <main style={{ width: 640, padding: 12 }}>
      <header style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8 }}>
        <h1 style={{ flex: 1 }}>{t.t('popup_title')}</h1>
        {attention > 0 && <span className="error">{t.t('popup_attention', [String(attention)])}</span>}
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t.t('popup_options')}
        </button>
      </header>
      <ProgressBars ledger={ledger} />
      {problems > 0 && (
        // Short for users; support opens it (or the options page's sites section, which has the same list).
        <details data-testid="site-problems" style={{ marginBottom: 8 }}>
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
      <details data-testid="adhoc-section" style={{ marginBottom: 8 }}>
        <summary>{t.t('adhoc_title')}</summary>
        <AdHocSend dossiers={dossiers} />
      </details>
      <details data-testid="coda-section" style={{ marginBottom: 8 }}>
        <summary>{t.t('coda_title')}</summary>
        <CodaDrop dossiers={dossiers} />
      </details>
      <input
        type="search"
        name="search"
        value={search}
        placeholder={t.t('popup_search')}
        aria-label={t.t('popup_search')}
        onChange={(e) => setSearch(e.target.value)}
        style={{ width: '100%', boxSizing: 'border-box', marginBottom: 8 }}
      />
      {transfers && transfers.length === 0 && (
        <p className="muted">{search ? t.t('popup_no_match', [search]) : t.t('popup_empty')}</p>
      )}
      {transfers && transfers.length > 0 && (
        <HistoryTable
          transfers={transfers}
          dossiers={dossiers}
          onRetry={(transfer) => void browser.runtime.sendMessage({ type: 'transfer.retry', transferId: transfer.id })}
        />
      )}
    </main>
  );
}
