import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { Overlay, type OverlayPort } from '../../lib/overlay/overlay';
import { invoicePlaneDom } from '../../lib/sites/invoiceplane';
import { dolibarrDom } from '../../lib/sites/dolibarr';
import { createGenericDom, downloadId, pathOfDownloadId } from '../../lib/sites/generic';
import { translatorFor } from '../../lib/i18n';
import { APPS_DIR, recordedText } from '../support/replay';
import type { DocumentStatus } from '../../lib/messaging/protocol';
import { control } from '../support/closed';

function page(html: string, url: string): { doc: Document; window: Window } {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  window.document.write(html);
  return { doc: window.document as unknown as Document, window };
}

function fakePort() {
  const missing: string[] = [];
  const asked: string[][] = [];
  const port: OverlayPort = {
    async send(documents) {
      return documents.map((d) => ({ documentId: d.id, outcome: 'queued' }));
    },
    async resend() {},
    async status(ids): Promise<DocumentStatus[]> {
      asked.push(ids);
      return [];
    },
    onStatus() {},
    reportMissing: (what) => missing.push(what),
  };
  return { port, missing, asked };
}

const settle = (window: Window) => window.happyDOM.waitUntilComplete().then(() => new Promise((r) => setTimeout(r, 20)));

describe('the shared overlay on the captured apps', () => {
  it('decorates InvoicePlane once, and the AJAX-replaced table once more, never twice', async () => {
    const { doc, window } = page(recordedText('invoiceplane-1.7', '/index.php/invoices/status/all'), 'http://127.0.0.1:8378/index.php/invoices/status/all');
    const { port, asked } = fakePort();
    const overlay = new Overlay(doc, invoicePlaneDom, port, translatorFor('nl'));
    overlay.start();
    overlay.scan();
    overlay.scan();
    expect(doc.querySelectorAll('.octobridge-send')).toHaveLength(6);
    expect(doc.querySelectorAll('th.octobridge-col-status')).toHaveLength(1);
    expect(control(doc, '.octobridge-send').textContent).toBe('Naar Octopus');
    // The app's own button classes, inside the closed root with the page's sheets linked in.
    expect(control(doc, '.octobridge-send').className).toContain('btn btn-default btn-sm octobridge-native');
    const fragment = fs.readFileSync(path.join(APPS_DIR, 'invoiceplane-1.7/files/index.php/filter/ajax/filter_invoices%23POST'), 'utf8');
    doc.querySelector('#filter_results')!.innerHTML = fragment;
    await settle(window);
    overlay.scan();
    expect(doc.querySelectorAll('.octobridge-send')).toHaveLength(2);
    expect(doc.querySelectorAll('th.octobridge-col-status')).toHaveLength(1);
    expect(doc.querySelectorAll('.octobridge-bulk')).toHaveLength(1);
    expect(asked.flat().sort()).toEqual(['1', '1', '2', '3', '4', '4', '5', '6']);
    await window.happyDOM.close();
  });

  it('reports a selector that stopped matching once, and does not throw', async () => {
    const html = recordedText('dolibarr-20', '/compta/facture/list.php').replace(/class="tagtable nobottomiftotal liste listwithfilterbefore"/, 'class="renamed"');
    const { doc, window } = page(html, 'http://127.0.0.1:8377/compta/facture/list.php');
    const { port, missing } = fakePort();
    const overlay = new Overlay(doc, dolibarrDom, port, translatorFor('en'));
    expect(() => {
      overlay.start();
      overlay.scan();
      overlay.scan();
    }).not.toThrow();
    expect(missing).toEqual(['listTable']);
    const throwing = { ...dolibarrDom, detect: () => { throw new Error('boom'); } };
    const second = fakePort();
    expect(() => new Overlay(doc, throwing, second.port, translatorFor('en')).scan()).not.toThrow();
    expect(second.missing).toEqual(['error: boom']);
    await window.happyDOM.close();
  });
});

