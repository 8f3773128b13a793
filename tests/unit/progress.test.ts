import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { BulkJobs, type BulkProgress } from '../../lib/transfer/bulk';
import { translatorFor } from '../../lib/i18n';
import { Overlay, type OverlayPort } from '../../lib/overlay/overlay';
import { factuurDemoDom } from '../../lib/sites/factuurdemo.dom';
import {
  BulkRangeControls,
  documentsFor,
  EditWarning,
  findEditAction,
  messagePort,
  parsePeriod,
  parseRange,
  ProgressPanel,
  type PageDocument,
  type ProgressPort,
  type RangeOrPeriod,
} from '../../lib/overlay/progress';
import { control, rootOf, userEvents } from '../support/closed';
import { DocumentFetchError, type RowInfo, type SiteAdapter } from '../../lib/sites/types';
import type { Clock } from '../../lib/platform/clock';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { bulkStartReply, EngineService } from '../../lib/transfer/service';
import { bulkPreviewReply } from '../../lib/transfer/bulk-plan';
import { engineContentRequest } from '../../lib/messaging/protocol';
import type { ListedDocument } from '../../lib/transfer/schedule';
import type { Translator } from '../../lib/i18n/translator';

/**
 * The page side of bulk sends, against the real BulkJobs of the ledger (fake-indexeddb): the bar shows what the
 * job rows say, a cancel goes through to the ledger, a new panel (a reloaded page) finds the running job again;
 * the bulk bar's range and period sends pick the rows the worker's own selection picks, and refuse bad input in
 * the user's language.
 */

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function page(html: string, url = 'http://127.0.0.1:5610/invoices'): Document {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  windows.push(window);
  window.document.write(html);
  return window.document as unknown as Document;
}

class TestClock implements Clock {
  constructor(public ms: number) {}
  now() {
    return new Date(this.ms);
  }
}

let dbCount = 0;
async function engineSide() {
  const db = new LedgerDb(`progress-test-${++dbCount}`);
  const clock = new TestClock(Date.parse('2026-03-02T10:00:00Z'));
  const ledger = new Ledger(db, clock);
  const jobs = new BulkJobs(ledger, clock);
  return { db, ledger, jobs, clock };
}

/** A port straight onto BulkJobs, as the worker answers a content script of site "shop.test". */
function portOn(jobs: BulkJobs, started: { documents: PageDocument[]; filter: RangeOrPeriod }[] = []): ProgressPort {
  return {
    async preview() {
      throw new Error('no preview in these tests');
    },
    progress: () => jobs.recent({ site: 'shop.test' }),
    async cancel(jobId) {
      await jobs.cancel(jobId);
    },
    async start(documents, filter) {
      started.push({ documents, filter });
      const { job } = await jobs.start({ site: 'shop.test', origin: 'http://shop.test', adapter: 'factuurdemo', transport: 'webservice', documents, label: filter.type });
      return { outcome: 'started', job: (await jobs.progress(job.id))!, scope: 'page' };
    },
    async warnEdit() {
      return { warn: false };
    },
  };
}

const nl = translatorFor('nl');
const en = translatorFor('en');

