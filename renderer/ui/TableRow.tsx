// One body row of the table: its cells, highlight state, the owner's attributes, and the mouse (a
// click highlights it unless it lands on a control, a double-click activates it). Memoized, so a
// long list re-renders only the rows that changed.
import { memo } from 'react';
import { cellClass, type TableColumn, type TableRowAttributes } from './table-model';

/** Clicks on these inside a row do not highlight it. */
const CONTROLS = 'button, a[href], input, select, textarea, label';

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
export const TableRow = memo(TableRowView) as typeof TableRowView;
