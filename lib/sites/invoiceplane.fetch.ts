import type { SiteAdapter, SiteFetcher, SiteLister } from './types';
import { DocumentFetchError, listedFromRow, queryAllIn, queryFirstIn } from './types';
import { parseHtml, type HtmlNode } from './html';
import { all, text } from './query';
import { detectAmountFormat, pageLanguage, parseAmount, parseQuantity } from './locale';
import { invoicePlaneDom, readInvoicePlaneListContext, readInvoicePlaneRow, readViewHeader } from './invoiceplane';
import { normalBase, readListPages, type ListPageRead } from './listing';
import { countryFromName, fetchOk, fetchPdfAttachment, invoiceFromDetail, siteText, siteXml, withPageFacts, type DetailData, type DetailParty } from './detail-invoice';
import { dec, toFixed } from '../money';
import { readInvoiceXml } from '../ubl/read';

/**
 * InvoicePlane, worker side. The app offers its own e-invoice (generate_xml: ZUGFeRD 1.0 CII for clients with
 * e-invoicing on) and a PDF. The XML is used when the reader takes it and it agrees with the page (InvoicePlane
 * 1.7 writes type 380 with negative amounts for a credit invoice, so the page decides the kind); otherwise the
 * view page's data, with the parties' VAT ids from the XML, plus the PDF.
 */

/** The parties as the ZUGFeRD/CII XML names them (VAT ids are not on the view page). */
export function partiesFromCii(xml: string): { seller?: DetailParty; buyerVatId?: string } {
  const block = (tag: string) => new RegExp(`<ram:${tag}>([\\s\\S]*?)</ram:${tag}>`).exec(xml)?.[1] ?? '';
  const field = (src: string, re: RegExp) => re.exec(src)?.[1]?.trim() || undefined;
  const vat = (src: string) => field(src, /<ram:ID schemeID="VA">([^<]+)<\/ram:ID>/);
  const sellerBlock = block('SellerTradeParty');
  const buyerBlock = block('BuyerTradeParty');
  const sellerName = field(sellerBlock, /<ram:Name>([^<]+)<\/ram:Name>/);
  return {
    ...(sellerName
      ? { seller: { name: sellerName, vatId: vat(sellerBlock), countryCode: field(sellerBlock, /<ram:CountryID>([A-Z]{2})<\/ram:CountryID>/) } }
      : {}),
    buyerVatId: vat(buyerBlock),
  };
}

export function readInvoicePlaneView(html: string, id: string): DetailData & { draft: boolean } {
  const root = parseHtml(html);
  const lang = /<html[^>]*\blang="([^"]+)"/i.exec(html)?.[1]?.toLowerCase() ?? '';
  const view = readViewHeader(root, `/invoices/view/${id}`, lang);
  if (!view) throw new DocumentFetchError('sites_error_not_a_document', ['InvoicePlane', id], 'the answer is not an invoice view (logged out?)', false);
  const items = all(root, 'tbody.item');
  const format = detectAmountFormat([...view.amounts, ...items.flatMap((t) => all(t, 'span.amount').map((n) => text(n)))], lang);
  if (!format || !view.issueDate) {
    throw new DocumentFetchError('sites_error_format_unknown', ['InvoicePlane', view.number || id], `amounts ${String(format)}, date ${String(view.issueDate)}`, false);
  }
  const money = (raw: string, what: string) => {
    const value = parseAmount(raw, format);
    if (value === undefined) throw new DocumentFetchError('sites_error_unreadable_value', [what, raw, view.number], `${what}: "${raw}"`, false);
    return value;
  };
  const discount = [root.querySelector('#invoice_discount_amount'), root.querySelector('#invoice_discount_percent')]
    .map((n) => (n?.getAttribute('value') ?? '').trim())
    .filter((v) => v && parseAmount(v, format) !== '0.00');
  if (discount.length > 0) {
    throw new DocumentFetchError('sites_error_unsupported', ['InvoicePlane', view.number, 'global discount'], `global discount ${discount.join(' ')}`, false);
  }
  let reverseCharge = false;
  let exempt = false;
  const lines = items.map((item, i) => {
    const value = (name: string) => (item.querySelector(`input[name="${name}"]`)?.getAttribute('value') ?? '').trim();
    const taxText = text(item.querySelector('select[name="item_tax_rate_id"] option[selected]'));
    if (/reverse|verlegd|autoliquidation|steuerschuldnerschaft/i.test(taxText)) reverseCharge = true;
    if (/exempt|vrijgesteld|exon[ée]r|steuerfrei|befreit/i.test(taxText)) exempt = true;
    const quantity = parseQuantity(value('item_quantity'), format) ?? '1';
    let unitPrice = money(value('item_price'), `line ${i + 1} price`);
    const netAmount = money(text(item.querySelector('span[name="subtotal"]')), `line ${i + 1} subtotal`);
    const itemDiscount = value('item_discount_amount');
    // InvoicePlane's item discount is per unit; the net price is the price less it.
    if (itemDiscount && parseAmount(itemDiscount, format) !== '0.00') unitPrice = toFixed(dec(unitPrice).minus(money(itemDiscount, 'discount')), 4);
    const description = text(item.querySelector('textarea[name="item_description"]'));
    return {
      description: value('item_name') || description || `Line ${i + 1}`,
      ...(description && value('item_name') ? { note: description } : {}),
      quantity,
      unitPrice,
      vatRate: parseQuantity(/(-?[\d.,]+)\s*%/.exec(taxText)?.[1] ?? '0', format) ?? '0',
      netAmount,
    };
  });
  const net = money(view.amounts[0] ?? '', 'subtotal');
  const gross = money(view.amounts[view.amounts.length - 3] ?? '', 'total');
  const street = all(root, '.client-address .client-address-street-line').map((n) => text(n)).filter(Boolean).join(', ');
  const town = text(root.querySelector('.client-address .client-adress-town-line'));
  const zip = /\b\d{4,5}(?:\s?[A-Z]{2})?\b/.exec(town)?.[0];
  const buyer: DetailParty = {
    name: view.client ?? '',
    countryCode: countryFromName(text(root.querySelector('.client-address .client-adress-country-line'))),
    ...(street ? { street } : {}),
    ...(zip ? { postalCode: zip, city: town.replace(zip, '').trim() } : town ? { city: town } : {}),
  };
  const note = text(root.querySelector('#invoice_terms'));
  return {
    number: view.number,
    kind: view.credit ? 'credit-note' : 'invoice',
    issueDate: view.issueDate,
    ...(view.dueDate ? { dueDate: view.dueDate } : {}),
    currency: view.currency ?? 'EUR',
    buyer,
    lines,
    totals: { net, vat: toFixed(dec(gross).minus(net)), gross },
    ...(view.creditedNumber ? { creditedNumber: view.creditedNumber } : {}),
    ...(note ? { note } : {}),
    reverseCharge,
    exempt,
    draft: view.status === 'draft',
  };
}

