// Which columns a narrow table keeps: every one while they fit, else the droppable ones go,
// highest dropOrder first, and only as many as needed.
import { describe, expect, it } from 'vitest';
import { fitColumns } from './table-fit';
import { cellClass, type TableColumn } from './table-model';

const column = (id: string, width: number, dropOrder?: number): TableColumn<string> => ({
  id,
  header: id,
  width,
  cell: (row) => row,
  ...(dropOrder !== undefined && { dropOrder }),
});

const columns = [
  column('name', 150),
  column('figures', 120, 1),
  column('rate', 120, 2),
  column('actions', 200),
];
const ids = (shown: readonly TableColumn<string>[]) => shown.map((c) => c.id);

describe('fitting columns to a width', () => {
  it('keeps every column while they fit or before the table is measured', () => {
    expect(ids(fitColumns(columns, 590))).toEqual(['name', 'figures', 'rate', 'actions']);
    expect(ids(fitColumns(columns, undefined))).toEqual(['name', 'figures', 'rate', 'actions']);
  });

  it('drops the highest dropOrder first, only as many as needed, never the others', () => {
    expect(ids(fitColumns(columns, 500))).toEqual(['name', 'figures', 'actions']);
    expect(ids(fitColumns(columns, 400))).toEqual(['name', 'actions']);
    expect(ids(fitColumns(columns, 100))).toEqual(['name', 'actions']);
  });

  it('marks a pinned column for its sticky style', () => {
    expect(cellClass({ ...column('name', 150), pinned: true })).toContain('cell--pinned');
  });
});
