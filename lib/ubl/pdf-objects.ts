import { InflateLimitError, inflateCapped } from '../bounded/inflate';

/**
 * Just enough of the PDF object syntax to reach a PDF's embedded files without inflating any of them: the objects
 * (top level and inside object streams), the catalog, the EmbeddedFiles name tree and the catalog's /AF list.
 *
 * Why not pdfjs-dist: its getAttachments() inflates every attachment, whole and without a limit, before it returns
 * one (a 2 MB PDF with a large attachment took 54 s and 6.5 GB). Reading the name tree here lets the caller choose
 * the invoice attachment by name and inflate that one stream alone, through the capped inflater.
 *
 * Objects are found by scanning for "n g obj" rather than by the cross-reference table, skipping stream contents, the
 * way readers repair a damaged file; of two definitions of a number the later one wins, as in incremental updates.
 */

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfString {
  constructor(readonly bytes: Uint8Array) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

/** The PDF's structure cannot be read (the message says what and where). */
export class PdfSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfSyntaxError';
  }
}

/** Object streams hold small dictionaries; these caps stop a bomb hidden in one. */
const MAX_OBJECT_STREAM_BYTES = 8 * 1024 * 1024;
const MAX_OBJECT_STREAMS_TOTAL_BYTES = 32 * 1024 * 1024;
const MAX_NESTING = 64;
const MAX_TREE_NODES = 10_000;

const isWhite = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number): boolean => c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
const isRegular = (c: number): boolean => !isWhite(c) && !isDelimiter(c);
const hexValue = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** Parses one PDF value from bytes, starting at `pos`. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  skipWhite(): void {
    const b = this.b;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  private keyword(): string {
    const start = this.pos;
    while (this.pos < this.b.length && isRegular(this.b[this.pos] as number)) this.pos++;
    return String.fromCharCode(...this.b.subarray(start, Math.min(this.pos, start + 64)));
  }

  /** The next keyword without consuming it ("stream", "endobj"…). */
  peekKeyword(): string {
    this.skipWhite();
    const at = this.pos;
    const k = this.keyword();
    this.pos = at;
    return k;
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new PdfSyntaxError(`nesting deeper than ${MAX_NESTING} at byte ${this.pos}`);
    this.skipWhite();
    const b = this.b;
    if (this.pos >= b.length) throw new PdfSyntaxError('unexpected end of file');
    const c = b[this.pos] as number;
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const entries = new Map<string, PdfValue>();
      for (;;) {
        this.skipWhite();
        if (this.pos >= b.length) throw new PdfSyntaxError('unterminated dictionary');
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return new PdfDict(entries);
        }
        const key = this.value(depth + 1);
        if (!(key instanceof PdfName)) throw new PdfSyntaxError(`dictionary key is not a name at byte ${this.pos}`);
        entries.set(key.name, this.value(depth + 1));
      }
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWhite();
        if (this.pos >= b.length) throw new PdfSyntaxError('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    if (c === 0x2f) {
      this.pos++;
      const start = this.pos;
      while (this.pos < b.length && isRegular(b[this.pos] as number)) this.pos++;
      const raw = String.fromCharCode(...b.subarray(start, Math.min(this.pos, start + 256)));
      return new PdfName(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) return this.hexString();
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const word = this.keyword();
      const n = Number(word);
      if (!Number.isFinite(n)) throw new PdfSyntaxError(`bad number "${word}"`);
      if (/^\d+$/.test(word)) {
        // "12 0 R" is a reference: look ahead for a generation number and R.
        const back = this.pos;
        this.skipWhite();
        const gen = this.keyword();
        if (/^\d+$/.test(gen)) {
          this.skipWhite();
          if (this.b[this.pos] === 0x52 && (this.pos + 1 >= b.length || !isRegular(b[this.pos + 1] as number))) {
            this.pos++;
            return new PdfRef(n, Number(gen));
          }
        }
        this.pos = back;
      }
      return n;
    }
    const word = this.keyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfSyntaxError(`unexpected "${word || String.fromCharCode(c)}" at byte ${this.pos}`);
  }

  private literalString(): PdfString {
    const b = this.b;
    this.pos++;
    const out: number[] = [];
    let nesting = 1;
    while (this.pos < b.length) {
      const c = b[this.pos++] as number;
      if (c === 0x5c) {
        const e = b[this.pos++] as number;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (e in simple) out.push(simple[e] as number);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && (b[this.pos] as number) >= 0x30 && (b[this.pos] as number) <= 0x37; k++) v = v * 8 + ((b[this.pos++] as number) - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        nesting++;
        out.push(c);
      } else if (c === 0x29) {
        if (--nesting === 0) return new PdfString(Uint8Array.from(out));
        out.push(c);
      } else out.push(c);
    }
    throw new PdfSyntaxError('unterminated string');
  }

  private hexString(): PdfString {
    const b = this.b;
    this.pos++;
    const out: number[] = [];
    let high = -1;
    while (this.pos < b.length) {
      const c = b[this.pos++] as number;
      if (c === 0x3e) {
        if (high >= 0) out.push(high << 4);
        return new PdfString(Uint8Array.from(out));
      }
      const v = hexValue(c);
      if (v < 0) continue;
      if (high < 0) high = v;
      else {
        out.push((high << 4) | v);
        high = -1;
      }
    }
    throw new PdfSyntaxError('unterminated hex string');
  }
}

