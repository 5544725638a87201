// The instance table, on the shared Table: sortable columns (sorted by the inventory store),
// virtualized fixed-height rows with keyboard navigation; double-click or Enter opens a terminal.
// Every row names the profile and region it was listed from, since one inventory spans all of them;
// production instances (the Settings rule) carry a red PROD label and a red edge.
import { forwardRef, useCallback, useImperativeHandle, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { instanceProduction, ProductionBadge, useProductionRule } from '../../app/production';
import type { ProductionRule } from '../../../shared/domain';
import type { Instance, PingStatus } from '../../../shared/ipc';
import { Table, type TableColumn, type TableRowAttributes, type TableSort } from '../../ui/Table';
import { formatAge } from './age';
import type { SortColumn } from './sort';

export const ROW_HEIGHT = 34;

export interface InstanceTableHandle {
  focus(): void;
}

export const STATUS_LABELS: Readonly<Record<PingStatus, string>> = {
  Online: 'Online',
  ConnectionLost: 'Connection lost',
  Inactive: 'Inactive',
  Unknown: 'Unknown',
};

/** A row shown from the disk cache while its source is listed again: how old it is. */
function CachedBadge({ cachedAt }: { cachedAt: string }) {
  const age = formatAge(cachedAt, Date.now());
  return (
    <span
      className="cached-badge"
      title={`From the listing of ${new Date(cachedAt).toLocaleString()}, kept from the last run; being listed again`}
      data-testid="cached-badge"
    >
      cached {age}
    </span>
  );
}

function renderCell(
  column: string,
  instance: Instance,
  reason: string | undefined,
  production: string | undefined,
) {
  switch (column) {
    case 'name':
      return (
        <>
          {production !== undefined ? <ProductionBadge reason={production} /> : null}
          {instance.cachedAt !== undefined ? <CachedBadge cachedAt={instance.cachedAt} /> : null}
          <span className="cell__text" title={instance.computerName || instance.name}>
            {instance.name || <span className="muted">(no name)</span>}
          </span>
        </>
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

/** Inventory column id -> the store's sort column. */
const SORT_OF: Readonly<Record<string, SortColumn>> = {
  name: 'name',
  id: 'instanceId',
  platform: 'platform',
  status: 'pingStatus',
  agent: 'agentVersion',
  ip: 'ipAddress',
  profile: 'source',
  region: 'region',
};

function reasonOf(instance: Instance): string | undefined {
  return instance.reachability.canStartSession ? undefined : instance.reachability.reason;
}

function columnsFor(rule: ProductionRule): readonly TableColumn<Instance>[] {
  const column = (
    id: string,
    header: string,
    width: number,
    grow?: number,
    dropOrder?: number,
  ): TableColumn<Instance> => ({
    id,
    header,
    width,
    ...(grow === undefined ? {} : { grow }),
    ...(dropOrder === undefined ? {} : { dropOrder }),
    ...(id === 'name' && { pinned: true }),
    sortable: SORT_OF[id] !== undefined,
    cell: (instance) =>
      renderCell(id, instance, reasonOf(instance), instanceProduction(instance, rule)),
  });
  return [
    // A narrow table (a small window, the details open) drops the columns the details repeat,
    // highest dropOrder first, rather than scrolling sideways.
    column('name', 'Name', 150, 1.3),
    column('id', 'Instance ID', 170, undefined, 2),
    column('platform', 'Platform', 96, undefined, 6),
    column('status', 'Ping status', 136),
    column('agent', 'Agent', 104, undefined, 7),
    column('ip', 'IP address', 124, undefined, 5),
    column('profile', 'Profile', 140, undefined, 3),
    column('region', 'Region', 124, undefined, 4),
    column('tags', 'Tags', 160, 2, 8),
  ];
}

const instanceKey = (instance: Instance) => instance.key;

function rowAttributesFor(rule: ProductionRule): (instance: Instance) => TableRowAttributes {
  return (instance) => {
    const production = instanceProduction(instance, rule) !== undefined;
    const classes = [reasonOf(instance) ? 'row--offline' : '', production ? 'row--production' : '']
      .filter(Boolean)
      .join(' ');
    return {
      ...(classes ? { className: classes } : {}),
      data: { 'instance-id': instance.instanceId, production: String(production) },
    };
  };
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
  const grid = useRef<HTMLDivElement | null>(null);
  const rule = useProductionRule();
  const columns = useMemo(() => columnsFor(rule), [rule]);
  const rowAttributes = useMemo(() => rowAttributesFor(rule), [rule]);

  useImperativeHandle(ref, () => ({ focus: () => grid.current?.focus() }), []);
  // Stable, so rows that did not change are not rendered again.
  const select = useCallback((key: string) => inventory.getState().select(key), [inventory]);

  const sortColumn = Object.keys(SORT_OF).find((id) => SORT_OF[id] === sort.column);
  const tableSort: TableSort | undefined =
    sortColumn === undefined ? undefined : { column: sortColumn, direction: sort.direction };
  const settled = load !== 'loading' && load !== 'idle' && !refreshing;

  return (
    <Table
      label="Managed instances"
      rows={visible}
      rowKey={instanceKey}
      columns={columns}
      rowHeight={ROW_HEIGHT}
      {...(tableSort ? { sort: tableSort } : {})}
      onSort={(id) => {
        const column = SORT_OF[id];
        if (column) inventory.getState().sortBy(column);
      }}
      highlightedKey={selectedKey}
      onHighlight={select}
      onActivate={onOpen}
      rowAttributes={rowAttributes}
      gridRef={(element) => {
        grid.current = element;
      }}
      empty={
        visible.length === 0 && settled ? (
          total > 0 ? (
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
          )
        ) : undefined
      }
    />
  );
});
