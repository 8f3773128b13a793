import { useEffect, useState } from 'react';
import type { BudgetLine, BudgetEndpoint } from '../lib/octopus/budget';
import { t, uiLanguage } from './i18n';
import { ask, errorOf } from './ask';

const label = (endpoint: BudgetEndpoint) => t.t(`budget_ep_${endpoint.replace('-', '_')}`);

/**
 * A dossier's Octopus calls today against the daily limits, the limits themselves (advanced: only for when Octopus
 * states other numbers), and what reading accounts and VAT codes again costs.
 */
export function CallBudget({ dossierId, fetchedAt, onRefresh, busy }: { dossierId: string; fetchedAt?: string; onRefresh: () => void; busy: boolean }) {
  const [lines, setLines] = useState<BudgetLine[]>();
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function load() {
    const answer = await ask<{ budget: BudgetLine[] }>({ type: 'octopus.budget.get', dossierId });
    if (answer.ok) setLines(answer.budget);
  }
  useEffect(() => {
    void load();
  }, [dossierId, busy]);

  async function saveLimits() {
    setMessage(undefined);
    for (const [endpoint, value] of Object.entries(edits)) {
      const trimmed = value.trim();
      if (trimmed !== '' && !/^\d{1,6}$/.test(trimmed)) {
        setMessage({ kind: 'error', text: t.t('budget_limit_invalid', [value]) });
        return;
      }
      const answer = await ask({ type: 'octopus.budget.setLimit', endpoint: endpoint as BudgetEndpoint, limit: trimmed === '' ? null : Number(trimmed) });
      if (!answer.ok) {
        setMessage({ kind: 'error', text: errorOf(answer.error) });
        return;
      }
    }
    setEdits({});
    setMessage({ kind: 'ok', text: t.t('budget_limits_saved') });
    await load();
  }

  if (!lines) return null;
  const left = (endpoint: BudgetEndpoint) => String(lines.find((l) => l.endpoint === endpoint)?.left ?? 0);
  return (
    <div data-testid="call-budget">
      <p>
        <button type="button" name="refresh-reference" disabled={busy} onClick={onRefresh}>
          {t.t('budget_refresh')}
        </button>{' '}
        <span className="muted" data-testid="refresh-cost">
          {t.t('budget_refresh_cost', [left('accounts'), left('vatcodes'), fetchedAt ? new Date(fetchedAt).toLocaleString(uiLanguage()) : '–'])}
        </span>
      </p>
      <details>
        <summary>{t.t('budget_title')}</summary>
        <p className="muted">{t.t('budget_intro')}</p>
        <table data-testid="budget-table">
          <thead>
            <tr>
              <th>{t.t('budget_endpoint')}</th>
              <th>{t.t('budget_used')}</th>
              <th>{t.t('budget_limit')}</th>
              <th>{t.t('budget_reserve')}</th>
              <th>{t.t('budget_left')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.endpoint} data-endpoint={line.endpoint}>
                <td>{label(line.endpoint)}</td>
                <td>{line.used}</td>
                <td>
                  <input
                    name={`limit-${line.endpoint}`}
                    inputMode="numeric"
                    size={5}
                    aria-label={`${t.t('budget_limits_advanced')}: ${label(line.endpoint)}`}
                    value={edits[line.endpoint] ?? String(line.limit)}
                    onChange={(e) => setEdits({ ...edits, [line.endpoint]: e.target.value })}
                  />
                </td>
                <td>{line.reserve}</td>
                <td className={line.left === 0 ? 'error' : undefined}>{line.exhausted ? t.t('budget_exhausted') : line.left}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button type="button" name="save-limits" disabled={Object.keys(edits).length === 0} onClick={() => void saveLimits()}>
            {t.t('budget_limits_advanced')}
          </button>{' '}
          {message && <span className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</span>}
        </p>
      </details>
    </div>
  );
}
