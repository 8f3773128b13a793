import { createGmailRelay } from './gmail';
import { createGraphRelay } from './graph';
import { createHttpRelay } from './http-relay';
import { basicAuthorization, createJmapRelay } from './jmap';
import { OAUTH_PROVIDERS, refreshingTokenSource, type OAuthTokens } from './oauth';
import { RelayError, type FetchLike, type MailRelay } from './relay';
import type { MailAccount, MailAccountSecret } from './store';

/** The relay for a stored mail account; OAuth tokens that get refreshed are written back by `saveSecret`. */
export function relayForAccount(
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
      let current = secret;
      const tokens = refreshingTokenSource({
        fetch: fetchFn,
        tokenUrl: account.tokenUrl ?? provider.tokenUrl,
        clientId: account.clientId,
        load: async () => current?.oauth,
        save: async (next: OAuthTokens) => {
          current = { ...(current ?? { id: 'default' }), oauth: next };
          await saveSecret(current);
        },
      });
      const options = { tokens, fetch: fetchFn, ...(account.url ? { baseUrl: account.url } : {}) };
      return account.kind === 'graph' ? createGraphRelay(options) : createGmailRelay(options);
    }
  }
}
