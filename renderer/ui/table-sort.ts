// A table's row order: sorted by the table itself with the columns' compare functions, or by the
// owner (controlled, `onSort`), and which headers offer sorting.
import { useMemo, useState } from 'react';
import type { TableColumn, TableSort } from './table-model';

export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly TableColumn<Row>[],
  sort: TableSort | undefined,
): readonly Row[] {
  const compare = columns.find((column) => column.id === sort?.column)?.compare;
  if (!sort || !compare) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b));
}

export function nextSort(current: TableSort | undefined, column: string): TableSort {
  return current?.column === column
    ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
    : { column, direction: 'asc' };
}

export interface TableSorting<Row> {
  /** The rows in display order. */
  readonly rows: readonly Row[];
  readonly sort: TableSort | undefined;
  readonly sortable: (column: TableColumn<Row>) => boolean;
  /** A click on a column's header. */
  readonly sortBy: (column: string) => void;
}

export function useTableSort<Row>(options: {
  readonly rows: readonly Row[];
  readonly columns: readonly TableColumn<Row>[];
  readonly sort?: TableSort | undefined;
  readonly onSort?: ((column: string) => void) | undefined;
  readonly initialSort?: TableSort | undefined;
}): TableSorting<Row> {
  const { rows: given, columns, onSort } = options;
  const [ownSort, setOwnSort] = useState<TableSort | undefined>(options.initialSort);
  const controlled = onSort !== undefined;
  const sort = controlled ? options.sort : ownSort;
  const rows = useMemo(
    () => (controlled ? given : sortRows(given, columns, sort)),
    [controlled, given, columns, sort],
  );
  return {
    rows,
    sort,
    sortable: (column) => (controlled ? column.sortable === true : column.compare !== undefined),
    sortBy: (column) => (onSort ? onSort(column) : setOwnSort(nextSort(ownSort, column))),
  };
}
