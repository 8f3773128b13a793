import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTruth } from '../support/replay';
import { html, listRequests, listVariant, replayedApps, type FrontAnswer } from '../support/app-front';
import { ADAPTERS } from '../../lib/sites/registry';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { bulkStartReply, EngineService, type BulkStartResult } from '../../lib/transfer/service';
import { engineContentRequest, enginePageRequest, type EnginePageRequest } from '../../lib/messaging/protocol';
import { translatorFor } from '../../lib/i18n';

/**
 * Range and period sends from a list page take the app's whole list, all its pages, where the site's adapter can list
 * it (issue: Dolibarr shows 25 rows a page, InvoicePlane 15, so "everything in October" missed the other pages). Here
 * the replayed Dolibarr and InvoicePlane captures are served as two pages; the page the user sees is the first.
 */

const DOLI = 'dolibarr-20';
const PLANE = 'invoiceplane-1.7';
const DOLI_LIST = '/compta/facture/list.php';
const PLANE_LIST = '/index.php/invoices/status/all';
const LOGIN_DOLIBARR =
  '<!DOCTYPE html><html lang="en"><body class="body bodylogin"><form id="login" method="post" action="/compta/facture/list.php">' +
  '<input type="text" name="username"><input type="password" name="password"><input type="submit" value="Login"></form></body></html>';

interface TruthInvoice {
  id: number;
  issue_date: string;
  status: string;
}
const doliTruth = readTruth<{ invoices: TruthInvoice[]; pages: Record<string, { invoice_ids_in_order?: number[] }> }>(DOLI);
/** Dolibarr's list, newest first: [5 (draft), 4, 6] on the first page, [3, 2, 1] on the second. */
const DOLI_ORDER = doliTruth.pages[DOLI_LIST]!.invoice_ids_in_order!.map(String);
const PAGE_ONE = DOLI_ORDER.slice(0, 3);
const PAGE_TWO = DOLI_ORDER.slice(3);

const rowSelector = 'table.tagtable.liste tr[data-rowid]';
const pager = (doc: Document, links: string) => doc.querySelector('div.pagination ul')!.insertAdjacentHTML('beforeend', links);
/** The two pages, built from the capture's own markup with the pager Dolibarr writes (a.paginationnext to page=1). */
const doliPage0 = listVariant(DOLI, DOLI_LIST, rowSelector, (_, i) => i < 3, (doc) =>
  pager(
    doc,
    '<li class="pagination"><span class="active">1</span></li><li class="pagination"><a class="reposition" href="/compta/facture/list.php?page=1&amp;limit=3">2</a></li>' +
      '<li class="pagination paginationpage paginationpageright"><a class="paginationnext reposition" href="/compta/facture/list.php?page=1&amp;limit=3"><i class="fa fa-chevron-right"></i></a></li>',
  ),
);
const doliPage1 = listVariant(DOLI, DOLI_LIST, rowSelector, (_, i) => i >= 3, (doc) =>
  pager(doc, '<li class="pagination"><a class="reposition" href="/compta/facture/list.php?page=0&amp;limit=3">1</a></li><li class="pagination"><span class="active">2</span></li>'),
);

const { apps, front } = replayedApps();
/** Dolibarr in two pages; `state.loggedOut` answers the login form instead, `state.down` a 503. */
function doliRoute(state: { loggedOut?: boolean; down?: boolean } = {}) {
  return (t: URL): FrontAnswer | undefined => {
    if (t.pathname !== DOLI_LIST) return undefined;
    if (state.down) return { status: 503, body: 'maintenance' };
    if (state.loggedOut) return html(LOGIN_DOLIBARR);
    return html(t.searchParams.get('page') === '1' ? doliPage1 : doliPage0);
  };
}

