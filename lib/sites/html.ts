import { parseDocument } from 'htmlparser2';
import { compile, selectAll, selectOne } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { textContent } from 'domutils';

/**
 * The background worker's HTML reader: MV3 service workers have no DOMParser, so app pages fetched there are read with
 * htmlparser2 (a forgiving parser with the browser's implied end tags) and css-select (CSS selectors). The shape
 * (querySelector, querySelectorAll, textContent, getAttribute, children) is the DOM's, so one extraction code takes
 * either tree.
 */
export interface HtmlNode {
  /** Lower case, as the parser writes it ('#document' for the root). */
  readonly tagName: string;
  readonly textContent: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): HtmlNode | null;
  querySelectorAll(selector: string): HtmlNode[];
  /** The element children, as the DOM's `children` (a table row's cells), so row readers take either tree. */
  readonly children: readonly HtmlNode[];
}

type Query = ReturnType<typeof compile<AnyNode, Element>>;

/**
 * Compiled once per selector. Compiled without a context, so like the DOM the whole selector is matched against the
 * whole tree and only the result is limited to the node's descendants ("table td" from a row still finds its cells).
 */
const compiled = new Map<string, Query>();
function query(selector: string): Query {
  let found = compiled.get(selector);
  if (!found) {
    found = compile<AnyNode, Element>(selector);
    compiled.set(selector, found);
  }
  return found;
}

class HtmlTree implements HtmlNode {
  constructor(private readonly node: Element | Document) {}

  get tagName(): string {
    return this.node.type === 'root' ? '#document' : (this.node as Element).name;
  }

  get textContent(): string {
    return textContent(this.node);
  }

  getAttribute(name: string): string | null {
    if (this.node.type === 'root') return null;
    return (this.node as Element).attribs[name.toLowerCase()] ?? null;
  }

  get children(): HtmlTree[] {
    const out: HtmlTree[] = [];
    for (const child of this.node.children) if (child.type === 'tag' || child.type === 'script' || child.type === 'style') out.push(new HtmlTree(child as Element));
    return out;
  }

  querySelector(selector: string): HtmlTree | null {
    const found = selectOne(query(selector), this.node);
    return found ? new HtmlTree(found) : null;
  }

  querySelectorAll(selector: string): HtmlTree[] {
    return selectAll(query(selector), this.node).map((el) => new HtmlTree(el));
  }
}

export function parseHtml(html: string): HtmlNode {
  return new HtmlTree(parseDocument(html));
}
