import 'fake-indexeddb/auto';
import { ledgerAsOfVersion } from '../support/old-ledger';
import { describe, expect, it, vi } from 'vitest';
import { LedgerDb } from '../../lib/ledger/db';
import { SiteProblemLog, siteProblemKey, type SiteProblemLimits } from '../../lib/ledger/site-problems';
import { contentRequest, pageRequest } from '../../lib/messaging/protocol';
import { logSiteProblem } from '../../lib/extension/site-scripts';
import { handlePageRequest, type SettingsDeps } from '../../lib/extension/settings';

/**
 * The site problem log: what a content script reports about a selector that stopped matching becomes one row
 * per adapter, origin and what, counted, bounded in rows and in writes; the worker's zod schema refuses what is not a
 * plain report, and the origin is always the sender's.
 */

vi.spyOn(console, 'warn').mockImplementation(() => undefined);

let n = 0;
function setup(limits: Partial<SiteProblemLimits> = {}) {
  const db = new LedgerDb(`site-problems-${++n}`);
  let ms = Date.parse('2026-11-22T10:00:00Z');
  const clock = { now: () => new Date(ms) };
  const log = new SiteProblemLog(db, clock, { maxRows: 100, perKeyMs: 60_000, windowMs: 60_000, writesPerWindow: 20, ...limits });
  return { db, log, advance: (by: number) => (ms += by) };
}

const report = (what: string, origin = 'https://erp.example.be', path = '/compta/facture/list.php') => ({ adapter: 'dolibarr', origin, what, path });

describe('the site problem log', () => {
  it('keeps one row per adapter, origin and what, with first and last seen, the count and the last path', async () => {
    const { db, log, advance } = setup();
    expect(await log.record(report('listTable'))).toBe('written');
    advance(61_000);
    expect(await log.record(report('listTable', 'https://erp.example.be', '/compta/facture/list.php?x'))).toBe('written');
    advance(1000);
    await log.record(report('listTable', 'https://other.example.be'));
    advance(1000);
    await log.record(report('rowActions'));
    const rows = await db.siteProblems.toArray();
    expect(rows).toHaveLength(3);
    const row = await db.siteProblems.get(siteProblemKey(report('listTable')));
    expect(row).toMatchObject({
      adapter: 'dolibarr',
      origin: 'https://erp.example.be',
      what: 'listTable',
      count: 2,
      firstSeen: '2026-11-22T10:00:00.000Z',
      lastSeen: '2026-11-22T10:01:01.000Z',
      samplePath: '/compta/facture/list.php?x',
    });
    // Newest first, as the pages show it.
    expect((await log.list()).map((r) => `${r.origin} ${r.what}`)).toEqual([
      'https://erp.example.be rowActions',
      'https://other.example.be listTable',
      'https://erp.example.be listTable',
    ]);
  });

  it('writes a row at most once a minute however often a page reports it, and counts what it held back', async () => {
    const { db, log, advance } = setup();
    const outcomes = [];
    for (let i = 0; i < 50; i++) {
      outcomes.push(await log.record(report('detailActions')));
      advance(100);
    }
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(1);
    expect((await db.siteProblems.get(siteProblemKey(report('detailActions'))))!.count).toBe(1);
    advance(60_000);
    expect(await log.record(report('detailActions'))).toBe('written');
    expect((await db.siteProblems.get(siteProblemKey(report('detailActions'))))!.count).toBe(51);
  });

  it('writes at most so many rows per window, so many different reports cannot flood the database', async () => {
    const { db, log, advance } = setup({ writesPerWindow: 3, perKeyMs: 0 });
    for (let i = 0; i < 10; i++) await log.record(report(`error: failure ${i}`));
    expect(await db.siteProblems.count()).toBe(3);
    advance(60_000);
    // A report held only by the window is written at its next turn, with the one held back.
    expect(await log.record(report('error: failure 5'))).toBe('written');
    expect((await db.siteProblems.get(siteProblemKey(report('error: failure 5'))))!.count).toBe(2);
  });

  it('keeps at most maxRows rows: the one seen longest ago gives way', async () => {
    const { db, log, advance } = setup({ maxRows: 3, perKeyMs: 0 });
    for (const what of ['listTable', 'listRow', 'headerRow', 'rowActions', 'detailRoot']) {
      await log.record(report(what));
      advance(1000);
    }
    expect((await db.siteProblems.toArray()).map((r) => r.what).sort()).toEqual(['detailRoot', 'headerRow', 'rowActions']);
    // Seen again, listTable is new once more; headerRow is now the oldest.
    await log.record(report('listTable'));
    expect((await db.siteProblems.toArray()).map((r) => r.what).sort()).toEqual(['detailRoot', 'listTable', 'rowActions']);
  });

  it('clears the list and what it held in memory (the options page and popup "clear", through the worker)', async () => {
    const { db, log } = setup();
    await log.record(report('listTable'));
    await log.record(report('listTable'));
    const answer = await handlePageRequest(pageRequest.parse({ type: 'siteProblems.clear' }), { db, problems: log } as unknown as SettingsDeps);
    expect(answer).toEqual({ ok: true });
    expect(await db.siteProblems.count()).toBe(0);
    // Nothing held back survives the clear: the next report starts a fresh row of 1.
    expect(await log.record(report('listTable'))).toBe('written');
    expect((await db.siteProblems.toArray())[0]!.count).toBe(1);
  });

  it('adds the table to a version-5 database without touching its data', async () => {
    const name = `site-problems-upgrade-${++n}`;
    const old = ledgerAsOfVersion(name, 5);
    await old.table('settings').put({ key: 'defaultDossierId', value: 'd1' });
    old.close();
    const db = new LedgerDb(name);
    expect(await db.settings.get('defaultDossierId')).toEqual({ key: 'defaultDossierId', value: 'd1' });
    const log = new SiteProblemLog(db, { now: () => new Date('2026-11-22T10:00:00Z') });
    await log.record(report('listRow'));
    expect(db.verno).toBe(9);
    expect(await db.siteProblems.count()).toBe(1);
  });
});

