import { useState, type DragEvent } from 'react';
import type { Dossier } from '../lib/model/dossier';
import type { Invoice } from '../lib/model/invoice';
import type { ManualInvoiceForm } from '../lib/adhoc/manual';
import { MANUAL_RATES } from '../lib/adhoc/manual';
import { guessFromPdfText } from '../lib/adhoc/prefill';
import { PdfInflatesTooMuchError, pdfText, type PdfTextSource } from '../lib/adhoc/pdf-text';
import { decodeXmlBytes, extractEmbeddedXml, readInvoiceFile, isPdf } from '../lib/ubl/pdf';
import { hasFatal, checkInvoice } from '../lib/ubl/checks';
import { ask, errorOf } from './ask';
import { t, text, uiLanguage } from './i18n';

/** The largest file the popup takes (the worker refuses larger ones too). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * pdfjs-dist in an extension page: the library and its worker are bundled files of the extension (the page's
 * CSP allows only those), loaded when a PDF is dropped.
 */
async function loadPdfjs(): Promise<PdfTextSource> {
  const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url')]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs as unknown as PdfTextSource;
}

/** A PDF refused for these reasons (too large, a bomb, hostile XML inside) gets the error, not the bare-PDF form. */
const REFUSED_PDF = new Set(['ubl_too_large', 'ubl_pdf_xml_too_large', 'ubl_doctype', 'ubl_xml_entity', 'ubl_xml_not_utf8', 'ubl_xml_encoding_unsupported']);

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

type Dropped =
  | { kind: 'einvoice'; fileName: string; xml: string; pdfBase64?: string; invoice: Invoice; fatal: boolean }
  | { kind: 'bare-pdf'; fileName: string; pdfBase64: string; form: ManualInvoiceForm; found: string[] };

const EMPTY_FORM: ManualInvoiceForm = {
  direction: 'sales',
  kind: 'invoice',
  number: '',
  issueDate: new Date().toISOString().slice(0, 10),
  counterparty: { name: '' },
  netByRate: {},
};

