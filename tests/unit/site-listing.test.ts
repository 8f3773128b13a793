import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTruth, recordedText } from '../support/replay';
import { html, listRequests, listVariant, replayedApps } from '../support/app-front';
import { dolibarr, DOLIBARR_LIST_LIMIT } from '../../lib/sites/dolibarr.fetch';
import { invoicePlane } from '../../lib/sites/invoiceplane.fetch';
import { LIST_MAX_PAGES } from '../../lib/sites/listing';
import { scheduleStatusWord, type SiteListedDocument } from '../../lib/sites/types';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { EngineService, SCHEDULE_LOG } from '../../lib/transfer/service';
import { defaultRules, rulesPolicy, type DossierRules } from '../../lib/transfer/rules';
import { CATALOG } from '../../lib/i18n';

interface TruthInvoice {
  id: number;
  number: string;
  type: 'invoice' | 'credit_note';
  status: 'draft' | 'unpaid' | 'partially_paid' | 'paid' | 'abandoned';
  status_label_shown: string;
  issue_date: string;
  due_date: string | null;
  customer: { name: string };
  currency: string;
  totals: { gross: string };
}
interface Truth {
  invoices: TruthInvoice[];
  pages: Record<string, { invoice_ids_in_order?: number[] }>;
}

const DOLI = 'dolibarr-20';
const PLANE = 'invoiceplane-1.7';
const DOLI_LIST = '/compta/facture/list.php';
const PLANE_LIST = '/index.php/invoices/status/all';
const doliTruth = readTruth<Truth>(DOLI);
const planeTruth = readTruth<Truth>(PLANE);

/** What the listing must say of one invoice, straight from truth.json. */
function expected(t: TruthInvoice, options: { currency: boolean }) {
  return {
    id: String(t.id),
    number: t.number,
    kind: t.type === 'credit_note' ? 'credit-note' : 'invoice',
    state: t.status,
    status: scheduleStatusWord(t.status),
    statusLabel: t.status_label_shown,
    issueDate: t.issue_date,
    ...(t.due_date ? { dueDate: t.due_date } : {}),
    counterparty: t.customer.name,
    total: t.totals.gross,
    ...(options.currency ? { currency: t.currency } : {}),
    sendable: t.status !== 'draft',
    ...(t.status === 'draft' ? { notSendableReason: 'sites_draft_not_sendable' } : {}),
  };
}

function expectListingEqualsTruth(listed: SiteListedDocument[], truth: Truth, order: number[], options: { currency: boolean }) {
  const byId = new Map(truth.invoices.map((t) => [t.id, t]));
  expect(listed.map((d) => Number(d.id))).toEqual(order);
  for (const doc of listed) expect(doc, doc.number).toEqual(expected(byId.get(Number(doc.id))!, options));
}

const LOGIN_DOLIBARR =
  '<!DOCTYPE html><html lang="en"><head><meta name="author" content="Dolibarr Development Team"></head><body class="body bodylogin">' +
  '<form id="login" name="login" method="post" action="/compta/facture/list.php"><input type="text" id="username" name="username">' +
  '<input type="password" id="password" name="password"><input type="submit" value="Login"></form></body></html>';
const LOGIN_PLANE =
  '<!DOCTYPE html><html lang="en"><head><meta name="csrf_token_name" content="_ip_csrf"></head><body><div id="login">' +
  '<form class="form-horizontal" method="post" action="http://127.0.0.1:8378/index.php/sessions/login"><input type="email" name="email" id="email">' +
  '<input type="password" name="password" id="password"><input type="submit" name="btn_login" value="Login"></form></div></body></html>';

const { apps, front } = replayedApps();

