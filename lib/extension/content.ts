import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { contentResponse, statusPush, STATUS_PORT, type DocumentStatus } from '../messaging/protocol';
import { browserTranslator } from '../i18n/translator';
import { Overlay, type OverlayPort } from '../overlay/overlay';
import type { SiteAdapter } from '../sites/types';

/** The browser side of the overlay's port: runtime messages out, a status port in. */
function runtimePort(ctx: ContentScriptContext): OverlayPort {
  const listeners: ((s: DocumentStatus[]) => void)[] = [];
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  const connect = () => {
    if (!ctx.isValid) return;
    port = browser.runtime.connect({ name: STATUS_PORT });
    port.onMessage.addListener((raw: unknown) => {
      // The worker is trusted, but a malformed push must not break the page either.
      const parsed = statusPush.safeParse(raw);
      if (parsed.success) for (const l of listeners) l(parsed.data.statuses);
    });
    // The worker was stopped (MV3): reconnect, so live updates go on when it starts again.
    port.onDisconnect.addListener(() => {
      port = undefined;
      ctx.setTimeout(connect, 1000);
    });
  };
  connect();
  ctx.onInvalidated(() => port?.disconnect());

  return {
    async send(documents, force) {
      const raw = await browser.runtime.sendMessage({ type: 'documents.send', documents, force });
      const parsed = contentResponse['documents.send'].safeParse(raw);
      if (!parsed.success) throw new Error((raw as { error?: { message?: string } })?.error?.message ?? 'bad answer');
      return parsed.data.results;
    },
    async status(documentIds) {
      const raw = await browser.runtime.sendMessage({ type: 'documents.status', documentIds });
      const parsed = contentResponse['documents.status'].safeParse(raw);
      if (!parsed.success) throw new Error('bad answer');
      return parsed.data.statuses;
    },
    onStatus(listener) {
      listeners.push(listener);
    },
    reportMissing(what) {
      console.warn(`octobridge: selector "${what}" found nothing on ${location.pathname}`);
    },
  };
}

export function startContentOverlay(adapter: SiteAdapter, ctx: ContentScriptContext): void {
  if (!adapter.detect(document, new URL(location.href))) return;
  const overlay = new Overlay(document, adapter, runtimePort(ctx), browserTranslator((k, s) => browser.i18n.getMessage(k as never, s)));
  const controller = new AbortController();
  ctx.onInvalidated(() => controller.abort());
  overlay.start(controller.signal);
}
