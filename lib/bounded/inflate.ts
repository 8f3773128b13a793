import { joinChunks } from './bytes';
/**
 * Inflating zlib data (a PDF's FlateDecode streams) with a cap on the output, for the worker, the popup, the CLI and
 * tests alike: DecompressionStream exists in browsers, service workers and Node 18+. The input goes in small slices
 * while the output is counted as it comes out, so a deflate bomb (1 KB that inflates to 1 MB, 0.5 MB to 512 MiB) is
 * stopped a few KB after the cap instead of being inflated first and measured after.
 */

/** The inflated data would be larger than the cap. */
export class InflateLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`inflates to more than ${maxBytes} bytes`);
    this.name = 'InflateLimitError';
  }
}

/** The data is not valid zlib/deflate data. */
export class InflateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InflateError';
  }
}

/** Deflate expands at most ~1032:1: 4 KB of input yields at most ~4 MB of output beyond the cap before we stop. */
const INPUT_SLICE = 4 * 1024;

export interface InflateOptions {
  /** Stop after this many output bytes and return them (a peek at the start) instead of failing at the cap. */
  truncate?: boolean;
}

/**
 * The inflated bytes of `data`, at most `maxBytes` of them. Beyond the cap: InflateLimitError, or with
 * `truncate` the first `maxBytes` bytes. Broken data: InflateError.
 */
export async function inflateCapped(data: Uint8Array, maxBytes: number, options: InflateOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const total = await pump(data, maxBytes, options.truncate === true, (c) => chunks.push(c));
  return joinChunks(chunks, total);
}

/** How many bytes `data` inflates to, counted without keeping them; InflateLimitError past `maxBytes`. */
export async function inflatedSize(data: Uint8Array, maxBytes: number): Promise<number> {
  return pump(data, maxBytes, false, () => undefined);
}

/** Inflates `data`, handing each output chunk to `take`, and returns the total (see inflateCapped). */
async function pump(data: Uint8Array, maxBytes: number, truncate: boolean, take: (chunk: Uint8Array) => void): Promise<number> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Feed the input in slices; each write waits until the reader has taken the output (backpressure).
  const feeding = (async () => {
    for (let at = 0; at < data.length && !stopped; at += INPUT_SLICE) await writer.write(data.subarray(at, at + INPUT_SLICE) as Uint8Array<ArrayBuffer>);
    if (!stopped) await writer.close();
  })();
  feeding.catch(() => undefined); // its failure surfaces through the reader
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > maxBytes) {
        stopped = true;
        if (!truncate) throw new InflateLimitError(maxBytes);
        take(value.subarray(0, maxBytes - total));
        total = maxBytes;
        break;
      }
      take(value);
      total += value.length;
    }
  } catch (error) {
    stopped = true;
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
    if (error instanceof InflateLimitError) throw error;
    throw new InflateError(error instanceof Error ? error.message : String(error));
  }
  if (stopped) {
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
  }
  return total;
}
