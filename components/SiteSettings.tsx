import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import {
  needsHttpWarning,
  originFromInput,
  originPattern,
  parseUserSites,
  SITE_APPS,
  USER_SITES_KEY,
  withDossiers,
  type SiteDossierChoice,
  type UserSite,
} from '../lib/sites/user-sites';
import type { Dossier } from '../lib/model/dossier';
import { initialChoice, SiteDossierPicker, siteDossiersText } from './SiteDossierPicker';
import { t, uiLanguage } from './i18n';
import { LedgerDb } from '../lib/ledger/db';
import { storedMapping, teachKey } from '../lib/extension/teach-store';
import type { TeachMappingInput } from '../lib/messaging/protocol';
import { TEACH_FIELDS } from '../lib/sites/generic';
import { TEACH_FIELD_KEYS } from '../lib/overlay/teach';
import { SiteProblemList } from './SiteProblems';

const db = new LedgerDb();

const APP_LABEL: Record<UserSite['app'], string> = {
  auto: t.t('sites_settings_app_auto'),
  dolibarr: 'Dolibarr',
  invoiceplane: 'InvoicePlane',
  generic: 'eFactori / Billit / ButtonsforCleaners / …',
};

async function readSites(): Promise<UserSite[]> {
  const stored = (await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>;
  return parseUserSites(stored[USER_SITES_KEY]);
}

/** The taught table of each listed site that has one, by origin (the worker keeps them by host, lib/extension/teach-store.ts). */
async function readTaught(sites: UserSite[]): Promise<Record<string, TeachMappingInput>> {
  const keys = sites.map((s) => teachKey(new URL(s.origin).host));
  if (keys.length === 0) return {};
  const stored = (await browser.storage.local.get(keys)) as Record<string, unknown>;
  const taught: Record<string, TeachMappingInput> = {};
  for (const site of sites) {
    const mapping = storedMapping(stored[teachKey(new URL(site.origin).host)]);
    if (mapping) taught[site.origin] = mapping;
  }
  return taught;
}

/** "invoice number in column 1, invoice date in column 2, …" (columns counted from 1, as the user sees them). */
function describeMapping(mapping: TeachMappingInput): string {
  const columns = TEACH_FIELDS.map((f) => t.t('sites_teach_column', [t.t(TEACH_FIELD_KEYS[f]!), String(mapping.columns[f] + 1)])).join(', ');
  const since = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short' }).format(new Date(mapping.taughtAt));
  return t.t('sites_teach_taught', [since, columns]);
}

/**
 * The options page's sites section: the user adds an invoicing app's address and the dossiers it may book into; the
 * browser is asked for that origin on this click (a user gesture, as permissions.request requires), and only a granted
 * origin is kept. Plain http to another machine is asked for only after the user confirms a warning. The worker
 * registers the content script for it (lib/extension/site-scripts.ts). Removing a site gives the permission back.
 */
export function SiteSettings({ dossiers = [] }: { dossiers?: Dossier[] }) {
  const [sites, setSites] = useState<UserSite[]>([]);
  const [address, setAddress] = useState('');
  // The name support and the popup call the site by ("Dolibarr of Bakkerij Janssens"); optional.
  const [siteName, setSiteName] = useState('');
  const [app, setApp] = useState<UserSite['app']>('auto');
  const [choice, setChoice] = useState<SiteDossierChoice>(() => initialChoice(dossiers));
  // The http origin whose warning is shown; its confirm button makes the request.
  const [httpWarning, setHttpWarning] = useState<string>();
  const [editing, setEditing] = useState<{ origin: string; choice: SiteDossierChoice; name: string }>();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  // The firm's dossiers arrive after the first render and can change: until the user picks, a firm with exactly one
  // dossier has it pre-selected, and one with more has none (a second dossier must not inherit the first's place).
  const [picked, setPicked] = useState(false);
  const dossierKey = dossiers.map((d) => d.id).join(',');
  useEffect(() => {
    if (!picked) setChoice(initialChoice(dossiers));
  }, [dossierKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const [taught, setTaught] = useState<Record<string, TeachMappingInput>>({});

  const reload = useCallback(async () => {
    const listed = await readSites();
    setSites(listed);
    setTaught(await readTaught(listed));
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  function add(event: FormEvent) {
    event.preventDefault();
    setHttpWarning(undefined);
    const origin = originFromInput(address);
    if (!origin) {
      setMessage({ kind: 'error', text: t.t('sites_settings_bad_url') });
      return;
    }
    if (!choice.dossierIds.some((id) => dossiers.some((d) => d.id === id))) {
      setMessage({ kind: 'error', text: t.t('sites_settings_pick_dossier') });
      return;
    }
    if (needsHttpWarning(origin)) {
      setMessage(undefined);
      setHttpWarning(origin);
      return;
    }
    grantAndKeep(origin);
  }

  // No await before permissions.request: the browser accepts it only within the click's user gesture.
  function grantAndKeep(origin: string) {
    setHttpWarning(undefined);
    const named = cleanName(siteName);
    const site = withDossiers({ origin, app, addedAt: new Date().toISOString(), ...(named ? { name: named } : {}) }, { ...choice, dossierIds: choice.dossierIds.filter((id) => dossiers.some((d) => d.id === id)) });
    if (!site) {
      setMessage({ kind: 'error', text: t.t('sites_settings_pick_dossier') });
      return;
    }
    browser.permissions
      .request({ origins: [originPattern(origin)] })
      .then(async (granted) => {
        if (!granted) {
          setMessage({ kind: 'error', text: t.t('sites_settings_denied', [origin]) });
          return;
        }
        const current = await readSites();
        const next = [...current.filter((s) => s.origin !== origin), site];
        await browser.storage.local.set({ [USER_SITES_KEY]: next });
        setAddress('');
        setSiteName('');
        setPicked(false);
        setChoice(initialChoice(dossiers));
        setMessage({ kind: 'ok', text: t.t('sites_settings_added', [origin]) });
        await reload();
      })
      .catch((error: unknown) => setMessage({ kind: 'error', text: t.t('sites_settings_failed', [error instanceof Error ? error.message : String(error)]) }));
  }

  async function saveDossiers(origin: string, edited: SiteDossierChoice, name: string) {
    const current = await readSites();
    const existing = current.find((s) => s.origin === origin);
    const named = cleanName(name);
    const { name: _previous, ...unnamed } = existing ?? ({} as UserSite);
    const renamed = existing && { ...unnamed, ...(named ? { name: named } : {}) };
    const updated = renamed && withDossiers(renamed, { ...edited, dossierIds: edited.dossierIds.filter((id) => dossiers.some((d) => d.id === id)) });
    if (!updated) {
      setMessage({ kind: 'error', text: t.t('sites_settings_pick_dossier') });
      return;
    }
    await browser.storage.local.set({ [USER_SITES_KEY]: current.map((s) => (s.origin === origin ? updated : s)) });
    setEditing(undefined);
    setMessage({ kind: 'ok', text: t.t('sites_settings_dossiers_saved', [origin]) });
    await reload();
  }

  // The options page is a trusted context: it may remove the mapping itself (the worker only guards content scripts).
  async function forget(site: UserSite) {
    await browser.storage.local.remove(teachKey(new URL(site.origin).host));
    await reload();
  }

  async function remove(site: UserSite) {
    const next = (await readSites()).filter((s) => s.origin !== site.origin);
    await browser.storage.local.set({ [USER_SITES_KEY]: next });
    await browser.storage.local.remove(teachKey(new URL(site.origin).host));
    // Sites granted at install (127.0.0.1, localhost) cannot be removed; the browser refuses, which is fine.
    await browser.permissions.remove({ origins: [originPattern(site.origin)] }).catch(() => false);
    await reload();
  }

  return (
    <section className="site-settings">
      <p>{t.t('sites_settings_intro')}</p>
      {sites.length === 0 ? (
        <p className="muted">{t.t('sites_settings_none')}</p>
      ) : (
        <ul className="site-list">
          {sites.map((site) => {
            const books = siteDossiersText(site, dossiers);
            return (
              <li key={site.origin} data-origin={site.origin}>
                {site.name && <strong className="site-name">{site.name}</strong>} <code>{site.origin}</code> — {APP_LABEL[site.app]}{' '}
                <button type="button" onClick={() => void remove(site)}>
                  {t.t('sites_settings_remove')}
                </button>{' '}
                <button type="button" name="edit-dossiers" onClick={() => setEditing({ origin: site.origin, choice: { dossierIds: site.dossierIds, defaultDossierId: site.defaultDossierId }, name: site.name ?? '' })}>
                  {t.t('sites_settings_edit_dossiers')}
                </button>
                <div className={books.ok ? 'site-books muted' : 'site-books error'}>{books.text}</div>
                {editing?.origin === site.origin && (
                  <div className="site-edit">
                    <label>
                      {t.t('sites_settings_name')}
                      <input name="edit-site-name" value={editing.name} maxLength={80} onChange={(e) => setEditing({ ...editing, name: e.target.value })} />
                    </label>
                    <SiteDossierPicker dossiers={dossiers} value={editing.choice} onChange={(next) => setEditing({ ...editing, choice: next })} name="edit" />
                    <button type="button" name="save-dossiers" onClick={() => void saveDossiers(site.origin, editing.choice, editing.name)}>
                      {t.t('sites_settings_save_dossiers')}
                    </button>{' '}
                    <button type="button" onClick={() => setEditing(undefined)}>
                      {t.t('sites_settings_cancel')}
                    </button>
                  </div>
                )}
                {taught[site.origin] && (
                  <div className="site-taught muted">
                    {describeMapping(taught[site.origin]!)}{' '}
                    <button type="button" name="forget-teaching" onClick={() => void forget(site)}>
                      {t.t('sites_teach_forget')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <form onSubmit={add} className="site-add">
        <label>
          {t.t('sites_settings_url')}
          <input name="site-url" value={address} placeholder="https://erp.example.be" onChange={(e) => {
              setAddress(e.target.value);
              setHttpWarning(undefined);
            }} />
        </label>
        <label>
          {t.t('sites_settings_name')}
          <input name="site-name" value={siteName} maxLength={80} onChange={(e) => setSiteName(e.target.value)} />
        </label>
        <label>
          {t.t('sites_settings_app')}
          <select name="site-app" value={app} onChange={(e) => setApp(e.target.value as UserSite['app'])}>
            {SITE_APPS.map((a) => (
              <option key={a} value={a}>
                {APP_LABEL[a]}
              </option>
            ))}
          </select>
        </label>
        <SiteDossierPicker
          dossiers={dossiers}
          value={choice}
          onChange={(next) => {
            setPicked(true);
            setChoice(next);
          }}
          name="site"
        />
        <button type="submit">{t.t('sites_settings_add')}</button>
      </form>
      {httpWarning && (
        <div className="site-http-warning error" role="alert">
          <p>{t.t('sites_settings_http_warning', [httpWarning])}</p>
          <button type="button" name="confirm-http" onClick={() => grantAndKeep(httpWarning)}>
            {t.t('sites_settings_http_confirm')}
          </button>{' '}
          <button type="button" name="cancel-http" onClick={() => setHttpWarning(undefined)}>
            {t.t('sites_settings_cancel')}
          </button>
        </div>
      )}
      {message && <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status">{message.text}</p>}
      <h3 id="site-problems">{t.t('sites_problems_title')}</h3>
      <p className="muted">{t.t('sites_problems_intro')}</p>
      <SiteProblemList db={db} />
    </section>
  );
}

/** The name as kept: trimmed, at most 80 characters (the stored site's limit), none when empty. */
function cleanName(raw: string): string | undefined {
  const name = raw.trim().slice(0, 80);
  return name || undefined;
}
