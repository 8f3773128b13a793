// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { clickIn, extensionPageGlobals, reactHarness, typeInto, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';
import { pageRequest } from '../../lib/messaging/protocol';
import { dossier as dossierSchema } from '../../lib/model/dossier';
import type { ReferenceImport } from '../../lib/octopus/import';
import type { TransferEngine } from '../../lib/transfer/engine';
import { translatorFor } from '../../lib/i18n';

/** The dossier settings' CODA accounts, against the worker's own page requests on fake-indexeddb, in French. */
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const fr = translatorFor('fr');
let deps: SettingsDeps;
let CodaAccountsSettings: typeof import('../../components/CodaAccountsSettings').CodaAccountsSettings;

beforeAll(async () => {
  extensionPageGlobals((m) => handlePageRequest(pageRequest.parse(m), deps), (key, subs) => fr.t(key, subs), 'fr');
  ({ CodaAccountsSettings } = await import('../../components/CodaAccountsSettings'));
});

const harness = reactHarness();
afterEach(() => harness.unmountAll());

const type = typeInto;
const click = clickIn;

describe('CODA accounts in the dossier settings', () => {
  it('offers the financial journals, refuses a bad IBAN in the user’s language and keeps a good one', async () => {
    const db = new LedgerDb(`coda-ui-${Math.random()}`);
    deps = { db, ledger: new Ledger(db, systemClock), engine: {} as TransferEngine, fetch };
    const dossier = dossierSchema.parse({ id: 'd1', name: 'Bakkerij Janssens', octopusDossierId: 1001, connectionId: 'c1' });
    await db.dossiers.put(dossier);
    const imported = { journals: [{ key: 'V1', side: 'sales' }, { key: 'F2', name: 'KBC' }, { key: 'F1', name: 'Belfius' }] } as unknown as ReferenceImport;
    const page = await harness.render(<CodaAccountsSettings dossier={dossier} imported={imported} onChanged={() => {}} />);
    await click(page.querySelector('button[name=coda-add]')!);
    const journal = page.querySelector<HTMLSelectElement>('select[name=coda-journal-0]')!;
    expect([...journal.options].map((o) => o.value)).toEqual(['', 'F1', 'F2']);
    expect(journal.value).toBe('F2'); // the first financial journal as imported

    await type(page.querySelector<HTMLInputElement>('input[name=coda-iban-0]')!, 'BE68 5390 0754 7035');
    await click(page.querySelector('button[name=coda-save]')!);
    expect((await waitFor(() => page.querySelector('[role=alert]'))).textContent).toBe('« BE68 5390 0754 7035 » n’est pas un IBAN valide ; rien n’a été enregistré.');
    expect((await db.dossiers.get('d1'))!.codaAccounts).toBeUndefined();

    await type(page.querySelector<HTMLInputElement>('input[name=coda-iban-0]')!, 'be68 5390 0754 7034');
    await click(page.querySelector('button[name=coda-save]')!);
    await waitFor(() => page.querySelector('[role=status]'));
    expect((await db.dossiers.get('d1'))!.codaAccounts).toEqual([{ iban: 'BE68539007547034', journal: 'F2' }]);
    db.close();
  });
});
