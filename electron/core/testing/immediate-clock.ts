// Test support: a clock whose short timers run on the next turn (SSO poll intervals are real
// seconds, which tests must not wait) and whose long ones, such as the ten-minute wait for a
// sign-in redirect, never run out, so only the event under test ends them.
import type { Clock } from '../base/clock';

export const immediateClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    if (ms > 60_000) return { cancel: () => undefined };
    const handle = setImmediate(callback);
    return { cancel: () => clearImmediate(handle) };
  },
};
