/**
 * Correctness on files: the same documents as UBL (the project's writer, PDF embedded), CII with the PDF beside it and
 * Factur-X PDF (both made by @e-invoice-eu/core), dropped in the popup (lib/adhoc) or downloaded by the generic
 * adapter from an app on 127.0.0.1, booked into the Octopus simulator and compared field by field with what the
 * document says (tests/fixtures/correctness/files.ts).
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { SIM_SEED } from '../sandbox/octopus-sim';
import { completeInvoice } from '../../lib/ubl/compute';
import { writeUbl } from '../../lib/ubl/write';
import { extractEmbeddedXml } from '../../lib/ubl/pdf';
import { prepareUpload, uploadFetcher } from '../../lib/adhoc/upload';
import { genericFetch } from '../../lib/sites/generic.fetch';
import { downloadId } from '../../lib/sites/generic';
import { LedgerDb } from '../../lib/ledger/db';
import type { Invoice } from '../../lib/model/invoice';
import { eInvoiceEuService, generateCii, generateFacturXPdf } from '../support/einvoice-eu';
import { bookingBench, fixturePdf, serveApp, sha256, SALES_DOSSIER, type AppServer, type ServedFile } from '../support/correctness';
import { FILE_FIXTURES } from '../fixtures/correctness/files';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function withPdf(invoice: Invoice): Invoice {
  const pdf = fixturePdf(invoice.number);
  return { ...invoice, attachments: [{ id: invoice.number, filename: `${invoice.number}.pdf`, mimeType: 'application/pdf', contentBase64: b64(pdf) }] };
}

const bench = bookingBench();
const service = eInvoiceEuService();
// Factur-X generation is the slow part: each document's PDF is made once and used by the popup and the CLI cases.
const facturXMade = new Map<string, Promise<Uint8Array>>();
const facturXOf = (invoice: Invoice, pdf: Uint8Array): Promise<Uint8Array> => {
  if (!facturXMade.has(invoice.number)) facturXMade.set(invoice.number, generateFacturXPdf(forCii(invoice), pdf, service));
  return facturXMade.get(invoice.number)!;
};

/** A dropped file, as the popup hands it to the worker: checked by prepareUpload, then fetched as the "upload" site. */
async function dropped(fileName: string, xml: string, pdf?: Uint8Array) {
  const db = new LedgerDb(`drop-${Math.random()}`);
  try {
    await db.dossiers.put(SALES_DOSSIER);
    const prepared = await prepareUpload(db, { dossierId: SALES_DOSSIER.id, fileName, lang: 'nl', xml, ...(pdf ? { pdfBase64: b64(pdf) } : {}) }, new Date());
    if (!prepared.ok) throw new Error(prepared.error.message);
    await db.uploads.put(prepared.row);
    return await uploadFetcher(db).fetchDocument('', prepared.row.id, fetch);
  } finally {
    db.close();
  }
}

/**
 * The CII tool takes the UBL Invoice form only: a credit note goes to it as an Invoice of type 381, which CII writes
 * as the same document with TypeCode 381.
 */
const forCii = (invoice: Invoice): Invoice => ({ ...invoice, attachments: [], ...(invoice.kind === 'credit-note' ? { kind: 'invoice', typeCode: '381' } : {}) });

describe.each(FILE_FIXTURES.map((f) => [f.case, f] as const))('%s', (_, { draft, truth }) => {
  const invoice = withPdf(completeInvoice(draft));
  const pdf = fixturePdf(invoice.number);

  it('as UBL with the PDF embedded, dropped in the popup', async () => {
    const booked = await bench.book(await dropped(`${invoice.number}.xml`, writeUbl(invoice)));
    expect(booked).toEqual({ ...truth, pdfs: [sha256(pdf)] });
  });

  it('as CII with the PDF beside it, dropped in the popup', async () => {
    const cii = await generateCii(forCii(invoice), service);
    const booked = await bench.book(await dropped(`${invoice.number}.pdf`, cii, pdf));
    expect(booked).toEqual({ ...truth, pdfs: [sha256(pdf)] });
  });

  it('as a Factur-X PDF, dropped in the popup: the PDF itself goes to Octopus', async () => {
    const facturX = await facturXOf(invoice, pdf);
    const embedded = await extractEmbeddedXml(facturX);
    if (!embedded.ok) throw new Error(String(embedded.error));
    const booked = await bench.book(await dropped(`${invoice.number}.pdf`, embedded.xml, facturX));
    expect(booked).toEqual({ ...truth, pdfs: [sha256(facturX)] });
  });
});

