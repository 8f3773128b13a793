/**
 * Correctness on InvoicePlane 1.7 documents the recorded app never held: each view page and ZUGFeRD 1.0 XML is
 * fetched by the worker's InvoicePlane adapter from a server on 127.0.0.1, booked into the Octopus simulator, and what
 * Octopus received is compared field by field with what the page shows (tests/fixtures/correctness).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePlaneFetch } from '../../lib/sites/invoiceplane.fetch';
import { bookingBench, fixturePdf, serveApp, sha256, type AppServer, type ServedFile, type Truth } from '../support/correctness';
import { invoicePlaneView, invoicePlaneXml, type InvoicePlaneViewShown, type InvoicePlaneXmlFacts } from '../support/correctness-invoiceplane';

interface Fixture {
  case: string;
  shown: InvoicePlaneViewShown;
  xml: InvoicePlaneXmlFacts;
  truth: Omit<Truth, 'pdfs'>;
}
const fixtures = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/correctness/invoiceplane.json'), 'utf8')) as { documents: Fixture[] };

let app: AppServer;
beforeAll(async () => {
  const files = new Map<string, ServedFile>();
  for (const { shown, xml } of fixtures.documents) {
    files.set(`/index.php/invoices/view/${shown.id}`, { type: 'text/html; charset=UTF-8', body: invoicePlaneView(shown) });
    files.set(`/index.php/invoices/generate_xml/${shown.id}`, { type: 'text/xml; charset=UTF-8', body: invoicePlaneXml(shown, xml) });
    files.set(`/index.php/invoices/generate_pdf/${shown.id}`, {
      type: 'application/pdf',
      body: fixturePdf(shown.number),
      headers: { 'content-disposition': `inline; filename="Invoice_${shown.number}.pdf"` },
    });
  }
  app = await serveApp(files);
});
afterAll(async () => app.close());

const bench = bookingBench();

describe('InvoicePlane 1.7: booked as the page shows', () => {
  it.each(fixtures.documents.map((f) => [f.case, f] as const))('%s', async (_, { shown, truth }) => {
    const document = await invoicePlaneFetch.fetchDocument(app.url, shown.id, fetch);
    // The app's XML is the document unless the page contradicts it (a credit invoice written as 380).
    expect(document.sourceXml !== undefined).toBe(!shown.creditFor);
    const booked = await bench.book(document);
    expect(booked).toEqual({ ...truth, pdfs: [sha256(fixturePdf(shown.number))] });
  });
});
