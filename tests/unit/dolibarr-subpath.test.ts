import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { readTruth, recordedText, startReplay, type ReplayServer } from '../support/replay';
import { startFront, withPrefix, type AppFront } from '../support/app-front';
import { dolibarrBase, dolibarrDom } from '../../lib/sites/dolibarr';
import { dolibarr, dolibarrListUrl } from '../../lib/sites/dolibarr.fetch';

/**
 * Dolibarr installed under a sub-path (https://host/dolibarr/…, or …/htdocs/…). The captured Dolibarr is served
 * under /dolibarr by a front that 404s everything outside it and gives the pages' root-relative links the prefix,
 * as Dolibarr writes them there (DOL_URL_ROOT); the list is answered for the listing's own query.
 */

const SET = 'dolibarr-20';
const LIST = '/compta/facture/list.php';
const PREFIX = '/dolibarr';
const truth = readTruth<{ invoices: { id: number; number: string; type: string; status: string; totals: { gross: string } }[]; pages: Record<string, { invoice_ids_in_order?: number[] }> }>(SET);

let app: ReplayServer;
let front: AppFront;
let base: string;

beforeAll(async () => {
  app = await startReplay(SET, 0);
  front = await startFront(app, (t) => (t.pathname === LIST ? { body: recordedText(SET, LIST) } : undefined), { prefix: PREFIX });
  base = `${front.url}${PREFIX}`;
});
afterAll(async () => {
  await front?.close();
  await app?.close();
});

function pageAt(url: string, target: string): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  window.document.write(withPrefix(recordedText(SET, target), PREFIX));
  return window.document as unknown as Document;
}

describe('Dolibarr under a sub-path', () => {
  it('derives the base from a page URL or a base given as is', () => {
    expect(dolibarrBase('https://erp.example.be/dolibarr/compta/facture/list.php?page=2&limit=50')).toBe('https://erp.example.be/dolibarr');
    expect(dolibarrBase('https://erp.example.be/dolibarr/htdocs/compta/facture/card.php?id=4')).toBe('https://erp.example.be/dolibarr/htdocs');
    expect(dolibarrBase('https://erp.example.be/dolibarr/index.php?mainmenu=home')).toBe('https://erp.example.be/dolibarr');
    expect(dolibarrBase('https://erp.example.be/dolibarr/')).toBe('https://erp.example.be/dolibarr');
    expect(dolibarrBase('https://erp.example.be/dolibarr')).toBe('https://erp.example.be/dolibarr');
    expect(dolibarrBase('https://erp.example.be/compta/facture/list.php')).toBe('https://erp.example.be');
    expect(dolibarrBase('https://erp.example.be')).toBe('https://erp.example.be');
    expect(dolibarrListUrl('https://erp.example.be/dolibarr/')).toMatch(/^https:\/\/erp\.example\.be\/dolibarr\/compta\/facture\/list\.php\?limit=\d+/);
  });

  it('detects the list and the card there, and gives the worker the base', () => {
    const listUrl = `https://erp.example.be${PREFIX}/htdocs${LIST}`;
    const list = pageAt(listUrl, LIST);
    expect(dolibarrDom.detect(list, new URL(listUrl))).toBe('list');
    expect(dolibarrDom.siteBase!(new URL(listUrl))).toBe(`https://erp.example.be${PREFIX}/htdocs`);
    const cardUrl = `https://erp.example.be${PREFIX}/compta/facture/card.php?id=6`;
    const card = pageAt(cardUrl, '/compta/facture/card.php?id=6');
    expect(dolibarrDom.detect(card, new URL(cardUrl))).toBe('detail');
    expect(dolibarrDom.detailInfo(card)).toMatchObject({ documentId: '6', number: 'AV2611-0001', kind: 'credit-note' });
    expect(dolibarrDom.siteBase!(new URL(cardUrl))).toBe(`https://erp.example.be${PREFIX}`);
    // A page of another app under the same path is not taken.
    expect(dolibarrDom.detect(list, new URL(`https://erp.example.be${PREFIX}/societe/list.php`))).toBeUndefined();
  });

  it('lists the invoices from the base, however it is given, and only under the install path', async () => {
    const order = truth.pages[LIST]!.invoice_ids_in_order!;
    for (const given of [base, `${base}/`, `${base}${LIST}?leftmenu=customers_bills`]) {
      const listed = await dolibarr.listDocuments(given, fetch);
      expect(listed.map((d) => Number(d.id)), given).toEqual(order);
      for (const d of listed) {
        const t = truth.invoices.find((i) => String(i.id) === d.id)!;
        expect(d).toMatchObject({ number: t.number, state: t.status, total: t.totals.gross, kind: t.type === 'credit_note' ? 'credit-note' : 'invoice' });
      }
    }
    expect(front.requests.filter((r) => r.startsWith(`${PREFIX}${LIST}?limit=`))).toHaveLength(3);
    // The bare origin is not where this Dolibarr lives: a clear error, not an empty list.
    await expect(dolibarr.listDocuments(front.url, fetch)).rejects.toMatchObject({ key: 'error_site_http', params: ['404', expect.stringContaining(`${front.url}${LIST}`)] });
  });

  it('follows pager links that carry the install path', async () => {
    const paged = await startFront(
      app,
      (t) => {
        if (t.pathname !== LIST) return undefined;
        const second = t.searchParams.get('page') === '1';
        // The fixture's rows split in two, by id, with the arrow Dolibarr writes on the first page.
        const body = recordedText(SET, LIST)
          .replace(/<tr data-rowid="(\d+)"/g, (whole, id: string) => (['5', '4', '6'].includes(id) === second ? `<tr data-gone="${id}"` : whole))
          .replace('<div class="pagination"><ul>', second ? '<div class="pagination"><ul>' : `<div class="pagination"><ul><li class="pagination paginationpage paginationpageright"><a class="paginationnext reposition" href="${LIST}?page=1&amp;limit=1000">&gt;</a></li>`);
        return { body };
      },
      { prefix: PREFIX },
    );
    try {
      const listed = await dolibarr.listDocuments(`${paged.url}${PREFIX}`, fetch);
      expect(listed.map((d) => d.id)).toEqual(['5', '4', '6', '3', '2', '1']);
      expect(paged.requests.filter((r) => r.includes(LIST))).toEqual([
        `${PREFIX}${LIST}?limit=1000&sortfield=f.rowid&sortorder=DESC`,
        `${PREFIX}${LIST}?page=1&limit=1000`,
      ]);
    } finally {
      await paged.close();
    }
  });

  it('fetches a document and its PDF from under the install path', async () => {
    const { invoice } = await dolibarr.fetchDocument(base, '6', fetch);
    expect(invoice).toMatchObject({ number: 'AV2611-0001', kind: 'credit-note' });
    expect(invoice.attachments.some((a) => a.mimeType === 'application/pdf')).toBe(true);
    expect(front.requests).toContain(`${PREFIX}/compta/facture/card.php?id=6`);
    expect(front.requests.some((r) => r.startsWith(`${PREFIX}/document.php?`))).toBe(true);
    expect(front.requests.filter((r) => !r.startsWith(`${PREFIX}/`) && r !== LIST && !r.startsWith(`${LIST}?`))).toEqual([]);
  });
});
