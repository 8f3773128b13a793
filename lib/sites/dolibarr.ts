import type { ListContext, ListedStatus, RowInfo, SiteDomAdapter, Walkable } from './types';
import { queryFirst } from './types';
import { all, appCells, hrefParam, text, type QueryNode, type QueryRoot } from './query';
import { detectAmountFormat, detectDateOrder, pageLanguage, parseAmount, parseDate, type AmountFormat, type DateOrder, sampleRows } from './locale';

/**
 * Dolibarr ERP/CRM, customer invoices (page side). Checked against tests/fixtures/apps/dolibarr-20 (Dolibarr 20.0.2,
 * en_US). Columns are found by their sort field (`sortfield=f.datef`…), which Dolibarr writes the same in every
 * language; the document type by its picto (`fa-file-excel` is the credit note's); the status by its badge class
 * (`badge-status0` draft … `badge-status6` paid), so nothing depends on the user's language.
 * The worker side is ./dolibarr.fetch.ts.
 */

const LIST = 'tests/fixtures/apps/dolibarr-20 /compta/facture/list.php';
const CARD = 'tests/fixtures/apps/dolibarr-20 /compta/facture/card.php?id=1..6';

/** Dolibarr's badge classes of an invoice status (Facture::LibStatut). */
export function dolibarrStatus(badge: QueryNode | null): ListedStatus {
  const cls = badge?.getAttribute('class') ?? '';
  const n = /badge-status(\d+)/.exec(cls)?.[1];
  switch (n) {
    case '0':
      return 'draft';
    case '1':
      return 'unpaid';
    case '3':
      return 'partially_paid';
    case '4':
    case '6':
      return 'paid';
    case '5':
    case '8':
    case '9':
      return 'abandoned';
    default:
      return 'unknown';
  }
}

export function sendability(status: ListedStatus): Pick<RowInfo, 'sendable' | 'notSendableReason'> {
  if (status === 'draft') return { sendable: false, notSendableReason: 'sites_draft_not_sendable' };
  if (status === 'abandoned') return { sendable: false, notSendableReason: 'sites_abandoned_not_sendable' };
  return { sendable: true };
}

const SORT_FIELDS: Record<string, keyof ListContext['columns']> = {
  'f.ref': 'number',
  'f.datef': 'issueDate',
  'f.date_lim_reglement': 'dueDate',
  's.nom': 'counterparty',
  'f.total_ttc': 'total',
  'f.fk_statut,f.paye,f.type': 'status',
  'f.fk_statut': 'status',
};

function isDolibarr(doc: Document): boolean {
  return /dolibarr/i.test(doc.querySelector('meta[name="author"]')?.getAttribute('content') ?? '');
}

