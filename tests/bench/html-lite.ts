/**
 * Kept for the benchmark only (npm run bench:html): the hand-written reader the worker used before ./lib/sites/html.ts.
 * A small HTML reader for the background worker, which has no DOMParser (MV3 service workers have no DOM).
 * It builds a tree forgiving in the way browsers are for the markup invoicing apps write (unclosed <td>,
 * <li>, <p>, <option>; void elements; raw <script>/<style>/<textarea>), and answers a subset of CSS
 * selectors: type, #id, .class, [attr], [attr=v], [attr^=v], [attr*=v], [attr$=v] (no pseudo-classes), joined by descendant (space) and child (>) combinators, in comma lists.
 * The shape (querySelector, querySelectorAll, textContent, getAttribute) is the DOM's, so the
 * extraction code can take either.
 */

export interface LiteNode {
  readonly tagName: string;
  readonly textContent: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): LiteNode | null;
  querySelectorAll(selector: string): LiteNode[];
  /** The element children, as the DOM's `children` (a table row's cells), so row readers take either tree. */
  readonly children: readonly LiteNode[];
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title']);
/** An opening tag of the key closes an open element of the listed names (HTML's implied end tags). */
const IMPLIED_CLOSE: Record<string, string[]> = {
  td: ['td', 'th'],
  th: ['td', 'th'],
  tr: ['tr', 'td', 'th'],
  tbody: ['tbody', 'thead', 'tfoot', 'tr', 'td', 'th'],
  thead: ['tbody', 'thead', 'tfoot', 'tr', 'td', 'th'],
  tfoot: ['tbody', 'thead', 'tfoot', 'tr', 'td', 'th'],
  li: ['li'],
  option: ['option'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  p: ['p'],
};
/** Where an implied close stops looking: a <td> inside a nested <table> does not close the outer one. */
const SCOPE = new Set(['table', 'ul', 'ol', 'select', 'dl']);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', euro: '€', pound: '£', yen: '¥', copy: '©',
  laquo: '«', raquo: '»', eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç', ouml: 'ö', uuml: 'ü', auml: 'ä', szlig: 'ß',
  ecirc: 'ê', ocirc: 'ô', icirc: 'î', euml: 'ë', iuml: 'ï', hellip: '…', ndash: '–', mdash: '—', rsquo: '’', lsquo: '‘',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? whole;
  });
}

class Element implements LiteNode {
  /** Elements and text, in document order (the DOM's childNodes). */
  readonly nodes: (Element | string)[] = [];
  constructor(
    readonly tagName: string,
    readonly attrs: Map<string, string>,
    readonly parent: Element | undefined,
  ) {}

  getAttribute(name: string): string | null {
    return this.attrs.get(name.toLowerCase()) ?? null;
  }

  get textContent(): string {
    let out = '';
    const walk = (node: Element) => {
      for (const child of node.nodes) {
        if (typeof child === 'string') out += child;
        else walk(child);
      }
    };
    walk(this);
    return out;
  }

  get children(): Element[] {
    return this.nodes.filter((c): c is Element => typeof c !== 'string');
  }

  *descendants(): Generator<Element> {
    for (const child of this.nodes) {
      if (typeof child === 'string') continue;
      yield child;
      yield* child.descendants();
    }
  }

  querySelectorAll(selector: string): Element[] {
    const lists = parseSelector(selector);
    const out: Element[] = [];
    for (const el of this.descendants()) if (lists.some((chain) => matchesChain(el, chain, chain.length - 1))) out.push(el);
    return out;
  }

  querySelector(selector: string): Element | null {
    const lists = parseSelector(selector);
    for (const el of this.descendants()) if (lists.some((chain) => matchesChain(el, chain, chain.length - 1))) return el;
    return null;
  }
}

