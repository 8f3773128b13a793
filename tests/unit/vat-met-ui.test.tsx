// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import type { ReferenceImport } from '../../lib/octopus/import';
import { bookInvoice, MemoryReferenceCache } from '../../lib/octopus/booking';
import { OctopusClient } from '../../lib/octopus/client';
import { OctopusError } from '../../lib/octopus/errors';
import { translatorFor } from '../../lib/i18n';
import type { Locale } from '../../lib/i18n/translator';
import type { Dossier } from '../../lib/model/dossier';
import { startOctopusSimulator, SIM_DOSSIER_ID, SIM_NO_QUOTAS, SIM_SEED, SIM_USERS, type OctopusSimulator } from '../sandbox/octopus-sim';
import { makeInvoice } from './octopus-fixtures';

/**
 * A rate the dossier has no code for (a French 20 %): the booking waits with a message in the reader's language that
 * sends the user to the dossier's VAT-code table; that table lists the rate met in the document, in the words of
 * Belgian bookkeeping; the code chosen there books the document.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let lang: Locale = 'nl';
let DossierSettings: typeof import('../../components/DossierSettings').DossierSettings;
let sim: OctopusSimulator;
let db: LedgerDb;
let dbName: string;
const sent: unknown[] = [];
/** The worker's answers in flight: a test waits for them before it reads the database. */
const handled: Promise<unknown>[] = [];
const { render, unmountAll } = reactHarness();

beforeAll(async () => {
  sim = await startOctopusSimulator({
    port: 0,
    // Each booking here reads the reference data afresh (no shared cache), which Octopus's daily limits would stop.
    seed: (seed) => Object.assign(seed, { quotas: SIM_NO_QUOTAS }),
  });
  // The page's messages go through the worker's handler, validated as the worker does.
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: {
      id: 'test',
      sendMessage: (message: unknown) => {
        sent.push(message);
        const answer = handlePageRequest(pageRequest.parse(message), { db } as unknown as SettingsDeps);
        handled.push(answer);
        return answer;
      },
    },
    i18n: { getMessage: (key: string, subs?: string[]) => translatorFor(lang).t(key, subs ?? []), getUILanguage: () => lang },
  };
  ({ DossierSettings } = await import('../../components/DossierSettings'));
});
afterAll(() => sim.close());

beforeEach(async () => {
  sim.reset();
  sent.length = 0;
  handled.length = 0;
  dbName = `vat-met-${Math.random()}`;
  db = new LedgerDb(dbName);
  await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: sim.url, user: SIM_USERS.demo.user });
  await db.secrets.put({ connectionId: 'c1', boundUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, password: SIM_USERS.demo.password });
  await db.dossiers.put({
    id: 'd1',
    name: 'Demo BV',
    octopusDossierId: SIM_DOSSIER_ID,
    connectionId: 'c1',
    enterpriseNumber: '0477472701',
    transport: 'webservice',
    journals: { sales: 'V1', purchases: 'A1' },
    defaultAccounts: { sales: '700000', purchases: '604000' },
    vatCodeOverrides: {},
    mailbox: {},
  });
});
afterEach(async () => {
  unmountAll();
  db.close();
  await Dexie.delete(dbName);
});

const client = () => new OctopusClient({ baseUrl: sim.url, softwareHouseUuid: SIM_SEED.softwareHouseUuid, user: SIM_USERS.demo.user, password: SIM_USERS.demo.password });
const purchase = () =>
  makeInvoice({ direction: 'purchase', number: 'SUP-12', issueDate: '2026-03-10', lines: [{ net: '100.00', rate: '12' }], party: { name: 'Leverancier BV', externalId: '812', vatId: 'BE0123456749' } });
const sale = () => makeInvoice({ number: 'F-12', issueDate: '2026-03-10', lines: [{ net: '100.00', rate: '12' }] });

