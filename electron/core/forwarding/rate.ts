// RateMeter: bytes per second over a sliding time window, from samples of a growing byte counter.

export const DEFAULT_RATE_WINDOW_MS = 5_000;

interface Sample {
  at: number;
  total: number;
}

/**
 * Keeps (time, total) samples no older than the window and reports the average rate across
 * them. Sampling is driven by the caller (a periodic Clock tick and each read), so the meter
 * itself holds no timers.
 */
export class RateMeter {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = DEFAULT_RATE_WINDOW_MS) {}

  /** Records the counter's value at `now`. Counters only grow; a smaller value resets the meter. */
  sample(now: number, total: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (total < last.total || now < last.at)) this.samples = [];
    if (last && last.at === now && this.samples.length > 0) {
      last.total = total;
    } else {
      this.samples.push({ at: now, total });
    }
    this.prune(now);
  }

  /** Bytes per second across the window ending at `now` (0 with fewer than two samples). */
  rate(now: number): number {
    this.prune(now);
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    // Nothing recorded since `last`: the counter did not move, so the idle tail counts as zero.
    const span = Math.max(last.at - first.at, Math.min(now - first.at, this.windowMs));
    return ((last.total - first.total) * 1000) / span;
  }

  reset(): void {
    this.samples = [];
  }

  /**
   * Drops samples older than the window but keeps the newest one at or before its start, so the
   * rate always spans the full window once enough history exists.
   */
  private prune(now: number): void {
    const start = now - this.windowMs;
    let firstInside = this.samples.findIndex((s) => s.at >= start);
    if (firstInside === -1) firstInside = this.samples.length;
    const keepFrom = Math.max(0, firstInside - 1);
    if (keepFrom > 0) this.samples = this.samples.slice(keepFrom);
  }
}
