import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_TIMING, StatusLink, type LinkPort } from '../../lib/overlay/status-link';
import type { DocumentStatus } from '../../lib/messaging/protocol';

/** The worker's end of the ports: what was opened, and a way to push to or drop the newest. */
function fakeWorker() {
  const ports: { message?: (raw: unknown) => void; disconnect?: () => void; closedByPage: boolean }[] = [];
  return {
    ports,
    open(): LinkPort {
      const port: (typeof ports)[number] = { closedByPage: false };
      ports.push(port);
      return {
        onMessage: (l) => (port.message = l),
        onDisconnect: (l) => (port.disconnect = l),
        disconnect: () => (port.closedByPage = true),
      };
    },
    /** The worker stops: Chrome disconnects the page's port. */
    stop() {
      ports.at(-1)!.disconnect!();
    },
    push(statuses: DocumentStatus[]) {
      ports.at(-1)!.message!({ type: 'status.changed', statuses });
    },
  };
}

const status = (documentId: string, state: DocumentStatus['state']): DocumentStatus => ({ documentId, state, updatedAt: '2026-11-22T10:00:00Z' });

describe('the overlay\'s status link', () => {
  let hidden = false;
  let resumed = 0;
  let worker: ReturnType<typeof fakeWorker>;
  let link: StatusLink;

  beforeEach(() => {
    vi.useFakeTimers();
    hidden = false;
    resumed = 0;
    worker = fakeWorker();
    link = new StatusLink({
      open: () => worker.open(),
      receive: (raw) => ((raw as { type?: string }).type === 'status.changed' ? (raw as { statuses: DocumentStatus[] }).statuses : undefined),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
      hidden: () => hidden,
      onResume: () => (resumed += 1),
    });
    link.start();
  });
  afterEach(() => {
    link.stop();
    vi.useRealTimers();
  });

  it('reopens after 1 s, then waits twice as long each time the worker drops it, up to a minute', () => {
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Keep the page busy so the link is wanted all along.
      link.expect(['a']);
      const opened = worker.ports.length;
      worker.stop();
      expect(link.state).toBe('retrying');
      let waited = 0;
      while (worker.ports.length === opened) {
        vi.advanceTimersByTime(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('starts again from 1 s after a good message', () => {
    for (let i = 0; i < 4; i++) {
      const wait = link.nextRetryMs;
      worker.stop();
      vi.advanceTimersByTime(wait);
    }
    expect(worker.ports).toHaveLength(5);
    expect(link.nextRetryMs).toBe(16_000);
    worker.ports.at(-1)!.message!({ type: 'junk' });
    expect(link.nextRetryMs).toBe(16_000);
    worker.push([status('a', 'sent')]);
    expect(link.nextRetryMs).toBe(1_000);
  });

  it('lets the port go when the page is quiet, so the worker can stop, and reopens when the page needs it', () => {
    expect(worker.ports).toHaveLength(1);
    vi.advanceTimersByTime(LINK_TIMING.idleMs + 10);
    expect(link.state).toBe('resting');
    expect(worker.ports[0]!.closedByPage).toBe(true);
    // Resting: no reconnect, however long the tab stays open.
    vi.advanceTimersByTime(60 * 60_000);
    expect(worker.ports).toHaveLength(1);
    link.need();
    expect(link.state).toBe('open');
    expect(worker.ports).toHaveLength(2);
    expect(resumed).toBe(1);
  });

  it('does not wake a worker that stopped while the page was quiet', () => {
    vi.advanceTimersByTime(LINK_TIMING.idleMs - 1_000);
    worker.stop();
    vi.advanceTimersByTime(1_000);
    // Reopened once (still within the quiet limit), then the limit passes and it rests.
    expect(worker.ports).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(link.state).toBe('resting');
    worker.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(worker.ports).toHaveLength(2);
  });

  it('keeps the port longer while the page\'s documents are queued or sending, and briefly in a hidden tab', () => {
    link.expect(['a']);
    vi.advanceTimersByTime(LINK_TIMING.idleMs + 10);
    expect(link.state).toBe('open');
    worker.push([status('a', 'sending')]);
    vi.advanceTimersByTime(LINK_TIMING.pendingIdleMs - 1_000);
    expect(link.state).toBe('open');
    vi.advanceTimersByTime(2_000);
    expect(link.state).toBe('resting');
    // Shown again: reopened, and the page asks for what it missed.
    link.need();
    worker.push([status('a', 'sent')]);
    hidden = true;
    link.visibilityChanged();
    vi.advanceTimersByTime(LINK_TIMING.hiddenIdleMs + 10);
    expect(link.state).toBe('resting');
    hidden = false;
    link.visibilityChanged();
    expect(link.state).toBe('open');
    expect(resumed).toBe(2);
  });
});