/** For freelancers: drop a UBL, CII or PDF file, choose the dossier, send. */
export function AdHocSend({ dossiers }: { dossiers: Dossier[] }) {
  const [dropped, setDropped] = useState<Dropped>();
  const [dossierId, setDossierId] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const chosen = dossierId || dossiers[0]?.id || '';

  async function take(file: File) {
    setMessage(undefined);
    setDropped(undefined);
    if (file.size > MAX_FILE_BYTES) {
      setMessage({ kind: 'error', text: t.t('adhoc_too_large', [file.name, String(Math.round(file.size / 1024 / 1024))]) });
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const pdf = isPdf(bytes);
    const read = await readInvoiceFile(bytes, file.name);
    if (read.ok) {
      const embedded = pdf ? await extractEmbeddedXml(bytes) : undefined;
      const xml = embedded?.ok ? embedded.xml : decodeXmlBytes(bytes);
      setDropped({
        kind: 'einvoice',
        fileName: file.name,
        xml,
        ...(pdf ? { pdfBase64: toBase64(bytes) } : {}),
        invoice: read.invoice,
        fatal: hasFatal(checkInvoice(read.invoice)),
      });
      return;
    }
    if (pdf && !REFUSED_PDF.has(read.error.text?.key ?? '')) {
      const pdfjs = await loadPdfjs();
      // A PDF without an e-invoice inside: a short form, pre-filled from its text.
      const own = dossiers.map((d) => d.vatNumber).filter((v): v is string => Boolean(v));
      let textOfPdf: string;
      try {
        textOfPdf = await pdfText(bytes, pdfjs);
      } catch (error) {
        if (!(error instanceof PdfInflatesTooMuchError)) throw error;
        setMessage({ kind: 'error', text: t.t('adhoc_pdf_inflates_too_much', [file.name]) });
        return;
      }
      const guess = guessFromPdfText(textOfPdf, { ownVatIds: own, lang: uiLanguage() });
      setDropped({
        kind: 'bare-pdf',
        fileName: file.name,
        pdfBase64: toBase64(bytes),
        form: { ...EMPTY_FORM, ...guess.form, counterparty: { ...EMPTY_FORM.counterparty, ...guess.form.counterparty } },
        found: guess.found,
      });
      return;
    }
    setMessage({ kind: 'error', text: t.t('adhoc_unreadable', [file.name, read.error.text ? text(read.error.text) : read.error.message]) });
  }

  async function send() {
    if (!dropped || !chosen) return;
    setBusy(true);
    const answer = await ask<{ outcome: string; documentNumber: string }>({
      type: 'upload.send',
      dossierId: chosen,
      fileName: dropped.fileName,
      lang: uiLanguage(),
      ...(dropped.kind === 'einvoice' ? { xml: dropped.xml } : { manual: dropped.form }),
      ...(dropped.pdfBase64 ? { pdfBase64: dropped.pdfBase64 } : {}),
    });
    setBusy(false);
    if (answer.ok) {
      setMessage({ kind: 'ok', text: t.t(answer.outcome === 'queued' ? 'adhoc_queued' : 'adhoc_already', [answer.documentNumber]) });
      setDropped(undefined);
    } else setMessage({ kind: 'error', text: errorOf(answer.error) });
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) void take(file);
  };

  const form = dropped?.kind === 'bare-pdf' ? dropped.form : undefined;
  const setForm = (change: Partial<ManualInvoiceForm>) => dropped?.kind === 'bare-pdf' && setDropped({ ...dropped, form: { ...dropped.form, ...change } });

  return (
    <section className="adhoc" data-testid="adhoc">
      <label className="drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        {t.t('adhoc_drop')}
        <input type="file" name="adhoc-file" accept=".xml,.pdf,application/xml,text/xml,application/pdf" className="drop-input" onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared so that choosing the same file again is seen as a new choice.
            e.target.value = '';
            if (file) void take(file);
          }}
        />
      </label>

      {dropped?.kind === 'einvoice' && (
        <p data-testid="adhoc-preview">
          {t.t(dropped.invoice.kind === 'credit-note' ? 'adhoc_preview_credit_note' : 'adhoc_preview_invoice', [
            dropped.invoice.number,
            (dropped.invoice.direction === 'purchase' ? dropped.invoice.seller : dropped.invoice.buyer).name,
            `${dropped.invoice.totals.payable} ${dropped.invoice.currency}`,
          ])}
          {dropped.fatal && <span className="error"> {t.t('adhoc_findings')}</span>}
        </p>
      )}

      {form && (
        <div data-testid="adhoc-form" className="form-grid compact">
          <p className="muted span-all">
            {t.t('adhoc_bare_pdf')}
          </p>
          <select name="adhoc-direction" value={form.direction} onChange={(e) => setForm({ direction: e.target.value as 'sales' | 'purchase' })}>
            <option value="sales">{t.t('options_side_sales')}</option>
            <option value="purchase">{t.t('options_side_purchases')}</option>
          </select>
          <select name="adhoc-kind" value={form.kind} onChange={(e) => setForm({ kind: e.target.value as 'invoice' | 'credit-note' })}>
            <option value="invoice">{t.t('adhoc_kind_invoice')}</option>
            <option value="credit-note">{t.t('adhoc_kind_credit_note')}</option>
          </select>
          <input name="adhoc-number" placeholder={t.t('adhoc_number')} aria-label={t.t('adhoc_number')} value={form.number} onChange={(e) => setForm({ number: e.target.value })} />
          <input name="adhoc-counterparty" placeholder={t.t('adhoc_counterparty')} aria-label={t.t('adhoc_counterparty')} value={form.counterparty.name} onChange={(e) => setForm({ counterparty: { ...form.counterparty, name: e.target.value } })} />
          <input name="adhoc-issue-date" type="date" aria-label={t.t('adhoc_issue_date')} value={form.issueDate} onChange={(e) => setForm({ issueDate: e.target.value })} />
          <input name="adhoc-vat" placeholder={t.t('adhoc_vat')} aria-label={t.t('adhoc_vat')} value={form.counterparty.vatId ?? ''} onChange={(e) => setForm({ counterparty: { ...form.counterparty, vatId: e.target.value || undefined } })} />
          {MANUAL_RATES.map((rate) => (
            <input
              key={rate}
              name={`adhoc-net-${rate}`}
              inputMode="decimal"
              placeholder={t.t('adhoc_net_at', [rate])}
              aria-label={t.t('adhoc_net_at', [rate])}
              value={form.netByRate[rate] ?? ''}
              onChange={(e) => setForm({ netByRate: { ...form.netByRate, [rate]: e.target.value } })}
            />
          ))}
        </div>
      )}

      {dropped && (
        <p className="row">
          <select name="adhoc-dossier" value={chosen} onChange={(e) => setDossierId(e.target.value)} aria-label={t.t('adhoc_dossier')}>
            {dossiers.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <button type="button" className="primary" name="adhoc-send" disabled={busy || !chosen} onClick={() => void send()}>
            {t.t('adhoc_send')}
          </button>
        </p>
      )}
      {dropped && dossiers.length === 0 && <p className="error">{t.t('adhoc_no_dossier')}</p>}
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="adhoc-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
