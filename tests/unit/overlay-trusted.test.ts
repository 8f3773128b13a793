import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { Overlay, type OverlayPort } from '../../lib/overlay/overlay';
import { BulkRangeControls, ProgressPanel, type ProgressPort } from '../../lib/overlay/progress';
import { TeachMode } from '../../lib/overlay/teach';
import { ConfirmFrame, CONFIRM_CLOSED } from '../../lib/overlay/confirm';
import { isUserEvent } from '../../lib/overlay/shadow';
import { factuurDemoDom } from '../../lib/sites/factuurdemo.dom';
import { translatorFor } from '../../lib/i18n';
import type { DocumentStatus } from '../../lib/messaging/protocol';
import type { BulkProgress } from '../../lib/transfer/bulk';
import { control, rootOf, shownText } from '../support/closed';

/**
 * What page script can do against the overlay, tried as an attacker would: find our controls, click them from script,
 * dispatch clicks at their hosts, read what they show. None of it may book anything. happy-dom's script events are not
 * trusted, like a page's in Chromium: the overlay's default check refuses them; the tests that need a user's click give
 * the overlay a check they switch (`user.on`), so they prove the check is asked at every control.
 */

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function page(html: string, url = 'http://127.0.0.1:5610/invoices') {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  windows.push(window);
  window.document.write(html);
  return { doc: window.document as unknown as Document, window };
}

const ROWS: [string, string, string][] = [
  ['2026-0003', '2026-01-20', 'paid'],
  ['2026-0002', '2026-01-11', 'paid'],
  ['2026-0001', '2026-01-02', 'paid'],
];
const LIST = `<html><head><meta name="generator" content="FactuurDemo 1.0"></head><body>
<table id="invoice-list"><thead><tr><th class="col-number">Nummer</th><th class="col-date">Datum</th><th class="col-status">Status</th><th class="col-actions">Acties</th></tr></thead><tbody>
${ROWS.map(([n, d, s]) => `<tr data-invoice-id="${n}" data-status="${s}"><td class="col-number"><a href="/invoices/${n}">${n}</a></td><td class="col-date"><time datetime="${d}">x</time></td><td class="col-status">${s}</td><td class="col-actions"><a href="/invoices/${n}/pdf">PDF</a></td></tr>`).join('\n')}
</tbody></table></body></html>`;
const DETAIL = `<html><head><meta name="generator" content="FactuurDemo 1.0"></head><body><div class="invoice-detail" data-invoice-id="2026-0001" data-status="paid"><span class="invoice-number">2026-0001</span><div class="invoice-actions"><a href="/invoices/2026-0001/pdf">PDF</a></div></div></body></html>`;

/** A port that records every booking the page asked for; statuses as given. */
function recordingPort(states: Record<string, DocumentStatus> = {}) {
  const sends: string[][] = [];
  const resends: string[] = [];
  const port: OverlayPort = {
    async send(documents) {
      sends.push(documents.map((d) => d.id));
      return documents.map((d) => ({ documentId: d.id, outcome: 'queued' }));
    },
    async resend(document) {
      resends.push(document.id);
    },
    async status(ids) {
      return ids.flatMap((id) => (states[id] ? [states[id]!] : []));
    },
    onStatus() {},
  };
  return { port, sends, resends };
}

const sent = (id: string): DocumentStatus => ({ documentId: id, state: 'sent', updatedAt: '2026-11-30T10:00:00Z', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 } });
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Every way page script has to click an element. */
function scriptClicks(window: Window, target: Element) {
  (target as HTMLElement).click();
  target.dispatchEvent(new window.MouseEvent('click', { bubbles: true, composed: true }) as unknown as Event);
  target.dispatchEvent(new window.PointerEvent('click', { bubbles: true, composed: true }) as unknown as Event);
}

