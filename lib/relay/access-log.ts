/**
 * One line per request, as JSON, for the firm's auditor and for abuse: who (the token's name, never the
 * token), what (route, key), to where (how many recipients and their domains: the local part of an
 * Octopus mailbox names a client's dossier, so it stays out), how big, the answer and how long it took.
 * The message body is never logged.
 */

export interface AccessLogEntry {
  time: string;
  /** The token's name; "-" when no valid token was presented. */
  token: string;
  method: string;
  /** The route, not the raw URL: "/v1/messages/:key", or "other". */
  route: string;
  status: number;
  /** What the relay did: sent, duplicate, rate-limited, busy, forbidden, bad-request, … */
  outcome: string;
  /** The Idempotency-Key (a hash of the document, not personal), when the request named a valid one. */
  key?: string;
  recipients: number;
  /** Domains of the recipients, lower case. */
  domains: string[];
  /** Message bytes received. */
  bytes: number;
  ms: number;
}

export interface RelayLogger {
  write(line: string): void;
}

export const stdoutLogger: RelayLogger = { write: (line) => void process.stdout.write(`${line}\n`) };

export function formatAccessLine(entry: AccessLogEntry): string {
  // JSON escapes control characters, so nothing a client sends can forge a second log line.
  return JSON.stringify(entry);
}
