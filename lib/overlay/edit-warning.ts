import type { Translator } from '../i18n/translator';
import type { OctopusReference } from '../model/transfer';
import type { SiteDomAdapter } from '../sites/types';
import { addStyle, el, PREFIX, type ProgressPort } from './progress-port';

const EDIT_TEXT = /^\s*(edit|modify|bewerken|bewerk|wijzigen|wijzig|aanpassen|modifier|[ée]diter)\b/i;
const EDIT_HREF = /[?&]action=(modif|edit)\b|\/edit(\/|$|\?)/i;

/** The app's own edit action on a detail page, when it has one: by its words or its link. */
export function findEditAction(doc: Document): Element | undefined {
  const candidates = [...doc.querySelectorAll('a, button, input[type=submit], input[type=button]')];
  return candidates.find((c) => {
    if (c.closest(`[class*="${PREFIX}-"]`)) return false;
    const words = (c.textContent || c.getAttribute('value') || c.getAttribute('title') || '').trim();
    return EDIT_TEXT.test(words) || EDIT_HREF.test(c.getAttribute('href') ?? '');
  });
}

const referenceText = (r: OctopusReference | undefined) => (r ? `${r.journal}/${r.bookyearLabel ?? r.bookyear}/${r.documentSequenceNr}` : 'Octopus');

/**
 * On a detail page of a document that went to Octopus, when its dossier's rule says so: a note by the app's edit
 * action that the booking will not follow and a change is corrected by a credit note (eFactori's advice).
 */
export class EditWarning {
  private node?: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly adapter: SiteDomAdapter,
    private readonly port: ProgressPort,
    private readonly t: Translator,
  ) {}

  /** The document of this detail page, if it is one. */
  documentId(): string | undefined {
    try {
      if (this.adapter.detect(this.doc, new URL(this.doc.location.href)) !== 'detail') return undefined;
      return this.adapter.detailInfo(this.doc)?.documentId;
    } catch {
      return undefined;
    }
  }

  async check(): Promise<void> {
    const documentId = this.documentId();
    if (!documentId) return;
    let answer: { warn: boolean; reference?: OctopusReference };
    try {
      answer = await this.port.warnEdit(documentId);
    } catch {
      return;
    }
    if (!answer.warn) {
      this.node?.remove();
      this.node = undefined;
      return;
    }
    addStyle(this.doc);
    const text = `${this.t.t('engine_warn_edit')} ${this.t.t('engine_warn_edit_steps', [referenceText(answer.reference)])}`;
    const node = (this.node ??= el(this.doc, 'div', {}, { class: `${PREFIX}-edit-warning`, role: 'note', 'data-document-id': documentId }));
    node.textContent = `⚠ ${text}`;
    const edit = findEditAction(this.doc);
    if (edit) edit.setAttribute('title', this.t.t('engine_warn_edit'));
    const near = edit?.parentElement ?? this.actions();
    if (near && node.previousElementSibling !== near) near.after(node);
    else if (!near && !node.isConnected) this.doc.body.prepend(node);
  }

  private actions(): Element | undefined {
    for (const selector of this.adapter.selectors.detailActions.variants) {
      const found = this.doc.querySelector(selector);
      if (found) return found;
    }
    return undefined;
  }
}

