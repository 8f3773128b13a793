import { useCallback, useState, type FormEvent } from 'react';
import { useReloadOnFocus } from './useReloadOnFocus';
import { browser } from 'wxt/browser';
import type { PageRequest } from '../lib/messaging/protocol';
import type { LocalizedText } from '../lib/model/transfer';
import type { MailAccount, MailAccountKind } from '../lib/mail/store';
import { isAddress, isOctopusMailbox } from '../lib/mail/address';
import { authorizationUrl, codeFromRedirect, createPkce, OAUTH_PROVIDERS } from '../lib/mail/oauth';
import { isBoundTo } from '../lib/platform/secret-url';
import { t, text } from './i18n';

interface MailDossier {
  id: string;
  name: string;
  octopusDossierId: number;
  transport: 'webservice' | 'mailbox';
  mailbox: { sales?: string; purchases?: string };
}

interface MailSettings {
  account: MailAccount | null;
  secrets: { token: boolean; password: boolean; oauth: boolean };
  dossiers: MailDossier[];
}

type Answer<T> = ({ ok: true } & T) | { ok: false; error: { message: string; text?: LocalizedText } };
const errorOf = (error: { message: string; text?: LocalizedText }) => (error.text ? text(error.text) : error.message);

async function ask<T>(request: PageRequest): Promise<Answer<T>> {
  return (await browser.runtime.sendMessage(request)) as Answer<T>;
}

const KIND_LABEL: Record<MailAccountKind, string> = {
  'http-relay': 'mail_kind_http_relay',
  jmap: 'mail_kind_jmap',
  graph: 'mail_kind_graph',
  gmail: 'mail_kind_gmail',
};

/** The hosts the worker calls for this kind of account (the relay and JMAP hosts are the user's). */
function hostsFor(kind: MailAccountKind, url: string): string[] {
  // Large attachments are uploaded to the pre-authenticated URL Graph hands out, on Outlook's hosts (lib/mail/graph.ts).
  if (kind === 'graph') return ['https://graph.microsoft.com/*', 'https://login.microsoftonline.com/*', 'https://outlook.office.com/*', 'https://outlook.office365.com/*'];
  if (kind === 'gmail') return ['https://gmail.googleapis.com/*', 'https://oauth2.googleapis.com/*'];
  try {
    return [`${new URL(url).origin}/*`];
  } catch {
    return [];
  }
}

const EMPTY_ACCOUNT = { kind: 'http-relay' as MailAccountKind, url: '', from: '', user: '', clientId: '', token: '', password: '' };

