import { InflateLimitError, inflateCapped } from '../bounded/inflate';
import { MAX_NESTING, PdfDict, PdfLexer, PdfName, PdfRef, PdfSyntaxError, pdfText, type PdfValue } from './pdf-lexer';

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

/** Object streams hold small dictionaries; these caps stop a bomb hidden in one. */
const MAX_OBJECT_STREAM_BYTES = 8 * 1024 * 1024;
const MAX_OBJECT_STREAMS_TOTAL_BYTES = 32 * 1024 * 1024;
const MAX_TREE_NODES = 10_000;

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

  /** Every stream object, in no particular order. */
  streamRefs(): PdfRef[] {
    return [...this.objects].filter(([, located]) => located.stream).map(([num]) => new PdfRef(num, 0));
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