describe('the in-page progress bar', () => {
  it('shows done / total, failures and time left from the ledger, cancels through it, and comes back on a new page', async () => {
    const { ledger, jobs, clock } = await engineSide();
    const { job } = await jobs.start({
      site: 'shop.test',
      origin: 'http://shop.test',
      adapter: 'factuurdemo',
      transport: 'webservice',
      documents: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, number: `2026-${id}` })),
      label: '2026 1–5',
    });
    // One sent, one failed for good, three waiting; ten seconds in.
    const [a, b] = job.transferIds;
    await ledger.markSent(a!, { journal: 'V1', bookyear: 1, documentSequenceNr: 7 }, { key: 'log_booked', params: ['V1'] });
    await ledger.markFailed(b!, { text: { key: 'octopus_error_journal_open', params: ['V1'] } }, undefined);
    clock.ms += 10_000;

    const doc = page('<html><head></head><body><div class="octobridge-bulk">bar</div><table></table></body></html>');
    const panel = new ProgressPanel(doc, portOn(jobs), nl, { pollMs: 20, ...userEvents });
    panel.placeAfter(doc.querySelector('.octobridge-bulk')!);
    await panel.start();
    const node = doc.querySelector<HTMLElement>(`.octobridge-job[data-job-id="${job.id}"]`)!;
    expect(node).not.toBeNull();
    expect(node.getAttribute('data-state')).toBe('running');
    // Right below the bulk bar, not floating.
    expect(doc.querySelector('.octobridge-bulk')!.nextElementSibling!.classList.contains('octobridge-progress')).toBe(true);
    expect(node.querySelector('.octobridge-job-done')!.textContent).toBe('1 van 5 verzonden');
    expect(node.querySelector('.octobridge-job-failed')!.textContent).toBe('1 vragen actie');
    // 10 s for one document, three to go: about 30 s.
    expect(node.querySelector('.octobridge-job-eta')!.textContent).toBe('nog ongeveer 30 s');
    expect(node.querySelector('progress')!.getAttribute('max') ?? String((node.querySelector('progress') as HTMLProgressElement).max)).toBe('5');
    expect((node.querySelector('progress') as HTMLProgressElement).value).toBe(2);

    // A reloaded page: a new panel on a new document, no bulk bar (a detail page): it floats, same job.
    const again = page('<html><head></head><body><p>detail</p></body></html>', 'http://127.0.0.1:5610/invoices/2026-a');
    const second = new ProgressPanel(again, portOn(jobs), en, { pollMs: 20 });
    await second.start();
    const floating = again.querySelector('.octobridge-progress')!;
    expect(floating.classList.contains('octobridge-progress-floating')).toBe(true);
    expect(floating.querySelector(`[data-job-id="${job.id}"] .octobridge-job-done`)!.textContent).toBe('1 of 5 sent');

    // Cancel from the first page: the three waiting ones are cancelled in the ledger, the bar says so.
    (node.querySelector('.octobridge-job-cancel') as HTMLButtonElement).click();
    await expect.poll(() => doc.querySelector(`.octobridge-job[data-job-id="${job.id}"]`)?.getAttribute('data-state')).toBe('cancelled');
    const after = (await jobs.progress(job.id))!;
    expect(after).toMatchObject({ state: 'cancelled', done: 1, failed: 1, cancelled: 3, pending: 0 });
    expect(doc.querySelector('.octobridge-job-end')!.textContent).toBe('Geannuleerd');
    expect(doc.querySelector('.octobridge-job-cancel')).toBeNull();
    // The second page, polling, sees it end too; a page opened now shows nothing (the job no longer runs).
    await expect.poll(() => again.querySelector(`[data-job-id="${job.id}"]`)?.getAttribute('data-state')).toBe('cancelled');
    const third = page('<html><head></head><body></body></html>');
    await new ProgressPanel(third, portOn(jobs), en).start();
    expect(third.querySelector('.octobridge-job')).toBeNull();
    // Closing the finished bar removes it.
    (doc.querySelector('.octobridge-job-close') as HTMLButtonElement).click();
    expect(doc.querySelector('.octobridge-progress')).toBeNull();
    panel.stop();
    second.stop();
  });

  it('keeps the cancel button in place while nothing shown changes', async () => {
    const { jobs, clock } = await engineSide();
    await jobs.start({ site: 'shop.test', origin: 'http://shop.test', adapter: 'x', transport: 'webservice', documents: [{ id: 'a' }, { id: 'b' }], label: '2' });
    const doc = page('<html><head></head><body></body></html>');
    const panel = new ProgressPanel(doc, portOn(jobs), en, { pollMs: 10_000, ...userEvents });
    await panel.start();
    const button = doc.querySelector('.octobridge-job-cancel');
    clock.ms += 5_000;
    await panel.refresh();
    expect(doc.querySelector('.octobridge-job-cancel')).toBe(button);
    panel.stop();
    expect(doc.querySelector('.octobridge-progress')).toBeNull();
  });
});

