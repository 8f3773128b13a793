import type { Translator } from '../i18n/translator';
import type { DocumentStatus } from '../messaging/protocol';
import type { RowInfo, SiteDomAdapter } from '../sites/types';
import { EditWarning } from './edit-warning';
import { ProgressPanel } from './job-panel';
import type { ProgressPort } from './progress-port';
import { BulkRangeControls } from './range';
import { isUserEvent, type UserEventCheck } from './shadow';

/**
 * The page side of bulk sends: the progress bar of the site's running jobs (./job-panel.ts), the bulk bar's
 * "number range" and "not yet transferred between two dates" sends with their preview (./range.ts), and the warning
 * before the app's edit action on a document already in Octopus (./edit-warning.ts). The worker holds the jobs (they
 * survive restarts), so a reloaded page asks for them again and the bar reappears while a job runs.
 */

export { formatDuration, ProgressPanel } from './job-panel';
export { EditWarning, findEditAction } from './edit-warning';
export { BulkRangeControls, documentsFor, parsePeriod, parseRange } from './range';
export { messagePort, WorkerError, PROGRESS_CSS, type BulkStartAnswer, type PageDocument, type ProgressPort, type RangeOrPeriod } from './progress-port';

/** Everything above for one page; the content script makes one and passes it the overlay's rows and bulk bar. */
export class PageProgress {
  readonly panel: ProgressPanel;
  readonly controls: BulkRangeControls;
  readonly warning: EditWarning;

  constructor(doc: Document, adapter: SiteDomAdapter, port: ProgressPort, t: Translator, rows: () => readonly RowInfo[], isUser: UserEventCheck = isUserEvent) {
    this.panel = new ProgressPanel(doc, port, t, { isUserEvent: isUser });
    this.controls = new BulkRangeControls(doc, rows, port, t, (job) => void this.panel.track(job), undefined, isUser);
    this.warning = new EditWarning(doc, adapter, port, t);
  }

  attachBar(bar: HTMLElement): void {
    this.controls.attach(bar);
    this.panel.placeAfter(bar);
  }

  start(signal?: AbortSignal): void {
    void this.panel.start(signal);
    void this.warning.check();
  }

  onStatus(statuses: readonly DocumentStatus[]): void {
    this.panel.nudge();
    const id = this.warning.documentId();
    if (id && statuses.some((s) => s.documentId === id)) void this.warning.check();
  }
}
