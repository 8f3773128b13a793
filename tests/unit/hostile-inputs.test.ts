/**
 * Bounded inputs: each hostile file or answer ends in a clear error in the user's language, in seconds, at bounded
 * memory, and nothing is booked or kept. Deflate bombs (as the invoice attachment of a PDF and beside it), entity
 * tricks, XML in an encoding we do not read, and a peer on 127.0.0.1 whose answer never ends. The same builders feed
 * `npm run bench:hostile`, which measures time and peak memory per case.
 */
import 'fake-indexeddb/auto';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InflateError, InflateLimitError, inflateCapped } from '../../lib/bounded/inflate';
import { BodyTooLargeError, readCapped } from '../../lib/bounded/read-capped';
import { translatorFor } from '../../lib/i18n';
import type { Locale } from '../../lib/i18n/translator';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import type { Dossier } from '../../lib/model/dossier';
import type { LocalizedText } from '../../lib/model/transfer';
import { PdfInflatesTooMuchError, pdfText, type PdfTextSource } from '../../lib/adhoc/pdf-text';
import { prepareUpload } from '../../lib/adhoc/upload';
import { OctopusClient } from '../../lib/octopus/client';
import { OctopusError } from '../../lib/octopus/errors';
import { systemClock } from '../../lib/platform/clock';
import { dolibarrFetch } from '../../lib/sites/dolibarr.fetch';
import { downloadId } from '../../lib/sites/generic';
import { genericFetch } from '../../lib/sites/generic.fetch';
import { DocumentFetchError } from '../../lib/sites/types';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import type { DeliveryContext, Transport } from '../../lib/transfer/transport';
import { DEFAULT_MAX_EMBEDDED_XML_BYTES, DEFAULT_MAX_FILE_BYTES, decodeXml, extractEmbeddedXml, pdfInflatesWithin, readInvoiceFile } from '../../lib/ubl/pdf';
import { DEFAULT_MAX_XML_BYTES } from '../../lib/ubl/read-core';
import {
  FACTUR_X_XML,
  MiB,
  billionLaughs,
  deflateBomb,
  endlessServer,
  externalEntity,
  latin1WithoutDeclaration,
  noise,
  pdfWith,
  type EndlessServer,
} from '../support/hostile-files';

const say = (locale: Locale, text: LocalizedText | undefined): string => (text ? translatorFor(locale).t(text.key, text.params) : '');