describe('range and period input', () => {
  it('reads a number range and a period, and names what is wrong', () => {
    expect(parseRange({ year: '2026', from: '1', to: '10' })).toEqual({ ok: true, value: { type: 'range', year: 2026, from: 1, to: 10 } });
    const bad = (r: ReturnType<typeof parseRange> | ReturnType<typeof parsePeriod>) => (r.ok ? 'ok' : nl.t(r.error.key, r.error.params));
    expect(bad(parseRange({ year: '26', from: '1', to: '10' }))).toBe('Geef een jaar van 1990 tot 2100 in, niet „26”');
    expect(bad(parseRange({ year: '2026', from: 'een', to: '10' }))).toBe('Geef een geheel getal vanaf 0 in voor de reeks, niet „een”');
    expect(bad(parseRange({ year: '2026', from: '1', to: '' }))).toContain('niet „”');
    expect(bad(parseRange({ year: '2026', from: '10', to: '1' }))).toBe('Het begin (10) mag niet na het einde (1) komen');
    expect(parsePeriod({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ ok: true, value: { type: 'period', from: '2026-01-01', to: '2026-03-31' } });
    expect(bad(parsePeriod({ from: '2026-02-30', to: '2026-03-31' }))).toBe('Geef een datum in als JJJJ-MM-DD, niet „2026-02-30”');
    expect(bad(parsePeriod({ from: '2026-04-01', to: '2026-03-31' }))).toBe('Het begin (2026-04-01) mag niet na het einde (2026-03-31) komen');
  });

  it('picks the sendable rows of a number range of a year, or of a period, as the worker does', () => {
    const rows: RowInfo[] = [
      { documentId: 'i1', number: '2026-0001', issueDate: '2026-01-05', sendable: true },
      { documentId: 'i2', number: '2026-0002', issueDate: '2026-02-10', sendable: true },
      { documentId: 'i3', number: '2026-0003', issueDate: '2026-03-15', sendable: false },
      { documentId: 'i11', number: '2026-0011', issueDate: '2026-04-01', sendable: true },
      { documentId: 'old', number: '2025-0002', issueDate: '2025-12-30', sendable: true },
      { documentId: 'cn1', number: 'CN-2026-0001', issueDate: '2026-03-31', sendable: true },
    ];
    expect(documentsFor(rows, { type: 'range', year: 2026, from: 1, to: 10 }).map((d) => d.id)).toEqual(['i1', 'cn1', 'i2']);
    expect(documentsFor(rows, { type: 'range', year: 2025, from: 1, to: 10 }).map((d) => d.id)).toEqual(['old']);
    expect(documentsFor(rows, { type: 'period', from: '2026-02-01', to: '2026-03-31' })).toEqual([
      { id: 'i2', number: '2026-0002', issueDate: '2026-02-10' },
      { id: 'cn1', number: 'CN-2026-0001', issueDate: '2026-03-31' },
    ]);
  });
});

const LIST = `<html><head><meta name="generator" content="FactuurDemo 1.0"></head><body>
<table id="invoice-list"><thead><tr><th class="col-number">Nummer</th><th class="col-date">Datum</th><th class="col-status">Status</th><th class="col-actions">Acties</th></tr></thead><tbody>
${[
  ['2026-0012', '2026-04-02', 'sent'],
  ['2026-0011', '2026-03-20', 'paid'],
  ['2026-0003', '2026-01-20', 'draft'],
  ['2026-0002', '2026-01-11', 'paid'],
  ['2026-0001', '2026-01-02', 'paid'],
]
  .map(([n, d, s]) => `<tr data-invoice-id="${n}" data-status="${s}"><td class="col-number"><a href="/invoices/${n}">${n}</a></td><td class="col-date"><time datetime="${d}">x</time></td><td class="col-status">${s}</td><td class="col-actions"><a href="/invoices/${n}/pdf">PDF</a></td></tr>`)
  .join('\n')}
</tbody></table></body></html>`;

const quietPort: OverlayPort = {
  async send(documents) {
    return documents.map((d) => ({ documentId: d.id, outcome: 'queued' }));
  },
  async resend() {},
  async status() {
    return [];
  },
  onStatus() {},
};

function setValue(input: HTMLInputElement, value: string) {
  input.value = value;
}

/**
 * The worker's side of the bar's messages, as lib/extension/worker.ts answers a content script of "shop.test": the
 * message parsed with the protocol's schema, EngineService.startBulk on the ledger, bulkStartReply; the page talks
 * to it through its real messagePort. `requests` keeps what the page sent.
 */
async function workerSide(adapter: SiteAdapter, t: Translator) {
  const side = await engineSide();
  const engine = new TransferEngine({ ledger: side.ledger, dossiersForSite: () => everyDossier(side.ledger.db), adapters: [adapter], transports: {}, fetch, clock: side.clock });
  const service = new EngineService({ ledger: side.ledger, engine, adapters: [adapter], fetch, clock: side.clock });
  const where = { site: 'shop.test', origin: 'http://shop.test', adapter: adapter.id };
  const requests: { documents: PageDocument[]; filter: unknown }[] = [];
  const previews: { documents: PageDocument[]; filter: unknown }[] = [];
  const port = messagePort(async (raw) => {
    const parsed = engineContentRequest.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: parsed.error.message } };
    const request = parsed.data;
    if (request.type === 'bulk.progress') return { ok: true, jobs: await service.progress(undefined, 'shop.test') };
    if (request.type === 'bulk.preview') {
      previews.push({ documents: request.documents, filter: request.filter });
      const preview = await service.previewBulk({ documents: request.documents, filter: request.filter }, where);
      return preview.outcome === 'preview' ? bulkPreviewReply(preview.plan, preview.scope) : bulkStartReply(preview, t);
    }
    if (request.type !== 'bulk.start') throw new Error(`not asked here: ${request.type}`);
    requests.push({ documents: request.documents, filter: request.filter });
    const result = await service.startBulk({ type: 'bulk.start', origin: where.origin, documents: request.documents, filter: request.filter, includeAlreadyTransferred: false }, where);
    return bulkStartReply(result, t);
  }, adapter.id);
  return { ...side, service, port, requests, previews };
}

