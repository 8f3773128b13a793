import { useState } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { ReferenceImport } from '../lib/octopus/import';
import { isFinancialJournalKey } from '../lib/coda/routing';
import { cleanIban, formatIban, validateIban } from '../lib/identifiers';
import { ask, errorOf } from './ask';
import { t } from './i18n';

/**
 * The bank accounts whose CODA statements go to this dossier, each to one of its financial journals (the F journals
 * imported from Octopus are offered, the first one chosen for a new account).
 */
export function CodaAccountsSettings({ dossier, imported, onChanged }: { dossier: Dossier; imported?: ReferenceImport; onChanged: () => void }) {
  const financial = (imported?.journals ?? []).filter((j) => isFinancialJournalKey(j.key));
  const [rows, setRows] = useState(() => (dossier.codaAccounts ?? []).map((a) => ({ iban: formatIban(a.iban), journal: a.journal })));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const options = (current: string) => {
    const keys = new Set(financial.map((j) => j.key));
    if (current) keys.add(current);
    return [...keys].sort().map((key) => {
      const name = financial.find((j) => j.key === key)?.name;
      return (
        <option key={key} value={key}>
          {name ? `${key} – ${name}` : key}
        </option>
      );
    });
  };

  async function save() {
    const accounts = [];
    for (const row of rows) {
      if (row.iban.trim() === '') continue;
      const checked = validateIban(row.iban);
      if (!checked.valid) {
        setMessage({ kind: 'error', text: t.t('coda_settings_bad_iban', [row.iban]) });
        return;
      }
      if (!row.journal) {
        setMessage({ kind: 'error', text: t.t('coda_settings_no_journal', [formatIban(checked.value)]) });
        return;
      }
      accounts.push({ iban: cleanIban(checked.value), journal: row.journal });
    }
    const answer = await ask({ type: 'dossier.update', dossierId: dossier.id, changes: { codaAccounts: accounts } });
    if (answer.ok) setMessage({ kind: 'ok', text: t.t('options_saved') });
    else setMessage({ kind: 'error', text: errorOf(answer.error) });
    onChanged();
  }

  const set = (i: number, change: Partial<(typeof rows)[number]>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  return (
    <fieldset data-testid="coda-accounts">
      <legend>{t.t('coda_settings_title')}</legend>
      <p className="muted">{t.t('coda_settings_intro')}</p>
      {rows.map((row, i) => (
        <div key={i} data-coda-account={i}>
          <input name={`coda-iban-${i}`} value={row.iban} placeholder="BE68 5390 0754 7034" aria-label={t.t('coda_col_account')} onChange={(e) => set(i, { iban: e.target.value })} />{' '}
          <select name={`coda-journal-${i}`} value={row.journal} aria-label={t.t('coda_settings_journal')} onChange={(e) => set(i, { journal: e.target.value })}>
            <option value="">–</option>
            {options(row.journal)}
          </select>{' '}
          <button type="button" name={`coda-remove-${i}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            {t.t('coda_settings_remove')}
          </button>
        </div>
      ))}
      <p>
        <button type="button" name="coda-add" onClick={() => setRows([...rows, { iban: '', journal: financial[0]?.key ?? '' }])}>
          {t.t('coda_settings_add')}
        </button>{' '}
        <button type="button" name="coda-save" onClick={() => void save()}>
          {t.t('coda_settings_save')}
        </button>{' '}
        {message && (
          <span className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </span>
        )}
      </p>
    </fieldset>
  );
}
