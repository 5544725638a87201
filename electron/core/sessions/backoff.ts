// Reconnect delays: exponential backoff with jitter, capped, retried without an attempt limit.

export interface BackoffOptions {
  /** First delay's upper bound in ms (default 100). */
  initialDelayMs?: number;
  /** Cap on any delay in ms (default 10 000). */
  maxDelayMs?: number;
  /** Uniform random number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * "Equal jitter": each delay is half the exponential step plus a random part of the other half,
 * so concurrent clients spread out but no delay collapses to zero. Unlike the official client
 * (which resets to the initial delay after 5 s and gives up after 5 retries, datachannel/README.md §7.3) the delay
 * grows to the cap and stays there; the caller decides when to stop.
 */
export class Backoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialDelayMs = Math.max(1, options.initialDelayMs ?? 100);
    this.maxDelayMs = Math.max(this.initialDelayMs, options.maxDelayMs ?? 10_000);
    this.random = options.random ?? Math.random;
  }

  /** Number of delays handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The next delay in ms. */
  next(): number {
    // 2^30 already exceeds any sane cap; clamping the exponent avoids Infinity.
    const step = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const half = step / 2;
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(half + r * half);
  }

  reset(): void {
    this.attempt = 0;
  }
}
