// CancellableWaits: Clock-based waits that a session cuts short when it ends, so no timer or
// pending wait outlives it.

import type { Clock, TimerHandle } from '../base/clock';

interface PendingWait {
  timer: TimerHandle;
  wake: () => void;
}

export class CancellableWaits {
  private readonly pending = new Set<PendingWait>();
  private cancelled = false;

  constructor(private readonly clock: Clock) {}

  /**
   * Waits for `promise` or `ms`, whichever is first, without leaving the timer behind. After
   * cancelAll the time is up at once.
   */
  async race(promise: Promise<unknown>, ms: number): Promise<void> {
    let wait: PendingWait | undefined;
    const timeout = new Promise<void>((resolve) => {
      if (this.cancelled) return resolve();
      const entry = {
        timer: this.clock.setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      wait = entry;
      this.pending.add(entry);
    });
    try {
      await Promise.race([promise.then(() => undefined), timeout]);
    } finally {
      if (wait) {
        wait.timer.cancel();
        this.pending.delete(wait);
      }
    }
  }

  /** Waits `ms`, or less if cancelled meanwhile. */
  delay(ms: number): Promise<void> {
    return this.race(new Promise<never>(() => undefined), ms);
  }

  /** Ends every pending wait now; waits started later end at once. */
  cancelAll(): void {
    this.cancelled = true;
    for (const wait of this.pending) {
      wait.timer.cancel();
      wait.wake();
    }
    this.pending.clear();
  }
}
