import { z } from 'zod';
import { localizedText, type LocalizedText, type OctopusReference } from '../model/transfer';
import type { BulkProgress } from '../transfer/bulk';
import type { ListedDocument } from '../sites/types';

/**
 * What the page side of bulk sends asks the worker (lib/overlay/progress.ts), the types it exchanges, and the style
 * sheet its light-DOM boxes share. The worker holds the jobs; the page only asks about its own site.
 */

export type RangeOrPeriod = { type: 'range'; year: number; from: number; to: number } | { type: 'period'; from: string; to: string };
export type PageDocument = Pick<ListedDocument, 'id' | 'number' | 'issueDate'>;

/**
 * The worker's answer to a range or period send: the job it started, or that the filter took nothing; `scope` says
 * whether it read the app's whole list ('app') or only had this page's rows ('page': the adapter cannot list).
 */
export type BulkStartAnswer = { outcome: 'started'; job: BulkProgress; scope: 'app' | 'page' } | { outcome: 'none'; scope: 'app' | 'page' };

/** What a range or period send would take (lib/transfer/bulk-plan.ts), as the page shows it before the user confirms. */
const previewDocument = z.object({ id: z.string().max(100), number: z.string().max(100).optional(), issueDate: z.string().max(10).optional() });
export const bulkPreview = z.object({
  scope: z.enum(['app', 'page']),
  goCount: z.number().int().min(0),
  go: z.array(previewDocument).max(1000),
  skippedCount: z.number().int().min(0),
  skipped: z.array(previewDocument.extend({ reason: localizedText })).max(1000),
});
export type BulkPreview = z.infer<typeof bulkPreview>;

/** A worker's refusal, with its message in the reader's language when it has one (e.g. the app's list could not be read). */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly text?: LocalizedText,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** What this module needs from the worker, all about the page's own site (the worker takes the site from the sender). */
export interface ProgressPort {
  progress(): Promise<BulkProgress[]>;
  cancel(jobId: string): Promise<void>;
  /** What a start with the same request would take and skip, and why; queues nothing. */
  preview(documents: PageDocument[], filter: RangeOrPeriod): Promise<BulkPreview>;
  start(documents: PageDocument[], filter: RangeOrPeriod): Promise<BulkStartAnswer>;
  warnEdit(documentId: string): Promise<{ warn: boolean; reference?: OctopusReference }>;
}

export const PREFIX = 'octobridge';

export const PROGRESS_CSS = `
.${PREFIX}-progress{display:grid;gap:6px;margin:6px 0;font:13px/1.4 sans-serif;color:#1b2b26}
.${PREFIX}-progress-floating{position:fixed;right:12px;bottom:12px;z-index:2147483646;width:22em;max-width:calc(100vw - 24px)}
.${PREFIX}-job{padding:6px 10px;border:1px solid #cfe3dc;border-radius:6px;background:#f1f8f5}
.${PREFIX}-job-head{display:flex;gap:8px;align-items:center}
.${PREFIX}-job-head strong{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.${PREFIX}-job progress{width:100%;height:8px;margin:4px 0}
.${PREFIX}-job-failed{color:#b3261e}
.${PREFIX}-bulk-more{display:inline-flex;gap:6px;align-items:center;flex-wrap:wrap}
.${PREFIX}-bulk-more details{display:inline-block}
.${PREFIX}-bulk-more summary{cursor:pointer;color:#1f6f5c}
.${PREFIX}-bulk-more label{display:inline-flex;gap:3px;align-items:center;margin-right:4px}
.${PREFIX}-bulk-more input[type=number]{width:5.5em}
octobridge-message.${PREFIX}-bulk-message{font-size:12px;display:inline-block}
.${PREFIX}-edit-warning{margin:8px 0;padding:8px 12px;border:1px solid #e8c66a;border-left:4px solid #d99a00;border-radius:4px;background:#fff8e1;color:#5c4400;font-size:13px;line-height:1.4}
`;

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}) {
  const node = doc.createElement(tag);
  Object.assign(node, props);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function addStyle(doc: Document) {
  if (doc.getElementById(`${PREFIX}-progress-style`)) return;
  doc.head.append(el(doc, 'style', { id: `${PREFIX}-progress-style`, textContent: PROGRESS_CSS }));
}

// --- Wiring -------------------------------------------------------------------------------------------------

interface Answer {
  ok?: boolean;
  jobs?: BulkProgress[];
  job?: BulkProgress;
  warn?: boolean;
  reference?: OctopusReference;
  outcome?: string;
  scope?: string;
  error?: { message?: string; text?: LocalizedText };
}

/** The port over runtime messages (injected: the content script passes browser.runtime.sendMessage). */
export function messagePort(sendMessage: (message: unknown) => Promise<unknown>, adapterId: string): ProgressPort {
  const ask = async (message: Record<string, unknown>): Promise<Answer> => {
    const answer = (await sendMessage(message)) as Answer | undefined;
    if (!answer?.ok) {
      const text = answer?.error?.text;
      const usable = text && typeof text.key === 'string' && Array.isArray(text.params) && text.params.every((p) => typeof p === 'string');
      throw new WorkerError(answer?.error?.message ?? 'no answer', usable ? { key: text.key, params: text.params } : undefined);
    }
    return answer;
  };
  return {
    async progress() {
      const answer = await ask({ type: 'bulk.progress' });
      return Array.isArray(answer.jobs) ? answer.jobs.filter((j): j is BulkProgress => Boolean(j && typeof j.jobId === 'string')) : [];
    },
    async cancel(jobId) {
      await ask({ type: 'bulk.cancel', jobId });
    },
    async preview(documents, filter) {
      const answer = await ask({ type: 'bulk.preview', documents, filter, adapter: adapterId });
      const parsed = bulkPreview.safeParse(answer);
      if (!parsed.success) throw new Error('bad preview');
      return parsed.data;
    },
    async start(documents, filter) {
      const answer = await ask({ type: 'bulk.start', documents, filter, adapter: adapterId });
      // Anything but the worker's word that it read the app's list counts as this page's rows only.
      const scope = answer.scope === 'app' ? 'app' : 'page';
      if (answer.outcome === 'none') return { outcome: 'none', scope };
      if (!answer.job || typeof answer.job.jobId !== 'string') throw new Error('no job');
      return { outcome: 'started', job: answer.job, scope };
    },
    async warnEdit(documentId) {
      const answer = await ask({ type: 'document.warnEdit', documentId, adapter: adapterId });
      return { warn: answer.warn === true, ...(answer.reference ? { reference: answer.reference } : {}) };
    },
  };
}

