/**
 * Hostile inputs, built on the fly for the unit tests and `npm run bench:hostile`: deflate bombs, PDFs (made with
 * @cantoo/pdf-lib) whose attachments are bombs or large, entity tricks, XML in an undeclared encoding, and an HTTP
 * peer on 127.0.0.1 whose answer never ends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { AFRelationship, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from '@cantoo/pdf-lib';
import { REPO_ROOT } from './samples';

export const MiB = 1024 * 1024;

/** A real Factur-X EN 16931 CII invoice (the fixture), as the invoice attachment of the PDFs below. */
export const FACTUR_X_XML = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'cii', 'factur-x-en16931-invoice.xml'));

/** zlib data that inflates to `size` bytes of `fill`, made without holding them in memory (a 1 MiB block reused). */
export async function deflateBomb(size: number, fill = 0x20): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const block = Buffer.alloc(Math.min(MiB, size), fill);
  for (let left = size; left > 0; left -= block.length) {
    const chunk = left >= block.length ? block : block.subarray(0, left);
    if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return new Uint8Array(Buffer.concat(out));
}

/** Bytes that do not compress (a simple xorshift: the same every run). */
export function noise(size: number, seed = 42): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface PdfAttachment {
  name: string;
  /** Plain content: pdf-lib compresses it. */
  content?: Uint8Array;
  /** Already deflated content (a bomb): put into the PDF as is, with /Filter /FlateDecode. */
  deflated?: Uint8Array;
  alternative?: boolean;
}

/** A one-page PDF with these attachments (EmbeddedFiles name tree and /AF), as pdf-lib writes it. */
export async function pdfWith(attachments: PdfAttachment[], options: { useObjectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  for (const a of attachments) {
    await doc.attach(a.content ?? new Uint8Array([0x20]), a.name, {
      mimeType: a.name.endsWith('.xml') ? 'text/xml' : 'application/octet-stream',
      description: a.name,
      afRelationship: a.alternative ? AFRelationship.Alternative : AFRelationship.Data,
    });
  }
  const first = await doc.save({ useObjectStreams: false });
  if (!attachments.some((a) => a.deflated)) return options.useObjectStreams === false ? first : doc.save({ useObjectStreams: options.useObjectStreams ?? true });
  // Swap the placeholder streams of pre-deflated attachments for the bombs, byte for byte.
  const loaded = await PDFDocument.load(first);
  const tree = loaded.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  const names = tree.lookup(PDFName.of('Names'), PDFArray);
  for (let i = 0; i + 1 < names.size(); i += 2) {
    const spec = names.lookup(i + 1, PDFDict);
    const name = (names.lookup(i) as PDFString | PDFHexString).decodeText();
    const wanted = attachments.find((a) => a.deflated && name === a.name);
    if (!wanted?.deflated) continue;
    const ref = spec.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F')) as PDFRef;
    loaded.context.assign(ref, loaded.context.stream(wanted.deflated, { Type: 'EmbeddedFile', Filter: 'FlateDecode' }));
  }
  return loaded.save({ useObjectStreams: options.useObjectStreams ?? true });
}

/** The classic entity bomb (a DOCTYPE with nested entities). */
export function billionLaughs(): string {
  const levels = ['<!ENTITY l0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE Invoice [\n${levels.join('\n')}\n]>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><Note>&l9;</Note></Invoice>`;
}

/** An external entity naming a local file. */
export function externalEntity(path: string): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file://${path}">]>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><Note>&x;</Note></Invoice>`;
}

/** The fixture invoice in ISO-8859-1 without an encoding declaration (its "é"/"’" are not UTF-8 then). */
export function latin1WithoutDeclaration(): Uint8Array {
  const text = FACTUR_X_XML.toString('utf8')
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/’/g, "'");
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** An XML of `size` bytes: the fixture with a long note. */
export function hugeXml(size: number): Uint8Array {
  const base = FACTUR_X_XML.toString('utf8');
  const pad = Math.max(0, size - base.length - 40);
  const end = base.lastIndexOf('</');
  return new TextEncoder().encode(`${base.slice(0, end)}<!-- ${'x'.repeat(pad)} -->${base.slice(end)}`);
}

export interface EndlessServer {
  url: string;
  /** Bytes the server managed to send before the client stopped reading. */
  sent(): number;
  close(): Promise<void>;
}

/**
 * A peer on 127.0.0.1 whose answer never ends: /endless streams 64 KiB chunks forever (chunked, no length),
 * /declared says Content-Length: 2 GiB and then streams, /small answers `small` with its length.
 */
export async function endlessServer(small = '<html><body>ok</body></html>'): Promise<EndlessServer> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/small')) {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(small) });
      res.end(small);
      return;
    }
    res.writeHead(200, { 'content-type': req.url?.startsWith('/xml') ? 'application/xml' : 'text/html', ...(req.url?.startsWith('/declared') ? { 'content-length': String(2 * 1024 * MiB) } : {}) });
    let open = true;
    res.on('close', () => {
      open = false;
    });
    const pump = (): void => {
      while (open && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
