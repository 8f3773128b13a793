import { useState, type FormEvent } from 'react';
import { checkConnection, CONNECTION_FIELD_LABELS, type ConnectionField } from '../lib/messaging/connection-form';
import type { Connection } from '../lib/model/dossier';
import type { LocalizedText } from '../lib/model/transfer';
import { ask, errorOf } from './ask';
import { t, text } from './i18n';

export interface OctopusDossier {
  id: number;
  name: string;
  vatNumber?: string;
}

const EMPTY_FORM: Record<ConnectionField, string> = {
  label: 'Octopus',
  baseUrl: 'https://service.inaras.be/octopus-rest-api/v1',
  softwareHouseUuid: '',
  user: '',
  password: '',
};

/**
 * The Octopus login, checked field by field in the user's language before the worker tests it against Octopus.
 * A refused form keeps what was typed.
 */
export function ConnectionForm({ onConnected }: { onConnected: (connection: Connection, dossiers: OctopusDossier[]) => void }) {
  const [form, setForm] = useState(EMPTY_FORM);
  const [errors, setErrors] = useState<Partial<Record<ConnectionField, LocalizedText>>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function connect(event: FormEvent) {
    event.preventDefault();
    const check = checkConnection(form);
    if (!check.ok) {
      setErrors(check.fields);
      setMessage({ kind: 'error', text: text(check.first) });
      return;
    }
    setErrors({});
    setBusy(true);
    setMessage(undefined);
    const answer = await ask<{ connection: Connection; dossiers: OctopusDossier[] }>({ type: 'connection.save', connection: check.value });
    setBusy(false);
    if (!answer.ok) {
      setMessage({ kind: 'error', text: errorOf(answer.error) });
      return;
    }
    setForm({ ...EMPTY_FORM, baseUrl: form.baseUrl });
    setMessage({ kind: 'ok', text: t.t('options_connected', [String(answer.dossiers.length)]) });
    onConnected(answer.connection, answer.dossiers);
  }

  const field = (name: ConnectionField, type = 'text') => (
    <label className="field">
      <span>{t.t(CONNECTION_FIELD_LABELS[name])}</span>
      <input
        name={name}
        type={type}
        value={form[name]}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `connection-${name}-error` : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {errors[name] && (
        <span className="field-error" id={`connection-${name}-error`}>
          {text(errors[name]!)}
        </span>
      )}
    </label>
  );

  return (
    <>
      <form onSubmit={connect} className="form-grid" noValidate>
        {field('label')}
        {field('baseUrl')}
        {field('softwareHouseUuid')}
        {field('user')}
        {field('password', 'password')}
        <div className="form-actions">
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
    </>
  );
}
