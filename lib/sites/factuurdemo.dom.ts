import type { SiteDomAdapter } from './types';
import { queryFirst } from './types';

/**
 * FactuurDemo, the sandbox invoicing app served by tests/sandbox/demo-site.ts (npm run demo).
 * It is a plain server-rendered app; this adapter is the template for real ones. The page side is here, the
 * worker side (fetchDocument) in ./factuurdemo.ts.
 * Test URLs: http://127.0.0.1:5610/invoices, http://127.0.0.1:5610/invoices/2026-0001
 */
export const factuurDemoDom: SiteDomAdapter = {
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
    // The issue date for the bulk bar's period send (lib/overlay/progress.ts).
    const issueDate = row.querySelector('.col-date time')?.getAttribute('datetime') || undefined;
    return { documentId, number, issueDate, sendable: !draft, notSendableReason: draft ? 'overlay_draft_not_sendable' : undefined };
  },
  detailInfo(doc) {
    const root = queryFirst(doc, factuurDemoDom.selectors.detailRoot);
    const documentId = root?.getAttribute('data-invoice-id');
    if (!root || !documentId) return undefined;
    const number = root.querySelector('.invoice-number')?.textContent?.trim() || undefined;
    const status = root.getAttribute('data-status') ?? root.querySelector('.status')?.textContent?.trim().toLowerCase() ?? '';
    const draft = /draft|concept|brouillon/.test(status);
    return { documentId, number, sendable: !draft, notSendableReason: draft ? 'overlay_draft_not_sendable' : undefined };
  },
};
