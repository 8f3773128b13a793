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
 * The dossier's VAT-code settings against the simulator, through the worker's own page-request handler.
 *
 * A dossier whose VAT code "A12" has the `type` of a purchase code (1) while its name, without D, says sales. The import
 * (through the worker's own page-request handler, against the simulator) leaves it unused, the dossier settings ask
 * which reading is right in the user's language, and the answer, stored with the dossier, decides the booking.
 *
 * A rate the dossier has no code for (a French 20 %): the booking waits with a message in the reader's language that
 * sends the user to the VAT-code table; the table lists the rate met in the document, in the words of Belgian
 * bookkeeping; the code chosen there books the document.
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
    seed: (seed) => {
      // Each booking here reads the reference data afresh (no shared cache), which Octopus's daily limits would stop.
      Object.assign(seed, { quotas: SIM_NO_QUOTAS });
      // A purchase code (type 1) whose name lacks the D: the simulator, like the dossier, takes the type as true.
      const codes = seed.dossiers[0]!.vatCodes as unknown as { code: string; description: string }[];
      Object.assign(codes.find((v) => v.code === 'D12')!, { code: 'A12', description: 'Aankopen 12%' });
    },
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
  dbName = `vat-side-${Math.random()}`;
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

/** The settings' own save, among the other requests the page makes (the call budget it shows, say). */
const isUpdate = (m: unknown) => (m as { type?: string }).type === 'dossier.update';

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

describe('VAT codes whose type and D prefix disagree', () => {
  it('are not used until the dossier settings are answered (nl), then follow the answer', async () => {
    lang = 'nl';
    const first = await imported();
    // A12 is a candidate for 12 % on both sides: neither side maps automatically; 21 % is not touched.
    const row = (side: string, key = 'S:12') => first.vatMapping.find((r) => r.side === side && r.key === key)!;
    expect(row('sales').code).toBeUndefined();
    expect(row('sales').problem).toEqual({ key: 'octopus_error_vat_side_unresolved', params: ['S:12', 'A12'] });
    expect(row('purchases').problem?.key).toBe('octopus_error_vat_side_unresolved');
    expect(row('sales', 'S:21').code).toBe('21');
    expect(row('purchases', 'S:21').code).toBe('D21');
    expect(first.vatCodes.find((v) => v.code === 'A12')).toMatchObject({ conflict: true, typeSide: 'purchases', prefixSide: 'sales' });
    expect(first.vatCodes.find((v) => v.code === 'A12')!.side).toBeUndefined();

    // Booking refuses before any POST, on both sides.
    const before = (await db.dossiers.get('d1')) as Dossier;
    for (const invoice of [purchase(), sale()]) {
      const error = await failure(bookInvoice(client(), before, invoice, { cache: new MemoryReferenceCache() }));
      expect(error.messageKey).toBe('octopus_error_vat_side_unresolved');
    }
    expect(sim.countRequests({ route: 'buysellbookings.post' })).toBe(0);

    // The settings ask, in Dutch, naming the code and both readings.
    const view = await render(<DossierSettings dossier={before} imported={first} onChanged={() => {}} />);
    const question = view.querySelector('[data-testid="vat-side-question"]')!;
    expect(question).not.toBeNull();
    expect(question.textContent).toContain('Voor deze btw-codes zijn hun Octopus-type en hun naam het oneens');
    expect(question.querySelector('[data-vat-code="A12"]')!.textContent).toContain('A12 (Aankopen 12%)');
    expect(question.querySelector('[data-vat-code="A12"]')!.textContent).toContain('het type zegt Aankoop, de naam zegt Verkoop');
    expect(question.querySelectorAll('li')).toHaveLength(1);
    // The code in question is not offered as an override either.
    const purchaseSelect = view.querySelector<HTMLSelectElement>('select[name="vat-purchases:S:12"]')!;
    expect([...purchaseSelect.options].map((o) => o.value)).toContain('D06');
    expect([...purchaseSelect.options].map((o) => o.value)).not.toContain('A12');

    await act(async () => view.querySelector<HTMLButtonElement>('button[name="vat-side-type"]')!.click());
    await waitFor(() => sent.some(isUpdate));
    await act(async () => void (await Promise.all(handled)));
    expect(sent.filter(isUpdate)).toEqual([{ type: 'dossier.update', dossierId: 'd1', changes: { vatSideReading: 'type' } }]);
    const after = (await db.dossiers.get('d1')) as Dossier;
    expect(after.vatSideReading).toBe('type');
    const stored = (await db.settings.get('import:d1'))!.value as ReferenceImport;
    expect(stored.vatMapping.find((r) => r.side === 'purchases' && r.key === 'S:12')!.code).toBe('A12');
    expect(stored.vatMapping.find((r) => r.side === 'sales' && r.key === 'S:12')!.code).toBe('12');

    // Answered: a line says which reading is followed, and the booking uses it.
    unmountAll();
    const answered = await render(<DossierSettings dossier={after} imported={stored} onChanged={() => {}} />);
    expect(answered.querySelector('[data-testid="vat-side-question"]')).toBeNull();
    expect(answered.querySelector('[data-testid="vat-side-answered"]')!.textContent).toContain('volgt dit dossier het Octopus-type');
    await bookInvoice(client(), after, purchase(), { cache: new MemoryReferenceCache() });
    await bookInvoice(client(), after, sale(), { cache: new MemoryReferenceCache() });
    const codes = sim.bookings({ source: 'webservice' }).map((b) => `${b.journalKey}:${(b.data.bookingLines as { vatCodeKey: string }[])[0]!.vatCodeKey}`);
    expect(codes).toEqual(['A1:A12', 'V1:12']);
  });

  it('asks in French and English too, and the other answer reads the names', async () => {
    const first = await imported();
    const dossier = (await db.dossiers.get('d1')) as Dossier;
    lang = 'fr';
    const fr = await render(<DossierSettings dossier={dossier} imported={first} onChanged={() => {}} />);
    expect(fr.querySelector('[data-testid="vat-side-question"]')!.textContent).toContain('le type indique Achats, le nom indique Ventes');
    unmountAll();
    lang = 'en';
    const en = await render(<DossierSettings dossier={dossier} imported={first} onChanged={() => {}} />);
    expect(en.querySelector('[data-testid="vat-side-question"]')!.textContent).toContain('its type says Purchases, its name says Sales');
    await act(async () => en.querySelector<HTMLButtonElement>('button[name="vat-side-prefix"]')!.click());
    await waitFor(() => sent.some(isUpdate));
    await act(async () => void (await Promise.all(handled)));
    const after = (await db.dossiers.get('d1')) as Dossier;
    expect(after.vatSideReading).toBe('prefix');
    // Read by its name, A12 is a sales code: 12 % sales now has two candidates, which the user must settle.
    const stored = (await db.settings.get('import:d1'))!.value as ReferenceImport;
    expect(stored.vatMapping.find((r) => r.side === 'sales' && r.key === 'S:12')!.problem?.key).toBe('octopus_error_vat_code_ambiguous');
    expect(stored.vatMapping.find((r) => r.side === 'purchases' && r.key === 'S:12')!.problem?.key).toBe('octopus_error_no_vat_code');
  });
});

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
