// Component tests of the shared table: sorting by header (click and keyboard), the highlighted row
// moved by the keys a grid answers, Enter and double-click activating it, controlled highlight,
// the empty slot, and a long list rendering only a window of rows.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Table, type TableColumn } from './Table';
import { moveIndex } from './table-highlight';
import { nextSort, sortRows } from './table-sort';

interface Fruit {
  readonly name: string;
  readonly count: number;
}

const FRUITS: readonly Fruit[] = [
  { name: 'pear', count: 12 },
  { name: 'apple', count: 3 },
  { name: 'fig', count: 40 },
];

const COLUMNS: readonly TableColumn<Fruit>[] = [
  {
    id: 'name',
    header: 'Name',
    width: 120,
    compare: (a, b) => a.name.localeCompare(b.name),
    cell: (fruit) => fruit.name,
  },
  {
    id: 'count',
    header: 'Count',
    width: 80,
    numeric: true,
    compare: (a, b) => a.count - b.count,
    cell: (fruit) => String(fruit.count),
  },
  {
    id: 'actions',
    header: 'Actions',
    hideHeader: true,
    width: 80,
    cell: (fruit) => (
      <button type="button" aria-label={`Eat ${fruit.name}`}>
        Eat
      </button>
    ),
  },
];

const fruitKey = (fruit: Fruit) => fruit.name;

afterEach(cleanup);

function names(): string[] {
  return within(screen.getByRole('grid'))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('.cell--name')?.textContent ?? '');
}

function highlighted(): string | undefined {
  const rows = within(screen.getByRole('grid')).getAllByRole('row');
  const row = rows.find((candidate) => candidate.getAttribute('aria-selected') === 'true');
  return row?.querySelector('.cell--name')?.textContent ?? undefined;
}

describe('table helpers', () => {
  it('moves from no row to the first or last, and stops at the ends', () => {
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
    expect(moveIndex(3, 10, 5)).toBe(4);
    expect(moveIndex(1, -10, 5)).toBe(0);
    expect(moveIndex(2, 'first', 5)).toBe(0);
    expect(moveIndex(2, 'last', 5)).toBe(4);
    expect(moveIndex(-1, 1, 0)).toBeUndefined();
  });

  it('sorts with the column comparator, ascending then descending', () => {
    expect(nextSort(undefined, 'count')).toEqual({ column: 'count', direction: 'asc' });
    expect(nextSort({ column: 'count', direction: 'asc' }, 'count').direction).toBe('desc');
    expect(nextSort({ column: 'count', direction: 'desc' }, 'name').direction).toBe('asc');
    const sorted = sortRows(FRUITS, COLUMNS, { column: 'count', direction: 'desc' });
    expect(sorted.map(fruitKey)).toEqual(['fig', 'pear', 'apple']);
    expect(sortRows(FRUITS, COLUMNS, undefined)).toBe(FRUITS);
  });
});

