import { browser, type Browser } from 'wxt/browser';
import { LedgerDb } from '../ledger/db';
import { Ledger } from '../ledger/ledger';
import { systemClock } from '../platform/clock';
import { everyDossier, TransferEngine } from '../transfer/engine';
import { clientForConnection, createWebserviceTransport, dayBudget } from '../transfer/webservice-transport';
import { bulkStartReply, EngineService, type BulkStartResult } from '../transfer/service';
import { bulkPreviewReply } from '../transfer/bulk-plan';
import { rulesPolicy } from '../transfer/rules';
import type { BulkProgress } from '../transfer/bulk';
import { translatorFor } from '../i18n';
import { createMailboxTransport } from '../transfer/mailbox-transport';
import type { SiteAdapter } from '../sites/types';
import {
  contentRequest,
  pageRequest,
  STATUS_PORT,
  type DocumentStatus,
  type ErrorResponse,
  type StatusPush,
  type EnginePageRequest,
  type EngineContentRequest,
  enginePageRequest,
  engineContentRequest,
} from '../messaging/protocol';
import type { Transfer } from '../model/transfer';
import { handlePageRequest } from './settings';
import { uploadFetcher, UPLOAD_SITE } from '../adhoc/upload';
import { dossiersForSite, isUserSite, logSiteProblem, restrictLocalStorage, siteAccess, watchSiteScripts } from './site-scripts';
import { SiteProblemLog } from '../ledger/site-problems';
import { handleTeachRequest, type TeachDeps } from './teach-store';
import { handleResendPageMessage, ResendConfirmations } from './resend';
import { iconFile, toolbar } from './toolbar-icon';
import { openSetupOnInstall } from './first-run';
import { connectionSaveRefusal } from '../messaging/connection-form';

const OUTBOX_ALARM = 'octobridge-outbox';
const SCHEDULE_ALARM = 'octobridge-schedule';
const RECONCILE_ALARM = 'octobridge-reconcile';
/** The modified feed is quota-limited (about 48 calls a day): read it a few times a day at most. */
const RECONCILE_EVERY_MIN = 6 * 60;

export function toDocumentStatus(t: Transfer): DocumentStatus {
  return {
    documentId: t.documentId,
    state: t.state,
    updatedAt: t.updatedAt,
    reference: t.octopusReference,
    // The reason only: the technical detail is for the popup, never for the site's page.
    error: t.lastError ? { text: t.lastError.text } : undefined,
    ...(t.state === 'failed' && t.nextAttemptAt ? { nextAttemptAt: t.nextAttemptAt } : {}),
    ...octopusWords(t),
  };
}

/**
 * Octopus's own errorMessage of a failure Octopus answered (code "octopus:<errorCode>"): the part of the log detail
 * before its technicalInfo (lib/octopus/errors.ts joins them with " — "). It is text Octopus writes for its users.
 */
