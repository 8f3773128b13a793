import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../lib/sites/html';

/**
 * The worker's HTML reader answers like the browser's DOM on the markup invoicing apps write: unclosed cells and
 * options, entities, case-insensitive attributes, selectors matched against the whole tree from a scoped node.
 */

const PAGE = `<!DOCTYPE html><html lang="nl"><body>
<div id="main" class="card">
  <table class="liste" data-kind="list">
    <tr class="head"><th>Nummer<th>Bedrag
    <tr data-rowid="7" class="oddeven"><td><a href="card.php?id=7&amp;x=1">F&eacute;2026&#x2F;7</a><td class="amount">1&nbsp;210,00&euro;
    <tr data-rowid="8" class="oddeven"><td><a HREF="card.php?id=8">F2026/8</a><td class="amount">-50,00 &#8364;
  </table>
  <select name="vat"><option value="1">0 %<option value="2" SELECTED>21 %</select>
  <script>if (a < b) document.write("<td>not a cell</td>")</script>
</div>
</body></html>`;

function domOf(html: string): Document {
  const window = new Window({ url: 'http://127.0.0.1/' });
  window.document.write(html);
  return window.document as unknown as Document;
}

const texts = (nodes: ArrayLike<{ textContent: string | null }>) => Array.from(nodes).map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim());

describe('lib/sites/html.ts against the DOM', () => {
  const worker = parseHtml(PAGE);
  const dom = domOf(PAGE);

  it('finds the same elements with the same text for each selector', () => {
    for (const selector of [
      'tr[data-rowid]',
      'table.liste tr[data-rowid] > td',
      'td.amount',
      'a[href^="card.php?id="]',
      'a[href*="id=8"]',
      '#main .liste th',
      'select[name="vat"] option[selected]',
      'div.card, td.amount',
      'table[data-kind=list] a',
    ]) {
      const expected = texts(dom.querySelectorAll(selector));
      expect(expected.length, selector).toBeGreaterThan(0);
      expect(texts(worker.querySelectorAll(selector)), selector).toEqual(expected);
    }
  });

  it('decodes entities in text and attributes; attribute names in any case', () => {
    const link = worker.querySelector('tr[data-rowid="7"] a');
    expect(link?.textContent).toBe('Fé2026/7');
    expect(link?.getAttribute('href')).toBe('card.php?id=7&x=1');
    expect(worker.querySelector('tr[data-rowid="8"] a')?.getAttribute('HREF')).toBe('card.php?id=8');
    expect(worker.querySelector('tr[data-rowid="7"] td.amount')?.textContent).toBe('1\u00a0210,00€\n    ');
    expect(worker.querySelector('tr[data-rowid="8"] td.amount')?.textContent?.trim()).toBe('-50,00 €');
  });

  it('a row has its cells as children; a script body is text, not markup', () => {
    const row = worker.querySelector('tr[data-rowid="8"]')!;
    expect(row.tagName).toBe('tr');
    expect(row.children.map((c) => c.tagName)).toEqual(['td', 'td']);
    expect(worker.querySelectorAll('td')).toHaveLength(4);
    expect(worker.querySelector('script')?.textContent).toContain('<td>not a cell</td>');
  });

  it('from a scoped node, like the DOM: the whole selector is matched against the tree, results are its descendants', () => {
    const row = worker.querySelector('tr[data-rowid="7"]')!;
    // Written out, not compared with happy-dom, which matches only inside the scope here (browsers follow the spec).
    const cells = ['Fé2026/7', '1 210,00€'];
    for (const selector of ['table td', 'tr td', 'td', 'div.card tr > td']) expect(texts(row.querySelectorAll(selector)), selector).toEqual(cells);
    expect(texts(row.querySelectorAll('div.card td.amount'))).toEqual([cells[1]]);
    expect(row.querySelector('th')).toBeNull();
    // The row itself is not among its descendants.
    expect(row.querySelectorAll('tr')).toEqual([]);
  });

  it('nothing found is null or empty; a selector it cannot read is an error, as in the DOM', () => {
    expect(worker.querySelector('.nothing')).toBeNull();
    expect(worker.querySelectorAll('.nothing')).toEqual([]);
    expect(() => worker.querySelectorAll('td[')).toThrow();
    expect(() => dom.querySelectorAll('td[')).toThrow();
  });
});
