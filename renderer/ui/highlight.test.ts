import { describe, expect, it } from 'vitest';
import { visibleHighlight } from './highlight';

describe('visibleHighlight', () => {
  it('keeps a highlighted row that is on screen', () => {
    expect(visibleHighlight(['a', 'b', 'c'], 'b')).toBe('b');
  });

  it('moves a hidden highlight to the first row on screen', () => {
    expect(visibleHighlight(['worker', 'web'], 'db')).toBe('worker');
  });

  it('highlights the only row on screen even when nothing was highlighted', () => {
    expect(visibleHighlight(['worker'], undefined)).toBe('worker');
  });

  it('highlights nothing when nothing was and several rows are on screen', () => {
    expect(visibleHighlight(['a', 'b'], undefined)).toBeUndefined();
  });

  it('highlights nothing when no row is on screen', () => {
    expect(visibleHighlight([], 'db')).toBeUndefined();
    expect(visibleHighlight([], undefined)).toBeUndefined();
  });
});
