import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, translatorFor } from '../../lib/i18n';
import { browserTranslator, toChromeMessages } from '../../lib/i18n/translator';
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

describe('messages that name other messages ("@key" parameters)', () => {
  const noCode = { key: 'octopus_error_no_vat_code', params: ['@vat_category_K', '0', '@vat_side_sales'] };

  it('are translated whole in the reader language, with no English fragment in nl and fr', () => {
    const nl = translatorFor('nl').t(noCode.key, noCode.params);
    const fr = translatorFor('fr').t(noCode.key, noCode.params);
    expect(nl).toContain('geen btw-code (verkopen) voor 0 % intracommunautaire levering');
    expect(fr).toContain('pas de code TVA (ventes) pour 0 % livraison intracommunautaire');
    for (const text of [nl, fr]) expect(text).not.toMatch(/\b(sales|purchases|supply|K:0)\b|@/);
    expect(translatorFor('en').t(noCode.key, noCode.params)).toContain('no sales VAT code for 0 % intra-community supply');
  });

  it('the same through Chrome messages (what the extension pages use)', () => {
    for (const locale of ['nl', 'fr'] as const) {
      const messages = toChromeMessages(CATALOG, locale) as Record<string, { message: string }>;
      // chrome.i18n.getMessage as Chrome implements it for our placeholders: $P1$ → the first substitution.
      const getMessage = (key: string, subs: string[] = []) => messages[key]?.message.replace(/\$P(\d)\$/g, (_, n: string) => subs[Number(n) - 1] ?? '').replace(/\$\$/g, '$') ?? '';
      const viaBrowser = browserTranslator(getMessage).t(noCode.key, noCode.params);
      expect(viaBrowser).toBe(translatorFor(locale).t(noCode.key, noCode.params));
    }
  });

  it('a parameter that only looks like a key, or names none, stays as it is', () => {
    expect(translatorFor('nl').t('octopus_error_no_vat_code', ['@nothing_here', '5', '@Vat_Side_Sales'])).toContain('(@Vat_Side_Sales) voor 5 % @nothing_here');
  });
});
