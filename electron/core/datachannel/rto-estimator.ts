// RtoEstimator: the retransmission timeout, estimated from round trips (datachannel/README.md §4.4)
// and backed off on consecutive expiries as TCP does.

/** RTO parameters from datachannel/README.md §4.4 (both client and agent use the same). */
export const RetransmitDefaults = {
  initialRtoMs: 200,
  initialRttMs: 100,
  initialRttVarMs: 0,
  alpha: 1 / 8,
  beta: 1 / 4,
  clockGranularityMs: 10,
  maxRtoMs: 1000,
} as const;

/**
 * Consecutive expiries double the RTO up to this cap (RFC 6298 5.5). The protocol's 1 s cap bounds
 * the measured RTO; backing off above it lets a peer whose real round trip exceeds 1 s (CPU
 * contention, deep queues) catch up instead of being flooded with duplicates.
 */
export const MAX_BACKOFF_RTO_MS = 4000;

export class RtoEstimator {
  private rtt: number = RetransmitDefaults.initialRttMs;
  private rttVar: number = RetransmitDefaults.initialRttVarMs;
  private rto: number = RetransmitDefaults.initialRtoMs;
  /** Consecutive RTO expiries without a new ack; the effective RTO is rto * 2^backoff. */
  private backoff = 0;

  /** The estimate from round trips alone, without backoff (at most 1 s). */
  get estimateMs(): number {
    return this.rto;
  }

  /** The RTO in force: the estimate with backoff applied; at most MAX_BACKOFF_RTO_MS once backed off. */
  get timeoutMs(): number {
    if (this.backoff === 0) return this.rto;
    return Math.min(MAX_BACKOFF_RTO_MS, Math.max(this.rto, this.rto * 2 ** this.backoff));
  }

  /**
   * Jacobson/Karels as in datachannel/README.md §4.4, sampled from the send time. Unlike the Go code,
   * callers do not sample retransmitted messages (Karn): their ack may answer an earlier copy.
   */
  sample(roundTripMs: number): void {
    const { alpha, beta, clockGranularityMs, maxRtoMs } = RetransmitDefaults;
    const r = Math.max(0, roundTripMs);
    this.rttVar = (1 - beta) * this.rttVar + beta * Math.abs(this.rtt - r);
    this.rtt = (1 - alpha) * this.rtt + alpha * r;
    this.rto = Math.min(maxRtoMs, this.rtt + Math.max(clockGranularityMs, 4 * this.rttVar));
  }

  /** The timer expired without a new ack: double the timeout, unless it is already at the cap. */
  backOff(): void {
    if (this.timeoutMs < MAX_BACKOFF_RTO_MS) this.backoff++;
  }

  /** A new ack, or a new connection whose history starts afresh: back to the plain estimate. */
  resetBackoff(): void {
    this.backoff = 0;
  }
}
