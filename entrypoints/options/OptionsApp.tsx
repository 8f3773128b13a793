import { useCallback, useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import type { Connection, Dossier } from '../../lib/model/dossier';
import { t, uiLanguage } from '../../components/i18n';
import { DossierSettings } from '../../components/DossierSettings';
import { MailboxSettings } from '../../components/MailboxSettings';
import { SiteSettings } from '../../components/SiteSettings';
import { RulesSettings } from '../../components/RulesSettings';
import { ConnectionForm, type OctopusDossier } from '../../components/ConnectionForm';
import { OptionsSection, SectionNav, SetupGuide } from '../../components/OptionsLayout';
import type { ReferenceImport } from '../../lib/octopus/import';
import { OPTION_SECTIONS, setupSteps, type OptionSection, type SetupStep } from '../../lib/extension/setup';
import { parseUserSites, USER_SITES_KEY, type UserSite } from '../../lib/sites/user-sites';
import { SCHEDULED_RUNS_ANCHOR } from '../../components/ScheduledRuns';
import { ask, errorOf } from '../../components/ask';

interface Settings {
  connections: Connection[];
  dossiers: Dossier[];
  defaultDossierId: string | null;
  imports?: Record<string, ReferenceImport>;
  /** Per dossier, the "sales:S:20" keys documents met that its VAT codes do not cover. */
  vatKeysMet?: Record<string, string[]>;
}

/** Anchors inside a section that other pages link to (the popup links to the scheduled runs). */
const ANCHOR_SECTION: Record<string, OptionSection> = { [SCHEDULED_RUNS_ANCHOR]: 'rules', 'site-problems': 'sites' };

function sectionOfHash(hash: string): OptionSection | undefined {
  const anchor = hash.replace(/^#/, '');
  return (OPTION_SECTIONS as readonly string[]).includes(anchor) ? (anchor as OptionSection) : ANCHOR_SECTION[anchor];
}

export function OptionsApp() {
  const [settings, setSettings] = useState<Settings>({ connections: [], dossiers: [], defaultDossierId: null });
  const [loaded, setLoaded] = useState(false);
  const [sites, setSites] = useState<UserSite[]>([]);
  const [message, setMessage] = useState<string>();
  const [available, setAvailable] = useState<{ connectionId: string; dossiers: OctopusDossier[] }>();
  // What the user opened or closed; every other section follows what the set-up needs now.
  const [toggled, setToggled] = useState<Partial<Record<OptionSection, boolean>>>({});
  const [target, setTarget] = useState(() => sectionOfHash(location.hash));

  const reload = useCallback(async () => {
    const answer = await ask<Settings>({ type: 'settings.get' });
    if (answer.ok) setSettings(answer);
    setLoaded(true);
  }, []);
  useEffect(() => void reload(), [reload]);

  // The sites list lives in storage.local (components/SiteSettings.tsx keeps it); the guide follows its changes.
  useEffect(() => {
    const read = async () => setSites(parseUserSites(((await browser.storage.local.get(USER_SITES_KEY)) as Record<string, unknown>)[USER_SITES_KEY]));
    void read();
    const changed = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && USER_SITES_KEY in changes) void read();
    };
    browser.storage.onChanged.addListener(changed);
    return () => browser.storage.onChanged.removeListener(changed);
  }, []);

  useEffect(() => {
    const follow = () => {
      const section = sectionOfHash(location.hash);
      setTarget(section);
      if (section) setToggled((now) => ({ ...now, [section]: true }));
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const steps = useMemo(
    () => setupSteps({ connections: settings.connections, dossiers: settings.dossiers, imports: settings.imports, sites }),
    [settings, sites],
  );
  const stepDone = (id: string) => steps.find((s) => s.id === id)?.state === 'done';

  // While setting up, what the next steps need is open; once set up, the dossiers and sites a user comes back for.
  const complete = steps.every((s) => s.state === 'done');
  const openByDefault: Record<OptionSection, boolean> = {
    connection: settings.dossiers.length === 0,
    dossiers: settings.connections.length > 0,
    mail: settings.dossiers.length > 0 && !complete,
    sites: true,
    rules: settings.dossiers.length > 0 && !complete,
    support: false,
  };
  const isOpen = (section: OptionSection) => toggled[section] ?? (target === section || openByDefault[section]);

  function go(section: OptionSection) {
    setToggled((now) => ({ ...now, [section]: true }));
    setTarget(section);
    history.replaceState(null, '', `#${section}`);
    // Keyboard users land where the link took the eye: on the section's summary.
    requestAnimationFrame(() => {
      const target = document.getElementById(section);
      target?.scrollIntoView({ block: 'start' });
      target?.querySelector<HTMLElement>('summary')?.focus({ preventScroll: true });
    });
  }

  /** A step's link: its section, and there what the step needs (the waiting dossier's settings, the site address). */
  function goToStep(section: OptionSection, step: SetupStep) {
    go(section);
    const dossier = settings.dossiers.find((d) => d.id === step.dossierId);
    requestAnimationFrame(() => {
      if (dossier) {
        const details = document.querySelector<HTMLDetailsElement>(`[data-dossier-settings="${dossier.octopusDossierId}"]`);
        if (details) details.open = true;
        details?.querySelector<HTMLElement>('summary')?.focus();
      }
      if (step.id === 'site') document.querySelector<HTMLInputElement>('input[name=site-url]')?.focus();
    });
  }

  async function listDossiers(connectionId: string) {
    const answer = await ask<{ dossiers: OctopusDossier[] }>({ type: 'connection.dossiers', connectionId });
    if (!answer.ok) return setMessage(errorOf(answer.error));
    setMessage(undefined);
    setAvailable({ connectionId, dossiers: answer.dossiers });
    go('dossiers');
  }

  async function useDossier(connectionId: string, dossier: OctopusDossier) {
    await ask({ type: 'dossier.use', connectionId, octopusDossierId: dossier.id, name: dossier.name, vatNumber: dossier.vatNumber, makeDefault: settings.dossiers.length === 0 });
    await reload();
  }

  const section = (id: OptionSection, children: React.ReactNode, note?: string) => (
    <OptionsSection id={id} open={isOpen(id)} onToggle={(open) => setToggled((now) => ({ ...now, [id]: open }))} note={note}>
      {children}
    </OptionsSection>
  );

  const connectionForm = (
    <ConnectionForm
      onConnected={(connection, dossiers) => {
        setAvailable({ connectionId: connection.id, dossiers });
        void reload();
      }}
    />
  );

  return (
    <main className="options" data-loaded={loaded}>
      <header className="options-header">
        <h1>{t.t('options_title')}</h1>
      </header>
      <SectionNav current={target} onGo={go} />
      <div className="options-body">
        {loaded && <SetupGuide steps={steps} onGo={goToStep} />}

        {section(
          'connection',
          <>
            <p className="muted">{t.t('options_connection_help')}</p>
            {settings.connections.length > 0 && (
              <table aria-label={t.t('options_connections')}>
                <tbody>
                  {settings.connections.map((c) => (
                    <tr key={c.id} data-connection={c.id}>
                      <td>{c.label}</td>
                      <td>{c.user}</td>
                      <td className="muted">{c.baseUrl}</td>
                      <td>
                        <button type="button" onClick={() => void listDossiers(c.id)}>
                          {t.t('options_available_dossiers')}
                        </button>{' '}
                        <button type="button" onClick={() => void ask({ type: 'connection.delete', connectionId: c.id }).then(reload)}>
                          {t.t('options_remove_connection')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {message && (
              <p className="error" role="alert">
                {message}
              </p>
            )}
            {settings.connections.length === 0 ? (
              connectionForm
            ) : (
              <details className="spaced">
                <summary>{t.t('options_add_login')}</summary>
                {connectionForm}
              </details>
            )}
          </>,
          stepDone('connect') ? settings.connections.map((c) => c.user).join(', ') : undefined,
        )}

        {section(
          'dossiers',
          <>
            {available && (
              <div data-testid="available-dossiers" className="picker">
                <h3>{t.t('options_available_dossiers')}</h3>
                <table>
                  <tbody>
                    {available.dossiers.map((d) => {
                      const inUse = settings.dossiers.some((x) => x.octopusDossierId === d.id);
                      return (
                        <tr key={d.id} data-octopus-dossier={d.id}>
                          <td>{d.id}</td>
                          <td>{d.name}</td>
                          <td className="muted">{d.vatNumber}</td>
                          <td>
                            <button type="button" disabled={inUse} aria-label={`${inUse ? t.t('options_in_use') : t.t('options_use_dossier')}: ${d.name}`} onClick={() => void useDossier(available.connectionId, d)}>
                              {inUse ? t.t('options_in_use') : t.t('options_use_dossier')}
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            {settings.dossiers.length === 0 ? (
              <p className="muted">{t.t('options_no_dossiers')}</p>
            ) : (
              <>
              <h3>{t.t('options_dossiers')}</h3>
              <table data-testid="dossiers">
                <tbody>
                  {settings.dossiers.map((d) => [
                    <tr key={d.id} data-dossier={d.octopusDossierId}>
                      <td>{d.octopusDossierId}</td>
                      <td>{d.name}</td>
                      <td className="muted">{d.vatNumber}</td>
                      <td>{settings.defaultDossierId === d.id ? <strong>{t.t('options_default')}</strong> : null}</td>
                      <td>
                        <button type="button" aria-label={`${t.t('options_remove')}: ${d.name}`} onClick={() => void ask({ type: 'dossier.remove', dossierId: d.id }).then(reload)}>
                          {t.t('options_remove')}
                        </button>
                      </td>
                    </tr>,
                    <tr key={`${d.id}-settings`}>
                      <td colSpan={5}>
                        <DossierSettings key={d.id} dossier={d} imported={settings.imports?.[d.id]} vatKeysMet={settings.vatKeysMet?.[d.id]} onChanged={() => void reload()} />
                      </td>
                    </tr>,
                  ])}
                </tbody>
              </table>
              </>
            )}
          </>,
        )}

        {/* Sections of the other areas (mailboxes, rules, sites), one component per line, each in components/. */}
        {section('mail', <MailboxSettings />)}
        {section('sites', <SiteSettings dossiers={settings.dossiers} />)}
        {section('rules', <RulesSettings key={settings.dossiers.map((d) => d.id).join(',')} />)}
        {section('support', <SupportInfo />)}
      </div>
    </main>
  );
}

/** What a firm's support asks first: which version, which language, and an address for each section. */
function SupportInfo() {
  const base = browser.runtime.getURL('/options.html');
  return (
    <div data-testid="support">
      <p>{t.t('support_version', [browser.runtime.getManifest().version, uiLanguage()])}</p>
      <p className="muted">{t.t('support_help', [`${base}#sites`])}</p>
      <h3>{t.t('support_links')}</h3>
      <ul>
        {OPTION_SECTIONS.map((section) => (
          <li key={section}>
            <a href={`#${section}`}>{`${base}#${section}`}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