describe('the overlay against page script', () => {
  it('keeps every control in a closed root: the page finds hosts, never the buttons', async () => {
    const { doc } = page(LIST);
    const { port } = recordingPort();
    new Overlay(doc, factuurDemoDom, port, translatorFor('en')).start();
    await settle();
    const hosts = Array.from(doc.querySelectorAll('octobridge-control, octobridge-status'));
    // 3 rows × (select, status, send) + select-all + bulk send
    expect(hosts).toHaveLength(11);
    for (const host of hosts) expect(host.shadowRoot).toBeNull();
    // Nothing of ours the page could click is in its DOM.
    expect(doc.querySelectorAll('button, input')).toHaveLength(0);
  });

  it('books nothing on a script click of a row button, its host, a checkbox, select-all or the bulk button (default check)', async () => {
    const { doc, window } = page(LIST);
    const { port, sends, resends } = recordingPort({ '2026-0001': sent('2026-0001') });
    new Overlay(doc, factuurDemoDom, port, translatorFor('en')).start();
    await settle();
    for (const id of ['2026-0003', '2026-0001']) {
      const host = doc.querySelector(`.octobridge-send[data-document-id="${id}"]`)!;
      scriptClicks(window, host);
      // Even with the button in hand (which the page cannot get): the click is not the user's.
      scriptClicks(window, control(doc, `.octobridge-send[data-document-id="${id}"]`));
    }
    scriptClicks(window, control(doc, '.octobridge-select[data-document-id="2026-0002"]'));
    scriptClicks(window, control(doc, '.octobridge-select-all'));
    expect(control<HTMLInputElement>(doc, '.octobridge-select[data-document-id="2026-0002"]').checked).toBe(false);
    expect(doc.querySelector('.octobridge-bulk-count')!.getAttribute('data-count')).toBe('0');
    scriptClicks(window, control(doc, '.octobridge-bulk-send'));
    await settle();
    expect(sends).toEqual([]);
    expect(resends).toEqual([]);
    expect(doc.querySelector('.octobridge-status[data-document-id="2026-0003"]')!.hasAttribute('data-state')).toBe(false);
  });

  it('asks the check at every control: with the user, a send books once and a resend only asks; without, nothing', async () => {
    const { doc, window } = page(LIST);
    const { port, sends, resends } = recordingPort({ '2026-0001': sent('2026-0001') });
    const user = { on: true };
    new Overlay(doc, factuurDemoDom, port, translatorFor('en'), { isUserEvent: () => user.on }).start();
    await settle();
    control(doc, '.octobridge-send[data-document-id="2026-0003"]').click();
    // "Send again" of a sent document never sends: it asks for the extension's confirmation.
    expect(doc.querySelector('.octobridge-send[data-document-id="2026-0001"]')!.getAttribute('data-action')).toBe('send-again');
    control(doc, '.octobridge-send[data-document-id="2026-0001"]').click();
    await settle();
    expect(sends).toEqual([['2026-0003']]);
    expect(resends).toEqual(['2026-0001']);

    // The user selects one row; the page's script then selects another and presses the bulk button: nothing.
    control(doc, '.octobridge-select[data-document-id="2026-0002"]').click();
    expect(doc.querySelector('.octobridge-bulk-count')!.getAttribute('data-count')).toBe('1');
    user.on = false;
    scriptClicks(window, control(doc, '.octobridge-select[data-document-id="2026-0003"]'));
    scriptClicks(window, control(doc, '.octobridge-bulk-send'));
    await settle();
    expect(doc.querySelector('.octobridge-bulk-count')!.getAttribute('data-count')).toBe('1');
    expect(sends).toEqual([['2026-0003']]);
    user.on = true;
    control(doc, '.octobridge-bulk-send').click();
    await settle();
    expect(sends).toEqual([['2026-0003'], ['2026-0002']]);
  });

  it('books nothing from the detail page button on a script click', async () => {
    const { doc, window } = page(DETAIL, 'http://127.0.0.1:5610/invoices/2026-0001');
    const { port, sends } = recordingPort();
    const user = { on: false };
    new Overlay(doc, factuurDemoDom, port, translatorFor('en'), { isUserEvent: () => user.on }).start();
    await settle();
    const host = doc.querySelector('.octobridge-detail .octobridge-send')!;
    expect(host.shadowRoot).toBeNull();
    scriptClicks(window, host);
    scriptClicks(window, control(doc, '.octobridge-detail .octobridge-send'));
    await settle();
    expect(sends).toEqual([]);
    user.on = true;
    control(doc, '.octobridge-detail .octobridge-send').click();
    await settle();
    expect(sends).toEqual([['2026-0001']]);
  });

  it('shows the page the translated state and reason only, never the peer’s detail', async () => {
    const { doc } = page(LIST);
    const failed: DocumentStatus = {
      documentId: '2026-0002',
      state: 'needs-attention',
      updatedAt: '2026-11-30T10:00:00Z',
      // The worker sends no detail to pages any more; one that did must still not reach the page's DOM.
      error: { text: { key: 'overlay_request_failed', params: [] }, detail: 'Octopus: dossier 90210 journal V1 closed' } as DocumentStatus['error'],
    };
    const { port } = recordingPort({ '2026-0002': failed, '2026-0001': sent('2026-0001') });
    new Overlay(doc, factuurDemoDom, port, translatorFor('en')).start();
    await settle();
    const host = doc.querySelector('.octobridge-status[data-document-id="2026-0002"]')!;
    expect(host.getAttribute('data-state')).toBe('needs-attention');
    expect(host.getAttribute('data-text')).toBe('✗ The extension did not take the request');
    // The peer's detail is for the popup (an extension page): neither the closed root nor the page's DOM shows it.
    expect(shownText(host)).toContain('The extension did not take the request');
    expect(shownText(host)).not.toContain('90210');
    expect(doc.documentElement.outerHTML).not.toContain('90210');
    expect(doc.querySelector('.octobridge-status[data-document-id="2026-0001"]')!.getAttribute('data-text')).toBe('✓ V1/2026/42');
  });

  it('refuses synthetic events by default (isTrusted) and takes trusted ones', () => {
    const { window } = page('<html><body></body></html>');
    expect(isUserEvent(new window.MouseEvent('click') as unknown as Event)).toBe(false);
    expect(isUserEvent({ isTrusted: true } as Event)).toBe(true);
  });
});

