import { useState } from 'react';
import type { LedgerDb } from '../lib/ledger/db';
import type { SiteProblemRow } from '../lib/ledger/site-problems';
import { useLiveQuery } from './useLiveQuery';
import { ask, errorOf } from './ask';
import { t, uiLanguage } from './i18n';

/** The overlay's selector names (lib/sites/types.ts SiteDomAdapter.selectors) in words support and users understand. */
const WHAT_KEYS: Record<string, string> = {
  listTable: 'sites_problem_listTable',
  listRow: 'sites_problem_listRow',
  rowActions: 'sites_problem_rowActions',
  headerRow: 'sites_problem_headerRow',
  detailActions: 'sites_problem_detailActions',
  detailRoot: 'sites_problem_detailRoot',
};

export function whatInWords(what: string): string {
  const key = Object.hasOwn(WHAT_KEYS, what) ? WHAT_KEYS[what] : undefined;
  if (key) return t.t(key);
  if (what.startsWith('error: ')) return t.t('sites_problem_error', [what.slice('error: '.length)]);
  // A name a newer adapter reports: shown as it is rather than hidden.
  return what;
}

export function problemCountText(count: number): string {
  return count === 1 ? t.t('sites_problems_one') : t.t('sites_problems_count', [String(count)]);
}

/** How many problems are logged, live (the popup's notice). */
export function useSiteProblemCount(db: LedgerDb): number {
  return useLiveQuery(() => db.siteProblems.count(), [db]) ?? 0;
}

/**
 * The site problem log (lib/ledger/site-problems.ts), newest first, live: the worker writes it, this page reads it from
 * the same IndexedDB. "Clear" goes through the worker, which also forgets what it held back in memory.
 */
export function SiteProblemList(props: { db: LedgerDb }) {
  const rows = useLiveQuery<SiteProblemRow[]>(() => props.db.siteProblems.orderBy('lastSeen').reverse().toArray(), [props.db]);
  const [error, setError] = useState<string>();
  const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });

  async function clear() {
    const answer = await ask({ type: 'siteProblems.clear' });
    setError(answer.ok ? undefined : errorOf(answer.error));
  }

  if (!rows) return null;
  return (
    <div className="site-problems" data-testid="site-problem-list">
      {rows.length === 0 ? (
        <p className="muted">{t.t('sites_problems_none')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>{t.t('sites_problems_adapter')}</th>
                <th>{t.t('sites_problems_site')}</th>
                <th>{t.t('sites_problems_what')}</th>
                <th>{t.t('sites_problems_first')}</th>
                <th>{t.t('sites_problems_last')}</th>
                <th>{t.t('sites_problems_times')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-adapter={row.adapter} data-origin={row.origin} data-what={row.what}>
                  <td>
                    <code>{row.adapter}</code>
                  </td>
                  <td>
                    <div>{row.origin}</div>
                    <div className="muted">{row.samplePath}</div>
                  </td>
                  <td className="problem-what">{whatInWords(row.what)}</td>
                  <td className="muted">{time.format(new Date(row.firstSeen))}</td>
                  <td className="muted">{time.format(new Date(row.lastSeen))}</td>
                  <td className="problem-count">{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" name="clear-site-problems" onClick={() => void clear()}>
            {t.t('sites_problems_clear')}
          </button>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
