/**
 * The text of a PDF's first pages, for the ad-hoc form's guesses. pdfjs-dist is injected (the popup loads it with
 * its worker; Node tests load the legacy build), so this file pulls no PDF code into bundles that never need it.
 */
import { pdfInflatesWithin } from '../ubl/pdf';

export interface PdfTextSource {
  getDocument(params: { data: Uint8Array; isEvalSupported?: boolean; verbosity?: number }): {
    promise: Promise<{
      numPages: number;
      getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }> }>;
      destroy(): Promise<void>;
    }>;
  };
}

/** The PDF's compressed streams inflate to more than the cap (a deflate bomb): pdfjs is not given it. */
export class PdfInflatesTooMuchError extends Error {
  constructor() {
    super('the PDF inflates to more than the limit');
    this.name = 'PdfInflatesTooMuchError';
  }
}

export async function pdfText(bytes: Uint8Array, pdfjs: PdfTextSource, maxPages = 3): Promise<string> {
  if (!(await pdfInflatesWithin(bytes))) throw new PdfInflatesTooMuchError();
  // pdfjs takes ownership of the buffer it is given; keep the caller's bytes intact.
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const parts: string[] = [];
    for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items as { str?: string; hasEOL?: boolean }[]) {
        if (typeof item.str === 'string') parts.push(item.str, item.hasEOL ? '\n' : ' ');
      }
      parts.push('\n');
    }
    return parts.join('').replace(/[ \t]+/g, ' ');
  } finally {
    await doc.destroy();
  }
}
