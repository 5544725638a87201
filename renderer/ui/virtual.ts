// Fixed-row-height list virtualization: which rows to render for a scroll position, and the
// scroll position that brings a row into view. Pure, so it is tested without a browser.

export interface VirtualWindow {
  /** First row to render (inclusive). */
  readonly start: number;
  /** One past the last row to render. */
  readonly end: number;
  /** Pixel offset of row `start` from the top of the list. */
  readonly offset: number;
  /** Height of all rows together (the scrollable height). */
  readonly totalHeight: number;
}

export interface VirtualInput {
  readonly count: number;
  readonly rowHeight: number;
  readonly scrollTop: number;
  readonly viewportHeight: number;
  /** Extra rows rendered above and below the viewport so fast scrolling shows no gaps. */
  readonly overscan?: number;
}

export function virtualWindow(input: VirtualInput): VirtualWindow {
  const { count, rowHeight } = input;
  const overscan = input.overscan ?? 8;
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight };
  const maxScroll = Math.max(0, totalHeight - input.viewportHeight);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const visibleCount = Math.ceil(Math.max(0, input.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, firstVisible + visibleCount + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that shows row `index` fully, moving as little as possible; the current
 * scrollTop when the row is already in view.
 */
export function scrollToReveal(input: {
  readonly index: number;
  readonly rowHeight: number;
  readonly scrollTop: number;
  readonly viewportHeight: number;
}): number {
  const top = input.index * input.rowHeight;
  const bottom = top + input.rowHeight;
  if (top < input.scrollTop) return top;
  if (bottom > input.scrollTop + input.viewportHeight) {
    return Math.max(0, bottom - input.viewportHeight);
  }
  return input.scrollTop;
}

/** How many rows Page Up/Down moves: one viewport, less one row for context, at least one. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}