export function parseHtml(html: string): LiteNode {
  const root = new Element('#document', new Map(), undefined);
  let current = root;
  let i = 0;
  const n = html.length;
  const text = (s: string) => {
    if (s) current.nodes.push(decodeEntities(s));
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const end = html.indexOf('>', lt);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (html[lt + 1] === '/') {
      const end = html.indexOf('>', lt);
      const name = html.slice(lt + 2, end < 0 ? n : end).trim().toLowerCase();
      i = end < 0 ? n : end + 1;
      // Close up to the matching open element; a stray end tag closes nothing.
      for (let el: Element | undefined = current; el && el !== root; el = el.parent) {
        if (el.tagName === name) {
          current = el.parent ?? root;
          break;
        }
      }
      continue;
    }
    const tagMatch = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 64));
    if (!tagMatch) {
      text('<');
      i = lt + 1;
      continue;
    }
    const name = tagMatch[1]!.toLowerCase();
    // Attributes: read up to the closing '>' outside quotes.
    let j = lt + tagMatch[0].length;
    const attrs = new Map<string, string>();
    let selfClosing = false;
    while (j < n) {
      while (j < n && /\s/.test(html[j]!)) j++;
      if (html[j] === '>') {
        j++;
        break;
      }
      if (html[j] === '/' && html[j + 1] === '>') {
        selfClosing = true;
        j += 2;
        break;
      }
      const attrName = /^[^\s"'>/=]+/.exec(html.slice(j, j + 200));
      if (!attrName) {
        j++;
        continue;
      }
      j += attrName[0].length;
      while (j < n && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          value = html.slice(j + 1, end < 0 ? n : end);
          j = end < 0 ? n : end + 1;
        } else {
          const m = /^[^\s>]*/.exec(html.slice(j))!;
          value = m[0];
          j += m[0].length;
        }
      }
      const key = attrName[0].toLowerCase();
      if (!attrs.has(key)) attrs.set(key, decodeEntities(value));
    }
    i = j;
    const closes = IMPLIED_CLOSE[name];
    if (closes) {
      for (let el: Element | undefined = current; el && el !== root && !SCOPE.has(el.tagName); el = el.parent) {
        if (closes.includes(el.tagName)) {
          current = el.parent ?? root;
          break;
        }
      }
    }
    const el = new Element(name, attrs, current);
    current.nodes.push(el);
    if (VOID.has(name) || selfClosing) continue;
    if (RAW.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, i);
      const body = html.slice(i, end < 0 ? n : end);
      if (body) el.nodes.push(name === 'textarea' || name === 'title' ? decodeEntities(body) : body);
      const close = end < 0 ? n : html.indexOf('>', end);
      i = close < 0 ? n : close + 1;
      continue;
    }
    current = el;
  }
  return root;
}

// --- selectors -----------------------------------------------------------------------------------------------------

interface AttrTest {
  name: string;
  op?: '=' | '^=' | '*=' | '$=' | '~=';
  value?: string;
}
interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attrs: AttrTest[];
  /** How this compound relates to the one before it. */
  combinator: ' ' | '>';
}

const selectorCache = new Map<string, Compound[][]>();

function parseSelector(selector: string): Compound[][] {
  const cached = selectorCache.get(selector);
  if (cached) return cached;
  const lists = selector.split(',').map((part) => {
    const chain: Compound[] = [];
    let combinator: ' ' | '>' = ' ';
    const re = /\s*(>)\s*|\s+|([a-zA-Z*][a-zA-Z0-9-]*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w-]+)\s*(?:([~^*$]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+)))?\s*\]/gy;
    let current: Compound | undefined;
    const s = part.trim();
    let at = 0;
    while (at < s.length) {
      re.lastIndex = at;
      const m = re.exec(s);
      if (!m || m[0].length === 0) throw new Error(`Unsupported selector: ${selector}`);
      at = re.lastIndex;
      if (m[1] || m[0].trim() === '') {
        if (current) chain.push(current);
        current = undefined;
        if (m[1]) combinator = '>';
        continue;
      }
      if (!current) {
        current = { classes: [], attrs: [], combinator };
        combinator = ' ';
      }
      if (m[2]) current.tag = m[2] === '*' ? undefined : m[2].toLowerCase();
      else if (m[3]) current.id = m[3];
      else if (m[4]) current.classes.push(m[4]);
      else if (m[5]) current.attrs.push({ name: m[5].toLowerCase(), op: m[6] as AttrTest['op'], value: m[7] ?? m[8] ?? m[9] });
    }
    if (current) chain.push(current);
    if (chain.length === 0) throw new Error(`Unsupported selector: ${selector}`);
    return chain;
  });
  selectorCache.set(selector, lists);
  return lists;
}

function matchesCompound(el: Element, c: Compound): boolean {
  if (c.tag && el.tagName !== c.tag) return false;
  if (c.id && el.getAttribute('id') !== c.id) return false;
  if (c.classes.length > 0) {
    const classes = (el.getAttribute('class') ?? '').split(/\s+/);
    if (!c.classes.every((k) => classes.includes(k))) return false;
  }
  for (const a of c.attrs) {
    const v = el.getAttribute(a.name);
    if (v === null) return false;
    if (!a.op) continue;
    const want = a.value ?? '';
    if (a.op === '=' && v !== want) return false;
    if (a.op === '^=' && !v.startsWith(want)) return false;
    if (a.op === '$=' && !v.endsWith(want)) return false;
    if (a.op === '*=' && !v.includes(want)) return false;
    if (a.op === '~=' && !v.split(/\s+/).includes(want)) return false;
  }
  return true;
}

/** Like the DOM: the chain is matched against the whole tree, the result is limited to the scope's descendants. */
function matchesChain(el: Element, chain: Compound[], index: number): boolean {
  const c = chain[index]!;
  if (!matchesCompound(el, c)) return false;
  if (index === 0) return true;
  if (c.combinator === '>') {
    const parent = el.parent;
    return Boolean(parent && parent.tagName !== '#document' && matchesChain(parent, chain, index - 1));
  }
  for (let p = el.parent; p; p = p.parent) {
    if (p.tagName === '#document') break;
    if (matchesChain(p, chain, index - 1)) return true;
  }
  return false;
}
