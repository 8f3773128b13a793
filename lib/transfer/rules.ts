import { z } from 'zod';
import type { Invoice } from '../model/invoice';
import type { PolicyContext, PolicyDecision } from './engine';

/** The three kinds of document an accountant sets apart. */
export const documentClass = z.enum(['salesInvoice', 'salesCreditNote', 'purchase']);
export type DocumentClass = z.infer<typeof documentClass>;
export const DOCUMENT_CLASSES: readonly DocumentClass[] = documentClass.options;

/** The app status a document must have reached before it goes by itself ('any': as soon as it is final). */
export const appStatus = z.enum(['any', 'sent', 'paid']);
export type AppStatus = z.infer<typeof appStatus>;

export const kindRule = z.object({
  /** Goes by itself on the dossier's schedule. */
  auto: z.boolean(),
  status: appStatus,
  /** Waits for the entrepreneur's approval before it goes (incoming purchase documents by default). */
  approval: z.boolean(),
});
export type KindRule = z.infer<typeof kindRule>;

/**
 * When the automatic transfers run: never (the default); nightly at an hour; the last full month on the 1st
 * (eFactori-style monthly batch); N minutes after the document was created (Billit's "10 minutes after creation").
 */
export const schedule = z.discriminatedUnion('type', [
  z.object({ type: z.literal('never') }),
  z.object({ type: z.literal('nightly'), hour: z.number().int().min(0).max(23) }),
  z.object({ type: z.literal('lastMonth') }),
  z.object({ type: z.literal('afterCreation'), minutes: z.number().int().min(1).max(7 * 24 * 60) }),
]);
export type Schedule = z.infer<typeof schedule>;

export const dossierRules = z.object({
  dossierId: z.string().min(1),
  kinds: z.object({ salesInvoice: kindRule, salesCreditNote: kindRule, purchase: kindRule }),
  schedule,
  /** Scheduled runs send again what was already transferred (normally skipped). */
  includeAlreadyTransferred: z.boolean(),
  /** The page warns before a transferred document is edited in the app. */
  warnEditAfterExport: z.boolean(),
});
export type DossierRules = z.infer<typeof dossierRules>;

export function defaultRules(dossierId: string): DossierRules {
  return {
    dossierId,
    kinds: {
      salesInvoice: { auto: true, status: 'sent', approval: false },
      salesCreditNote: { auto: true, status: 'sent', approval: false },
      purchase: { auto: true, status: 'any', approval: true },
    },
    schedule: { type: 'never' },
    includeAlreadyTransferred: false,
    warnEditAfterExport: true,
  };
}

export const rulesKey = (dossierId: string) => `rules:${dossierId}`;

/** Stored rules, or the defaults when none (or unreadable ones: a bad row never blocks sending). */
export function readRules(dossierId: string, stored: unknown): DossierRules {
  const parsed = dossierRules.safeParse(stored);
  return parsed.success && parsed.data.dossierId === dossierId ? parsed.data : defaultRules(dossierId);
}

export function classOf(invoice: Pick<Invoice, 'kind' | 'direction'>): DocumentClass {
  if (invoice.direction === 'purchase') return 'purchase';
  return invoice.kind === 'credit-note' ? 'salesCreditNote' : 'salesInvoice';
}

/** Does the app status satisfy the rule? Paid implies sent; an unknown status only satisfies 'any'. */
export function statusAllows(rule: KindRule, status: string | undefined): boolean {
  if (rule.status === 'any') return true;
  const s = (status ?? '').toLowerCase();
  const paid = /paid|betaald|pay[ée]e?/.test(s);
  if (rule.status === 'paid') return paid;
  return paid || /sent|verzonden|envoy|overdue|vervallen|[ée]chu|open|final|validated/.test(s);
}

/**
 * The engine's policy: a document the user sent (click, selection, bulk) is their decision and goes. A document a
 * scheduled run queued goes only if it routes to that run's dossier, its kind goes automatically there, and it
 * needs no approval (or was approved); otherwise it waits for approval or is left alone.
 */
export function rulesPolicy(load: (dossierId: string) => Promise<DossierRules>) {
  return async ({ item, dossier, document }: PolicyContext): Promise<PolicyDecision> => {
    if (!item.scheduledFor) return { action: 'send' };
    if (item.scheduledFor !== dossier.id) return { action: 'drop' };
    const rules = await load(dossier.id);
    const kind = classOf(document.invoice);
    const rule = rules.kinds[kind];
    if (!rule.auto) return { action: 'drop' };
    if (rule.approval && !item.approved) {
      return { action: 'hold', text: { key: 'engine_awaiting_approval', params: [] }, code: 'approval' };
    }
    return { action: 'send' };
  };
}