/** A PDF text string: UTF-16BE with its BOM, UTF-8 with its BOM, else PDFDocEncoding (Latin-1 for file names). */
export function pdfText(value: PdfValue | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  // A file name; a longer "name" is cut rather than copied whole into messages.
  const b = value.bytes.subarray(0, 1024);
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  return new TextDecoder('latin1').decode(b);
}

interface Located {
  /** Where the definition starts: of two definitions of a number, the later one wins. */
  at: number;
  /** The bytes the object is parsed from (the file, or an inflated object stream) and its offset there. */
  source: Uint8Array;
  offset: number;
  /** For a stream object: its data in the file (before any /Length correction). */
  stream?: { start: number; end: number };
}

export interface PdfStream {
  dict: PdfDict;
  /** The raw (still encoded) data. */
  data: Uint8Array;
}

/** The objects of a PDF, resolved on demand. */
export class PdfObjects {
  private readonly objects = new Map<number, Located>();
  private readonly cache = new Map<number, PdfValue>();
  private objectStreamBytes = 0;
  private readonly text: string;

  private constructor(readonly bytes: Uint8Array) {
    // Latin-1 keeps one character per byte, so string offsets are byte offsets.
    this.text = new TextDecoder('latin1').decode(bytes);
  }

  /** Indexes the file's objects; object streams are inflated (capped) so the objects inside them resolve too. */
  static async open(bytes: Uint8Array): Promise<PdfObjects> {
    const pdf = new PdfObjects(bytes);
    const objectStreams = pdf.scan();
    for (const num of objectStreams) await pdf.indexObjectStream(num);
    return pdf;
  }

  /** Is the file encrypted (its embedded files would be too)? */
  get encrypted(): boolean {
    return /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(this.text);
  }

  /** The document catalog: the last /Root of a trailer or cross-reference stream, else an object of /Type /Catalog. */
  catalog(): PdfDict | undefined {
    const roots = [...this.text.matchAll(/\/Root\s+(\d+)\s+(\d+)\s+R/g)];
    for (let i = roots.length - 1; i >= 0; i--) {
      const found = this.resolve(new PdfRef(Number(roots[i]?.[1]), Number(roots[i]?.[2])));
      if (found instanceof PdfDict) return found;
    }
    for (const num of this.objects.keys()) {
      const v = this.resolve(new PdfRef(num, 0));
      if (v instanceof PdfDict && (v.get('Type') as PdfName | undefined)?.name === 'Catalog') return v;
    }
    return undefined;
  }

  private scan(): number[] {
    const objectStreams: number[] = [];
    const header = /(?<![\d.])(\d{1,10})\s+(\d{1,5})\s+obj\b/g;
    for (let m = header.exec(this.text); m; m = header.exec(this.text)) {
      const num = Number(m[1]);
      const lexer = new PdfLexer(this.bytes, m.index + m[0].length);
      let value: PdfValue;
      try {
        value = lexer.value();
      } catch {
        continue; // not an object after all (or a broken one): go on scanning after its header
      }
      const located: Located = { at: m.index, source: this.bytes, offset: m.index + m[0].length };
      if (value instanceof PdfDict && lexer.peekKeyword() === 'stream') {
        lexer.skipWhite();
        let start = lexer.pos + 'stream'.length;
        if (this.bytes[start] === 0x0d) start++;
        if (this.bytes[start] === 0x0a) start++;
        const length = value.get('Length');
        let end = typeof length === 'number' && length >= 0 && start + length <= this.bytes.length && /^\s*endstream/.test(this.text.slice(start + length, start + length + 32)) ? start + length : -1;
        if (end < 0) {
          const found = this.text.indexOf('endstream', start);
          end = found < 0 ? this.bytes.length : found;
          // The end-of-line before "endstream" is not part of the data.
          if (this.bytes[end - 1] === 0x0a) end--;
          if (this.bytes[end - 1] === 0x0d) end--;
        }
        located.stream = { start, end };
        if ((value.get('Type') as PdfName | undefined)?.name === 'ObjStm') objectStreams.push(num);
        // Skip the stream's content: bytes in it that look like "1 0 obj" are not objects.
        header.lastIndex = Math.max(header.lastIndex, end);
      }
      const previous = this.objects.get(num);
      if (!previous || previous.at <= located.at) this.objects.set(num, located);
    }
    return objectStreams;
  }

