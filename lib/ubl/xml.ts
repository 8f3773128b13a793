/**
 * A minimal XML tree and serializer for writing UBL. Elements without content are dropped on construction, so the
 * output never holds empty elements (PEPPOL-EN16931-R008). No DOM, no Node built-ins: safe in a service worker.
 */

export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlElement[];
}

type Child = XmlElement | undefined | null | false;

/** Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Anything escapeText/escapeAttr/stripInvalidXmlChars would change; most values have none (a 100-line invoice has ~2000). */
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripInvalidXmlChars(value: string): string {
  return NEEDS_WORK.test(value) ? value.replace(INVALID_XML_CHARS, '') : value;
}

export function escapeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value.replace(INVALID_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function cleanAttrs(attrs: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== '') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** A leaf element; undefined when the value is missing or blank. */
export function leaf(name: string, value: string | undefined | null, attrs?: Record<string, string | undefined>): XmlElement | undefined {
  if (value === undefined || value === null) return undefined;
  if (stripInvalidXmlChars(value).trim() === '') return undefined;
  const a = cleanAttrs(attrs);
  return a ? { name, text: value, attrs: a } : { name, text: value };
}

/** An aggregate element; undefined when none of its children is present. */
export function node(name: string, children: Child[], attrs?: Record<string, string | undefined>): XmlElement | undefined {
  const kids = children.filter((c): c is XmlElement => !!c);
  if (kids.length === 0) return undefined;
  const a = cleanAttrs(attrs);
  return a ? { name, children: kids, attrs: a } : { name, children: kids };
}

function renderAttrs(attrs: Record<string, string> | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const k in attrs) out += ` ${k}="${escapeAttr(attrs[k] as string)}"`;
  return out;
}

/** Appends to one string (V8 builds it as a rope): a little faster than pushing to an array and joining (100 lines 0.13 vs 0.17 ms, 500 lines 2.9 vs 3.6 ms, flattening included). */
function render(el: XmlElement, pad: string, indent: string, out: { text: string }): void {
  const open = `<${el.name}${renderAttrs(el.attrs)}>`;
  if (el.children && el.children.length) {
    out.text += `\n${pad}${open}`;
    const inner = pad + indent;
    for (const c of el.children) render(c, inner, indent, out);
    out.text += `\n${pad}</${el.name}>`;
  } else {
    out.text += `\n${pad}${open}${escapeText(el.text ?? '')}</${el.name}>`;
  }
}

/** Serialises with an XML declaration, two-space indentation and a final newline. */
export function serialize(root: XmlElement, indent = '  '): string {
  const out = { text: '<?xml version="1.0" encoding="UTF-8"?>' };
  render(root, '', indent, out);
  return out.text + '\n';
}
