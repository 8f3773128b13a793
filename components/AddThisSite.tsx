import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { Dossier } from '../lib/model/dossier';
import { needsHttpWarning, originPattern, parseUserSites, USER_SITES_KEY, withDossiers, type SiteDossierChoice } from '../lib/sites/user-sites';
import { initialChoice, SiteDossierPicker } from './SiteDossierPicker';
import { t } from './i18n';

/**
 * The popup's "Add this site": the origin of the tab the popup was opened on. The popup learns that tab's address
 * through the activeTab permission (granted for the tab the user clicked the extension on, nothing else, no install
 * warning), so the extension needs neither "tabs" nor any host permission for it. The origin's own permission is asked
 * for on the click, as in the options page, after the http warning where one is due.
 */
export function AddThisSite({ dossiers }: { dossiers: Dossier[] }) {
  const [origin, setOrigin] = useState<string>();
  const [choice, setChoice] = useState<SiteDossierChoice>({ dossierIds: [] });
  const [warned, setWarned] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const url = tab?.url ? new URL(tab.url) : undefined;
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return;
      const stored = (await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>;
      if (parseUserSites(stored[USER_SITES_KEY]).some((s) => s.origin === url.origin)) return;
      setOrigin(url.origin);
    })().catch(() => undefined);
  }, []);
  const dossierKey = dossiers.map((d) => d.id).join(',');
  useEffect(() => setChoice((current) => (current.dossierIds.length > 0 ? current : initialChoice(dossiers))), [dossierKey]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!origin) return null;

  // No await before permissions.request: the browser accepts it only within the click's user gesture. The site is
  // listed first because the popup may close while the browser asks; a listed origin runs nothing until granted.
  function add() {
    const site = withDossiers({ origin: origin!, app: 'auto', addedAt: new Date().toISOString() }, { ...choice, dossierIds: choice.dossierIds.filter((id) => dossiers.some((d) => d.id === id)) });
    if (!site) {
      setMessage({ kind: 'error', text: t.t('sites_settings_pick_dossier') });
      return;
    }
    if (needsHttpWarning(site.origin) && !warned) {
      setWarned(true);
      return;
    }
    const asked = browser.permissions.request({ origins: [originPattern(site.origin)] });
    void (async () => {
      const stored = (await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>;
      const others = parseUserSites(stored[USER_SITES_KEY]).filter((s) => s.origin !== site.origin);
      await browser.storage.local.set({ [USER_SITES_KEY]: [...others, site] });
      if (!(await asked)) {
        await browser.storage.local.set({ [USER_SITES_KEY]: others });
        setMessage({ kind: 'error', text: t.t('sites_settings_denied', [site.origin]) });
        return;
      }
      setMessage({ kind: 'ok', text: t.t('sites_settings_added', [site.origin]) });
    })().catch((error: unknown) => setMessage({ kind: 'error', text: t.t('sites_settings_failed', [error instanceof Error ? error.message : String(error)]) }));
  }

  return (
    <details data-testid="add-this-site" className="add-this-site">
      <summary>{t.t('sites_popup_add_title')}</summary>
      <p>{t.t('sites_popup_add_intro', [origin])}</p>
      {message?.kind !== 'ok' && (
        <>
          <SiteDossierPicker dossiers={dossiers} value={choice} onChange={setChoice} name="popup-site" />
          {warned && (
            <p className="site-http-warning error" role="alert">
              {t.t('sites_settings_http_warning', [origin])}
            </p>
          )}
          <button type="button" name="add-this-site" onClick={add}>
            {warned ? t.t('sites_settings_http_confirm') : t.t('sites_popup_add_title')}
          </button>
        </>
      )}
      {message && (
        <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status">
          {message.text}
        </p>
      )}
    </details>
  );
}