describe('the rail of long lists against page script', () => {
  it('opens no card and books nothing on script clicks; a user click on the card sends', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`2026-${String(1000 + i)}`, '2026-02-01', 'paid'] as const);
    const html = LIST.replace(/<tbody>[\s\S]*<\/tbody>/, `<tbody>${rows.map(([n, d, s]) => `<tr data-invoice-id="${n}" data-status="${s}"><td class="col-number"><a href="/invoices/${n}">${n}</a></td><td class="col-date"><time datetime="${d}">x</time></td><td class="col-status">${s}</td><td class="col-actions"></td></tr>`).join('')}</tbody>`);
    const { doc, window } = page(html);
    const { port, sends } = recordingPort();
    const user = { on: false };
    new Overlay(doc, factuurDemoDom, port, translatorFor('en'), { isUserEvent: () => user.on }).start();
    const rail = () => doc.querySelector('octobridge-rail');
    await expect.poll(() => rail()?.getAttribute('data-rows'), { timeout: 5000 }).toBe('120');
    expect(rail()!.shadowRoot).toBeNull();
    const root = rootOf(rail());
    const marker = root.querySelector<HTMLButtonElement>('.octobridge-status[data-document-id="2026-1005"]')!;
    scriptClicks(window, rail()!);
    scriptClicks(window, marker);
    expect(root.querySelector('.octobridge-card')).toBeNull();
    user.on = true;
    marker.click();
    const send = root.querySelector<HTMLButtonElement>('.octobridge-card .octobridge-send')!;
    user.on = false;
    scriptClicks(window, send);
    const box = root.querySelector<HTMLInputElement>('.octobridge-card .octobridge-select')!;
    scriptClicks(window, box);
    await settle();
    expect(sends).toEqual([]);
    expect(box.checked).toBe(false);
    expect(doc.querySelector('.octobridge-bulk-count')!.getAttribute('data-count')).toBe('0');
    user.on = true;
    send.click();
    await settle();
    expect(sends).toEqual([['2026-1005']]);
  });
});

