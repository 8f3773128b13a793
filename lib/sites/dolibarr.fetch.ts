import type { FetchedDocument, SiteAdapter, SiteFetcher, SiteLister } from './types';
import { DocumentFetchError, listedFromRow, queryAllIn, queryFirstIn } from './types';
import { parseHtml, type HtmlNode } from './html';
import { all, hrefParam, text, type QueryRoot } from './query';
import { detectAmountFormat, detectDateOrder, parseAmount, parseDate, parseQuantity, currencyOf } from './locale';
import { dolibarrBase, dolibarrDateOrder, dolibarrDom, dolibarrPage, readCardHeader, readDolibarrListContext, readDolibarrRow } from './dolibarr';
import { readListPages, type ListPageRead } from './listing';
import { splitAddress } from './address-split';
import { countryFromVat, fetchOk, fetchPdfAttachment, invoiceFromDetail, siteText, type DetailData, type DetailParty } from './detail-invoice';
import { dec, toFixed } from '../money';

/**
 * Dolibarr, worker side. Dolibarr 20 core has no UBL or Factur-X output, so the document is the invoice card's
 * data (fetched with the user's session and read with ./html.ts) plus the PDF the app generated.
 */

/** The customer block of the card's tooltip: "<b>Address:</b> Sveavagen 44 11134 Stockholm Sweden<br><b>VAT ID:</b> SE…". */
export function customerFromTooltip(name: string, tooltip: string | undefined): DetailParty {
  const party: DetailParty = { name };
  if (!tooltip) return party;
  const doc = parseHtml(tooltip);
  const lines = tooltip.split(/<br\s*\/?>/i).map((chunk) => text(parseHtml(chunk)));
  const addressLines: string[] = [];
  let inAddress = false;
  for (const line of lines) {
    const labelled = /^([^:]{1,40}):(.*)$/.exec(line);
    if (!labelled) {
      // A multi-line address goes on over the next lines, without a label.
      if (inAddress && line.trim()) addressLines.push(line.trim());
      continue;
    }
    const label = labelled[1]!;
    const value = labelled[2]!.trim();
    inAddress = /address|adresse|adres/i.test(label);
    if (!value) continue;
    if (/vat|tva|btw|ust|iva|mwst/i.test(label) && /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/i.test(value.replace(/\s/g, ''))) {
      party.vatId = value.replace(/\s/g, '').toUpperCase();
    } else if (inAddress) {
      addressLines.push(value);
    }
  }
  if (addressLines.length > 0) {
    const split = splitAddress(addressLines, countryFromVat(party.vatId));
    if (split.street) party.street = split.street;
    if (split.postalCode) party.postalCode = split.postalCode;
    if (split.city) party.city = split.city;
    if (split.countryCode) party.countryCode = split.countryCode;
  }
  const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(text(doc))?.[0];
  if (email) party.email = email;
  party.countryCode ??= countryFromVat(party.vatId);
  return party;
}

/** Everything the card shows of the invoice, for invoiceFromDetail. */
export function readDolibarrCard(html: string, id: string): DetailData & { pdfHref?: string; draft: boolean } {
  const root: QueryRoot = parseHtml(html);
  const header = readCardHeader(root, id);
  if (!header || !root.querySelector('#tablelines')) {
    throw new DocumentFetchError('sites_error_not_a_document', ['Dolibarr', id], 'the answer is not an invoice card (logged out?)', false);
  }
  const lang = /<html[^>]*\blang="([^"]+)"/i.exec(html)?.[1]?.toLowerCase() ?? '';
  const rows = all(root, '#tablelines tr[data-id]');
  const cell = (row: QueryRoot, cls: string) => text(row.querySelector(`td.${cls}`));
  const amountSamples = [...header.amounts, ...rows.flatMap((r) => [cell(r, 'linecoluht'), cell(r, 'linecolht')])];
  const format = detectAmountFormat(amountSamples, lang);
  const order = dolibarrDateOrder(html) ?? detectDateOrder(header.dates, lang);
  if (!format || !order) {
    throw new DocumentFetchError('sites_error_format_unknown', ['Dolibarr', header.number], `amounts ${String(format)}, dates ${String(order)}`, false);
  }
  const money = (raw: string, what: string) => {
    const value = parseAmount(raw, format);
    if (value === undefined) throw new DocumentFetchError('sites_error_unreadable_value', [what, raw, header.number], `${what}: "${raw}"`, false);
    return value;
  };
  const lines = rows.map((row, i) => {
    const quantity = parseQuantity(cell(row, 'linecolqty'), format) ?? '1';
    const netAmount = money(cell(row, 'linecolht'), `line ${i + 1} total`);
    let unitPrice = money(cell(row, 'linecoluht'), `line ${i + 1} price`);
    // A line discount (Disc. column) is in the line total, not in the unit price: the net price is total / quantity.
    if (!dec(quantity).eq(0) && !dec(quantity).times(unitPrice).eq(netAmount)) unitPrice = toFixed(dec(netAmount).div(quantity), 4);
    return {
      description: text(row.querySelector('td.linecoldescription')) || `Line ${i + 1}`,
      quantity,
      unitPrice,
      vatRate: parseQuantity(cell(row, 'linecolvat').replace(/\(.*\)/, ''), format) ?? '0',
      netAmount,
    };
  });
  const [net, vat, gross] = header.amounts;
  if (!net || !vat || !gross) throw new DocumentFetchError('sites_error_missing_field', ['totals', header.number], 'no amounts on the card', false);
  const issueDate = header.dates[0] ? parseDate(header.dates[0], order) : undefined;
  if (!issueDate) throw new DocumentFetchError('sites_error_missing_field', ['date', header.number], 'no invoice date on the card', false);
  const dueDate = header.dates[1] ? parseDate(header.dates[1], order) : undefined;
  const pdfHref = root.querySelector('a.documentdownload[href*="document.php"]')?.getAttribute('href') ?? undefined;
  const grossValue = money(gross, 'total');
  return {
    number: header.number,
    kind: header.credit || grossValue.startsWith('-') ? 'credit-note' : 'invoice',
    issueDate,
    ...(dueDate ? { dueDate } : {}),
    currency: currencyOf(gross) ?? 'EUR',
    buyer: customerFromTooltip(header.customer ?? '', header.customerTooltip),
    lines,
    totals: { net: money(net, 'net total'), vat: money(vat, 'VAT total'), gross: grossValue },
    ...(header.creditedNumber ? { creditedNumber: header.creditedNumber } : {}),
    draft: header.status === 'draft',
    ...(pdfHref ? { pdfHref } : {}),
  };
}

