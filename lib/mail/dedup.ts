import { sha256Hex } from './bytes';
import { domainOf } from './address';

/**
 * The identity of a send: the same document going to the same dossier in the same direction is one
 * send, however often it is queued, retried or found on another site. `generation` counts explicit
 * "send again" actions: each gets a new key and a new Message-ID, so the relay does not answer
 * "duplicate" to what the user asked for.
 */
export async function mailDedupKey(dossierId: string, direction: string, documentBytes: Uint8Array): Promise<string> {
  const prefix = new TextEncoder().encode(`${dossierId.length}:${dossierId}|${direction}|`);
  const all = new Uint8Array(prefix.length + documentBytes.length);
  all.set(prefix);
  all.set(documentBytes, prefix.length);
  return sha256Hex(all);
}

export function sendKey(dedupKey: string, generation: number): string {
  return generation > 0 ? `${dedupKey}.${generation}` : dedupKey;
}

/** Stable across retries: derived from the key, never from the clock or a random number. */
export function messageIdFor(dedupKey: string, generation: number, senderAddress: string): string {
  const domain = domainOf(senderAddress) || 'octobridge.invalid';
  return `<ubl-${dedupKey.slice(0, 32)}${generation > 0 ? `.${generation}` : ''}@${domain}>`;
}