describe('Dolibarr: the worker lists the customer invoices without a tab', () => {
  it('equals truth.json, asking for a large page; the credit note and the draft as the app has them', async () => {
    // The capture has the list without a query; the front answers it for the listing's own query (limit…).
    const f = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? html(recordedText(DOLI, DOLI_LIST)) : undefined));
    const listed = await dolibarr.listDocuments(f.url, fetch);
    expectListingEqualsTruth(listed, doliTruth, doliTruth.pages[DOLI_LIST]!.invoice_ids_in_order!, { currency: false });
    const asked = listRequests(f, DOLI_LIST);
    expect(asked).toHaveLength(1);
    expect(new URL(asked[0]!, f.url).searchParams.get('limit')).toBe(String(DOLIBARR_LIST_LIMIT));
    // The rules read the status word: "unpaid" must not read as paid.
    expect(listed.find((d) => d.id === '2')).toMatchObject({ state: 'partially_paid', status: 'sent' });
    expect(listed.find((d) => d.id === '5')).toMatchObject({ state: 'draft', status: 'draft', sendable: false });
  });

  // Two pages built from the fixture's own markup: the first three rows with the pager Dolibarr writes when there is
  // more (a.paginationnext to page=1, keeping the query), the last three with only the link back.
  const pager = (doc: Document, html: string) => {
    const ul = doc.querySelector('div.pagination ul')!;
    ul.insertAdjacentHTML('beforeend', html);
  };
  const order = doliTruth.pages[DOLI_LIST]!.invoice_ids_in_order!;
  const rowSelector = 'table.tagtable.liste tr[data-rowid]';
  const page0 = (links: string) => listVariant(DOLI, DOLI_LIST, rowSelector, (_, i) => i < 3, (doc) => pager(doc, links));
  const page1 = listVariant(DOLI, DOLI_LIST, rowSelector, (_, i) => i >= 3, (doc) =>
    pager(
      doc,
      '<li class="pagination paginationpage paginationpageleft"><a class="paginationprevious reposition" href="/compta/facture/list.php?page=0&amp;sortfield=f.rowid&amp;sortorder=DESC&amp;limit=3"><i class="fa fa-chevron-left"></i></a></li>' +
        '<li class="pagination"><a class="reposition" href="/compta/facture/list.php?page=0&amp;sortfield=f.rowid&amp;sortorder=DESC&amp;limit=3">1</a></li><li class="pagination"><span class="active">2</span></li>',
    ),
  );
  const byPage = (first: string) => (t: URL) => (t.pathname === DOLI_LIST ? html(t.searchParams.get('page') === '1' ? page1 : first) : undefined);

  it('follows the pager (a.paginationnext) to the end, and not back', async () => {
    const next =
      '<li class="pagination"><span class="active">1</span></li><li class="pagination"><a class="reposition" href="/compta/facture/list.php?page=1&amp;sortfield=f.rowid&amp;sortorder=DESC&amp;limit=3">2</a></li>' +
      '<li class="pagination paginationpage paginationpageright"><a class="paginationnext reposition" href="/compta/facture/list.php?page=1&amp;sortfield=f.rowid&amp;sortorder=DESC&amp;limit=3"><i class="fa fa-chevron-right"></i></a></li>';
    const f = await front(apps.dolibarr, byPage(page0(next)));
    const listed = await dolibarr.listDocuments(f.url, fetch);
    expectListingEqualsTruth(listed, doliTruth, order, { currency: false });
    const asked = listRequests(f, DOLI_LIST).map((r) => new URL(r, f.url).searchParams.get('page'));
    expect(asked).toEqual([null, '1']);
  });

  it('follows the numbered link to the next page when there is no arrow', async () => {
    const numbered = '<li class="pagination"><span class="active">1</span></li><li class="pagination"><a class="reposition" href="/compta/facture/list.php?page=1&amp;limit=3">2</a></li>';
    const f = await front(apps.dolibarr, byPage(page0(numbered)));
    expectListingEqualsTruth(await dolibarr.listDocuments(f.url, fetch), doliTruth, order, { currency: false });
    expect(listRequests(f, DOLI_LIST)).toHaveLength(2);
  });

  it(`stops at ${LIST_MAX_PAGES} pages when the pager never ends, and when it goes round`, async () => {
    // Every page names the next one and holds new ids (the fixture's rows renumbered per page).
    const endless = (t: URL) => {
      if (t.pathname !== DOLI_LIST) return undefined;
      const n = Number(t.searchParams.get('page') ?? '0');
      const body = recordedText(DOLI, DOLI_LIST)
        .replace(/data-rowid="(\d+)"/g, (_, id: string) => `data-rowid="${n * 10 + Number(id)}"`)
        .replace('<div class="pagination"><ul>', `<div class="pagination"><ul><li><a class="paginationnext" href="/compta/facture/list.php?page=${n + 1}">&gt;</a></li>`);
      return html(body);
    };
    const f = await front(apps.dolibarr, endless);
    const listed = await dolibarr.listDocuments(f.url, fetch);
    expect(listRequests(f, DOLI_LIST)).toHaveLength(LIST_MAX_PAGES);
    expect(listed).toHaveLength(LIST_MAX_PAGES * 6);
    // A pager whose next page repeats the same rows adds nothing: the listing stops there.
    const round = await front(apps.dolibarr, (t) =>
      t.pathname === DOLI_LIST
        ? html(recordedText(DOLI, DOLI_LIST).replace('<div class="pagination"><ul>', `<div class="pagination"><ul><li><a class="paginationnext" href="/compta/facture/list.php?page=${Number(t.searchParams.get('page') ?? 0) + 1}">&gt;</a></li>`))
        : undefined,
    );
    expect(await dolibarr.listDocuments(round.url, fetch)).toHaveLength(6);
    expect(listRequests(round, DOLI_LIST)).toHaveLength(2);
  });

  it('a login page instead of the list (session expired) is a clear error, not an empty list', async () => {
    const f = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? html(LOGIN_DOLIBARR) : undefined));
    await expect(dolibarr.listDocuments(f.url, fetch)).rejects.toMatchObject({ key: 'sites_error_list_login', params: ['Dolibarr', f.url], retriable: false });
    const other = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? html('<html><body><p>Access denied</p></body></html>') : undefined));
    await expect(dolibarr.listDocuments(other.url, fetch)).rejects.toMatchObject({ key: 'sites_error_not_a_list', retriable: false });
    const down = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? { status: 503, body: 'maintenance' } : undefined));
    await expect(dolibarr.listDocuments(down.url, fetch)).rejects.toMatchObject({ key: 'error_site_http', retriable: true });
    for (const key of ['sites_error_list_login', 'sites_error_not_a_list']) expect(CATALOG[key]?.fr, key).toContain('{1}');
  });
});

