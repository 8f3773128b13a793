import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { contentResponse, statusPush, STATUS_PORT, type DocumentStatus } from '../messaging/protocol';
import { browserTranslator, type Translator } from '../i18n/translator';
import { Overlay, type OverlayPort } from '../overlay/overlay';
import { TeachMode } from '../overlay/teach';
import { ConfirmFrame } from '../overlay/confirm';
import { controlHost, isUserEvent, onUserEvent } from '../overlay/shadow';
import { messagePort, PageProgress } from '../overlay/progress';
import { StatusLink } from '../overlay/status-link';
import type { SiteDomAdapter } from '../sites/types';
import { adapterForPage } from '../sites/registry-dom';
import { createGenericDom, findInvoiceTable, type TeachMapping } from '../sites/generic';

/**
 * The browser side of the overlay's port: runtime messages out, a status port in. The port is kept only while the
 * page needs it and reopened with a growing wait (lib/overlay/status-link.ts), so an idle tab lets the worker stop.
 */
function runtimePort(ctx: ContentScriptContext, adapterId: string): OverlayPort & { onResume(listener: () => void): void } {
  const listeners: ((s: DocumentStatus[]) => void)[] = [];
  const resumed: (() => void)[] = [];
  const link = new StatusLink({
    open() {
      const port = browser.runtime.connect({ name: STATUS_PORT });
      return {
        onMessage: (listener) => port.onMessage.addListener(listener),
        onDisconnect: (listener) => port.onDisconnect.addListener(() => listener()),
        disconnect: () => port.disconnect(),
      };
    },
    receive(raw) {
      // The worker is trusted, but a malformed push must not break the page either.
      const parsed = statusPush.safeParse(raw);
      if (!parsed.success) return undefined;
      for (const l of listeners) l(parsed.data.statuses);
      return parsed.data.statuses;
    },
    setTimeout: (fn, ms) => ctx.setTimeout(fn, ms),
    clearTimeout: (timer) => clearTimeout(timer as number),
    now: () => Date.now(),
    hidden: () => document.visibilityState === 'hidden',
    onResume: () => {
      for (const r of resumed) r();
    },
  });
  if (ctx.isValid) link.start();
  ctx.addEventListener(document, 'visibilitychange', () => link.visibilityChanged());
  ctx.onInvalidated(() => link.stop());
  let confirmation: ConfirmFrame | undefined;
  ctx.onInvalidated(() => confirmation?.close());

  return {
    onResume(listener) {
      resumed.push(listener);
    },
    async send(documents) {
      link.expect(documents.map((d) => d.id));
      // The adapter is a claim the worker checks against the site's mapping (in the sandbox build also the adapter's patterns).
      const raw = await browser.runtime.sendMessage({ type: 'documents.send', documents, adapter: adapterId });
      const parsed = contentResponse['documents.send'].safeParse(raw);
      if (!parsed.success) throw new Error((raw as { error?: { message?: string } })?.error?.message ?? 'bad answer');
      return parsed.data.results;
    },
    async resend(document) {
      // The worker checks the document is this site's and was sent, and keeps a one-use token for the confirmation.
      const raw = await browser.runtime.sendMessage({ type: 'document.resend', documentId: document.id, adapter: adapterId });
      const parsed = contentResponse['document.resend'].safeParse(raw);
      if (!parsed.success) throw new Error((raw as { error?: { message?: string } })?.error?.message ?? 'bad answer');
      confirmation?.close();
      const url = `${browser.runtime.getURL('/confirm.html')}#${parsed.data.token}`;
      confirmation = new ConfirmFrame(document_(), url, translator().t('overlay_send_again'));
    },
    async status(documentIds) {
      link.need();
      const raw = await browser.runtime.sendMessage({ type: 'documents.status', documentIds, adapter: adapterId });
      const parsed = contentResponse['documents.status'].safeParse(raw);
      if (!parsed.success) throw new Error('bad answer');
      link.track(parsed.data.statuses);
      return parsed.data.statuses;
    },
    onStatus(listener) {
      listeners.push(listener);
    },
    reportMissing(what) {
      // Into the extension's log (the worker's console and its problem list), once per selector and page.
      console.warn(`octobridge: ${adapterId}: "${what}" found nothing on ${location.pathname}`);
      // The worker refuses control characters and long texts; an adapter's error message may hold both.
      const clean = what.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
      void browser.runtime.sendMessage({ type: 'site.problem', adapter: adapterId, what: clean, path: location.pathname.slice(0, 200) }).catch(() => undefined);
    },
  };
}

/** The page's document (the port's `resend` has a parameter named document). */
const document_ = () => document;

function translator(): Translator {
  return browserTranslator((k, s) => browser.i18n.getMessage(k as never, s));
}