async function imported(): Promise<ReferenceImport> {
  const answer = (await handlePageRequest({ type: 'dossier.import', dossierId: 'd1' }, { db } as unknown as SettingsDeps)) as { ok: boolean; import: ReferenceImport };
  expect(answer.ok).toBe(true);
  expect(answer.import.error).toBeUndefined();
  return answer.import;
}

async function failure(p: Promise<unknown>): Promise<OctopusError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(OctopusError);
    return error as OctopusError;
  }
  throw new Error('expected a failure');
}

describe('a rate the dossier has no VAT code for', () => {
  it('waits with a message in the reader language, is listed in the VAT-code table, and books once mapped there', async () => {
    lang = 'fr';
    const first = await imported();
    const dossier = (await db.dossiers.get('d1')) as Dossier;
    const sale = makeInvoice({ number: 'F-20', issueDate: '2026-03-10', lines: [{ net: '100.00', rate: '20' }] });
    const error = await failure(bookInvoice(client(), dossier, sale, { cache: new MemoryReferenceCache() }));
    expect(error.text).toEqual({ key: 'octopus_error_no_vat_code', params: ['@vat_category_S', '20', '@vat_side_sales'] });
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);
    const said = translatorFor('fr').t(error.text.key, error.text.params);
    expect(said).toBe("Le dossier n'a pas de code TVA (ventes) pour 20 % opération nationale. Choisissez-en un dans les réglages de codes TVA du dossier, qui listent chaque taux rencontré dans les documents.");

    // The transfer waits with that text, as the engine leaves it.
    await db.transfers.put({
      id: 't-20', documentKey: 'shop/F-20', site: 'shop', origin: 'http://127.0.0.1', adapter: 'generic', documentId: 'F-20', dossierId: 'd1', direction: 'sales',
      transport: 'webservice', state: 'needs-attention', createdAt: '2026-03-10T10:00:00Z', updatedAt: '2026-03-10T10:00:00Z', attempts: 1, log: [], lastError: { text: error.text },
    });
    const settings = (await handlePageRequest({ type: 'settings.get' }, { db } as unknown as SettingsDeps)) as { vatKeysMet: Record<string, string[]> };
    expect(settings.vatKeysMet).toEqual({ d1: ['sales:S:20'] });

    const view = await render(<DossierSettings dossier={dossier} imported={first} vatKeysMet={settings.vatKeysMet.d1} onChanged={() => {}} />);
    const row = view.querySelector('tr[data-vat-key="sales:S:20"]')!;
    expect(row).not.toBeNull();
    expect(row.textContent).toContain('20 % — opération nationale');
    expect(row.textContent).toContain('catégorie Peppol S');
    expect(row.textContent).toContain('Rencontré dans des documents');
    // The Belgian rows speak bookkeeping too, with the Peppol letter as a detail.
    expect(view.querySelector('tr[data-vat-key="sales:K:0"]')!.textContent).toContain('0 % — livraison intracommunautaire');
    expect(view.querySelector('tr[data-vat-key="purchases:AE:0"]')!.textContent).toContain('cocontractant / autoliquidation');
    const select = row.querySelector<HTMLSelectElement>('select[name="vat-sales:S:20"]')!;
    expect(select.getAttribute('aria-label')).toBe('Ventes: 20 % — opération nationale');
    await act(async () => {
      select.value = '21';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => view.querySelector<HTMLButtonElement>('button[name="save-dossier"]')!.click());
    await waitFor(() => sent.some((m) => (m as { type?: string }).type === 'dossier.update'));
    await act(async () => void (await Promise.all(handled)));
    const after = (await db.dossiers.get('d1')) as Dossier;
    expect(after.vatCodeOverrides).toEqual({ 'sales:S:20': '21' });
    await bookInvoice(client(), after, sale, { cache: new MemoryReferenceCache() });
    const lines = sim.bookings({ source: 'webservice' }).map((b) => (b.data.bookingLines as { vatCodeKey: string }[])[0]!.vatCodeKey);
    expect(lines).toEqual(['21']);
  });
});
