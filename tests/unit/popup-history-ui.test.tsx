// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { reactHarness, waitFor } from '../support/react-dom';
import { LedgerDb } from '../../lib/ledger/db';
import { Ledger } from '../../lib/ledger/ledger';
import { translatorFor } from '../../lib/i18n';
import type { Locale } from '../../lib/i18n/translator';
import type { Transfer } from '../../lib/model/transfer';
import { amountOf, formatAmount, toCsv } from '../../lib/history/present';
import { documentAmount } from '../../lib/transfer/engine';
import { invoice as invoiceSchema } from '../../lib/model/invoice';
import Dexie from 'dexie';

/**
 * The popup answers support's question "did invoice X reach Octopus, where, and if not why?": filters, search by
 * number, counterparty or Octopus reference, amounts as the document has them in the user's language, the log view
 * with every booking and the peer's own words marked, Retry now / Send again, and the CSV of what the filters show.
 */

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let language: Locale = 'nl';
const sent: unknown[] = [];
const storage = new Map<string, unknown>([['octobridge.sites', [{ origin: 'https://erp.bakkerij.be', addedAt: '2026-01-01', name: 'Bakkerij ERP' }]]]);

let PopupApp: typeof import('../../entrypoints/popup/PopupApp').PopupApp;

beforeAll(async () => {
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: {
      id: 'test',
      sendMessage: async (m: unknown) => {
        sent.push(m);
        return { ok: true, outcome: 'queued' };
      },
      getURL: (p: string) => `chrome-extension://test${p}`,
      openOptionsPage: async () => undefined,
    },
    i18n: { getMessage: (key: string, subs?: string[]) => translatorFor(language).t(key, subs ?? []), getUILanguage: () => language },
    storage: {
      local: {
        async get(keys: string | string[]) {
          return Object.fromEntries((Array.isArray(keys) ? keys : [keys]).filter((k) => storage.has(k)).map((k) => [k, storage.get(k)]));
        },
        async set() {},
        async remove() {},
      },
      onChanged: { addListener() {}, removeListener() {} },
    },
    tabs: { query: async () => [], create: async () => ({}) },
    permissions: { contains: async () => false },
  };
  ({ PopupApp } = await import('../../entrypoints/popup/PopupApp'));
});

const { render, unmountAll } = reactHarness();
afterEach(() => {
  unmountAll();
  sent.length = 0;
  language = 'nl';
});

const click = (element: Element) => act(async () => (element as HTMLElement).click());
async function change(element: HTMLInputElement | HTMLSelectElement, value: string) {
  await act(async () => {
    const proto = element instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}
const squash = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

function transfer(id: string, over: Partial<Transfer>): Transfer {
  return {
    id,
    documentKey: `${over.site ?? '127.0.0.1:5610'}/${id}`,
    site: '127.0.0.1:5610',
    origin: 'http://127.0.0.1:5610',
    adapter: 'factuurdemo',
    documentId: id,
    transport: 'webservice',
    state: 'sent',
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    attempts: 1,
    log: [],
    ...over,
  };
}

async function seeded(name: string): Promise<LedgerDb> {
  const db = new LedgerDb(name);
  await db.dossiers.bulkPut([
    { id: 'd1', name: 'Demo BV' },
    { id: 'd2', name: 'Traiteur Lemaire' },
  ] as never);
  await db.transfers.bulkPut([
    transfer('t1', {
      documentNumber: 'F-2026-0018',
      dossierId: 'd1',
      kind: 'invoice',
      counterparty: 'Klant NV',
      amount: { value: '1554.00', currency: 'EUR' },
      updatedAt: '2026-11-05T10:00:00.000Z',
      octopusReference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 50 },
      bookings: [
        { at: '2026-11-03T10:00:00.000Z', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 } },
        { at: '2026-11-05T10:00:00.000Z', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 50 } },
      ],
      referenceKeys: ['v1/2026/42', 'v1/2026/50'],
      log: [
        { at: '2026-11-03T09:59:00.000Z', level: 'info', text: { key: 'log_queued', params: [] } },
        { at: '2026-11-03T10:00:00.000Z', level: 'info', text: { key: 'log_booked', params: ['V1/2026/42'] } },
        { at: '2026-11-05T10:00:00.000Z', level: 'info', text: { key: 'log_booked', params: ['V1/2026/50'] } },
      ],
    }),
    transfer('t2', {
      documentNumber: 'CN-2026-0002',
      dossierId: 'd2',
      kind: 'credit-note',
      counterparty: 'Traiteur Lemaire SRL',
      amount: { value: '-1554.00', currency: 'EUR' },
      state: 'failed',
      updatedAt: '2026-11-04T10:00:00.000Z',
      nextAttemptAt: '2026-11-04T10:05:00.000Z',
      lastError: { text: { key: 'octopus_error_journal_open', params: ['V1'] }, detail: 'Journal V1 is open in Octopus by another user' },
      log: [
        { at: '2026-11-04T10:00:00.000Z', level: 'error', text: { key: 'log_sending', params: ['1'] }, detail: 'Journal V1 is open in Octopus by another user' },
      ],
    }),
    transfer('t3', {
      documentNumber: 'A-77',
      dossierId: 'd1',
      site: 'erp.bakkerij.be',
      origin: 'https://erp.bakkerij.be',
      adapter: 'dolibarr',
      transport: 'mailbox',
      kind: 'invoice',
      counterparty: 'Molens "Het Anker"; Gent',
      amount: { value: '12.10', currency: 'EUR' },
      updatedAt: '2026-10-01T08:00:00.000Z',
      log: [{ at: '2026-10-01T08:00:00.000Z', level: 'info', text: { key: 'mail_log_sent', params: ['aankoop@octopus.be', '<abc.123@octobridge>'] } }],
    }),
  ]);
  return db;
}

