import { z } from 'zod';
import type { Dexie, EntityTable } from 'dexie';
import type { Dossier } from '../model/dossier';
import type { LocalizedText } from '../model/transfer';
import { isAddress, isOctopusMailbox } from './address';
import { relayForAccount, SECRET_URL_CHANGED, secretFitsAccount, secretUrlsOf, type MailSecretUrls } from './accounts';
import { redactMailText } from './redact';
import { OAUTH_PROVIDERS, redeemCode } from './oauth';
import { RelayError, type FetchLike } from './relay';
import { mailAccount, mailAccountKind, type MailAccount, type MailAccountSecret } from './store';

/**
 * The options page's requests about mail (merged into pageRequest in lib/messaging/protocol.ts),
 * answered in the worker. Answers never carry a token, password or OAuth token.
 */

const optionalAddress = z
  .string()
  .trim()
  .max(254)
  .optional()
  .transform((v) => (v ? v : undefined));

export const mailPageRequests = [
  z.object({ type: z.literal('mail.settings.get') }),
  z.object({
    type: z.literal('mail.account.save'),
    account: z.object({
      kind: mailAccountKind,
      url: z.string().trim().url().refine((u) => /^https?:\/\//.test(u), 'http(s) URL expected').optional(),
      from: z.string().trim().min(3).max(254),
      fromName: z.string().trim().max(200).optional(),
      user: z.string().trim().max(200).optional(),
      clientId: z.string().trim().max(200).optional(),
      tokenUrl: z.string().trim().url().optional(),
    }),
    /** Empty: keep the stored one. */
    token: z.string().max(2000).optional(),
    password: z.string().max(500).optional(),
    /** The result of the page's launchWebAuthFlow: redeemed here, in the worker. */
    oauth: z.object({ code: z.string().min(1).max(4000), verifier: z.string().min(43).max(128), redirectUri: z.string().url() }).optional(),
  }),
  z.object({ type: z.literal('mail.account.delete') }),
  z.object({
    type: z.literal('mail.dossier.save'),
    dossierId: z.string().min(1),
    transport: z.enum(['webservice', 'mailbox']),
    sales: optionalAddress,
    purchases: optionalAddress,
  }),
] as const;

export type MailPageRequest = z.infer<(typeof mailPageRequests)[number]>;
export const MAIL_PAGE_REQUEST_TYPES: readonly string[] = ['mail.settings.get', 'mail.account.save', 'mail.account.delete', 'mail.dossier.save'];

function refused(text: LocalizedText, message: string) {
  return { ok: false as const, error: { code: 'failed' as const, message, text } };
}

/** The tables the mail settings use (the ledger's database has them), so mail/ does not depend on ledger/. */
export interface MailSettingsDb {
  mailAccounts: EntityTable<MailAccount, 'id'>;
  mailSecrets: EntityTable<MailAccountSecret, 'id'>;
  dossiers: EntityTable<Dossier, 'id'>;
  transaction: Dexie['transaction'];
}

export async function handleMailPageRequest(request: MailPageRequest, deps: { db: MailSettingsDb; fetch: FetchLike }): Promise<unknown> {
  const { db } = deps;
  switch (request.type) {
    case 'mail.settings.get': {
      const [account, secret, dossiers] = await Promise.all([db.mailAccounts.get('default'), db.mailSecrets.get('default'), db.dossiers.toArray()]);
      const fits = Boolean(account && secret && secretFitsAccount(account, secret));
      return {
        ok: true,
        account: account ?? null,
        // A secret that no longer fits the account's address counts as absent: the page asks for it again.
        secrets: fits ? { token: Boolean(secret?.token), password: Boolean(secret?.password), oauth: Boolean(secret?.oauth) } : { token: false, password: false, oauth: false },
        dossiers: dossiers.map((d) => ({ id: d.id, name: d.name, octopusDossierId: d.octopusDossierId, transport: d.transport, mailbox: d.mailbox })),
      };
    }
    case 'mail.account.save': {
      const input = request.account;
      if (!isAddress(input.from)) return refused({ key: 'mail_error_bad_address', params: [input.from] }, `not an e-mail address: ${input.from}`);
      const account = mailAccount.parse({ id: 'default', ...input, ...(input.url ? { url: input.url.replace(/\/+$/, '') } : {}) }) as MailAccount;
      let urls: MailSecretUrls | undefined;
      try {
        urls = secretUrlsOf(account);
      } catch {
        // Not http(s), or a user name or password written into the address itself.
        urls = undefined;
      }
      if (!urls) return refused({ key: 'error_server_url', params: [] }, 'the server address is missing or carries credentials');
      const previous = await db.mailSecrets.get('default');
      const sameKind = (await db.mailAccounts.get('default'))?.kind === account.kind;
      // A stored secret carries over only to the very address it was entered for.
      const kept = sameKind && previous && secretFitsAccount(account, previous) ? previous : undefined;
      if (sameKind && previous && !kept && !request.token && !request.password && !request.oauth) {
        // The address changed and no secret came with it: the old one is dropped, never sent to the new address.
        await db.mailSecrets.delete('default');
        return refused({ key: SECRET_URL_CHANGED, params: [] }, 'the address changed: enter the token or password again for the new address');
      }
      const secret: MailAccountSecret = {
        id: 'default',
        boundUrl: urls.url,
        ...(urls.apiUrl ? { boundApiUrl: urls.apiUrl } : {}),
        ...(request.token ? { token: request.token } : kept?.token ? { token: kept.token } : {}),
        ...(request.password ? { password: request.password } : kept?.password ? { password: kept.password } : {}),
        ...(kept?.oauth ? { oauth: kept.oauth } : {}),
      };
      try {
        if (account.kind === 'graph' || account.kind === 'gmail') {
          if (!account.clientId) throw new RelayError('the OAuth client id is missing', 'auth');
          if (request.oauth) {
            secret.oauth = await redeemCode(deps.fetch, {
              tokenUrl: account.tokenUrl ?? OAUTH_PROVIDERS[account.kind].tokenUrl,
              clientId: account.clientId,
              code: request.oauth.code,
              verifier: request.oauth.verifier,
              redirectUri: request.oauth.redirectUri,
            });
          }
          if (!secret.oauth) throw new RelayError('not signed in', 'auth');
        } else {
          // Tested before it is kept: the relay's limits and the JMAP session need valid credentials.
          await relayForAccount(account, secret, deps.fetch, async () => undefined).maxMessageBytes();
        }
      } catch (error) {
        const message = redactMailText(error instanceof Error ? error.message : String(error), [request.token, request.password, secret.token, secret.password, secret.oauth?.accessToken, secret.oauth?.refreshToken, request.oauth?.code]);
        const key = error instanceof RelayError && error.options.key;
        if (key) return refused({ key, params: [] }, message);
        if (error instanceof RelayError && error.options.status === 403) return refused({ key: 'mail_error_relay_forbidden', params: [] }, message);
        return refused({ key: 'mail_error_account_test', params: [message] }, message);
      }
      await db.transaction('rw', db.mailAccounts, db.mailSecrets, async () => {
        await db.mailAccounts.put(account);
        await db.mailSecrets.put(secret);
      });
      return { ok: true, account };
    }
    case 'mail.account.delete': {
      await db.transaction('rw', db.mailAccounts, db.mailSecrets, async () => {
        await db.mailSecrets.delete('default');
        await db.mailAccounts.delete('default');
      });
      return { ok: true };
    }
    case 'mail.dossier.save': {
      const dossier = await db.dossiers.get(request.dossierId);
      if (!dossier) return { ok: false, error: { code: 'not-found', message: 'dossier not found' } };
      for (const address of [request.sales, request.purchases]) {
        if (address && !isAddress(address)) return refused({ key: 'mail_error_bad_address', params: [address] }, `not an e-mail address: ${address}`);
      }
      if (request.transport === 'mailbox') {
        if (!request.sales && !request.purchases) return refused({ key: 'mail_error_needs_address', params: [] }, 'no mailbox address');
        if (!(await db.mailAccounts.get('default'))) return refused({ key: 'mail_error_needs_account', params: [] }, 'no mail account');
      }
      const updated: Dossier = {
        ...dossier,
        transport: request.transport,
        mailbox: { ...(request.sales ? { sales: request.sales } : {}), ...(request.purchases ? { purchases: request.purchases } : {}) },
      };
      await db.dossiers.put(updated);
      // A warning, not a refusal: the Octopus import domain is not documented for certain.
      const warnings = [request.sales, request.purchases]
        .filter((a): a is string => Boolean(a) && !isOctopusMailbox(a!))
        .map((address) => ({ key: 'mail_not_octopus_warning', params: [address] }));
      return { ok: true, dossier: updated, warnings };
    }
  }
}
