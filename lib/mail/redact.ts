/**
 * Mail errors end up in the transfer log, the popup, the options page and the console, so their text
 * must not carry a credential or the message itself, even when a peer echoes them back. Two layers:
 * patterns that look like credentials or message content are masked in every RelayError (./relay.ts),
 * and the relay made for an account (./accounts.ts) also masks that account's own secrets verbatim.
 */

const MASK = '***';
/** How much of a peer's own words is kept (as the error's detail, never as the user's message). */
export const PEER_TEXT_MAX = 300;

const PATTERNS: [RegExp, string][] = [
  // A whole Authorization / Cookie header, wherever it appears.
  [/\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key)(["']?\s*[:=]\s*["']?)[^\r\n"',;}]*/gi, `$1$2${MASK}`],
  // Credentials with their scheme ("Bearer abc", "Basic dXNlcjpw").
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${MASK}`],
  // OAuth and form fields: access_token=…, "refresh_token": "…", password=…, code_verifier=…
  [
    /\b(access_token|refresh_token|id_token|client_secret|code_verifier|password|passwd|pass|token|secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    `$1$2${MASK}`,
  ],
  // Credentials inside a URL (https://user:pass@host).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]*@/gi, `$1${MASK}@`],
  // JSON web tokens.
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, MASK],
  // A MIME message echoed back: everything from its headers on is the message.
  [/(^|[\s"'>])(MIME-Version\s*:|Content-Transfer-Encoding\s*:|Content-Type\s*:\s*multipart\/)[\s\S]*/i, '$1[message content removed]'],
  // Long base64 or hex runs: attachment bytes or opaque tokens.
  [/[A-Za-z0-9+/_-]{48,}={0,2}/g, '[data]'],
];

/** The forms a secret can travel in: as is, and base64 (Basic credentials). */
function variants(secret: string): string[] {
  const out = [secret];
  try {
    const bytes = new TextEncoder().encode(secret);
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    out.push(btoa(binary));
  } catch {
    // not encodable: the plain form only
  }
  return out;
}

/**
 * `text` with credentials and message content masked: the given secrets verbatim (and base64-encoded),
 * then anything that looks like one. Short secrets (under 4 characters) are not searched for: masking
 * them would mangle ordinary words and they are masked by the patterns where they appear as a value.
 */
export function redactMailText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const all = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).flatMap(variants);
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of all.sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A peer's own error text, shortened and masked: kept as the error's detail. */
export function peerDetail(text: string): string {
  const masked = redactMailText(text.replace(/\s+/g, ' ').trim());
  return masked.length > PEER_TEXT_MAX ? `${masked.slice(0, PEER_TEXT_MAX)}…` : masked;
}
