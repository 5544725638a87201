// CancellableWaits unit tests: a race ends on the promise or the time, and cancelAll ends them all.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { CancellableWaits } from './cancellable-waits';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('CancellableWaits', () => {
  it('ends a race when the promise settles and leaves no timer behind', async () => {
    const clock = new FakeClock(0);
    const waits = new CancellableWaits(clock);
    await waits.race(Promise.resolve('done'), 60_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends a race when the time is up', async () => {
    const clock = new FakeClock(0);
    const waits = new CancellableWaits(clock);
    let ended = false;
    const wait = waits.race(never(), 500).then(() => (ended = true));
    clock.advance(499);
    await Promise.resolve();
    expect(ended).toBe(false);
    clock.advance(1);
    await wait;
    expect(ended).toBe(true);
  });

  it('ends every pending wait on cancelAll, and later ones at once', async () => {
    const clock = new FakeClock(0);
    const waits = new CancellableWaits(clock);
    const pending = [waits.delay(10_000), waits.race(never(), 10_000)];
    waits.cancelAll();
    await Promise.all(pending);
    expect(clock.pendingTimers).toBe(0);
    await waits.delay(10_000);
    expect(clock.now()).toBe(0);
  });
});
