import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, translatorFor } from '../../lib/i18n';
import { toChromeMessages } from '../../lib/i18n/translator';
import { OCTOPUS_MESSAGE_KEYS } from '../../lib/octopus/errors';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const params = (text: string) => [...text.matchAll(/\{(\d)\}/g)].map((m) => m[1]).sort().join(',');

describe('message catalog', () => {
  it('has every message in en, nl and fr, with the same parameters, under Chrome-valid keys', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(CATALOG)) {
      if (!/^[A-Za-z0-9_]+$/.test(key)) problems.push(`${key}: invalid key`);
      for (const locale of ['en', 'nl', 'fr'] as const) {
        if (!entry[locale]?.trim()) problems.push(`${key}: no ${locale}`);
        else if (params(entry[locale]) !== params(entry.en)) problems.push(`${key}: ${locale} params differ from en`);
      }
      if (entry.nl === entry.en && entry.en.length > 12) problems.push(`${key}: nl is the English text`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(CATALOG).length).toBeGreaterThan(80);
  });

  it('knows every Octopus message key and every key the code puts in a LocalizedText', () => {
    for (const key of Object.values(OCTOPUS_MESSAGE_KEYS)) expect(CATALOG, key).toHaveProperty(key);
    const used = new Set<string>();
    for (const dir of ['lib', 'entrypoints', 'components']) {
      for (const file of sourceFiles(join(root, dir))) {
        const source = readFileSync(file, 'utf8');
        for (const m of source.matchAll(/\{\s*key:\s*'([a-z][a-z0-9_]*)'/g)) used.add(m[1]!);
        for (const m of source.matchAll(/\bt\.t\('([a-zA-Z][a-zA-Z0-9_]*)'/g)) used.add(m[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((k) => !(k in CATALOG))).toEqual([]);
  });

  it('fills parameters per language and turns them into Chrome placeholders', () => {
    expect(translatorFor('nl').t('log_booked', ['V1 2026/42'])).toBe('Geboekt in Octopus als V1 2026/42');
    expect(translatorFor('fr').t('octopus_error_journal_open', ['V1'])).toContain('V1');
    const chrome = toChromeMessages({ k: { en: 'Costs {1} $ for {2}', nl: 'x', fr: 'y' } }, 'en') as Record<string, { message: string; placeholders: Record<string, { content: string }> }>;
    expect(chrome.k!.message).toBe('Costs $P1$ $$ for $P2$');
    expect(chrome.k!.placeholders).toEqual({ p1: { content: '$1' }, p2: { content: '$2' } });
  });
});
