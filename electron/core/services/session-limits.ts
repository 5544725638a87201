// When Session Manager will cut a session, by its preferences: the idle deadline moves with every
// byte in either direction (the service counts any data-channel traffic as activity), the maximum
// duration runs from the start. Reported to the page only when a deadline moved by a whole step,
// so a streaming session does not send an event per output batch.
import type { SessionPreferences, SessionsLimitsEvent } from '../../../shared/ipc';
import type { Clock } from '../base/clock';

/** The idle deadline is reported again once it moved at least this far (and not more often). */
export const LIMITS_REPORT_STEP_MS = 1_000;

export class SessionLimits {
  private readonly startedAt: number;
  private lastActivity: number;
  private reportedIdleDeadline: number | undefined;

  constructor(
    private readonly clock: Clock,
    readonly preferences: SessionPreferences,
    startedAt?: number,
  ) {
    this.startedAt = startedAt ?? clock.now();
    this.lastActivity = this.startedAt;
  }

  get idleTimeoutMs(): number {
    return this.preferences.idleTimeoutMinutes * 60_000;
  }

  /** Traffic on the session; true when the page should be told the new deadline. */
  activity(): boolean {
    this.lastActivity = this.clock.now();
    const deadline = this.lastActivity + this.idleTimeoutMs;
    return (
      this.reportedIdleDeadline === undefined ||
      deadline - this.reportedIdleDeadline >= LIMITS_REPORT_STEP_MS
    );
  }

  /** The event to send now; remembers what it reported. */
  report(id: SessionsLimitsEvent['id']): SessionsLimitsEvent {
    const idleDeadlineAt = this.lastActivity + this.idleTimeoutMs;
    this.reportedIdleDeadline = idleDeadlineAt;
    const max = this.preferences.maxDurationMinutes;
    return {
      id,
      preferences: this.preferences,
      idleDeadlineAt,
      ...(max !== undefined && { maxDeadlineAt: this.startedAt + max * 60_000 }),
    };
  }
}
