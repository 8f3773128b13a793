import type { LocalizedText } from '../model/transfer';
import type { ReadIssue } from './read-core';

/** Turning an XML file's bytes into text, for files dropped or given to the CLI, PDF attachments and site downloads. */

function issue(message: string, text: LocalizedText): ReadIssue {
  return { path: '', message, text };
}

/** The encodings an XML file may declare; what TextDecoder knows beyond these is refused rather than guessed at. */
const SUPPORTED_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'iso-8859-15', 'latin-9', 'windows-1252', 'cp1252']);

export type DecodedXml = { ok: true; text: string } | { ok: false; error: ReadIssue };

/**
 * Text of an XML file: BOM first, else the encoding its declaration names, else UTF-8. Bytes that are not UTF-8
 * without a declaration saying otherwise, and a declared encoding we do not read, are refused: a guess could turn
 * an amount or a name into something else.
 */
export function decodeXml(bytes: Uint8Array): DecodedXml {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const head = new TextDecoder('latin1').decode(bytes.subarray(bom ? 3 : 0, 200));
  const declared = bom ? undefined : /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']{0,40})["']/.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    if (!SUPPORTED_ENCODINGS.has(declared)) {
      return { ok: false, error: issue(`The XML declares the encoding "${declared}", which is not supported: save it as UTF-8.`, { key: 'ubl_xml_encoding_unsupported', params: [declared] }) };
    }
    return { ok: true, text: new TextDecoder(declared).decode(bytes) };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(bom ? 3 : 0)) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes.subarray(bom ? 3 : 0));
    const bad = text.indexOf('\uFFFD');
    const line = text.slice(0, Math.max(0, bad)).split('\n').length;
    return {
      ok: false,
      error: issue(`The XML is not UTF-8 (line ${line}) and its declaration names no other encoding: save it as UTF-8 or declare its encoding.`, {
        key: 'ubl_xml_not_utf8',
        params: [String(line)],
      }),
    };
  }
}

/** decodeXml for callers that have already read the file successfully; throws when it cannot be decoded. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const decoded = decodeXml(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.text;
}
