import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { Overlay, type OverlayPort } from '../../lib/overlay/overlay';
import { invoicePlaneDom } from '../../lib/sites/invoiceplane';
import { translatorFor } from '../../lib/i18n';
import { recordedText } from '../support/replay';
import type { DocumentStatus } from '../../lib/messaging/protocol';
import { control, rootOf, userEvents } from '../support/closed';

/**
 * Long lists get the status rail (lib/overlay/rail.ts) instead of a column: the app's table is left as it is. Places and
 * speed are checked in Chromium (tests/e2e/long-list.test.ts, tests/bench/overlay.ts); here, what the rail does.
 */

const LIST = '/index.php/invoices/status/all';

/** The captured InvoicePlane list with its 6 rows repeated to `count`; the copies get ids from 1001 on. */
function longList(count: number) {
  const window = new Window({ url: `http://127.0.0.1:8378${LIST}`, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  window.document.write(recordedText('invoiceplane-1.7', LIST));
  const doc = window.document as unknown as Document;
  const tbody = doc.querySelector('#filter_results tbody')!;
  const template = Array.from(tbody.querySelectorAll(':scope > tr'));
  for (let i = template.length; i < count; i++) {
    const row = template[i % template.length]!.cloneNode(true) as Element;
    for (const a of Array.from(row.querySelectorAll('a[href*="/invoices/view/"]'))) a.setAttribute('href', a.getAttribute('href')!.replace(/\/invoices\/view\/\d+/, `/invoices/view/${1001 + i - template.length}`));
    tbody.append(row);
  }
  return { doc, window, cellsPerRow: template[0]!.querySelectorAll(':scope > td').length };
}

function recordingPort(states: Record<string, DocumentStatus['state']> = {}) {
  const sent: { ids: string[]; force: boolean }[] = [];
  const listeners: ((s: DocumentStatus[]) => void)[] = [];
  const port: OverlayPort = {
    async send(documents) {
      sent.push({ ids: documents.map((d) => d.id), force: false });
      return documents.map((d) => ({ documentId: d.id, outcome: 'queued' }));
    },
    // A resend goes through the extension's confirmation; recorded here as the forced send it asks for.
    async resend(document) {
      sent.push({ ids: [document.id], force: true });
    },
    async status(ids) {
      return ids.filter((id) => states[id]).map((id) => ({ documentId: id, state: states[id]!, updatedAt: '2026-11-30T10:00:00Z' }));
    },
    onStatus: (listener) => listeners.push(listener),
  };
  return { port, sent, push: (s: DocumentStatus[]) => listeners.forEach((l) => l(s)) };
}

const railRoot = (doc: Document) => rootOf(doc.querySelector('octobridge-rail'));
const marker = (doc: Document, id: string) => railRoot(doc).querySelector<HTMLButtonElement>(`.octobridge-status[data-document-id="${id}"]`)!;
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('the status rail of long lists', () => {
  it('leaves the table as it is and gives every row a marker, whatever the number of slices', async () => {
    const { doc, window, cellsPerRow } = longList(400);
    const { port } = recordingPort({ '1': 'sent', '2': 'failed', '1001': 'queued' });
    new Overlay(doc, invoicePlaneDom, port, translatorFor('fr'), userEvents).start();
    await expect.poll(() => railRoot(doc).querySelectorAll('.octobridge-status').length, { timeout: 5000 }).toBe(400);
    await settle();
    expect(doc.querySelectorAll('.octobridge-col-status, .octobridge-col-select, table .octobridge-send')).toHaveLength(0);
    for (const row of Array.from(doc.querySelectorAll('#filter_results tbody > tr'))) expect(row.querySelectorAll(':scope > td')).toHaveLength(cellsPerRow);
    expect(doc.querySelectorAll('octobridge-rail')).toHaveLength(1);
    // The rail's root is closed: the page finds the host, not the markers.
    expect(doc.querySelector('octobridge-rail')!.shadowRoot).toBeNull();
    expect(doc.querySelector('octobridge-rail')!.getAttribute('data-rows')).toBe('400');
    expect(new Set(Array.from(railRoot(doc).querySelectorAll('.octobridge-status')).map((m) => m.getAttribute('data-document-id'))).size).toBe(400);
    expect(marker(doc, '1').getAttribute('data-state')).toBe('sent');
    expect(marker(doc, '1').textContent).toBe('✓');
    expect(marker(doc, '2').getAttribute('data-state')).toBe('failed');
    expect(marker(doc, '1001').getAttribute('data-state')).toBe('queued');
    expect(marker(doc, '3').hasAttribute('data-state')).toBe(false);
    // Words for screen readers and the tooltip, in the page's language.
    expect(marker(doc, '3').getAttribute('aria-label')).toBe('Pas encore envoyé vers Octopus');
    // The draft (InvoicePlane id 5) is marked as not sendable.
    expect(marker(doc, '5').className).toContain('octobridge-not-sendable');
    // The bulk bar sticks under the table instead of pushing it down.
    const bar = doc.querySelector('.octobridge-bulk')!;
    expect(bar.classList.contains('octobridge-bulk-sticky')).toBe(true);
    expect(bar.previousElementSibling).toBe(doc.querySelector('#filter_results table'));
    expect(bar.querySelector('.octobridge-bulk-hint')!.textContent).toBe(translatorFor('fr').t('overlay_rail_hint'));
    expect(bar.querySelector('.octobridge-bulk-hint')!.textContent).toMatch(/pastille/);
    await window.happyDOM.close();
  });

  it("sends, asks for the confirmation to send again, and selects from a marker's card; a draft's card says why it cannot", async () => {
    const { doc, window } = longList(200);
    const { port, sent, push } = recordingPort({ '1': 'sent' });
    new Overlay(doc, invoicePlaneDom, port, translatorFor('nl'), userEvents).start();
    await expect.poll(() => railRoot(doc).querySelectorAll('.octobridge-status').length, { timeout: 5000 }).toBe(200);
    await settle();

    marker(doc, '3').click();
    const card = () => railRoot(doc).querySelector('.octobridge-card');
    expect(card()?.querySelector('strong')?.textContent).toBe('RE-2026-0003');
    const send = card()!.querySelector<HTMLButtonElement>('.octobridge-send')!;
    expect(send.textContent).toBe('Naar Octopus');
    send.click();
    await settle();
    expect(sent).toEqual([{ ids: ['3'], force: false }]);
    expect(marker(doc, '3').getAttribute('data-state')).toBe('queued');
    // A status pushed by the worker repaints the marker and the open card.
    push([{ documentId: '3', state: 'sent', updatedAt: '2026-11-30T10:01:00Z', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 7 } }]);
    expect(marker(doc, '3').getAttribute('data-state')).toBe('sent');
    expect(card()!.querySelector('.octobridge-card-state')!.textContent).toContain('V1/2026/7');
    expect(card()!.querySelector('.octobridge-send')!.textContent).toBe('Opnieuw sturen');

    // Escape closes the card; a sent document is sent again only through the confirmation.
    doc.dispatchEvent(new (window.KeyboardEvent as unknown as typeof KeyboardEvent)('keydown', { key: 'Escape' }));
    expect(card()).toBeNull();
    marker(doc, '1').click();
    card()!.querySelector<HTMLButtonElement>('.octobridge-send')!.click();
    await settle();
    expect(sent[1]).toEqual({ ids: ['1'], force: true });

    // Selection from two cards feeds the bulk bar, and the bulk send takes both.
    for (const id of ['4', '6']) {
      marker(doc, id).click();
      const box = card()!.querySelector<HTMLInputElement>('.octobridge-select')!;
      box.checked = true;
      box.dispatchEvent(new (window.Event as unknown as typeof Event)('change'));
      expect(marker(doc, id).hasAttribute('data-selected')).toBe(true);
    }
    expect(doc.querySelector('.octobridge-bulk-count')!.textContent).toBe('2 geselecteerd');
    control(doc, '.octobridge-bulk-send').click();
    await settle();
    expect(sent[2]).toEqual({ ids: ['4', '6'], force: false });
    expect(marker(doc, '4').hasAttribute('data-selected')).toBe(false);

    // The draft: no send button, the reason instead.
    marker(doc, '5').click();
    expect(card()!.querySelector('.octobridge-send')).toBeNull();
    expect(card()!.querySelector('.octobridge-card-state')!.textContent).toBe(translatorFor('nl').t('sites_draft_not_sendable'));
    // A click elsewhere in the page closes it.
    doc.body.click();
    expect(card()).toBeNull();
    await window.happyDOM.close();
  });

  it('keeps the column below the threshold, and a table the app replaces gets what its length calls for', async () => {
    // The overlay's own threshold: a column up to 99 rows, the rail from 100.
    const { doc, window } = longList(99);
    const { port } = recordingPort();
    const overlay = new Overlay(doc, invoicePlaneDom, port, translatorFor('en'), userEvents);
    overlay.start();
    await expect.poll(() => doc.querySelectorAll('td.octobridge-col-status').length, { timeout: 5000 }).toBe(99);
    expect(doc.querySelector('octobridge-rail')).toBeNull();

    // The app's filter answers 100 rows: the old table and its column go, the new one gets a rail.
    const fresh = longList(100).doc.querySelector('#filter_results')!.innerHTML;
    doc.querySelector('#filter_results')!.innerHTML = fresh;
    await expect.poll(() => doc.querySelector('octobridge-rail')?.getAttribute('data-rows'), { timeout: 5000 }).toBe('100');
    expect(railRoot(doc).querySelectorAll('.octobridge-status')).toHaveLength(100);
    expect(doc.querySelectorAll('td.octobridge-col-status')).toHaveLength(0);

    // And back to a short answer: the rail of the removed table goes away.
    doc.querySelector('#filter_results')!.innerHTML = longList(6).doc.querySelector('#filter_results')!.innerHTML;
    await expect.poll(() => doc.querySelectorAll('td.octobridge-col-status').length, { timeout: 5000 }).toBe(6);
    expect(doc.querySelector('octobridge-rail')).toBeNull();
    await window.happyDOM.close();
  });
});