const notFetched = async (): Promise<never> => {
  throw new Error('nothing is fetched in these tests');
};
/** FactuurDemo's page side with a worker side that cannot list (as the generic adapter): only the page's rows count. */
const pageOnlyAdapter: SiteAdapter = { ...factuurDemoDom, fetchDocument: notFetched };
/** FactuurDemo's page side with a worker side that lists the app's whole list (all its pages) by `list`. */
const listingAdapter = (list: () => Promise<ListedDocument[]>): SiteAdapter & { listDocuments(): Promise<ListedDocument[]> } => ({
  ...factuurDemoDom,
  fetchDocument: notFetched,
  listDocuments: list,
});

/** The bulk bar of LIST with the range/period controls and the progress bar, over `port`. */
function listPage(port: ProgressPort, t: Translator) {
  const doc = page(LIST);
  const panel = new ProgressPanel(doc, port, t, { pollMs: 50 });
  let overlay: Overlay | undefined;
  const controls = new BulkRangeControls(doc, () => overlay!.rows(), port, t, (job) => void panel.track(job), () => new Date('2026-05-01T12:00:00Z'), userEvents.isUserEvent);
  overlay = new Overlay(doc, factuurDemoDom, quietPort, t, { ...userEvents, onBulkBar: (bar) => {
    controls.attach(bar);
    panel.placeAfter(bar);
  } });
  overlay.start();
  const bar = doc.querySelector('.octobridge-bulk')!;
  // The answer as shown in its closed root (role and kind there too).
  const message = () => rootOf(bar.querySelector('.octobridge-bulk-message')).querySelector('span')!;
  const send = (kind: 'range' | 'period', from: string, to: string) => {
    setValue(control<HTMLInputElement>(bar, `.octobridge-${kind}-from`), from);
    setValue(control<HTMLInputElement>(bar, `.octobridge-${kind}-to`), to);
    control(bar, `.octobridge-bulk-${kind}-send`).click();
  };
  /** The preview's closed root, once the worker answered it. */
  const preview = async () => {
    await expect.poll(() => doc.querySelector('.octobridge-preview')).not.toBeNull();
    return rootOf(doc.querySelector('.octobridge-preview'));
  };
  /** The user's "Send N documents" under the preview. */
  const confirm = async () => (await preview()).querySelector<HTMLButtonElement>('.octobridge-preview-confirm')!.click();
  return { doc, panel, bar, message, send, preview, confirm };
}