describe('Table', () => {
  it('renders a labelled grid with headers; numbers get the numeric cell class', () => {
    render(<Table label="Fruit" rows={FRUITS} rowKey={fruitKey} columns={COLUMNS} />);
    const grid = screen.getByRole('grid', { name: 'Fruit' });
    expect(grid.getAttribute('aria-rowcount')).toBe('4');
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'Name',
      'Count',
      'Actions',
    ]);
    expect(grid.querySelector('[role="gridcell"].cell--count')?.className).toContain(
      'cell--numeric',
    );
    expect(names()).toEqual(['pear', 'apple', 'fig']);
  });

  it('sorts by a header click, toggles direction, and says so with aria-sort', () => {
    render(<Table label="Fruit" rows={FRUITS} rowKey={fruitKey} columns={COLUMNS} />);
    const header = screen.getByRole('columnheader', { name: /Count/ });
    // Headers are buttons, so Enter and Space sort from the keyboard as a click does.
    fireEvent.click(within(header).getByRole('button'));
    expect(names()).toEqual(['apple', 'pear', 'fig']);
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(header).getByRole('button'));
    expect(names()).toEqual(['fig', 'pear', 'apple']);
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBeNull();
  });

  it('moves the highlight with arrows, Home/End and Page keys, and activates with Enter', () => {
    const activated: string[] = [];
    render(
      <Table
        label="Fruit"
        rows={FRUITS}
        rowKey={fruitKey}
        columns={COLUMNS}
        onActivate={(fruit) => activated.push(fruit.name)}
      />,
    );
    const grid = screen.getByRole('grid');
    fireEvent.focus(grid);
    expect(highlighted()).toBe('pear');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(highlighted()).toBe('apple');
    const active = grid.getAttribute('aria-activedescendant');
    expect(active && document.getElementById(active)?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'End' });
    expect(highlighted()).toBe('fig');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(highlighted()).toBe('fig');
    fireEvent.keyDown(grid, { key: 'Home' });
    expect(highlighted()).toBe('pear');
    fireEvent.keyDown(grid, { key: 'PageDown' });
    expect(highlighted()).toBe('fig');
    fireEvent.keyDown(grid, { key: 'PageUp' });
    expect(highlighted()).toBe('pear');
    fireEvent.keyDown(grid, { key: 'Enter' });
    // A double-click is two clicks first, in a browser.
    fireEvent.click(screen.getAllByRole('row')[3]!);
    fireEvent.doubleClick(screen.getAllByRole('row')[3]!);
    expect(activated).toEqual(['pear', 'fig']);
    // Keys pressed on a button inside a row stay with the button.
    fireEvent.keyDown(screen.getByRole('button', { name: 'Eat apple' }), { key: 'ArrowUp' });
    expect(highlighted()).toBe('fig');
  });

  it('follows a controlled highlight, and shows the empty slot when there are no rows', () => {
    function Controlled() {
      const [key, setKey] = useState<string | undefined>('fig');
      const [rows, setRows] = useState(FRUITS);
      return (
        <>
          <button type="button" onClick={() => setRows([])}>
            Clear
          </button>
          <Table
            label="Fruit"
            rows={rows}
            rowKey={fruitKey}
            columns={COLUMNS}
            highlightedKey={key}
            onHighlight={setKey}
            empty="No fruit."
          />
        </>
      );
    }
    render(<Controlled />);
    expect(highlighted()).toBe('fig');
    fireEvent.click(screen.getAllByRole('row')[1]!);
    expect(highlighted()).toBe('pear');
    // Clicking a control in a row leaves the highlight where it was.
    fireEvent.click(screen.getByRole('button', { name: 'Eat apple' }));
    expect(highlighted()).toBe('pear');
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.getByText('No fruit.')).toBeTruthy();
  });

  it('moves a highlight a filter hid to the first row on screen; Enter opens only that row', () => {
    const activated: string[] = [];
    const highlights: string[] = [];
    function Filtered() {
      const [key, setKey] = useState<string | undefined>('pear');
      const [rows, setRows] = useState(FRUITS);
      return (
        <>
          <button type="button" onClick={() => setRows(FRUITS.filter((f) => f.name !== 'pear'))}>
            Hide pear
          </button>
          <Table
            label="Fruit"
            rows={rows}
            rowKey={fruitKey}
            columns={COLUMNS}
            highlightedKey={key}
            onHighlight={(next) => {
              highlights.push(next);
              setKey(next);
            }}
            onActivate={(fruit) => activated.push(fruit.name)}
          />
        </>
      );
    }
    render(<Filtered />);
    fireEvent.click(screen.getByRole('button', { name: 'Hide pear' }));
    expect(highlighted()).toBe('apple');
    expect(highlights).toEqual(['apple']);
    fireEvent.keyDown(screen.getByRole('grid'), { key: 'Enter' });
    expect(activated).toEqual(['apple']);
  });

  it('highlights the only row on screen', () => {
    render(<Table label="Fruit" rows={[FRUITS[2]!]} rowKey={fruitKey} columns={COLUMNS} />);
    expect(highlighted()).toBe('fig');
  });

  it('renders only a window of a long list when rows have a fixed height', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ name: `fruit-${i}`, count: i }));
    const asked: string[] = [];
    render(
      <Table
        label="Fruit"
        rows={many}
        rowKey={fruitKey}
        columns={COLUMNS}
        rowHeight={30}
        highlightedKey={undefined}
        onHighlight={(key) => asked.push(key)}
      />,
    );
    const grid = screen.getByRole('grid');
    const rendered = grid.querySelectorAll('.table__spacer [role="row"]');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(100);
    expect(rendered[0]?.getAttribute('aria-rowindex')).toBe('2');
    expect(grid.getAttribute('aria-rowcount')).toBe('5001');
    expect(grid.querySelector<HTMLElement>('.table__spacer')?.style.height).toBe('150000px');
    fireEvent.keyDown(grid, { key: 'End' });
    expect(asked).toEqual(['fruit-4999']);
  });
});
