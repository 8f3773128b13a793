import { readCappedJson } from '../bounded/read-capped';
import { base64UrlEncode } from './bytes';
import { redactMailText } from './redact';
import { OAUTH_TOKEN_URLS } from './secret-urls';
import { answerText, fetchWithoutRedirect, RelayError, type FetchLike } from './relay';

/**
 * OAuth 2.0 authorization code with PKCE (RFC 7636) for Microsoft Graph and Gmail. The extension
 * page opens the provider's consent page with browser.identity.launchWebAuthFlow (redirect to
 * https://<extension-id>.chromiumapp.org/), the worker redeems the code and later refreshes the
 * token with `fetch`: no client secret is involved (Entra "single-page application" platform).
 */

export interface OAuthProvider {
  id: 'graph' | 'gmail';
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Extra parameters the provider needs to hand out a refresh token. */
  extra: Record<string, string>;
}

export const OAUTH_PROVIDERS: Record<'graph' | 'gmail', OAuthProvider> = {
  graph: {
    id: 'graph',
    authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: OAUTH_TOKEN_URLS.graph,
    // Mail.ReadWrite on top of Mail.Send: a message over sendMail's ~4 MB request goes as a draft with
    // attachments uploaded to it (lib/mail/graph.ts), and creating, reading and deleting drafts needs it.
    // Accounts that consented before keep Mail.Send only until they sign in again.
    scopes: ['https://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com/Mail.ReadWrite', 'offline_access'],
    extra: {},
  },
  gmail: {
    id: 'gmail',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: OAUTH_TOKEN_URLS.gmail,
    scopes: ['https://www.googleapis.com/auth/gmail.send'],
    extra: { access_type: 'offline', prompt: 'consent' },
  },
};

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export async function createPkce(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): Promise<PkcePair> {
  const verifier = base64UrlEncode(random(new Uint8Array(48)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64UrlEncode(new Uint8Array(digest)) };
}

export function authorizationUrl(provider: OAuthProvider, options: { clientId: string; redirectUri: string; state: string; challenge: string; loginHint?: string }): string {
  const url = new URL(provider.authorizeUrl);
  const params: Record<string, string> = {
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: provider.scopes.join(' '),
    state: options.state,
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
    ...provider.extra,
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** The code from the URL launchWebAuthFlow returns; the provider's error or a wrong state is thrown. */
export function codeFromRedirect(redirectUrl: string, expectedState: string): string {
  const url = new URL(redirectUrl);
  const params = new URLSearchParams(url.search || url.hash.replace(/^#/, ''));
  const error = params.get('error');
  if (error) throw new RelayError(`sign-in refused: ${error} ${params.get('error_description') ?? ''}`.trim(), 'auth');
  if (params.get('state') !== expectedState) throw new RelayError('sign-in answer does not match the request (state)', 'auth');
  const code = params.get('code');
  if (!code) throw new RelayError('sign-in answer holds no code', 'auth');
  return code;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
}

async function tokenRequest(fetchFn: FetchLike, tokenUrl: string, form: Record<string, string>, now: () => number, previousRefresh?: string): Promise<OAuthTokens> {
  let response: Response;
  try {
    // The code, verifier or refresh token go to the token endpoint only: a redirect is refused, not followed.
    response = await fetchWithoutRedirect(
      fetchFn,
      tokenUrl,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(), signal: AbortSignal.timeout(30_000) },
      'token endpoint',
    );
  } catch (error) {
    if (!(error instanceof RelayError) || error.options.key) throw error;
    // Asking for a token changes nothing at the mail provider: it can always be asked again.
    throw new RelayError(error.message, 'transient');
  }
  if (!response.ok) {
    // The endpoint may echo the request: the code, verifier and refresh token are masked by value.
    const said = redactMailText(await answerText(response), [form.code, form.code_verifier, form.refresh_token]);
    // invalid_grant: the refresh token expired or was revoked; the user must sign in again.
    throw new RelayError(`token endpoint: HTTP ${response.status} ${said}`.trim(), response.status >= 500 ? 'transient' : 'auth', { status: response.status });
  }
  const body = (await readCappedJson(response)) as { access_token?: string; refresh_token?: string; expires_in?: number };
  if (!body.access_token) throw new RelayError('token endpoint: no access_token in the answer', 'auth');
  const refreshToken = body.refresh_token ?? previousRefresh;
  return { accessToken: body.access_token, ...(refreshToken ? { refreshToken } : {}), expiresAt: now() + (body.expires_in ?? 3600) * 1000 };
}

export function redeemCode(fetchFn: FetchLike, options: { tokenUrl: string; clientId: string; code: string; verifier: string; redirectUri: string; now?: () => number }): Promise<OAuthTokens> {
  return tokenRequest(
    fetchFn,
    options.tokenUrl,
    { grant_type: 'authorization_code', client_id: options.clientId, code: options.code, code_verifier: options.verifier, redirect_uri: options.redirectUri },
    options.now ?? Date.now,
  );
}

export function refreshTokens(fetchFn: FetchLike, options: { tokenUrl: string; clientId: string; refreshToken: string; now?: () => number }): Promise<OAuthTokens> {
  return tokenRequest(
    fetchFn,
    options.tokenUrl,
    { grant_type: 'refresh_token', client_id: options.clientId, refresh_token: options.refreshToken },
    options.now ?? Date.now,
    options.refreshToken,
  );
}

/** An access token for the API calls: the stored one while valid, else refreshed (and kept). */
export interface TokenSource {
  accessToken(): Promise<string>;
  /** After a 401: the token was refused before its time; get a new one. */
  renew(): Promise<string>;
}

export function refreshingTokenSource(options: {
  fetch: FetchLike;
  tokenUrl: string;
  clientId: string;
  load: () => Promise<OAuthTokens | undefined>;
  save: (tokens: OAuthTokens) => Promise<void>;
  now?: () => number;
}): TokenSource {
  const now = options.now ?? Date.now;
  async function renew(): Promise<string> {
    const current = await options.load();
    if (!current?.refreshToken) throw new RelayError('not signed in to the mail provider (no refresh token)', 'auth');
    const next = await refreshTokens(options.fetch, { tokenUrl: options.tokenUrl, clientId: options.clientId, refreshToken: current.refreshToken, now });
    await options.save(next);
    return next.accessToken;
  }
  return {
    async accessToken() {
      const current = await options.load();
      if (!current) throw new RelayError('not signed in to the mail provider', 'auth');
      // A minute of margin: a token that expires in flight is refused.
      if (current.expiresAt - 60_000 > now()) return current.accessToken;
      return renew();
    },
    renew,
  };
}
