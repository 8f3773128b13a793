import type { Translator } from '../i18n/translator';
import type { BulkPreview } from './progress-port';
import { closedHost, isUserEvent, onUserEvent, type UserEventCheck } from './shadow';

const PREFIX = 'octobridge';
/** Documents named per side; the counts above the lists are always whole. */
const NAMED = 50;

const PREVIEW_CSS = `
:host{display:block;flex-basis:100%;margin:6px 0 2px}
section{padding:8px 10px;border:1px solid #b9d6cc;border-radius:6px;background:#fff;color:#1b2b26;font:13px/1.4 system-ui,sans-serif;max-width:48em}
strong{display:block;margin:0 0 6px}
p{margin:4px 0}
ul{margin:2px 0 6px;padding-left:1.4em;max-height:10em;overflow:auto}
ul:focus-visible{outline:2px solid #1f6f5c;outline-offset:1px}
.${PREFIX}-preview-skipped li{color:#5c4400}
.${PREFIX}-preview-actions{display:flex;gap:8px;margin-top:8px}
button{font:inherit;font-size:12px;padding:3px 10px;border:1px solid #1f6f5c;border-radius:4px;background:#fff;color:#1f6f5c;cursor:pointer}
button.${PREFIX}-preview-confirm{background:#1f6f5c;color:#fff}
button:focus-visible{outline:2px solid #1f6f5c;outline-offset:2px}
`;

/**
 * The preview of a range or period send, in a closed root under the bulk bar: which documents go, which are skipped
 * and why, and the user's "Send N documents" or "Cancel". Nothing is queued before that click, and a script's click
 * does nothing. The host tells the page the counts only.
 */
export class RangePreview {
  readonly host: HTMLElement;

  constructor(
    doc: Document,
    t: Translator,
    preview: BulkPreview,
    extra: string,
    actions: { confirm: () => void; cancel: () => void },
    isUser: UserEventCheck = isUserEvent,
  ) {
    const { host, root } = closedHost(doc, 'octobridge-preview', PREVIEW_CSS, {
      class: `${PREFIX}-preview`,
      'data-go': String(preview.goCount),
      'data-skipped': String(preview.skippedCount),
    });
    this.host = host;
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
      const node = doc.createElement(tag);
      if (text !== undefined) node.textContent = text;
      if (className) node.className = className;
      return node;
    };
    const section = make('section');
    section.setAttribute('role', 'group');
    // Not a heading: the box sits in the app's page, whose heading levels are the app's.
    const title = make('strong', t.t('overlay_preview_title'));
    title.id = `${PREFIX}-preview-title`;
    section.setAttribute('aria-labelledby', title.id);
    section.append(title);
    const name = (d: { id: string; number?: string; issueDate?: string }) => `${d.number ?? d.id}${d.issueDate ? ` (${d.issueDate})` : ''}`;
    const list = (items: string[], total: number, className: string) => {
      const ul = make('ul', undefined, className);
      // The list scrolls when long: it takes the focus, so a keyboard reaches all of it.
      ul.tabIndex = 0;
      for (const item of items.slice(0, NAMED)) ul.append(make('li', item));
      if (total > Math.min(items.length, NAMED)) ul.append(make('li', t.t('overlay_preview_more', [String(total - Math.min(items.length, NAMED))])));
      return ul;
    };
    const labelled = (node: HTMLElement, label: string) => {
      node.setAttribute('aria-label', label);
      return node;
    };
    if (preview.goCount > 0) {
      section.append(make('p', t.t('overlay_preview_go', [String(preview.goCount)]), `${PREFIX}-preview-go-count`));
      section.append(labelled(list(preview.go.map(name), preview.goCount, `${PREFIX}-preview-go`), t.t('overlay_preview_go', [String(preview.goCount)])));
    } else {
      section.append(make('p', t.t('overlay_preview_nothing'), `${PREFIX}-preview-nothing`));
    }
    if (preview.skippedCount > 0) {
      section.append(make('p', t.t('overlay_preview_skipped', [String(preview.skippedCount)]), `${PREFIX}-preview-skipped-count`));
      const reasons = preview.skipped.map((d) => `${name(d)} — ${t.t(d.reason.key, d.reason.params)}`);
      section.append(labelled(list(reasons, preview.skippedCount, `${PREFIX}-preview-skipped`), t.t('overlay_preview_skipped', [String(preview.skippedCount)])));
    }
    if (extra) section.append(make('p', extra));
    const row = make('div', undefined, `${PREFIX}-preview-actions`);
    if (preview.goCount > 0) {
      const confirm = make('button', t.t('overlay_preview_confirm', [String(preview.goCount)]), `${PREFIX}-preview-confirm`);
      confirm.type = 'button';
      onUserEvent(confirm, 'click', isUser, () => actions.confirm());
      row.append(confirm);
    }
    const cancel = make('button', t.t('overlay_preview_cancel'), `${PREFIX}-preview-cancel`);
    cancel.type = 'button';
    onUserEvent(cancel, 'click', isUser, () => actions.cancel());
    row.append(cancel);
    section.append(row);
    root.append(section);
    // Escape cancels, as in any dialog-like box.
    section.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && isUser(event)) actions.cancel();
    });
    this.focusFirst = () => (row.firstElementChild as HTMLElement | null)?.focus();
  }

  /** Puts the keyboard on the first action (the confirmation when there is one). */
  readonly focusFirst: () => void;

  remove(): void {
    this.host.remove();
  }
}
