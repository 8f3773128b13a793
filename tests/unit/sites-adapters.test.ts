import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { APPS_DIR, readTruth, recordedText, startReplay, type ReplayServer } from '../support/replay';
import { html, startFront, type AppFront } from '../support/app-front';
import { dolibarrDom } from '../../lib/sites/dolibarr';
import { dolibarr } from '../../lib/sites/dolibarr.fetch';
import { invoicePlaneDom } from '../../lib/sites/invoiceplane';
import { invoicePlane } from '../../lib/sites/invoiceplane.fetch';
import { queryAll, queryFirst, type RowInfo, type SiteDomAdapter } from '../../lib/sites/types';
import { parseHtml } from '../../lib/sites/html';
import { dec } from '../../lib/money';

/** Truth of one invoice, as tests/fixtures/apps/<set>/truth.json writes it. */
interface TruthInvoice {
  id: number;
  number: string;
  type: 'invoice' | 'credit_note';
  credited_invoice_id: number | null;
  status: string;
  issue_date: string;
  due_date: string | null;
  customer: { name: string; vat_id: string | null; country: string; address: string; zip: string; city: string };
  currency: string;
  totals: { net: string; vat: string; gross: string };
  lines: { description: string; net: string }[];
}
interface Truth {
  invoices: TruthInvoice[];
  pages: Record<string, { kind: string; invoice_ids_in_order?: number[]; invoice_id?: number; filter?: { invoice_ids_in_order: number[] } }>;
}

