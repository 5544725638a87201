// Tests for FakeClock ordering, cancellation and timers scheduled from callbacks.

import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('fires due timers in time order, ties in scheduling order, with now() at the due time', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push('late'), 31);
    clock.advance(30);
    expect(fired).toEqual(['a@1010', 'b@1020', 'c@1020']);
    expect(clock.now()).toBe(1030);
    expect(clock.pendingTimers).toBe(1);
  });

  it('cancels timers and fires timers scheduled by callbacks inside the window', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    const handle = clock.setTimeout(() => fired.push(-1), 5);
    handle.cancel();
    const tick = (): void => {
      fired.push(clock.now());
      if (clock.now() < 40) clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    clock.advance(100);
    expect(fired).toEqual([10, 20, 30, 40]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runNext jumps to the next timer', () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimeout(() => (fired = true), 500);
    expect(clock.runNext()).toBe(true);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(500);
    expect(clock.runNext()).toBe(false);
  });
});