describe('the generic adapter: UBL download links of an app', () => {
  let app: AppServer;
  const documents = FILE_FIXTURES.map(({ draft, truth }) => ({ invoice: withPdf(completeInvoice(draft)), truth }));
  beforeAll(async () => {
    const files = new Map<string, ServedFile>();
    for (const { invoice } of documents) files.set(`/export/ubl?doc=${encodeURIComponent(invoice.number)}`, { type: 'application/xml', body: writeUbl(invoice) });
    app = await serveApp(files);
  });
  afterAll(async () => app.close());

  it.each(documents.map((d) => [d.invoice.number, d] as const))('%s', async (_, { invoice, truth }) => {
    const id = downloadId(`/export/ubl?doc=${encodeURIComponent(invoice.number)}`, `${app.url}/invoices`)!;
    const booked = await bench.book(await genericFetch.fetchDocument(app.url, id, fetch));
    expect(booked).toEqual({ ...truth, pdfs: [sha256(fixturePdf(invoice.number))] });
  });
});

describe('the CLI (octopus:book): a Factur-X PDF and a CII file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'octobridge-correct-'));
  const cli = async (file: string) => {
    const out = { stdout: '', stderr: '' };
    const code = await runCli(['octopus:book', file, '--dossier', String(SALES_DOSSIER.octopusDossierId), '--base-url', bench.sim.url, '--credit-note-journal', 'V2'], {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      env: { OCTOPUS_SOFTWARE_HOUSE_UUID: SIM_SEED.softwareHouseUuid, OCTOPUS_USER: SIM_SEED.users[0]!.user, OCTOPUS_PASSWORD: SIM_SEED.users[0]!.password },
    });
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
  };

  it.each(FILE_FIXTURES.map((f) => [f.case, f] as const))('%s, as Factur-X: the PDF itself goes to Octopus', async (_, { draft, truth }) => {
    const invoice = completeInvoice(draft);
    const facturX = await facturXOf(invoice, fixturePdf(invoice.number));
    const file = join(dir, `${invoice.number}.pdf`);
    writeFileSync(file, facturX);
    await cli(file);
    expect(bench.booked()).toEqual({ ...truth, pdfs: [sha256(facturX)] });
  });

  it('a CII file without a PDF books the same facts and attaches none', async () => {
    const { draft, truth } = FILE_FIXTURES[0]!;
    const invoice = completeInvoice(draft);
    const file = join(dir, `${invoice.number}.xml`);
    writeFileSync(file, await generateCii(forCii(invoice), service));
    await cli(file);
    expect(bench.booked()).toEqual({ ...truth, pdfs: [] });
  });
});

describe('official samples (UBL.BE), dates moved into the simulator’s bookyear 2026', () => {
  const file = join(import.meta.dirname, '../fixtures/einvoice-samples/UBLBE_BE0000000196_V01-15000014.xml');
  const xml = readFileSync(file, 'utf8').replace(/2018-(0[45])-09/g, '2026-$1-09');
  const embeddedPdf = /<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]+)</.exec(xml)![1]!;

  it('an intra-Community supply split over two K breakdowns (two exemption texts) is booked once on the intra-Community code', async () => {
    const booked = await bench.book(await dropped('15000014.xml', xml));
    expect(booked).toEqual({
      journal: 'V1',
      comment: 'V01/15000014 Microsoft Deutschland',
      reference: 'V01/15000014',
      documentDate: '2026-04-09',
      expiryDate: '2026-05-09',
      bookyear: 2,
      period: 202604,
      amount: '700.00',
      relation: { name: 'Microsoft Deutschland', streetAndNr: 'Katharina-Heinroth-Ufer 1', postalCode: '10787', city: 'Berlin', country: 'DE', vatNr: 'DE163372785' },
      accounts: [700000],
      vat: { ICL: { base: '700.00', vat: '0.00' } },
      pdfs: [sha256(embeddedPdf)],
    });
  });
});

