// The one table of the app (an ARIA grid): column definitions, sortable headers, a highlighted row
// moved by ArrowUp/Down, Home/End and PageUp/Down and activated by Enter or double-click, and an
// empty-state slot. Only a row on screen is ever highlighted (ui/highlight.ts), so Enter can never act
// on a row a filter hid. With a fixed `rowHeight` only the rows in view are in the DOM (long lists);
// without one, rows take the height their content needs.
import {
  memo,
  useCallback,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { visibleHighlight } from './highlight';
import { rowsPerPage, scrollToReveal, virtualWindow } from './virtual';

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
}

export interface TableRowAttributes {
  readonly className?: string;
  /** The row's accessible name, when its cells do not make a good one. */
  readonly label?: string;
  /** `data-*` attributes, without the prefix. */
  readonly data?: Readonly<Record<string, string>>;
}

export interface TableProps<Row> {
  /** The grid's accessible name. */
  readonly label: string;
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  readonly columns: readonly TableColumn<Row>[];
  readonly className?: string;
  /** Fixed row height in pixels: the body is virtualized. */
  readonly rowHeight?: number;
  /** Controlled sort: the owner sorts `rows`; absent, the table sorts with the columns' compare. */
  readonly sort?: TableSort;
  readonly onSort?: (column: string) => void;
  readonly initialSort?: TableSort;
  /** Controlled highlight (with onHighlight); absent, the table keeps its own. */
  readonly highlightedKey?: string | undefined;
  readonly onHighlight?: (key: string) => void;
  readonly onActivate?: (row: Row) => void;
  readonly rowAttributes?: (row: Row) => TableRowAttributes;
  /** Shown under the headers when there are no rows. */
  readonly empty?: ReactNode;
  /** Receives the grid element (to focus it from a search box). */
  readonly gridRef?: (element: HTMLDivElement | null) => void;
}

/** Height of the sticky header row inside the scrolling body. */
const HEADER_HEIGHT = 32;
/** Clicks on these inside a row do not highlight it. */
const CONTROLS = 'button, a[href], input, select, textarea, label';
/** Page Up/Down in a table without fixed row heights moves this many rows. */
const FLOW_PAGE_ROWS = 10;

export type Move = number | 'first' | 'last';

/** The row index after a move; from no highlight, down starts at the top and up at the bottom. */
export function moveIndex(current: number, move: Move, count: number): number | undefined {
  if (count === 0) return undefined;
  if (move === 'first') return 0;
  if (move === 'last') return count - 1;
  if (current === -1) return move > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + move));
}

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

function columnTemplate<Row>(columns: readonly TableColumn<Row>[]): string {
  // minmax(px, 0fr) would not grow; fixed columns are plain px, growing ones share the rest.
  return columns
    .map((column) =>
      column.grow ? `minmax(${column.width}px, ${column.grow}fr)` : `${column.width}px`,
    )
    .join(' ');
}

function cellClass<Row>(column: TableColumn<Row>): string {
  return `cell cell--${column.id}${column.numeric ? ' cell--numeric' : ''}`;
}

interface RowProps<Row> {
  readonly row: Row;
  readonly rowKey: string;
  readonly elementId: string;
  readonly index: number;
  readonly top: number | undefined;
  readonly highlighted: boolean;
  readonly columns: readonly TableColumn<Row>[];
  readonly attributesOf: ((row: Row) => TableRowAttributes) | undefined;
  readonly onHighlight: (key: string) => void;
  readonly onActivate: ((row: Row) => void) | undefined;
}

function TableRowView<Row>(props: RowProps<Row>) {
  const { row, rowKey, highlighted, top } = props;
  const attributes = props.attributesOf?.(row);
  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes?.data ?? {})) data[`data-${name}`] = value;
  const extra = attributes?.className ? ` ${attributes.className}` : '';
  return (
    <div
      role="row"
      id={props.elementId}
      aria-rowindex={props.index + 2}
      aria-selected={highlighted}
      aria-label={attributes?.label}
      className={`row${highlighted ? ' row--selected' : ''}${extra}`}
      style={top === undefined ? undefined : { transform: `translateY(${top}px)` }}
      onClick={(event) => {
        // A click on a control in the row (a button, a checkbox) is about that control.
        if (event.target instanceof Element && event.target.closest(CONTROLS)) return;
        props.onHighlight(rowKey);
      }}
      onDoubleClick={props.onActivate ? () => props.onActivate?.(row) : undefined}
      {...data}
    >
      {props.columns.map((column) => (
        <div role="gridcell" className={cellClass(column)} key={column.id}>
          {column.cell(row)}
        </div>
      ))}
    </div>
  );
}