/**
 * Rows asked per list page (Dolibarr's `limit`; its own page-size menu offers up to 10000): a few thousand invoices
 * in a handful of requests, each page still a sane size to parse in the worker.
 */
export const DOLIBARR_LIST_LIMIT = 1000;

/** The first list page asked for: newest first by id, a unique key, so rows do not shift between pages as dates tie. */
export function dolibarrListUrl(base: string): string {
  return `${dolibarrBase(base)}/compta/facture/list.php?limit=${DOLIBARR_LIST_LIMIT}&sortfield=f.rowid&sortorder=DESC`;
}

/**
 * One page of the customer-invoice list, read with the page side's reader, and its pager's next link
 * (`a.paginationnext`, else the numbered link to the page after this one); undefined when the page has no list.
 */
export function readDolibarrListPage(root: HtmlNode, url: string): ListPageRead | undefined {
  const table = queryFirstIn(root, dolibarrDom.selectors.listTable);
  if (!table) return undefined;
  const cellsOf = (row: HtmlNode) => row.children;
  const context = readDolibarrListContext(table, cellsOf, dolibarrPage(root));
  const rows = queryAllIn(root, dolibarrDom.selectors.listRow)
    .map((row) => readDolibarrRow(row, cellsOf(row), context))
    .filter((info) => info !== undefined)
    .map(listedFromRow);
  const page = Number(new URL(url).searchParams.get('page') ?? '0') || 0;
  const links = root.querySelectorAll('div.pagination a[href*="page="]');
  const next =
    root.querySelector('div.pagination a.paginationnext')?.getAttribute('href') ??
    links.find((a) => hrefParam(a.getAttribute('href'), 'page') === String(page + 1))?.getAttribute('href') ??
    undefined;
  return { rows, ...(next ? { next } : {}) };
}

export const dolibarrFetch: SiteFetcher & SiteLister = {
  id: 'dolibarr',
  /** `origin` is the site's base: the origin, plus the path when Dolibarr is installed under one (dolibarrBase). */
  async fetchDocument(origin, documentId, fetchFn) {
    if (!/^\d+$/.test(documentId)) throw new DocumentFetchError('sites_error_not_a_document', ['Dolibarr', documentId], 'ids are numbers', false);
    const base = dolibarrBase(origin);
    const url = `${base}/compta/facture/card.php?id=${documentId}`;
    const html = await siteText(await fetchOk(url, fetchFn, base), url, base);
    const data = readDolibarrCard(html, documentId);
    if (data.draft) throw new DocumentFetchError('sites_draft_not_sendable', [], `${data.number} is a draft`, false);
    if (!data.buyer.name) throw new DocumentFetchError('sites_error_missing_field', ['customer', data.number], 'no customer on the card', false);
    // The card's links carry the install path already (root-relative); a relative one is taken from the card's own URL.
    const pdf = data.pdfHref ? await fetchPdfAttachment(new URL(data.pdfHref, url).href, fetchFn, base, data.number) : undefined;
    const notes: NonNullable<FetchedDocument['notes']> = [];
    if (!data.dueDate) {
      // Dolibarr's card hides a credit note's due date; its list shows it.
      try {
        const listed = (await readListPages('Dolibarr', base, dolibarrListUrl(base), fetchFn, readDolibarrListPage)).find((d) => d.id === documentId);
        if (listed?.dueDate) data.dueDate = listed.dueDate;
      } catch (error) {
        notes.push({ text: { key: 'sites_note_due_date_unread', params: [data.number] }, detail: String(error) });
      }
    }
    return { invoice: invoiceFromDetail(data, pdf ? [pdf] : []), ...(notes.length > 0 ? { notes } : {}) };
  },
  /** The customer-invoice list without a tab (scheduled runs), all its pages. */
  async listDocuments(origin, fetchFn) {
    const base = dolibarrBase(origin);
    return readListPages('Dolibarr', base, dolibarrListUrl(base), fetchFn, readDolibarrListPage);
  },
};

export const dolibarr: SiteAdapter & SiteLister = { ...dolibarrDom, ...dolibarrFetch };
