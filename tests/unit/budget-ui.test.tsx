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
import { dayBudget } from '../../lib/transfer/webservice-transport';
import { budgetScope } from '../../lib/octopus/budget';
import { dossier as dossierSchema } from '../../lib/model/dossier';
import type { TransferEngine } from '../../lib/transfer/engine';
import { translatorFor } from '../../lib/i18n';

/**
 * The dossier settings' view of the day's Octopus calls, against the worker's own page requests on fake-indexeddb:
 * what a refresh costs and what is left, and the daily limits changed (a bad number refused in the user's
 * language, nothing kept). The page translates through chrome.i18n, here the Dutch catalog.
 */
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const nl = translatorFor('nl');
let deps: SettingsDeps;
let CallBudget: typeof import('../../components/CallBudget').CallBudget;

beforeAll(async () => {
  extensionPageGlobals((m) => handlePageRequest(pageRequest.parse(m), deps), (key, subs) => nl.t(key, subs), 'nl');
  ({ CallBudget } = await import('../../components/CallBudget'));
});

const harness = reactHarness();
afterEach(() => harness.unmountAll());

const type = typeInto;
const click = clickIn;

describe('the call budget in the dossier settings', () => {
  it('shows what a refresh costs and what is left, and changes a limit; a bad one is refused in Dutch', async () => {
    const db = new LedgerDb(`budget-ui-${Math.random()}`);
    deps = { db, ledger: new Ledger(db, systemClock), engine: {} as TransferEngine, fetch };
    await db.connections.put({ id: 'c1', label: 'Sim', baseUrl: 'http://127.0.0.1:9/v1', user: 'u' });
    await db.dossiers.put(dossierSchema.parse({ id: 'd1', name: 'Demo BV', octopusDossierId: 1001, connectionId: 'c1' }));
    await dayBudget(db).take(budgetScope('http://127.0.0.1:9/v1', 1001), 'vatcodes');
    let refreshes = 0;
    const page = await harness.render(<CallBudget dossierId="d1" busy={false} onRefresh={() => void refreshes++} fetchedAt="2026-03-10T07:00:00Z" />);
    const cost = await waitFor(() => page.querySelector('[data-testid=refresh-cost]'));
    expect(cost.textContent).toContain('rekeningen lezen (nog 2 vandaag)');
    expect(cost.textContent).toContain('btw-codes lezen (nog 1 vandaag)');
    const row = (endpoint: string) => page.querySelector(`tr[data-endpoint="${endpoint}"]`)!;
    expect([...row('vatcodes').querySelectorAll('td')].map((td) => td.textContent)).toEqual(['Btw-codes', '1', '', '0', '1']);
    await click(page.querySelector('button[name=refresh-reference]')!);
    expect(refreshes).toBe(1);

    await type(row('vatcodes').querySelector('input')!, 'veel');
    await click(page.querySelector('button[name=save-limits]')!);
    expect((await waitFor(() => page.querySelector('[role=alert]'))).textContent).toBe('Een limiet is een geheel getal van 0 of meer: veel');
    expect((await dayBudget(db).limits()).vatcodes.limit).toBe(2);

    await type(row('vatcodes').querySelector('input')!, '5');
    await click(page.querySelector('button[name=save-limits]')!);
    await waitFor(() => page.querySelector('[role=status]'));
    expect((await dayBudget(db).limits()).vatcodes).toEqual({ limit: 5, reserve: 0 });
    await waitFor(() => row('vatcodes').querySelectorAll('td')[4]!.textContent === '4');
    db.close();
  });
});
