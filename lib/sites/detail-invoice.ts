import { dec, toFixed } from '../money';
import { invoice as invoiceSchema, type Attachment, type Invoice, type VatCategory } from '../model/invoice';
import type { LocalizedText } from '../model/transfer';
import { BodyTooLargeError, MAX_DOCUMENT_BYTES, MAX_PAGE_BYTES, readCapped } from '../bounded/read-capped';
import { decodeXml } from '../ubl/decode';
import { DocumentFetchError, type Fetch } from './types';
import { countryFromName, countryFromVat } from './countries';

export { countryFromName, countryFromVat };

/**
 * Apps without an e-invoice download: the document is built from what their detail page shows (read by the
 * adapter's worker side) plus the PDF the app made, attached as is. Signs follow EN 16931: a credit note's
 * amounts are positive on a credit note, whatever sign the app shows them with.
 */

export interface DetailLine {
  description: string;
  note?: string;
  /** As the app shows them, signs included. */
  quantity: string;
  unitPrice: string;
  vatRate: string;
  netAmount: string;
}

export interface DetailParty {
  name: string;
  vatId?: string;
  countryCode?: string;
  street?: string;
  postalCode?: string;
  city?: string;
  email?: string;
}

export interface DetailData {
  number: string;
  kind: 'invoice' | 'credit-note';
  issueDate: string;
  dueDate?: string;
  currency: string;
  buyer: DetailParty;
  seller?: DetailParty;
  lines: DetailLine[];
  /** Totals as the app shows them (credit notes usually negative). */
  totals: { net: string; vat: string; gross: string };
  creditedNumber?: string;
  note?: string;
  /** Lines the page marks as reverse charge (the app's tax name says so). */
  reverseCharge?: boolean;
  /** Lines the page marks as exempt (the app's tax name says so). */
  exempt?: boolean;
}

const EU = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE']);

function category(rate: string, data: DetailData, buyerCountry: string): VatCategory {
  if (dec(rate).gt(0)) return 'S';
  // The seller of a sale is the dossier, Belgian unless the page says otherwise.
  const seller = data.seller?.countryCode ?? 'BE';
  // Zero rate to a buyer VAT-registered in another EU country: an intra-Community supply (K), never the domestic
  // co-contractor regime (AE), which is only what the app calls reverse charge within one country. Outside the EU: export.
  if (data.buyer.vatId && EU.has(buyerCountry) && buyerCountry !== seller) return 'K';
  if (data.reverseCharge) return 'AE';
  if (!EU.has(buyerCountry)) return 'G';
  // Exempt (E) and zero rated (Z) have their own VAT codes; only the app's name of the rate tells them apart.
  if (data.exempt) return 'E';
  return 'Z';
}

