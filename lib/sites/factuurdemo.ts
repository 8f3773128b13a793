import type { SiteAdapter } from './types';
import { DocumentFetchError, queryFirst } from './types';
import { readInvoiceXml } from '../ubl/read';

/**
 * FactuurDemo, the sandbox invoicing app served by tests/sandbox/demo-site.ts (npm run demo).
 * It is a plain server-rendered app; this adapter is the template for real ones.
 * Test URLs: http://127.0.0.1:5610/invoices, http://127.0.0.1:5610/invoices/2026-0001
 */
export const factuurDemo: SiteAdapter = {
  id: 'factuurdemo',
  name: 'FactuurDemo',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  detect(doc, url) {
    const generator = doc.querySelector('meta[name="generator"]')?.getAttribute('content') ?? '';
    if (!generator.startsWith('FactuurDemo')) return undefined;
    if (/^\/invoices\/?$/.test(url.pathname)) return 'list';
    if (/^\/invoices\/[^/]+\/?$/.test(url.pathname)) return 'detail';
    return undefined;
  },
  selectors: {
    listTable: { variants: ['table#invoice-list'], checkedAgainst: 'tests/sandbox/demo-site.ts /invoices' },
    listRow: { variants: ['table#invoice-list tbody tr[data-invoice-id]'], checkedAgainst: 'tests/sandbox/demo-site.ts /invoices' },
    rowActions: { variants: ['td.col-actions'], checkedAgainst: 'tests/sandbox/demo-site.ts /invoices' },
    detailRoot: { variants: ['.invoice-detail[data-invoice-id]'], checkedAgainst: 'tests/sandbox/demo-site.ts /invoices/:id' },
    detailActions: { variants: ['.invoice-actions'], checkedAgainst: 'tests/sandbox/demo-site.ts /invoices/:id' },
  },
  rowInfo(row) {
    const documentId = row.getAttribute('data-invoice-id') ?? undefined;
    if (!documentId) return undefined;
    const number = row.querySelector('.col-number')?.textContent?.trim() || undefined;
    const status = row.getAttribute('data-status') ?? row.querySelector('.col-status')?.textContent?.trim().toLowerCase() ?? '';
    const draft = /draft|concept|brouillon/.test(status);
    return { documentId, number, sendable: !draft, notSendableReason: draft ? 'overlay_draft_not_sendable' : undefined };
  },
  detailInfo(doc) {
    const root = queryFirst(doc, factuurDemo.selectors.detailRoot);
    const documentId = root?.getAttribute('data-invoice-id');
    if (!root || !documentId) return undefined;
    const number = root.querySelector('.invoice-number')?.textContent?.trim() || undefined;
    const status = root.getAttribute('data-status') ?? root.querySelector('.status')?.textContent?.trim().toLowerCase() ?? '';
    const draft = /draft|concept|brouillon/.test(status);
    return { documentId, number, sendable: !draft, notSendableReason: draft ? 'overlay_draft_not_sendable' : undefined };
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
