// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { systemClock } from '../../lib/platform/clock';
import { everyDossier, TransferEngine } from '../../lib/transfer/engine';
import { EngineService } from '../../lib/transfer/service';
import { defaultRules, rulesKey } from '../../lib/transfer/rules';
import { translatorFor } from '../../lib/i18n';
import { dossier as dossierSchema } from '../../lib/model/dossier';

/**
 * The options page's rules section against the worker's own EngineService (rules.get / rules.save, on
 * fake-indexeddb): bad input is refused in the user's language and nothing is kept; good rules are kept and read
 * back by a fresh page. The page translates through chrome.i18n, here the Dutch catalog.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const nl = translatorFor('nl');

let RulesSettings: typeof import('../../components/RulesSettings').RulesSettings;
let rulesOf: typeof import('../../components/RulesSettings').rulesOf;
let formOf: typeof import('../../components/RulesSettings').formOf;

beforeAll(async () => {
  // wxt/browser picks globalThis.chrome when its module is first evaluated.
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { id: 'test', sendMessage: () => Promise.reject(new Error('the test passes its own channel')) },
    i18n: { getMessage: (key: string, subs?: string[]) => nl.t(key, subs ?? []), getUILanguage: () => 'nl' },
  };
  ({ RulesSettings, rulesOf, formOf } = await import('../../components/RulesSettings'));
});

let n = 0;
async function worker() {
  const db = new LedgerDb(`rules-ui-${++n}`);
  const ledger = new Ledger(db, systemClock);
  const engine = new TransferEngine({ ledger, dossiersForSite: () => everyDossier(ledger.db), adapters: [], transports: {}, fetch, clock: systemClock });
  const service = new EngineService({ ledger, engine, adapters: [], fetch, clock: systemClock });
  await db.dossiers.put(dossierSchema.parse({ id: 'd1', name: 'Bakkerij Demo', octopusDossierId: 4711, connectionId: 'c1' }));
  /** What the worker's handleEngineRequest answers for these two messages. */
  const send = async (message: unknown) => {
    const m = message as { type: string; rules?: unknown };
    if (m.type === 'rules.get') return { ok: true, ...(await service.allRules()) };
    if (m.type === 'rules.save') {
      const saved = await service.saveRules(m.rules);
      return saved.ok ? saved : { ok: false, error: { code: 'bad-request', message: saved.message, text: { key: 'engine_rules_invalid', params: [saved.message] } } };
    }
    return { ok: false, error: { message: 'unexpected' } };
  };
  return { db, service, send };
}

const harness = reactHarness();
afterEach(() => harness.unmountAll());

async function render(send: (m: unknown) => Promise<unknown>): Promise<HTMLElement> {
  const container = await harness.render(<RulesSettings send={send} />);
  await waitFor(() => container.querySelector('form[data-rules-dossier="4711"]'));
  return container;
}


/** As a user types: React tracks the value through the prototype's setter. */
async function type(element: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto = element instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}
const click = (element: Element) => act(async () => (element as HTMLElement).click());

