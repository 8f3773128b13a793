import { z } from 'zod';

/**
 * What the mailbox transport keeps in the extension's IndexedDB (lib/ledger/db.ts, version 4):
 * the send ledger, the mail account (non-secret, shown in the options page) and its secret part
 * (read only by the worker, like an Octopus connection's password).
 */

/**
 * One send of one document to one dossier mailbox, keyed by the dedup key (dossier | direction |
 * UBL bytes). prepared: nothing went out; submitting: handed to the transport, answer not yet
 * recorded (after a crash: ask the transport, else the user); sent.
 */
export interface MailSendRecord {
  dedupKey: string;
  transferId: string;
  dossierId: string;
  direction: string;
  state: 'prepared' | 'submitting' | 'sent';
  /** Explicit "send again" count: part of the Message-ID and of the relay's key. */
  generation: number;
  /** The Date header, kept so every retry builds the same bytes. */
  date: string;
  messageId: string;
  to: string;
  transport: string;
  sentAt?: string;
  providerRef?: string;
  /** When the "send again" this generation answers was asked (the transfer's log entry). */
  resendRequestedAt?: string;
}

export const mailAccountKind = z.enum(['http-relay', 'jmap', 'graph', 'gmail']);
export type MailAccountKind = z.infer<typeof mailAccountKind>;

/** The mail account the worker sends through (one per browser profile), without its secrets. */
export const mailAccount = z.object({
  id: z.literal('default'),
  kind: mailAccountKind,
  /** Relay base URL or JMAP session URL; for Graph and Gmail the API base (tests point it at a stub). */
  url: z.string().url().optional(),
  /** The sender: the user's own address. */
  from: z.string().min(3).max(254),
  fromName: z.string().max(200).optional(),
  /** JMAP user name. */
  user: z.string().max(200).optional(),
  /** OAuth client id of the firm's Entra / Google app (Graph, Gmail). */
  clientId: z.string().max(200).optional(),
  /** OAuth token endpoint override (tests); the provider's own otherwise. */
  tokenUrl: z.string().url().optional(),
});
export type MailAccount = z.infer<typeof mailAccount>;

/**
 * Bound to the address it was entered for (lib/platform/secret-url.ts): the relay URL, the JMAP session URL,
 * or for OAuth the token endpoint (boundUrl) and the API the access token goes to (boundApiUrl). A secret
 * is used only while the account's address is still that one.
 */
export interface MailAccountSecret {
  id: 'default';
  boundUrl: string;
  boundApiUrl?: string;
  /** Relay bearer token, or a JMAP bearer token. */
  token?: string;
  /** JMAP password (Basic). */
  password?: string;
  oauth?: { accessToken: string; refreshToken?: string; expiresAt: number };
}
