import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useReloadOnFocus } from './useReloadOnFocus';
import { browser } from 'wxt/browser';
import type { Dossier } from '../lib/model/dossier';
import type { LocalizedText } from '../lib/model/transfer';
import { DOCUMENT_CLASSES, appStatus, dossierRules, type AppStatus, type DocumentClass, type DossierRules, type KindRule, type Schedule } from '../lib/transfer/rules';
import { t, text } from './i18n';
import { LedgerDb } from '../lib/ledger/db';
import { ScheduledRunList } from './ScheduledRuns';

/** The options page's rules per dossier and kind of document: what goes by itself, when, and with which checks. */

type Send = (message: unknown) => Promise<unknown>;
type Answer<T> = ({ ok: true } & T) | { ok: false; error: { message: string; text?: LocalizedText } };

const defaultSend: Send = (message) => browser.runtime.sendMessage(message);
let pageDb: LedgerDb | undefined;
/** The page's own handle on the worker's IndexedDB (opened on first use, shared by every render). */
const defaultDb = () => (pageDb ??= new LedgerDb());

export interface RulesForm {
  kinds: Record<DocumentClass, KindRule>;
  schedule: Schedule['type'];
  /** As typed, so a wrong value can be named in the message. */
  hour: string;
  minutes: string;
  includeAlreadyTransferred: boolean;
  warnEditAfterExport: boolean;
}

const SCHEDULES: readonly Schedule['type'][] = ['never', 'nightly', 'lastMonth', 'afterCreation'];

export function formOf(rules: DossierRules): RulesForm {
  return {
    kinds: { ...rules.kinds },
    schedule: rules.schedule.type,
    hour: rules.schedule.type === 'nightly' ? String(rules.schedule.hour) : '2',
    minutes: rules.schedule.type === 'afterCreation' ? String(rules.schedule.minutes) : '10',
    includeAlreadyTransferred: rules.includeAlreadyTransferred,
    warnEditAfterExport: rules.warnEditAfterExport,
  };
}

const whole = (value: string) => (/^\s*\d{1,6}\s*$/.test(value) ? Number(value) : undefined);

/** The form as rules, or the first problem in the user's words (the worker checks the same schema again). */
export function rulesOf(dossierId: string, form: RulesForm): { ok: true; rules: DossierRules } | { ok: false; error: LocalizedText } {
  let schedule: Schedule;
  if (form.schedule === 'nightly') {
    const hour = whole(form.hour);
    if (hour === undefined || hour > 23) return { ok: false, error: { key: 'engine_rules_error_hour', params: [form.hour.trim()] } };
    schedule = { type: 'nightly', hour };
  } else if (form.schedule === 'afterCreation') {
    const minutes = whole(form.minutes);
    if (minutes === undefined || minutes < 1 || minutes > 7 * 24 * 60) return { ok: false, error: { key: 'engine_rules_error_minutes', params: [form.minutes.trim()] } };
    schedule = { type: 'afterCreation', minutes };
  } else schedule = { type: form.schedule };
  const parsed = dossierRules.safeParse({
    dossierId,
    kinds: form.kinds,
    schedule,
    includeAlreadyTransferred: form.includeAlreadyTransferred,
    warnEditAfterExport: form.warnEditAfterExport,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { key: 'engine_rules_invalid', params: [`${issue.path.join('.')}: ${issue.message}`] } };
  }
  return { ok: true, rules: parsed.data };
}