describe("the bulk bar's range and period sends", () => {
  it('an adapter that cannot list: the rows of the page go, and the bar says only they were looked at', async () => {
    const { db, port, requests, previews } = await workerSide(pageOnlyAdapter, nl);
    const { doc, panel, bar, message, send, preview, confirm } = listPage(port, nl);
    expect(bar.querySelectorAll('.octobridge-bulk-more')).toHaveLength(1);
    // The year defaults to this year.
    expect(control<HTMLInputElement>(bar, '.octobridge-range-year').value).toBe('2026');

    send('range', '1', '');
    expect(message().textContent).toBe('Geef een geheel getal vanaf 0 in voor de reeks, niet „”');
    expect(message().getAttribute('role')).toBe('alert');
    expect(requests).toHaveLength(0);

    // Nothing of the page fits: the worker decides, and says it only had this page.
    send('range', '20', '30');
    await expect.poll(() => message().textContent).toBe(
      'Geen document met nummer 20 tot 30 van 2026 kan vanaf deze pagina verzonden worden Alleen de rijen van deze pagina werden bekeken.',
    );
    expect(previews).toEqual([{ documents: [], filter: { type: 'range', year: 2026, from: 20, to: 30 } }]);
    expect(requests).toHaveLength(0);
    expect(await db.bulkJobs.count()).toBe(0);

    // 1 to 10 of 2026: the draft (0003) is left out, 0011 and 0012 are outside. First the preview, nothing queued yet.
    send('range', '1', '10');
    const shown = await preview();
    expect(shown.querySelector('.octobridge-preview-go-count')!.textContent).toBe('2 documenten gaan naar Octopus');
    expect([...shown.querySelectorAll('.octobridge-preview-go li')].map((li) => li.textContent)).toEqual(['2026-0001 (2026-01-02)', '2026-0002 (2026-01-11)']);
    expect(requests).toHaveLength(0);
    expect(await db.transfers.count()).toBe(0);
    await confirm();
    await expect.poll(() => message().textContent).toBe('2 documenten gaan naar Octopus (0 overgeslagen) Alleen de rijen van deze pagina werden bekeken.');
    expect(doc.querySelector('.octobridge-preview')).toBeNull();
    expect(requests[0]!.documents).toEqual([
      { id: '2026-0001', number: '2026-0001', issueDate: '2026-01-02' },
      { id: '2026-0002', number: '2026-0002', issueDate: '2026-01-11' },
    ]);
    // The job is in the ledger and in the bar right below the bulk bar.
    const [job] = await db.bulkJobs.toArray();
    expect(job!.transferIds).toHaveLength(2);
    await expect.poll(() => doc.querySelector(`.octobridge-job[data-job-id="${job!.id}"]`)?.getAttribute('data-total')).toBe('2');
    expect(bar.nextElementSibling!.classList.contains('octobridge-progress')).toBe(true);

    // The period: the first quarter's sendable rows (the draft left out).
    send('period', '2026-01-01', '2026-03-31');
    await confirm();
    await expect.poll(() => message().textContent).toBe('3 documenten gaan naar Octopus (0 overgeslagen) Alleen de rijen van deze pagina werden bekeken.');
    expect(requests[1]!.filter).toEqual({ type: 'period', from: '2026-01-01', to: '2026-03-31' });
    expect(requests[1]!.documents.map((d) => d.id)).toEqual(['2026-0011', '2026-0002', '2026-0001']);
    send('period', '2026-01-01', '2025-12-31');
    expect(message().textContent).toBe('Het begin (2026-01-01) mag niet na het einde (2025-12-31) komen');
    expect(requests).toHaveLength(2);
    panel.stop();
  });

  it('an adapter that lists: the worker takes the app\'s other pages, says when none fit, and sends nothing when the list cannot be read', async () => {
    // The app's whole list: LIST's rows (page 1) and three more that only its second page shows.
    const appList: ListedDocument[] = [
      { id: '2026-0012', number: '2026-0012', issueDate: '2026-04-02', status: 'sent' },
      { id: '2026-0011', number: '2026-0011', issueDate: '2026-03-20', status: 'paid' },
      { id: '2026-0003', number: '2026-0003', issueDate: '2026-01-20', status: 'draft' },
      { id: '2026-0002', number: '2026-0002', issueDate: '2026-01-11', status: 'paid' },
      { id: '2026-0001', number: '2026-0001', issueDate: '2026-01-02', status: 'paid' },
      { id: '2026-0004', number: '2026-0004', issueDate: '2026-02-14', status: 'sent' },
      { id: '2026-0005', number: '2026-0005', issueDate: '2026-02-20', status: 'overdue' },
      { id: '2026-0013', number: '2026-0013', issueDate: '2026-05-03', status: 'draft' },
      { id: '2026-0006', number: '2026-0006', issueDate: '2026-02-25', status: 'cancelled' },
    ];
    let list = async () => appList;
    const { db, ledger, port, requests, previews } = await workerSide(listingAdapter(() => list()), en);
    const { doc, panel, message, send, preview, confirm } = listPage(port, en);

    // February: no row of this page, two of the app's second page; the cancelled one is named as skipped, never sent.
    send('period', '2026-02-01', '2026-02-28');
    const february = await preview();
    expect([...february.querySelectorAll('.octobridge-preview-go li')].map((li) => li.textContent)).toEqual(['2026-0004 (2026-02-14)', '2026-0005 (2026-02-20)']);
    expect([...february.querySelectorAll('.octobridge-preview-skipped li')].map((li) => li.textContent)).toEqual(['2026-0006 (2026-02-25) — cancelled in the app: never sent']);
    await confirm();
    await expect.poll(() => message().textContent).toBe('2 documents go to Octopus (0 skipped)');
    expect(message().getAttribute('data-kind')).toBe('ok');
    expect(requests[0]).toEqual({ documents: [], filter: { type: 'period', from: '2026-02-01', to: '2026-02-28' } });
    const [job] = await db.bulkJobs.toArray();
    const queued = await db.transfers.bulkGet(job!.transferIds);
    expect(queued.map((t) => t!.documentId).sort()).toEqual(['2026-0004', '2026-0005']);
    await expect.poll(() => doc.querySelector(`.octobridge-job[data-job-id="${job!.id}"]`)?.getAttribute('data-total')).toBe('2');

    // Numbers 1 to 5: two from this page, two from the other, of which 0004 is in Octopus by now; the draft nowhere.
    const sent = queued.find((t) => t!.documentId === '2026-0004')!;
    await ledger.markSent(sent.id, { journal: 'V1', bookyear: 1, documentSequenceNr: 4 }, { key: 'log_booked', params: ['V1'] });
    send('range', '1', '5');
    const range = await preview();
    expect(range.querySelector('.octobridge-preview-go-count')!.textContent).toBe('3 documents go to Octopus');
    expect([...range.querySelectorAll('.octobridge-preview-skipped li')].map((li) => li.textContent).sort()).toEqual([
      '2026-0003 (2026-01-20) — a draft: validate it in the app first',
      '2026-0004 (2026-02-14) — already in Octopus',
    ]);
    await confirm();
    await expect.poll(() => message().textContent).toBe('3 documents go to Octopus (1 skipped)');
    const second = (await db.bulkJobs.toArray()).find((j) => j.id !== job!.id);
    expect((await db.transfers.bulkGet(second!.transferIds)).map((t) => t!.documentId).sort()).toEqual(['2026-0001', '2026-0002', '2026-0005']);

    // May: only a draft, in the app's list: nothing to confirm, the draft named with why; cancelling sends nothing.
    send('period', '2026-05-01', '2026-05-31');
    const may = await preview();
    expect(may.querySelector('.octobridge-preview-nothing')).not.toBeNull();
    expect(may.querySelector('.octobridge-preview-confirm')).toBeNull();
    may.querySelector<HTMLButtonElement>('.octobridge-preview-cancel')!.click();
    expect(message().textContent).toBe('Nothing was sent');
    expect(doc.querySelector('.octobridge-preview')).toBeNull();
    // June: nothing at all in the app's list: the worker's answer, in the app's words.
    send('period', '2026-06-01', '2026-06-30');
    await expect.poll(() => message().textContent).toBe('No document dated 2026-06-01 to 2026-06-30 in the app’s list can be sent');
    expect(message().getAttribute('role')).toBe('alert');
    expect(await db.bulkJobs.count()).toBe(2);

    // Logged out of the app: nothing goes, not even the page's own rows, and the bar says why.
    list = async () => {
      throw new DocumentFetchError('sites_error_list_login', ['FactuurDemo', 'http://shop.test'], 'answered a login page', false);
    };
    const transfers = await db.transfers.count();
    send('period', '2026-01-01', '2026-04-30');
    await expect.poll(() => message().textContent).toBe(
      'Nothing was sent: the app’s list could not be read (FactuurDemo at http://shop.test asked for a login instead of listing its invoices: log in to the app)',
    );
    expect(message().getAttribute('data-kind')).toBe('error');
    expect(previews.at(-1)!.documents.map((d) => d.id)).toEqual(['2026-0012', '2026-0011', '2026-0002', '2026-0001']);
    expect(requests).toHaveLength(2);
    expect(await db.bulkJobs.count()).toBe(2);
    expect(await db.transfers.count()).toBe(transfers);
    panel.stop();
  });
});