/**
 * One page of the invoice list, read with the page side's reader, and the pager's "next" link (the model pager's
 * fa-forward button, disabled on the last page); undefined when the page has no list. InvoicePlane's page size is
 * a setting (default_list_limit) with no URL parameter, so its pager is followed as it is.
 */
export function readInvoicePlaneListPage(root: HtmlNode): ListPageRead | undefined {
  const table = queryFirstIn(root, invoicePlaneDom.selectors.listTable);
  if (!table) return undefined;
  const cellsOf = (row: HtmlNode) => row.children;
  const context = readInvoicePlaneListContext(table, cellsOf, pageLanguage({ documentElement: root.querySelector('html') }));
  const rows = queryAllIn(root, invoicePlaneDom.selectors.listRow)
    .map((row) => readInvoicePlaneRow(row, cellsOf(row), context))
    .filter((info) => info !== undefined)
    .map(listedFromRow);
  const forward = root
    .querySelectorAll('div.model-pager a')
    .find((a) => a.querySelector('i.fa-forward') && !/\bdisabled\b/.test(a.getAttribute('class') ?? '') && !(a.getAttribute('href') ?? '#').startsWith('#'));
  const next = forward?.getAttribute('href') ?? undefined;
  return { rows, ...(next ? { next } : {}) };
}

export const invoicePlaneFetch: SiteFetcher & SiteLister = {
  id: 'invoiceplane',
  async fetchDocument(origin, documentId, fetchFn) {
    if (!/^\d+$/.test(documentId)) throw new DocumentFetchError('sites_error_not_a_document', ['InvoicePlane', documentId], 'ids are numbers', false);
    const viewUrl = `${origin}/index.php/invoices/view/${documentId}`;
    const html = await siteText(await fetchOk(viewUrl, fetchFn, origin), viewUrl, origin);
    const data = readInvoicePlaneView(html, documentId);
    if (data.draft) throw new DocumentFetchError('sites_draft_not_sendable', [], `${data.number} is a draft`, false);
    if (!data.number || !data.buyer.name) throw new DocumentFetchError('sites_error_missing_field', ['number', documentId], 'no number or client on the view', false);
    let xml: string | undefined;
    try {
      const xmlUrl = `${origin}/index.php/invoices/generate_xml/${documentId}`;
      const response = await fetchOk(xmlUrl, fetchFn, origin);
      if (/xml/.test(response.headers.get('content-type') ?? '')) xml = await siteXml(response, xmlUrl, origin);
      else await response.body?.cancel();
    } catch (error) {
      // The e-invoice is optional (clients without e-invoicing have none): the page's data is enough.
      // An XML larger than the cap is refused, not quietly replaced by the page's data.
      if (!(error instanceof DocumentFetchError) || error.retriable || error.key === 'error_site_too_large') throw error;
    }
    const pdf = await fetchPdfAttachment(`${origin}/index.php/invoices/generate_pdf/${documentId}`, fetchFn, origin, data.number);
    if (xml) {
      const read = readInvoiceXml(xml);
      const agrees =
        read.ok &&
        read.invoice.number === data.number &&
        read.invoice.kind === data.kind &&
        dec(read.invoice.totals.payable).abs().eq(dec(data.totals.gross).abs());
      if (read.ok && agrees) {
        const { invoice, notes } = withPageFacts({ ...read.invoice, attachments: [...read.invoice.attachments, ...(pdf ? [pdf] : [])] }, data);
        return { invoice, sourceXml: xml, ...(notes.length > 0 ? { notes } : {}) };
      }
      const parties = partiesFromCii(xml);
      if (parties.seller) data.seller = parties.seller;
      if (parties.buyerVatId) data.buyer.vatId = parties.buyerVatId;
    }
    return { invoice: invoiceFromDetail(data, pdf ? [pdf] : []) };
  },
  /** The list of all statuses without a tab (scheduled runs), all its pages. `origin` may carry an install path. */
  async listDocuments(origin, fetchFn) {
    const base = normalBase(origin);
    return readListPages('InvoicePlane', base, `${base}/index.php/invoices/status/all`, fetchFn, readInvoicePlaneListPage);
  },
};

export const invoicePlane: SiteAdapter & SiteLister = { ...invoicePlaneDom, ...invoicePlaneFetch };
