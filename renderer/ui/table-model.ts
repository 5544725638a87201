// What a table is made of, shared by its parts: column and row-attribute definitions, the sort
// order, and how columns become a CSS grid and cell classes.
import type { ReactNode } from 'react';

export type SortDirection = 'asc' | 'desc';

export interface TableSort {
  readonly column: string;
  readonly direction: SortDirection;
}

export interface TableColumn<Row> {
  /** Also the cell's class (`cell--ID`), which styles and tests find it by. */
  readonly id: string;
  /** The header's text, which is also the column's accessible name. */
  readonly header: string;
  /** Shown in place of the header text, which then only names the column (e.g. "Actions"). */
  readonly hideHeader?: boolean;
  readonly cell: (row: Row) => ReactNode;
  /** Orders rows when the table sorts them itself (no `onSort`); makes the header sortable. */
  readonly compare?: (a: Row, b: Row) => number;
  /** Sortable by whoever owns the order (`onSort`). */
  readonly sortable?: boolean;
  /** Minimum (or fixed) width in pixels; the column shares spare width when `grow` is set. */
  readonly width: number;
  readonly grow?: number;
  /** Numbers: right-aligned with tabular numerals so digits line up. */
  readonly numeric?: boolean;
  /** Stays in view when the table scrolls sideways (the first column, naming the row). */
  readonly pinned?: boolean;
  /**
   * Left out when the table is too narrow for every column: the highest dropOrder goes first.
   * Absent: always shown.
   */
  readonly dropOrder?: number;
}

export interface TableRowAttributes {
  readonly className?: string;
  /** The row's accessible name, when its cells do not make a good one. */
  readonly label?: string;
  /** `data-*` attributes, without the prefix. */
  readonly data?: Readonly<Record<string, string>>;
}

/** Height of the sticky header row inside the scrolling body. */
export const HEADER_HEIGHT = 32;

export function columnTemplate<Row>(columns: readonly TableColumn<Row>[]): string {
  // minmax(px, 0fr) would not grow; fixed columns are plain px, growing ones share the rest.
  return columns
    .map((column) =>
      column.grow ? `minmax(${column.width}px, ${column.grow}fr)` : `${column.width}px`,
    )
    .join(' ');
}

export function cellClass<Row>(column: TableColumn<Row>): string {
  return `cell cell--${column.id}${column.numeric ? ' cell--numeric' : ''}${column.pinned ? ' cell--pinned' : ''}`;
}
