import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, base64UrlEncode, wrappedBase64Length } from '../../lib/mail/bytes';
import { buildMime, encodeHeaderText, estimateMimeSize, formatMailDate, type MimeMessage } from '../../lib/mail/mime';
import { addressAllowed, isAddress, isOctopusMailbox } from '../../lib/mail/address';
import { composeInvoiceMail } from '../../lib/mail/compose';
import { mailDedupKey, messageIdFor } from '../../lib/mail/dedup';
import { RelayError } from '../../lib/mail/relay';
import { demoDocuments } from '../sandbox/demo-data';
import { ublOf } from '../sandbox/demo-site';
import { readInvoiceXml } from '../../lib/ubl/read';

const everyByte = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 131 + (i >> 9)) & 0xff);

function message(overrides: Partial<MimeMessage> = {}): MimeMessage {
  return {
    from: { address: 'boekhouding@bakkerij.example', name: 'Bakkerij Één' },
    to: ['uid-008352-24@import.octopus.be'],
    subject: 'Factuur 2026-0001 — Crème brûlée bvba, één heel lange onderwerpregel die over meerdere regels moet worden gevouwen',
    text: 'Beste,\nIn bijlage de factuur.\nGroeten',
    date: new Date('2026-11-22T10:11:12Z'),
    messageId: '<ubl-0123456789abcdef@bakkerij.example>',
    attachments: [
      { filename: 'Factuur_é 2026-0001 met een heel lange naam die zeker over zestig tekens gaat.xml', contentType: 'application/xml', content: new TextEncoder().encode('<Invoice>é</Invoice>') },
      { filename: 'bytes.pdf', contentType: 'application/pdf', content: everyByte },
    ],
    ...overrides,
  };
}

describe('base64 without Buffer', () => {
  it('matches Node for every length around the 3-byte groups and decodes back', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = everyByte.subarray(1000, 1000 + n);
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64UrlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Buffer.from(base64Decode(Buffer.from(bytes).toString('base64')))).toEqual(Buffer.from(bytes));
      expect(wrappedBase64Length(n)).toBe(Buffer.from(bytes).toString('base64').replace(/(.{76})(?=.)/g, '$1\r\n').length);
    }
    expect(() => base64Decode('ab$c')).toThrow(/invalid base64/);
  });
});

describe('MIME builder', () => {
  it('builds a message mailparser reads back: headers, non-ASCII subject and file names, bytes identical', async () => {
    const raw = buildMime(message());
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.messageId).toBe('<ubl-0123456789abcdef@bakkerij.example>');
    expect(parsed.subject).toBe(message().subject);
    expect(parsed.from?.value[0]).toEqual({ address: 'boekhouding@bakkerij.example', name: 'Bakkerij Één' });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((v) => v.address) : []).toEqual(['uid-008352-24@import.octopus.be']);
    expect(parsed.date?.toISOString()).toBe('2026-11-22T10:11:12.000Z');
    expect(parsed.text?.trim()).toBe('Beste,\nIn bijlage de factuur.\nGroeten');
    expect(parsed.attachments.map((a) => a.filename)).toEqual([message().attachments[0]!.filename, 'bytes.pdf']);
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
    expect(Buffer.compare(parsed.attachments[1]!.content, Buffer.from(everyByte))).toBe(0);
    expect(parsed.attachments[0]!.content.toString('utf8')).toBe('<Invoice>é</Invoice>');
  });

  it('writes only ASCII lines of at most 78 characters ending in CRLF, and the same bytes twice', () => {
    const raw = buildMime(message());
    expect(raw.every((b) => b < 128)).toBe(true);
    const text = new TextDecoder().decode(raw);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(/[^\r]\n/.test(text) || /\r[^\n]/.test(text)).toBe(false);
    const lines = text.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(text).toMatch(/^Date: Sun, 22 Nov 2026 10:11:12 \+0000\r$/m);
    expect(text).toContain("filename*0*=UTF-8''Factuur_%C3%A9%20");
    expect(Buffer.from(buildMime(message())).equals(Buffer.from(raw))).toBe(true);
    expect(raw.length).toBeLessThanOrEqual(estimateMimeSize(new TextEncoder().encode(message().text).length, message().attachments.map((a) => a.content.length)));
  });

  it('runs in a bare context without Buffer, process or Node modules (as in the service worker)', async () => {
    const bundle = await build({
      entryPoints: ['lib/mail/mime.ts'],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'mime',
      platform: 'browser',
    });
    const code = bundle.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(|node:/);
    // What a service worker has among these: TextEncoder and btoa are web APIs it offers, Buffer and process are not.
    const sandbox: Record<string, unknown> = { TextEncoder, Uint8Array, Int16Array, btoa };
    runInNewContext(`${code}; globalThis.out = mime.buildMime(input);`, Object.assign(sandbox, { input: message() }));
    expect('Buffer' in sandbox || 'process' in sandbox).toBe(false);
    const parsed = await simpleParser(Buffer.from(sandbox.out as Uint8Array));
    expect(Buffer.compare(parsed.attachments[1]!.content, Buffer.from(everyByte))).toBe(0);
  });

  it('encodes long or non-ASCII header text as RFC 2047 words of at most 75 characters', () => {
    expect(encodeHeaderText('Invoice 42')).toBe('Invoice 42');
    expect(encodeHeaderText('é'.repeat(80), 9).split('\r\n ')[0]!.length + 9).toBeLessThanOrEqual(78);
    const encoded = encodeHeaderText('€'.repeat(40));
    for (const word of encoded.split('\r\n ')) {
      expect(word.length).toBeLessThanOrEqual(75);
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    }
    expect(formatMailDate(new Date('2026-01-05T03:04:05Z'))).toBe('Mon, 05 Jan 2026 03:04:05 +0000');
  });

  it('refuses what would make a broken or injectable message', () => {
    expect(() => buildMime(message({ to: ['not an address'] }))).toThrow(/not an e-mail address/);
    expect(() => buildMime(message({ to: ['a@b.example\r\nBcc: x@evil.example'] }))).toThrow(/not an e-mail address/);
    expect(() => buildMime(message({ to: [] }))).toThrow(/no recipient/);
    expect(() => buildMime(message({ messageId: 'no-brackets@x' }))).toThrow(/Message-ID/);
    expect(() => buildMime(message({ date: new Date('nope') }))).toThrow(/date/);
  });
});