/** The date format Dolibarr's own date pickers use on this page ("MM/dd/yyyy"), when the page has one. */
export function dolibarrDateOrder(html: string): DateOrder | undefined {
  const format = /dpChangeDay\('[^']*',\s*'([^']+)'\)/.exec(html)?.[1]?.toLowerCase();
  if (!format) return undefined;
  if (/^y/.test(format)) return 'ymd';
  return format.indexOf('m') < format.indexOf('d') ? 'mdy' : 'dmy';
}

/** The date inputs carry their format in their change handler, cheaper to read than the page's source. */
function pickerFormat(doc: QueryRoot): string {
  return doc.querySelector('[onchange*="dpChangeDay"]')?.getAttribute('onchange') ?? '';
}

/** The page's facts the list context needs, from either tree. */
export interface DolibarrPage {
  lang: string;
  /** The change handler of a date picker (its format), or '' when the page has none. */
  pickerFormat: string;
}

/** Either tree: the DOM's documentElement is its <html>, which the worker's HTML reader also has. */
export function dolibarrPage(root: QueryRoot): DolibarrPage {
  return { lang: pageLanguage({ documentElement: root.querySelector('html') }), pickerFormat: pickerFormat(root) };
}

/**
 * The list's columns (by their sort field) and formats (from its cells, sampled: ./locale.ts sampleRows), on the page's DOM or the worker's HTML reader alike:
 * `cellsOf` gives a row's own cells (in the page, without the overlay's).
 */
export function readDolibarrListContext<N extends Walkable<N>>(table: N, cellsOf: (row: N) => readonly QueryNode[], page: DolibarrPage): ListContext {
  const columns: ListContext['columns'] = {};
  const header = table.querySelector('tr.liste_titre');
  (header ? cellsOf(header) : []).forEach((cell, index) => {
    const sort = hrefParam(cell.querySelector('a[href*="sortfield="]')?.getAttribute('href'), 'sortfield');
    const field = sort ? SORT_FIELDS[sort] : undefined;
    if (field && columns[field] === undefined) columns[field] = index;
  });
  const rows = sampleRows(Array.from(table.querySelectorAll('tr[data-rowid]'))).map(cellsOf);
  const cell = (cells: readonly QueryNode[], i: number | undefined) => (i === undefined ? '' : text(cells[i]));
  const dateSamples = rows.flatMap((r) => [cell(r, columns.issueDate), cell(r, columns.dueDate)]);
  const amountSamples = rows.map((r) => cell(r, columns.total));
  for (const footer of Array.from(table.querySelectorAll('tr.liste_total td.right'))) amountSamples.push(text(footer));
  return {
    columns,
    dateOrder: dolibarrDateOrder(page.pickerFormat) ?? detectDateOrder(dateSamples, page.lang),
    amountFormat: detectAmountFormat(amountSamples, page.lang),
  };
}

/** One list row (`cells`: its own cells), on the page's DOM or the worker's HTML reader alike. */
export function readDolibarrRow(row: QueryNode, cells: readonly QueryNode[], context?: ListContext): RowInfo | undefined {
  const documentId = row.getAttribute('data-rowid');
  if (!documentId || !/^\d+$/.test(documentId)) return undefined;
  const cols = context?.columns ?? {};
  const at = (i: number | undefined) => (i === undefined ? undefined : cells[i]);
  const refCell = at(cols.number) ?? row;
  const link = refCell.querySelector('a[href*="card.php?id="]');
  const number = text(link) || undefined;
  const statusBadge = at(cols.status)?.querySelector('.badge') ?? row.querySelector('.badge-status');
  const status = dolibarrStatus(statusBadge ?? null);
  const total = context?.amountFormat ? parseAmount(text(at(cols.total)), context.amountFormat) : undefined;
  const date = (i: number | undefined) => (context?.dateOrder ? parseDate(text(at(i)), context.dateOrder) : undefined);
  const credit = Boolean(refCell.querySelector('.fa-file-excel')) || Boolean(total?.startsWith('-'));
  return {
    documentId,
    number,
    kind: credit ? 'credit-note' : 'invoice',
    status,
    statusLabel: text(statusBadge ?? null) || undefined,
    issueDate: date(cols.issueDate),
    dueDate: date(cols.dueDate),
    counterparty: text(at(cols.counterparty)) || undefined,
    total,
    ...sendability(status),
  };
}

/** Pages of Dolibarr the base is cut from (the app's root may be /, /dolibarr, /dolibarr/htdocs…). */
const PAGE_SUFFIX = /\/(?:compta\/facture\/[^/]*|index\.php|document\.php)$/;

/**
 * Dolibarr's base (origin + install path) from a page URL or from a base given as is: "https://host/dolibarr" from
 * https://host/dolibarr/compta/facture/list.php?page=2, "https://host" from https://host/compta/facture/card.php.
 */
export function dolibarrBase(url: string | URL): string {
  const parsed = new URL(String(url));
  const path = parsed.pathname.replace(PAGE_SUFFIX, '').replace(/\/+$/, '');
  return `${parsed.origin}${path}`;
}

export const dolibarrDom: SiteDomAdapter = {
  id: 'dolibarr',
  name: 'Dolibarr',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  detect(doc, url) {
    if (!isDolibarr(doc)) return undefined;
    if (url.pathname.endsWith('/compta/facture/list.php')) return 'list';
    if (url.pathname.endsWith('/compta/facture/card.php') && doc.querySelector('div.tabsAction') && !url.searchParams.get('action')) return 'detail';
    return undefined;
  },
  selectors: {
    listTable: { variants: ['table.tagtable.liste', 'table.liste'], checkedAgainst: LIST },
    listRow: { variants: ['table.tagtable.liste tr[data-rowid]', 'table.liste tr.oddeven[data-rowid]'], checkedAgainst: LIST },
    headerRow: { variants: ['tr.liste_titre'], checkedAgainst: LIST },
    // The ref cell holds the app's own per-document actions (the download and preview menu).
    rowActions: { variants: ['td.nowraponall table.nobordernopadding td.nobordernopadding', 'td.nowraponall'], checkedAgainst: LIST },
    detailRoot: { variants: ['div.fiche div.arearef', 'div.arearef'], checkedAgainst: CARD },
    detailActions: { variants: ['div.tabsAction'], checkedAgainst: CARD },
  },
  look: { rowButton: 'button smallpaddingimp', detailButton: 'butAction' },
  listContext(table, doc) {
    return readDolibarrListContext(table, appCells, dolibarrPage(doc));
  },
  rowInfo(row, context) {
    return readDolibarrRow(row, appCells(row), context);
  },
  siteBase: (url) => dolibarrBase(url),
  detailInfo(doc) {
    if (!queryFirst(doc, dolibarrDom.selectors.detailRoot)) return undefined;
    const card = readCardHeader(doc, new URL(doc.location.href).searchParams.get('id') ?? undefined);
    if (!card) return undefined;
    const format = detectAmountFormat(card.amounts, pageLanguage(doc));
    const order = dolibarrDateOrder(pickerFormat(doc)) ?? detectDateOrder(card.dates, pageLanguage(doc));
    const gross = format && card.amounts[2] ? parseAmount(card.amounts[2], format) : undefined;
    return {
      documentId: card.id,
      number: card.number,
      kind: card.credit || gross?.startsWith('-') ? 'credit-note' : 'invoice',
      status: card.status,
      statusLabel: card.statusLabel,
      issueDate: order && card.dates[0] ? parseDate(card.dates[0], order) : undefined,
      dueDate: order && card.dates[1] ? parseDate(card.dates[1], order) : undefined,
      counterparty: card.customer,
      total: gross,
      currency: card.amounts[2]?.includes('€') ? 'EUR' : undefined,
      ...sendability(card.status),
    };
  },
};

export interface CardHeader {
  id: string;
  number: string;
  status: ListedStatus;
  statusLabel?: string;
  credit: boolean;
  creditedNumber?: string;
  customer?: string;
  customerTooltip?: string;
  dates: string[];
  /** Net, VAT, gross as shown ("-250.00 €"). */
  amounts: string[];
}

/** The head of an invoice card: works on the page's DOM and on the worker's HTML reader alike. */
export function readCardHeader(root: QueryRoot, urlId?: string): CardHeader | undefined {
  const id = urlId ?? hrefParam(root.querySelector('a#compta')?.getAttribute('href'), 'id');
  const refid = root.querySelector('div.refid');
  if (!id || !/^\d+$/.test(id) || !refid) return undefined;
  // The ref is the banner's own text, before the customer block (div.refidno) inside it.
  const full = text(refid);
  const sub = text(refid.querySelector('div.refidno'));
  const number = (sub && full.endsWith(sub) ? full.slice(0, full.length - sub.length) : full).trim();
  const badge = root.querySelector('div.statusref .badge');
  const typeCell = root.querySelector('td.fieldname_type.valuefield') ?? root.querySelector('td.valuefield.fieldname_type');
  // Dolibarr keeps credit notes negative; the type badge says it too, in the user's language.
  const typeBadge = text(typeCell?.querySelector('span.badgeneutral'));
  const amounts = all(root, 'table.tableforfield td.amountcard').map((n) => text(n));
  const credit = /^(credit note|avoir|creditnota|gutschrift)$/i.test(typeBadge) || /^[-\u2212]/.test(amounts[2] ?? '');
  // A credit note links the invoice it corrects; an invoice links its credit notes (not a billing reference).
  const creditedLink = credit ? typeCell?.querySelector('a[href*="card.php?id="]') : undefined;
  const customerLink = refid.querySelector('a.refurl[href*="socid="]') ?? root.querySelector('a[href*="/comm/card.php?socid="]');
  return {
    id,
    number,
    status: dolibarrStatus(badge),
    statusLabel: text(badge) || undefined,
    credit,
    creditedNumber: creditedLink ? text(creditedLink) || undefined : undefined,
    customer: text(customerLink) || undefined,
    customerTooltip: customerLink?.getAttribute('title') ?? undefined,
    dates: all(root, 'table.tableforfield span.valuedate').map((n) => text(n)),
    amounts,
  };
}

export type { AmountFormat };