function octopusWords(t: Transfer): { octopusText?: string } {
  const error = t.lastError;
  if (!error?.detail || !/^octopus:-?\d+$/.test(error.code ?? '')) return {};
  const words = error.detail.split(' — ')[0]!.trim().slice(0, 300);
  return words ? { octopusText: words } : {};
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

/** What the build gives the worker (entrypoints/background.ts decides; lib/ knows no build flags). */
export interface WorkerOptions {
  /** The site adapters of this build. */
  adapters: readonly SiteAdapter[];
  /**
   * Let the adapters' own match patterns (loopback) stand in for a user-added site. Only the sandbox build, whose
   * static content scripts run on 127.0.0.1 and localhost; the product serves user-added sites only.
   */
  trustAdapterPatterns: boolean;
  /**
   * The sandbox build: sites the user did not add (the static demo scripts, which run on loopback only) may book into
   * every dossier. Off, such a site books nowhere and its documents wait with the reason.
   */
  sandboxSites?: boolean;
}

/**
 * The background worker. Everything is wired synchronously (MV3 drops events whose listeners are
 * added after an await); state lives in IndexedDB, so a worker that is stopped and started again
 * picks up where the last one was.
 */
export function startWorker({ adapters: ADAPTERS, trustAdapterPatterns, sandboxSites = false }: WorkerOptions): void {
  const db = new LedgerDb();
  const ledger = new Ledger(db, systemClock);
  const statusPorts = new Set<Browser.runtime.Port>();
  // The runtime content script for the sites the user added and granted, re-registered at every start.
  watchSiteScripts();
  const access = siteAccess(ADAPTERS, trustAdapterPatterns);
  const adapterForUrl = (url: URL, claimed?: string) => access.adapterFor(url, claimed);
  // No content script reads storage.local any more (teach mappings come through teach.load/teach.save): close it to them.
  void restrictLocalStorage((globalThis as { chrome?: { storage?: { local?: Parameters<typeof restrictLocalStorage>[0] } } }).chrome?.storage?.local);
  const problems = new SiteProblemLog(db, systemClock);
  const teach: TeachDeps = {
    storage: {
      async get(key) {
        return ((await browser.storage.local.get(key)) as Record<string, unknown>)[key];
      },
      async set(key, value) {
        await browser.storage.local.set({ [key]: value });
      },
    },
    isUserSite,
  };

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

  // The service is created before the engine (the engine asks it for rules and retry tuning), and gets the
  // engine right after.
  let service: EngineService;
  const engine = new TransferEngine({
    ledger,
    adapters: [...ADAPTERS, uploadFetcher(db)],
    transports: { webservice: createWebserviceTransport(db, (input, init) => fetch(input, init)), mailbox: createMailboxTransport(db, (input, init) => fetch(input, init)) },
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    onChange,
    retry: () => service.retryPolicy(),
    // A file dropped in the popup carries its chosen dossier, which the engine narrows the set to.
    dossiersForSite: (site) => (site === UPLOAD_SITE ? everyDossier(db) : dossiersForSite(site, db, sandboxSites)),
    policy: rulesPolicy((dossierId) => service.rulesFor(dossierId)),
  });
  service = new EngineService({
    ledger,
    engine,
    adapters: ADAPTERS,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    async feed(dossier, since) {
      const [connection, secret] = await Promise.all([db.connections.get(dossier.connectionId), db.secrets.get(dossier.connectionId)]);
      if (!connection || !secret) return [];
      const budget = dayBudget(db).gate(connection.baseUrl);
      return clientForConnection(connection, secret, (input, init) => fetch(input, init), systemClock, undefined, budget).modifiedBookings(dossier.octopusDossierId, since ? { since } : {});
    },
  });

  /** A scheduled run is summed up in a system notification once all its documents are settled. */
  async function notifyFinishedRuns(): Promise<void> {
    const finished: BulkProgress[] = await service.bulk.takeFinishedToNotify();
    if (finished.length === 0) return;
    const t = translatorFor(uiLocale());
    for (const run of finished) {
      await browser.notifications
        .create(`octobridge-run-${run.jobId}`, {
          type: 'basic',
          // A path inside the extension, which the notifications API takes as it is.
          iconUrl: iconFile(128),
          title: t.t('engine_notify_title', []),
          message: t.t('engine_notify_body', [String(run.done), String(run.failed), String(run.skipped + run.cancelled)]),
        })
        .catch((error: unknown) => console.warn('octobridge: notification failed', error));
    }
  }

  async function armSchedule(): Promise<void> {
    const next = await service.nextScheduledRun();
    if (!next) await browser.alarms.clear(SCHEDULE_ALARM);
    else await browser.alarms.create(SCHEDULE_ALARM, { when: Math.max(next.getTime(), Date.now() + 30_000) });
  }

  const showToolbar = toolbar(browser.action);
  let badgeTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleBadge() {
    if (badgeTimer) return;
    badgeTimer = setTimeout(async () => {
      badgeTimer = undefined;
      const [attention, sending] = await Promise.all([ledger.needsUserCount(), db.transfers.where('state').equals('sending').count()]);
      await showToolbar({ attention, sending });
    }, 200);
  }

  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  // Leases left by a worker that died are freed once, before this worker's first claim.
  let recovered: Promise<number> | undefined;
  async function run(): Promise<void> {
    recovered ??= ledger.releaseLeases();
    await recovered;
    await engine.runDue();
    await notifyFinishedRuns();
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

  // A "send again" from a page waits for the user's click in the extension's confirmation page (./resend.ts).
  const resends = new ResendConfirmations({
    transferOf: async (site, documentId) => (await ledger.byDocumentIds(site, [documentId]))[0],
    send: async (request) => {
      const [result] = await engine.send([request]);
      return { outcome: result?.outcome ?? 'already-queued' };
    },
    // storage.session: in memory, closed to content scripts, kept while the worker is stopped between two clicks.
    store: {
      async get(key) {
        return ((await browser.storage.session.get(key)) as Record<string, unknown>)[key];
      },
      async set(key, value) {
        await browser.storage.session.set({ [key]: value });
      },
      async remove(key) {
        await browser.storage.session.remove(key);
      },
    },
    now: () => Date.now(),
  });

  browser.runtime.onMessage.addListener(((raw: unknown, sender: Sender) => {
    return handleMessage(raw, sender);
  }) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);

  async function handleMessage(raw: unknown, sender: Sender): Promise<unknown> {
    const resend = await handleResendPageMessage(raw, isExtensionPage(sender), resends, kick);
    if (resend !== undefined) return resend;
    if (isExtensionPage(sender)) {
      const engineRequest = enginePageRequest.safeParse(raw);
      if (engineRequest.success) return handleEngineRequest(engineRequest.data);
      if (ENGINE_TYPE.test(String((raw as { type?: unknown } | null)?.type))) {
        return fail('bad-request', engineRequest.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      }
      const parsed = pageRequest.safeParse(raw);
      if (parsed.success) {
        const response = await handlePageRequest(parsed.data, {
          db,
          ledger,
          engine,
          fetch: (i, init) => fetch(i, init),
          extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
          problems,
        });
        if (parsed.data.type === 'transfer.retry' || parsed.data.type === 'upload.send') kick();
        return response;
      }
      const refusedConnection = connectionSaveRefusal(raw);
      if (refusedConnection) return refusedConnection;
      // Extension pages may also use the content requests below (e.g. a test page).
    }
    if (sender.id !== browser.runtime.id || !sender.url) return fail('forbidden', 'unknown sender');
    // A content script answers only on a site the worker serves; it waits for the user's list, even on a cold start.
    if (!isExtensionPage(sender) && !(await access.serves(new URL(sender.url)))) return fail('forbidden', 'not a site added under Sites');
    const engineContent = engineContentRequest.safeParse(raw);
    if (engineContent.success) {
      // Only the jobs of the sender's own site.
      const host = new URL(sender.url).host;
      if (engineContent.data.type === 'bulk.cancel') {
        const job = await db.bulkJobs.get(engineContent.data.jobId);
        if (!job || job.site !== host) return fail('not-found', 'no such bulk job');
        return { ok: true, jobs: [await service.bulk.cancel(job.id)] };
      }
      if (engineContent.data.type === 'bulk.start' || engineContent.data.type === 'bulk.preview' || engineContent.data.type === 'document.warnEdit') {
        return handleEngineContent(engineContent.data, new URL(sender.url));
      }
      return { ok: true, jobs: await service.progress(undefined, host) };
    }
    const parsed = contentRequest.safeParse(raw);
    if (!parsed.success) return fail('bad-request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (parsed.data.type === 'site.problem') return logSiteProblem(parsed.data, sender.url, problems);
    if (parsed.data.type === 'teach.load' || parsed.data.type === 'teach.save') return handleTeachRequest(parsed.data, sender.url, teach);
    const pageUrl = new URL(sender.url);
    const adapter = await adapterForUrl(pageUrl, parsed.data.adapter);
    if (!adapter) return fail('forbidden', 'no site adapter for this page');
    const site = pageUrl.host;
    const request = parsed.data;
    // The app's base (origin plus the path it is installed under, e.g. Dolibarr in /dolibarr) is what its fetcher needs.
    const base = adapter.siteBase?.(pageUrl) ?? pageUrl.origin;
    void service.rememberSite({ site, origin: base, adapter: adapter.id });
    if (request.type === 'document.resend') return resends.request(site, request.documentId);
    if (request.type === 'documents.send' && request.documents.length > 1) {
      // A bulk from the page: one job, so the page and the popup show its progress.
      const started = await service.bulk.start({
        site,
        origin: base,
        adapter: adapter.id,
        transport: 'webservice',
        documents: request.documents,
        label: String(request.documents.length),
        // A page never sends again what went already: that is document.resend, confirmed by the user.
        includeAlreadyTransferred: false,
      });
      for (const transfer of started.queued) onChange(transfer);
      kick();
      const byId = new Map((await ledger.byDocumentIds(site, request.documents.map((d) => d.id))).map((t) => [t.documentId, t]));
      const queued = new Set(started.queued.map((t) => t.documentId));
      return {
        ok: true,
        results: request.documents.map((d) => ({
          documentId: d.id,
          outcome: queued.has(d.id) ? 'queued' : byId.get(d.id)?.state === 'sent' ? 'already-sent' : 'already-queued',
        })),
        jobId: started.job.id,
      };
    }
    if (request.type === 'documents.send') {
      const results = await engine.send(
        request.documents.map((d) => ({
          site,
          origin: base,
          adapter: adapter.id,
          documentId: d.id,
          documentNumber: d.number,
          transport: 'webservice' as const,
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
    if (alarm.name === SCHEDULE_ALARM) kickSchedules();
    if (alarm.name === RECONCILE_ALARM) {
      void service.reconcile().then(scheduleBadge, (error) => console.warn('octobridge: reconciliation failed', error));
    }
  });
  browser.runtime.onStartup.addListener(kick);
  browser.runtime.onInstalled.addListener(kick);
  openSetupOnInstall(browser.runtime);
  // A worker started for any reason resumes pending work, and runs a schedule it missed while it was away.
  kick();
  kickSchedules();
  void browser.alarms.get(RECONCILE_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(RECONCILE_ALARM, { periodInMinutes: RECONCILE_EVERY_MIN, delayInMinutes: 5 });
  });
  scheduleBadge();

  function kickSchedules() {
    void service
      .runDueSchedules()
      .then((runs) => {
        if (runs.some((r) => r.queued > 0)) kick();
        return armSchedule();
      })
      .catch((error) => console.error('octobridge: scheduled run failed', error));
  }

  /** The page's range/period bulk send and the edit warning of a detail page (lib/overlay/progress.ts); the site is the sender's. */
  async function handleEngineContent(request: Extract<EngineContentRequest, { type: 'bulk.start' | 'bulk.preview' | 'document.warnEdit' }>, pageUrl: URL): Promise<unknown> {
    const adapter = await adapterForUrl(pageUrl, request.adapter);
    if (!adapter) return fail('forbidden', 'no site adapter for this page');
    const where = { site: pageUrl.host, origin: adapter.siteBase?.(pageUrl) ?? pageUrl.origin, adapter: adapter.id };
    if (request.type === 'document.warnEdit') {
      const [transfer] = await ledger.byDocumentIds(where.site, [request.documentId]);
      if (transfer?.state !== 'sent' || !transfer.dossierId) return { ok: true, warn: false };
      const rules = await service.rulesFor(transfer.dossierId);
      return { ok: true, warn: rules.warnEditAfterExport, reference: transfer.octopusReference };
    }
    void service.rememberSite(where);
    if (request.type === 'bulk.preview') {
      // What the same request to bulk.start would take, so the page can ask the user first; nothing is queued.
      const preview = await service.previewBulk({ documents: request.documents, filter: request.filter }, where);
      return preview.outcome === 'preview' ? bulkPreviewReply(preview.plan, preview.scope) : bulkStartReply(preview, translatorFor(uiLocale()));
    }
    return bulkAnswer(await service.startBulk({ type: 'bulk.start', origin: where.origin, documents: request.documents, filter: request.filter, includeAlreadyTransferred: false }, where));
  }

  /** A bulk start's answer (lib/transfer/service.ts bulkStartReply); what it queued starts going now. */
  function bulkAnswer(result: BulkStartResult): unknown {
    if (result.outcome === 'started') {
      for (const transfer of result.queued) onChange(transfer);
      kick();
    }
    return bulkStartReply(result, translatorFor(uiLocale()));
  }

  async function handleEngineRequest(request: EnginePageRequest): Promise<unknown> {
    switch (request.type) {
      case 'bulk.start': {
        const url = new URL(request.origin);
        const adapter = await adapterForUrl(url);
        if (!adapter) return fail('forbidden', 'no site adapter for this origin');
        return bulkAnswer(await service.startBulk(request, { site: url.host, origin: adapter.siteBase?.(url) ?? url.origin, adapter: adapter.id }));
      }
      case 'bulk.progress':
        // The message also woke a stopped worker, whose start resumed the outbox.
        return { ok: true, jobs: await service.progress(request.jobId) };
      case 'bulk.cancel': {
        const job = await service.bulk.cancel(request.jobId);
        scheduleBadge();
        return job ? { ok: true, job } : fail('not-found', 'no such bulk job');
      }
      case 'rules.get':
        return { ok: true, ...(await service.allRules()) };
      case 'rules.save': {
        const saved = await service.saveRules(request.rules);
        if (!saved.ok) return { ok: false, error: { code: 'bad-request', message: saved.message, text: { key: 'engine_rules_invalid', params: [saved.message] } } };
        await armSchedule();
        return saved;
      }
      case 'transfer.approve': {
        const results = await service.approve(request.transferIds);
        kick();
        return { ok: true, results: results.map((r) => ({ documentId: r.documentId, outcome: r.outcome })) };
      }
      case 'reconcile.run': {
        const summaries = await service.reconcile(request.dossierId);
        scheduleBadge();
        return { ok: true, summaries: summaries.map((x) => ({ ...x, bookedElsewhere: x.bookedElsewhere.map((t) => t.documentId) })) };
      }
    }
  }
}

/** Message types of the engine's page requests (a malformed one gets their validation errors). */
const ENGINE_TYPE = /^(bulk|rules|reconcile)\.|^transfer\.approve$/;

/** The browser's UI language among ours (notifications are written by the worker). */
function uiLocale(): 'en' | 'nl' | 'fr' {
  const lang = (browser.i18n?.getUILanguage?.() ?? 'en').slice(0, 2);
  return lang === 'nl' || lang === 'fr' ? lang : 'en';
}
