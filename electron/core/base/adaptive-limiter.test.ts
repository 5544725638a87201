import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { createAdaptiveLimiter, type BackoffEvent } from './adaptive-limiter';

class Throttled extends Error {}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(max = 4) {
  const clock = new FakeClock(0);
  const backoffs: BackoffEvent[] = [];
  const limiter = createAdaptiveLimiter({
    clock,
    max,
    isThrottle: (error) => error instanceof Throttled,
    random: () => 0.5,
    onBackoff: (event) => backoffs.push(event),
  });
  return { clock, limiter, backoffs };
}

describe('createAdaptiveLimiter', () => {
  it('runs at most `max` calls at once, the rest in order', async () => {
    const { limiter } = setup(2);
    const gates = [deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const results = gates.map((gate, n) =>
      limiter.run(() => {
        started.push(n);
        return gate.promise;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    gates[0]?.resolve(0);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.resolve(1);
    gates[2]?.resolve(2);
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
  });

  it('halves the limit on a throttle, retries after a growing delay, and grows back on successes', async () => {
    const { clock, limiter, backoffs } = setup(4);
    let tries = 0;
    const result = limiter.run(() => {
      tries++;
      return tries <= 2 ? Promise.reject(new Throttled()) : Promise.resolve('listed');
    });
    await flush();
    expect(backoffs).toEqual([{ limit: 2, delayMs: 188, attempt: 1 }]);
    clock.advance(188);
    await flush();
    expect(backoffs[1]).toEqual({ limit: 1, delayMs: 375, attempt: 2 });
    expect(tries).toBe(2);
    clock.advance(375);
    expect(await result).toBe('listed');
    expect(tries).toBe(3);
    // One success at limit 1 allows 2; two more allow 3.
    expect(limiter.limit).toBe(2);
    await limiter.run(() => Promise.resolve(0));
    await limiter.run(() => Promise.resolve(0));
    expect(limiter.limit).toBe(3);
  });

  it('lets fewer calls run at once after a throttle', async () => {
    const { clock, limiter } = setup(4);
    const throttled = limiter.run(() => Promise.reject(new Throttled()));
    throttled.catch(() => undefined);
    await flush();
    // The first throttle is waiting out its delay; the limit is 2 now.
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    for (const [n, gate] of gates.entries())
      void limiter.run(() => {
        started.push(n);
        return gate.promise;
      });
    await flush();
    expect(limiter.limit).toBe(2);
    expect(started).toEqual([0, 1]);
    for (const gate of gates) gate.resolve();
    clock.advance(60_000);
  });

  it('passes on errors that are not throttles at once, and the last throttle after maxAttempts', async () => {
    const { clock, limiter, backoffs } = setup(2);
    await expect(limiter.run(() => Promise.reject(new Error('denied')))).rejects.toThrow('denied');
    expect(backoffs).toEqual([]);
    const always = limiter.run(() => Promise.reject(new Throttled()));
    always.catch(() => undefined);
    for (let n = 1; n < 8; n++) {
      await flush();
      expect(clock.runNext()).toBe(true);
    }
    await expect(always).rejects.toBeInstanceOf(Throttled);
    expect(backoffs.map((b) => b.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(backoffs.at(-1)?.delayMs).toBe(12_000);
  });
});