/** Runs `work` while sampling the process's ArrayBuffer memory; returns its result, the time and the peak growth. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakArrayBuffersMiB: number }> {
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return { result, ms: performance.now() - t0, peakArrayBuffersMiB: (peak - base) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

let bomb512: Uint8Array;
beforeAll(async () => {
  bomb512 = await deflateBomb(512 * MiB, 0x3c); // ~0.5 MB that inflates to 512 MiB
}, 30_000);

describe('inflateCapped', () => {
  it('stops a bomb at the cap, returns what fits, peeks with truncate, and names broken data', async () => {
    const { result, ms } = await measured(() => inflateCapped(bomb512, 4 * MiB).then(() => 'inflated', (e: unknown) => e));
    expect(result).toBeInstanceOf(InflateLimitError);
    expect(ms).toBeLessThan(3_000);
    const small = await deflateBomb(100_000, 0x41);
    expect(await inflateCapped(small, 100_000)).toEqual(new Uint8Array(100_000).fill(0x41));
    await expect(inflateCapped(small, 99_999)).rejects.toBeInstanceOf(InflateLimitError);
    expect(await inflateCapped(bomb512, 1000, { truncate: true })).toEqual(new Uint8Array(1000).fill(0x3c));
    await expect(inflateCapped(small.slice(0, small.length - 8), 1_000_000)).rejects.toBeInstanceOf(InflateError);
    await expect(inflateCapped(noise(1000), 1_000_000)).rejects.toBeInstanceOf(InflateError);
  });

  it('gives back exactly what zlib inflates, whatever the sizes and chunking', async () => {
    for (const size of [0, 1, 4095, 4096, 4097, 65_537, 300_000]) {
      const plain = new Uint8Array(size);
      plain.set(noise(Math.floor(size / 3)));
      plain.fill(0x30 + (size % 10), Math.floor(size / 3));
      const packed = new Uint8Array(deflateSync(plain));
      expect(await inflateCapped(packed, size)).toEqual(plain);
      if (size > 0) await expect(inflateCapped(packed, size - 1)).rejects.toBeInstanceOf(InflateLimitError);
    }
  });
});

describe('PDF: only the invoice attachment is inflated, and only up to the cap (default caps)', () => {
  it('reads factur-x.xml beside a 512 MiB bomb and 1 MB of noise, without inflating them', async () => {
    const pdf = await pdfWith([
      { name: 'scan.tiff', deflated: bomb512 },
      { name: 'factur-x.xml', content: FACTUR_X_XML },
      { name: 'photo.jpg', content: noise(MiB) },
    ]);
    expect(pdf.length).toBeGreaterThan(1.4 * MiB);
    const { result, ms, peakArrayBuffersMiB } = await measured(() => readInvoiceFile(pdf, 'FX.pdf'));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.source).toEqual({ name: 'FX.pdf', type: 'pdf', embeddedName: 'factur-x.xml' });
    expect([result.invoice.number, result.invoice.totals.payable]).toEqual(['FX-2026-0017', '190.00']);
    expect(ms).toBeLessThan(5_000);
    // Inflating scan.tiff would need 512 MiB.
    expect(peakArrayBuffersMiB).toBeLessThan(64);
    const listed = await extractEmbeddedXml(pdf);
    expect(listed.attachments.sort()).toEqual(['factur-x.xml', 'photo.jpg', 'scan.tiff']);
  }, 20_000);

  it('refuses a 0.5 MB PDF whose factur-x.xml inflates to 512 MiB, in seconds, in nl, fr and en', async () => {
    const pdf = await pdfWith([{ name: 'factur-x.xml', deflated: bomb512 }]);
    expect(pdf.length).toBeLessThan(0.6 * MiB);
    const { result, ms, peakArrayBuffersMiB } = await measured(() => readInvoiceFile(pdf, 'bomb.pdf'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.text).toEqual({ key: 'ubl_pdf_xml_too_large', params: ['factur-x.xml', (DEFAULT_MAX_EMBEDDED_XML_BYTES / MiB).toFixed(1)] });
    expect(say('en', result.error.text)).toBe('The embedded factur-x.xml is larger than 20.0 MB once unpacked, too large for an invoice; it is refused.');
    expect(say('nl', result.error.text)).toBe('Het ingebedde factur-x.xml is uitgepakt groter dan 20.0 MB, te groot voor een factuur; het wordt geweigerd.');
    expect(say('fr', result.error.text)).toBe('Le fichier joint factur-x.xml dépasse 20.0 Mo une fois décompressé, trop pour une facture ; il est refusé.');
    expect(ms).toBeLessThan(5_000);
    expect(peakArrayBuffersMiB).toBeLessThan(96);
  }, 20_000);

  it('the caps are the documented ones', () => {
    expect([DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_EMBEDDED_XML_BYTES, DEFAULT_MAX_XML_BYTES]).toEqual([25 * MiB, 20 * MiB, 20 * MiB]);
  });
});

describe('PDF without an e-invoice: pdfjs only gets it when its streams inflate to a bounded size', () => {
  it('a 512 MiB bomb is refused before pdfjs reads the text; an ordinary PDF is read', async () => {
    const bomb = await pdfWith([{ name: 'scan.bin', deflated: bomb512 }]);
    const { result, ms, peakArrayBuffersMiB } = await measured(() => pdfInflatesWithin(bomb));
    expect(result).toBe(false);
    expect(ms).toBeLessThan(5_000);
    expect(peakArrayBuffersMiB).toBeLessThan(64); // counted, not kept
    const pdfjs = async () => (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfTextSource;
    await expect(pdfText(bomb, await pdfjs())).rejects.toBeInstanceOf(PdfInflatesTooMuchError);
    expect(await pdfInflatesWithin(bomb, 600 * MiB)).toBe(true);
    const plain = await pdfWith([{ name: 'photo.jpg', content: noise(MiB) }]);
    expect(await pdfInflatesWithin(plain)).toBe(true);
    expect(typeof (await pdfText(plain, await pdfjs()))).toBe('string');
    expect(say('nl', { key: 'adhoc_pdf_inflates_too_much', params: ['scan.pdf'] })).toBe('scan.pdf wordt uitgepakt groter dan 256 MB: te groot voor een factuur, dus het wordt niet gelezen');
  }, 20_000);
});

describe('PDF: which attachment is the invoice', () => {
  it('takes the one marked /Alternative when no standard name is there, and caps it too', async () => {
    const pdf = await pdfWith([
      { name: 'notes.xml', content: new TextEncoder().encode('<?xml version="1.0"?><notes/>') },
      { name: 'invoice-data.xml', content: FACTUR_X_XML, alternative: true },
    ]);
    const r = await extractEmbeddedXml(pdf);
    expect(r.ok && r.name).toBe('invoice-data.xml');
    const capped = await extractEmbeddedXml(pdf, { maxXmlBytes: 1000 });
    expect(!capped.ok && capped.error.text).toEqual({ key: 'ubl_pdf_xml_too_large', params: ['invoice-data.xml', '0.0'] });
  });

  it('prefers the standard name over an /Alternative one, without object streams too', async () => {
    const pdf = await pdfWith(
      [
        { name: 'other.xml', content: new TextEncoder().encode('<Invoice/>'), alternative: true },
        { name: 'ZUGFeRD-invoice.xml', content: FACTUR_X_XML },
      ],
      { useObjectStreams: false },
    );
    const r = await extractEmbeddedXml(pdf);
    expect(r.ok && r.name).toBe('ZUGFeRD-invoice.xml');
  });

  it('an Order-X order is not an invoice; a renamed XML bomb is only peeked at', async () => {
    const order = await pdfWith([{ name: 'order-x.xml', content: new TextEncoder().encode('<?xml version="1.0"?><rsm:SCRDMCCBDACIOMessageStructure xmlns:rsm="urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"/>') }]);
    const r = await extractEmbeddedXml(order);
    expect(!r.ok && r.error.text).toEqual({ key: 'ubl_pdf_no_einvoice', params: ['order-x.xml'] });
    const renamedBomb = await pdfWith([{ name: 'data.xml', deflated: bomb512 }]);
    const { result, ms } = await measured(() => extractEmbeddedXml(renamedBomb));
    expect(!result.ok && result.error.text?.key).toBe('ubl_pdf_no_einvoice');
    expect(ms).toBeLessThan(2_000);
  });
});

describe('PDF: a damaged or crafted structure gives an answer, never a throw', () => {
  it('truncations and byte flips of a Factur-X PDF (with and without object streams) each end in a result', async () => {
    for (const useObjectStreams of [true, false]) {
      const pdf = await pdfWith([{ name: 'factur-x.xml', content: FACTUR_X_XML }, { name: 'photo.jpg', content: noise(4096) }], { useObjectStreams });
      let x = 7;
      const next = (n: number): number => {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        return x % n;
      };
      for (let i = 0; i < 60; i++) {
        const mutated = i % 3 === 0 ? pdf.slice(0, next(pdf.length)) : pdf.slice();
        if (i % 3 !== 0) for (let k = 0; k < 1 + next(20); k++) mutated[next(mutated.length)] = next(256);
        const r = await extractEmbeddedXml(mutated);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.text?.key).toMatch(/^ubl_/);
      }
    }
  });

  it('a name tree that points to itself, and a catalog without names, are handled', async () => {
    const loop = new TextEncoder().encode(
      '%PDF-1.7\n1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n2 0 obj << /Kids [2 0 R 3 0 R] >> endobj\n3 0 obj << /Kids [2 0 R] /Names [(factur-x.xml) 4 0 R] >> endobj\n' +
        '4 0 obj << /Type /Filespec /F (factur-x.xml) /EF << /F 5 0 R >> >> endobj\n5 0 obj << /Length 10 >> stream\n<Invoice/>\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF',
    );
    const r = await extractEmbeddedXml(loop);
    expect(r.ok && [r.name, r.xml]).toEqual(['factur-x.xml', '<Invoice/>']);
    const bare = await extractEmbeddedXml(new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF'));
    expect(!bare.ok && bare.error.text).toEqual({ key: 'ubl_pdf_no_einvoice', params: ['—'] });
  });
});

describe('XML: refused before decoding or parsing', () => {
  it('a billion-laughs bomb and an external entity: the DOCTYPE is refused, nothing expanded or read', async () => {
    for (const xml of [billionLaughs(), externalEntity('/etc/hostname')]) {
      const { result, ms } = await measured(() => readInvoiceFile(new TextEncoder().encode(xml), 'x.xml'));
      expect(!result.ok && result.error.text?.key).toBe('ubl_doctype');
      expect(ms).toBeLessThan(1_000);
      expect(say('nl', !result.ok ? result.error.text : undefined)).toMatch(/^De XML bevat een DOCTYPE-declaratie \(regel 2\)/);
    }
  });

  it('bytes that are not UTF-8, without a declaration, are refused with the line, in nl, fr and en', async () => {
    const r = await readInvoiceFile(latin1WithoutDeclaration(), 'latin1.xml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.text?.key).toBe('ubl_xml_not_utf8');
    const line = r.error.text?.params[0];
    expect(say('en', r.error.text)).toBe(`The XML is not UTF-8 (line ${line}) and its declaration names no other encoding: save it as UTF-8 or declare its encoding.`);
    expect(say('fr', r.error.text)).toMatch(/^Le XML n’est pas en UTF-8/);
    expect(say('nl', r.error.text)).toMatch(/^De XML is geen UTF-8/);
    // The same bytes with their encoding declared read fine.
    const declared = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?>\n'), ...latin1WithoutDeclaration()]);
    const ok = await readInvoiceFile(declared, 'declared.xml');
    expect(ok.ok && ok.invoice.number).toBe('FX-2026-0017');
  });

  it('a declared encoding we do not read is refused, not guessed', () => {
    for (const encoding of ['Shift_JIS', 'EBCDIC-US', 'UTF-7', 'x-unknown']) {
      const d = decodeXml(new TextEncoder().encode(`<?xml version="1.0" encoding="${encoding}"?><Invoice/>`));
      expect(!d.ok && d.error.text).toEqual({ key: 'ubl_xml_encoding_unsupported', params: [encoding.toLowerCase()] });
    }
    expect(decodeXml(new TextEncoder().encode('<?xml version="1.0" encoding="windows-1252"?><a>\u0080</a>')).ok).toBe(true);
  });

  it('a file over the size cap is refused before it is decoded', async () => {
    const big = new Uint8Array(DEFAULT_MAX_FILE_BYTES + 1).fill(0xff); // not UTF-8 either: the size is checked first
    big.set(new TextEncoder().encode('<Invoice>'));
    const r = await readInvoiceFile(big, 'big.xml');
    expect(!r.ok && r.error.text?.key).toBe('ubl_too_large');
  });
});

describe('answers of peers: streamed with a byte cap', () => {
  let peer: EndlessServer;
  beforeAll(async () => {
    peer = await endlessServer();
  });
  afterAll(async () => {
    await peer.close();
  });

  it('refuses a declared Content-Length over the cap before reading, and stops an endless body at the cap', async () => {
    const declared = await fetch(`${peer.url}/declared`);
    const e1 = await readCapped(declared, MiB).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(BodyTooLargeError);
    expect((e1 as BodyTooLargeError).declaredBytes).toBe(2 * 1024 * MiB);
    const { result, ms, peakArrayBuffersMiB } = await measured(async () => readCapped(await fetch(`${peer.url}/endless`), 2 * MiB).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(BodyTooLargeError);
    expect((result as BodyTooLargeError).declaredBytes).toBeUndefined();
    expect(ms).toBeLessThan(3_000);
    expect(peakArrayBuffersMiB).toBeLessThan(32);
    const small = await readCapped(await fetch(`${peer.url}/small`), 1000);
    expect(new TextDecoder().decode(small)).toBe('<html><body>ok</body></html>');
    await expect(readCapped(await fetch(`${peer.url}/small`), 10)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('a site download that never ends is stopped at 25 MB with a translated, final error (generic adapter)', async () => {
    const id = downloadId('/xml/endless', `${peer.url}/invoices`) as string;
    const { result, ms } = await measured(() => genericFetch.fetchDocument(peer.url, id, fetch).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(DocumentFetchError);
    const error = result as DocumentFetchError;
    expect([error.key, error.params, error.retriable]).toEqual(['error_site_too_large', [`${peer.url}/xml/endless`, '25.0'], false]);
    expect(say('nl', { key: error.key, params: error.params })).toBe(`Het facturatieprogramma stuurde meer dan 25.0 MB voor ${peer.url}/xml/endless; de download is gestopt`);
    expect(ms).toBeLessThan(10_000);
  });

  it('a list page that never ends is stopped at 10 MB (Dolibarr listing)', async () => {
    const e = await dolibarrFetch.listDocuments!(peer.url, fetch).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DocumentFetchError);
    expect([(e as DocumentFetchError).key, (e as DocumentFetchError).params[1]]).toEqual(['error_site_too_large', '10.0']);
  });

  it('an Octopus answer that never ends is cut at 10 MB and taken as a network failure (retriable, nothing assumed)', async () => {
    const client = new OctopusClient({ baseUrl: `${peer.url}/octopus`, softwareHouseUuid: 'x', user: 'u', password: 'secret-pw' });
    const { result, ms } = await measured(() => client.authenticate().then(() => 'authenticated', (e: unknown) => e));
    expect(result).toBeInstanceOf(OctopusError);
    expect(result).toMatchObject({ kind: 'network', retriable: true });
    expect((result as OctopusError).message).toMatch(/more than the 10485760 bytes allowed/);
    expect(ms).toBeLessThan(10_000);
  });

  it('nothing is booked: the engine fails the transfer with the translated error and never reaches the transport', async () => {
    const db = new LedgerDb(`hostile-${Math.random()}`);
    const dossier: Dossier = {
      id: 'd1',
      name: 'Demo BV',
      octopusDossierId: 1001,
      connectionId: 'c1',
      enterpriseNumber: '0477472701',
      transport: 'webservice',
      journals: { sales: 'V1', purchases: 'A1' },
      defaultAccounts: { sales: '700000', purchases: '604000' },
      vatCodeOverrides: {},
      mailbox: {},
    };
    await db.dossiers.put(dossier);
    const delivered: DeliveryContext[] = [];
    const transport: Transport = {
      kind: 'webservice',
      async deliver(ctx) {
        delivered.push(ctx);
        return { reference: { journal: 'V1', bookyear: 2, documentSequenceNr: 1 }, text: { key: 'log_booked', params: ['V1'] } };
      },
    };
    const engine = new TransferEngine({ ledger: new Ledger(db, systemClock), dossiersForSite: () => everyDossier(db), adapters: [genericFetch], transports: { webservice: transport }, fetch, clock: systemClock, random: () => 0.5 });
    try {
      await engine.send([{ site: '127.0.0.1', origin: peer.url, adapter: 'generic', documentId: downloadId('/xml/endless', `${peer.url}/invoices`) as string, transport: 'webservice' }]);
      await engine.runDue();
      const [transfer] = await db.transfers.toArray();
      expect(transfer?.state).toBe('needs-attention'); // final: it will not shrink by retrying
      expect(transfer?.lastError?.text.key).toBe('error_site_too_large');
      expect(transfer?.octopusReference).toBeUndefined();
      expect(delivered).toEqual([]);
    } finally {
      db.close();
    }
  }, 20_000);

  it('nothing is kept: a dropped XML with an undeclared entity is refused by the worker', async () => {
    const db = new LedgerDb(`hostile-upload-${Math.random()}`);
    await db.dossiers.put({ id: 'd1', name: 'Demo BV', octopusDossierId: 1001, connectionId: 'c1', transport: 'webservice', journals: { sales: 'V1', purchases: 'A1' }, defaultAccounts: {}, vatCodeOverrides: {}, mailbox: {} } as Dossier);
    const xml = FACTUR_X_XML.toString('utf8').replace('</x:ExchangedDocument>', '<a:IncludedNote><a:Content>&xxe;</a:Content></a:IncludedNote></x:ExchangedDocument>');
    const r = await prepareUpload(db, { dossierId: 'd1', fileName: 'x.xml', lang: 'fr', xml }, new Date());
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', text: { key: 'adhoc_unreadable' } } });
    // The reason comes in the language the popup asked for.
    expect(!r.ok && r.error.text.params).toEqual(['x.xml', expect.stringMatching(/^Le XML utilise l’entité &xxe; \(ligne \d+\)/)]);
    expect(await db.uploads.count()).toBe(0);
    db.close();
  });
});