const numbers = (root: HTMLElement) => Array.from(root.querySelectorAll('tr[data-transfer-id] .doc-number')).map((e) => e.textContent);

describe('the popup history', () => {
  it('filters by dossier, site (by the name the user gave it), state, kind and period, newest first', async () => {
    const db = await seeded('popup-ui-filters');
    const root = await render(<PopupApp db={db} />);
    await waitFor(() => numbers(root).length === 3);
    expect(numbers(root)).toEqual(['F-2026-0018', 'CN-2026-0002', 'A-77']);

    const site = root.querySelector<HTMLSelectElement>('select[name=filter-site]')!;
    await waitFor(() => Array.from(site.options).some((o) => o.textContent === 'Bakkerij ERP'));
    // A site the user gave no name keeps its host.
    expect(Array.from(site.options).map((o) => o.textContent)).toEqual(['Alle', '127.0.0.1:5610', 'Bakkerij ERP']);
    await change(site, 'erp.bakkerij.be');
    await waitFor(() => numbers(root).join() === 'A-77');
    expect(root.querySelector('tr[data-transfer-id]')!.textContent).toContain('Bakkerij ERP');
    await change(site, '');

    await change(root.querySelector<HTMLSelectElement>('select[name=filter-dossier]')!, 'd1');
    await waitFor(() => numbers(root).join() === 'F-2026-0018,A-77');
    await change(root.querySelector<HTMLSelectElement>('select[name=filter-kind]')!, 'invoice');
    await change(root.querySelector<HTMLInputElement>('input[name=filter-from]')!, '2026-11-01');
    await waitFor(() => numbers(root).join() === 'F-2026-0018');
    await click(root.querySelector('button[name=clear-filters]')!);
    await change(root.querySelector<HTMLSelectElement>('select[name=filter-state]')!, 'failed');
    await waitFor(() => numbers(root).join() === 'CN-2026-0002');
    await change(root.querySelector<HTMLSelectElement>('select[name=filter-kind]')!, 'invoice');
    await waitFor(() => root.textContent!.includes('Geen overdracht past bij deze filters.'));
  });

  it('finds a document by its Octopus reference, the earlier booking too, written either way', async () => {
    const db = await seeded('popup-ui-search');
    const root = await render(<PopupApp db={db} />);
    await waitFor(() => numbers(root).length === 3);
    const search = root.querySelector<HTMLInputElement>('input[name=search]')!;
    await change(search, 'V1/2026/42');
    await waitFor(() => numbers(root).join() === 'F-2026-0018');
    await change(search, 'v1 2026/50');
    await waitFor(() => numbers(root).join() === 'F-2026-0018');
    // Both bookings are in the row, not only the latest.
    const row = root.querySelector('tr[data-transfer-id=t1]')!;
    expect(Array.from(row.querySelectorAll('.reference')).map((e) => e.textContent)).toEqual(['V1/2026/42', 'V1/2026/50']);
    await change(search, 'lemaire');
    await waitFor(() => numbers(root).join() === 'CN-2026-0002');
    await change(search, 'V1/2026/51');
    await waitFor(() => numbers(root).length === 0);
  });

  it('shows the full total with its sign in the user’s language', async () => {
    for (const [locale, credit, invoice] of [
      ['nl', /^€ -1\.554,00$/, /^€ 1\.554,00$/],
      ['fr', /^-1 554,00 €$/, /^1 554,00 €$/],
      ['en', /^-€1,554\.00$/, /^€1,554\.00$/],
    ] as const) {
      language = locale;
      const db = await seeded(`popup-ui-amount-${locale}`);
      const root = await render(<PopupApp db={db} />);
      await waitFor(() => numbers(root).length === 3);
      expect(squash(root.querySelector('tr[data-transfer-id=t2] .amount')!.textContent)).toMatch(credit);
      expect(squash(root.querySelector('tr[data-transfer-id=t1] .amount')!.textContent)).toMatch(invoice);
      unmountAll();
    }
  });

  it('shows a failure in full with Octopus’s own words marked, and Retry now with the next automatic try', async () => {
    const db = await seeded('popup-ui-failure');
    const root = await render(<PopupApp db={db} />);
    const row = await waitFor(() => root.querySelector('tr[data-transfer-id=t2]'));
    const reason = row.querySelector('.message')!.textContent!;
    expect(reason).toContain('Letterlijk antwoord van Octopus (niet vertaald): “Journal V1 is open in Octopus by another user”');
    expect(row.textContent).toContain('Volgende automatische poging:');
    const retry = row.querySelector<HTMLButtonElement>('button[name=retry-now]')!;
    expect(retry.textContent).toBe('Nu opnieuw proberen');
    await click(retry);
    // A retry never asks to book again what may have been booked meanwhile.
    expect(sent).toEqual([{ type: 'transfer.retry', transferId: 't2' }]);
    await waitFor(() => row.querySelector('[role=status]')?.textContent?.includes('Opnieuw in de wachtrij'));
  });

  it('opens the log: each step in words, the Message-ID, every booking; send again asks first', async () => {
    const db = await seeded('popup-ui-log');
    const root = await render(<PopupApp db={db} />);
    await click(await waitFor(() => root.querySelector('tr[data-transfer-id=t3] .doc-number')));
    const detail = await waitFor(() => root.querySelector('[data-testid=transfer-detail]'));
    expect(detail.querySelector('[data-testid=transfer-log]')!.textContent).toContain('Message-ID van de e-mail: <abc.123@octobridge>');
    expect(detail.querySelector<HTMLAnchorElement>('a[href]')!.href).toBe('https://erp.bakkerij.be/compta/facture/card.php?id=t3');
    await click(detail.querySelector('button[name=back]')!);

    await click(await waitFor(() => root.querySelector('tr[data-transfer-id=t1] .doc-number')));
    const booked = await waitFor(() => root.querySelector('[data-testid=transfer-detail][data-transfer-id=t1]'));
    expect(Array.from(booked.querySelectorAll('[data-testid=bookings] li')).map((li) => li.textContent!.split(' op ')[0])).toEqual(['V1/2026/42', 'V1/2026/50']);
    expect(booked.querySelector('[data-testid=transfer-log]')!.textContent).toContain('Geboekt in Octopus als V1/2026/42');
    await click(booked.querySelector('button[name=send-again]')!);
    expect(sent).toEqual([]);
    expect(booked.querySelector('[role=alertdialog]')!.textContent).toContain('staat al in Octopus als V1/2026/50');
    await click(booked.querySelector('button[name=send-again-confirm]')!);
    expect(sent).toEqual([{ type: 'transfer.retry', transferId: 't1', again: true }]);

    await click(await waitFor(() => root.querySelector('[data-testid=transfer-detail] button[name=back]')));
    await click(await waitFor(() => root.querySelector('tr[data-transfer-id=t2] .doc-number')));
    const failed = await waitFor(() => root.querySelector('[data-testid=transfer-detail][data-transfer-id=t2]'));
    expect(failed.querySelector('[data-testid=transfer-log] .peer-words')!.textContent).toBe(
      'Letterlijk antwoord van Octopus (niet vertaald): “Journal V1 is open in Octopus by another user”',
    );
  });

  it('shows a transfer the worker writes while the popup is open (live), also under a reference search', async () => {
    const db = await seeded('popup-ui-live');
    const root = await render(<PopupApp db={db} />);
    await waitFor(() => numbers(root).length === 3);
    const ledger = new Ledger(db, { now: () => new Date('2026-11-06T10:00:00Z') });
    const [queued] = await act(async () => ledger.enqueue([{ site: '127.0.0.1:5610', origin: 'http://127.0.0.1:5610', adapter: 'factuurdemo', documentId: 'n1', documentNumber: 'F-NEW', transport: 'webservice' }]));
    await waitFor(() => numbers(root)[0] === 'F-NEW');
    await change(root.querySelector<HTMLInputElement>('input[name=search]')!, 'V1/2026/77');
    await waitFor(() => numbers(root).length === 0);
    await act(async () => {
      await ledger.claimNext(60_000);
      await ledger.markSent(queued!.transfer.id, { journal: 'V1', bookyear: 2026, documentSequenceNr: 77 }, { key: 'log_booked', params: ['V1/2026/77'] });
    });
    await waitFor(() => numbers(root).join() === 'F-NEW');
  });

  it('reads hundreds of rows page by page (virtualised: only the rows in view are in the page)', async () => {
    const db = new LedgerDb('popup-ui-many');
    const base = Date.parse('2026-01-01T00:00:00Z');
    await db.transfers.bulkPut(
      Array.from({ length: 500 }, (_, i) =>
        transfer(`m${i}`, { documentNumber: `M-${String(i).padStart(4, '0')}`, updatedAt: new Date(base + i * 60_000).toISOString() }),
      ),
    );
    const root = await render(<PopupApp db={db} />);
    await waitFor(() => numbers(root).length > 0);
    expect(numbers(root)[0]).toBe('M-0499');
    expect(numbers(root).length).toBeLessThan(40);
  });
});