export function loadPage(set: string, target: string, origin: string): Document {
  const window = new Window({
    url: `${origin}${target}`,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  window.document.write(recordedText(set, target));
  return window.document as unknown as Document;
}

const kindOf = (t: TruthInvoice) => (t.type === 'credit_note' ? 'credit-note' : 'invoice');

function expectRowEqualsTruth(info: RowInfo | undefined, truth: TruthInvoice, options: { dueDate?: boolean } = {}) {
  expect(info, `row of ${truth.number}`).toBeDefined();
  expect(info).toMatchObject({
    documentId: String(truth.id),
    number: truth.number,
    kind: kindOf(truth),
    status: truth.status,
    issueDate: truth.issue_date,
    counterparty: truth.customer.name,
    total: truth.totals.gross,
    sendable: truth.status !== 'draft',
  });
  if (options.dueDate !== false && truth.due_date) expect(info!.dueDate).toBe(truth.due_date);
  if (truth.status === 'draft') expect(info!.notSendableReason).toBe('sites_draft_not_sendable');
}

function countSelectors(adapter: SiteDomAdapter, doc: Document) {
  const rows = queryAll(doc, adapter.selectors.listRow);
  return {
    tables: queryFirst(doc, adapter.selectors.listTable) ? 1 : 0,
    rows: rows.length,
    rowActions: rows.filter((r) => queryFirst(r, adapter.selectors.rowActions)).length,
    headerRows: adapter.selectors.headerRow ? (queryFirst(doc, adapter.selectors.headerRow) ? 1 : 0) : undefined,
  };
}

describe('Dolibarr 20 adapter, page side, on the captured pages', () => {
  const truth = readTruth<Truth>('dolibarr-20');
  const origin = 'http://127.0.0.1:8377';
  const byId = new Map(truth.invoices.map((i) => [i.id, i]));

  for (const target of ['/compta/facture/list.php', '/compta/facture/list.php?leftmenu=customers_bills']) {
    it(`reads every row of ${target} as truth.json has it`, () => {
      const doc = loadPage('dolibarr-20', target, origin);
      expect(dolibarrDom.detect(doc, new URL(`${origin}${target}`))).toBe('list');
      expect(countSelectors(dolibarrDom, doc)).toEqual({ tables: 1, rows: 6, rowActions: 6, headerRows: 1 });
      const table = queryFirst(doc, dolibarrDom.selectors.listTable)!;
      const context = dolibarrDom.listContext!(table, doc);
      expect(context.dateOrder).toBe('mdy');
      expect(context.amountFormat).toEqual({ decimal: '.' });
      const rows = queryAll(doc, dolibarrDom.selectors.listRow).map((r) => dolibarrDom.rowInfo(r, context));
      expect(rows.map((r) => Number(r?.documentId))).toEqual(truth.pages[target]!.invoice_ids_in_order);
      for (const info of rows) expectRowEqualsTruth(info, byId.get(Number(info!.documentId))!);
    });
  }

  it('reads every card (detail page) as truth.json has it; the draft cannot be sent', () => {
    for (const [target, page] of Object.entries(truth.pages)) {
      if (page.kind !== 'detail') continue;
      const doc = loadPage('dolibarr-20', target, origin);
      expect(dolibarrDom.detect(doc, new URL(`${origin}${target}`)), target).toBe('detail');
      expect(queryAll(doc, dolibarrDom.selectors.detailActions)).toHaveLength(1);
      expect(queryAll(doc, dolibarrDom.selectors.detailRoot)).toHaveLength(1);
      const t = byId.get(page.invoice_id!)!;
      // The credit note's card shows no due date (the list does): a quirk of the app.
      expectRowEqualsTruth(dolibarrDom.detailInfo(doc), t, { dueDate: t.type !== 'credit_note' });
    }
  });

  it('does not take other pages', () => {
    const doc = loadPage('dolibarr-20', '/compta/facture/list.php', origin);
    expect(dolibarrDom.detect(doc, new URL(`${origin}/societe/list.php`))).toBeUndefined();
    expect(invoicePlaneDom.detect(doc, new URL(`${origin}/compta/facture/list.php`))).toBeUndefined();
  });
});

describe('InvoicePlane 1.7 adapter, page side, on the captured pages', () => {
  const truth = readTruth<Truth>('invoiceplane-1.7');
  const origin = 'http://127.0.0.1:8378';
  const byId = new Map(truth.invoices.map((i) => [i.id, i]));
  const target = '/index.php/invoices/status/all';

  it('reads every row of the list as truth.json has it', () => {
    const doc = loadPage('invoiceplane-1.7', target, origin);
    expect(invoicePlaneDom.detect(doc, new URL(`${origin}${target}`))).toBe('list');
    expect(countSelectors(invoicePlaneDom, doc)).toEqual({ tables: 1, rows: 6, rowActions: 6, headerRows: 1 });
    const table = queryFirst(doc, invoicePlaneDom.selectors.listTable)!;
    const context = invoicePlaneDom.listContext!(table, doc);
    expect(context.dateOrder).toBe('mdy');
    const rows = queryAll(doc, invoicePlaneDom.selectors.listRow).map((r) => invoicePlaneDom.rowInfo(r, context));
    expect(rows.map((r) => Number(r?.documentId))).toEqual(truth.pages[target]!.invoice_ids_in_order);
    for (const info of rows) {
      expectRowEqualsTruth(info, byId.get(Number(info!.documentId))!);
      expect(info!.currency).toBe('EUR');
    }
  });

  it('reads the AJAX filter answer, ISO dates and all, with its own column formats', () => {
    const doc = loadPage('invoiceplane-1.7', target, origin);
    const fragment = fs.readFileSync(path.join(APPS_DIR, 'invoiceplane-1.7/files/index.php/filter/ajax/filter_invoices%23POST'), 'utf8');
    doc.querySelector('#filter_results')!.innerHTML = fragment;
    const table = queryFirst(doc, invoicePlaneDom.selectors.listTable)!;
    const context = invoicePlaneDom.listContext!(table, doc);
    expect(context.dateOrder).toBe('ymd');
    const rows = queryAll(doc, invoicePlaneDom.selectors.listRow).map((r) => invoicePlaneDom.rowInfo(r, context));
    expect(rows.map((r) => Number(r?.documentId))).toEqual(truth.pages[target]!.filter!.invoice_ids_in_order);
    for (const info of rows) expectRowEqualsTruth(info, byId.get(Number(info!.documentId))!);
  });

  it('reads every view page; the draft cannot be sent', () => {
    for (const [page, info] of Object.entries(truth.pages)) {
      if (info.kind !== 'detail') continue;
      const doc = loadPage('invoiceplane-1.7', page, origin);
      expect(invoicePlaneDom.detect(doc, new URL(`${origin}${page}`)), page).toBe('detail');
      expect(queryAll(doc, invoicePlaneDom.selectors.detailActions).length).toBeGreaterThanOrEqual(1);
      expectRowEqualsTruth(invoicePlaneDom.detailInfo(doc), byId.get(info.invoice_id!)!);
    }
  });
});

describe('worker side: documents fetched from the replayed apps equal truth.json', () => {
  let dolibarrApp: ReplayServer;
  let planeApp: ReplayServer;
  let dolibarrFront: AppFront;
  beforeAll(async () => {
    dolibarrApp = await startReplay('dolibarr-20', 0);
    planeApp = await startReplay('invoiceplane-1.7', 0);
    // The worker reads a credit note's due date from the list (the card hides it), with its own list query.
    dolibarrFront = await startFront(dolibarrApp, (t) => (t.pathname === '/compta/facture/list.php' ? html(recordedText('dolibarr-20', t.pathname)) : undefined));
  });
  afterAll(async () => {
    await dolibarrFront?.close();
    await dolibarrApp?.close();
    await planeApp?.close();
  });

  for (const [set, adapter, app] of [
    ['dolibarr-20', dolibarr, () => ({ url: dolibarrFront.url, misses: dolibarrApp.misses })],
    ['invoiceplane-1.7', invoicePlane, () => planeApp],
  ] as const) {
    it(`${adapter.name}: every validated document, with its PDF; the draft is refused`, async () => {
      const truth = readTruth<Truth>(set);
      const numbers = new Map(truth.invoices.map((i) => [i.id, i.number]));
      for (const t of truth.invoices) {
        if (t.status === 'draft') {
          await expect(adapter.fetchDocument(app().url, String(t.id), fetch)).rejects.toMatchObject({ key: 'sites_draft_not_sendable', retriable: false });
          continue;
        }
        const { invoice } = await adapter.fetchDocument(app().url, String(t.id), fetch);
        expect(invoice.number).toBe(t.number);
        expect(invoice.kind).toBe(kindOf(t));
        expect(invoice.issueDate).toBe(t.issue_date);
        expect(invoice.currency).toBe(t.currency);
        expect(invoice.buyer.name).toBe(t.customer.name);
        expect(invoice.buyer.vatId).toBe(t.customer.vat_id ?? undefined);
        expect(invoice.buyer.address.countryCode).toBe(t.customer.country);
        // Street and number, postcode and city each in their own field, as Octopus keeps them.
        expect({ street: invoice.buyer.address.street, postalCode: invoice.buyer.address.postalCode, city: invoice.buyer.address.city }, t.number).toEqual({
          street: t.customer.address,
          postalCode: t.customer.zip,
          city: t.customer.city,
        });
        expect(invoice.dueDate, `${t.number} due date`).toBe(t.due_date ?? undefined);
        // A credit note's amounts are positive on the credit note; the app shows them negative.
        expect(invoice.totals.payable).toBe(dec(t.totals.gross).abs().toFixed(2));
        expect(invoice.totals.taxExclusive).toBe(dec(t.totals.net).abs().toFixed(2));
        expect(invoice.lines.map((l) => dec(l.netAmount).abs().toFixed(2))).toEqual(t.lines.map((l) => dec(l.net).abs().toFixed(2)));
        if (t.type === 'credit_note') expect(invoice.billingReference?.number).toBe(numbers.get(t.credited_invoice_id!));
        const pdf = invoice.attachments.find((a) => a.mimeType === 'application/pdf');
        expect(pdf, `${t.number} PDF`).toBeDefined();
        expect(Buffer.from(pdf!.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
      }
      expect(app().misses).toEqual([]);
    });
  }

  it('a logged-out answer (any other page) is a clear error, not a document', async () => {
    await expect(dolibarr.fetchDocument(dolibarrApp.url, '99', fetch)).rejects.toMatchObject({ key: 'error_site_http' });
    const login = '<html lang="en"><body><form id="login"><input name="username"></form></body></html>';
    const fake = (async () => new Response(login, { status: 200, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    await expect(dolibarr.fetchDocument('http://127.0.0.1:1', '1', fake)).rejects.toMatchObject({ key: 'sites_error_not_a_document' });
    await expect(invoicePlane.fetchDocument('http://127.0.0.1:1', '1', fake)).rejects.toMatchObject({ key: 'sites_error_not_a_document' });
  });
});

describe('the worker\'s HTML reader (the worker has no DOM) agrees with the DOM on the fixture pages', () => {
  it('finds the same elements for the selectors the worker uses', () => {
    const cases: [string, string, string[]][] = [
      ['dolibarr-20', '/compta/facture/card.php?id=6', ['#tablelines tr[data-id]', 'table.tableforfield td.amountcard', 'div.statusref .badge', 'a.documentdownload[href*="document.php"]', 'td.valuefield.fieldname_type a[href*="card.php?id="]']],
      ['dolibarr-20', '/compta/facture/list.php', ['table.tagtable.liste tr[data-rowid]', 'tr.liste_titre > th', 'tfoot td.right']],
      ['invoiceplane-1.7', '/index.php/invoices/view/1', ['tbody.item', 'tbody.item input[name="item_price"]', '#invoice_form table.text-right td.amount', 'select[name="item_tax_rate_id"] option[selected]', '.client-address span']],
    ];
    for (const [set, target, selectors] of cases) {
      const html = recordedText(set, target);
      const lite = parseHtml(html);
      const dom = loadPage(set, target, 'http://127.0.0.1:8377');
      for (const selector of selectors) {
        const expected = Array.from(dom.querySelectorAll(selector)).map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim());
        expect(expected.length, `${target} ${selector}`).toBeGreaterThan(0);
        expect(lite.querySelectorAll(selector).map((n) => n.textContent.replace(/\s+/g, ' ').trim()), `${target} ${selector}`).toEqual(expected);
      }
    }
  });
});
