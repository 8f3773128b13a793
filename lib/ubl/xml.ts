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

export function stripInvalidXmlChars(value: string): string {
  return value.replace(INVALID_XML_CHARS, '');
}

export function escapeText(value: string): string {
  return stripInvalidXmlChars(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(value: string): string {
  return stripInvalidXmlChars(value)
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
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
}

function render(el: XmlElement, depth: number, indent: string, out: string[]): void {
  const pad = indent.repeat(depth);
  const open = `<${el.name}${renderAttrs(el.attrs)}>`;
  if (el.children && el.children.length) {
    out.push(`${pad}${open}`);
    for (const c of el.children) render(c, depth + 1, indent, out);
    out.push(`${pad}</${el.name}>`);
  } else {
    out.push(`${pad}${open}${escapeText(el.text ?? '')}</${el.name}>`);
  }
}

/** Serialises with an XML declaration, two-space indentation and a final newline. */
export function serialize(root: XmlElement, indent = '  '): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, indent, out);
  return out.join('\n') + '\n';
}