describe('the warning before editing a transferred document', () => {
  const detail = (actions: string) =>
    page(
      `<html><head><meta name="generator" content="FactuurDemo 1.0"></head><body><div class="invoice-detail" data-invoice-id="2026-0001" data-status="paid"><span class="invoice-number">2026-0001</span><div class="invoice-actions">${actions}</div></div></body></html>`,
      'http://127.0.0.1:5610/invoices/2026-0001',
    );

  function warnPort(answer: { warn: boolean }, asked: string[]): ProgressPort {
    return {
      preview: async () => {
        throw new Error('not asked');
      },
      progress: async () => [] as BulkProgress[],
      cancel: async () => undefined,
      start: async () => {
        throw new Error('not here');
      },
      async warnEdit(id) {
        asked.push(id);
        return { ...answer, reference: { journal: 'V1', bookyear: 1, bookyearLabel: '2026', documentSequenceNr: 42 } };
      },
    };
  }

  it('puts the warning with the eFactori advice next to the app’s edit action when the rule is on', async () => {
    const doc = detail('<a class="button" href="/invoices/2026-0001/pdf">PDF downloaden</a><a class="button" href="/invoices/2026-0001/edit">Bewerken</a>');
    const asked: string[] = [];
    await new EditWarning(doc, factuurDemoDom, warnPort({ warn: true }, asked), en).check();
    expect(asked).toEqual(['2026-0001']);
    const note = doc.querySelector('.octobridge-edit-warning')!;
    expect(note.textContent).toContain('already in Octopus');
    expect(note.textContent).toContain('V1/2026/42');
    expect(note.textContent).toContain('first copy it to a credit note, then copy the invoice and edit the copy');
    // Right after the block holding the edit action, and the action itself says it on hover.
    expect(doc.querySelector('.invoice-actions')!.nextElementSibling).toBe(note);
    expect(findEditAction(doc)!.getAttribute('title')).toContain('credit note');
    // Checking again (a status push) does not add a second one.
    await new EditWarning(doc, factuurDemoDom, warnPort({ warn: true }, asked), en).check();
    expect(doc.querySelectorAll('.octobridge-edit-warning').length).toBeGreaterThanOrEqual(1);
  });

  it('shows nothing when the rule is off or the document was not sent, and nothing on a list page', async () => {
    const doc = detail('<a class="button" href="/invoices/2026-0001/edit">Modifier</a>');
    const asked: string[] = [];
    await new EditWarning(doc, factuurDemoDom, warnPort({ warn: false }, asked), en).check();
    expect(asked).toEqual(['2026-0001']);
    expect(doc.querySelector('.octobridge-edit-warning')).toBeNull();
    const list = page(LIST);
    await new EditWarning(list, factuurDemoDom, warnPort({ warn: true }, asked), en).check();
    expect(asked).toEqual(['2026-0001']);
    expect(list.querySelector('.octobridge-edit-warning')).toBeNull();
  });
});
