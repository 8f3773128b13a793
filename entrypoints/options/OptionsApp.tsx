import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { connectionInput } from '../../lib/messaging/protocol';
import type { Connection, Dossier } from '../../lib/model/dossier';
import { t } from '../../components/i18n';
import { DossierSettings } from '../../components/DossierSettings';
import { MailboxSettings } from '../../components/MailboxSettings';
import { SiteSettings } from '../../components/SiteSettings';
import { RulesSettings } from '../../components/RulesSettings';
import type { ReferenceImport } from '../../lib/octopus/import';

interface OctopusDossier {
  id: number;
  name: string;
  vatNumber?: string;
}

interface Settings {
  connections: Connection[];
  dossiers: Dossier[];
  defaultDossierId: string | null;
  imports?: Record<string, ReferenceImport>;
  /** Per dossier, the "sales:S:20" keys documents met that its VAT codes do not cover. */
  vatKeysMet?: Record<string, string[]>;
}

import { ask, errorOf } from '../../components/ask';

const EMPTY_FORM = { label: 'Octopus', baseUrl: 'https://service.inaras.be/octopus-rest-api/v1', softwareHouseUuid: '', user: '', password: '' };

export function OptionsApp() {
  const [settings, setSettings] = useState<Settings>({ connections: [], dossiers: [], defaultDossierId: null });
  const [form, setForm] = useState(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [available, setAvailable] = useState<{ connectionId: string; dossiers: OctopusDossier[] }>();

  const reload = useCallback(async () => {
    const answer = await ask<Settings>({ type: 'settings.get' });
    if (answer.ok) setSettings(answer);
  }, []);
  useEffect(() => void reload(), [reload]);

  async function connect(event: FormEvent) {
    event.preventDefault();
    const parsed = connectionInput.safeParse(form);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setMessage({ kind: 'error', text: t.t('options_invalid', [`${issue.path.join('.')}: ${issue.message}`]) });
      return;
    }
    setBusy(true);
    setMessage(undefined);
    const answer = await ask<{ connection: Connection; dossiers: OctopusDossier[] }>({ type: 'connection.save', connection: parsed.data });
    setBusy(false);
    if (!answer.ok) {
      setMessage({ kind: 'error', text: errorOf(answer.error) });
      return;
    }
    setForm({ ...EMPTY_FORM, baseUrl: form.baseUrl });
    setMessage({ kind: 'ok', text: t.t('options_connected', [String(answer.dossiers.length)]) });
    setAvailable({ connectionId: answer.connection.id, dossiers: answer.dossiers });
    await reload();
  }

  async function listDossiers(connectionId: string) {
    const answer = await ask<{ dossiers: OctopusDossier[] }>({ type: 'connection.dossiers', connectionId });
    if (answer.ok) setAvailable({ connectionId, dossiers: answer.dossiers });
    else setMessage({ kind: 'error', text: errorOf(answer.error) });
  }

  async function useDossier(connectionId: string, dossier: OctopusDossier) {
    await ask({ type: 'dossier.use', connectionId, octopusDossierId: dossier.id, name: dossier.name, vatNumber: dossier.vatNumber, makeDefault: settings.dossiers.length === 0 });
    await reload();
  }

  const field = (name: keyof typeof EMPTY_FORM, label: string, type = 'text') => (
    <label style={{ display: 'grid', gap: 2 }}>
      <span>{label}</span>
      <input name={name} type={type} value={form[name]} autoComplete={type === 'password' ? 'new-password' : 'off'} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );

  return (
    <main style={{ maxWidth: 760, margin: '0 auto', padding: 16 }}>
      <h1>{t.t('options_title')}</h1>

      <h2>{t.t('options_connection')}</h2>
      <p className="muted">{t.t('options_connection_help')}</p>
      <form onSubmit={connect} style={{ display: 'grid', gap: 8, gridTemplateColumns: '1fr 1fr' }}>
        {field('label', t.t('options_label'))}
        {field('baseUrl', t.t('options_base_url'))}
        {field('softwareHouseUuid', t.t('options_software_house'))}
        {field('user', t.t('options_user'))}
        {field('password', t.t('options_password'), 'password')}
        <div style={{ alignSelf: 'end' }}>
          <button className="primary" type="submit" name="connect" disabled={busy}>
            {busy ? t.t('options_connecting') : t.t('options_connect')}
          </button>
        </div>
      </form>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="options-message">
          {message.text}
        </p>
      )}

      {available && (
        <section data-testid="available-dossiers">
          <h2>{t.t('options_available_dossiers')}</h2>
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
                      <button type="button" disabled={inUse} onClick={() => void useDossier(available.connectionId, d)}>
                        {inUse ? t.t('options_in_use') : t.t('options_use_dossier')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}

      <h2>{t.t('options_dossiers')}</h2>
      {settings.dossiers.length === 0 ? (
        <p className="muted">{t.t('options_no_dossiers')}</p>
      ) : (
        <table data-testid="dossiers">
          <tbody>
            {settings.dossiers.map((d) => [
              <tr key={d.id} data-dossier={d.octopusDossierId}>
                <td>{d.octopusDossierId}</td>
                <td>{d.name}</td>
                <td className="muted">{d.vatNumber}</td>
                <td>{settings.defaultDossierId === d.id ? <strong>{t.t('options_default')}</strong> : null}</td>
                <td>
                  <button type="button" onClick={() => void ask({ type: 'dossier.remove', dossierId: d.id }).then(reload)}>
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
      )}

      <h2>{t.t('options_connections')}</h2>
      <table>
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

      {/* Sections of the other areas (mailboxes, rules, sites), one component per line, each in components/. */}
      <MailboxSettings />
      <SiteSettings dossiers={settings.dossiers} />
      <RulesSettings key={settings.dossiers.map((d) => d.id).join(',')} />
    </main>
  );
}
