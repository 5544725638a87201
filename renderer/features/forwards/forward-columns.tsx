// The columns of a forwards table: name with its problem or warning, live state, local address
// with Copy, connections, bytes, rate, and the row's actions; plus the rows' key and attributes.
import type { ForwardView } from '../../../shared/ipc';
import { ProductionBadge } from '../../app/production';
import type { TableColumn, TableRowAttributes } from '../../ui/Table';
import { clientAddress, describeRemote, formatBytes, formatRate, isRunning } from './format';
import type { ForwardsStore } from './store';
import { sessionPolicyColumn } from './ForwardSessionPolicy';

const STATUS_LABELS: Readonly<Record<ForwardView['status'], string>> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  listening: 'Listening',
  active: 'Active',
  reconnecting: 'Reconnecting…',
  error: 'Failed',
};

function dotClass(status: ForwardView['status']): string {
  if (status === 'listening' || status === 'active') return 'dot--open';
  if (status === 'starting') return 'dot--connecting';
  if (status === 'reconnecting') return 'dot--reconnecting';
  if (status === 'error') return 'dot--error';
  return 'dot--closed';
}

/** Session Manager ended its session (idle timeout, maximum duration, TerminateSession): it stopped. */
function endedBySessionManager(forward: ForwardView): boolean {
  return forward.status === 'error' && forward.problem?.code === 'session-ended';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export interface ForwardColumnsOptions {
  readonly busy: ReadonlySet<string>;
  readonly errors: Readonly<Record<string, string>>;
  readonly store: ForwardsStore;
  readonly onEdit: (forward: ForwardView) => void;
  readonly onDelete: (forward: ForwardView) => void;
  readonly productionOf: (forward: ForwardView) => string | undefined;
  /** The instance's name from the inventory, when listed and named. */
  readonly instanceNameOf: (forward: ForwardView) => string | undefined;
}

function NameCell(props: {
  forward: ForwardView;
  problem: string | undefined;
  production: string | undefined;
  instanceName: string | undefined;
}) {
  const { forward, problem, production, instanceName } = props;
  return (
    <>
      <div className="forwards__name">
        {production !== undefined ? <ProductionBadge reason={production} /> : null}
        {forward.name}
      </div>
      <div className="muted forwards__sub" title={`${forward.instanceId} in ${forward.region}`}>
        <span data-testid="forward-instance">{instanceName ?? forward.instanceId}</span> ·{' '}
        <span className="mono">{describeRemote(forward)}</span> · {forward.region}
        {forward.startOnLaunch === true ? ' · starts on launch' : ''}
      </div>
      {problem ? (
        <div className="forwards__problem" role="alert" data-testid="forward-problem">
          {problem}
        </div>
      ) : null}
      {forward.warning ? <div className="forwards__warning">{forward.warning.message}</div> : null}
    </>
  );
}

function StateCell(props: { forward: ForwardView }) {
  const { forward } = props;
  return (
    <span className="status" data-testid="forward-status">
      <span className={`tab__dot ${dotClass(forward.status)}`} aria-hidden="true" />
      {STATUS_LABELS[forward.status]}
      {forward.status === 'reconnecting' && forward.attempt !== undefined
        ? ` (try ${forward.attempt})`
        : ''}
    </span>
  );
}

/** Where a client connects while the forward runs (with Copy); the configured bind otherwise. */
function AddressCell(props: { forward: ForwardView; store: ForwardsStore }) {
  const { forward, store } = props;
  const address = clientAddress(forward);
  return address !== undefined && isRunning(forward) ? (
    <span className="forwards__address">
      <span className="mono" data-testid="forward-address">
        {address}
      </span>
      <button
        type="button"
        className="button button--small"
        aria-label={`Copy ${address}`}
        onClick={() => void store.getState().copyAddress(forward)}
      >
        Copy
      </button>
    </span>
  ) : (
    <span className="muted mono">
      {forward.bindAddress}:{forward.localPort === 0 ? 'auto' : forward.localPort}
    </span>
  );
}

function ActionsCell(props: { forward: ForwardView; options: ForwardColumnsOptions }) {
  const { forward, options } = props;
  const { store } = options;
  const busy = options.busy.has(forward.id);
  const startLabel = endedBySessionManager(forward) ? 'Restart' : 'Start';
  return (
    <span className="forwards__actions">
      {isRunning(forward) ? (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          aria-label={`Stop ${forward.name}`}
          onClick={() => void store.getState().stop(forward.id)}
        >
          Stop
        </button>
      ) : (
        <button
          type="button"
          className="button button--small button--primary"
          disabled={busy}
          aria-label={`${startLabel} ${forward.name}`}
          onClick={() => void store.getState().start(forward.id)}
        >
          {startLabel}
        </button>
      )}
      <button
        type="button"
        className="button button--small"
        aria-label={`Edit ${forward.name}`}
        onClick={() => options.onEdit(forward)}
      >
        Edit
      </button>
      <button
        type="button"
        className="button button--small button--danger"
        disabled={busy}
        aria-label={`Delete ${forward.name}`}
        onClick={() => options.onDelete(forward)}
      >
        Delete
      </button>
    </span>
  );
}

export function forwardColumns(
  options: ForwardColumnsOptions,
): readonly TableColumn<ForwardView>[] {
  return [
    {
      id: 'forward',
      header: 'Forward',
      width: 150,
      grow: 2,
      pinned: true,
      compare: (a, b) => collator.compare(a.name, b.name),
      cell: (forward) => (
        <NameCell
          forward={forward}
          problem={options.errors[forward.id] ?? forward.problem?.message}
          production={options.productionOf(forward)}
          instanceName={options.instanceNameOf(forward)}
        />
      ),
    },
    {
      id: 'state',
      header: 'State',
      width: 100,
      compare: (a, b) => collator.compare(STATUS_LABELS[a.status], STATUS_LABELS[b.status]),
      cell: (forward) => <StateCell forward={forward} />,
    },
    {
      id: 'address',
      header: 'Local address',
      width: 170,
      cell: (forward) => <AddressCell forward={forward} store={options.store} />,
    },
    {
      id: 'connections',
      header: 'Connections',
      width: 110,
      numeric: true,
      // A narrow window drops the figures (rate first) before the actions could leave the screen.
      dropOrder: 1,
      compare: (a, b) => a.stats.connectionsNow - b.stats.connectionsNow,
      cell: ({ stats }) => (
        <span className="mono forwards__figure" data-testid="forward-connections">
          <span>{stats.connectionsNow} now</span> <span>{stats.connectionsTotal} total</span>
        </span>
      ),
    },
    {
      id: 'bytes',
      header: 'Bytes in / out',
      width: 120,
      numeric: true,
      dropOrder: 2,
      compare: (a, b) => a.stats.bytesIn + a.stats.bytesOut - (b.stats.bytesIn + b.stats.bytesOut),
      cell: ({ stats }) => (
        <span className="mono forwards__figure" data-testid="forward-bytes">
          <span>↓ {formatBytes(stats.bytesIn)}</span> <span>↑ {formatBytes(stats.bytesOut)}</span>
        </span>
      ),
    },
    {
      id: 'rate',
      header: 'Rate',
      width: 125,
      numeric: true,
      dropOrder: 3,
      compare: (a, b) => a.stats.rateIn + a.stats.rateOut - (b.stats.rateIn + b.stats.rateOut),
      cell: ({ stats }) => (
        <span className="mono forwards__figure" data-testid="forward-rate">
          <span>↓ {formatRate(stats.rateIn)}</span> <span>↑ {formatRate(stats.rateOut)}</span>
        </span>
      ),
    },
    sessionPolicyColumn(),
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 195,
      cell: (forward) => <ActionsCell forward={forward} options={options} />,
    },
  ];
}

export const forwardKey = (forward: ForwardView) => forward.id;

export function forwardRowAttributes(
  productionOf: (forward: ForwardView) => string | undefined,
): (forward: ForwardView) => TableRowAttributes {
  return (forward) => {
    const production = productionOf(forward) !== undefined;
    return {
      className: `forwards__row${production ? ' row--production' : ''}`,
      data: {
        testid: 'forward-row',
        'forward-id': forward.id,
        status: forward.status,
        production: String(production),
      },
    };
  };
}
