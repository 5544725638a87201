import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';

/** A task that runs until `finish` is called, recording how many ran at once. */
function gate() {
  const finishers: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (n: number) => async () => {
    running++;
    peak = Math.max(peak, running);
    started.push(n);
    await new Promise<void>((resolve) => finishers.push(resolve));
    running--;
    return n;
  };
  return { task, finishers, started, peak: () => peak };
}

describe('createLimiter', () => {
  it('runs at most `limit` tasks at once, the rest in the order they came', async () => {
    const limit = createLimiter(2);
    const g = gate();
    const results = [1, 2, 3, 4, 5].map((n) => limit(g.task(n)));
    await Promise.resolve();
    expect(g.started).toEqual([1, 2]);
    while (g.finishers.length > 0 || g.started.length < 5) {
      g.finishers.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(g.started).toEqual([1, 2, 3, 4, 5]);
    expect(g.peak()).toBe(2);
  });

  it('frees the slot of a task that failed', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => createLimiter(0)).toThrow(/at least 1, got 0/);
  });
});