describe('addresses', () => {
  it('accepts addr-specs only, and knows Octopus mailboxes and allow-lists', () => {
    for (const ok of ['uid-008352-24@import.octopus.be', 'a.b+c@docin.octopus.be', 'alice@localhost']) expect(isAddress(ok), ok).toBe(true);
    for (const bad of ['', 'plain', '@octopus.be', 'a@', 'a b@octopus.be', 'a@b..be', '"q"@x.be', 'a@-x.be', 'a@b.be>', `${'x'.repeat(65)}@x.be`]) {
      expect(isAddress(bad), bad).toBe(false);
    }
    expect(isOctopusMailbox('x@import.octopus.be')).toBe(true);
    expect(isOctopusMailbox('x@octopus.be')).toBe(true);
    expect(isOctopusMailbox('x@notoctopus.be')).toBe(false);
    expect(addressAllowed('x@import.octopus.be', ['*.octopus.be'])).toBe(true);
    expect(addressAllowed('x@evil-octopus.be', ['*.octopus.be'])).toBe(false);
    expect(addressAllowed('me@firm.example', ['*.octopus.be', 'me@firm.example'])).toBe(true);
    expect(addressAllowed('you@firm.example', ['*.octopus.be', 'me@firm.example'])).toBe(false);
  });
});

describe('the invoice mail', () => {
  const doc = demoDocuments.find((d) => d.status !== 'draft')!;
  const xml = ublOf(doc);
  const read = readInvoiceXml(xml);
  if (!read.ok) throw new Error('demo UBL unreadable');
  const input = {
    dossierId: 'd1',
    direction: 'sales' as const,
    invoice: read.invoice,
    sourceXml: xml,
    to: 'uid-1@import.octopus.be',
    from: { address: 'office@firm.example' },
    date: new Date('2026-11-22T10:00:00Z'),
    generation: 0,
  };

  it('carries the UBL as the app gave it and its embedded PDF, under a Message-ID from the dedup key', async () => {
    const mail = await composeInvoiceMail(input);
    const parsed = await simpleParser(Buffer.from(mail.raw));
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['application/xml', 'application/pdf']);
    expect(parsed.attachments[0]!.content.toString('utf8')).toBe(xml);
    const pdf = read.invoice.attachments.find((a) => a.mimeType === 'application/pdf')!;
    expect(parsed.attachments[1]!.content.equals(Buffer.from(pdf.contentBase64, 'base64'))).toBe(true);
    const key = await mailDedupKey('d1', 'sales', new TextEncoder().encode(xml));
    expect(mail.dedupKey).toBe(key);
    expect(parsed.messageId).toBe(messageIdFor(key, 0, 'office@firm.example'));
    expect(mail.messageId).toMatch(/^<ubl-[0-9a-f]{32}@firm\.example>$/);
  });

  it('gives the same key and bytes on a retry, and another key per dossier, direction, content or send-again', async () => {
    const first = await composeInvoiceMail(input);
    const again = await composeInvoiceMail(input);
    expect(Buffer.from(again.raw).equals(Buffer.from(first.raw))).toBe(true);
    const keys = new Set([
      first.dedupKey,
      (await composeInvoiceMail({ ...input, dossierId: 'd2' })).dedupKey,
      (await composeInvoiceMail({ ...input, direction: 'purchase' })).dedupKey,
      (await composeInvoiceMail({ ...input, sourceXml: xml.replace('</Invoice>', ' </Invoice>') })).dedupKey,
    ]);
    expect(keys.size).toBe(4);
    const resend = await composeInvoiceMail({ ...input, generation: 1 });
    expect(resend.dedupKey).toBe(`${first.dedupKey}.1`);
    expect(resend.messageId).not.toBe(first.messageId);
  });

  it('says a message is too large before building it', async () => {
    const error = await composeInvoiceMail(input, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).kind).toBe('too-large');
    expect((error as RelayError).options.limit).toBe(10_000);
  });
});
