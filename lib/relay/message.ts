/**
 * What the relay reads of a message before it sends it: the header block only (the first 64 KiB), for
 * its Message-ID and who it claims to be from. The bytes themselves are sent as they are.
 */

/** The header block of a message: one From, a Message-ID, and a blank line after it. */
export function headerOf(raw: Buffer): { messageId?: string; from: string[]; sender: string[]; ok: boolean } {
  const text = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return { ok: false, from: [], sender: [] };
  const unfolded = text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const messageId = /^message-id:\s*(<[^>\s]+>)\s*$/im.exec(unfolded)?.[1];
  // "From :" (a space before the colon, obsolete syntax) is still a From to many readers: it counts as one.
  const values = (name: string) => [...unfolded.matchAll(new RegExp(`^${name}[ \\t]*:(.*)$`, 'gim'))].map((m) => m[1]!.trim());
  const from = values('from');
  return { messageId, from, sender: values('sender'), ok: Boolean(messageId) && from.length > 0 };
}

/** The one address of a From (or Sender) header value, or undefined when it names none or several. */
export function mailboxOf(value: string): string | undefined {
  // Quoted display names may hold "<", "," or "@": they are dropped before the address is looked for.
  const bare = value.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const angles = [...bare.matchAll(/<([^<>]*)>/g)];
  if (angles.length > 1) return undefined;
  const address = angles.length === 1 ? angles[0]![1]!.trim() : bare.trim();
  return address.includes(',') ? undefined : address;
}
