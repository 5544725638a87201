import { describe, expect, it } from 'vitest';
import { silentLogger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import { RetrySchedule } from './retry-schedule';

// random 0.5 makes each delay three quarters of its exponential step.
const options = { initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 };

describe('RetrySchedule', () => {
  it('waits longer for each try until the delay is reset', () => {
    const clock = new FakeClock(0);
    const schedule = new RetrySchedule(clock, silentLogger, options);
    const tries: number[] = [];
    const attempt = () => tries.push(clock.now());
    schedule.schedule(attempt);
    clock.advance(10_000);
    schedule.schedule(attempt);
    clock.advance(10_000);
    schedule.resetDelay();
    schedule.schedule(attempt);
    clock.advance(10_000);
    expect(tries).toEqual([75, 10_150, 20_075]);
  });

  it('keeps one pending try: a new one replaces it', () => {
    const clock = new FakeClock(0);
    const schedule = new RetrySchedule(clock, silentLogger, options);
    const tries: string[] = [];
    schedule.schedule(() => tries.push('first'));
    schedule.schedule(() => tries.push('second'));
    clock.advance(10_000);
    expect(tries).toEqual(['second']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('hands a pending try over to be run at once, and says when there was none', () => {
    const clock = new FakeClock(0);
    const schedule = new RetrySchedule(clock, silentLogger, options);
    let ran = false;
    expect(schedule.takePending()).toBe(false);
    schedule.schedule(() => (ran = true));
    expect(schedule.takePending()).toBe(true);
    expect(schedule.takePending()).toBe(false);
    clock.advance(10_000);
    expect(ran).toBe(false);
  });
});
