// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import Dexie from 'dexie';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { handleMailPageRequest } from '../../lib/mail/page-requests';
import { translatorFor } from '../../lib/i18n';

/**
 * The options page's mail account, answered by the worker's own handler on fake-indexeddb: once the relay
 * address is changed, the page no longer says the token is kept, says it must be entered again, and sends no
 * save without it (the worker would refuse and drop the stored one).
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let db: LedgerDb;
const sent: { type: string }[] = [];
let MailboxSettings: typeof import('../../components/MailboxSettings').MailboxSettings;

beforeAll(async () => {
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: {
      id: 'test',
      sendMessage: async (message: { type: string }) => {
        sent.push(message);
        // No request in this test reaches a peer: a fetch that fails loudly proves it.
        return handleMailPageRequest(message as never, { db, fetch: () => Promise.reject(new Error('no network in this test')) });
      },
    },
    permissions: { request: async () => true },
    i18n: { getMessage: (key: string, subs?: string[]) => translatorFor('fr').t(key, subs ?? []), getUILanguage: () => 'fr' },
  };
  ({ MailboxSettings } = await import('../../components/MailboxSettings'));
});

const harness = reactHarness();
afterEach(async () => {
  harness.unmountAll();
  db?.close();
  if (db) await Dexie.delete(db.name);
  sent.length = 0;
});

async function type(element: HTMLInputElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('mail account in the options page', () => {
  it('asks for the token again once the relay address changes, and sends no save without it', async () => {
    db = new LedgerDb(`mail-settings-ui-${Math.random()}`);
    await db.mailAccounts.put({ id: 'default', kind: 'http-relay', url: 'https://relay.firm.be/api', from: 'office@firm.example' });
    await db.mailSecrets.put({ id: 'default', boundUrl: 'https://relay.firm.be/api', token: 'relay-token-kept-0001' });
    const page = await harness.render(<MailboxSettings />);
    const url = await waitFor(() => page.querySelector<HTMLInputElement>('input[name=mail-url]')?.value === 'https://relay.firm.be/api' && page.querySelector<HTMLInputElement>('input[name=mail-url]'));
    const token = () => page.querySelector<HTMLInputElement>('input[name=mail-token]')!;
    const fr = translatorFor('fr');
    expect(token().placeholder).toBe(fr.t('mail_secret_kept', []));
    expect(page.querySelector('[data-testid=mail-secret-again]')).toBeNull();

    // The same address with a trailing slash is the same address.
    await type(url, 'https://relay.firm.be/api/');
    expect(page.querySelector('[data-testid=mail-secret-again]')).toBeNull();

    await type(url, 'https://relay.elsewhere.example/api');
    expect(page.querySelector('[data-testid=mail-secret-again]')?.textContent).toBe(fr.t('mail_secret_again', []));
    expect(token().placeholder).toBe('');
    const before = sent.length;
    await act(async () => page.querySelector<HTMLButtonElement>('button[name=mail-save]')!.click());
    expect(page.querySelector('[data-testid=mail-message]')?.textContent).toBe(fr.t('mail_secret_again', []));
    expect(sent.slice(before).map((m) => m.type)).not.toContain('mail.account.save');
    // Nothing changed in the worker's store.
    expect(await db.mailSecrets.get('default')).toMatchObject({ token: 'relay-token-kept-0001' });
  });
});
