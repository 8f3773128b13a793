import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { buildManualInvoice, ManualInvoiceError, parseTypedAmount } from '../../lib/adhoc/manual';
import { guessFromPdfText } from '../../lib/adhoc/prefill';
import { pdfText, type PdfTextSource } from '../../lib/adhoc/pdf-text';
import { checkInvoice } from '../../lib/ubl/checks';
import { dossier as dossierSchema } from '../../lib/model/dossier';
import { demoDocuments } from '../sandbox/demo-data';
import { renderInvoicePdf } from '../sandbox/demo-pdf';

const pdfjs = async () => (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfTextSource;
const dossier = dossierSchema.parse({ id: 'd1', name: 'Demo BV', octopusDossierId: 1001, connectionId: 'c1', enterpriseNumber: '0477472701', vatNumber: 'BE0477472701' });

describe('ad-hoc send of a bare PDF', () => {
  it('reads amounts as the user types them in nl, fr or en', () => {
    expect(parseTypedAmount('1.234,50', 'nl')).toBe('1234.50');
    expect(parseTypedAmount('1 234,50 €', 'fr')).toBe('1234.50');
    expect(parseTypedAmount('1,234.50', 'en')).toBe('1234.50');
    expect(parseTypedAmount('1234.5', 'nl')).toBe('1234.50'); // unambiguous in the other form too
    expect(parseTypedAmount('12,34,5', 'nl')).toBeUndefined();
  });

  it('builds a sales invoice with one line per VAT rate, whose totals add up and pass the checks', () => {
    const invoice = buildManualInvoice(
      { direction: 'sales', kind: 'invoice', number: 'F-77', issueDate: '2026-11-20', counterparty: { name: 'Klant NV', vatId: 'BE 0123.456.749' }, netByRate: { '21': '1.000,00', '6': '200' } },
      dossier,
      'nl',
      { fileName: 'F-77.pdf', contentBase64: 'JVBERi0=' },
    );
    expect(invoice.seller.vatId).toBe('BE0477472701');
    expect(invoice.buyer).toMatchObject({ name: 'Klant NV', vatId: 'BE0123456749', enterpriseNumber: '0123456749' });
    expect(invoice.lines.map((l) => [l.vat.rate, l.netAmount])).toEqual([['21', '1000.00'], ['6', '200.00']]);
    expect(invoice.totals).toMatchObject({ taxExclusive: '1200.00', taxTotal: '222.00', payable: '1422.00' });
    expect(invoice.attachments?.[0]?.filename).toBe('F-77.pdf');
    expect(checkInvoice(invoice).filter((f) => f.severity === 'fatal')).toEqual([]);
  });

  it('refuses a form without amounts, with a bad amount or a bad VAT number, saying which', () => {
    const base = { direction: 'purchase', kind: 'invoice', number: 'A1', issueDate: '2026-11-20', counterparty: { name: 'Leverancier' } };
    const error = (form: unknown) => {
      try {
        buildManualInvoice(form, dossier, 'nl');
      } catch (e) {
        return e as ManualInvoiceError;
      }
      throw new Error(`no error for ${JSON.stringify(form)}`);
    };
    expect(error({ ...base, netByRate: {} }).key).toBe('adhoc_no_amounts');
    expect(error({ ...base, netByRate: { '21': 'twaalf' } })).toMatchObject({ key: 'adhoc_amount_invalid', params: ['twaalf'] });
    expect(error({ ...base, counterparty: { name: 'X', vatId: 'nope' }, netByRate: { '21': '1' } }).key).toBe('adhoc_vat_invalid');
    expect(error({ ...base, number: '', netByRate: { '21': '1' } })).toMatchObject({ key: 'adhoc_field_required', params: ['number'] });
  });

  it('pre-fills the form from the text of a real invoice PDF', async () => {
    const doc = demoDocuments.find((d) => d.invoice.kind === 'invoice' && d.invoice.vatBreakdown.length === 1 && d.invoice.vatBreakdown[0]!.category === 'S' && d.invoice.buyer.vatId)!;
    const rate = doc.invoice.vatBreakdown[0]!.rate;
    const bytes = renderInvoicePdf(doc.invoice);
    const text = await pdfText(bytes, await pdfjs());
    const guess = guessFromPdfText(text, { ownVatIds: [doc.invoice.seller.vatId!], lang: 'nl' });
    expect(guess.form).toMatchObject({
      number: doc.invoice.number,
      issueDate: doc.invoice.issueDate,
      direction: 'sales',
      netByRate: { [rate]: doc.invoice.totals.taxExclusive },
    });
    if (doc.invoice.dueDate) expect(guess.form.dueDate).toBe(doc.invoice.dueDate);
    expect(guess.form.counterparty?.vatId).toBe(doc.invoice.buyer.vatId);
    // Completed with the name, the guess makes the same totals as the original.
    const invoice = buildManualInvoice({ kind: 'invoice', ...guess.form, counterparty: { name: doc.invoice.buyer.name, ...guess.form.counterparty } }, dossier, 'nl');
    expect(invoice.totals.payable).toBe(doc.invoice.totals.payable);
  });

  it('recognises a credit note and guesses nothing from text without facts', () => {
    expect(guessFromPdfText('Creditnota CN-2026-0002 van 03/11/2026').form).toMatchObject({ kind: 'credit-note', number: 'CN-2026-0002', issueDate: '2026-11-03' });
    expect(guessFromPdfText('Bedankt voor uw bestelling').found).toEqual([]);
  });
});

describe('ad-hoc upload in the worker', () => {
  it('keeps a dropped UBL once per content and gives it to the engine as a document', async () => {
    const { LedgerDb } = await import('../../lib/ledger/db');
    const { prepareUpload, uploadFetcher } = await import('../../lib/adhoc/upload');
    const { writeUbl } = await import('../../lib/ubl/write');
    const db = new LedgerDb(`adhoc-${Math.random()}`);
    await db.dossiers.put(dossier);
    const doc = demoDocuments[0]!;
    const xml = writeUbl(doc.invoice);
    const first = await prepareUpload(db, { dossierId: 'd1', fileName: 'a.xml', lang: 'nl', xml }, new Date());
    const again = await prepareUpload(db, { dossierId: 'd1', fileName: 'copy.xml', lang: 'nl', xml }, new Date());
    expect(first.ok && again.ok && first.row.id === again.row.id).toBe(true);
    if (!first.ok) return;
    expect(first.documentNumber).toBe(doc.invoice.number);
    await db.uploads.put(first.row);
    const fetched = await uploadFetcher(db).fetchDocument('', first.row.id, fetch);
    expect(fetched.invoice.totals.payable).toBe(doc.invoice.totals.payable);
    expect(fetched.sourceXml).toBe(xml);

    const bad = await prepareUpload(db, { dossierId: 'd1', fileName: 'x.xml', lang: 'fr', xml: '<Invoice>' }, new Date());
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', text: { key: 'adhoc_unreadable' } } });
    const manual = await prepareUpload(db, { dossierId: 'd1', fileName: 'scan.pdf', lang: 'nl', manual: { direction: 'purchase', kind: 'invoice', number: 'L-1', issueDate: '2026-11-02', counterparty: { name: 'Leverancier' }, netByRate: { '21': '100' } }, pdfBase64: 'JVBERi0=' }, new Date());
    expect(manual.ok).toBe(true);
    if (manual.ok) {
      await db.uploads.put(manual.row);
      const built = await uploadFetcher(db).fetchDocument('', manual.row.id, fetch);
      expect(built.invoice).toMatchObject({ direction: 'purchase', number: 'L-1', totals: { payable: '121.00' } });
      expect(built.invoice.attachments?.map((a) => a.filename)).toEqual(['scan.pdf']);
    }
    await expect(uploadFetcher(db).fetchDocument('', 'gone', fetch)).rejects.toMatchObject({ key: 'error_upload_missing' });
    db.close();
  });
});