/** The model's invoice from a detail page's data; throws a DocumentFetchError when the page's own totals do not add up. */
export function invoiceFromDetail(data: DetailData, attachments: Attachment[]): Invoice {
  const credit = data.kind === 'credit-note';
  const flip = (v: string) => (credit ? toFixed(dec(v).neg(), Math.max(2, (v.split('.')[1] ?? '').length)) : v);
  const buyerCountry = data.buyer.countryCode ?? countryFromVat(data.buyer.vatId);
  if (!buyerCountry) {
    throw new DocumentFetchError('sites_error_missing_field', ['country', data.number], `no country for ${data.buyer.name}`, false);
  }
  const lines = data.lines.map((line, i) => {
    // A credit note's quantity or price carries the app's minus sign; on the credit note both are positive.
    let quantity = line.quantity;
    let unitPrice = line.unitPrice;
    if (credit) {
      if (dec(quantity).lt(0)) quantity = toFixed(dec(quantity).neg(), 4).replace(/\.?0+$/, '') || '0';
      else unitPrice = toFixed(dec(unitPrice).neg(), 4).replace(/(\.\d\d)0+$/, '$1');
    }
    return {
      id: String(i + 1),
      description: line.description,
      ...(line.note ? { itemDescription: line.note } : {}),
      quantity,
      unitCode: 'C62',
      unitPrice,
      netAmount: flip(line.netAmount),
      vat: { category: category(line.vatRate, data, buyerCountry), rate: line.vatRate },
      allowancesCharges: [],
    };
  });
  const groups = new Map<string, { category: VatCategory; rate: string; taxable: ReturnType<typeof dec> }>();
  for (const line of lines) {
    const key = `${line.vat.category}|${line.vat.rate}`;
    const group = groups.get(key) ?? { category: line.vat.category, rate: line.vat.rate, taxable: dec(0) };
    group.taxable = group.taxable.plus(line.netAmount);
    groups.set(key, group);
  }
  const vatBreakdown = [...groups.values()].map((g) => ({
    category: g.category,
    rate: g.rate,
    taxableAmount: toFixed(g.taxable),
    taxAmount: toFixed(g.taxable.times(g.rate).div(100)),
    ...(g.category === 'AE' ? { exemptionReasonCode: 'VATEX-EU-AE', exemptionReason: 'Reverse charge' } : {}),
    ...(g.category === 'G' ? { exemptionReasonCode: 'VATEX-EU-G', exemptionReason: 'Export outside the EU' } : {}),
    ...(g.category === 'E' ? { exemptionReason: 'Exempt' } : {}),
  }));
  const net = lines.reduce((s, l) => s.plus(l.netAmount), dec(0));
  const vat = vatBreakdown.reduce((s, b) => s.plus(b.taxAmount), dec(0));
  const gross = net.plus(vat);
  const shownGross = dec(flip(data.totals.gross));
  // The page's own total is the check on everything read from it: a cent off means a line was misread.
  if (!gross.eq(shownGross) || !net.eq(dec(flip(data.totals.net)))) {
    throw new DocumentFetchError(
      'sites_error_totals_mismatch',
      [data.number, toFixed(shownGross), toFixed(gross)],
      `lines add up to ${toFixed(net)} + ${toFixed(vat)} = ${toFixed(gross)}, the page shows ${toFixed(shownGross)}`,
      false,
    );
  }
  const sellerCountry = data.seller?.countryCode ?? 'BE';
  const candidate = {
    kind: data.kind,
    direction: 'sales' as const,
    number: data.number,
    issueDate: data.issueDate,
    // A credit note keeps the due date the app gives it (the writer puts it in PaymentMeans, as a CreditNote has no DueDate).
    ...(data.dueDate ? { dueDate: data.dueDate } : {}),
    typeCode: credit ? '381' : '380',
    currency: data.currency,
    ...(data.note ? { note: data.note.slice(0, 2000) } : {}),
    ...(data.creditedNumber ? { billingReference: { number: data.creditedNumber } } : {}),
    // An intra-Community supply names its delivery (BR-IC-11/12); app pages show neither, so the document's date and
    // the buyer's country stand in, as for a service supplied where the buyer is.
    ...(lines.some((l) => l.vat.category === 'K') ? { delivery: { date: data.issueDate, address: { countryCode: buyerCountry } } } : {}),
    seller: {
      // The seller of a sale is the Octopus dossier itself, which books from its own data; the app's pages
      // do not always show it, so its name falls back to the buyer-facing label the app gives.
      name: data.seller?.name || 'Seller',
      ...(data.seller?.vatId ? { vatId: data.seller.vatId } : {}),
      address: { countryCode: sellerCountry },
    },
    buyer: {
      name: data.buyer.name,
      ...(data.buyer.vatId ? { vatId: data.buyer.vatId.replace(/\s/g, '').toUpperCase() } : {}),
      address: {
        countryCode: buyerCountry,
        ...(data.buyer.street ? { street: data.buyer.street } : {}),
        ...(data.buyer.postalCode ? { postalCode: data.buyer.postalCode } : {}),
        ...(data.buyer.city ? { city: data.buyer.city } : {}),
      },
      ...(data.buyer.email ? { contact: { email: data.buyer.email } } : {}),
    },
    lines,
    allowancesCharges: [],
    vatBreakdown,
    totals: {
      lineExtension: toFixed(net),
      taxExclusive: toFixed(net),
      taxTotal: toFixed(vat),
      taxInclusive: toFixed(gross),
      payable: toFixed(gross),
    },
    attachments,
  };
  const parsed = invoiceSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DocumentFetchError('sites_error_missing_field', [issue.path.join('.'), data.number], parsed.error.message, false);
  }
  return parsed.data;
}

/** A fact the page and the app's XML disagree on, for the transfer's log (the XML's value is used). */
export interface PageFactNote {
  text: LocalizedText;
  detail?: string;
}

/**
 * The app's XML is the document, but some apps leave out facts their page shows (InvoicePlane's ZUGFeRD has no due
 * date): those come from the page. Where both have the fact the XML wins, and a disagreement is noted.
 */