describe('amounts and CSV', () => {
  it('keeps the full total and the credit note’s sign when a booking is described', () => {
    const credit = invoiceSchema.parse({
      kind: 'credit-note',
      number: 'CN-1',
      issueDate: '2026-11-02',
      currency: 'EUR',
      seller: { name: 'Demo BV', address: { countryCode: 'BE' } },
      buyer: { name: 'Klant NV', address: { countryCode: 'BE' } },
      lines: [{ id: '1', description: 'Work', quantity: '1', unitPrice: '100.00', netAmount: '100.00', vat: { category: 'S', rate: '21' } }],
      vatBreakdown: [{ category: 'S', rate: '21', taxableAmount: '100.00', taxAmount: '21.00' }],
      // Partly paid already: what is left to pay is not the document's total.
      totals: { lineExtension: '100.00', taxExclusive: '100.00', taxTotal: '21.00', taxInclusive: '121.00', prepaid: '21.00', payable: '100.00' },
    });
    expect(documentAmount(credit)).toEqual({ value: '-121.00', currency: 'EUR' });
    expect(documentAmount({ ...credit, kind: 'invoice' })).toEqual({ value: '121.00', currency: 'EUR' });
    // Records from before: "22.26 EUR" of a credit note gets its sign from the kind.
    expect(amountOf(transfer('x', { kind: 'credit-note', total: '22.26 EUR' }))).toEqual({ value: '-22.26', currency: 'EUR' });
    expect(squash(formatAmount({ value: '-0.10', currency: 'EUR' }, 'fr'))).toBe('-0,10 €');
  });

  it('exports what the filters show: “;” and a decimal comma in nl, RFC 4180 quoting, no formulas', async () => {
    const db = await seeded('popup-csv');
    const rows = await new Ledger(db, { now: () => new Date() }).historyAll({ dossierId: 'd1' });
    const csv = toCsv(rows, { t: translatorFor('nl'), locale: 'nl', dossierNames: new Map([['d1', 'Demo BV']]), siteNames: new Map([['erp.bakkerij.be', 'Bakkerij ERP']]) });
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, and the final CRLF
    expect(lines[0]).toBe('Laatste wijziging;Nummer;Soort;Tegenpartij;Totaal;Munt;Dossier;Site;Status;Octopus-referenties;Reden');
    expect(lines[1]).toBe('2026-11-05T10:00:00.000Z;F-2026-0018;Factuur;Klant NV;1554,00;EUR;Demo BV;127.0.0.1:5610;Verzonden;V1/2026/42 | V1/2026/50;');
    expect(lines[2]).toBe('2026-10-01T08:00:00.000Z;A-77;Factuur;"Molens ""Het Anker""; Gent";12,10;EUR;Demo BV;Bakkerij ERP;Verzonden;;');
    const hostile = toCsv([transfer('h', { counterparty: '=HYPERLINK("http://x")', kind: 'credit-note', amount: { value: '-5.00', currency: 'EUR' } })], {
      t: translatorFor('en'),
      locale: 'en',
      dossierNames: new Map(),
      siteNames: new Map(),
    });
    expect(hostile.split('\r\n')[1]).toBe(`2026-11-02T09:00:00.000Z,h,Credit note,"'=HYPERLINK(""http://x"")",-5.00,EUR,,127.0.0.1:5610,Sent,,`);
  });
});

