/**
 * Correctness on the demo app (FactuurDemo, tests/sandbox): every validated document it lists is fetched by its
 * adapter as the app's UBL (PDF embedded), booked into the Octopus simulator, and what Octopus received is compared
 * field by field with the app's own record of the document. The mapping from the app's record to Octopus's fields
 * is written out here by hand (the dossier's VAT codes per category and rate), not taken from the product.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factuurDemo } from '../../lib/sites/factuurdemo';
import { dec, toFixed } from '../../lib/money';
import { startDemoSite, pdfOf, type DemoSite } from '../sandbox/demo-site';
import { demoDocuments, type DemoDocument } from '../sandbox/demo-data';
import { bookingBench, sha256, type Truth } from '../support/correctness';

/** The simulator dossier's sales VAT codes (tests/sandbox/octopus-sim.ts), by category and rate. */
const CODE: Record<string, string> = { 'S:21': '21', 'S:12': '12', 'S:6': '06', 'Z:0': '00', 'K:0': 'ICL', 'G:0': 'EXP', 'E:0': 'VRY', 'AE:0': 'MC', 'O:0': 'NO' };

function truthOf(doc: DemoDocument): Truth {
  const inv = doc.invoice;
  const credit = inv.kind === 'credit-note';
  const vat: Truth['vat'] = {};
  for (const b of inv.vatBreakdown) {
    const code = CODE[`${b.category}:${dec(b.rate ?? '0').toString()}`]!;
    const sum = vat[code] ?? { base: '0.00', vat: '0.00' };
    vat[code] = { base: toFixed(dec(sum.base).plus(b.taxableAmount)), vat: toFixed(dec(sum.vat).plus(b.taxAmount)) };
  }
  const a = inv.buyer.address;
  const street = [a.street, a.additionalStreet].filter(Boolean).join(' ');
  return {
    journal: credit ? 'V2' : 'V1',
    comment: `${inv.number} ${inv.buyer.name}`.slice(0, 100),
    // The app's structured communication (+++…+++) is what a bank statement will carry; else the number.
    reference: inv.paymentMeans?.paymentId ?? inv.number,
    documentDate: inv.issueDate,
    expiryDate: inv.dueDate ?? inv.issueDate,
    bookyear: Number(inv.issueDate.slice(0, 4)) - 2024,
    period: Number(inv.issueDate.slice(0, 7).replace('-', '')),
    // The booking is the document's total with VAT (an advance paid does not change what was invoiced).
    amount: toFixed(credit ? dec(inv.totals.taxInclusive).neg() : dec(inv.totals.taxInclusive)),
    relation: {
      name: inv.buyer.name,
      ...(street ? { streetAndNr: street } : {}),
      ...(a.postalCode ? { postalCode: a.postalCode } : {}),
      ...(a.city ? { city: a.city } : {}),
      country: a.countryCode,
      ...(inv.buyer.vatId ? { vatNr: inv.buyer.vatId } : inv.buyer.enterpriseNumber && a.countryCode === 'BE' ? { vatNr: `BE${inv.buyer.enterpriseNumber}` } : {}),
    },
    accounts: [700000],
    vat,
    pdfs: [sha256(pdfOf(doc))],
  };
}

let site: DemoSite;
beforeAll(async () => {
  site = await startDemoSite({ port: 0 });
});
afterAll(async () => site.close());

const bench = bookingBench();
const validated = demoDocuments.filter((d) => d.status !== 'draft' && d.status !== 'cancelled');

describe('FactuurDemo: each validated document booked as the app holds it', () => {
  it('covers invoices and credit notes, several rates and an intra-Community supply', () => {
    const keys = new Set(validated.flatMap((d) => d.invoice.vatBreakdown.map((b) => `${b.category}:${dec(b.rate ?? '0').toString()}`)));
    expect([...keys].sort()).toEqual(expect.arrayContaining(['K:0', 'S:12', 'S:21', 'S:6']));
    expect(validated.some((d) => d.invoice.kind === 'credit-note')).toBe(true);
  });

  it.each(validated.map((d) => [d.id, d] as const))('%s', async (_, doc) => {
    const booked = await bench.book(await factuurDemo.fetchDocument(site.url, doc.id, fetch));
    expect(booked).toEqual(truthOf(doc));
  });
});
