import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Invoice, Party } from '../../lib/model/invoice';
import { dec, sum } from '../../lib/money';
import { writeUbl } from '../../lib/ubl/write';
import { DEMO_STATUSES, DEMO_STATUS_LABELS, demoDocuments, generateDemoDocuments } from './demo-data';
import type { DemoDocument, DemoStatus } from './demo-data';
import {
  COUNTRY_NAMES,
  UNIT_LABELS,
  formatDateBE,
  formatEnterpriseNumber,
  formatIban,
  formatMoneyBE,
  formatNumberBE,
  formatQuantityBE,
} from './demo-format';
import { renderInvoicePdf } from './demo-pdf';

/**
 * FactuurDemo: the sandbox invoicing web app. A plain server-rendered app on node:http that knows nothing about
 * the extension; lib/sites/factuurdemo.ts is the adapter written against its markup.
 *
 *   GET /                          302 → /invoices
 *   GET /invoices[?status=…]       list (table#invoice-list, one tr[data-invoice-id] per document, newest first)
 *   GET /invoices/ID               detail (.invoice-detail[data-invoice-id], .invoice-actions)
 *   GET /invoices/ID/pdf           the PDF (attachment NUMBER.pdf)
 *   GET /invoices/ID/ubl           Peppol BIS 3 UBL with the PDF embedded (attachment NUMBER.xml); 404 for drafts
 *   GET /api/invoices/ID.json      the model JSON
 *   anything else                  404 (405 for other methods than GET/HEAD)
 *
 * Run it alone: `npx tsx tests/sandbox/demo-site.ts --port 5610` (npm run demo starts it with the other servers).
 */

export interface DemoSiteOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve this many generated valid invoices (generateDemoDocuments) instead of the 22 demo documents. */
  count?: number;
}

export interface DemoSite {
  /** Origin, without a trailing slash, e.g. "http://127.0.0.1:5610". */
  url: string;
  port: number;
  close(): Promise<void>;
  documents: readonly DemoDocument[];
}

export const DRAFT_HAS_NO_UBL = 'Draft invoices have no UBL until they are validated';

export async function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const host = options.host ?? '127.0.0.1';
  const documents = options.count !== undefined ? generateDemoDocuments(options.count) : demoDocuments;
  const server = createServer((req, res) => {
    try {
      handle(req, res, documents);
    } catch (error) {
      send(res, req, 500, 'text/plain; charset=utf-8', `Internal error: ${String(error)}`);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    documents,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------------------------

function handle(req: IncomingMessage, res: ServerResponse, documents: readonly DemoDocument[]): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, req, 405, 'text/plain; charset=utf-8', 'Method not allowed');
  }
  if (path === '/') {
    res.setHeader('Location', '/invoices');
    return send(res, req, 302, 'text/plain; charset=utf-8', 'See /invoices');
  }
  if (path === '/invoices' || path === '/invoices/') {
    return send(res, req, 200, 'text/html; charset=utf-8', listPage(documents, url.searchParams.get('status')));
  }

  const find = (raw: string): DemoDocument | undefined => {
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    return documents.find((d) => d.id === id);
  };

  let m = /^\/invoices\/([^/]+)\/?$/.exec(path);
  if (m) {
    const doc = find(m[1]!);
    if (!doc) return notFoundPage(res, req);
    return send(res, req, 200, 'text/html; charset=utf-8', detailPage(doc, documents));
  }
  m = /^\/invoices\/([^/]+)\/pdf$/.exec(path);
  if (m) {
    const doc = find(m[1]!);
    if (!doc) return send(res, req, 404, 'text/plain; charset=utf-8', 'Invoice not found');
    res.setHeader('Content-Disposition', attachment(`${doc.invoice.number}.pdf`));
    return send(res, req, 200, 'application/pdf', pdfOf(doc));
  }
  m = /^\/invoices\/([^/]+)\/ubl$/.exec(path);
  if (m) {
    const doc = find(m[1]!);
    if (!doc) return send(res, req, 404, 'text/plain; charset=utf-8', 'Invoice not found');
    if (doc.status === 'draft') return send(res, req, 404, 'text/plain; charset=utf-8', DRAFT_HAS_NO_UBL);
    const xml = ublOf(doc);
    res.setHeader('Content-Disposition', attachment(`${doc.invoice.number}.xml`));
    return send(res, req, 200, 'application/xml; charset=utf-8', xml);
  }
  m = /^\/api\/invoices\/([^/]+)\.json$/.exec(path);
  if (m) {
    const doc = find(m[1]!);
    if (!doc) return send(res, req, 404, 'application/json; charset=utf-8', JSON.stringify({ error: 'Invoice not found' }));
    return send(res, req, 200, 'application/json; charset=utf-8', JSON.stringify(doc.invoice, null, 2));
  }
  return notFoundPage(res, req);
}

