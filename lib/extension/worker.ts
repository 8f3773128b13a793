import { browser, type Browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { LedgerDb } from '../ledger/db';
import { Ledger } from '../ledger/ledger';
import { systemClock } from '../platform/clock';
import { TransferEngine } from '../transfer/engine';
import { createWebserviceTransport } from '../transfer/webservice-transport';
import { ADAPTERS } from '../sites/registry';
import type { SiteAdapter } from '../sites/types';
import {
  contentRequest,
  pageRequest,
  STATUS_PORT,
  type DocumentStatus,
  type ErrorResponse,
  type StatusPush,
} from '../messaging/protocol';
import type { Transfer } from '../model/transfer';
import { handlePageRequest } from './settings';

const OUTBOX_ALARM = 'octobridge-outbox';

export function toDocumentStatus(t: Transfer): DocumentStatus {
  return {
    documentId: t.documentId,
    state: t.state,
    updatedAt: t.updatedAt,
    reference: t.octopusReference,
    error: t.lastError ? { text: t.lastError.text, detail: t.lastError.detail } : undefined,
  };
}

function fail(code: ErrorResponse['error']['code'], message: string): ErrorResponse {
  return { ok: false, error: { code, message } };
}

type Sender = Browser.runtime.MessageSender;

/** An extension page (popup, options) of this extension, not a content script in some site. */
export function isExtensionPage(sender: Sender): boolean {
  if (sender.id !== browser.runtime.id || !sender.url) return false;
  return new URL(sender.url).origin === new URL(browser.runtime.getURL('/')).origin;
}

function adapterForUrl(url: URL): SiteAdapter | undefined {
  return ADAPTERS.find((a) => a.matches.some((m) => new MatchPattern(m).includes(url.href)));
}

/**
 * The background worker. Everything is wired synchronously (MV3 drops events whose listeners are
 * added after an await); state lives in IndexedDB, so a worker that is stopped and started again
 * picks up where the last one was.
 */
export function startWorker(): void {
  const db = new LedgerDb();
  const ledger = new Ledger(db, systemClock);
  const statusPorts = new Set<Browser.runtime.Port>();

  const onChange = (transfer: Transfer) => {
    const push: StatusPush = { type: 'status.changed', statuses: [toDocumentStatus(transfer)] };
    for (const port of statusPorts) {
      const url = port.sender?.url ? new URL(port.sender.url) : undefined;
      if (url && url.host === transfer.site) {
        try {
          port.postMessage(push);
        } catch {
          statusPorts.delete(port);
        }
      }
    }
    scheduleBadge();
  };

  const engine = new TransferEngine({
    ledger,
    adapters: ADAPTERS,
    transports: { webservice: createWebserviceTransport(db, (input, init) => fetch(input, init)) },
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    onChange,
  });

  let badgeTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleBadge() {
    if (badgeTimer) return;
    badgeTimer = setTimeout(async () => {
      badgeTimer = undefined;
      const count = await ledger.attentionCount();
      await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
      await browser.action.setBadgeBackgroundColor({ color: '#b3261e' });
    }, 200);
  }

  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  async function run(): Promise<void> {
    await engine.runDue();
    const next = await ledger.nextDueAt();
    if (wakeTimer) clearTimeout(wakeTimer);
    if (!next) {
      await browser.alarms.clear(OUTBOX_ALARM);
      return;
    }
    const delay = Math.max(0, Date.parse(next) - Date.now());
    // Short waits are kept by a timer while the worker lives; the alarm survives its death
    // (Chrome rounds alarms up to 30 s, so both are needed).
    if (delay < 25_000) wakeTimer = setTimeout(() => void run(), delay + 50);
    await browser.alarms.create(OUTBOX_ALARM, { when: Date.now() + Math.max(delay, 30_000) });
  }
  const kick = () => {
    void run().catch((error) => console.error('octobridge: outbox run failed', error));
  };

  browser.runtime.onMessage.addListener(((raw: unknown, sender: Sender) => {
    return handleMessage(raw, sender);
  }) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);

  async function handleMessage(raw: unknown, sender: Sender): Promise<unknown> {
    if (isExtensionPage(sender)) {
      const parsed = pageRequest.safeParse(raw);
      if (parsed.success) {
        const response = await handlePageRequest(parsed.data, { db, ledger, engine, fetch: (i, init) => fetch(i, init) });
        if (parsed.data.type === 'transfer.retry') kick();
        return response;
      }
      // Extension pages may also use the content requests below (e.g. a test page).
    }
    if (sender.id !== browser.runtime.id || !sender.url) return fail('forbidden', 'unknown sender');
    const parsed = contentRequest.safeParse(raw);
    if (!parsed.success) return fail('bad-request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const pageUrl = new URL(sender.url);
    const adapter = adapterForUrl(pageUrl);
    if (!adapter) return fail('forbidden', 'no site adapter for this page');
    const site = pageUrl.host;
    const request = parsed.data;
    if (request.type === 'documents.send') {
      const results = await engine.send(
        request.documents.map((d) => ({
          site,
          origin: pageUrl.origin,
          adapter: adapter.id,
          documentId: d.id,
          documentNumber: d.number,
          transport: 'webservice' as const,
          force: request.force,
        })),
      );
      kick();
      return { ok: true, results: results.map((r) => ({ documentId: r.documentId, outcome: r.outcome })) };
    }
    const transfers = await ledger.byDocumentIds(site, request.documentIds);
    return { ok: true, statuses: transfers.map(toDocumentStatus) };
  }

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== STATUS_PORT || port.sender?.id !== browser.runtime.id) {
      port.disconnect();
      return;
    }
    statusPorts.add(port);
    port.onDisconnect.addListener(() => statusPorts.delete(port));
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) kick();
  });
  browser.runtime.onStartup.addListener(kick);
  browser.runtime.onInstalled.addListener(kick);
  // A worker started for any reason resumes pending work.
  kick();
  scheduleBadge();
}
