import { createGmailRelay } from './gmail';
import { createGraphRelay } from './graph';
import { createHttpRelay } from './http-relay';
import { basicAuthorization, createJmapRelay } from './jmap';
import { OAUTH_PROVIDERS, refreshingTokenSource, type OAuthTokens } from './oauth';
import { redactMailText } from './redact';
import { RelayError, type FetchLike, type MailRelay } from './relay';
import { secretFitsAccount } from './secret-urls';
import type { MailAccount, MailAccountSecret } from './store';

export { secretFitsAccount, secretUrlsOf, type MailSecretUrls } from './secret-urls';

export const SECRET_URL_CHANGED = 'mail_error_secret_url_changed';

/**
 * The relay for a stored mail account; OAuth tokens that get refreshed are written back by `saveSecret`.
 * Every stored secret is used through here, so here it is refused for any address but the one it was
 * entered for, and here the account's secrets are masked in every error the relay throws.
 */
export function relayForAccount(
  account: MailAccount,
  secret: MailAccountSecret | undefined,
  fetchFn: FetchLike,
  saveSecret: (secret: MailAccountSecret) => Promise<void>,
): MailRelay {
  if (secret && !secretFitsAccount(account, secret)) {
    throw new RelayError('the address changed since the token or password was entered: enter it again for the new address', 'auth', { key: SECRET_URL_CHANGED });
  }
  return masked(relayWithSecret(account, secret, fetchFn, saveSecret), () => secretsOf(account, secret));
}

function relayWithSecret(
  account: MailAccount,
  secret: MailAccountSecret | undefined,
  fetchFn: FetchLike,
  saveSecret: (secret: MailAccountSecret) => Promise<void>,
): MailRelay {
  switch (account.kind) {
    case 'http-relay':
      if (!account.url || !secret?.token) throw new RelayError('the relay URL or token is missing', 'auth');
      return createHttpRelay({ url: account.url, token: secret.token, fetch: fetchFn, from: account.from });
    case 'jmap': {
      if (!account.url) throw new RelayError('the JMAP URL is missing', 'auth');
      const authorization = secret?.token
        ? `Bearer ${secret.token}`
        : account.user && secret?.password
          ? basicAuthorization(account.user, secret.password)
          : undefined;
      if (!authorization) throw new RelayError('the JMAP user and password (or token) are missing', 'auth');
      return createJmapRelay({ sessionUrl: account.url, authorization, fetch: fetchFn });
    }
    case 'graph':
    case 'gmail': {
      const provider = OAUTH_PROVIDERS[account.kind];
      if (!account.clientId) throw new RelayError('the OAuth client id is missing', 'auth');
      if (!secret) throw new RelayError('not signed in to the mail provider', 'auth');
      let current = secret;
      const tokens = refreshingTokenSource({
        fetch: fetchFn,
        tokenUrl: account.tokenUrl ?? provider.tokenUrl,
        clientId: account.clientId,
        load: async () => current.oauth,
        save: async (next: OAuthTokens) => {
          current = { ...current, oauth: next };
          await saveSecret(current);
        },
      });
      const options = { tokens, fetch: fetchFn, ...(account.url ? { baseUrl: account.url } : {}) };
      return account.kind === 'graph' ? createGraphRelay(options) : createGmailRelay(options);
    }
  }
}

/** Every form the account's secrets take on the wire, to be masked by value. */
function secretsOf(account: MailAccount, secret: MailAccountSecret | undefined): string[] {
  if (!secret) return [];
  const basic = account.user && secret.password ? basicAuthorization(account.user, secret.password) : undefined;
  return [secret.token, secret.password, basic, basic?.slice('Basic '.length), secret.oauth?.accessToken, secret.oauth?.refreshToken].filter(
    (s): s is string => Boolean(s),
  );
}

/** The relay with every error it throws masked: the account's own secrets by value, the message's body, anything that looks like a credential. */
function masked(relay: MailRelay, secrets: () => string[]): MailRelay {
  const clean = (error: unknown, bodyText?: string): unknown => {
    const hide = [...secrets(), ...bodyLines(bodyText)];
    if (error instanceof RelayError) return new RelayError(redactMailText(error.message, hide), error.kind, error.options);
    // Not ours (a bug, a library's error): left for the transport to treat as unexpected, its text masked all the same.
    const unexpected = new Error(redactMailText(error instanceof Error ? error.message : String(error), hide));
    unexpected.name = error instanceof Error ? error.name : 'Error';
    return unexpected;
  };
  const wrapped: MailRelay = {
    id: relay.id,
    maxMessageBytes: () => relay.maxMessageBytes().catch((error: unknown) => Promise.reject(clean(error))),
    send: (mail, signal) => relay.send(mail, signal).catch((error: unknown) => Promise.reject(clean(error, mail.message.text))),
  };
  const { alreadySent, sendState } = relay;
  if (alreadySent) wrapped.alreadySent = (mail) => alreadySent.call(relay, mail).catch((error: unknown) => Promise.reject(clean(error, mail.message.text)));
  if (sendState) wrapped.sendState = (mail) => sendState.call(relay, mail).catch((error: unknown) => Promise.reject(clean(error, mail.message.text)));
  return wrapped;
}

/** The lines of the message's text body long enough to be recognised if a peer echoes them. */
function bodyLines(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 12);
}
