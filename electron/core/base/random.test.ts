import { describe, expect, it } from 'vitest';
import { SeededRandom, systemRandom } from './random';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('systemRandom', () => {
  it('makes distinct v4 UUIDs, bytes of the asked length and ints in range', () => {
    const a = systemRandom.uuid();
    expect(a).toMatch(UUID_V4);
    expect(systemRandom.uuid()).not.toBe(a);
    expect(systemRandom.bytes(12)).toHaveLength(12);
    for (let i = 0; i < 50; i++) {
      const n = systemRandom.int(3);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(3);
    }
  });
});

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const first = new SeededRandom(7);
    const second = new SeededRandom(7);
    const other = new SeededRandom(8);
    const a = [first.uuid(), first.int(1000), ...first.bytes(4)];
    expect([second.uuid(), second.int(1000), ...second.bytes(4)]).toEqual(a);
    expect(other.uuid()).not.toBe(a[0]);
  });

  it('makes well-formed v4 UUIDs and ints that cover the range', () => {
    const random = new SeededRandom(3);
    expect(random.uuid()).toMatch(UUID_V4);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(random.int(4));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('rejects an empty or fractional range', () => {
    const random = new SeededRandom();
    expect(() => random.int(0)).toThrow(RangeError);
    expect(() => random.int(2.5)).toThrow(RangeError);
  });
});