describe('EngineService.startBulk: a range or a period takes the app’s whole list where the adapter lists', () => {
  let db: LedgerDb;
  let name: string;
  let service: EngineService;
  const clock = { now: () => new Date('2026-11-30T03:00:00Z') };
  // Every request the service makes goes through here, so a test can tell that nothing was asked.
  const fetchSpy = vi.fn((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));

  beforeEach(async () => {
    name = `bulk-listing-${Math.random()}`;
    db = new LedgerDb(name);
    const ledger = new Ledger(db, clock);
    fetchSpy.mockClear();
    // Jobs are only queued here (nothing is booked), so the engine has no transport.
    const engine = new TransferEngine({ ledger, dossiersForSite: () => everyDossier(ledger.db), adapters: ADAPTERS, transports: {}, fetch: fetchSpy, clock });
    service = new EngineService({ ledger, engine, adapters: ADAPTERS, fetch: fetchSpy, clock });
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(name);
  });

  type BulkStart = Extract<EnginePageRequest, { type: 'bulk.start' }>;
  const start = (origin: string, adapter: string, documents: BulkStart['documents'], filter: BulkStart['filter']) =>
    service.startBulk({ type: 'bulk.start', origin, documents, filter, includeAlreadyTransferred: false }, { site: new URL(origin).host, origin, adapter });
  const jobDocuments = async (result: BulkStartResult) => {
    if (result.outcome !== 'started') throw new Error(`no job: ${JSON.stringify(result)}`);
    const job = (await db.bulkJobs.get(result.job.jobId))!;
    return (await db.transfers.bulkGet(job.transferIds)).map((t) => t!.documentId).sort();
  };

  it('Dolibarr: a period send from the first page queues the documents of the second page', async () => {
    const f = await front(apps.dolibarr, doliRoute());
    // October to mid-November: nothing on the page shown (it names no row), 2 and 3 on the second page.
    const result = await start(f.url, 'dolibarr', [], { type: 'period', from: '2026-10-01', to: '2026-11-15' });
    expect(result).toMatchObject({ outcome: 'started', scope: 'app', job: { total: 2, skipped: 0, state: 'running', label: '2026-10-01 – 2026-11-15' } });
    expect(await jobDocuments(result)).toEqual(['2', '3']);
    for (const id of ['2', '3']) expect(PAGE_TWO).toContain(id);
    // The worker walked the app's pager with the user's session (the site's base is where it listed).
    expect(listRequests(f, DOLI_LIST).map((r) => new URL(r, f.url).searchParams.get('page'))).toEqual([null, '1']);
    expect(bulkStartReply(result, translatorFor('en'))).toMatchObject({ ok: true, outcome: 'started', scope: 'app', job: { total: 2 } });
  });

  it('Dolibarr: the page’s rows and the list are one set; the app’s word wins, drafts never go', async () => {
    const f = await front(apps.dolibarr, doliRoute());
    // What the first page sends for "November": 4 and 6 (not draft 5), and a row the app's list has not (yet).
    // It also claims 1 is of November: the app says September, so 1 stays out and counts as skipped.
    const page = [
      { id: '4', number: 'FA2611-0004', issueDate: '2026-11-19' },
      { id: '6', number: 'AV2611-0001', issueDate: '2026-11-19' },
      { id: '7', number: 'FA2611-0007', issueDate: '2026-11-28' },
      { id: '1', number: 'FA2609-0001', issueDate: '2026-11-02' },
      { id: '5', number: '(PROV5)', issueDate: '2026-11-21' },
    ];
    const result = await start(f.url, 'dolibarr', page, { type: 'period', from: '2026-11-01', to: '2026-11-30' });
    expect(await jobDocuments(result)).toEqual(['3', '4', '6', '7']);
    // 1 (not of the period, says the app) and draft 5 were named and left out.
    expect(result).toMatchObject({ outcome: 'started', scope: 'app', job: { total: 4, skipped: 2 } });
    expect(doliTruth.invoices.find((i) => i.id === 5)!.status).toBe('draft');

    // A number range: 1 to 3 of 2026 is FA…0001–0003 and the credit note AV2611-0001, over both pages.
    const range = await start(f.url, 'dolibarr', [], { type: 'range', year: 2026, from: 1, to: 3 });
    expect(await jobDocuments(range)).toEqual(['1', '2', '3', '6']);
  });

  it('nothing the filter takes in the whole list: "none", no job', async () => {
    const f = await front(apps.dolibarr, doliRoute());
    // Only draft 5 is dated 21 November.
    expect(await start(f.url, 'dolibarr', [], { type: 'period', from: '2026-11-20', to: '2026-11-21' })).toEqual({ outcome: 'none', scope: 'app' });
    expect(await db.bulkJobs.count()).toBe(0);
    expect(bulkStartReply({ outcome: 'none', scope: 'app' }, translatorFor('en'))).toEqual({ ok: true, outcome: 'none', scope: 'app' });
  });

  it('a listing that fails (login page, HTTP error) queues nothing, not even the page’s rows, and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const state = { loggedOut: true, down: false };
    const f = await front(apps.dolibarr, doliRoute(state));
    const page = [{ id: '4', number: 'FA2611-0004', issueDate: '2026-11-19' }];
    const failed = await start(f.url, 'dolibarr', page, { type: 'period', from: '2026-11-01', to: '2026-11-30' });
    expect(failed).toMatchObject({ outcome: 'list-failed', reason: { key: 'sites_error_list_login', params: ['Dolibarr', f.url] } });
    expect(await db.transfers.count()).toBe(0);
    expect(await db.bulkJobs.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    // The answer to the page: an error in the reader's language, in each of ours.
    const reply = (locale: 'en' | 'nl' | 'fr') => bulkStartReply(failed, translatorFor(locale));
    expect(reply('en')).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message: expect.stringContaining('login page'),
        text: { key: 'engine_bulk_list_failed', params: [`Dolibarr at ${f.url} asked for a login instead of listing its invoices: log in to the app`] },
      },
    });
    const shown = (locale: 'en' | 'nl' | 'fr') => {
      const r = reply(locale);
      if (r.ok) throw new Error('not an error');
      return translatorFor(locale).t(r.error.text!.key, r.error.text!.params);
    };
    expect(shown('en')).toBe(`Nothing was sent: the app’s list could not be read (Dolibarr at ${f.url} asked for a login instead of listing its invoices: log in to the app)`);
    expect(shown('nl')).toBe(`Er werd niets verzonden: de lijst van de app kon niet gelezen worden (Dolibarr op ${f.url} vroeg om aan te melden in plaats van de facturen te tonen: meld je aan in de app)`);
    expect(shown('fr')).toMatch(/^Rien n’a été envoyé : la liste de l’application n’a pas pu être lue \(Dolibarr à .* connectez-vous à l’application\)$/);

    state.loggedOut = false;
    state.down = true;
    const down = await start(f.url, 'dolibarr', page, { type: 'range', year: 2026, from: 1, to: 9 });
    expect(down).toMatchObject({ outcome: 'list-failed', reason: { key: 'error_site_http', params: ['503', expect.stringContaining(DOLI_LIST)] } });
    expect(await db.transfers.count()).toBe(0);

    // Logged in again: the same send goes, from both pages.
    state.down = false;
    expect(await jobDocuments(await start(f.url, 'dolibarr', page, { type: 'period', from: '2026-11-01', to: '2026-11-30' }))).toEqual(['3', '4', '6']);
    expect(warn).toHaveBeenCalledWith('octobridge: bulk send could not list', new URL(f.url).host, expect.objectContaining({ key: 'sites_error_list_login' }));
    warn.mockRestore();
  });

  it('InvoicePlane: a period send takes the second page (the pager’s absolute links on the session’s origin)', async () => {
    const rows = '#filter_results table.table > tbody > tr';
    const setPager = (doc: Document, next: string | undefined) => {
      const [, , nextA, lastA] = Array.from(doc.querySelectorAll('div.model-pager a'));
      if (!next) return;
      for (const a of [nextA!, lastA!]) {
        a.setAttribute('class', 'btn btn-default');
        a.setAttribute('href', next);
      }
    };
    const first = listVariant(PLANE, PLANE_LIST, rows, (_, i) => i < 3, (doc) => setPager(doc, 'http://127.0.0.1:8378/index.php/invoices/status/all/3'));
    const second = listVariant(PLANE, PLANE_LIST, rows, (_, i) => i >= 3, (doc) => setPager(doc, undefined));
    const f = await front(apps.invoicePlane, (t) => (t.pathname === PLANE_LIST ? html(first) : t.pathname === `${PLANE_LIST}/3` ? html(second) : undefined));
    // October: RE-2026-0001 and 0002, which the capture lists last (newest first), so on the second page.
    const result = await start(f.url, 'invoiceplane', [], { type: 'period', from: '2026-10-01', to: '2026-10-31' });
    expect(await jobDocuments(result)).toEqual(['1', '2']);
    expect(listRequests(f, PLANE_LIST)).toEqual([PLANE_LIST, `${PLANE_LIST}/3`]);
  });

  it('an adapter that cannot list (generic): only the page’s rows, and nothing is fetched', async () => {
    const page = [
      { id: 'dl~a', number: 'INV-2026-0001', issueDate: '2026-10-02' },
      { id: 'dl~b', number: 'INV-2026-0002', issueDate: '2026-10-20' },
      { id: 'dl~c', number: 'INV-2026-0003', issueDate: '2026-11-05' },
    ];
    const result = await start('http://shop.test', 'generic', page, { type: 'period', from: '2026-10-01', to: '2026-10-31' });
    expect(result).toMatchObject({ outcome: 'started', scope: 'page', job: { total: 2, skipped: 1 } });
    expect(await jobDocuments(result)).toEqual(['dl~a', 'dl~b']);
    expect(await start('http://shop.test', 'generic', [], { type: 'range', year: 2026, from: 5, to: 9 })).toEqual({ outcome: 'none', scope: 'page' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a selection sends what it names, without listing', async () => {
    const f = await front(apps.dolibarr, doliRoute());
    const result = await start(f.url, 'dolibarr', [{ id: '4' }, { id: '3' }], { type: 'selection' });
    expect(await jobDocuments(result)).toEqual(['3', '4']);
    expect(result).toMatchObject({ scope: 'page' });
    expect(listRequests(f, DOLI_LIST)).toEqual([]);
  });
});

