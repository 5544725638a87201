import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

const NOW = Date.parse('2025-01-03T12:00:00.000Z');

describe('formatAge', () => {
  it.each([
    ['2025-01-03T11:59:30.000Z', 'just now'],
    ['2025-01-03T11:55:00.000Z', '5 min ago'],
    ['2025-01-03T09:00:00.000Z', '3 h ago'],
    ['2024-12-30T12:00:00.000Z', '4 days ago'],
    ['2025-01-03T12:05:00.000Z', 'just now'],
    ['not a time', ''],
  ])('%s is "%s"', (iso, expected) => {
    expect(formatAge(iso, NOW)).toBe(expected);
  });
});