// memo loses the type parameter; the cast gives it back.
const TableRow = memo(TableRowView) as typeof TableRowView;

export function Table<Row>(props: TableProps<Row>) {
  const { rows: given, rowKey, columns, rowHeight, onActivate, rowAttributes } = props;
  const gridId = useId();
  const [ownSort, setOwnSort] = useState<TableSort | undefined>(props.initialSort);
  const [ownHighlight, setOwnHighlight] = useState<string | undefined>(undefined);
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  // The first row in view, not the raw scrollTop: scrolling within a row re-renders nothing.
  const [firstRow, setFirstRow] = useState(0);
  const viewportHeight = useViewportHeight(rowHeight === undefined ? null : scroller);
  const lastRevealed = useRef<string | undefined>(undefined);

  const controlledSort = props.onSort !== undefined;
  const sort = controlledSort ? props.sort : ownSort;
  const rows = useMemo(
    () => (controlledSort ? given : sortRows(given, columns, sort)),
    [controlledSort, given, columns, sort],
  );
  const controlledHighlight = props.onHighlight !== undefined;
  const requestedKey = controlledHighlight ? props.highlightedKey : ownHighlight;
  const keys = useMemo(() => rows.map(rowKey), [rows, rowKey]);
  const highlightedKey = visibleHighlight(keys, requestedKey);
  const propsOnHighlight = props.onHighlight;
  // Keys can arrive faster than renders (a focus, then ArrowDown, then Enter): moves start from
  // the last row asked for, not from the last row rendered.
  const latestKey = useRef(highlightedKey);
  useLayoutEffect(() => {
    latestKey.current = highlightedKey;
  }, [highlightedKey]);
  const highlight = useCallback(
    (key: string) => {
      latestKey.current = key;
      if (propsOnHighlight) propsOnHighlight(key);
      else setOwnHighlight(key);
    },
    [propsOnHighlight],
  );
  // The owner learns where the rule moved the highlight (its details pane and Open follow it).
  useLayoutEffect(() => {
    if (highlightedKey === undefined || highlightedKey === requestedKey) return;
    if (propsOnHighlight) propsOnHighlight(highlightedKey);
    else setOwnHighlight(highlightedKey);
  }, [highlightedKey, requestedKey, propsOnHighlight]);
  const indexOf = (key: string | undefined) =>
    key === undefined ? -1 : rows.findIndex((row) => rowKey(row) === key);
  const highlightedIndex = indexOf(highlightedKey);
  const rowElementId = (index: number) => `${gridId}-row-${index}`;

  // Keep the highlighted row in view when it moves by keyboard or the list changes.
  useLayoutEffect(() => {
    if (!scroller || highlightedKey === undefined) return;
    if (lastRevealed.current === highlightedKey) return;
    lastRevealed.current = highlightedKey;
    if (highlightedIndex === -1) return;
    if (rowHeight === undefined) {
      const element = document.getElementById(`${gridId}-row-${highlightedIndex}`);
      // jsdom has no scrollIntoView.
      if (typeof element?.scrollIntoView === 'function')
        element.scrollIntoView({ block: 'nearest' });
      return;
    }
    // The sticky header covers the top of the viewport, so rows live below it.
    const next = scrollToReveal({
      index: highlightedIndex,
      rowHeight,
      scrollTop: scroller.scrollTop,
      viewportHeight: scroller.clientHeight - HEADER_HEIGHT,
    });
    if (next !== scroller.scrollTop) scroller.scrollTop = next;
  }, [scroller, gridId, highlightedKey, highlightedIndex, rowHeight]);

  const move = (step: Move) => {
    const index = moveIndex(indexOf(latestKey.current), step, rows.length);
    const row = index === undefined ? undefined : rows[index];
    if (row !== undefined) highlight(rowKey(row));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed into a control inside a row (a button, a checkbox) are that control's.
    if (event.target !== event.currentTarget) return;
    const page =
      rowHeight === undefined
        ? FLOW_PAGE_ROWS
        : rowsPerPage(viewportHeight - HEADER_HEIGHT, rowHeight);
    const moves: Record<string, Move> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: 'first',
      End: 'last',
    };
    const step = moves[event.key];
    if (step !== undefined) {
      event.preventDefault();
      move(step);
      return;
    }
    const current = indexOf(latestKey.current);
    const row = current === -1 ? undefined : rows[current];
    if (event.key === 'Enter' && onActivate && row !== undefined) {
      event.preventDefault();
      onActivate(row);
    }
  };

  const slice =
    rowHeight === undefined
      ? { start: 0, end: rows.length, totalHeight: undefined }
      : virtualWindow({
          count: rows.length,
          rowHeight,
          scrollTop: firstRow * rowHeight,
          viewportHeight: Math.max(0, viewportHeight - HEADER_HEIGHT) + rowHeight,
        });
  const shown = rows.slice(slice.start, slice.end);
  const highlightShown = highlightedIndex >= slice.start && highlightedIndex < slice.end;

  const setGrid = (element: HTMLDivElement | null) => {
    setScroller(element);
    props.gridRef?.(element);
  };

  const header = (
    <div role="row" className="row row--head" aria-rowindex={1}>
      {columns.map((column) => {
        const sortable = controlledSort ? column.sortable === true : column.compare !== undefined;
        const sorted = sortable && sort?.column === column.id;
        const direction = sort?.direction === 'asc' ? 'ascending' : 'descending';
        return (
          <div
            role="columnheader"
            className={cellClass(column)}
            key={column.id}
            aria-sort={sorted ? direction : undefined}
          >
            {sortable ? (
              <button
                type="button"
                className="sort-button"
                onClick={() =>
                  props.onSort ? props.onSort(column.id) : setOwnSort(nextSort(ownSort, column.id))
                }
              >
                {column.header}
                <span className="sort-button__arrow" aria-hidden="true">
                  {sorted ? (sort?.direction === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            ) : column.hideHeader ? (
              <span className="visually-hidden">{column.header}</span>
            ) : (
              column.header
            )}
          </div>
        );
      })}
    </div>
  );

  const minWidth = columns.reduce((sum, column) => sum + column.width, 0);
  const virtual = rowHeight !== undefined;

  return (
    <div
      className={`table${virtual ? '' : ' table--auto'}${props.className ? ` ${props.className}` : ''}`}
      style={{
        ['--columns' as string]: columnTemplate(columns),
        ['--row-min-width' as string]: `${minWidth}px`,
      }}
    >
      <div
        className="table__body"
        role="grid"
        aria-label={props.label}
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        aria-activedescendant={highlightShown ? rowElementId(highlightedIndex) : undefined}
        ref={setGrid}
        tabIndex={0}
        onScroll={
          virtual
            ? (event) => setFirstRow(Math.floor(event.currentTarget.scrollTop / rowHeight))
            : undefined
        }
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target === event.currentTarget && indexOf(latestKey.current) === -1) {
            move('first');
          }
        }}
      >
        {/* Inside the scroller, so header and rows share one width and scroll sideways together. */}
        <div className="table__head" role="rowgroup">
          {header}
        </div>
        <div
          className={virtual ? 'table__spacer' : 'table__rows'}
          role="rowgroup"
          style={virtual ? { height: slice.totalHeight } : undefined}
        >
          {shown.map((row, i) => {
            const index = slice.start + i;
            const key = rowKey(row);
            return (
              <TableRow
                key={key}
                row={row}
                rowKey={key}
                elementId={rowElementId(index)}
                index={index}
                top={virtual ? index * rowHeight : undefined}
                highlighted={key === highlightedKey}
                columns={columns}
                attributesOf={rowAttributes}
                onHighlight={highlight}
                onActivate={onActivate}
              />
            );
          })}
        </div>
        {rows.length === 0 && props.empty !== undefined ? (
          <div className="table__empty">{props.empty}</div>
        ) : null}
      </div>
    </div>
  );
}
