// A concurrency limit that adapts to throttling, for API calls made in bulk (the inventory's
// thousands of calls over 100 accounts x 17 regions): a call refused as throttled halves the
// number of calls allowed at once and is retried after a growing, jittered delay; every `limit`
// calls that succeed in a row allow one more, up to the maximum (additive increase,
// multiplicative decrease, as AWS's adaptive retry mode does with its send rate).

import type { Clock } from './clock';

export interface BackoffEvent {
  /** Calls allowed at once after this throttle. */
  readonly limit: number;
  /** How long the throttled call waits before its next try. */
  readonly delayMs: number;
  /** The try that was throttled, from 1. */
  readonly attempt: number;
}

export interface AdaptiveLimiterOptions {
  readonly clock: Clock;
  /** Calls at once when nothing is throttled. */
  readonly max: number;
  /** Whether an error is a throttling refusal (retried) rather than a failure (passed on). */
  readonly isThrottle: (error: unknown) => boolean;
  /** First retry delay (default 250 ms), doubled per try up to maxDelayMs (default 20 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Tries per call, the first included (default 8); the last throttle is passed on. */
  readonly maxAttempts?: number;
  /** 0..1; default Math.random. */
  readonly random?: () => number;
  readonly onBackoff?: (event: BackoffEvent) => void;
}

export interface AdaptiveLimiter {
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Calls allowed at once now. */
  readonly limit: number;
}

export function createAdaptiveLimiter(options: AdaptiveLimiterOptions): AdaptiveLimiter {
  const { clock, max, isThrottle } = options;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`a concurrency limit must be a whole number of at least 1, got ${max}`);
  }
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const random = options.random ?? Math.random;
  let limit = max;
  let active = 0;
  let successes = 0;
  const waiting: (() => void)[] = [];

  const acquire = (): Promise<void> => {
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  /** Hands the place to the next waiting call while the limit has room for it, else frees it. */
  const release = () => {
    const next = active <= limit ? waiting.shift() : undefined;
    if (next) next();
    else active--;
  };
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      clock.setTimeout(resolve, ms);
    });

  async function run<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await acquire();
      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await call() };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        release();
      }
      if (outcome.ok) {
        if (++successes >= limit && limit < max) {
          limit++;
          successes = 0;
        }
        return outcome.value;
      }
      if (!isThrottle(outcome.error) || attempt >= maxAttempts) throw outcome.error;
      limit = Math.max(1, Math.floor(limit / 2));
      successes = 0;
      // Jittered over the upper half of the delay, so throttled callers do not come back in step.
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      const waited = wait(delayMs);
      options.onBackoff?.({ limit, delayMs, attempt });
      await waited;
    }
  }

  return {
    run,
    get limit() {
      return limit;
    },
  };
}
