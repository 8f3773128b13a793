import { useState } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { DossierChanges } from '../lib/messaging/protocol';
import type { ReferenceImport } from '../lib/octopus/import';
import { t, text, uiLanguage } from './i18n';

import { ask, errorOf } from './ask';
import { VatSideQuestion } from './VatSideQuestion';
import { CallBudget } from './CallBudget';
import { CodaAccountsSettings } from './CodaAccountsSettings';
/**
 * One dossier's set-up, as accountants know it from Billit's Octopus link: import the reference data (with its
 * communication log), then the default journals and accounts and the VAT-code mapping.
 */
export function DossierSettings({ dossier, imported, vatKeysMet = [], onChanged }: { dossier: Dossier; imported?: ReferenceImport; vatKeysMet?: readonly string[]; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [form, setForm] = useState({
    sales: dossier.journals.sales,
    salesCreditNotes: dossier.journals.salesCreditNotes ?? '',
    purchases: dossier.journals.purchases,
    accountSales: dossier.defaultAccounts.sales,
    accountPurchases: dossier.defaultAccounts.purchases,
  });
  const [overrides, setOverrides] = useState<Record<string, string>>(dossier.vatCodeOverrides);

  async function importNow(refresh = false) {
    setBusy(true);
    setMessage(undefined);
    const answer = await ask<{ import: ReferenceImport }>({ type: 'dossier.import', dossierId: dossier.id, refresh });
    setBusy(false);
    if (!answer.ok) setMessage({ kind: 'error', text: errorOf(answer.error) });
    onChanged();
  }

  async function save() {
    for (const account of [form.accountSales, form.accountPurchases]) {
      if (!/^\d{1,10}$/.test(account.trim())) {
        setMessage({ kind: 'error', text: t.t('options_account_not_numeric', [account]) });
        return;
      }
    }
    const changes: DossierChanges = {
      journals: { sales: form.sales, purchases: form.purchases, ...(form.salesCreditNotes ? { salesCreditNotes: form.salesCreditNotes } : {}) },
      defaultAccounts: { sales: form.accountSales.trim(), purchases: form.accountPurchases.trim() },
      vatCodeOverrides: Object.fromEntries(Object.entries(overrides).filter(([, code]) => code)),
    };
    const answer = await ask({ type: 'dossier.update', dossierId: dossier.id, changes });
    if (answer.ok) setMessage({ kind: 'ok', text: t.t('options_saved') });
    else setMessage({ kind: 'error', text: errorOf(answer.error) });
    onChanged();
  }

  const journalOptions = (side: 'sales' | 'purchases', current: string) => {
    // Only the side's own journals: a bank or miscellaneous journal is never offered for sales or purchases.
    const keys = new Set((imported?.journals ?? []).filter((j) => j.side === side).map((j) => j.key));
    if (current) keys.add(current);
    return [...keys].sort().map((key) => {
      const journal = imported?.journals.find((j) => j.key === key);
      return (
        <option key={key} value={key}>
          {journal?.name ? `${key} – ${journal.name}` : key}
        </option>
      );
    });
  };

  const importedAt = imported ? new Date(imported.importedAt).toLocaleString(uiLanguage()) : '';

  return (
    <details className="dossier-settings" data-dossier-settings={dossier.octopusDossierId}>
      <summary>{t.t('options_dossier_settings')}</summary>
      <p>
        <button type="button" name="import" disabled={busy} onClick={() => void importNow()}>
          {busy ? t.t('options_importing') : t.t('options_import')}
        </button>
      </p>
      {!imported && <p className="muted">{t.t('options_import_first')}</p>}
      {imported && (
        <CallBudget dossierId={dossier.id} fetchedAt={imported.fetchedAt?.vatcodes ?? imported.fetchedAt?.accounts} busy={busy} onRefresh={() => void importNow(true)} />
      )}
      {imported && (!imported.error || imported.journals.length > 0) && (
        <p className="ok" data-testid="import-summary">
          {t.t('options_imported', [
            importedAt,
            imported.bookyear?.label ?? '–',
            String(imported.journals.length),
            String(imported.accounts),
            String(imported.vatCodes.length),
          ])}
        </p>
      )}
      {imported?.error && (
        <p className="error" role="alert">
          {/* Each part that failed says why; the others were imported. */}
          {t.t('options_import_failed', [(imported.problems ?? [imported.error]).map((p) => text(p.text)).join(' ')])}
        </p>
      )}
      {imported && (
        <details data-testid="import-log">
          <summary>{t.t('options_import_log', [String(imported.log.length)])}</summary>
          <table>
            <tbody>
              {imported.log.map((entry, i) => (
                <tr key={i}>
                  <td className="muted">{entry.at.slice(11, 19)}</td>
                  <td>{entry.method}</td>
                  <td>{entry.path}</td>
                  <td className={entry.status >= 200 && entry.status < 300 ? 'ok' : 'error'}>{entry.status || '—'}</td>
                  <td className="muted">{entry.durationMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}

      <div className="form-grid three spaced">
        <label className="field">
          <span>{t.t('options_journal_sales')}</span>
          <select name="journal-sales" value={form.sales} onChange={(e) => setForm({ ...form, sales: e.target.value })}>
            {journalOptions('sales', form.sales)}
          </select>
        </label>
        <label className="field">
          <span>{t.t('options_journal_credit_notes')}</span>
          <select name="journal-credit-notes" value={form.salesCreditNotes} onChange={(e) => setForm({ ...form, salesCreditNotes: e.target.value })}>
            <option value="">{t.t('options_same_as_sales')}</option>
            {journalOptions('sales', form.salesCreditNotes)}
          </select>
        </label>
        <label className="field">
          <span>{t.t('options_journal_purchases')}</span>
          <select name="journal-purchases" value={form.purchases} onChange={(e) => setForm({ ...form, purchases: e.target.value })}>
            {journalOptions('purchases', form.purchases)}
          </select>
        </label>
        <label className="field">
          <span>{t.t('options_account_sales')}</span>
          <input name="account-sales" inputMode="numeric" value={form.accountSales} onChange={(e) => setForm({ ...form, accountSales: e.target.value })} />
        </label>
        <label className="field">
          <span>{t.t('options_account_purchases')}</span>
          <input name="account-purchases" inputMode="numeric" value={form.accountPurchases} onChange={(e) => setForm({ ...form, accountPurchases: e.target.value })} />
        </label>
      </div>

      {imported && imported.vatMapping.length > 0 && (
        <>
          <h3>{t.t('options_vat_mapping')}</h3>
          <VatSideQuestion dossier={dossier} vatCodes={imported.vatCodes} onChanged={onChanged} />
          <table data-testid="vat-mapping">
            <thead>
              <tr>
                <th>{t.t('options_vat_side_column')}</th>
                <th>{t.t('options_vat_category')}</th>
                <th>{t.t('options_vat_code')}</th>
              </tr>
            </thead>
            <tbody>
              {vatRows(imported.vatMapping, vatKeysMet).map((row) => {
                const key = `${row.side}:${row.key}`;
                const automatic = row.overridden ? undefined : row.code;
                return (
                  <tr key={key} data-vat-key={key}>
                    <td>{row.side === 'sales' ? t.t('options_side_sales') : t.t('options_side_purchases')}</td>
                    <td>
                      {vatRowLabel(row.key)}
                      <br />
                      <small className="muted">{t.t('vat_peppol_category', [row.key.split(':')[0]!])}</small>
                      {row.met && (
                        <>
                          <br />
                          <small className="error">{t.t('options_vat_met_in_documents')}</small>
                        </>
                      )}
                    </td>
                    <td>
                      <select name={`vat-${key}`} aria-label={`${row.side === 'sales' ? t.t('options_side_sales') : t.t('options_side_purchases')}: ${vatRowLabel(row.key)}`} value={overrides[key] ?? ''} onChange={(e) => setOverrides({ ...overrides, [key]: e.target.value })}>
                        <option value="">{automatic ? t.t('options_vat_automatic', [automatic]) : t.t('options_vat_automatic_none')}</option>
                        {imported.vatCodes
                          .filter((v) => v.side === row.side)
                          .map((v) => (
                            <option key={v.code} value={v.code}>
                              {v.code} – {v.percentage} %{v.description ? ` – ${v.description}` : ''}
                            </option>
                          ))}
                      </select>
                      {row.problem && !overrides[key] && <div className="error muted">{text(row.problem)}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      <CodaAccountsSettings dossier={dossier} imported={imported} onChanged={onChanged} />
      <p>
        <button type="button" className="primary" name="save-dossier" onClick={() => void save()}>
          {t.t('options_save')}
        </button>{' '}
        {message && (
          <span className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </span>
        )}
      </p>
    </details>
  );
}

type VatRow = ReferenceImport['vatMapping'][number] & { met?: boolean };

/**
 * The table's rows: the Belgian rates every dossier books, then each rate or category documents met that those do
 * not cover (a foreign 20 %, say), so the user maps it where the booking's message sends them.
 */
export function vatRows(mapping: ReferenceImport['vatMapping'], met: readonly string[]): VatRow[] {
  const shown = new Set(mapping.map((r) => `${r.side}:${r.key}`));
  const extra: VatRow[] = met
    .filter((k) => !shown.has(k))
    .map((k) => {
      const [side, category, rate] = k.split(':') as ['sales' | 'purchases', string, string];
      return { key: `${category}:${rate}`, side, overridden: false, met: true };
    });
  return [...mapping, ...extra];
}

/** "21 % — domestic", "0 % — intra-community supply": how a bookkeeper names the row; the Peppol letter is a detail. */
function vatRowLabel(key: string): string {
  const [category, rate] = key.split(':');
  return t.t('vat_rate_row', [rate ?? '0', `@vat_category_${category}`]);
}