describe('site.problem as the worker receives it', () => {
  const valid = { type: 'site.problem', adapter: 'dolibarr', what: 'listTable', path: '/compta/facture/list.php' };

  it('accepts a plain report and refuses what is long, odd or not a path', () => {
    expect(contentRequest.safeParse(valid).success).toBe(true);
    expect(contentRequest.safeParse({ ...valid, what: 'error: x'.padEnd(200, 'x') }).success).toBe(true);
    for (const bad of [
      { ...valid, what: 'x'.repeat(201) },
      { ...valid, what: '' },
      { ...valid, what: 'listTable\nforged line' },
      { ...valid, path: `/${'a'.repeat(200)}` },
      { ...valid, path: 'https://evil.example/x' },
      { ...valid, path: '/a b' },
      { ...valid, adapter: 'Dolibarr' },
      { ...valid, adapter: 'a'.repeat(41) },
      { ...valid, adapter: undefined },
      { ...valid, what: 42 },
    ]) {
      expect(contentRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('logs under the origin of the sender, never one the message names, and only for web pages', async () => {
    const { db, log } = setup();
    const parsed = contentRequest.parse({ ...valid, origin: 'https://victim.example' });
    expect(parsed).not.toHaveProperty('origin');
    if (parsed.type !== 'site.problem') throw new Error('parsed as another message');
    expect(await logSiteProblem(parsed, 'https://erp.example.be/compta/facture/list.php?sortfield=x', log)).toEqual({ ok: true, outcome: 'written' });
    expect((await db.siteProblems.toArray()).map((r) => r.origin)).toEqual(['https://erp.example.be']);
    expect(await logSiteProblem(parsed, 'chrome-extension://abcdef/popup.html', log)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await db.siteProblems.count()).toBe(1);
  });
});
