import type { SiteAdapter } from './types';
import { DocumentFetchError } from './types';
import { parseHtml } from './html';
import type { ListedDocument } from '../sites/types';
import { siteText, siteXml } from './detail-invoice';
import { readCapped } from '../bounded/read-capped';
import { readInvoiceXml } from '../ubl/read';
import { factuurDemoDom } from './factuurdemo.dom';

/** FactuurDemo, both sides: the page side of ./factuurdemo.dom.ts and its UBL download, for the worker. */
export const factuurDemo: SiteAdapter & { listDocuments(origin: string, fetchFn: typeof fetch): Promise<ListedDocument[]> } = {
  ...factuurDemoDom,
  /**
   * The list page read without a tab, for scheduled runs (the worker has the user's session). Rows carry the id,
   * the status and an ISO <time datetime>, so nothing locale-dependent is parsed here.
   */
  async listDocuments(origin, fetchFn) {
    const url = `${origin}/invoices`;
    let response: Response;
    try {
      response = await fetchFn(url, { credentials: 'include', signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      throw new DocumentFetchError('error_site_unreachable', [origin], String(error), true);
    }
    if (!response.ok) throw new DocumentFetchError('error_site_http', [String(response.status), url], '', response.status >= 500);
    const root = parseHtml(await siteText(response, url, origin));
    const listed: ListedDocument[] = [];
    for (const row of root.querySelectorAll('tr')) {
      const id = row.getAttribute('data-invoice-id');
      if (!id) continue;
      const number = row.querySelector('td')?.textContent.trim();
      const date = row.querySelector('time')?.getAttribute('datetime') ?? undefined;
      listed.push({
        id,
        ...(number ? { number } : {}),
        ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { issueDate: date } : {}),
        status: row.getAttribute('data-status') ?? '',
        kind: /credit-note/.test(row.getAttribute('class') ?? '') ? 'credit-note' : 'invoice',
      });
    }
    return listed;
  },
  async fetchDocument(origin, documentId, fetchFn) {
    const url = `${origin}/invoices/${encodeURIComponent(documentId)}/ubl`;
    let response: Response;
    try {
      response = await fetchFn(url, { credentials: 'include', signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      throw new DocumentFetchError('error_site_unreachable', [origin], String(error), true);
    }
    if (!response.ok) {
      const body = new TextDecoder().decode(await readCapped(response, 64 * 1024).catch(() => new Uint8Array())).slice(0, 300);
      throw new DocumentFetchError('error_site_http', [String(response.status), url], body, response.status >= 500 || response.status === 429);
    }
    const xml = await siteXml(response, url, origin);
    const read = readInvoiceXml(xml);
    if (!read.ok) {
      throw new DocumentFetchError('error_document_unreadable', [read.error.message], read.error.message, false);
    }
    return { invoice: read.invoice, sourceXml: xml };
  },
};