describe('InvoicePlane: the worker lists the invoices without a tab', () => {
  it('equals truth.json, straight from the replayed list page', async () => {
    const listed = await invoicePlane.listDocuments(apps.invoicePlane.url, fetch);
    expectListingEqualsTruth(listed, planeTruth, planeTruth.pages[PLANE_LIST]!.invoice_ids_in_order!, { currency: true });
    expect(apps.invoicePlane.misses).toEqual([]);
    expect(listed.find((d) => d.id === '6')).toMatchObject({ kind: 'credit-note', total: '-3100.00', status: 'sent' });
  });

  it('follows the pager to the last page; its absolute links (the capture port) are taken on the listing origin', async () => {
    // Two pages built from the fixture's markup: the model pager as InvoicePlane writes it (offset in the path, the
    // app's absolute base_url, which here names the capture's port 8378 and not the front's).
    const order = planeTruth.pages[PLANE_LIST]!.invoice_ids_in_order!;
    const rows = '#filter_results table.table > tbody > tr';
    const setPager = (doc: Document, next: string | undefined) => {
      const [, , nextA, lastA] = Array.from(doc.querySelectorAll('div.model-pager a'));
      for (const a of [nextA!, lastA!]) {
        if (next) {
          a.setAttribute('class', 'btn btn-default');
          a.setAttribute('href', next);
        }
      }
    };
    const first = listVariant(PLANE, PLANE_LIST, rows, (_, i) => i < 4, (doc) => setPager(doc, 'http://127.0.0.1:8378/index.php/invoices/status/all/4'));
    const second = listVariant(PLANE, PLANE_LIST, rows, (_, i) => i >= 4, (doc) => setPager(doc, undefined));
    const f = await front(apps.invoicePlane, (t) => (t.pathname === PLANE_LIST ? html(first) : t.pathname === `${PLANE_LIST}/4` ? html(second) : undefined));
    const listed = await invoicePlane.listDocuments(f.url, fetch);
    expectListingEqualsTruth(listed, planeTruth, order, { currency: true });
    expect(listRequests(f, PLANE_LIST)).toEqual([PLANE_LIST, `${PLANE_LIST}/4`]);
  });

  it('a redirect to the login page (session expired) is a clear error, not an empty list', async () => {
    const f = await front(apps.invoicePlane, (t) =>
      t.pathname === PLANE_LIST
        ? { status: 302, body: '', headers: { location: '/index.php/sessions/login' } }
        : t.pathname === '/index.php/sessions/login'
          ? html(LOGIN_PLANE)
          : undefined,
    );
    await expect(invoicePlane.listDocuments(f.url, fetch)).rejects.toMatchObject({ key: 'sites_error_list_login', params: ['InvoicePlane', f.url] });
    expect(f.requests).toContain('/index.php/sessions/login');
  });
});

