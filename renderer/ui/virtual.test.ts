// Unit tests for the list virtualizer: the rendered window, clamping, and reveal-on-select scrolling.
import { describe, expect, it } from 'vitest';
import { rowsPerPage, scrollToReveal, virtualWindow } from './virtual';

describe('virtualWindow', () => {
  it('renders only the rows in view plus overscan, even for 10,000 rows', () => {
    const window = virtualWindow({
      count: 10_000,
      rowHeight: 30,
      scrollTop: 150_000,
      viewportHeight: 600,
      overscan: 5,
    });
    expect(window).toEqual({ start: 4995, end: 5026, offset: 4995 * 30, totalHeight: 300_000 });
    expect(window.end - window.start).toBeLessThan(40);
  });

  it('starts at the top and never runs past the end', () => {
    expect(virtualWindow({ count: 100, rowHeight: 30, scrollTop: 0, viewportHeight: 300 })).toEqual(
      { start: 0, end: 19, offset: 0, totalHeight: 3000 },
    );
    const bottom = virtualWindow({
      count: 100,
      rowHeight: 30,
      scrollTop: 99_999,
      viewportHeight: 300,
    });
    expect(bottom.end).toBe(100);
    expect(bottom.start).toBe(90 - 8);
  });

  it('handles an empty list, a short list, negative scroll and a zero-height viewport', () => {
    expect(virtualWindow({ count: 0, rowHeight: 30, scrollTop: 0, viewportHeight: 300 })).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      totalHeight: 0,
    });
    expect(
      virtualWindow({ count: 3, rowHeight: 30, scrollTop: -50, viewportHeight: 300 }).end,
    ).toBe(3);
    expect(virtualWindow({ count: 50, rowHeight: 30, scrollTop: 0, viewportHeight: 0 }).end).toBe(
      9,
    );
  });
});

describe('scrollToReveal', () => {
  const base = { rowHeight: 30, viewportHeight: 300 };

  it('keeps the scroll position when the row is in view', () => {
    expect(scrollToReveal({ ...base, index: 5, scrollTop: 0 })).toBe(0);
  });

  it('scrolls up to a row above the view and down to one below it', () => {
    expect(scrollToReveal({ ...base, index: 2, scrollTop: 300 })).toBe(60);
    expect(scrollToReveal({ ...base, index: 20, scrollTop: 0 })).toBe(330);
  });
});

describe('rowsPerPage', () => {
  it('moves a viewport less one row, at least one', () => {
    expect(rowsPerPage(300, 30)).toBe(9);
    expect(rowsPerPage(10, 30)).toBe(1);
  });
});