  private async indexObjectStream(num: number): Promise<void> {
    const stream = this.stream(new PdfRef(num, 0));
    if (!stream) return;
    const left = MAX_OBJECT_STREAMS_TOTAL_BYTES - this.objectStreamBytes;
    if (left <= 0) throw new PdfSyntaxError('the object streams are larger than allowed');
    const data = await decodeStream(stream, Math.min(MAX_OBJECT_STREAM_BYTES, left));
    this.objectStreamBytes += data.length;
    const n = stream.dict.get('N');
    const first = stream.dict.get('First');
    if (typeof n !== 'number' || typeof first !== 'number') return;
    const lexer = new PdfLexer(data);
    const at = this.objects.get(num)?.at ?? 0;
    for (let i = 0; i < Math.min(n, 1_000_000); i++) {
      const objNum = lexer.value();
      const offset = lexer.value();
      if (typeof objNum !== 'number' || typeof offset !== 'number') break;
      const previous = this.objects.get(objNum);
      // An object in a stream counts as defined where its stream is.
      if (!previous || previous.at <= at) this.objects.set(objNum, { at, source: data, offset: first + offset });
    }
  }

  /** The value a reference points to (a direct value is returned as is); undefined when it does not resolve. */
  resolve(value: PdfValue | undefined, hops = 0): PdfValue | undefined {
    if (!(value instanceof PdfRef)) return value;
    if (hops > 32) return undefined;
    if (this.cache.has(value.num)) return this.cache.get(value.num);
    const located = this.objects.get(value.num);
    if (!located) return undefined;
    let v: PdfValue | undefined;
    try {
      v = new PdfLexer(located.source, located.offset).value();
    } catch {
      v = undefined;
    }
    const resolved = v instanceof PdfRef ? this.resolve(v, hops + 1) : v;
    this.cache.set(value.num, resolved ?? null);
    return resolved;
  }

  /** A stream object's dictionary and raw data, its /Length resolved when it is indirect. */
  stream(ref: PdfValue | undefined): PdfStream | undefined {
    if (!(ref instanceof PdfRef)) return undefined;
    const located = this.objects.get(ref.num);
    const dict = this.resolve(ref);
    if (!located?.stream || !(dict instanceof PdfDict)) return undefined;
    let { start, end } = located.stream;
    const length = this.resolve(dict.get('Length'));
    if (typeof length === 'number' && length >= 0 && start + length <= this.bytes.length && start + length <= end + 2) end = start + length;
    return { dict, data: this.bytes.subarray(start, end) };
  }

  /** Walks a name tree (depth-first, in order), calling `visit` with each key and value; cycles and huge trees stop. */
  walkNameTree(root: PdfValue | undefined, visit: (key: string, value: PdfValue) => void): void {
    const seen = new Set<number>();
    let nodes = 0;
    const walk = (ref: PdfValue | undefined, depth: number): void => {
      if (depth > MAX_NESTING || ++nodes > MAX_TREE_NODES) return;
      if (ref instanceof PdfRef) {
        if (seen.has(ref.num)) return;
        seen.add(ref.num);
      }
      const node = this.resolve(ref);
      if (!(node instanceof PdfDict)) return;
      const names = this.resolve(node.get('Names'));
      if (Array.isArray(names)) {
        for (let i = 0; i + 1 < names.length; i += 2) visit(pdfText(this.resolve(names[i])) ?? '', names[i + 1] as PdfValue);
      }
      const kids = this.resolve(node.get('Kids'));
      if (Array.isArray(kids)) for (const kid of kids) walk(kid, depth + 1);
    };
    walk(root, 0);
  }
}

/** The filters the reader decodes: none or FlateDecode without a predictor (what embedded files and object streams use). */
export class UnsupportedFilterError extends Error {
  constructor(readonly filter: string) {
    super(`unsupported stream filter ${filter}`);
    this.name = 'UnsupportedFilterError';
  }
}

/** A stream's decoded data, at most `maxBytes` (InflateLimitError beyond; `truncate` returns the first bytes instead). */
export async function decodeStream(stream: PdfStream, maxBytes: number, truncate = false): Promise<Uint8Array> {
  const filter = stream.dict.get('Filter');
  const filters = (Array.isArray(filter) ? filter : filter === undefined || filter === null ? [] : [filter]).map((f) => (f instanceof PdfName ? f.name : String(f)));
  const parms = stream.dict.get('DecodeParms');
  const predictor = parms instanceof PdfDict ? parms.get('Predictor') : undefined;
  if (filters.length === 0) {
    if (stream.data.length > maxBytes && !truncate) throw new InflateLimitError(maxBytes);
    return stream.data.subarray(0, maxBytes);
  }
  if (filters.length > 1 || (filters[0] !== 'FlateDecode' && filters[0] !== 'Fl')) throw new UnsupportedFilterError(filters.join(' '));
  if (typeof predictor === 'number' && predictor > 1) throw new UnsupportedFilterError(`FlateDecode with predictor ${predictor}`);
  return inflateCapped(stream.data, maxBytes, { truncate });
}
