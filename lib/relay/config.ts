import { readFileSync } from 'node:fs';
import { addressProblem } from './address';
import { DEFAULT_LIMITS, type RelayLimits } from './limits';
import { JsonFileStore, MemoryStore, type IdempotencyStore } from './store';
import { parseTokenConfig, type RelayToken } from './tokens';

export interface RelayConfig {
  host: string;
  port: number;
  /** Who may send, as whom, to whom (./tokens.ts). */
  tokens: RelayToken[];
  /** nodemailer SMTP URL of the firm's own server, e.g. smtp://user:pass@smtp.firm.be:587. */
  smtpUrl: string;
  maxMessageBytes: number;
  /** The SMTP envelope sender when the server only accepts its own account; else the token's sender. */
  envelopeFrom?: string;
  store: IdempotencyStore;
  /** How long the SMTP exchange may take before the answer is "unknown". */
  smtpTimeoutMs: number;
  /** Rate, concurrency and bytes in flight; DEFAULT_LIMITS and 2 × maxMessageBytes when absent. */
  limits?: Partial<RelayLimits>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** The limits in force: the defaults, then the configuration's own. */
export function limitsOf(config: Pick<RelayConfig, 'limits' | 'maxMessageBytes'>): RelayLimits {
  return { ...DEFAULT_LIMITS, maxInFlightBytes: 2 * config.maxMessageBytes, ...config.limits };
}

/** Settings of the first version, which let any token send as anyone to any allowed address. */
const RETIRED: Record<string, string> = {
  RELAY_TOKENS: 'plain tokens are no longer accepted: list each token with its name, sender and recipients in RELAY_TOKENS_FILE',
  RELAY_TOKEN: 'plain tokens are no longer accepted: list each token with its name, sender and recipients in RELAY_TOKENS_FILE',
  RELAY_ALLOW: "each token's recipients and domains in RELAY_TOKENS_FILE replace it",
  RELAY_FROM: "each token's sender replaces it; RELAY_ENVELOPE_FROM sets the SMTP envelope sender if your server needs one",
};

const whole = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

/** The configuration from environment variables (README); every missing or bad one is named. */
export function configFromEnv(env: Record<string, string | undefined>, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): RelayConfig {
  const problems: string[] = [];
  for (const [name, instead] of Object.entries(RETIRED)) if (env[name]) problems.push(`${name}: ${instead} (lib/relay/README.md)`);

  let tokens: RelayToken[] = [];
  if (env.RELAY_TOKENS_FILE && env.RELAY_TOKENS_JSON) problems.push('RELAY_TOKENS_FILE and RELAY_TOKENS_JSON: set one of them, not both');
  else if (env.RELAY_TOKENS_FILE || env.RELAY_TOKENS_JSON) {
    try {
      const text = env.RELAY_TOKENS_FILE ? readFile(env.RELAY_TOKENS_FILE) : env.RELAY_TOKENS_JSON!;
      tokens = parseTokenConfig(text, env.RELAY_TOKENS_FILE ? `RELAY_TOKENS_FILE ${env.RELAY_TOKENS_FILE}` : 'RELAY_TOKENS_JSON');
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  } else problems.push('RELAY_TOKENS_FILE: the token file is needed (`npm run relay -- new-token NAME FROM` prints an entry)');

  const smtpUrl = env.RELAY_SMTP_URL ?? '';
  if (!/^smtps?:\/\//.test(smtpUrl)) problems.push('RELAY_SMTP_URL: an smtp:// or smtps:// URL is needed');
  const maxMessageBytes = whole(env.RELAY_MAX_BYTES, DEFAULT_MAX_MESSAGE_BYTES);
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1024) problems.push('RELAY_MAX_BYTES: a whole number of bytes (≥ 1024)');
  const port = whole(env.RELAY_PORT, 5630);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('RELAY_PORT: a port number');
  if (env.RELAY_ENVELOPE_FROM && addressProblem(env.RELAY_ENVELOPE_FROM)) problems.push(`RELAY_ENVELOPE_FROM: ${addressProblem(env.RELAY_ENVELOPE_FROM)}`);
  const keepDays = whole(env.RELAY_KEEP_DAYS, 30);
  if (!(keepDays >= 7)) problems.push('RELAY_KEEP_DAYS: at least 7');
  const smtpTimeoutMs = whole(env.RELAY_SMTP_TIMEOUT_MS, 60_000);
  if (!(smtpTimeoutMs >= 1000)) problems.push('RELAY_SMTP_TIMEOUT_MS: at least 1000');

  const limits: RelayLimits = {
    perMinute: whole(env.RELAY_RATE_PER_MINUTE, DEFAULT_LIMITS.perMinute),
    burst: whole(env.RELAY_RATE_BURST, DEFAULT_LIMITS.burst),
    maxConcurrent: whole(env.RELAY_MAX_CONCURRENT, DEFAULT_LIMITS.maxConcurrent),
    maxInFlightBytes: whole(env.RELAY_MAX_INFLIGHT_BYTES, 2 * maxMessageBytes),
  };
  if (!(limits.perMinute > 0)) problems.push('RELAY_RATE_PER_MINUTE: a number above 0');
  if (!Number.isInteger(limits.burst) || limits.burst < 1) problems.push('RELAY_RATE_BURST: a whole number ≥ 1');
  if (!Number.isInteger(limits.maxConcurrent) || limits.maxConcurrent < 1) problems.push('RELAY_MAX_CONCURRENT: a whole number ≥ 1');
  // Below the largest message, a message of the largest size could never be admitted.
  if (!Number.isInteger(limits.maxInFlightBytes) || limits.maxInFlightBytes < maxMessageBytes) problems.push('RELAY_MAX_INFLIGHT_BYTES: a whole number of bytes, at least RELAY_MAX_BYTES');

  if (problems.length > 0) throw new Error(`relay configuration:\n  ${problems.join('\n  ')}`);
  return {
    host: env.RELAY_HOST ?? '127.0.0.1',
    port,
    tokens,
    smtpUrl,
    maxMessageBytes,
    ...(env.RELAY_ENVELOPE_FROM ? { envelopeFrom: env.RELAY_ENVELOPE_FROM } : {}),
    store: env.RELAY_STORE ? new JsonFileStore(env.RELAY_STORE, keepDays * 86_400_000) : new MemoryStore(),
    smtpTimeoutMs,
    limits,
  };
}

/** smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the start); ?requireTLS=true insists on STARTTLS. */
export function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
  };
}