/** One overlay per page, however many of our scripts were injected into it (static and runtime ones share the DOM). */
function claimPage(): boolean {
  const root = document.documentElement;
  if (root.hasAttribute('data-octobridge-overlay')) return false;
  root.setAttribute('data-octobridge-overlay', '');
  return true;
}

export function startContentOverlay(adapter: SiteDomAdapter, ctx: ContentScriptContext): void {
  if (!adapter.detect(document, new URL(location.href))) return;
  if (!claimPage()) return;
  const port = runtimePort(ctx, adapter.id);
  // The bulk jobs' progress bar, the range/period sends in the bulk bar, the edit warning (lib/overlay/progress.ts).
  const progress = new PageProgress(document, adapter, messagePort((m) => browser.runtime.sendMessage(m), adapter.id), translator(), () => overlay.rows());
  const overlay = new Overlay(document, adapter, port, translator(), { onBulkBar: (bar) => progress.attachBar(bar) });
  port.onStatus((statuses) => progress.onStatus(statuses));
  // Back from resting (no live updates for a while): the rows' statuses may have changed meanwhile.
  port.onResume(() => void overlay.refresh(overlay.rows().map((r) => r.documentId)));
  const controller = new AbortController();
  ctx.onInvalidated(() => controller.abort());
  overlay.start(controller.signal);
  progress.start(controller.signal);
}

/** Does the worker serve this page? A status question for no documents: answered on a served site, refused elsewhere. */
async function servedHere(): Promise<boolean> {
  const raw = await browser.runtime.sendMessage({ type: 'documents.status', documentIds: [] }).catch(() => undefined);
  return contentResponse['documents.status'].safeParse(raw).success;
}

/**
 * The site's taught table, from the worker (which keys it by this page's host; storage.local is closed to content
 * scripts). None when the worker has none or answers something else.
 */
async function loadTeaching(): Promise<TeachMapping | undefined> {
  const raw = await browser.runtime.sendMessage({ type: 'teach.load' }).catch(() => undefined);
  const parsed = contentResponse['teach.load'].safeParse(raw);
  return parsed.success ? parsed.data.mapping : undefined;
}

async function saveTeaching(mapping: TeachMapping): Promise<boolean> {
  const raw = await browser.runtime.sendMessage({ type: 'teach.save', mapping }).catch(() => undefined);
  return contentResponse['teach.save'].safeParse(raw).success;
}

/**
 * The content script of sites the user added (registered at runtime) and of the sandbox origins: the app's own
 * adapter when the page is one of them, else the generic one with what was taught for the site; when the generic
 * adapter is not confident but the page has an invoice-like table, a small button offers teach mode.
 */
export async function startSitesOverlay(ctx: ContentScriptContext, options: { generic: boolean }): Promise<void> {
  // The runtime script of user-added sites runs on every port of an added host (its match patterns take no port), so
  // it first asks the worker whether this very origin is one it serves, and shows nothing where it is not.
  if (options.generic && !(await servedHere())) return;
  if (!ctx.isValid) return;
  const url = new URL(location.href);
  const known = adapterForPage(document, url);
  if (known) {
    startContentOverlay(known, ctx);
    return;
  }
  if (!options.generic) return;
  const mapping = await loadTeaching();
  if (!ctx.isValid) return;
  const generic = createGenericDom(mapping);
  if (generic.detect(document, url)) {
    startContentOverlay(generic, ctx);
    return;
  }
  if (!findInvoiceTable(document) && document.querySelectorAll('table').length === 0) return;
  offerTeaching(ctx);
}

function offerTeaching(ctx: ContentScriptContext): void {
  const t = translator();
  // In a closed root and only for the user's own click: a page cannot start teaching (and so take over the mapping).
  const { host: button, control } = controlHost(document, 'button', 'octobridge-teach-start', { controlClass: 'octobridge-btn' });
  control.textContent = t.t('sites_teach_start');
  button.style.cssText = 'position:fixed;bottom:12px;right:12px;z-index:2147483647;font:12px sans-serif;opacity:.85';
  onUserEvent(control, 'click', isUserEvent, () => {
    button.remove();
    new TeachMode(document, t, (mapping) => {
      void saveTeaching(mapping).then((saved) => {
        if (!saved) console.warn('octobridge: the taught table was not kept');
        // Used on this page even if it was not kept, so the user's five clicks are not lost until the next load.
        const generic = createGenericDom(mapping);
        if (generic.detect(document, new URL(location.href))) startContentOverlay(generic, ctx);
        else offerTeaching(ctx);
      });
    }).start();
  });
  document.body.append(button);
  ctx.onInvalidated(() => button.remove());
}
