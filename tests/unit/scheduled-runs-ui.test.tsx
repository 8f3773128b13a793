// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { EngineService } from '../../lib/transfer/service';
import { defaultRules } from '../../lib/transfer/rules';
import { DocumentFetchError, type SiteAdapter } from '../../lib/sites/types';
import type { ListedDocument } from '../../lib/transfer/schedule';
import { translatorFor } from '../../lib/i18n';
import type { Locale } from '../../lib/i18n/translator';

/**
 * The scheduled runs' list in the options page and the popup's notice, fed by the worker's own EngineService on
 * fake-indexeddb: a site that lists (documents queued) and one that answers its login page (logged, retried), in
 * Dutch and French. The notice goes once the site lists again, even when it then has nothing new to send; that run
 * leaves one "nothing new" line per site.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let lang: Locale = 'nl';

let ScheduledRunList: typeof import('../../components/ScheduledRuns').ScheduledRunList;
let ScheduleFailureNotice: typeof import('../../components/ScheduledRuns').ScheduleFailureNotice;
let RulesSettings: typeof import('../../components/RulesSettings').RulesSettings;

beforeAll(async () => {
  // wxt/browser picks globalThis.chrome when its module is first evaluated; the language is read at each call.
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { id: 'test', sendMessage: () => Promise.reject(new Error('the test passes its own channel')) },
    i18n: { getMessage: (key: string, subs?: string[]) => translatorFor(lang).t(key, subs ?? []), getUILanguage: () => lang },
  };
  ({ ScheduledRunList, ScheduleFailureNotice } = await import('../../components/ScheduledRuns'));
  ({ RulesSettings } = await import('../../components/RulesSettings'));
});

const GOOD = 'invoices.example.be';
const BAD = 'erp.example.be';
const LOGIN_DETAIL = 'http://erp.example.be/compta/facture/list.php answered a login form (HTTP 200)';

/** A listing adapter whose answer the test decides: documents, or the login page error of lib/sites/listing.ts. */
function fakeAdapter(id: string, list: () => ListedDocument[] | 'login') {
  return {
    id,
    async fetchDocument() {
      throw new Error('not fetched in this test');
    },
    async listDocuments(origin: string) {
      const answer = list();
      if (answer === 'login') throw new DocumentFetchError('sites_error_list_login', ['Dolibarr', origin], LOGIN_DETAIL, true);
      return answer;
    },
  } as unknown as SiteAdapter;
}

let n = 0;
async function worker() {
  const now = { t: Date.parse('2026-11-30T02:30:00Z') };
  const clock = { now: () => new Date(now.t) };
  const db = new LedgerDb(`scheduled-runs-ui-${++n}`);
  const ledger = new Ledger(db, clock);
  const erp = { answer: 'login' as ListedDocument[] | 'login' };
  const adapters = [
    fakeAdapter('good', () => [
      { id: '11', number: 'F-11', status: 'sent' },
      { id: '12', number: 'F-12', status: 'sent' },
    ]),
    fakeAdapter('bad', () => erp.answer),
  ];
  // Nothing is booked here: the runs only queue, so the engine needs no transport.
  const engine = new TransferEngine({ ledger, dossiersForSite: () => everyDossier(ledger.db), adapters: [], transports: {}, fetch, clock });
  const service = new EngineService({ ledger, engine, adapters, fetch, clock });
  await db.dossiers.put({
    id: 'd1',
    name: 'Bakkerij Demo',
    octopusDossierId: 4711,
    connectionId: 'c1',
    transport: 'webservice',
    journals: { sales: 'V1', purchases: 'A1' },
    defaultAccounts: { sales: '700000', purchases: '604000' },
    vatCodeOverrides: {},
    mailbox: {},
  });
  expect(await service.saveRules({ ...defaultRules('d1'), schedule: { type: 'nightly', hour: 2 } })).toMatchObject({ ok: true });
  await service.rememberSite({ site: GOOD, origin: `https://${GOOD}`, adapter: 'good' });
  await service.rememberSite({ site: BAD, origin: `http://${BAD}`, adapter: 'bad' });
  return { db, service, now, erp };
}