function send(res: ServerResponse, req: IncomingMessage, status: number, contentType: string, body: string | Uint8Array): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"`;
}

function notFoundPage(res: ServerResponse, req: IncomingMessage): void {
  const body = layout(
    'Pagina niet gevonden',
    `<div class="card empty"><h1>Pagina niet gevonden</h1><p>Deze pagina bestaat niet (meer).</p><p><a href="/invoices">Naar de facturen</a></p></div>`,
  );
  send(res, req, 404, 'text/html; charset=utf-8', body);
}

/** The PDF as the app prints it. */
export function pdfOf(doc: DemoDocument): Uint8Array {
  return renderInvoicePdf(doc.invoice, { draft: doc.status === 'draft' });
}

/** The UBL the app exports: the invoice with its PDF embedded (BG-24). */
export function ublOf(doc: DemoDocument): string {
  const inv = doc.invoice;
  const withPdf: Invoice = {
    ...inv,
    attachments: [
      {
        id: inv.number,
        filename: `${inv.number}.pdf`,
        mimeType: 'application/pdf',
        contentBase64: Buffer.from(pdfOf(doc)).toString('base64'),
      },
    ],
  };
  return writeUbl(withPdf);
}

// ---------------------------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------------------------

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
const h = escapeHtml;

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933;background:#f4f5f7}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
header.topbar{display:flex;align-items:center;gap:28px;padding:0 28px;height:56px;background:#17324d;color:#fff}
header.topbar .brand{font-weight:700;font-size:17px;color:#fff;letter-spacing:.2px}
header.topbar .brand span{color:#f6c05c}
header.topbar nav{display:flex;gap:4px;flex:1}
header.topbar nav a,header.topbar nav span{color:#c9d6e3;padding:6px 12px;border-radius:6px}
header.topbar nav a.active{background:#254a6e;color:#fff}
header.topbar nav span.soon{opacity:.55;cursor:default}
header.topbar .account{font-size:13px;color:#c9d6e3}
main{max-width:1120px;margin:28px auto;padding:0 24px}
h1{font-size:22px;margin:0 0 4px}
.page-head{display:flex;align-items:flex-end;justify-content:space-between;margin-bottom:18px}
.muted{color:#6b7785}
.cards{display:flex;gap:14px;margin-bottom:18px}
.card{background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:16px 18px}
.cards .card{flex:1}.cards .card b{display:block;font-size:20px;margin-top:2px}
.filters{display:flex;gap:6px;margin-bottom:12px;flex-wrap:wrap}
.filters a{padding:5px 12px;border-radius:999px;border:1px solid #d5dae0;background:#fff;color:#3e4c59;font-size:13px}
.filters a.active{background:#17324d;border-color:#17324d;color:#fff}
table{border-collapse:collapse;width:100%}
table.invoices{background:#fff;border:1px solid #e1e4e8;border-radius:10px;overflow:hidden}
table.invoices th{background:#f8f9fb;text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:#6b7785;padding:10px 14px;border-bottom:1px solid #e1e4e8}
table.invoices td{padding:10px 14px;border-bottom:1px solid #eef0f3}
table.invoices tr:last-child td{border-bottom:0}
table.invoices tbody tr:hover{background:#f8fafc}
.col-number a{font-weight:600}
.col-total,.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th.col-total{text-align:right}
.col-actions{white-space:nowrap;text-align:right}
.col-actions a,.col-actions span{display:inline-block;margin-left:6px;padding:3px 9px;border:1px solid #d5dae0;border-radius:6px;font-size:12px;color:#3e4c59;background:#fff}
.col-actions span.disabled{opacity:.45;cursor:not-allowed}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-size:12px;font-weight:600}
.status-draft{background:#eceff3;color:#52606d}
.status-sent{background:#e0ecff;color:#1d4ed8}
.status-paid{background:#dff5e7;color:#17803d}
.status-overdue{background:#fde4e1;color:#b42318}
.status-cancelled{background:#f1f1f1;color:#8a8a8a;text-decoration:line-through}
tr.credit-note .col-total{color:#b42318}
.invoice-detail .detail-head{display:flex;align-items:center;gap:14px;margin-bottom:6px}
.invoice-detail .back{font-size:13px}
.invoice-actions{display:flex;gap:8px;margin:14px 0 20px}
.button{display:inline-block;padding:8px 14px;border-radius:7px;border:1px solid #17324d;background:#17324d;color:#fff;font-weight:600;font-size:13px}
.button:hover{text-decoration:none;background:#254a6e}
.button.secondary{background:#fff;color:#17324d}
.button.disabled{opacity:.45;cursor:not-allowed;background:#fff;color:#17324d}
.grid{display:grid;grid-template-columns:1fr 1fr 1fr;gap:14px;margin-bottom:14px}
.grid h2,.card h2{font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:#6b7785;margin:0 0 8px}
dl.meta{display:grid;grid-template-columns:auto 1fr;gap:4px 14px;margin:0}dl.meta dt{color:#6b7785}dl.meta dd{margin:0}
table.lines th{text-align:left;font-size:12px;color:#6b7785;border-bottom:1px solid #e1e4e8;padding:8px 10px}
table.lines td{padding:8px 10px;border-bottom:1px solid #f0f2f4;vertical-align:top}
table.lines th.num{text-align:right}
table.lines .sub{font-size:12px;color:#6b7785}
.summary{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:14px}
table.totals td{padding:5px 0}table.totals tr.grand td{font-weight:700;font-size:16px;border-top:1px solid #e1e4e8;padding-top:8px}
table.vat-breakdown th{font-size:12px;color:#6b7785;text-align:left;padding:4px 0}table.vat-breakdown th.num{text-align:right}
table.vat-breakdown td{padding:4px 0}
.payment{margin-top:14px}.payment .ogm{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:15px;font-weight:600}
.note{margin-top:14px;white-space:pre-wrap}
.empty{text-align:center;padding:40px}
footer{max-width:1120px;margin:0 auto 30px;padding:0 24px;color:#9aa5b1;font-size:12px}
`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="FactuurDemo 1.0">
<title>${h(title)} · FactuurDemo</title>
<style>${CSS}</style>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/invoices">Factuur<span>Demo</span></a>
  <nav>
    <a class="active" href="/invoices">Facturen</a>
    <span class="soon" title="Niet beschikbaar in de demo">Offertes</span>
    <span class="soon" title="Niet beschikbaar in de demo">Klanten</span>
    <span class="soon" title="Niet beschikbaar in de demo">Producten</span>
    <span class="soon" title="Niet beschikbaar in de demo">Instellingen</span>
  </nav>
  <div class="account">Bakkerij Demo BV · Els Vermeulen</div>
</header>
<main>
${body}
</main>
<footer>FactuurDemo 1.0 · demogegevens, alle namen en nummers zijn fictief</footer>
</body>
</html>
`;
}

const isCredit = (inv: Invoice): boolean => inv.kind === 'credit-note';

/** Newest first: by issue date, then by id. */
function newestFirst(a: DemoDocument, b: DemoDocument): number {
  if (a.invoice.issueDate !== b.invoice.issueDate) return a.invoice.issueDate < b.invoice.issueDate ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function badge(status: DemoStatus): string {
  return `<span class="badge status status-${status}">${h(DEMO_STATUS_LABELS[status])}</span>`;
}

function listPage(all: readonly DemoDocument[], statusParam: string | null): string {
  const filter = DEMO_STATUSES.find((s) => s === statusParam);
  const shown = all.filter((d) => !filter || d.status === filter).slice().sort(newestFirst);

  const openDocs = all.filter((d) => !isCredit(d.invoice) && (d.status === 'sent' || d.status === 'overdue'));
  const overdueDocs = all.filter((d) => !isCredit(d.invoice) && d.status === 'overdue');
  const cards = `<div class="cards">
  <div class="card"><span class="muted">Openstaand</span><b>${h(formatMoneyBE(sum(openDocs.map((d) => d.invoice.totals.payable)).toFixed(2)))}</b><span class="muted">${openDocs.length} facturen</span></div>
  <div class="card"><span class="muted">Vervallen</span><b>${h(formatMoneyBE(sum(overdueDocs.map((d) => d.invoice.totals.payable)).toFixed(2)))}</b><span class="muted">${overdueDocs.length} facturen</span></div>
  <div class="card"><span class="muted">Concepten</span><b>${all.filter((d) => d.status === 'draft').length}</b><span class="muted">nog te valideren</span></div>
</div>`;

  const filters = [
    `<a href="/invoices"${filter ? '' : ' class="active"'}>Alle (${all.length})</a>`,
    ...DEMO_STATUSES.map(
      (s) =>
        `<a href="/invoices?status=${s}"${filter === s ? ' class="active"' : ''}>${h(DEMO_STATUS_LABELS[s])} (${all.filter((d) => d.status === s).length})</a>`,
    ),
  ].join('\n  ');

  const rows = shown
    .map((d) => {
      const inv = d.invoice;
      const id = encodeURIComponent(d.id);
      const credit = isCredit(inv);
      const ubl =
        d.status === 'draft'
          ? `<span class="disabled" title="Valideer de factuur eerst">UBL</span>`
          : `<a href="/invoices/${h(id)}/ubl">UBL</a>`;
      return `<tr data-invoice-id="${h(d.id)}" data-status="${d.status}" class="${credit ? 'credit-note' : 'invoice'}">
      <td class="col-number"><a href="/invoices/${h(id)}"${credit ? ' title="Creditnota"' : ''}>${h(inv.number)}</a></td>
      <td class="col-date"><time datetime="${h(inv.issueDate)}">${h(formatDateBE(inv.issueDate))}</time></td>
      <td class="col-customer">${h(inv.buyer.name)}</td>
      <td class="col-total">${h(formatMoneyBE(inv.totals.taxInclusive, credit))}</td>
      <td class="col-status">${badge(d.status)}</td>
      <td class="col-actions"><a href="/invoices/${h(id)}/pdf">PDF</a>${ubl}</td>
    </tr>`;
    })
    .join('\n    ');

  return layout(
    'Facturen',
    `<div class="page-head"><div><h1>Facturen</h1><span class="muted">Verkoopfacturen en creditnota's 2026</span></div></div>
${cards}
<nav class="filters">
  ${filters}
</nav>
<table id="invoice-list" class="invoices">
  <thead>
    <tr><th class="col-number">Nummer</th><th class="col-date">Datum</th><th class="col-customer">Klant</th><th class="col-total">Bedrag</th><th class="col-status">Status</th><th class="col-actions">Acties</th></tr>
  </thead>
  <tbody>
    ${rows || '<tr class="empty"><td colspan="6">Geen facturen met deze status.</td></tr>'}
  </tbody>
</table>`,
  );
}

function partyBlock(title: string, p: Party): string {
  const a = p.address;
  const lines = [
    `<strong>${h(p.name)}</strong>`,
    a.street ? h(a.street) : '',
    h([a.postalCode, a.city].filter(Boolean).join(' ')),
    a.countryCode !== 'BE' ? h(COUNTRY_NAMES[a.countryCode] ?? a.countryCode) : '',
    p.vatId ? `Btw ${h(p.vatId)}` : '',
    p.enterpriseNumber && !p.vatId ? `Ondernemingsnr. ${h(formatEnterpriseNumber(p.enterpriseNumber))}` : '',
    p.contact?.email ? `<a href="mailto:${h(p.contact.email)}">${h(p.contact.email)}</a>` : '',
  ].filter(Boolean);
  return `<div class="card party"><h2>${h(title)}</h2>${lines.join('<br>')}</div>`;
}

function rateLabel(category: string, rate: string): string {
  const r = `${formatQuantityBE(rate)}%`;
  return category === 'S' || category === 'Z' ? r : `${r} (${category})`;
}

function detailPage(doc: DemoDocument, all: readonly DemoDocument[]): string {
  const inv = doc.invoice;
  const id = encodeURIComponent(doc.id);
  const credit = isCredit(inv);
  const kindLabel = credit ? 'Creditnota' : 'Factuur';
  const t = inv.totals;

  const ubl =
    doc.status === 'draft'
      ? `<span class="button disabled" aria-disabled="true" title="Valideer de factuur eerst">UBL downloaden</span>`
      : `<a class="button secondary" href="/invoices/${h(id)}/ubl">UBL downloaden</a>`;

  const meta: [string, string][] = [
    [credit ? 'Datum creditnota' : 'Factuurdatum', h(formatDateBE(inv.issueDate))],
  ];
  if (inv.dueDate) meta.push(['Vervaldatum', h(formatDateBE(inv.dueDate))]);
  if (inv.billingReference) {
    const ref = all.find((d) => d.invoice.number === inv.billingReference?.number);
    const label = h(inv.billingReference.number);
    meta.push(['Betreft factuur', ref ? `<a href="/invoices/${h(encodeURIComponent(ref.id))}">${label}</a>` : label]);
  }
  if (inv.orderReference) meta.push(['Uw bestelling', h(inv.orderReference)]);
  if (inv.buyerReference) meta.push(['Klantnummer', h(inv.buyerReference)]);
  const creditedBy = all.filter((d) => d.invoice.billingReference?.number === inv.number);
  if (creditedBy.length > 0) {
    meta.push([
      'Gecrediteerd door',
      creditedBy.map((c) => `<a href="/invoices/${h(encodeURIComponent(c.id))}">${h(c.invoice.number)}</a>`).join(', '),
    ]);
  }

  const lineRows = inv.lines
    .map((l) => {
      const subs = [
        l.note ? `<div class="sub">${h(l.note)}</div>` : '',
        ...l.allowancesCharges.map(
          (ac) =>
            `<div class="sub">${ac.isCharge ? 'Toeslag' : 'Korting'}${ac.percent ? ` ${h(formatQuantityBE(ac.percent))}%` : ''}${ac.reason ? ` – ${h(ac.reason)}` : ''}: ${h(formatMoneyBE(ac.amount, !ac.isCharge))}</div>`,
        ),
      ].join('');
      return `<tr><td>${h(l.id)}</td><td>${h(l.description)}${subs}</td><td class="num">${h(formatQuantityBE(l.quantity))} ${h(UNIT_LABELS[l.unitCode] ?? l.unitCode)}</td><td class="num">${h(formatMoneyBE(l.unitPrice))}</td><td class="num">${h(rateLabel(l.vat.category, l.vat.rate))}</td><td class="num">${h(formatMoneyBE(l.netAmount))}</td></tr>`;
    })
    .join('\n      ');
  const acRows = inv.allowancesCharges
    .map(
      (ac) =>
        `<tr class="allowance-charge"><td></td><td>${ac.isCharge ? 'Toeslag' : 'Korting'}: ${h(ac.reason ?? '')}${ac.percent ? ` (${h(formatQuantityBE(ac.percent))}% op ${h(formatMoneyBE(ac.baseAmount ?? '0'))})` : ''}</td><td></td><td></td><td class="num">${ac.vat ? h(rateLabel(ac.vat.category, ac.vat.rate)) : ''}</td><td class="num">${h(formatMoneyBE(ac.amount, !ac.isCharge))}</td></tr>`,
    )
    .join('\n      ');

  const vatRows = inv.vatBreakdown
    .map(
      (v) =>
        `<tr><td>${h(rateLabel(v.category, v.rate))}${v.exemptionReason ? `<div class="sub muted">${h(v.exemptionReason)}</div>` : ''}</td><td class="num">${h(formatMoneyBE(v.taxableAmount))}</td><td class="num">${h(formatMoneyBE(v.taxAmount))}</td></tr>`,
    )
    .join('');

  const totals: [string, string, string?][] = [];
  if (dec(t.allowanceTotal).gt(0) || dec(t.chargeTotal).gt(0)) totals.push(['Subtotaal lijnen', formatMoneyBE(t.lineExtension)]);
  if (dec(t.allowanceTotal).gt(0)) totals.push(['Kortingen', formatMoneyBE(t.allowanceTotal, true)]);
  if (dec(t.chargeTotal).gt(0)) totals.push(['Toeslagen', formatMoneyBE(t.chargeTotal)]);
  totals.push(['Totaal excl. btw', formatMoneyBE(t.taxExclusive)], ['Btw', formatMoneyBE(t.taxTotal)], ['Totaal incl. btw', formatMoneyBE(t.taxInclusive)]);
  if (dec(t.prepaid).gt(0)) totals.push(['Reeds betaald (voorschot)', formatMoneyBE(t.prepaid, true)]);
  totals.push([credit ? 'Te crediteren' : 'Te betalen', formatMoneyBE(t.payable), 'grand']);

  const pm = inv.paymentMeans;
  const payment =
    pm?.iban && !credit
      ? `<div class="card payment"><h2>Betaling</h2>
      <dl class="meta">
        <dt>Rekening</dt><dd>${h(formatIban(pm.iban))}${pm.bic ? ` · BIC ${h(pm.bic)}` : ''}</dd>
        ${pm.accountName ? `<dt>Begunstigde</dt><dd>${h(pm.accountName)}</dd>` : ''}
        ${pm.paymentId ? `<dt>Mededeling</dt><dd class="ogm">${h(pm.paymentId)}</dd>` : ''}
        ${inv.paymentTerms ? `<dt>Voorwaarden</dt><dd>${h(inv.paymentTerms)}</dd>` : ''}
      </dl></div>`
      : inv.paymentTerms
        ? `<div class="card payment"><h2>Betaling</h2>${h(inv.paymentTerms)}</div>`
        : '';

  return layout(
    `${kindLabel} ${inv.number}`,
    `<div class="invoice-detail" data-invoice-id="${h(doc.id)}" data-status="${doc.status}" data-kind="${inv.kind}">
  <a class="back" href="/invoices">← Alle facturen</a>
  <div class="detail-head">
    <h1><span class="doc-type">${kindLabel}</span> <span class="invoice-number">${h(inv.number)}</span></h1>
    ${badge(doc.status)}
  </div>
  <div class="invoice-actions">
    <a class="button" href="/invoices/${h(id)}/pdf">PDF downloaden</a>
    ${ubl}
  </div>
  <div class="grid">
    <div class="card"><h2>${kindLabel}</h2><dl class="meta">${meta.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl></div>
    ${partyBlock('Klant', inv.buyer)}
    ${partyBlock('Van', inv.seller)}
  </div>
  <div class="card">
    <table class="lines">
      <thead><tr><th>#</th><th>Omschrijving</th><th class="num">Aantal</th><th class="num">Eenheidsprijs</th><th class="num">Btw</th><th class="num">Bedrag</th></tr></thead>
      <tbody>
      ${lineRows}
      ${acRows}
      </tbody>
    </table>
  </div>
  <div class="summary">
    <div class="card"><h2>Btw-overzicht</h2><table class="vat-breakdown"><thead><tr><th>Tarief</th><th class="num">Maatstaf</th><th class="num">Btw</th></tr></thead><tbody>${vatRows}</tbody></table></div>
    <div class="card"><h2>Totaal</h2><table class="totals">${totals
      .map(([k, v, cls]) => `<tr${cls ? ` class="${cls}"` : ''}><td>${h(k)}</td><td class="num">${h(v)}</td></tr>`)
      .join('')}</table></div>
  </div>
  ${payment}
  ${inv.note ? `<div class="card note">${h(inv.note)}</div>` : ''}
</div>`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const site = await startDemoSite({ port: Number(argValue('--port') ?? 5610), host: argValue('--host') ?? '127.0.0.1' });
  console.log(`FactuurDemo on ${site.url}/invoices (${site.documents.length} documents). Ctrl+C stops it.`);
  const stop = () => void site.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
