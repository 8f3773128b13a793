import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Window } from 'happy-dom';
import { contentRequest, contentResponse, teachMapping } from '../../lib/messaging/protocol';
import { handleTeachRequest, teachKey, type TeachDeps } from '../../lib/extension/teach-store';
import { restrictLocalStorage } from '../../lib/extension/site-scripts';
import { TeachMode } from '../../lib/overlay/teach';
import { createGenericDom, type TeachMapping } from '../../lib/sites/generic';
import { translatorFor } from '../../lib/i18n';

/**
 * Teach mode through the worker: content scripts ask for and hand over the taught table with teach.load and
 * teach.save; the worker keys it by the sender's host only and takes nothing but a strict mapping. Content scripts do
 * not touch storage.local any more, so the worker closes it to them.
 */

const mapping: TeachMapping = {
  headerSignature: 'a|b|c|d|e',
  columns: { number: 0, issueDate: 1, counterparty: 2, total: 3, download: 4 },
  taughtAt: '2026-11-22T10:00:00.000Z',
};

function deps(listed = ['https://a.example.be', 'http://localhost:8080', 'https://b.example.be']) {
  const store = new Map<string, unknown>();
  const d: TeachDeps = {
    storage: {
      get: async (key) => store.get(key),
      set: async (key, value) => void store.set(key, value),
    },
    isUserSite: async (origin) => listed.includes(origin),
  };
  return { store, deps: d };
}

/** What the worker does with a raw message: the content schema first, then the handler with the sender's URL. */
async function receive(raw: unknown, senderUrl: string, d: TeachDeps) {
  const parsed = contentRequest.safeParse(raw);
  if (!parsed.success) return { ok: false, error: { code: 'bad-request' } };
  if (parsed.data.type !== 'teach.load' && parsed.data.type !== 'teach.save') throw new Error('not a teach message');
  return handleTeachRequest(parsed.data, senderUrl, d);
}

