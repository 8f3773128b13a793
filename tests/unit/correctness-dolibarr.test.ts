/**
 * Correctness on Dolibarr 20 documents the recorded app never held (French locale, other customers and VAT cases):
 * each card is fetched by the worker's Dolibarr adapter from a server on 127.0.0.1, booked into the Octopus simulator,
 * and what Octopus received is compared field by field with what the card shows (tests/fixtures/correctness).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dolibarrFetch, dolibarrListUrl } from '../../lib/sites/dolibarr.fetch';
import { TransferError } from '../../lib/transfer/transport';
import { translatorFor } from '../../lib/i18n';
import { bookingBench, fixturePdf, serveApp, sha256, SALES_DOSSIER, type AppServer, type ServedFile, type Truth } from '../support/correctness';
import { dolibarrCard, dolibarrListWith, dolibarrPdfPath, type DolibarrCardShown } from '../support/correctness-dolibarr';

interface Fixture {
  case: string;
  shown: DolibarrCardShown;
  truth: Omit<Truth, 'pdfs'>;
}
const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/correctness/dolibarr-fr.json'), 'utf8')) as {
  documents: Fixture[];
  foreignVat: Fixture;
};

const all = [...fixtures.documents, fixtures.foreignVat];
let app: AppServer;
beforeAll(async () => {
  const files = new Map<string, ServedFile>();
  for (const { shown } of all) {
    files.set(`/compta/facture/card.php?id=${shown.id}`, { type: 'text/html; charset=UTF-8', body: dolibarrCard(shown) });
    files.set(dolibarrPdfPath(shown.number), { type: 'application/pdf', body: fixturePdf(shown.number) });
  }
  app = await serveApp(files);
});
afterAll(async () => app.close());

const listUrl = new URL(dolibarrListUrl('http://127.0.0.1'));
const listTarget = `${listUrl.pathname}${listUrl.search}`;

// One list page at a time is served: the documents that need the list each get their own server below.
async function fetched(shown: DolibarrCardShown) {
  if (!shown.listed) return dolibarrFetch.fetchDocument(app.url, shown.id, fetch);
  const files = new Map<string, ServedFile>([
    [`/compta/facture/card.php?id=${shown.id}`, { type: 'text/html; charset=UTF-8', body: dolibarrCard(shown) }],
    [dolibarrPdfPath(shown.number), { type: 'application/pdf', body: fixturePdf(shown.number) }],
    [listTarget, { type: 'text/html; charset=UTF-8', body: dolibarrListWith(shown) }],
  ]);
  const own = await serveApp(files);
  try {
    return await dolibarrFetch.fetchDocument(own.url, shown.id, fetch);
  } finally {
    await own.close();
  }
}

const bench = bookingBench((seed) => {
  // The dossier's code for sales taxed in another member state (OSS), which no category names: set by override.
  seed.dossiers = seed.dossiers.map((d) => ({
    ...d,
    vatCodes: [...d.vatCodes, { code: 'OSS', description: 'OSS verkopen / Ventes OSS', type: 2, basePercentage: 0, defaultSellBookingAccountNr: 700000 }],
  }));
});

describe('Dolibarr 20, French locale: booked as the card shows', () => {
  it.each(fixtures.documents.map((f) => [f.case, f] as const))('%s', async (_, { shown, truth }) => {
    const document = await fetched(shown);
    const booked = await bench.book(document);
    expect(booked).toEqual({ ...truth, pdfs: [sha256(fixturePdf(shown.number))] });
  });

  it('a foreign-VAT sale is refused with a clear message until the dossier names its code, then booked on that code', async () => {
    const { shown, truth } = fixtures.foreignVat;
    const document = await fetched(shown);
    const error = (await bench.book(document).catch((e: unknown) => e)) as TransferError;
    expect(error).toBeInstanceOf(TransferError);
    expect(error.text.key).toBe('octopus_error_no_vat_code');
    for (const lang of ['nl', 'fr', 'en'] as const) expect(translatorFor(lang).t(error.text.key, error.text.params)).toMatch(/20/);
    expect(bench.sim.bookings({ source: 'webservice' })).toHaveLength(0);
    const booked = await bench.book(document, { ...SALES_DOSSIER, vatCodeOverrides: { 'S:20': 'OSS' } });
    expect(booked).toEqual({ ...truth, pdfs: [sha256(fixturePdf(shown.number))] });
  });
});