export function withPageFacts(invoice: Invoice, page: Pick<DetailData, 'dueDate' | 'reverseCharge' | 'exempt'>): { invoice: Invoice; notes: PageFactNote[] } {
  const notes: PageFactNote[] = [];
  let merged = invoice;
  // ZUGFeRD 1.0 from InvoicePlane has no VAT category at 0 %, so the reader takes such lines as zero rated (Z); the
  // page's tax rate says reverse charge (the domestic co-contractor regime, AE) or exempt (E), each booked on its own
  // code. An intra-Community supply (K) or an export (G) stays one, as on the page path (invoiceFromDetail).
  const said: VatCategory | undefined = page.reverseCharge ? 'AE' : page.exempt ? 'E' : undefined;
  if (said && invoice.lines.some((l) => l.vat.category === 'Z')) {
    const retag = <T extends { category: VatCategory }>(x: T): T => (x.category === 'Z' ? { ...x, category: said } : x);
    merged = {
      ...merged,
      lines: merged.lines.map((l) => ({ ...l, vat: retag(l.vat) })),
      vatBreakdown: merged.vatBreakdown.map((b) =>
        b.category !== 'Z'
          ? b
          : said === 'AE'
            ? { ...b, category: 'AE', exemptionReasonCode: 'VATEX-EU-AE', exemptionReason: b.exemptionReason ?? 'Reverse charge' }
            : { ...b, category: 'E', exemptionReason: b.exemptionReason ?? 'Exempt' },
      ),
    };
  }
  if (page.dueDate) {
    if (!invoice.dueDate) merged = { ...merged, dueDate: page.dueDate };
    else if (invoice.dueDate !== page.dueDate) {
      notes.push({ text: { key: 'sites_note_due_date_disagrees', params: [invoice.dueDate, page.dueDate] } });
    }
  }
  return { invoice: merged, notes };
}

// --- fetching with the user's session ----------------------------------------------------------------------------

/** GET with the user's cookies; network and HTTP failures become DocumentFetchErrors (5xx and 429 retriable). */
export async function fetchOk(url: string, fetchFn: Fetch, origin: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, { credentials: 'include', redirect: 'follow', signal: AbortSignal.timeout(20_000) });
  } catch (error) {
    throw new DocumentFetchError('error_site_unreachable', [origin], String(error), true);
  }
  if (!response.ok) {
    const body = new TextDecoder().decode(await readCapped(response, 64 * 1024).catch(() => new Uint8Array())).slice(0, 300);
    throw new DocumentFetchError('error_site_http', [String(response.status), url], body, response.status >= 500 || response.status === 429);
  }
  return response;
}

const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);

/**
 * A site's answer as bytes, read with a cap (the declared length first, then counted while it streams): a page that
 * never ends or a huge "document" is aborted, not read into memory. Larger: not retriable, it will not shrink.
 */
export async function siteBytes(response: Response, url: string, origin: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<Uint8Array> {
  try {
    return await readCapped(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new DocumentFetchError('error_site_too_large', [url, mb(maxBytes)], error.message, false);
    throw new DocumentFetchError('error_site_unreachable', [origin], String(error), true);
  }
}

/** A site's HTML page as text (UTF-8, as Response.text() reads it), capped at MAX_PAGE_BYTES. */
export async function siteText(response: Response, url: string, origin: string, maxBytes = MAX_PAGE_BYTES): Promise<string> {
  return new TextDecoder().decode(await siteBytes(response, url, origin, maxBytes));
}

/** A site's UBL/CII download as text: capped, and decoded the way an XML file is (BOM, declared encoding, else UTF-8). */
export async function siteXml(response: Response, url: string, origin: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<string> {
  const decoded = decodeXml(await siteBytes(response, url, origin, maxBytes));
  if (!decoded.ok) throw new DocumentFetchError(decoded.error.text?.key ?? 'error_document_unreadable', decoded.error.text?.params ?? [decoded.error.message], decoded.error.message, false);
  return decoded.text;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The app's PDF as an attachment, or undefined when the answer is not a PDF (Dolibarr answers 200 text/html for a missing file). */
export async function fetchPdfAttachment(url: string, fetchFn: Fetch, origin: string, number: string): Promise<Attachment | undefined> {
  const response = await fetchOk(url, fetchFn, origin);
  const bytes = await siteBytes(response, url, origin);
  const magic = String.fromCharCode(...bytes.subarray(0, 5));
  if (magic !== '%PDF-') return undefined;
  const named = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return {
    id: number,
    description: 'Invoice PDF',
    filename: named?.trim() || `${number}.pdf`,
    mimeType: 'application/pdf',
    contentBase64: base64(bytes),
  };
}
