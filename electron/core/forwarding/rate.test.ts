import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate';

describe('RateMeter', () => {
  it('reports zero without history', () => {
    const meter = new RateMeter(5000);
    expect(meter.rate(0)).toBe(0);
    meter.sample(0, 100);
    expect(meter.rate(0)).toBe(0);
  });

  it('averages over the window', () => {
    const meter = new RateMeter(5000);
    for (let second = 0; second <= 10; second++) meter.sample(second * 1000, second * 2000);
    expect(meter.rate(10_000)).toBe(2000);
  });

  it('follows a change of pace within one window', () => {
    const meter = new RateMeter(2000);
    for (let second = 0; second <= 5; second++) meter.sample(second * 1000, second * 1000);
    for (let second = 6; second <= 8; second++)
      meter.sample(second * 1000, 5000 + (second - 5) * 10_000);
    expect(meter.rate(8000)).toBe(10_000);
  });

  it('decays to zero when the counter stops moving', () => {
    const meter = new RateMeter(5000);
    meter.sample(0, 0);
    meter.sample(1000, 5000);
    expect(meter.rate(1000)).toBe(5000);
    expect(meter.rate(3000)).toBeCloseTo(5000 / 3);
    expect(meter.rate(20_000)).toBe(0);
    meter.sample(20_000, 5000);
    expect(meter.rate(20_000)).toBe(0);
  });

  it('restarts when the counter goes backwards', () => {
    const meter = new RateMeter(5000);
    meter.sample(0, 0);
    meter.sample(1000, 9000);
    meter.sample(2000, 10);
    expect(meter.rate(2000)).toBe(0);
    meter.sample(3000, 1010);
    expect(meter.rate(3000)).toBe(1000);
  });
});