function DossierRulesForm({ dossier, rules, send }: { dossier: Dossier; rules: DossierRules; send: Send }) {
  const [form, setForm] = useState(() => formOf(rules));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  // A reload with the same rules keeps what is being typed.
  const stored = JSON.stringify(rules);
  useEffect(() => setForm(formOf(JSON.parse(stored) as DossierRules)), [stored]);

  const setKind = (kind: DocumentClass, change: Partial<KindRule>) => setForm((f) => ({ ...f, kinds: { ...f.kinds, [kind]: { ...f.kinds[kind], ...change } } }));

  async function save(event: FormEvent) {
    event.preventDefault();
    const checked = rulesOf(dossier.id, form);
    if (!checked.ok) {
      setMessage({ kind: 'error', text: text(checked.error) });
      return;
    }
    setBusy(true);
    setMessage(undefined);
    try {
      const answer = (await send({ type: 'rules.save', rules: checked.rules })) as Answer<{ rules: DossierRules }> | undefined;
      if (!answer?.ok) {
        const error = answer?.error ?? { message: 'no answer' };
        setMessage({ kind: 'error', text: error.text ? text(error.text) : t.t('engine_rules_invalid', [error.message]) });
        return;
      }
      setForm(formOf(answer.rules));
      setMessage({ kind: 'ok', text: t.t('engine_rules_saved') });
    } catch (error) {
      setMessage({ kind: 'error', text: t.t('engine_rules_invalid', [error instanceof Error ? error.message : String(error)]) });
    } finally {
      setBusy(false);
    }
  }

  const id = (name: string) => `rules-${dossier.id}-${name}`;
  return (
    <form onSubmit={save} data-rules-dossier={dossier.octopusDossierId} className="rules-form">
      <fieldset className="card">
        <legend>
          <strong>{dossier.name}</strong> <span className="muted">({dossier.octopusDossierId})</span>
        </legend>
        <table>
          <thead>
            <tr>
              <th>{t.t('engine_rules_kind')}</th>
              <th>{t.t('engine_rules_auto')}</th>
              <th>{t.t('engine_rules_status')}</th>
              <th>{t.t('engine_rules_approval')}</th>
            </tr>
          </thead>
          <tbody>
            {DOCUMENT_CLASSES.map((kind) => (
              <tr key={kind} data-kind={kind}>
                <td>{t.t(`engine_kind_${kind}`)}</td>
                <td>
                  <input
                    type="checkbox"
                    name={`auto-${kind}`}
                    aria-label={`${t.t(`engine_kind_${kind}`)}: ${t.t('engine_rules_auto')}`}
                    checked={form.kinds[kind].auto}
                    onChange={(e) => setKind(kind, { auto: e.target.checked })}
                  />
                </td>
                <td>
                  <select
                    name={`status-${kind}`}
                    aria-label={`${t.t(`engine_kind_${kind}`)}: ${t.t('engine_rules_status')}`}
                    value={form.kinds[kind].status}
                    disabled={!form.kinds[kind].auto}
                    onChange={(e) => setKind(kind, { status: e.target.value as AppStatus })}
                  >
                    {appStatus.options.map((s) => (
                      <option key={s} value={s}>
                        {t.t(`engine_status_${s}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    name={`approval-${kind}`}
                    aria-label={`${t.t(`engine_kind_${kind}`)}: ${t.t('engine_rules_approval')}`}
                    checked={form.kinds[kind].approval}
                    disabled={!form.kinds[kind].auto}
                    onChange={(e) => setKind(kind, { approval: e.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row row-end spaced">
          <label className="field" htmlFor={id('schedule')}>
            <span>{t.t('engine_rules_schedule')}</span>
            <select id={id('schedule')} name="schedule" value={form.schedule} onChange={(e) => setForm({ ...form, schedule: e.target.value as Schedule['type'] })}>
              {SCHEDULES.map((s) => (
                <option key={s} value={s}>
                  {t.t(`engine_schedule_${s}`)}
                </option>
              ))}
            </select>
          </label>
          {form.schedule === 'nightly' && (
            <label className="field">
              <span>{t.t('engine_rules_hour')}</span>
              <input name="hour" inputMode="numeric" size={4} value={form.hour} onChange={(e) => setForm({ ...form, hour: e.target.value })} />
            </label>
          )}
          {form.schedule === 'afterCreation' && (
            <label className="field">
              <span>{t.t('engine_rules_minutes')}</span>
              <input name="minutes" inputMode="numeric" size={6} value={form.minutes} onChange={(e) => setForm({ ...form, minutes: e.target.value })} />
            </label>
          )}
        </div>
        <label className="check-line spaced">
          <input
            type="checkbox"
            name="includeAlreadyTransferred"
            checked={form.includeAlreadyTransferred}
            onChange={(e) => setForm({ ...form, includeAlreadyTransferred: e.target.checked })}
          />{' '}
          {t.t('engine_rules_include_sent')}
        </label>
        <label className="check-line">
          <input type="checkbox" name="warnEditAfterExport" checked={form.warnEditAfterExport} onChange={(e) => setForm({ ...form, warnEditAfterExport: e.target.checked })} />{' '}
          {t.t('engine_rules_warn_edit')}
        </label>
        <div className="row spaced">
          <button className="primary" type="submit" name="save-rules" disabled={busy}>
            {t.t('engine_rules_save')}
          </button>
          {message && (
            <span className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </span>
          )}
        </div>
      </fieldset>
    </form>
  );
}

/** One form per dossier, then what the scheduled runs did; `send` is the worker's message channel and `db` its IndexedDB (both injected for tests). */
export function RulesSettings({ send = defaultSend, db = defaultDb() }: { send?: Send; db?: LedgerDb }) {
  const [state, setState] = useState<{ dossiers: Dossier[]; rules: DossierRules[] }>();
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const answer = (await send({ type: 'rules.get' })) as Answer<{ dossiers: Dossier[]; rules: DossierRules[] }> | undefined;
      if (answer?.ok) {
        setState({ dossiers: answer.dossiers, rules: answer.rules });
        setError(undefined);
      } else setError(answer?.error.text ? text(answer.error.text) : (answer?.error.message ?? 'no answer'));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [send]);
  // Dossiers are added in the section above: read them again when the page comes back into view.
  useReloadOnFocus(reload);

  return (
    <section data-testid="rules">
      <p className="muted">{t.t('engine_rules_help')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {state && state.dossiers.length === 0 && <p className="muted">{t.t('engine_rules_none')}</p>}
      {state?.dossiers.map((d) => {
        const rules = state.rules.find((r) => r.dossierId === d.id);
        return rules ? <DossierRulesForm key={d.id} dossier={d} rules={rules} send={send} /> : null;
      })}
      <ScheduledRunList db={db} dossierName={(id) => state?.dossiers.find((d) => d.id === id)?.name} />
    </section>
  );
}
