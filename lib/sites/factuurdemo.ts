import type { SiteAdapter } from './types';
import { DocumentFetchError } from './types';
import { readInvoiceXml } from '../ubl/read';
import { factuurDemoDom } from './factuurdemo.dom';

/** FactuurDemo, both sides: the page side of ./factuurdemo.dom.ts and its UBL download, for the worker. */
export const factuurDemo: SiteAdapter = {
  ...factuurDemoDom,
  async fetchDocument(origin, documentId, fetchFn) {
    const url = `${origin}/invoices/${encodeURIComponent(documentId)}/ubl`;
    let response: Response;
    try {
      response = await fetchFn(url, { credentials: 'include', signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      throw new DocumentFetchError('error_site_unreachable', [origin], String(error), true);
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 300);
      throw new DocumentFetchError(
        'error_site_http',
        [String(response.status), url],
        body,
        response.status >= 500 || response.status === 429,
      );
    }
    const xml = await response.text();
    const read = readInvoiceXml(xml);
    if (!read.ok) {
      throw new DocumentFetchError('error_document_unreadable', [read.error.message], read.error.message, false);
    }
    return { invoice: read.invoice, sourceXml: xml };
  },
};
