import { describe, expect, it } from 'vitest';
import { classOf, defaultRules, readRules, rulesPolicy, statusAllows, dossierRules } from '../../lib/transfer/rules';
import { dueForRun, nextRunAt, previousFullMonth, type ListedDocument } from '../../lib/transfer/schedule';
import { parseDocumentNumber, selectNumberRange, selectPeriod } from '../../lib/transfer/bulk';
import type { PolicyContext } from '../../lib/transfer/engine';

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min, 0, 0);

describe('schedules', () => {
  it('runs nightly at the chosen hour, the next day once it has passed', () => {
    expect(nextRunAt({ type: 'nightly', hour: 2 }, local(2026, 11, 22, 1, 30))).toEqual(local(2026, 11, 22, 2));
    expect(nextRunAt({ type: 'nightly', hour: 2 }, local(2026, 11, 22, 2, 0))).toEqual(local(2026, 11, 23, 2));
    expect(nextRunAt({ type: 'nightly', hour: 23 }, local(2026, 12, 31, 23, 5))).toEqual(local(2027, 1, 1, 23));
    expect(nextRunAt({ type: 'never' }, local(2026, 11, 22))).toBeUndefined();
  });

  it('sends the last full month on the 1st', () => {
    expect(nextRunAt({ type: 'lastMonth' }, local(2026, 11, 22, 10))).toEqual(local(2026, 12, 1, 3));
    expect(nextRunAt({ type: 'lastMonth' }, local(2026, 12, 1, 1))).toEqual(local(2026, 12, 1, 3));
    expect(previousFullMonth(local(2026, 12, 1, 3))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(previousFullMonth(local(2027, 1, 1, 3))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousFullMonth(local(2028, 3, 1, 3))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    const listed: ListedDocument[] = [
      { id: 'a', issueDate: '2026-10-31' },
      { id: 'b', issueDate: '2026-11-01' },
      { id: 'c', issueDate: '2026-11-30' },
      { id: 'd', issueDate: '2026-12-01' },
      { id: 'e' },
    ];
    expect(dueForRun({ type: 'lastMonth' }, local(2026, 12, 1, 3), listed).map((d) => d.id)).toEqual(['b', 'c']);
  });

  it('takes documents N minutes after their creation', () => {
    const at = new Date('2026-11-22T10:00:00Z');
    const listed: ListedDocument[] = [
      { id: 'old', createdAt: '2026-11-22T09:49:00Z' },
      { id: 'edge', createdAt: '2026-11-22T09:50:00Z' },
      { id: 'new', createdAt: '2026-11-22T09:55:00Z' },
      { id: 'unknown' },
    ];
    expect(dueForRun({ type: 'afterCreation', minutes: 10 }, at, listed).map((d) => d.id)).toEqual(['old', 'edge']);
    expect(nextRunAt({ type: 'afterCreation', minutes: 10 }, at)!.getTime() - at.getTime()).toBe(5 * 60_000);
    expect(nextRunAt({ type: 'afterCreation', minutes: 2 }, at)!.getTime() - at.getTime()).toBe(2 * 60_000);
  });
});

describe('rules', () => {
  it('defaults: sales go when sent, purchases wait for approval, no schedule', () => {
    const rules = defaultRules('d1');
    expect(rules.schedule).toEqual({ type: 'never' });
    expect(rules.kinds.purchase.approval).toBe(true);
    expect(rules.kinds.salesInvoice.approval).toBe(false);
    expect(rules.includeAlreadyTransferred).toBe(false);
    expect(dossierRules.safeParse(rules).success).toBe(true);
    // A damaged stored row never blocks: the defaults apply.
    expect(readRules('d1', { dossierId: 'd1', schedule: { type: 'hourly' } })).toEqual(defaultRules('d1'));
    expect(readRules('d1', { ...rules, dossierId: 'other' })).toEqual(defaultRules('d1'));
  });

  it('classifies documents and reads app statuses in the apps’ words', () => {
    expect(classOf({ kind: 'invoice', direction: 'sales' })).toBe('salesInvoice');
    expect(classOf({ kind: 'credit-note', direction: 'sales' })).toBe('salesCreditNote');
    expect(classOf({ kind: 'credit-note', direction: 'purchase' })).toBe('purchase');
    const sent = { auto: true, status: 'sent' as const, approval: false };
    const paid = { auto: true, status: 'paid' as const, approval: false };
    expect(statusAllows(sent, 'Verzonden')).toBe(true);
    expect(statusAllows(sent, 'paid')).toBe(true);
    expect(statusAllows(sent, 'draft')).toBe(false);
    expect(statusAllows(paid, 'sent')).toBe(false);
    expect(statusAllows(paid, 'Betaald')).toBe(true);
    expect(statusAllows({ ...sent, status: 'any' }, undefined)).toBe(true);
  });

  it('lets user sends go, and holds or leaves scheduled ones as the dossier’s rules say', async () => {
    const rules = defaultRules('d1');
    rules.kinds.salesCreditNote.auto = false;
    const policy = rulesPolicy(async () => rules);
    const ctx = (kind: 'invoice' | 'credit-note', direction: 'sales' | 'purchase', item: Partial<PolicyContext['item']>) =>
      ({
        item: { transferId: 't', dossierId: 'd1', documentKey: 'k', dueAt: '', ...item },
        dossier: { id: 'd1' },
        document: { invoice: { kind, direction } },
        transfer: {},
      }) as unknown as PolicyContext;
    expect(await policy(ctx('invoice', 'purchase', {}))).toEqual({ action: 'send' }); // the user's own click
    expect(await policy(ctx('invoice', 'sales', { scheduledFor: 'd1' }))).toEqual({ action: 'send' });
    expect(await policy(ctx('invoice', 'sales', { scheduledFor: 'd2' }))).toEqual({ action: 'drop' });
    expect(await policy(ctx('credit-note', 'sales', { scheduledFor: 'd1' }))).toEqual({ action: 'drop' });
    expect(await policy(ctx('invoice', 'purchase', { scheduledFor: 'd1' }))).toMatchObject({ action: 'hold', code: 'approval' });
    expect(await policy(ctx('invoice', 'purchase', { scheduledFor: 'd1', approved: true }))).toEqual({ action: 'send' });
  });
});

describe('bulk selections', () => {
  it('reads year and running number from the ways apps write them', () => {
    expect(parseDocumentNumber('2026-0001')).toEqual({ year: 2026, sequence: 1 });
    expect(parseDocumentNumber('F2026/12')).toEqual({ year: 2026, sequence: 12 });
    expect(parseDocumentNumber('VF-2026-007')).toEqual({ year: 2026, sequence: 7 });
    expect(parseDocumentNumber('INV/26/0042')).toEqual({ year: 2026, sequence: 42 });
    expect(parseDocumentNumber('0042')).toEqual({ sequence: 42 });
    expect(parseDocumentNumber('draft')).toEqual({});
  });

  it('selects a number range of a year (1 to 10 of 2026) and a period', () => {
    const listed: ListedDocument[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ id: `2026-${String(i + 1).padStart(4, '0')}`, issueDate: `2026-10-${String(i + 1).padStart(2, '0')}` })),
      { id: '2025-0003', issueDate: '2025-12-30' },
      { id: 'x', number: 'F-7', issueDate: '2026-10-20' },
    ];
    const range = selectNumberRange(listed, { year: 2026, from: 1, to: 10 });
    // "F-7" has no year in its number: its issue date tells it.
    const numbered = Array.from({ length: 10 }, (_, i) => `2026-${String(i + 1).padStart(4, '0')}`);
    expect(range.map((d) => d.id)).toEqual([...numbered.slice(0, 7), 'x', ...numbered.slice(7)]);
    expect(selectNumberRange(listed, { year: 2026, from: 7, to: 7 }).map((d) => d.id)).toEqual(['2026-0007', 'x']);
    expect(selectNumberRange(listed, { year: 2025, from: 1, to: 10 }).map((d) => d.id)).toEqual(['2025-0003']);
    expect(selectPeriod(listed, { from: '2026-10-11', to: '2026-10-31' }).map((d) => d.id)).toEqual(['2026-0011', '2026-0012', 'x']);
  });
});
