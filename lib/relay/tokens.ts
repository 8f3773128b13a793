import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { addressProblem, domainPart } from './address';

/**
 * Who may use the relay, and for what. Each token is one user or office: a name for the log, the
 * sha256 of the token (the token itself is never stored), the one sender it sends as, and the
 * recipients it may mail: exact dossier mailboxes and/or domains. Format: lib/relay/README.md.
 */
export interface RelayToken {
  /** Shown in the access log instead of the token. */
  name: string;
  /** sha256 of the token, lower-case hex. */
  sha256: string;
  /** The only sender: the message's From header and the envelope sender must be this address. */
  from: string;
  /** Exact mailboxes this token may mail (the firm's dossier mailboxes). */
  recipients: string[];
  /** Domains ("import.octopus.be") or "*.domain" (its subdomains) this token may mail. */
  domains: string[];
  /** Mails per minute and burst for this token; the relay's defaults when absent. */
  perMinute?: number;
  burst?: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new random token (32 bytes, base64url) and its hash, for `npm run relay -- new-token`. */
export function newToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: hashToken(token) };
}

/** A token entry from a clear token: for tests and the sandbox, which hold the token anyway. */
export function relayToken(entry: Omit<RelayToken, 'sha256' | 'recipients' | 'domains'> & { token: string; recipients?: string[]; domains?: string[] }): RelayToken {
  const { token, ...rest } = entry;
  return { ...rest, sha256: hashToken(token), recipients: entry.recipients ?? [], domains: entry.domains ?? [] };
}

const DOMAIN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

const address = z.string().superRefine((value, ctx) => {
  const problem = addressProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${value}": ${problem}` });
});

const tokenEntry = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a name of 1 to 64 letters, digits or . _ @ -'),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'the sha256 of the token as 64 hex digits').transform((h) => h.toLowerCase()),
    from: address,
    recipients: z.array(address).default([]),
    domains: z
      .array(z.string().transform((d) => d.trim().toLowerCase()).pipe(z.string().regex(DOMAIN, 'a domain such as import.octopus.be, or *.domain')))
      .default([]),
    perMinute: z.number().positive().max(10_000).optional(),
    burst: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((t) => t.recipients.length + t.domains.length > 0, 'a token needs at least one recipient or domain');

const tokenFile = z.object({ tokens: z.array(tokenEntry).min(1, 'at least one token') }).strict();

/** The token list from the file's JSON text; every problem is named, with where it is. */
export function parseTokenConfig(text: string, source: string): RelayToken[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = tokenFile.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source}:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('\n  ')}`);
  }
  const tokens = parsed.data.tokens;
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const token of tokens) {
    if (names.has(token.name)) throw new Error(`${source}: the name "${token.name}" is used twice`);
    if (hashes.has(token.sha256)) throw new Error(`${source}: two entries have the same token`);
    names.add(token.name);
    hashes.add(token.sha256);
  }
  return tokens;
}

/** Finds a token's entry from the presented token, comparing in constant time against every entry. */
export function tokenMatcher(tokens: readonly RelayToken[]): (presented: string) => RelayToken | undefined {
  const digests = tokens.map((t) => Buffer.from(t.sha256, 'hex'));
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: RelayToken | undefined;
    // Every entry is compared, a match or not, so the time says nothing about which entry (or whether one) matched.
    digests.forEach((known, i) => {
      if (timingSafeEqual(known, digest) && !found) found = tokens[i];
    });
    return found;
  };
}

/** Whether this token may mail `address` (already checked by addressProblem). */
export function recipientAllowed(token: RelayToken, address: string): boolean {
  const lower = address.toLowerCase();
  if (token.recipients.some((r) => r.toLowerCase() === lower)) return true;
  const domain = domainPart(lower);
  return token.domains.some((pattern) => (pattern.startsWith('*.') ? domain.endsWith(pattern.slice(1)) : domain === pattern));
}
