// The instance table: sortable column headers and virtualized rows (fixed height, only the rows in
// view are in the DOM) with keyboard navigation; double-click or Enter opens a terminal. Every row
// names the profile and region it was listed from, since one inventory spans all of them.
import {
  forwardRef,
  memo,
  useCallback,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import type { Instance, PingStatus } from '../../../shared/ipc';
import { rowsPerPage, scrollToReveal, virtualWindow } from '../../ui/virtual';
import type { SortColumn } from './sort';

export const ROW_HEIGHT = 34;

export interface InstanceTableHandle {
  focus(): void;
}

interface Column {
  readonly id: string;
  readonly label: string;
  readonly sort?: SortColumn;
  /** Pixel width, or the minimum of a column that shares the spare width by `grow`. */
  readonly width: number;
  readonly grow?: number;
}

const COLUMNS: readonly Column[] = [
  { id: 'name', label: 'Name', sort: 'name', width: 150, grow: 1.3 },
  { id: 'id', label: 'Instance ID', sort: 'instanceId', width: 180 },
  { id: 'platform', label: 'Platform', sort: 'platform', width: 96 },
  { id: 'status', label: 'Ping status', sort: 'pingStatus', width: 136 },
  { id: 'agent', label: 'Agent', sort: 'agentVersion', width: 104 },
  { id: 'ip', label: 'IP address', sort: 'ipAddress', width: 124 },
  { id: 'profile', label: 'Profile', sort: 'source', width: 140 },
  { id: 'region', label: 'Region', sort: 'region', width: 124 },
  { id: 'tags', label: 'Tags', width: 160, grow: 2 },
];

/** Height of the sticky header row inside the scrolling body. */
const HEADER_HEIGHT = 32;

export const STATUS_LABELS: Readonly<Record<PingStatus, string>> = {
  Online: 'Online',
  ConnectionLost: 'Connection lost',
  Inactive: 'Inactive',
  Unknown: 'Unknown',
};

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

interface RowProps {
  readonly instance: Instance;
  readonly index: number;
  readonly top: number;
  readonly selected: boolean;
  readonly columns: readonly Column[];
  readonly onSelect: (key: string) => void;
  readonly onOpen: (instance: Instance) => void;
}

const Row = memo(function Row({
  instance,
  index,
  top,
  selected,
  columns,
  onSelect,
  onOpen,
}: RowProps) {
  const reason = instance.reachability.canStartSession ? undefined : instance.reachability.reason;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`row${selected ? ' row--selected' : ''}${reason ? ' row--offline' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      data-instance-id={instance.instanceId}
      onClick={() => onSelect(instance.key)}
      onDoubleClick={() => onOpen(instance)}
    >
      {columns.map((column) => (
        <div role="gridcell" className={`cell cell--${column.id}`} key={column.id}>
          {renderCell(column.id, instance, reason)}
        </div>
      ))}
    </div>
  );
});

function renderCell(column: string, instance: Instance, reason: string | undefined) {
  switch (column) {
    case 'name':
      return (
        <span className="cell__text" title={instance.computerName || instance.name}>
          {instance.name || <span className="muted">(no name)</span>}
        </span>
      );
    case 'id':
      return <span className="cell__text mono">{instance.instanceId}</span>;
    case 'platform':
      return (
        <span
          className="cell__text"
          title={`${instance.platformName} ${instance.platformVersion}`.trim()}
        >
          {instance.platform}
        </span>
      );
    case 'status':
      return (
        <span
          className={`status status--${instance.pingStatus.toLowerCase()}`}
          title={reason ?? 'The agent is online'}
        >
          <span className="status__dot" aria-hidden="true" />
          {STATUS_LABELS[instance.pingStatus]}
        </span>
      );
    case 'agent':
      return <span className="cell__text mono">{instance.agentVersion || '—'}</span>;
    case 'ip':
      return <span className="cell__text mono">{instance.ipAddress || '—'}</span>;
    case 'region':
      return <span className="cell__text">{instance.region}</span>;
    case 'profile':
      return (
        <span
          className="cell__text"
          title={instance.accountId ? `Account ${instance.accountId}` : instance.sourceLabel}
        >
          {instance.sourceLabel}
        </span>
      );
    default: {
      const tags = instance.tags.filter((tag) => tag.key !== 'Name');
      const title = tags.map((tag) => `${tag.key}=${tag.value}`).join('\n');
      return (
        <span className="tags" title={title}>
          {tags.slice(0, 3).map((tag) => (
            <span className="tag" key={tag.key}>
              {tag.key}={tag.value}
            </span>
          ))}
          {tags.length > 3 ? <span className="tag tag--more">+{tags.length - 3}</span> : null}
        </span>
      );
    }
  }
}

export const InstanceTable = forwardRef<
  InstanceTableHandle,
  { onOpen: (instance: Instance) => void }
>(function InstanceTable({ onOpen }, ref) {
  const { inventory, app } = useServices();
  const visible = useStore(inventory, (state) => state.visible);
  const sort = useStore(inventory, (state) => state.sort);
  const selectedKey = useStore(inventory, (state) => state.selectedKey);
  const load = useStore(inventory, (state) => state.load);
  const total = useStore(inventory, (state) => state.instances.length);
  const refreshing = useStore(inventory, (state) => state.refreshing);
  const sourceCount = useStore(inventory, (state) => state.sources.length);
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  // The first row in view, not the raw scrollTop: scrolling within a row re-renders nothing.
  const [firstRow, setFirstRow] = useState(0);
  const viewportHeight = useViewportHeight(scroller);
  const lastRevealed = useRef<string | undefined>(undefined);

  const columns = COLUMNS;
  // minmax(px, 0fr) would not grow; fixed columns are plain px, growing ones share the rest.
  const template = columns
    .map((column) =>
      column.grow ? `minmax(${column.width}px, ${column.grow}fr)` : `${column.width}px`,
    )
    .join(' ');
  const minWidth = columns.reduce((sum, column) => sum + column.width, 0);

  useImperativeHandle(ref, () => ({ focus: () => scroller?.focus() }), [scroller]);

  // Keep the selected row in view when the selection moves by keyboard or the list changes.
  useLayoutEffect(() => {
    if (!scroller || selectedKey === undefined) return;
    if (lastRevealed.current === selectedKey) return;
    lastRevealed.current = selectedKey;
    const index = visible.findIndex((instance) => instance.key === selectedKey);
    if (index === -1) return;
    // The sticky header covers the top of the viewport, so rows live below it.
    const next = scrollToReveal({
      index,
      rowHeight: ROW_HEIGHT,
      scrollTop: scroller.scrollTop,
      viewportHeight: scroller.clientHeight - HEADER_HEIGHT,
    });
    if (next !== scroller.scrollTop) scroller.scrollTop = next;
  }, [scroller, selectedKey, visible]);

  const select = useCallback((key: string) => inventory.getState().select(key), [inventory]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const state = inventory.getState();
    const page = rowsPerPage(viewportHeight - HEADER_HEIGHT, ROW_HEIGHT);
    const moves: Record<string, number | 'first' | 'last'> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: 'first',
      End: 'last',
    };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      state.moveSelection(move);
      return;
    }
    if (event.key === 'Enter') {
      const instance = state.selected();
      if (instance) {
        event.preventDefault();
        onOpen(instance);
      }
    }
  };

  const slice = virtualWindow({
    count: visible.length,
    rowHeight: ROW_HEIGHT,
    scrollTop: firstRow * ROW_HEIGHT,
    viewportHeight: Math.max(0, viewportHeight - HEADER_HEIGHT) + ROW_HEIGHT,
  });
  const rows = visible.slice(slice.start, slice.end);

  const header = (
    <div role="row" className="row row--head" aria-rowindex={1}>
      {columns.map((column) => {
        const sorted = column.sort !== undefined && sort.column === column.sort;
        return (
          <div
            role="columnheader"
            className={`cell cell--${column.id}`}
            key={column.id}
            aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {column.sort ? (
              <button
                type="button"
                className="sort-button"
                onClick={() => inventory.getState().sortBy(column.sort!)}
              >
                {column.label}
                <span className="sort-button__arrow" aria-hidden="true">
                  {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            ) : (
              column.label
            )}
          </div>
        );
      })}
    </div>
  );

  return (
    <div
      className="table"
      role="grid"
      aria-label="Managed instances"
      aria-rowcount={visible.length + 1}
      style={{ ['--columns' as string]: template, ['--row-min-width' as string]: `${minWidth}px` }}
    >
      <div
        className="table__body"
        ref={setScroller}
        tabIndex={0}
        onScroll={(event) => setFirstRow(Math.floor(event.currentTarget.scrollTop / ROW_HEIGHT))}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (inventory.getState().selectedKey === undefined) {
            inventory.getState().moveSelection('first');
          }
        }}
      >
        {/* Inside the scroller, so header and rows share one width and scroll sideways together. */}
        <div className="table__head" role="rowgroup">
          {header}
        </div>
        <div className="table__spacer" role="rowgroup" style={{ height: slice.totalHeight }}>
          {rows.map((instance, i) => (
            <Row
              key={instance.key}
              instance={instance}
              index={slice.start + i}
              top={(slice.start + i) * ROW_HEIGHT}
              selected={instance.key === selectedKey}
              columns={columns}
              onSelect={select}
              onOpen={onOpen}
            />
          ))}
        </div>
        {visible.length === 0 && load !== 'loading' && load !== 'idle' && !refreshing ? (
          <div className="table__empty">
            {total > 0 ? (
              'No instance matches this search.'
            ) : sourceCount === 0 && load === 'loaded' ? (
              <>
                No AWS profile is listed yet.{' '}
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => app.getState().show('sources')}
                >
                  Choose profiles
                </button>
              </>
            ) : (
              'No managed instances were found in the selected profiles and regions.'
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
});
