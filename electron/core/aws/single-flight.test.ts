import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('shares a running task per key and starts a new one once it settles', async () => {
    const flight = new SingleFlight<number>();
    let started = 0;
    const resolvers: ((value: number) => void)[] = [];
    const task = () => {
      started++;
      return new Promise<number>((resolve) => resolvers.push(resolve));
    };
    const a = flight.run('k', task);
    const b = flight.run('k', task);
    const other = flight.run('other', task);
    expect(started).toBe(2);
    resolvers[0]?.(1);
    resolvers[1]?.(2);
    expect(await Promise.all([a, b, other])).toEqual([1, 1, 2]);
    const again = flight.run('k', task);
    expect(started).toBe(3);
    resolvers[2]?.(3);
    expect(await again).toBe(3);
  });

  it('forgets a failed task so the next call tries again', async () => {
    const flight = new SingleFlight<string>();
    await expect(flight.run('k', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await flight.run('k', () => Promise.resolve('yes'))).toBe('yes');
  });
});