describe('every booking of a document', () => {
  it('keeps each booking of a document sent again, and finds it by any of them through the index', async () => {
    const db = new LedgerDb('popup-bookings');
    let ms = Date.parse('2026-11-02T10:00:00Z');
    const ledger = new Ledger(db, { now: () => new Date(ms) });
    const request = { site: '127.0.0.1:5610', origin: 'http://127.0.0.1:5610', adapter: 'factuurdemo', documentId: '18', transport: 'webservice' as const };
    const [queued] = await ledger.enqueue([request]);
    await ledger.claimNext(60_000);
    await ledger.markSent(queued!.transfer.id, { journal: 'V1', bookyear: 7, bookyearLabel: '2026', documentSequenceNr: 42 }, { key: 'log_booked', params: ['V1/2026/42'] });
    ms += 60_000;
    await ledger.enqueue([{ ...request, force: true }]);
    await ledger.claimNext(60_000);
    await ledger.markSent(queued!.transfer.id, { journal: 'V1', bookyear: 7, bookyearLabel: '2026', documentSequenceNr: 50 }, { key: 'log_booked', params: ['V1/2026/50'] });
    const transfer = (await db.transfers.get(queued!.transfer.id))!;
    expect(transfer.bookings!.map((b) => b.reference.documentSequenceNr)).toEqual([42, 50]);
    for (const search of ['V1/2026/42', 'v1 2026 / 50', 'V1/7/42']) expect((await ledger.history({ search })).map((t) => t.id)).toEqual([transfer.id]);
    expect(await ledger.history({ search: 'V1/2026/43' })).toEqual([]);
    expect(await ledger.history({ search: 'V1/2026/42', state: 'failed' })).toEqual([]);
  });

  it('gives records booked before version 9 their reference keys from their log', async () => {
    const old = new Dexie('popup-upgrade');
    old.version(8).stores({ transfers: 'id, &documentKey, [dossierId+documentKey], state, updatedAt, createdAt' });
    await old.table('transfers').put(
      transfer('u1', {
        documentNumber: 'F-9',
        octopusReference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 50 },
        log: [{ at: '2026-11-03T10:00:00.000Z', level: 'info', text: { key: 'log_booked', params: ['V1/2026/42'] } }],
      }),
    );
    old.close();
    const db = new LedgerDb('popup-upgrade');
    const ledger = new Ledger(db, { now: () => new Date() });
    expect((await ledger.history({ search: 'V1/2026/42' })).map((t) => t.id)).toEqual(['u1']);
    expect((await ledger.history({ search: 'V1/2026/50' })).map((t) => t.id)).toEqual(['u1']);
  });
});

describe('the worker’s transfer.retry', () => {
  it('re-books a sent document only when the user confirmed a send again', async () => {
    const { handlePageRequest } = await import('../../lib/extension/settings');
    const { pageRequest } = await import('../../lib/messaging/protocol');
    const db = new LedgerDb('popup-retry-worker');
    await db.transfers.put(transfer('s1', { state: 'sent', octopusReference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 } }));
    const asked: { force?: boolean }[] = [];
    const deps = { db, ledger: new Ledger(db, { now: () => new Date() }), engine: { send: async (r: { force?: boolean }[]) => (asked.push(...r), [{ outcome: 'queued' }]) } };
    // A "Retry now" pressed on a row that was booked meanwhile must not book it twice.
    await handlePageRequest(pageRequest.parse({ type: 'transfer.retry', transferId: 's1' }), deps as never);
    await handlePageRequest(pageRequest.parse({ type: 'transfer.retry', transferId: 's1', again: true }), deps as never);
    expect(asked.map((r) => r.force)).toEqual([false, true]);
  });
});
