// Which columns a table shows at its current width: when the columns' minimum widths add up to
// more than the table has, columns marked `dropOrder` are left out (the highest first) until the
// rest fit, so a table never scrolls sideways while it can drop something. What a dropped column
// showed stays available elsewhere (an instance's details, a forward's dialog).
import { useLayoutEffect, useMemo, useState } from 'react';
import type { TableColumn } from './table-model';

/** The columns that fit in `width` pixels, in their order; all of them while unmeasured. */
export function fitColumns<Row>(
  columns: readonly TableColumn<Row>[],
  width: number | undefined,
): readonly TableColumn<Row>[] {
  if (width === undefined || width <= 0) return columns;
  let total = columns.reduce((sum, column) => sum + column.width, 0);
  if (total <= width) return columns;
  const dropped = new Set<TableColumn<Row>>();
  const droppable = columns
    .filter((column) => column.dropOrder !== undefined)
    .sort((a, b) => (b.dropOrder ?? 0) - (a.dropOrder ?? 0));
  for (const column of droppable) {
    if (total <= width) break;
    dropped.add(column);
    total -= column.width;
  }
  return columns.filter((column) => !dropped.has(column));
}

function useClientWidth(element: HTMLElement | null, enabled: boolean): number | undefined {
  const [width, setWidth] = useState<number | undefined>();
  useLayoutEffect(() => {
    if (!element || !enabled) return undefined;
    const measure = () => setWidth(element.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure);
      return () => window.removeEventListener('resize', measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, enabled]);
  return width;
}

/** The columns to show in the table whose scroller is `element`, following its width. */
export function useFittedColumns<Row>(
  columns: readonly TableColumn<Row>[],
  element: HTMLElement | null,
): readonly TableColumn<Row>[] {
  const droppable = columns.some((column) => column.dropOrder !== undefined);
  const width = useClientWidth(element, droppable);
  return useMemo(() => fitColumns(columns, width), [columns, width]);
}