const { render, unmountAll } = reactHarness();
afterEach(() => {
  unmountAll();
  lang = 'nl';
});

const rows = (page: HTMLElement) =>
  [...page.querySelectorAll('[data-testid=scheduled-runs] tbody tr')].map((tr) => ({
    outcome: tr.getAttribute('data-outcome'),
    time: tr.querySelector('.run-time')!.textContent,
    site: tr.querySelector('.run-site')!.textContent,
    text: tr.querySelector('.run-text')!.textContent,
    retry: tr.querySelector('.run-retry')!.textContent,
  }));
const short = (locale: Locale, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

describe('recent scheduled runs', () => {
  it('lists what was queued and why a site failed, newest first, with the planned retry only on the latest failure (nl, fr)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { db, service, now } = await worker();
    const first = new Date(now.t).toISOString();
    expect(await service.runDueSchedules()).toEqual([
      expect.objectContaining({ site: GOOD, queued: 2 }),
      expect.objectContaining({ site: BAD, queued: 0, failed: expect.objectContaining({ key: 'sites_error_list_login' }) }),
    ]);
    // The retry 16 minutes later still meets the login page: a second entry, and the retry after it is the planned one.
    now.t += 16 * 60_000;
    const second = new Date(now.t).toISOString();
    await service.runDueSchedules();
    const log = await service.scheduleLog();
    expect(log).toHaveLength(2);
    const retryAt = log[1]!.retryAt!;
    expect(Date.parse(retryAt)).toBeGreaterThan(now.t);

    const page = await render(<ScheduledRunList db={db} dossierName={(id) => (id === 'd1' ? 'Bakkerij Demo' : undefined)} />);
    await waitFor(() => rows(page).length === 3);
    expect(page.querySelector('h3')!.textContent).toBe('Recente geplande overdrachten');
    expect(page.querySelector('thead')!.textContent).toBe('WanneerSiteWat er gebeurdeVolgende poging');
    const nlReason = `Dolibarr op http://${BAD} vroeg om aan te melden in plaats van de facturen te tonen: meld je aan in de app`;
    expect(rows(page)).toEqual([
      { outcome: 'error', time: short('nl', second), site: `${BAD}Bakkerij Demo`, text: `Kon de lijst niet lezen: ${nlReason}`, retry: short('nl', retryAt) },
      // The first failure's retry happened (it failed again): no time is shown for it any more.
      // Same time: the queued job before the log entry of that run.
      { outcome: 'queued', time: short('nl', first), site: GOOD, text: '2 documenten klaargezet voor Octopus', retry: '' },
      { outcome: 'error', time: short('nl', first), site: `${BAD}Bakkerij Demo`, text: `Kon de lijst niet lezen: ${nlReason}`, retry: '' },
    ]);
    // The app's own words are there for support, under the translated reason.
    expect(page.querySelector('tr[data-outcome=error] .run-detail')!.textContent).toBe(LOGIN_DETAIL);

    unmountAll();
    lang = 'fr';
    const fr = await render(<ScheduledRunList db={db} />);
    await waitFor(() => rows(fr).length === 3);
    const frReason = `Dolibarr à http://${BAD} a demandé une connexion au lieu de lister ses factures : connectez-vous à l’application`;
    expect(fr.querySelector('thead')!.textContent).toBe('QuandSiteRésultatProchain essai');
    expect(rows(fr).map((r) => [r.text, r.retry])).toEqual([
      [`Impossible de lire la liste : ${frReason}`, short('fr', retryAt)],
      ['2 documents mis en file pour Octopus', ''],
      [`Impossible de lire la liste : ${frReason}`, ''],
    ]);
    warn.mockRestore();
  });

  it('says so when there is nothing yet, under the rules in the options page', async () => {
    const db = new LedgerDb(`scheduled-runs-ui-${++n}`);
    lang = 'fr';
    const send = async () => ({ ok: true, dossiers: [], rules: [] });
    const page = await render(<RulesSettings send={send} db={db} />);
    const list = await waitFor(() => page.querySelector('[data-testid=rules] [data-testid=scheduled-runs]'));
    await waitFor(() => list.textContent?.includes('Aucun transfert planifié n’a encore mis de documents en file ni échoué.'));
    expect(list.querySelector('#scheduled-runs')!.textContent).toBe('Transferts planifiés récents');
    expect(list.querySelector('table')).toBeNull();
  });
});

