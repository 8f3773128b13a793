import type { Dossier } from '../lib/model/dossier';
import type { SiteDossierChoice } from '../lib/sites/user-sites';
import { t } from './i18n';

/** What a new site's form starts with: the firm's one dossier when it has exactly one, else nothing (the user picks). */
export function initialChoice(dossiers: readonly Dossier[]): SiteDossierChoice {
  return dossiers.length === 1 ? { dossierIds: [dossiers[0]!.id] } : { dossierIds: [] };
}

/**
 * The dossiers a site may book into, as checkboxes, and its default among them once there are two or more (with one,
 * that one is the default). Used by the options page (adding and editing a site) and the popup ("Add this site").
 */
export function SiteDossierPicker(props: { dossiers: readonly Dossier[]; value: SiteDossierChoice; onChange: (choice: SiteDossierChoice) => void; name: string }) {
  const { dossiers, value, onChange, name } = props;
  const chosen = dossiers.filter((d) => value.dossierIds.includes(d.id));
  const toggle = (id: string, on: boolean) => {
    const dossierIds = on ? [...value.dossierIds.filter((x) => x !== id), id] : value.dossierIds.filter((x) => x !== id);
    onChange({ dossierIds, defaultDossierId: value.defaultDossierId && dossierIds.includes(value.defaultDossierId) ? value.defaultDossierId : undefined });
  };
  if (dossiers.length === 0) return <p className="error">{t.t('sites_settings_no_dossiers_yet')}</p>;
  return (
    <fieldset className="site-dossiers" data-name={name}>
      <legend>{t.t('sites_settings_dossiers')}</legend>
      {dossiers.map((d) => (
        <label key={d.id} className="check-line">
          <input type="checkbox" name={`${name}-dossier`} value={d.id} checked={value.dossierIds.includes(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} /> {d.name}
          {d.vatNumber ? <span className="muted"> {d.vatNumber}</span> : null}
        </label>
      ))}
      {chosen.length > 1 && (
        <label className="check-line">
          {t.t('sites_settings_default')}{' '}
          <select name={`${name}-default`} value={value.defaultDossierId ?? ''} onChange={(e) => onChange({ ...value, defaultDossierId: e.target.value || undefined })}>
            <option value="">{t.t('sites_settings_default_none')}</option>
            {chosen.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}

/** "books into: Client A BV (default), Client A Twee BV", or that the site books nowhere. */
export function siteDossiersText(site: { dossierIds: string[]; defaultDossierId?: string }, dossiers: readonly Dossier[]): { ok: boolean; text: string } {
  const known = dossiers.filter((d) => site.dossierIds.includes(d.id));
  if (known.length === 0) return { ok: false, text: t.t('sites_settings_books_nowhere') };
  const implicitDefault = known.length === 1 ? known[0]!.id : site.defaultDossierId;
  const names = known.map((d) => (d.id === implicitDefault ? t.t('sites_settings_default_mark', [d.name]) : d.name));
  return { ok: true, text: t.t('sites_settings_books_into', [names.join(', ')]) };
}
