import { isBoundTo, secretUrl } from '../platform/secret-url';
import type { MailAccount, MailAccountSecret } from './store';

/**
 * Where a mail account's secret goes, and whether a stored secret was entered for exactly that. Kept free
 * of the transports so the database's migration can bind secrets stored before they carried an address.
 */

export const GRAPH_API_URL = 'https://graph.microsoft.com';
export const GMAIL_API_URL = 'https://gmail.googleapis.com';
export const OAUTH_TOKEN_URLS = {
  graph: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  gmail: 'https://oauth2.googleapis.com/token',
} as const;

/** The addresses an account's secret goes to, normalised: what the secret is bound to. */
export interface MailSecretUrls {
  url: string;
  /** OAuth: the API the access token goes to. */
  apiUrl?: string;
}

/** Undefined when the account has no address to send the secret to (a relay or JMAP account without URL); throws for an unusable address. */
export function secretUrlsOf(account: MailAccount): MailSecretUrls | undefined {
  switch (account.kind) {
    case 'http-relay':
    case 'jmap':
      return account.url ? { url: secretUrl(account.url) } : undefined;
    case 'graph':
    case 'gmail':
      return {
        url: secretUrl(account.tokenUrl ?? OAUTH_TOKEN_URLS[account.kind]),
        apiUrl: secretUrl(account.url ?? (account.kind === 'graph' ? GRAPH_API_URL : GMAIL_API_URL)),
      };
  }
}

/** Whether the stored secret was entered for the account's current addresses (an unreadable address fits nothing). */
export function secretFitsAccount(account: MailAccount, secret: Pick<MailAccountSecret, 'boundUrl' | 'boundApiUrl'>): boolean {
  let urls: MailSecretUrls | undefined;
  try {
    urls = secretUrlsOf(account);
  } catch {
    return false;
  }
  if (!urls) return false;
  if (!isBoundTo(secret.boundUrl, urls.url)) return false;
  return urls.apiUrl === undefined || isBoundTo(secret.boundApiUrl, urls.apiUrl);
}
