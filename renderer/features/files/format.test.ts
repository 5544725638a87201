import { describe, expect, it } from 'vitest';
import { describeProgress, formatSecondsLeft } from './format';

describe('transfer progress words', () => {
  it('says the time left in the largest units that matter', () => {
    expect(formatSecondsLeft(0.4)).toBe('<1 s');
    expect(formatSecondsLeft(42.4)).toBe('42 s');
    expect(formatSecondsLeft(185)).toBe('3 min 5 s');
    expect(formatSecondsLeft(3720)).toBe('1 h 2 min');
  });

  it('gives amount, speed and time left, leaving out what is not known yet', () => {
    expect(
      describeProgress({
        doneBytes: 1024 * 1024,
        totalBytes: 3 * 1024 * 1024,
        bytesPerSecond: 512 * 1024,
        secondsLeft: 4,
      }),
    ).toBe('1.0 MiB of 3.0 MiB · 512 KiB/s · 4 s left');
    expect(
      describeProgress({
        doneBytes: 2048,
        totalBytes: undefined,
        bytesPerSecond: 0,
        secondsLeft: undefined,
      }),
    ).toBe('2.0 KiB');
  });
});
