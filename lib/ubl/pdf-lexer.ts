/** The PDF object syntax (ISO 32000-1, 7.2–7.3): values and a lexer over bytes, for ./pdf-objects.ts. */

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

/** Deeper nesting than this is refused (a crafted file must not exhaust the stack). */
export const MAX_NESTING = 64;

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