describe('teach.load and teach.save in the worker', () => {
  it('keeps a mapping under the sender’s host, in the key format mappings were always stored under', async () => {
    const { store, deps: d } = deps();
    expect(await receive({ type: 'teach.save', mapping }, 'https://a.example.be/invoices?page=2', d)).toEqual({ ok: true });
    expect([...store.keys()]).toEqual(['octobridge.teach.a.example.be']);
    expect(store.get('octobridge.teach.a.example.be')).toEqual(mapping);
    const loaded = await receive({ type: 'teach.load' }, 'https://a.example.be/other', d);
    expect(contentResponse['teach.load'].parse(loaded)).toEqual({ ok: true, mapping });
    // A mapping the content script stored itself before this change (same key, host with port) still loads.
    store.set('octobridge.teach.localhost:8080', { ...mapping, headerSignature: 'x|y' });
    expect(await receive({ type: 'teach.load' }, 'http://localhost:8080/lijst', d)).toEqual({ ok: true, mapping: { ...mapping, headerSignature: 'x|y' } });
  });

  it('refuses a mapping for another host: the message cannot name one, and another site reads nothing of it', async () => {
    const { store, deps: d } = deps();
    await receive({ type: 'teach.save', mapping }, 'https://a.example.be/invoices', d);
    expect(await receive({ type: 'teach.save', mapping, host: 'b.example.be' }, 'https://a.example.be/x', d)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await receive({ type: 'teach.load', host: 'a.example.be' }, 'https://b.example.be/x', d)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await receive({ type: 'teach.load' }, 'https://b.example.be/x', d)).toEqual({ ok: true });
    await receive({ type: 'teach.save', mapping: { ...mapping, headerSignature: 'b' } }, 'https://b.example.be/x', d);
    expect(store.get(teachKey('a.example.be'))).toEqual(mapping);
    expect(store.get(teachKey('b.example.be'))).toMatchObject({ headerSignature: 'b' });
  });

  it('refuses senders that are no site the user added, and pages that are not web pages', async () => {
    const { store, deps: d } = deps();
    expect(await receive({ type: 'teach.save', mapping }, 'https://c.example.be/x', d)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await receive({ type: 'teach.load' }, 'https://c.example.be/x', d)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await receive({ type: 'teach.save', mapping }, 'chrome-extension://abc/popup.html', d)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(store.size).toBe(0);
  });

  it('refuses malformed mappings and keeps nothing of them', async () => {
    const { store, deps: d } = deps();
    const bad: unknown[] = [
      { ...mapping, columns: { ...mapping.columns, total: -1 } },
      { ...mapping, columns: { ...mapping.columns, total: 1.5 } },
      { ...mapping, columns: { ...mapping.columns, total: 200 } },
      { ...mapping, columns: { ...mapping.columns, total: '3' } },
      { ...mapping, columns: { number: 0, issueDate: 1, counterparty: 2, total: 3 } },
      { ...mapping, columns: { ...mapping.columns, extra: 5 } },
      { ...mapping, script: 'alert(1)' },
      { ...mapping, headerSignature: 'x'.repeat(4001) },
      { ...mapping, headerSignature: 'x'.repeat(201) },
      { ...mapping, headerSignature: Array.from({ length: 201 }, () => 'h').join('|') },
      { ...mapping, taughtAt: 'yesterday' },
      { headerSignature: 'a', columns: mapping.columns },
      'a|b|c',
      null,
    ];
    for (const m of bad) {
      expect(await receive({ type: 'teach.save', mapping: m }, 'https://a.example.be/x', d), JSON.stringify(m)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      // The handler checks again whoever calls it.
      expect(await handleTeachRequest({ type: 'teach.save', mapping: m as TeachMapping }, 'https://a.example.be/x', d)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(store.size).toBe(0);
    // A damaged stored value counts as nothing taught.
    store.set(teachKey('a.example.be'), { ...mapping, columns: { number: 'x' } });
    expect(await receive({ type: 'teach.load' }, 'https://a.example.be/x', d)).toEqual({ ok: true });
  });

  it('accepts what teach mode really produces from five clicks, and the generic adapter finds the table with it', async () => {
    const window = new Window({ url: 'https://a.example.be/lijst' });
    const doc = window.document as unknown as Document;
    doc.body.innerHTML = `<table><thead><tr><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th></tr></thead><tbody>
      <tr><td>F-1</td><td>01-02-2026</td><td>Klant</td><td>1.234,50 €</td><td><a href="/docs/F-1.xml">ophalen</a></td></tr></tbody></table>`;
    let taught: TeachMapping | undefined;
    // happy-dom's events are never trusted: the user's clicks are stood for by the injected check.
    new TeachMode(doc, translatorFor('nl'), (m) => (taught = m), () => new Date('2026-11-22T10:00:00Z'), () => true).start();
    const cells = Array.from(doc.querySelectorAll('tbody td'));
    for (const cell of cells.slice(0, 4)) cell.dispatchEvent(new window.MouseEvent('click', { bubbles: true }) as unknown as Event);
    cells[4]!.querySelector('a')!.dispatchEvent(new window.MouseEvent('click', { bubbles: true }) as unknown as Event);
    expect(taught).toBeDefined();
    expect(teachMapping.parse(taught)).toEqual(taught);
    const { deps: d } = deps();
    expect(await receive({ type: 'teach.save', mapping: taught }, 'https://a.example.be/lijst', d)).toEqual({ ok: true });
    const loaded = contentResponse['teach.load'].parse(await receive({ type: 'teach.load' }, 'https://a.example.be/lijst', d));
    expect(createGenericDom(loaded.mapping).detect(doc, new URL('https://a.example.be/lijst'))).toBe('list');
  });
});

describe('storage.local closed to content scripts', () => {
  it('asks for trusted contexts only where the browser supports it, and never throws', async () => {
    const setAccessLevel = vi.fn(async () => undefined);
    expect(await restrictLocalStorage({ setAccessLevel })).toBe('restricted');
    expect(setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
    expect(await restrictLocalStorage({})).toBe('unsupported');
    expect(await restrictLocalStorage(undefined)).toBe('unsupported');
    vi.spyOn(console, 'warn').mockImplementationOnce(() => undefined);
    expect(await restrictLocalStorage({ setAccessLevel: async () => Promise.reject(new Error('only session')) })).toBe('unsupported');
  });

  it('is safe to close: no module a content script bundles uses extension storage', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const resolve = (from: string, spec: string) => {
      const base = path.resolve(path.dirname(from), spec);
      return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    };
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      // Comments may talk about storage; code may not use it.
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      if (/\bstorage\s*\.\s*(local|sync|session|managed|onChanged)\b|\bstorage\s*\[/.test(code)) offenders.push(path.relative(root, file));
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const next = resolve(file, m[1]!);
        if (next && !next.endsWith('.json')) visit(next);
      }
    };
    const entries = fs.readdirSync(path.join(root, 'entrypoints')).filter((f) => f.endsWith('.content.ts'));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const entry of entries) visit(path.join(root, 'entrypoints', entry));
    expect(seen.has(path.join(root, 'lib/extension/content.ts'))).toBe(true);
    expect(seen.has(path.join(root, 'lib/overlay/teach.ts'))).toBe(true);
    expect(offenders).toEqual([]);
  });
});
