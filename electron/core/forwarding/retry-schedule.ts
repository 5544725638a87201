// When a forward tries its next session after losing one: backoff delays, one pending try at a time.

import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import { Backoff, type BackoffOptions } from '../sessions/backoff';

export class RetrySchedule {
  private readonly backoff: Backoff;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    backoff: BackoffOptions,
  ) {
    this.backoff = new Backoff(backoff);
  }

  /** The next delay starts from the shortest again. */
  resetDelay(): void {
    this.backoff.reset();
  }

  /** Runs `attempt` after the next backoff delay, replacing a try already pending. */
  schedule(attempt: () => void): void {
    this.timer?.cancel();
    const delay = this.backoff.next();
    this.logger.log('info', 'next session try scheduled', { delayMs: delay });
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      attempt();
    }, delay);
  }

  /** Drops the pending try; true when there was one (the caller then tries at once itself). */
  takePending(): boolean {
    if (!this.timer) return false;
    this.cancel();
    return true;
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
