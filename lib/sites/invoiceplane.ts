import type { ListContext, ListedStatus, RowInfo, SiteDomAdapter, Walkable } from './types';
import { all, appCells, text, type QueryNode, type QueryRoot } from './query';
import { currencyOf, detectAmountFormat, detectDateOrder, pageLanguage, parseAmount, parseDate, sampleRows } from './locale';
import { sendability } from './dolibarr';

/**
 * InvoicePlane 1.7 (page side). Checked against tests/fixtures/apps/invoiceplane-1.7 (english, m/d/Y, 1,234.56€).
 * The list is the table inside #filter_results, which the navbar filter replaces by AJAX (with ISO dates in the
 * answer: each table gets its own formats). Statuses are read from the label's class (draft, sent, viewed, paid),
 * not its text. The worker side is ./invoiceplane.fetch.ts.
 */

const LIST = 'tests/fixtures/apps/invoiceplane-1.7 /index.php/invoices/status/all (+ filter_invoices fragment)';
const VIEW = 'tests/fixtures/apps/invoiceplane-1.7 /index.php/invoices/view/1..6';

const VIEW_PATH = /\/invoices\/view\/(\d+)\/?$/;

export function invoicePlaneId(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return VIEW_PATH.exec(new URL(href, 'http://x.invalid/').pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** Status from InvoicePlane's label class / status id, refined by the balance (partly paid). */
export function invoicePlaneStatus(code: string, total?: string, balance?: string): ListedStatus {
  if (code === 'draft' || code === '1') return 'draft';
  if (code === 'paid' || code === '4') return 'paid';
  if (code === 'sent' || code === 'viewed' || code === '2' || code === '3') {
    if (total !== undefined && balance !== undefined && balance !== total && Number(balance) !== 0) return 'partially_paid';
    return 'unpaid';
  }
  return 'unknown';
}

function isInvoicePlane(doc: Document): boolean {
  return doc.querySelector('meta[name="csrf_token_name"]')?.getAttribute('content') === '_ip_csrf';
}

/**
 * The list's formats, on the page's DOM or the worker's HTML reader alike (`cellsOf`: a row's own cells). Fixed columns in every
 * language: status, invoice, created, due, client, amount, balance, options.
 */
export function readInvoicePlaneListContext<N extends Walkable<N>>(table: N, cellsOf: (row: N) => readonly QueryNode[], lang: string): ListContext {
  const columns: ListContext['columns'] = { status: 0, number: 1, issueDate: 2, dueDate: 3, counterparty: 4, total: 5 };
  const rows = sampleRows(Array.from(table.querySelectorAll('tbody > tr'))).map(cellsOf);
  const cell = (cells: readonly QueryNode[], i: number) => text(cells[i]);
  return {
    columns,
    dateOrder: detectDateOrder(rows.flatMap((r) => [cell(r, 2), cell(r, 3)]), lang),
    amountFormat: detectAmountFormat(rows.flatMap((r) => [cell(r, 5), cell(r, 6)]), lang),
  };
}

/** One list row (`cells`: its own cells), on the page's DOM or the worker's HTML reader alike. */
export function readInvoicePlaneRow(row: QueryNode, cells: readonly QueryNode[], context?: ListContext): RowInfo | undefined {
  const link = row.querySelector('a[href*="/invoices/view/"]');
  const documentId = invoicePlaneId(link?.getAttribute('href'));
  if (!documentId) return undefined;
  const label = cells[0]?.querySelector('span.label');
  const code = (label?.getAttribute('class') ?? '').split(/\s+/).find((c) => c !== 'label') ?? '';
  const format = context?.amountFormat;
  const total = format ? parseAmount(text(cells[5]), format) : undefined;
  const balance = format ? parseAmount(text(cells[6]), format) : undefined;
  const status = invoicePlaneStatus(code, total, balance);
  const date = (i: number) => (context?.dateOrder ? parseDate(text(cells[i]), context.dateOrder) : undefined);
  const credit = Boolean(cells[0]?.querySelector('.fa-credit-invoice'));
  return {
    documentId,
    number: text(link) || undefined,
    kind: credit ? 'credit-note' : 'invoice',
    status,
    statusLabel: text(label) || undefined,
    issueDate: date(2),
    dueDate: date(3),
    counterparty: text(cells[4]) || undefined,
    total,
    currency: currencyOf(text(cells[5])),
    ...sendability(status),
  };
}

export const invoicePlaneDom: SiteDomAdapter = {
  id: 'invoiceplane',
  name: 'InvoicePlane',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  detect(doc, url) {
    if (!isInvoicePlane(doc)) return undefined;
    if (/\/invoices(\/status\/[a-z_]+|\/index)?\/?$/.test(url.pathname)) return 'list';
    if (VIEW_PATH.test(url.pathname)) return 'detail';
    return undefined;
  },
  selectors: {
    listTable: { variants: ['#filter_results table.table', 'div.table-responsive table.table-hover'], checkedAgainst: LIST },
    listRow: { variants: ['#filter_results table.table > tbody > tr', 'div.table-responsive table.table-hover > tbody > tr'], checkedAgainst: LIST },
    headerRow: { variants: ['thead tr'], checkedAgainst: LIST },
    rowActions: { variants: ['div.options.btn-group', 'td:last-child'], checkedAgainst: LIST },
    detailRoot: { variants: ['#invoice_form', '#content .invoice'], checkedAgainst: VIEW },
    detailActions: { variants: ['#headerbar .headerbar-item.pull-right.btn-group', '#headerbar .headerbar-item'], checkedAgainst: VIEW },
  },
  look: { rowButton: 'btn btn-default btn-sm', detailButton: 'btn btn-sm btn-default' },
  listContext(table, doc) {
    return readInvoicePlaneListContext(table, appCells, pageLanguage(doc));
  },
  rowInfo(row, context) {
    return readInvoicePlaneRow(row, appCells(row), context);
  },
  detailInfo(doc) {
    const view = readViewHeader(doc, new URL(doc.location.href).pathname, pageLanguage(doc));
    if (!view) return undefined;
    return {
      documentId: view.id,
      number: view.number,
      kind: view.credit ? 'credit-note' : 'invoice',
      status: view.status,
      statusLabel: view.statusLabel,
      issueDate: view.issueDate,
      dueDate: view.dueDate,
      counterparty: view.client,
      total: view.total,
      currency: view.currency,
      ...sendability(view.status),
    };
  },
};

export interface ViewHeader {
  id: string;
  number: string;
  status: ListedStatus;
  statusLabel?: string;
  credit: boolean;
  creditedNumber?: string;
  client?: string;
  issueDate?: string;
  dueDate?: string;
  total?: string;
  balance?: string;
  currency?: string;
  /** The totals table's amounts, in order: subtotal, item tax, [invoice taxes], total, paid, balance. */
  amounts: string[];
}

function inputValue(root: QueryRoot, selector: string): string {
  return (root.querySelector(selector)?.getAttribute('value') ?? '').trim();
}

function selectedText(select: QueryNode | null): string {
  return text(select?.querySelector('option[selected]') ?? null);
}

/** The head of an invoice view: works on the page's DOM and on the worker's HTML reader alike. */
export function readViewHeader(root: QueryRoot, pathname: string, lang: string): ViewHeader | undefined {
  const id = VIEW_PATH.exec(pathname)?.[1];
  const number = inputValue(root, '#invoice_number');
  if (!id || !root.querySelector('#invoice_form')) return undefined;
  const amounts = all(root, '#invoice_form table.text-right td.amount').map((n) => text(n));
  const format = detectAmountFormat(
    [...amounts, ...all(root, 'tbody.item span.amount').map((n) => text(n))],
    lang,
  );
  const dates = [inputValue(root, '#invoice_date_created'), inputValue(root, '#invoice_date_due')];
  const order = detectDateOrder(dates, lang);
  const total = format && amounts.length >= 3 ? parseAmount(amounts[amounts.length - 3]!, format) : undefined;
  const balance = format && amounts.length >= 3 ? parseAmount(amounts[amounts.length - 1]!, format) : undefined;
  const statusSelect = root.querySelector('#invoice_status_id');
  const statusCode = statusSelect?.querySelector('option[selected]')?.getAttribute('value') ?? '';
  const alert = root.querySelector('.alert-warning .fa-credit-invoice') ? root.querySelector('.alert-warning') : null;
  const creditedNumber = alert ? text(alert).split(' ').pop() : undefined;
  return {
    id,
    number,
    status: invoicePlaneStatus(statusCode, total, balance),
    statusLabel: selectedText(statusSelect) || undefined,
    credit: Boolean(alert),
    ...(creditedNumber ? { creditedNumber } : {}),
    client: text(root.querySelector('#invoice_form h2 a[href*="/clients/view/"]')) || undefined,
    issueDate: order ? parseDate(dates[0]!, order) : undefined,
    dueDate: order && dates[1] ? parseDate(dates[1], order) : undefined,
    total,
    balance,
    currency: amounts[0] ? currencyOf(amounts[0]) : undefined,
    amounts,
  };
}
