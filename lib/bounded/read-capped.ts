import { joinChunks } from './bytes';
/**
 * Reading an HTTP response body with a byte cap. Sites, mail peers and Octopus are peers we do not control: a page that
 * never ends, or a 2 GB "invoice", must not be read whole into memory before anyone looks at its size. The declared
 * Content-Length is checked first; then the body is counted as it streams in and the download aborted past the cap.
 */

/** The body is larger than the cap (declared, or counted while streaming). */
export class BodyTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    /** The declared size when Content-Length said so; else undefined (the count passed the cap). */
    readonly declaredBytes?: number,
  ) {
    super(declaredBytes !== undefined ? `the response is ${declaredBytes} bytes, more than the ${maxBytes} bytes allowed` : `the response is more than the ${maxBytes} bytes allowed`);
    this.name = 'BodyTooLargeError';
  }
}

/** Caps for what we fetch: an invoice page, listing or document; a JSON answer of an API. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
export const MAX_API_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The response body as bytes, at most `maxBytes`; BodyTooLargeError (and the download cancelled) beyond. */
export async function readCapped(response: Response, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes, Number(declared));
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
    signal?.throwIfAborted();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return joinChunks(chunks, total);
}

/** The body as UTF-8 text (as Response.text() reads it), read with readCapped. */
export async function readCappedText(response: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
  return new TextDecoder().decode(await readCapped(response, maxBytes, signal));
}

/** The body parsed as JSON, read with readCapped. */
export async function readCappedJson(response: Response, maxBytes: number = MAX_API_RESPONSE_BYTES, signal?: AbortSignal): Promise<unknown> {
  return JSON.parse(await readCappedText(response, maxBytes, signal)) as unknown;
}