describe('a dossier kept in quarters', () => {
  it('books into the quarter Octopus lists for the date, not a computed month', async () => {
    bench.sim.reset((seed) => {
      seed.dossiers = seed.dossiers.map((d) => ({ ...d, bookyears: d.bookyears.map((b) => ({ ...b, periodsPerYear: 4 as const })) }));
    });
    const { draft, truth } = FILE_FIXTURES[0]!;
    const invoice = withPdf(completeInvoice(draft));
    const booked = await bench.book(await dropped(`${invoice.number}.xml`, writeUbl(invoice)));
    expect(booked).toEqual({ ...truth, period: 202604, pdfs: [sha256(fixturePdf(invoice.number))] });
  });
});

describe('a foreign-VAT sale (a French consumer charged French VAT at 20 %, OSS)', () => {
  const draft = {
    kind: 'invoice' as const,
    number: 'F2026-0208',
    issueDate: '2026-10-06',
    dueDate: '2026-11-05',
    currency: 'EUR',
    seller: FILE_FIXTURES[0]!.draft.seller,
    buyer: { name: 'Camille Dubois', address: { street: '12 rue de Rivoli', city: 'Paris', postalCode: '75001', countryCode: 'FR' } },
    lines: [{ id: '1', description: 'Abonnement', quantity: '3', unitPrice: '30', vat: { category: 'S' as const, rate: '20' } }],
  };

  it('is refused until the dossier names its code, then booked on it, from UBL and CII alike', async () => {
    bench.sim.reset((seed) => {
      seed.dossiers = seed.dossiers.map((d) => ({ ...d, vatCodes: [...d.vatCodes, { code: 'OSS', description: 'OSS verkopen / Ventes OSS', type: 2, basePercentage: 0, defaultSellBookingAccountNr: 700000 }] }));
    });
    const invoice = withPdf(completeInvoice(draft));
    const ubl = await dropped(`${invoice.number}.xml`, writeUbl(invoice));
    const refused = (await bench.book(ubl).catch((e: unknown) => e)) as { text: { key: string } };
    expect(refused.text.key).toBe('octopus_error_no_vat_code');
    const oss = { ...SALES_DOSSIER, vatCodeOverrides: { 'S:20': 'OSS' } };
    const truth = {
      journal: 'V1',
      comment: 'F2026-0208 Camille Dubois',
      reference: 'F2026-0208',
      documentDate: '2026-10-06',
      expiryDate: '2026-11-05',
      bookyear: 2,
      period: 202610,
      amount: '108.00',
      relation: { name: 'Camille Dubois', streetAndNr: '12 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' },
      accounts: [700000],
      vat: { OSS: { base: '90.00', vat: '18.00' } },
    };
    expect(await bench.book(ubl, oss)).toEqual({ ...truth, pdfs: [sha256(fixturePdf(invoice.number))] });
    bench.sim.reset((seed) => {
      seed.dossiers = seed.dossiers.map((d) => ({ ...d, vatCodes: [...d.vatCodes, { code: 'OSS', description: 'OSS verkopen / Ventes OSS', type: 2, basePercentage: 0, defaultSellBookingAccountNr: 700000 }] }));
    });
    const cii = await dropped(`${invoice.number}.pdf`, await generateCii(forCii(invoice), service), fixturePdf(invoice.number));
    expect(await bench.book(cii, oss)).toEqual({ ...truth, pdfs: [sha256(fixturePdf(invoice.number))] });
  });
});