describe('the range, period and progress controls against page script', () => {
  function port(started: unknown[], cancelled: string[], previewed: unknown[] = []): ProgressPort {
    return {
      preview: async (documents, filter) => {
        previewed.push(filter);
        return { scope: 'page', goCount: 1, go: [{ id: '2026-0001', number: '2026-0001' }], skippedCount: 0, skipped: [] };
      },
      progress: async () => [{ jobId: 'j1', state: 'running', total: 3, done: 1, failed: 0, retrying: 0, cancelled: 0, skipped: 0, pending: 2, label: '3' } as unknown as BulkProgress],
      cancel: async (jobId) => void cancelled.push(jobId),
      start: async (documents, filter) => {
        started.push(filter);
        return { outcome: 'none', scope: 'page' };
      },
      warnEdit: async () => ({ warn: false }),
    };
  }

  it('starts no range or period send and cancels no job on script clicks', async () => {
    const { doc, window } = page(LIST);
    const started: unknown[] = [];
    const cancelled: string[] = [];
    const user = { on: false };
    const check = () => user.on;
    const previewed: unknown[] = [];
    const progressPort = port(started, cancelled, previewed);
    const panel = new ProgressPanel(doc, progressPort, translatorFor('en'), { pollMs: 60_000, isUserEvent: check });
    const controls = new BulkRangeControls(doc, () => [], progressPort, translatorFor('en'), () => undefined, () => new Date('2026-05-01T12:00:00Z'), check);
    const { port: overlayPort } = recordingPort();
    new Overlay(doc, factuurDemoDom, overlayPort, translatorFor('en'), { isUserEvent: check, onBulkBar: (bar) => controls.attach(bar) }).start();
    await panel.start();
    const bar = doc.querySelector('.octobridge-bulk')!;
    for (const name of ['range-year', 'range-from', 'range-to', 'period-from', 'period-to', 'bulk-range-send', 'bulk-period-send']) {
      expect(bar.querySelector(`.octobridge-${name}`)!.shadowRoot, name).toBeNull();
    }
    expect(bar.querySelector('.octobridge-bulk-message')!.shadowRoot).toBeNull();
    control<HTMLInputElement>(bar, '.octobridge-range-to').value = '9';
    scriptClicks(window, control(bar, '.octobridge-bulk-range-send'));
    scriptClicks(window, bar.querySelector('.octobridge-bulk-range-send')!);
    control<HTMLInputElement>(bar, '.octobridge-period-to').value = '2026-03-01';
    scriptClicks(window, control(bar, '.octobridge-bulk-period-send'));
    scriptClicks(window, doc.querySelector('.octobridge-job-cancel')!);
    await settle();
    expect(previewed).toEqual([]);
    expect(started).toEqual([]);
    expect(cancelled).toEqual([]);
    user.on = true;
    control(bar, '.octobridge-bulk-range-send').click();
    await settle();
    expect(previewed).toEqual([{ type: 'range', year: 2026, from: 1, to: 9 }]);
    // The preview's confirmation is in a closed root too, and a script's click on it starts nothing.
    const preview = doc.querySelector('.octobridge-preview')!;
    expect(preview.shadowRoot).toBeNull();
    const confirm = rootOf(preview).querySelector<HTMLButtonElement>('.octobridge-preview-confirm')!;
    user.on = false;
    scriptClicks(window, confirm);
    await settle();
    expect(started).toEqual([]);
    user.on = true;
    confirm.click();
    (doc.querySelector('.octobridge-job-cancel') as HTMLButtonElement).click();
    await settle();
    expect(started).toEqual([{ type: 'range', year: 2026, from: 1, to: 9 }]);
    expect(cancelled).toEqual(['j1']);
    panel.stop();
  });
});

