import type { Dossier } from '../lib/model/dossier';
import { transferState } from '../lib/model/transfer';
import type { HistoryQuery } from '../lib/ledger/ledger';
import { siteLabel } from '../lib/history/present';
import { t } from './i18n';

/** What the user set in the popup's filter bar; empty strings filter nothing. */
export interface HistoryFilterValues {
  search: string;
  dossierId: string;
  site: string;
  state: string;
  kind: string;
  from: string;
  to: string;
}

export const NO_FILTERS: HistoryFilterValues = { search: '', dossierId: '', site: '', state: '', kind: '', from: '', to: '' };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The ledger's query for these values (a half-typed date filters nothing rather than everything). */
export function queryOf(values: HistoryFilterValues): HistoryQuery {
  const state = transferState.safeParse(values.state);
  return {
    ...(values.search.trim() ? { search: values.search.trim() } : {}),
    ...(values.dossierId ? { dossierId: values.dossierId } : {}),
    ...(values.site ? { site: values.site } : {}),
    ...(state.success ? { state: state.data } : {}),
    ...(values.kind === 'invoice' || values.kind === 'credit-note' ? { kind: values.kind } : {}),
    // The user's days, in the user's time zone (a Brussels evening is the next day in UTC).
    ...(ISO_DAY.test(values.from) ? { from: new Date(`${values.from}T00:00:00`).toISOString() } : {}),
    ...(ISO_DAY.test(values.to) ? { to: new Date(`${values.to}T23:59:59.999`).toISOString() } : {}),
  };
}

export function HistoryFilters(props: {
  values: HistoryFilterValues;
  onChange: (values: HistoryFilterValues) => void;
  dossiers: Dossier[];
  sites: string[];
  siteNames: ReadonlyMap<string, string>;
}) {
  const { values } = props;
  const set = (field: keyof HistoryFilterValues) => (event: { target: { value: string } }) => props.onChange({ ...values, [field]: event.target.value });
  const active = Object.entries(values).some(([key, value]) => key !== 'search' && value !== '');
  return (
    <div className="history-filters">
      <input
        type="search"
        name="search"
        value={values.search}
        placeholder={t.t('popup_search_history')}
        aria-label={t.t('popup_search_history')}
        onChange={set('search')}
      />
      <details className="history-filter-set" open={active || undefined}>
        <summary>{t.t('popup_filters')}</summary>
        <div className="history-filter-grid">
          <label>
            {t.t('popup_filter_dossier')}
            <select name="filter-dossier" value={values.dossierId} onChange={set('dossierId')}>
              <option value="">{t.t('popup_filter_all')}</option>
              {props.dossiers.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.t('popup_filter_site')}
            <select name="filter-site" value={values.site} onChange={set('site')}>
              <option value="">{t.t('popup_filter_all')}</option>
              {props.sites.map((site) => (
                <option key={site} value={site}>
                  {siteLabel(site, props.siteNames)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.t('popup_filter_state')}
            <select name="filter-state" value={values.state} onChange={set('state')}>
              <option value="">{t.t('popup_filter_all')}</option>
              {transferState.options.map((state) => (
                <option key={state} value={state}>
                  {t.t(`state_${state.replace('-', '_')}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.t('popup_filter_kind')}
            <select name="filter-kind" value={values.kind} onChange={set('kind')}>
              <option value="">{t.t('popup_filter_all')}</option>
              <option value="invoice">{t.t('popup_kind_invoice')}</option>
              <option value="credit-note">{t.t('popup_kind_credit_note')}</option>
            </select>
          </label>
          <label>
            {t.t('popup_filter_from')}
            <input type="date" name="filter-from" value={values.from} onChange={set('from')} />
          </label>
          <label>
            {t.t('popup_filter_to')}
            <input type="date" name="filter-to" value={values.to} onChange={set('to')} />
          </label>
        </div>
        {active && (
          <button type="button" name="clear-filters" onClick={() => props.onChange({ ...NO_FILTERS, search: values.search })}>
            {t.t('popup_filter_clear')}
          </button>
        )}
      </details>
    </div>
  );
}
