import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles up to the cap and stays there', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 10_000, random: () => 1 });
    const delays = Array.from({ length: 12 }, () => backoff.next());
    expect(delays).toEqual([
      100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
    expect(backoff.attempts).toBe(12);
  });

  it('jitters within the upper half of each step', () => {
    const low = new Backoff({ random: () => 0 });
    expect([low.next(), low.next(), low.next()]).toEqual([50, 100, 200]);
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const jittered = new Backoff({ random });
    for (let i = 0; i < 50; i++) {
      const step = Math.min(10_000, 100 * 2 ** i);
      const delay = jittered.next();
      expect(delay).toBeGreaterThanOrEqual(step / 2);
      expect(delay).toBeLessThanOrEqual(step);
    }
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ random: () => 1 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