describe('rules in the options page', () => {
  it('refuses an hour of 25 in Dutch and keeps nothing, then keeps good rules and shows them after a reload', async () => {
    const { db, service, send } = await worker();
    let page = await render(send);
    const form = () => page.querySelector<HTMLFormElement>('form[data-rules-dossier="4711"]')!;
    // The defaults: purchases need approval, every kind goes once sent, no schedule, warn before editing.
    expect(form().querySelector('legend')!.textContent).toContain('Bakkerij Demo');
    expect(form().querySelector<HTMLInputElement>('input[name=approval-purchase]')!.checked).toBe(true);
    expect(form().querySelector<HTMLInputElement>('input[name=approval-salesInvoice]')!.checked).toBe(false);
    expect(form().querySelector<HTMLSelectElement>('select[name=schedule]')!.value).toBe('never');
    expect(form().querySelector<HTMLInputElement>('input[name=warnEditAfterExport]')!.checked).toBe(true);
    expect(page.textContent).toContain('Verkoopfacturen');

    await type(form().querySelector('select[name=schedule]')!, 'nightly');
    await type(form().querySelector('input[name=hour]')!, '25');
    await click(form().querySelector('button[name=save-rules]')!);
    const alert = await waitFor(() => form().querySelector('[role=alert]'));
    expect(alert.textContent).toBe('Het uur moet een geheel getal van 0 tot 23 zijn, niet „25”');
    expect(await db.settings.get(rulesKey('d1'))).toBeUndefined();

    await type(form().querySelector('input[name=hour]')!, '3');
    await type(form().querySelector('select[name=status-salesInvoice]')!, 'paid');
    await click(form().querySelector('input[name=auto-purchase]')!);
    // A kind that does not go by itself has no status or approval to set.
    expect(form().querySelector<HTMLSelectElement>('select[name=status-purchase]')!.disabled).toBe(true);
    await click(form().querySelector('input[name=includeAlreadyTransferred]')!);
    await click(form().querySelector('input[name=warnEditAfterExport]')!);
    await click(form().querySelector('button[name=save-rules]')!);
    const saved = await waitFor(() => form().querySelector('[role=status]'));
    expect(saved.textContent).toBe('Regels bewaard');
    const kept = await service.rulesFor('d1');
    expect(kept).toEqual({
      ...defaultRules('d1'),
      kinds: { ...defaultRules('d1').kinds, salesInvoice: { auto: true, status: 'paid', approval: false }, purchase: { auto: false, status: 'any', approval: true } },
      schedule: { type: 'nightly', hour: 3 },
      includeAlreadyTransferred: true,
      warnEditAfterExport: false,
    });

    // A fresh page reads them back from the worker.
    harness.unmountAll();
    page = await render(send);
    expect(form().querySelector<HTMLSelectElement>('select[name=schedule]')!.value).toBe('nightly');
    expect(form().querySelector<HTMLInputElement>('input[name=hour]')!.value).toBe('3');
    expect(form().querySelector<HTMLSelectElement>('select[name=status-salesInvoice]')!.value).toBe('paid');
    expect(form().querySelector<HTMLInputElement>('input[name=auto-purchase]')!.checked).toBe(false);
    expect(form().querySelector<HTMLInputElement>('input[name=includeAlreadyTransferred]')!.checked).toBe(true);
    expect(form().querySelector<HTMLInputElement>('input[name=warnEditAfterExport]')!.checked).toBe(false);

    // Minutes after creation: 0 is refused with its own message.
    await type(form().querySelector('select[name=schedule]')!, 'afterCreation');
    await type(form().querySelector('input[name=minutes]')!, '0');
    await click(form().querySelector('button[name=save-rules]')!);
    expect((await waitFor(() => form().querySelector('[role=alert]'))).textContent).toBe('De minuten moeten een geheel getal van 1 tot 10080 (een week) zijn, niet „0”');
    expect((await service.rulesFor('d1')).schedule).toEqual({ type: 'nightly', hour: 3 });
  });

  it('shows the worker’s refusal in the user’s language', async () => {
    const { send } = await worker();
    // The worker refuses rules of a dossier it does not know (removed meanwhile).
    const refusing = async (m: unknown) => {
      const message = m as { type: string; rules?: { dossierId: string } };
      return send(message.type === 'rules.save' ? { ...message, rules: { ...message.rules, dossierId: 'gone' } } : message);
    };
    const page = await render(refusing);
    await click(page.querySelector('button[name=save-rules]')!);
    expect((await waitFor(() => page.querySelector('[role=alert]'))).textContent).toBe('Deze regels zijn niet geldig: unknown dossier');
  });

  it('turns the form into rules and back', () => {
    const rules = { ...defaultRules('d1'), schedule: { type: 'afterCreation' as const, minutes: 10 } };
    expect(rulesOf('d1', formOf(rules))).toEqual({ ok: true, rules });
    expect(rulesOf('d1', { ...formOf(rules), minutes: '10080' })).toMatchObject({ ok: true });
    expect(rulesOf('d1', { ...formOf(rules), minutes: '10081' })).toEqual({ ok: false, error: { key: 'engine_rules_error_minutes', params: ['10081'] } });
    expect(rulesOf('d1', { ...formOf(rules), schedule: 'nightly', hour: 'twee' })).toEqual({ ok: false, error: { key: 'engine_rules_error_hour', params: ['twee'] } });
    expect(rulesOf('d1', { ...formOf(rules), schedule: 'lastMonth', hour: 'x' })).toEqual({ ok: true, rules: { ...rules, schedule: { type: 'lastMonth' } } });
  });
});
