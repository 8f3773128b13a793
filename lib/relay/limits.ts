/**
 * What keeps one token, or many clients at once, from exhausting the relay: a rate per token (a token
 * bucket: `burst` mails at once, then `perMinute`), and a global cap on sends in progress and on the
 * bytes of the messages they hold in memory. Over a limit the request is refused before its body is
 * read, with the time after which trying again makes sense.
 */

export interface RelayLimits {
  /** Default mails per minute per token (an entry may set its own). */
  perMinute: number;
  /** Default burst per token. */
  burst: number;
  /** Sends (body read + SMTP exchange) in progress at once, over all tokens. */
  maxConcurrent: number;
  /** Sum of the message sizes of the sends in progress; at least the largest message. */
  maxInFlightBytes: number;
}

export const DEFAULT_LIMITS: Omit<RelayLimits, 'maxInFlightBytes'> = { perMinute: 30, burst: 10, maxConcurrent: 4 };

/** Per key (a token's name) token buckets. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one mail from the key's bucket: 0 when allowed, else the ms until one is free. */
  take(key: string, perMinute: number, burst: number): number {
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.ceil((1 - tokens) / perMs);
  }
}

/** The global admission of sends: a slot and its bytes, given back when the send ends. */
export class Admission {
  private sends = 0;
  private bytes = 0;
  constructor(private readonly limits: Pick<RelayLimits, 'maxConcurrent' | 'maxInFlightBytes'>) {}

  /** A release function, or why not: too many sends, or too many bytes in flight. */
  enter(size: number): { release: () => void } | { refused: 'concurrency' | 'bytes' } {
    if (this.sends >= this.limits.maxConcurrent) return { refused: 'concurrency' };
    if (this.bytes + size > this.limits.maxInFlightBytes) return { refused: 'bytes' };
    this.sends += 1;
    this.bytes += size;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.sends -= 1;
        this.bytes -= size;
      },
    };
  }

  get inFlight(): { sends: number; bytes: number } {
    return { sends: this.sends, bytes: this.bytes };
  }
}
