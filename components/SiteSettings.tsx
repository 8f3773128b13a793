import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { originFromInput, originPattern, parseUserSites, SITE_APPS, USER_SITES_KEY, type UserSite } from '../lib/sites/user-sites';
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
 * The options page's sites section (issue 7, item 4): the user adds an invoicing app's address; the browser is asked
 * for that origin on this click (a user gesture, as permissions.request requires), and only a granted origin is kept.
 * The worker registers the content script for it (lib/extension/site-scripts.ts). Removing a site gives the permission back.
 */
export function SiteSettings() {
  const [sites, setSites] = useState<UserSite[]>([]);
  const [address, setAddress] = useState('');
  const [app, setApp] = useState<UserSite['app']>('auto');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const [taught, setTaught] = useState<Record<string, TeachMappingInput>>({});

  const reload = useCallback(async () => {
    const listed = await readSites();
    setSites(listed);
    setTaught(await readTaught(listed));
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  // No await before permissions.request: the browser accepts it only within the click's user gesture.
  function add(event: FormEvent) {
    event.preventDefault();
    const origin = originFromInput(address);
    if (!origin) {
      setMessage({ kind: 'error', text: t.t('sites_settings_bad_url') });
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
        const next = [...current.filter((s) => s.origin !== origin), { origin, app, addedAt: new Date().toISOString() }];
        await browser.storage.local.set({ [USER_SITES_KEY]: next });
        setAddress('');
        setMessage({ kind: 'ok', text: t.t('sites_settings_added', [origin]) });
        await reload();
      })
      .catch((error: unknown) => setMessage({ kind: 'error', text: t.t('sites_settings_failed', [error instanceof Error ? error.message : String(error)]) }));
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
      <h2>{t.t('sites_settings_title')}</h2>
      <p>{t.t('sites_settings_intro')}</p>
      {sites.length === 0 ? (
        <p className="muted">{t.t('sites_settings_none')}</p>
      ) : (
        <ul className="site-list">
          {sites.map((site) => (
            <li key={site.origin} data-origin={site.origin}>
              <code>{site.origin}</code> — {APP_LABEL[site.app]}{' '}
              <button type="button" onClick={() => void remove(site)}>
                {t.t('sites_settings_remove')}
              </button>
              {taught[site.origin] && (
                <div className="site-taught muted">
                  {describeMapping(taught[site.origin]!)}{' '}
                  <button type="button" name="forget-teaching" onClick={() => void forget(site)}>
                    {t.t('sites_teach_forget')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="site-add">
        <label>
          {t.t('sites_settings_url')}
          <input name="site-url" value={address} placeholder="https://erp.example.be" onChange={(e) => setAddress(e.target.value)} />
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
        <button type="submit">{t.t('sites_settings_add')}</button>
      </form>
      {message && <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status">{message.text}</p>}
      <h3 id="site-problems">{t.t('sites_problems_title')}</h3>
      <p className="muted">{t.t('sites_problems_intro')}</p>
      <SiteProblemList db={db} />
    </section>
  );
}