describe('teach mode against page script', () => {
  it('learns nothing from script clicks, and its banner is in a closed root', () => {
    const { doc, window } = page('<html><body><table><thead><tr><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th></tr></thead><tbody><tr><td>F-1</td><td>01-02-2026</td><td>Klant</td><td>1.234,50 €</td><td><a href="/docs/F-1.xml">x</a></td></tr></tbody></table></body></html>');
    let taught = false;
    new TeachMode(doc, translatorFor('en'), () => (taught = true)).start();
    const banner = doc.querySelector('.octobridge-teach')!;
    expect(banner.shadowRoot).toBeNull();
    const cells = Array.from(doc.querySelectorAll('tbody td'));
    for (const cell of cells) scriptClicks(window, cell);
    scriptClicks(window, cells[4]!.querySelector('a')!);
    expect(taught).toBe(false);
    // The banner still asks for the first field: no step was taken.
    expect(rootOf(banner).textContent).toMatch(/\(1\/5\)|1.*5/);
  });
});

describe('the confirmation frame', () => {
  it('is in a closed root, frames the extension page, and only the frame itself closes it', () => {
    const { doc, window } = page('<html><body></body></html>');
    const frame = new ConfirmFrame(doc, 'chrome-extension://abc/confirm.html#00112233445566778899aabbccddeeff', 'Send again');
    const host = doc.querySelector('octobridge-confirm')!;
    expect(host).toBe(frame.host);
    expect(host.shadowRoot).toBeNull();
    expect(doc.querySelectorAll('iframe')).toHaveLength(0);
    expect(rootOf(host).querySelector('iframe')!.getAttribute('src')).toContain('confirm.html#');
    // The page posts the closing message itself: its source is the page, not the frame.
    (window as unknown as EventTarget).dispatchEvent(new window.MessageEvent('message', { data: { type: CONFIRM_CLOSED }, source: window as never }) as unknown as Event);
    expect(host.isConnected).toBe(true);
    frame.close();
    expect(host.isConnected).toBe(false);
  });
});

describe('the confirmation page', () => {
  it('confirms only on the user’s click, once the button is armed, and says so when the token is no longer valid', async () => {
    const { startConfirmPage } = await import('../../components/confirm-page');
    const { doc, window } = page('<html><body><main id="root"></main></body></html>', 'chrome-extension://abc/confirm.html');
    const asked: unknown[] = [];
    let closed = 0;
    const user = { on: false };
    await startConfirmPage(doc, 'aa'.repeat(16), {
      ask: async (m) => {
        asked.push(m);
        const type = (m as { type: string }).type;
        if (type === 'resend.details') return { ok: true, details: { documentNumber: '2026-0001', site: 'shop.test', reference: { journal: 'V1', bookyear: 2026, documentSequenceNr: 42 }, sentAt: '2026-03-02T10:00:00Z' } };
        return { ok: true };
      },
      close: () => void closed++,
      t: translatorFor('en'),
      isUserEvent: () => user.on,
      armAfterMs: 30,
    });
    const root = doc.getElementById('root')!;
    expect(root.textContent).toContain('2026-0001');
    expect(root.textContent).toContain('V1/2026/42');
    const send = doc.querySelector<HTMLButtonElement>('button[name=send-again]')!;
    scriptClicks(window, send);
    await new Promise((r) => setTimeout(r, 60));
    scriptClicks(window, send);
    await settle();
    expect(asked.map((m) => (m as { type: string }).type)).toEqual(['resend.details']);
    user.on = true;
    send.click();
    await settle();
    expect(asked.map((m) => (m as { type: string }).type)).toEqual(['resend.details', 'resend.confirm']);
    expect(closed).toBe(1);

    const second = page('<html><body><main id="root"></main></body></html>', 'chrome-extension://abc/confirm.html');
    await startConfirmPage(second.doc, 'bb'.repeat(16), { ask: async () => ({ ok: false, error: { code: 'not-found', message: 'gone' } }), close: () => undefined, t: translatorFor('nl') });
    expect(second.doc.querySelector('[role=alert]')!.textContent).toBe(translatorFor('nl').t('confirm_expired'));
    expect(second.doc.querySelector('button[name=send-again]')).toBeNull();
  });
});
