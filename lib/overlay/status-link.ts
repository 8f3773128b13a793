import type { DocumentStatus } from '../messaging/protocol';

/**
 * The overlay's live status connection to the worker, and when to let it go.
 *
 * An open port keeps an MV3 worker alive, and a reconnect wakes a stopped one: a page left open with a port that
 * reconnects every second would keep the worker running for as long as the tab lives. So:
 * - a port the worker dropped (it was stopped) is reopened after 1 s, then 2, 4 … up to a minute while it keeps
 *   dropping; a good status message resets the wait to 1 s;
 * - the port is let go (resting) once the page has been quiet for a while: no send, no status question and no status
 *   message for two minutes, ten while documents of this page are still queued or sending (their pushes are what the
 *   user waits for), thirty seconds while the tab is hidden;
 * - the page reopens it the moment it needs it again (a send, a status question, the tab shown again) and then asks
 *   for the statuses it may have missed while resting (onResume).
 * Nothing here touches the browser: the port, the timers, the clock and the tab's visibility come in as deps.
 */

export interface LinkPort {
  onMessage(listener: (raw: unknown) => void): void;
  onDisconnect(listener: () => void): void;
  disconnect(): void;
}

export interface StatusLinkDeps {
  open(): LinkPort;
  /** The statuses of a well-formed push (handed on to the page), or undefined for anything else. */
  receive(raw: unknown): DocumentStatus[] | undefined;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  now(): number;
  hidden(): boolean;
  /** The link was resting and is open again: ask for what changed meanwhile. */
  onResume?(): void;
}

export const LINK_TIMING = {
  firstRetryMs: 1_000,
  maxRetryMs: 60_000,
  idleMs: 2 * 60_000,
  pendingIdleMs: 10 * 60_000,
  hiddenIdleMs: 30_000,
};

const PENDING_STATES = new Set<DocumentStatus['state']>(['queued', 'sending']);

export type LinkState = 'open' | 'retrying' | 'resting' | 'stopped';

export class StatusLink {
  private port: LinkPort | undefined;
  private retryMs: number;
  private retryTimer: unknown;
  private idleTimer: unknown;
  private lastActivity = 0;
  private resting = false;
  private stopped = false;
  private readonly pending = new Set<string>();

  constructor(
    private readonly deps: StatusLinkDeps,
    private readonly timing: typeof LINK_TIMING = LINK_TIMING,
  ) {
    this.retryMs = timing.firstRetryMs;
  }

  get state(): LinkState {
    if (this.stopped) return 'stopped';
    if (this.port) return 'open';
    return this.resting ? 'resting' : 'retrying';
  }

  /** The wait before the next reopen after the worker drops the port. */
  get nextRetryMs(): number {
    return this.retryMs;
  }

  start(): void {
    this.lastActivity = this.deps.now();
    this.open();
  }

  /** The page needs live updates (a send, a status question, the tab shown again): reopen at once if let go. */
  need(): void {
    if (this.stopped) return;
    this.lastActivity = this.deps.now();
    if (!this.port) {
      const wasResting = this.resting;
      this.resting = false;
      this.clearRetry();
      this.retryMs = this.timing.firstRetryMs;
      this.open();
      if (wasResting) this.deps.onResume?.();
      return;
    }
    this.armIdle();
  }

  /** Statuses the page learnt (pushed or asked for): queued or sending ones keep the link longer. */
  track(statuses: readonly DocumentStatus[]): void {
    for (const s of statuses) {
      if (PENDING_STATES.has(s.state)) this.pending.add(s.documentId);
      else this.pending.delete(s.documentId);
    }
  }

  /** Documents just handed to the worker: their statuses will follow. */
  expect(documentIds: readonly string[]): void {
    for (const id of documentIds) this.pending.add(id);
    this.need();
  }

  /** The tab was shown or hidden. */
  visibilityChanged(): void {
    if (!this.deps.hidden()) this.need();
    else {
      this.lastActivity = this.deps.now();
      this.armIdle();
    }
  }

  /** For good (the content script was invalidated). */
  stop(): void {
    this.stopped = true;
    this.clearRetry();
    this.deps.clearTimeout(this.idleTimer);
    this.drop();
  }

  private open(): void {
    const port = this.deps.open();
    this.port = port;
    port.onMessage((raw) => {
      const statuses = this.deps.receive(raw);
      if (!statuses) return;
      this.retryMs = this.timing.firstRetryMs;
      this.lastActivity = this.deps.now();
      this.track(statuses);
    });
    port.onDisconnect(() => {
      if (this.port !== port) return;
      // The worker was stopped (or restarted): reopen later, unless the page has gone quiet.
      this.port = undefined;
      if (this.stopped || this.resting) return;
      if (this.quietFor() <= 0) {
        this.rest();
        return;
      }
      const wait = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, this.timing.maxRetryMs);
      this.retryTimer = this.deps.setTimeout(() => {
        this.retryTimer = undefined;
        if (!this.stopped && !this.resting && !this.port) this.open();
      }, wait);
    });
    this.armIdle();
  }

  /** How long the link may still stay without news (≤ 0: let it go). */
  private quietFor(): number {
    const limit = this.deps.hidden() ? this.timing.hiddenIdleMs : this.pending.size > 0 ? this.timing.pendingIdleMs : this.timing.idleMs;
    return this.lastActivity + limit - this.deps.now();
  }

  private armIdle(): void {
    this.deps.clearTimeout(this.idleTimer);
    if (this.stopped || this.resting) return;
    this.idleTimer = this.deps.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.quietFor() <= 0) this.rest();
      else this.armIdle();
    }, Math.max(this.quietFor(), 0) + 1);
  }

  private rest(): void {
    this.resting = true;
    this.clearRetry();
    this.deps.clearTimeout(this.idleTimer);
    this.drop();
  }

  private drop(): void {
    const port = this.port;
    this.port = undefined;
    try {
      port?.disconnect();
    } catch {
      /* already gone */
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) this.deps.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
