import type { ListContext, SiteDomAdapter } from './types';
import { appCells, text } from './query';
import { currencyOf, detectAmountFormat, detectDateOrder, pageLanguage, parseAmount, parseDate, sampleRows } from './locale';

/**
 * The generic adapter, for apps without their own (eFactori, Billit, ButtonsforCleaners until theirs are checked
 * against their real pages). It finds an invoice table by its header words in en, nl, fr and de and by links to
 * UBL or CII downloads in its rows, and offers "Send to Octopus" only when it is confident: a number column,
 * a date or amount column, and an e-invoice link in the row. A user can teach it a table instead (TeachMapping),
 * which is kept per site. Selected elements are marked (data-octobridge-table / -header) so the shared overlay's
 * selectors find them.
 */

export type TeachField = 'number' | 'issueDate' | 'counterparty' | 'total' | 'download';
export const TEACH_FIELDS: readonly TeachField[] = ['number', 'issueDate', 'counterparty', 'total', 'download'];

/** What the user taught for one site: the table (by its header texts) and the column of each field. */
export interface TeachMapping {
  /** Header texts of the table, joined with "|", to find it again. */
  headerSignature: string;
  columns: Record<TeachField, number>;
  taughtAt: string;
}

const HEADER_WORDS: Record<'number' | 'issueDate' | 'dueDate' | 'counterparty' | 'total' | 'status', RegExp> = {
  number: /^(invoice|invoice (no\.?|number|#)|number|no\.?|nr\.?|#|ref\.?|reference|factuur|factuurnummer|factuurnr\.?|nummer|numéro|n°|facture|n° de facture|rechnung|rechnungsnummer|rechnungs-?nr\.?|belegnummer)$/,
  issueDate: /^(date|invoice date|issue date|issued|created|datum|factuurdatum|uitgiftedatum|date de facture|date d'émission|rechnungsdatum|belegdatum)$/,
  dueDate: /^(due|due date|vervaldatum|vervaldag|échéance|date d'échéance|fällig|fälligkeit|fälligkeitsdatum)$/,
  counterparty: /^(customer|client|company|name|client name|customer name|third-party|klant|klantnaam|relatie|debiteur|bedrijf|société|tiers|nom|kunde|kundenname|firma)$/,
  total: /^(amount|total|total amount|amount incl\.? (vat|tax)|total incl\.? (vat|tax)|totaal|bedrag|totaalbedrag|totaal incl\.? btw|montant|total ttc|montant ttc|betrag|summe|gesamt|gesamtbetrag|brutto)$/,
  status: /^(status|statut|état|toestand|zustand)$/,
};

const EINVOICE_LINK = /\b(ubl|cii|xml|peppol|e-?invoice|e-?factuur|e-?facture|e-?rechnung|factur-?x|zugferd|xrechnung)\b/i;
const PDF_LINK = /\.pdf\b|\bpdf\b/i;

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s\u00a0]+/g, ' ').replace(/[:*]$/, '').trim();
}

function headerRowOf(table: Element): Element | undefined {
  return table.querySelector('thead tr') ?? Array.from(table.querySelectorAll('tr')).find((r) => r.querySelector('th')) ?? undefined;
}

export function headerSignature(table: Element): string {
  const row = headerRowOf(table);
  return row ? appCells(row).map((c) => norm(text(c))).join('|') : '';
}

/** Columns recognised by their header words. */
export function columnsByHeader(table: Element): ListContext['columns'] {
  const columns: ListContext['columns'] = {};
  const row = headerRowOf(table);
  if (!row) return columns;
  appCells(row).forEach((cell, index) => {
    const label = norm(text(cell));
    for (const [field, words] of Object.entries(HEADER_WORDS) as [keyof typeof HEADER_WORDS, RegExp][]) {
      if (columns[field] === undefined && words.test(label)) {
        columns[field] = index;
        break;
      }
    }
  });
  return columns;
}

/**
 * The row's link to its UBL or CII download (never a PDF), or undefined. In a column the user taught, the link is
 * taken as the user showed it; the worker still refuses what is not UBL or CII.
 */
export function einvoiceLink(row: Element, column?: number, taught = false): Element | undefined {
  const scope = column === undefined ? row : appCells(row)[column];
  if (!scope) return undefined;
  for (const a of Array.from(scope.querySelectorAll('a[href]'))) {
    const href = a.getAttribute('href') ?? '';
    const label = `${href} ${text(a)} ${a.getAttribute('title') ?? ''} ${a.getAttribute('download') ?? ''}`;
    if (href.startsWith('#') || /^javascript:/i.test(href)) continue;
    if (taught) return a;
    if (EINVOICE_LINK.test(label) && !(PDF_LINK.test(href) && !EINVOICE_LINK.test(href))) return a;
  }
  return undefined;
}

/** A document id for a download link: "u" + base64url of its same-origin path; the worker fetches only that path. */
export function downloadId(href: string, pageUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(pageUrl).origin) return undefined;
  const path = url.pathname + url.search;
  const b64 = btoa(unescape(encodeURIComponent(path))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const id = `u${b64}`;
  return id.length <= 100 ? id : undefined;
}

export function pathOfDownloadId(id: string): string | undefined {
  if (!/^u[A-Za-z0-9_-]+$/.test(id)) return undefined;
  try {
    const path = decodeURIComponent(escape(atob(id.slice(1).replace(/-/g, '+').replace(/_/g, '/'))));
    return path.startsWith('/') && !path.startsWith('//') ? path : undefined;
  } catch {
    return undefined;
  }
}

const TABLE_MARK = 'data-octobridge-table';
const HEADER_MARK = 'data-octobridge-header';

/** The best invoice table of the page and its columns: by the taught mapping, else by header words. */
export function findInvoiceTable(doc: Document, mapping?: TeachMapping): { table: Element; columns: ListContext['columns']; taught: boolean } | undefined {
  const tables = Array.from(doc.querySelectorAll('table'));
  if (mapping) {
    const table = tables.find((t) => headerSignature(t) === mapping.headerSignature);
    if (table) return { table, columns: { ...mapping.columns }, taught: true };
  }
  let best: { table: Element; columns: ListContext['columns']; score: number } | undefined;
  for (const table of tables) {
    const columns = columnsByHeader(table);
    if (columns.number === undefined || (columns.issueDate === undefined && columns.total === undefined)) continue;
    const score = Object.keys(columns).length;
    if (!best || score > best.score) best = { table, columns, score };
  }
  return best ? { table: best.table, columns: best.columns, taught: false } : undefined;
}

/** A generic adapter for one page, using the site's taught mapping when there is one. */
export function createGenericDom(mapping?: TeachMapping): SiteDomAdapter {
  const checked = 'header words in en/nl/fr/de and e-invoice links; tests/unit/sites-generic.test.ts';
  const adapter: SiteDomAdapter = {
    id: 'generic',
    name: 'Generic',
    matches: [],
    detect(doc) {
      const found = findInvoiceTable(doc, mapping);
      if (!found) return undefined;
      const rows = Array.from(found.table.querySelectorAll('tbody tr')).filter((r) => r.querySelector('td'));
      // Confident only when rows link their own UBL or CII: the worker sends exactly that file.
      if (!rows.some((r) => einvoiceLink(r, found.columns.download, found.taught))) return undefined;
      if (!found.table.hasAttribute(TABLE_MARK)) {
        for (const old of Array.from(doc.querySelectorAll(`[${TABLE_MARK}]`))) old.removeAttribute(TABLE_MARK);
        found.table.setAttribute(TABLE_MARK, '');
        headerRowOf(found.table)?.setAttribute(HEADER_MARK, '');
      }
      return 'list';
    },
    selectors: {
      listTable: { variants: [`table[${TABLE_MARK}]`], checkedAgainst: checked },
      listRow: { variants: [`table[${TABLE_MARK}] > tbody > tr`], checkedAgainst: checked },
      headerRow: { variants: [`table[${TABLE_MARK}] tr[${HEADER_MARK}]`], checkedAgainst: checked },
      rowActions: { variants: ['td:last-child'], checkedAgainst: checked },
      detailRoot: { variants: ['[data-octobridge-none]'], checkedAgainst: 'no detail pages' },
      detailActions: { variants: ['[data-octobridge-none]'], checkedAgainst: 'no detail pages' },
    },
    listContext(table, doc) {
      const found = findInvoiceTable(doc, mapping);
      const columns = found && found.table === table ? found.columns : columnsByHeader(table);
      if (mapping && found?.taught) columns.download = mapping.columns.download;
      const rows = sampleRows(Array.from(table.querySelectorAll('tbody tr'))).map(appCells);
      const cell = (cells: Element[], i: number | undefined) => (i === undefined ? '' : text(cells[i]));
      const lang = pageLanguage(doc);
      return {
        columns,
        dateOrder: detectDateOrder(rows.flatMap((r) => [cell(r, columns.issueDate), cell(r, columns.dueDate)]), lang),
        amountFormat: detectAmountFormat(rows.map((r) => cell(r, columns.total)), lang),
      };
    },
    rowInfo(row, context) {
      const cols = context?.columns ?? {};
      if (!row.querySelector('td')) return undefined;
      const cells = appCells(row);
      const cellText = (i: number | undefined) => (i === undefined ? '' : text(cells[i]));
      const link = einvoiceLink(row, cols.download, mapping !== undefined && cols.download === mapping.columns.download);
      const documentId = link ? downloadId(link.getAttribute('href') ?? '', row.ownerDocument.location.href) : undefined;
      if (!documentId) return undefined;
      const total = context?.amountFormat ? parseAmount(cellText(cols.total), context.amountFormat) : undefined;
      const status = cellText(cols.status).toLowerCase();
      const draft = /draft|concept|brouillon|entwurf/.test(status);
      return {
        documentId,
        number: cellText(cols.number) || undefined,
        kind: total?.startsWith('-') ? 'credit-note' : 'invoice',
        status: draft ? 'draft' : 'unknown',
        statusLabel: cellText(cols.status) || undefined,
        issueDate: context?.dateOrder ? parseDate(cellText(cols.issueDate), context.dateOrder) : undefined,
        counterparty: cellText(cols.counterparty) || undefined,
        total,
        currency: currencyOf(cellText(cols.total)),
        sendable: !draft,
        ...(draft ? { notSendableReason: 'sites_draft_not_sendable' } : {}),
      };
    },
    detailInfo() {
      return undefined;
    },
  };
  return adapter;
}
