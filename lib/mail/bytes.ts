/**
 * Byte helpers that run in the service worker: no Buffer, no Node built-ins.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
DECODE['-'.charCodeAt(0)] = 62; // base64url
DECODE['_'.charCodeAt(0)] = 63;

export function base64Encode(bytes: Uint8Array): string {
  // The engine's own encoder where it has one (Uint8Array.prototype.toBase64, Chromium 140+), else btoa over slices
  // whose length is a multiple of 3, so no slice pads and their codes join into the whole; a slice, not the whole
  // attachment, is copied into a "binary string" at a time. A 9 MB PDF took ~3 s with a loop over the alphabet.
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const parts: string[] = [];
  const slice = 3 * 8192;
  for (let start = 0; start < bytes.length; start += slice) {
    parts.push(btoa(String.fromCharCode.apply(null, bytes.subarray(start, start + slice) as unknown as number[])));
  }
  return parts.join('');
}

export function base64UrlEncode(bytes: Uint8Array): string {
  return base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64 (or base64url), whitespace ignored. Throws on any other character. */
export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = DECODE[clean.charCodeAt(i) & 0xff]!;
    if (v < 0 || clean.charCodeAt(i) > 0xff) throw new Error(`invalid base64 character at ${i}`);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Base64 cut into lines of `width` characters joined by CRLF (RFC 2045 §6.8: at most 76). */
export function wrapLines(text: string, width = 76): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join('\r\n');
}

/** Bytes of base64 wrapped at 76 with CRLF, for sizes computed before anything is built. */
export function wrappedBase64Length(byteLength: number): number {
  const encoded = Math.ceil(byteLength / 3) * 4;
  const lines = Math.ceil(encoded / 76);
  return encoded + Math.max(0, lines - 1) * 2;
}

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
