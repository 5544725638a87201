// The one table of the app (an ARIA grid): column definitions, sortable headers, a highlighted row
// moved by ArrowUp/Down, Home/End and PageUp/Down and activated by Enter or double-click, and an
// empty-state slot. Only a row on screen is ever highlighted (ui/highlight.ts), so Enter can never act
// on a row a filter hid. With a fixed `rowHeight` only the rows in view are in the DOM (long lists);
// without one, rows take the height their content needs.
import { useCallback, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  columnTemplate,
  type TableColumn,
  type TableRowAttributes,
  type TableSort,
} from './table-model';
import { moveForKey, useRevealHighlighted, useTableHighlight } from './table-highlight';
import { TableHeader } from './TableHeader';
import { TableRow } from './TableRow';
import { useTableSort } from './table-sort';
import { useVisibleRows } from './table-virtual';
import { useFittedColumns } from './table-fit';

export type { SortDirection, TableColumn, TableRowAttributes, TableSort } from './table-model';

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

export function Table<Row>(props: TableProps<Row>) {
  const { rowKey, rowHeight, onActivate, rowAttributes } = props;
  const gridId = useId();
  const sorting = useTableSort(props);
  const { rows } = sorting;
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const visible = useVisibleRows({ scroller, rowHeight, count: rows.length });
  const columns = useFittedColumns(props.columns, scroller);
  const { highlightedKey, highlightedIndex, latestIndex, highlight, move } = useTableHighlight({
    rows,
    rowKey,
    highlightedKey: props.highlightedKey,
    onHighlight: props.onHighlight,
  });
  const rowElementId = useCallback((index: number) => `${gridId}-row-${index}`, [gridId]);
  useRevealHighlighted({ scroller, highlightedKey, highlightedIndex, rowElementId, rowHeight });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed into a control inside a row (a button, a checkbox) are that control's.
    if (event.target !== event.currentTarget) return;
    const step = moveForKey(event.key, visible.pageRows);
    if (step !== undefined) {
      event.preventDefault();
      move(step);
      return;
    }
    const current = latestIndex();
    const row = current === -1 ? undefined : rows[current];
    if (event.key === 'Enter' && onActivate && row !== undefined) {
      event.preventDefault();
      onActivate(row);
    }
  };

  const shown = rows.slice(visible.start, visible.end);
  const highlightShown = highlightedIndex >= visible.start && highlightedIndex < visible.end;
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
        ref={(element) => {
          setScroller(element);
          props.gridRef?.(element);
        }}
        tabIndex={0}
        onScroll={visible.onScroll}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target === event.currentTarget && latestIndex() === -1) move('first');
        }}
      >
        {/* Inside the scroller, so header and rows share one width and scroll sideways together. */}
        <div className="table__head" role="rowgroup">
          <TableHeader columns={columns} sorting={sorting} />
        </div>
        <div
          className={virtual ? 'table__spacer' : 'table__rows'}
          role="rowgroup"
          style={virtual ? { height: visible.totalHeight } : undefined}
        >
          {shown.map((row, i) => {
            const index = visible.start + i;
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
