// The table's header row: one column header each, a sort button where the column sorts (with its
// direction announced through aria-sort), and a visually hidden name where the header is hidden.
import type { TableSorting } from './table-sort';
import { cellClass, type TableColumn } from './table-model';

export function TableHeader<Row>(props: {
  columns: readonly TableColumn<Row>[];
  sorting: TableSorting<Row>;
}) {
  const { sort, sortable, sortBy } = props.sorting;
  return (
    <div role="row" className="row row--head" aria-rowindex={1}>
      {props.columns.map((column) => {
        const canSort = sortable(column);
        const sorted = canSort && sort?.column === column.id;
        const direction = sort?.direction === 'asc' ? 'ascending' : 'descending';
        return (
          <div
            role="columnheader"
            className={cellClass(column)}
            key={column.id}
            aria-sort={sorted ? direction : undefined}
          >
            {canSort ? (
              <button type="button" className="sort-button" onClick={() => sortBy(column.id)}>
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
}
