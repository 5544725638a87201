// The one date and time format, and counts with plurals.
import { describe, expect, it } from 'vitest';
import { countOf, formatFullDate, formatWhen } from './words';

const NOW = Date.parse('2026-12-03T15:00:00Z');
const utc = { timeZone: 'UTC', now: NOW };

describe('formatWhen', () => {
  it('writes a time today alone, in the reader’s locale', () => {
    expect(formatWhen('2026-12-03T14:05:00Z', { ...utc, locale: 'en-GB' })).toBe('14:05');
    expect(formatWhen('2026-12-03T14:05:00Z', { ...utc, locale: 'en-US' })).toBe('2:05 PM');
  });

  it('adds the date for another day', () => {
    expect(formatWhen('2026-11-28T09:30:00Z', { ...utc, locale: 'en-GB' })).toBe(
      '28 Nov 2026, 09:30',
    );
    expect(formatWhen(Date.parse('2026-11-28T09:30:00Z'), { ...utc, locale: 'de-DE' })).toBe(
      '28.11.2026, 09:30',
    );
  });

  it('is empty for nothing or nonsense', () => {
    expect(formatWhen(undefined)).toBe('');
    expect(formatWhen('')).toBe('');
    expect(formatWhen('not a date')).toBe('');
    expect(formatFullDate('not a date')).toBe('');
  });

  it('has a full form for tooltips', () => {
    expect(formatFullDate('2026-11-28T09:30:00Z', { timeZone: 'UTC', locale: 'en-GB' })).toBe(
      'Saturday, 28 November 2026 at 09:30:00 UTC',
    );
  });
});

describe('countOf', () => {
  it('uses the singular for one only', () => {
    expect(countOf(0, 'forward')).toBe('0 forwards');
    expect(countOf(1, 'forward')).toBe('1 forward');
    expect(countOf(2, 'forward')).toBe('2 forwards');
    expect(countOf(1, 'prompt', 'prompts')).toBe('1 prompt');
    expect(countOf(3, 'match', 'matches')).toBe('3 matches');
  });
});