/** The options page's mail section: the account the worker sends through, and each dossier's Octopus mailboxes. */
export function MailboxSettings() {
  const [settings, setSettings] = useState<MailSettings>();
  const [form, setForm] = useState(EMPTY_ACCOUNT);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const reload = useCallback(async () => {
    const answer = await ask<MailSettings>({ type: 'mail.settings.get' });
    if (!answer.ok) return;
    setSettings(answer);
    if (answer.account) {
      const a = answer.account;
      setForm((f) => ({ ...f, kind: a.kind, url: a.url ?? '', from: a.from, user: a.user ?? '', clientId: a.clientId ?? '' }));
    }
  }, []);
  // Dossiers are added in the section above: read them again when the page comes back into view.
  useReloadOnFocus(reload);

  async function save(event: FormEvent) {
    event.preventDefault();
    setMessage(undefined);
    if (!isAddress(form.from)) {
      setMessage({ kind: 'error', text: t.t('mail_error_bad_address', [form.from]) });
      return;
    }
    if (secretAgain && !form.token && !form.password) {
      // The worker would refuse and drop the stored one: ask for it here first.
      setMessage({ kind: 'error', text: t.t('mail_secret_again') });
      return;
    }
    // Asked first, while the click still counts as the user's gesture: the worker may only reach granted hosts.
    const origins = hostsFor(form.kind, form.url.trim());
    const granted = origins.length === 0 || (await browser.permissions.request({ origins }).catch(() => false));
    if (!granted) {
      setMessage({ kind: 'error', text: t.t('mail_error_account_test', [origins.join(', ')]) });
      return;
    }
    setBusy(true);
    try {
      const account = {
        kind: form.kind,
        from: form.from.trim(),
        ...(form.url.trim() ? { url: form.url.trim() } : {}),
        ...(form.user.trim() ? { user: form.user.trim() } : {}),
        ...(form.clientId.trim() ? { clientId: form.clientId.trim() } : {}),
      };
      let oauth: { code: string; verifier: string; redirectUri: string } | undefined;
      if (form.kind === 'graph' || form.kind === 'gmail') {
        // The consent page runs here (it needs a window); the worker redeems the code and keeps the tokens.
        const pkce = await createPkce();
        const state = crypto.randomUUID();
        const redirectUri = browser.identity.getRedirectURL();
        const url = authorizationUrl(OAUTH_PROVIDERS[form.kind], { clientId: form.clientId.trim(), redirectUri, state, challenge: pkce.challenge, loginHint: form.from.trim() });
        const redirected = await browser.identity.launchWebAuthFlow({ url, interactive: true });
        if (!redirected) throw new Error('sign-in cancelled');
        oauth = { code: codeFromRedirect(redirected, state), verifier: pkce.verifier, redirectUri };
      }
      const answer = await ask<{ account: MailAccount }>({
        type: 'mail.account.save',
        account,
        ...(form.token ? { token: form.token } : {}),
        ...(form.password ? { password: form.password } : {}),
        ...(oauth ? { oauth } : {}),
      });
      if (!answer.ok) setMessage({ kind: 'error', text: errorOf(answer.error) });
      else {
        setMessage({ kind: 'ok', text: t.t('mail_account_saved', [t.t(KIND_LABEL[answer.account.kind])]) });
        setForm((f) => ({ ...f, token: '', password: '' }));
        await reload();
      }
    } catch (error) {
      setMessage({ kind: 'error', text: t.t('mail_error_account_test', [error instanceof Error ? error.message : String(error)]) });
    } finally {
      setBusy(false);
    }
  }

  async function removeAccount() {
    await ask({ type: 'mail.account.delete' });
    setForm(EMPTY_ACCOUNT);
    setMessage({ kind: 'ok', text: t.t('mail_account_removed') });
    await reload();
  }

  const input = (name: keyof typeof EMPTY_ACCOUNT, label: string, type = 'text', placeholder?: string) => (
    <label className="field">
      <span>{label}</span>
      <input name={`mail-${name}`} type={type} value={form[name]} placeholder={placeholder} autoComplete={type === 'password' ? 'new-password' : 'off'} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  // A stored token or password is kept for the address it was entered for only (the worker enforces it).
  const saved = settings?.account;
  const savedSecret = Boolean(settings?.secrets.token || settings?.secrets.password);
  const secretAgain = Boolean(saved && saved.kind === form.kind && savedSecret && form.kind !== 'graph' && form.kind !== 'gmail' && !(saved.url && isBoundTo(saved.url, form.url)));
  const kept = (has: boolean | undefined) => (has && saved?.kind === form.kind && !secretAgain ? t.t('mail_secret_kept') : undefined);
  const oauthKind = form.kind === 'graph' || form.kind === 'gmail';

  return (
    <section data-testid="mail-settings">
      <p className="muted">{t.t('mail_settings_help')}</p>
      <p data-testid="mail-account">
        {settings?.account ? t.t('mail_account_current', [t.t(KIND_LABEL[settings.account.kind]), settings.account.from]) : t.t('mail_account_none')}
      </p>
      <form onSubmit={save} className="form-grid">
        <label className="field">
          <span>{t.t('mail_account_kind')}</span>
          <select name="mail-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as MailAccountKind })}>
            {(Object.keys(KIND_LABEL) as MailAccountKind[]).map((k) => (
              <option key={k} value={k}>
                {t.t(KIND_LABEL[k])}
              </option>
            ))}
          </select>
        </label>
        {input('from', t.t('mail_from'), 'email')}
        {!oauthKind && input('url', t.t('mail_url'), 'url', form.kind === 'jmap' ? 'https://mail.example/.well-known/jmap' : 'https://relay.firm.be')}
        {form.kind === 'http-relay' && input('token', t.t('mail_token'), 'password', kept(settings?.secrets.token))}
        {form.kind === 'jmap' && input('user', t.t('mail_user'))}
        {form.kind === 'jmap' && input('password', t.t('mail_password'), 'password', kept(settings?.secrets.password || settings?.secrets.token))}
        {oauthKind && input('clientId', t.t('mail_client_id'))}
        {secretAgain && (
          <p className="error span-all" data-testid="mail-secret-again">
            {t.t('mail_secret_again')}
          </p>
        )}
        <div className="form-actions">
          <button className="primary" type="submit" name="mail-save" disabled={busy}>
            {oauthKind ? t.t('mail_sign_in') : t.t('mail_save_account')}
          </button>{' '}
          {settings?.account && (
            <button type="button" name="mail-remove" onClick={() => void removeAccount()}>
              {t.t('mail_remove_account')}
            </button>
          )}
        </div>
      </form>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="mail-message">
          {message.text}
        </p>
      )}

      {settings && settings.dossiers.length > 0 && (
        <>
          <h3>{t.t('mail_dossiers_title')}</h3>
          <table data-testid="mail-dossiers">
            <tbody>
              {settings.dossiers.map((d) => (
                <MailboxRow key={d.id} dossier={d} onSaved={reload} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function MailboxRow({ dossier, onSaved }: { dossier: MailDossier; onSaved: () => Promise<void> }) {
  const [transport, setTransport] = useState(dossier.transport);
  const [sales, setSales] = useState(dossier.mailbox.sales ?? '');
  const [purchases, setPurchases] = useState(dossier.mailbox.purchases ?? '');
  const [note, setNote] = useState<{ kind: 'ok' | 'error' | 'warning'; text: string }[]>([]);

  // Shown while typing; the worker says the same when saving. A warning, never a block.
  const typed = [sales, purchases].filter((a) => a.trim() && isAddress(a) && !isOctopusMailbox(a));

  async function save() {
    const answer = await ask<{ warnings: LocalizedText[] }>({ type: 'mail.dossier.save', dossierId: dossier.id, transport, sales: sales.trim() || undefined, purchases: purchases.trim() || undefined });
    if (!answer.ok) {
      setNote([{ kind: 'error', text: errorOf(answer.error) }]);
      return;
    }
    setNote([{ kind: 'ok', text: t.t('mail_dossier_saved', [dossier.name]) }, ...answer.warnings.map((w) => ({ kind: 'warning' as const, text: text(w) }))]);
    await onSaved();
  }

  return (
    <tr data-mail-dossier={dossier.octopusDossierId}>
      <td>{dossier.name}</td>
      <td>
        <label>
          <span className="muted">{t.t('mail_transport')} </span>
          <select name="transport" value={transport} onChange={(e) => setTransport(e.target.value as MailDossier['transport'])}>
            <option value="webservice">{t.t('mail_transport_webservice')}</option>
            <option value="mailbox">{t.t('mail_transport_mailbox')}</option>
          </select>
        </label>
      </td>
      <td>
        <input name="sales" type="email" placeholder={t.t('mail_sales_address')} aria-label={t.t('mail_sales_address')} value={sales} onChange={(e) => setSales(e.target.value)} />
      </td>
      <td>
        <input name="purchases" type="email" placeholder={t.t('mail_purchases_address')} aria-label={t.t('mail_purchases_address')} value={purchases} onChange={(e) => setPurchases(e.target.value)} />
      </td>
      <td>
        <button type="button" name="mail-dossier-save" onClick={() => void save()}>
          {t.t('mail_save_dossier')}
        </button>
        {typed.map((a) => (
          <p key={a} className="warning" data-testid="mail-warning">
            {t.t('mail_not_octopus_warning', [a])}
          </p>
        ))}
        {note
          .filter((n) => n.kind !== 'warning')
          .map((n) => (
            <p key={n.text} className={n.kind} role={n.kind === 'error' ? 'alert' : 'status'}>
              {n.text}
            </p>
          ))}
      </td>
    </tr>
  );
}