describe('the generic adapter', () => {
  const table = (lang: string, headers: string[], rows: string[][]) =>
    `<html lang="${lang}"><body><table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
      .join('')}</tbody></table></body></html>`;

  it('finds invoice tables by their headers in en, nl, fr and de, and is confident only with e-invoice links', () => {
    const cases: [string, string[]][] = [
      ['en', ['Invoice', 'Date', 'Customer', 'Amount', 'Status', '']],
      ['nl', ['Factuurnummer', 'Factuurdatum', 'Klant', 'Bedrag', 'Status', '']],
      ['fr', ['Numéro', 'Date de facture', 'Client', 'Montant', 'Statut', '']],
      ['de', ['Rechnungsnummer', 'Rechnungsdatum', 'Kunde', 'Betrag', 'Status', '']],
    ];
    for (const [lang, headers] of cases) {
      const dec = lang === 'en' ? '1,234.50' : '1.234,50';
      const rows = [
        ['F-1', '13/01/2026', 'Acme', `${dec} €`, 'Paid', '<a href="/x/1/ubl">UBL</a> <a href="/x/1.pdf">PDF</a>'],
        ['F-2', '02/01/2026', 'Beta', lang === 'en' ? '-99.00' : '-99,00', 'Draft', '<a href="/x/2/ubl">UBL</a>'],
      ];
      const { doc } = page(table(lang, headers, rows), 'https://app.example.test/invoices');
      const generic = createGenericDom();
      expect(generic.detect(doc, new URL('https://app.example.test/invoices')), lang).toBe('list');
      const tableEl = doc.querySelector('table[data-octobridge-table]')!;
      const context = generic.listContext!(tableEl, doc);
      const [first, second] = Array.from(tableEl.querySelectorAll('tbody tr')).map((r) => generic.rowInfo(r, context)!);
      expect(first).toMatchObject({ number: 'F-1', issueDate: '2026-01-13', counterparty: 'Acme', total: '1234.50', sendable: true, kind: 'invoice' });
      expect(pathOfDownloadId(first!.documentId)).toBe('/x/1/ubl');
      expect(second).toMatchObject({ number: 'F-2', issueDate: '2026-01-02', kind: 'credit-note', sendable: false });
      // Without e-invoice links it offers nothing.
      const pdfOnly = page(table(lang, headers, rows.map((r) => [...r.slice(0, 5), '<a href="/x/1.pdf">PDF</a>'])), 'https://app.example.test/invoices');
      expect(createGenericDom().detect(pdfOnly.doc, new URL('https://app.example.test/invoices'))).toBeUndefined();
    }
  });

  it('uses a taught mapping where the headers say nothing, and keeps ids to same-origin paths', () => {
    const html = table('nl-be', ['A', 'B', 'C', 'D', 'E'], [['2026/7', '05-03-2026', 'Gamma', '12,00', '<a href="/dl?id=7">get</a>']]);
    const { doc } = page(html, 'https://app.example.test/list');
    expect(createGenericDom().detect(doc, new URL('https://app.example.test/list'))).toBeUndefined();
    const taught = createGenericDom({ headerSignature: 'a|b|c|d|e', columns: { number: 0, issueDate: 1, counterparty: 2, total: 3, download: 4 }, taughtAt: '2026-01-01T00:00:00Z' });
    // A taught download column is trusted even when the link does not say "UBL" (the worker checks the file).
    expect(taught.detect(doc, new URL('https://app.example.test/list'))).toBe('list');
    const tableEl = doc.querySelector('table[data-octobridge-table]')!;
    const row = taught.rowInfo(tableEl.querySelector('tbody tr')!, taught.listContext!(tableEl, doc))!;
    expect(row).toMatchObject({ number: '2026/7', issueDate: '2026-03-05', counterparty: 'Gamma', total: '12.00' });
    expect(pathOfDownloadId(row.documentId)).toBe('/dl?id=7');
    expect(downloadId('https://elsewhere.test/x.xml', 'https://app.example.test/list')).toBeUndefined();
    expect(pathOfDownloadId('u' + Buffer.from('//evil.test/x').toString('base64url'))).toBeUndefined();
  });
});