describe('the bulk.start messages', () => {
  const period = { type: 'period', from: '2026-10-01', to: '2026-10-31' } as const;
  it('a range or a period may name no document (the worker lists); a selection names at least one', () => {
    for (const schema of [engineContentRequest, enginePageRequest]) {
      const base = schema === enginePageRequest ? { type: 'bulk.start', origin: 'http://shop.test' } : { type: 'bulk.start' };
      expect(schema.safeParse({ ...base, documents: [], filter: period }).success).toBe(true);
      expect(schema.safeParse({ ...base, documents: [], filter: { type: 'range', year: 2026, from: 1, to: 9 } }).success).toBe(true);
      const selection = schema.safeParse({ ...base, documents: [], filter: { type: 'selection' } });
      expect(selection.success).toBe(false);
      expect(selection.error!.issues).toEqual([expect.objectContaining({ path: ['documents'], message: 'a selection names at least one document' })]);
      expect(schema.safeParse({ ...base, documents: [{ id: 'a' }], filter: { type: 'selection' } }).success).toBe(true);
      // The bounds stay: at most 5000 documents, safe ids, a period in order.
      expect(schema.safeParse({ ...base, documents: Array.from({ length: 5001 }, (_, i) => ({ id: `d${i}` })), filter: period }).success).toBe(false);
      expect(schema.safeParse({ ...base, documents: [{ id: '../x' }], filter: period }).success).toBe(false);
      expect(schema.safeParse({ ...base, documents: [], filter: { type: 'period', from: '2026-10-31', to: '2026-10-01' } }).success).toBe(false);
      expect(schema.safeParse({ ...base, documents: [], filter: { type: 'range', year: 1800, from: 1, to: 9 } }).success).toBe(false);
    }
    // The extension page's default filter is a selection: still at least one document.
    expect(enginePageRequest.safeParse({ type: 'bulk.start', origin: 'http://shop.test', documents: [] }).success).toBe(false);
  });
});