describe('a scheduled run on a Dolibarr or InvoicePlane site', () => {
  let db: LedgerDb;
  let name: string;
  let service: EngineService;
  const now = { t: Date.parse('2026-11-30T02:30:00Z') };
  const clock = { now: () => new Date(now.t) };

  beforeEach(async () => {
    now.t = Date.parse('2026-11-30T02:30:00Z');
    name = `site-listing-${Math.random()}`;
    db = new LedgerDb(name);
    const ledger = new Ledger(db, clock);
    await db.dossiers.put({
      id: 'd1',
      name: 'Demo BV',
      octopusDossierId: 1001,
      connectionId: 'c1',
      transport: 'webservice',
      journals: { sales: 'V1', salesCreditNotes: 'V2', purchases: 'A1' },
      defaultAccounts: { sales: '700000', purchases: '604000' },
      vatCodeOverrides: {},
      mailbox: {},
    });
    // The run only queues here (nothing is booked), so the engine has no transport.
    const engine = new TransferEngine({ ledger, dossiersForSite: () => everyDossier(ledger.db), adapters: [dolibarr, invoicePlane], transports: {}, fetch, clock, policy: rulesPolicy((id) => service.rulesFor(id)) });
    service = new EngineService({ ledger, engine, adapters: [dolibarr, invoicePlane], fetch, clock });
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(name);
  });

  const nightly = async (edit?: (rules: DossierRules) => void) => {
    const rules: DossierRules = { ...defaultRules('d1'), schedule: { type: 'nightly', hour: 2 } };
    edit?.(rules);
    expect(await service.saveRules(rules)).toMatchObject({ ok: true });
  };
  const queuedIds = async (site: string) =>
    (await db.transfers.toArray())
      .filter((t) => t.site === site)
      .map((t) => t.documentId)
      .sort();

  it('InvoicePlane: finds the documents and queues those the rules take (not the draft; "paid" means paid)', async () => {
    const host = new URL(apps.invoicePlane.url).host;
    await service.rememberSite({ site: host, origin: apps.invoicePlane.url, adapter: 'invoiceplane' });
    await nightly((r) => (r.kinds.salesInvoice.status = 'paid'));
    const runs = await service.runDueSchedules();
    // Paid invoice 1 (the unpaid and partly paid ones wait for "paid"), and credit note 6 ("sent"); never draft 5.
    expect(runs).toEqual([expect.objectContaining({ dossierId: 'd1', site: host, queued: 2 })]);
    expect(await queuedIds(host)).toEqual(['1', '6']);
    const outbox = await db.outbox.toArray();
    expect(outbox.every((o) => o.scheduledFor === 'd1')).toBe(true);
  });

  it('Dolibarr: finds and queues every validated document; a second run queues nothing twice', async () => {
    const f = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? html(recordedText(DOLI, DOLI_LIST)) : undefined));
    const host = new URL(f.url).host;
    await service.rememberSite({ site: host, origin: f.url, adapter: 'dolibarr' });
    await nightly();
    const runs = await service.runDueSchedules();
    expect(runs).toEqual([expect.objectContaining({ site: host, queued: 5 })]);
    expect(await queuedIds(host)).toEqual(['1', '2', '3', '4', '6']);
    expect(await service.scheduleLog()).toEqual([]);
    // The next night lists again and finds the same documents: still one transfer each.
    now.t += 24 * 60 * 60_000;
    await service.runDueSchedules();
    expect(listRequests(f, DOLI_LIST)).toHaveLength(2);
    expect(await queuedIds(host)).toEqual(['1', '2', '3', '4', '6']);
  });

  it('a failed listing is logged, not taken for "nothing to send", and the site is listed again later', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let loggedOut = true;
    const f = await front(apps.dolibarr, (t) => (t.pathname === DOLI_LIST ? html(loggedOut ? LOGIN_DOLIBARR : recordedText(DOLI, DOLI_LIST)) : undefined));
    const host = new URL(f.url).host;
    await service.rememberSite({ site: host, origin: f.url, adapter: 'dolibarr' });
    await nightly();
    const runs = await service.runDueSchedules();
    expect(runs).toEqual([{ dossierId: 'd1', site: host, queued: 0, failed: { key: 'sites_error_list_login', params: ['Dolibarr', f.url] } }]);
    expect(await db.transfers.count()).toBe(0);
    expect(warn).toHaveBeenCalledWith('octobridge: scheduled run could not list', host, expect.objectContaining({ key: 'sites_error_list_login' }));
    const log = await service.scheduleLog();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      level: 'error',
      dossierId: 'd1',
      site: host,
      text: { key: 'engine_schedule_list_failed', params: [host] },
      reason: { key: 'sites_error_list_login' },
      at: new Date(now.t).toISOString(),
      retryAt: new Date(now.t + 15 * 60_000).toISOString(),
    });
    expect((await db.settings.get(SCHEDULE_LOG))?.value).toHaveLength(1);
    for (const locale of ['en', 'nl', 'fr'] as const) expect(CATALOG.engine_schedule_list_failed?.[locale]).toContain('{1}');
    // The alarm comes back for the retry, long before the next night.
    expect((await service.nextScheduledRun())?.toISOString()).toBe(log[0]!.retryAt);

    // Still logged out at the retry: logged again, and the wait doubles.
    now.t += 16 * 60_000;
    expect(await service.runDueSchedules()).toEqual([expect.objectContaining({ queued: 0, failed: expect.objectContaining({ key: 'sites_error_list_login' }) })]);
    expect((await service.scheduleLog()).at(-1)?.retryAt).toBe(new Date(now.t + 30 * 60_000).toISOString());

    // The user logged in again: the retry finds and queues the documents, and no retry is left.
    loggedOut = false;
    now.t += 31 * 60_000;
    expect(await service.runDueSchedules()).toEqual([expect.objectContaining({ site: host, queued: 5 })]);
    expect(await queuedIds(host)).toEqual(['1', '2', '3', '4', '6']);
    const next = await service.nextScheduledRun();
    expect(next!.getTime()).toBeGreaterThan(now.t + 60 * 60_000);
    expect(await service.runDueSchedules()).toEqual([]);
    expect(await service.scheduleLog()).toHaveLength(2);
    warn.mockRestore();
  });
});
