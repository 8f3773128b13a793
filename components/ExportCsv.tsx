import { useState } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { HistoryQuery, Ledger } from '../lib/ledger/ledger';
import { toCsv } from '../lib/history/present';
import type { Locale } from '../lib/i18n/translator';
import { t, uiLanguage } from './i18n';

export function uiLocale(): Locale {
  const language = uiLanguage().slice(0, 2);
  return language === 'nl' || language === 'fr' ? language : 'en';
}

/** Downloads what the filters show as CSV (all of it, not only the rows loaded so far). */
export function ExportCsv(props: { ledger: Ledger; query: HistoryQuery; dossiers: Dossier[]; siteNames: ReadonlyMap<string, string> }) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const rows = await props.ledger.historyAll(props.query);
      const csv = toCsv(rows, { t, locale: uiLocale(), dossierNames: new Map(props.dossiers.map((d) => [d.id, d.name])), siteNames: props.siteNames });
      // The BOM makes Excel read the file as UTF-8 (names with accents).
      const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `octobridge-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" name="export-csv" className="export-csv" disabled={busy} onClick={() => void download()}>
      {t.t('popup_export_csv')}
    </button>
  );
}
