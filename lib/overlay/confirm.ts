import { closedHost } from './shadow';

/**
 * The frame of the "send again" confirmation: the extension's own page (entrypoints/confirm), framed in a closed
 * shadow root. The page cannot reach into the root, nor dispatch events into a frame of another origin, so only the
 * user's click on its "Send again" books the document a second time.
 */

/** What the confirmation page posts to the frame's parent when it is done (confirmed or cancelled). */
export const CONFIRM_CLOSED = 'octobridge-confirm-closed';

const CONFIRM_CSS = `
:host{all:initial}
.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.35);z-index:2147483647;display:flex;align-items:center;justify-content:center}
iframe{width:min(30em,calc(100vw - 24px));height:15em;border:0;border-radius:8px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3)}
`;

export class ConfirmFrame {
  readonly host: HTMLElement;
  readonly frame: HTMLIFrameElement;
  private readonly onMessage = (event: MessageEvent) => {
    // Only the frame itself closes it (a message from the page's own script has another source).
    if (event.source === this.frame.contentWindow && (event.data as { type?: unknown } | null)?.type === CONFIRM_CLOSED) this.close();
  };

  /** `url`: the confirmation page with its token (the content script passes runtime.getURL's). */
  constructor(
    private readonly doc: Document,
    url: string,
    title: string,
  ) {
    const { host, root } = closedHost(doc, 'octobridge-confirm', CONFIRM_CSS, { class: 'octobridge-confirm' });
    this.host = host;
    const backdrop = doc.createElement('div');
    backdrop.className = 'backdrop';
    this.frame = doc.createElement('iframe');
    this.frame.title = title;
    this.frame.src = url;
    backdrop.append(this.frame);
    root.append(backdrop);
    doc.defaultView?.addEventListener('message', this.onMessage);
    doc.body.append(host);
  }

  close(): void {
    this.doc.defaultView?.removeEventListener('message', this.onMessage);
    this.host.remove();
  }
}