describe('the popup notice', () => {
  it('names the site and the reason while a retry is planned, opens the list, and goes once the site lists again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { db, service, now, erp } = await worker();
    const opened = vi.fn();
    const popup = await render(<ScheduleFailureNotice db={db} onOpen={opened} />);
    // Nothing failed yet: no notice at all.
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(popup.querySelector('[data-testid=schedule-failure]')).toBeNull();

    await act(async () => void (await service.runDueSchedules()));
    const notice = await waitFor(() => popup.querySelector('[data-testid=schedule-failure] a'));
    expect(notice.textContent).toBe(
      `Geplande overdracht kon ${BAD} niet lezen: Dolibarr op http://${BAD} vroeg om aan te melden in plaats van de facturen te tonen: meld je aan in de app`,
    );
    expect(notice.getAttribute('href')).toBe('options.html#scheduled-runs');
    await act(async () => (notice as HTMLElement).click());
    expect(opened).toHaveBeenCalledTimes(1);

    // Logged in again, and nothing new to send: the failure no longer holds, and the list says the run read the site.
    erp.answer = [];
    now.t += 16 * 60_000;
    await act(async () => expect(await service.runDueSchedules()).toEqual([{ dossierId: 'd1', site: BAD, queued: 0 }]));
    await waitFor(() => !popup.querySelector('[data-testid=schedule-failure]'));
    const list = await render(<ScheduledRunList db={db} />);
    const newest = await waitFor(() => list.querySelector('tbody tr'));
    expect(newest.getAttribute('data-outcome')).toBe('info');
    expect(newest.querySelector('.run-text')!.textContent).toBe('Lijst gelezen (0 documenten): niets nieuws te versturen');
    expect(newest.querySelector('.run-retry')!.textContent).toBe('');
    // A second run with nothing new replaces that line instead of adding one (the log is bounded; failures stay).
    const infoAt = async () => (await service.scheduleLog()).filter((e) => e.level === 'info' && e.site === BAD).map((e) => e.at);
    const before = await infoAt();
    now.t += 24 * 60 * 60_000;
    await act(async () => void (await service.runDueSchedules()));
    const after = await infoAt();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    expect((await service.scheduleLog()).filter((e) => e.level === 'error' && e.site === BAD).length).toBeGreaterThan(0);
    warn.mockRestore();
  });

  it('says it in French, and counts the other failing sites', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { db, service } = await worker();
    await service.rememberSite({ site: 'other.example.be', origin: 'http://other.example.be', adapter: 'bad' });
    await service.runDueSchedules();
    lang = 'fr';
    const popup = await render(<ScheduleFailureNotice db={db} onOpen={() => {}} />);
    const notice = await waitFor(() => popup.querySelector('[data-testid=schedule-failure] a'));
    expect(notice.textContent).toMatch(
      /^Le transfert planifié n’a pas pu lire (erp|other)\.example\.be : Dolibarr à http:\/\/(erp|other)\.example\.be a demandé une connexion au lieu de lister ses factures : connectez-vous à l’application \(et 1 de plus\)$/,
    );
    warn.mockRestore();
  });
});
