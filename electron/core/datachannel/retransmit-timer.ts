// RetransmitTimer: the channel's one retransmission timer, due one RTO after the oldest unacked
// send or after the timer's last restart, whichever is later (RFC 6298 5.3, 5.6).

import type { Clock, TimerHandle } from '../base/clock';
import type { RtoEstimator } from './rto-estimator';

/** Absorbs fractional RTOs and timers firing a bit early. */
const RETRANSMIT_TOLERANCE_MS = 1;

/** What the timer needs of an unacked send. */
export interface TimedSend {
  readonly lastSentAt: number;
}

export class RetransmitTimer {
  private timer: TimerHandle | undefined;
  private dueAt = 0;
  /** Last new ack or RTO expiry: the timer restarts from it. */
  private restartedAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rto: RtoEstimator,
    private readonly onExpiry: () => void,
  ) {}

  /** Whether `oldest` (the oldest unacked send) is due now. */
  isDue(oldest: TimedSend, now: number): boolean {
    return this.dueFor(oldest) <= now + RETRANSMIT_TOLERANCE_MS;
  }

  /** Whether a send made at `lastSentAt` has waited a whole `rtoMs` by `now`. */
  static isOverdue(send: TimedSend, rtoMs: number, now: number): boolean {
    return send.lastSentAt + rtoMs <= now + RETRANSMIT_TOLERANCE_MS;
  }

  /** Counts the wait from `now` (a new ack or an expiry) instead of the oldest send. */
  restart(now: number): void {
    this.restartedAt = now;
  }

  /**
   * Runs the timer for `oldest`. A timer already due earlier is kept: it re-checks when it fires,
   * which keeps acks free of timer churn.
   */
  arm(oldest: TimedSend): void {
    const dueAt = this.dueFor(oldest);
    if (this.timer && this.dueAt <= dueAt) return;
    this.cancel();
    this.dueAt = dueAt;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.onExpiry();
      },
      // Whole milliseconds, at least 1: real timers fire in whole ms and a 0 ms re-arm could spin.
      Math.max(1, Math.ceil(dueAt - this.clock.now())),
    );
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private dueFor(oldest: TimedSend): number {
    return Math.max(oldest.lastSentAt, this.restartedAt) + this.rto.timeoutMs;
  }
}
