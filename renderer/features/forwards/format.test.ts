// Unit tests for the forwards view's words: its count line says "1 forward", never "1 forwards".
import { describe, expect, it } from 'vitest';
import { describeForwardCount } from './format';

describe('describeForwardCount', () => {
  it('writes the plural that goes with the number', () => {
    expect(describeForwardCount(1, 1)).toBe('1 forward, 1 running');
    expect(describeForwardCount(0, 0)).toBe('0 forwards, 0 running');
    expect(describeForwardCount(3, 2)).toBe('3 forwards, 2 running');
  });
});
