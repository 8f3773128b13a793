import { teachMapping, type TeachMappingInput } from '../messaging/protocol';
import { TEACH_KEY_PREFIX } from '../sites/user-sites';

/**
 * The worker's side of teach mode: content scripts no longer touch storage.local; they ask the worker for
 * the taught table of their own page's host and hand it a new one. The host is always the sender's, so a script in one
 * site can neither read nor overwrite another site's mapping. The storage key stays `octobridge.teach.<host>`, so
 * mappings taught before this change keep working.
 */

/** The two operations of chrome.storage.local the handlers need (a Map in tests). */
export interface TeachStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export type TeachRequest = { type: 'teach.load' } | { type: 'teach.save'; mapping: TeachMappingInput };

export interface TeachDeps {
  storage: TeachStorage;
  /** Is the origin one the user added under "Sites"? Teach mode is offered only there (entrypoints/sites.content.ts). */
  isUserSite(origin: string): Promise<boolean>;
}

export type TeachAnswer =
  | { ok: true; mapping?: TeachMappingInput }
  | { ok: false; error: { code: 'forbidden' | 'bad-request'; message: string } };

export function teachKey(host: string): string {
  return `${TEACH_KEY_PREFIX}${host}`;
}

/** A stored mapping, if it still has the shape teach mode writes (an older or damaged value counts as none). */
export function storedMapping(value: unknown): TeachMappingInput | undefined {
  const parsed = teachMapping.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export async function handleTeachRequest(request: TeachRequest, senderUrl: string, deps: TeachDeps): Promise<TeachAnswer> {
  let page: URL;
  try {
    page = new URL(senderUrl);
  } catch {
    return { ok: false, error: { code: 'forbidden', message: 'unknown sender' } };
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return { ok: false, error: { code: 'forbidden', message: 'not a web page' } };
  if (!(await deps.isUserSite(page.origin))) return { ok: false, error: { code: 'forbidden', message: 'teach mode is for sites added in the options' } };
  const key = teachKey(page.host);
  if (request.type === 'teach.load') {
    const mapping = storedMapping(await deps.storage.get(key));
    return mapping ? { ok: true, mapping } : { ok: true };
  }
  // Parsed again here, so the handler is safe whoever calls it.
  const parsed = teachMapping.safeParse(request.mapping);
  if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
  await deps.storage.set(key, parsed.data);
  return { ok: true };
}
