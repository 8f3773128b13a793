import { base64Encode, wrapLines, wrappedBase64Length } from './bytes';
import { isAddress } from './address';

/**
 * A small RFC 5322 / MIME builder for the service worker (no Node built-ins): one multipart/mixed
 * message with a text part and attachments. Everything is base64 wrapped at 76 columns with CRLF,
 * so no line can pass the 998-octet limit whatever the attachment holds. Given the same input
 * (including the date and the Message-ID) it gives the same bytes: the relay compares them when a
 * retry reuses an idempotency key.
 */

export interface MimeAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MimeMessage {
  from: { address: string; name?: string };
  to: readonly string[];
  subject: string;
  text: string;
  date: Date;
  /** With its angle brackets: "<id@domain>". */
  messageId: string;
  attachments: readonly MimeAttachment[];
}

const CRLF = '\r\n';
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/;

const isAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

/** RFC 5322 §3.3 date-time, in UTC. */
export function formatMailDate(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${p(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/**
 * RFC 2047 B-encoded words, each at most 75 characters, cut between characters (never inside a
 * UTF-8 sequence), joined by folding white space. ASCII text that fits a line is left as it is.
 */
export function encodeHeaderText(value: string, prefixLength = 9): string {
  const clean = value.replace(/[\r\n\t]+/g, ' ');
  if (isAscii(clean) && prefixLength + clean.length <= 78) return clean;
  const encoder = new TextEncoder();
  const words: string[] = [];
  // "=?UTF-8?B?" + "?=" is 12 characters, 3 bytes of text make 4 of base64, and a line holds 78:
  // the first word shares its line with the header's name, the others follow one space.
  const roomFor = (taken: number) => Math.min(45, Math.floor((78 - taken - 12) / 4) * 3);
  let maxBytes = roomFor(prefixLength);
  let current: number[] = [];
  for (const char of clean) {
    const bytes = encoder.encode(char);
    if (current.length + bytes.length > maxBytes) {
      maxBytes = roomFor(1);
      words.push(`=?UTF-8?B?${base64Encode(Uint8Array.from(current))}?=`);
      current = [];
    }
    current.push(...bytes);
  }
  if (current.length > 0 || words.length === 0) words.push(`=?UTF-8?B?${base64Encode(Uint8Array.from(current))}?=`);
  return words.join(`${CRLF} `);
}

/** RFC 2231 extended parameter (`filename*0*=UTF-8''…`), percent-encoded and cut in pieces. */
export function extendedParameter(name: string, value: string): string {
  if (isAscii(value) && !/["\\]/.test(value) && value.length <= 60) return `${name}="${value}"`;
  const encoded = Array.from(new TextEncoder().encode(value), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9!#$&+.^_`|~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  const pieces: string[] = [];
  let piece = "UTF-8''";
  for (const token of encoded) {
    if (piece.length + token.length > 60) {
      pieces.push(piece);
      piece = '';
    }
    piece += token;
  }
  pieces.push(piece);
  if (pieces.length === 1) return `${name}*=${pieces[0]}`;
  return pieces.map((p, i) => `${name}*${i}*=${p}`).join(`;${CRLF} `);
}

function formatFrom(from: MimeMessage['from']): string {
  if (!from.name) return from.address;
  if (isAscii(from.name) && /^[A-Za-z0-9 .'-]*$/.test(from.name) && from.name.length + from.address.length < 66) return `${from.name} <${from.address}>`;
  return `${encodeHeaderText(from.name, 6)}${CRLF} <${from.address}>`;
}

/** A boundary from the Message-ID: stable bytes, and "=_" can never appear in base64 content. */
function boundaryFor(messageId: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < messageId.length; i++) {
    h1 = Math.imul(h1 ^ messageId.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ messageId.charCodeAt(i), 2246822519) >>> 0;
  }
  return `=_octobridge_${h1.toString(16)}${h2.toString(16)}`;
}

/** Refuses what would make a malformed or injectable message; the caller validated user input already. */
function check(message: MimeMessage): void {
  if (!isAddress(message.from.address)) throw new Error(`not an e-mail address: ${message.from.address}`);
  if (message.to.length === 0) throw new Error('no recipient');
  for (const to of message.to) if (!isAddress(to)) throw new Error(`not an e-mail address: ${to}`);
  if (!MESSAGE_ID.test(message.messageId)) throw new Error(`not a Message-ID: ${message.messageId}`);
  if (Number.isNaN(message.date.getTime())) throw new Error('invalid date');
  for (const a of message.attachments) {
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(a.contentType)) throw new Error(`not a content type: ${a.contentType}`);
    if (!a.filename.trim()) throw new Error('an attachment has no file name');
  }
}

function header(name: string, value: string): string {
  return `${name}: ${value}${CRLF}`;
}

/** Headers and part framing around the base64 bodies: a fixed allowance per part in size estimates. */
const MESSAGE_OVERHEAD = 2048;
const PART_OVERHEAD = 512;

/** The size of the message, from the sizes of its parts, before building it. Never less than the real size. */
export function estimateMimeSize(textBytes: number, attachmentBytes: readonly number[]): number {
  return (
    MESSAGE_OVERHEAD +
    PART_OVERHEAD +
    wrappedBase64Length(textBytes) +
    attachmentBytes.reduce((n, bytes) => n + PART_OVERHEAD + wrappedBase64Length(bytes), 0)
  );
}

export function buildMime(message: MimeMessage): Uint8Array {
  check(message);
  const boundary = boundaryFor(message.messageId);
  let out = '';
  out += header('From', formatFrom(message.from));
  out += header('To', message.to.join(`,${CRLF} `));
  out += header('Subject', encodeHeaderText(message.subject, 'Subject: '.length));
  out += header('Date', formatMailDate(message.date));
  out += header('Message-ID', message.messageId);
  out += header('MIME-Version', '1.0');
  out += header('Content-Type', `multipart/mixed;${CRLF} boundary="${boundary}"`);
  out += CRLF;
  out += `This is a multi-part message in MIME format.${CRLF}`;
  out += `--${boundary}${CRLF}`;
  out += header('Content-Type', 'text/plain; charset=utf-8');
  out += header('Content-Transfer-Encoding', 'base64');
  out += CRLF;
  out += wrapLines(base64Encode(new TextEncoder().encode(message.text.replace(/\r?\n/g, CRLF)))) + CRLF;
  for (const attachment of message.attachments) {
    const filename = attachment.filename.replace(/[\r\n\t]+/g, ' ').trim();
    out += `--${boundary}${CRLF}`;
    // `name` on the type as well: some readers look only there.
    out += header('Content-Type', `${attachment.contentType};${CRLF} ${extendedParameter('name', filename)}`);
    out += header('Content-Transfer-Encoding', 'base64');
    out += header('Content-Disposition', `attachment;${CRLF} ${extendedParameter('filename', filename)}`);
    out += CRLF;
    out += wrapLines(base64Encode(attachment.content)) + CRLF;
  }
  out += `--${boundary}--${CRLF}`;
  // Everything above is ASCII by construction, so this is byte for byte what was written.
  return new TextEncoder().encode(out);
}
