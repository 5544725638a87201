// Which rows a table puts in the DOM: with a fixed row height only those in view (the scroller's
// measured height and scroll position), otherwise all of them; and how far Page Up/Down moves.
import { useLayoutEffect, useState, type UIEvent } from 'react';
import { HEADER_HEIGHT } from './table-model';
import { rowsPerPage, virtualWindow } from './virtual';

/** Page Up/Down in a table without fixed row heights moves this many rows. */
const FLOW_PAGE_ROWS = 10;

function useViewportHeight(element: HTMLElement | null): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    if (!element) return undefined;
    const measure = () => setHeight(element.clientHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure);
      return () => window.removeEventListener('resize', measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return height;
}

export interface VisibleRows {
  /** Rows `start` (inclusive) to `end` (exclusive) are rendered. */
  readonly start: number;
  readonly end: number;
  /** The height of all rows together when virtualized. */
  readonly totalHeight: number | undefined;
  readonly pageRows: number;
  readonly onScroll: ((event: UIEvent<HTMLElement>) => void) | undefined;
}

export function useVisibleRows(options: {
  readonly scroller: HTMLElement | null;
  readonly rowHeight: number | undefined;
  readonly count: number;
}): VisibleRows {
  const { rowHeight, count } = options;
  // The first row in view, not the raw scrollTop: scrolling within a row re-renders nothing.
  const [firstRow, setFirstRow] = useState(0);
  const viewportHeight = useViewportHeight(rowHeight === undefined ? null : options.scroller);
  if (rowHeight === undefined) {
    return {
      start: 0,
      end: count,
      totalHeight: undefined,
      pageRows: FLOW_PAGE_ROWS,
      onScroll: undefined,
    };
  }
  const slice = virtualWindow({
    count,
    rowHeight,
    scrollTop: firstRow * rowHeight,
    viewportHeight: Math.max(0, viewportHeight - HEADER_HEIGHT) + rowHeight,
  });
  return {
    start: slice.start,
    end: slice.end,
    totalHeight: slice.totalHeight,
    pageRows: rowsPerPage(viewportHeight - HEADER_HEIGHT, rowHeight),
    onScroll: (event) => setFirstRow(Math.floor(event.currentTarget.scrollTop / rowHeight)),
  };
}
