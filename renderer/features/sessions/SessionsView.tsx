// The sessions view: Session Manager's active and recent sessions of every source (including ones
// started elsewhere, e.g. by the AWS CLI): the caller's own by default, everyone's (with an Owner
// column) behind "All users"; sortable tables with their output location and a Terminate action
// that always asks first, naming the instance and the owner.
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import type { SessionHistoryItem } from '../../../shared/ipc';
import { useModals } from '../../ui/ModalHost';
import { Table, type TableColumn, type TableRowAttributes } from '../../ui/Table';
import { formatWhen } from '../../lib/words';

/** `arn:aws:iam::1111:user/alice` reads as `user/alice`; the full ARN stays in the tooltip. */
function shortOwner(owner: string): string {
  const resource = owner.split(':').pop() ?? owner;
  return resource === '' ? owner : resource;
}

function statusClass(item: SessionHistoryItem): string {
  if (item.status === 'Connected') return 'dot--open';
  if (item.status === 'Connecting' || item.status === 'Terminating') return 'dot--connecting';
  if (item.status === 'Disconnected') return 'dot--reconnecting';
  if (item.status === 'Failed') return 'dot--error';
  return 'dot--closed';
}

/** Newest first reads best; a missing time sorts as the oldest. */
function compareTimes(a: string | undefined, b: string | undefined): number {
  return (a ?? '').localeCompare(b ?? '');
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function targetLabel(item: SessionHistoryItem): string {
  return item.instanceName || item.target;
}

function sessionColumns(options: {
  showSource: boolean;
  showOwner: boolean;
  terminating: ReadonlySet<string>;
  onTerminate: (item: SessionHistoryItem) => void;
}): readonly TableColumn<SessionHistoryItem>[] {
  return [
    {
      id: 'target',
      header: 'Target',
      width: 170,
      grow: 1.4,
      pinned: true,
      compare: (a, b) => collator.compare(targetLabel(a), targetLabel(b)),
      cell: (item) => (
        <>
          <div className="sessions__target" title={item.target}>
            {targetLabel(item)}
          </div>
          {item.instanceName ? <div className="muted mono sessions__sub">{item.target}</div> : null}
          {options.showSource ? (
            <div className="muted sessions__source">
              {item.sourceLabel} · {item.region}
            </div>
          ) : null}
          <div className="muted mono sessions__sub" title="AWS session id">
            {item.awsSessionId}
          </div>
        </>
      ),
    },
    ...(options.showOwner
      ? [
          {
            id: 'owner',
            header: 'Owner',
            width: 90,
            grow: 0.5,
            // A narrow window drops these (highest first) so Terminate stays on screen.
            dropOrder: 4,
            compare: (a: SessionHistoryItem, b: SessionHistoryItem) =>
              collator.compare(shortOwner(a.owner), shortOwner(b.owner)),
            cell: (item: SessionHistoryItem) => (
              <span title={item.owner} data-testid="session-owner">
                {shortOwner(item.owner)}
                {item.ownedByCaller ? <span className="muted"> (you)</span> : null}
              </span>
            ),
          },
        ]
      : []),
    {
      id: 'status',
      header: 'Status',
      width: 110,
      compare: (a, b) => collator.compare(a.status, b.status),
      cell: (item) => (
        <span className="status" data-testid="session-status">
          <span className={`tab__dot ${statusClass(item)}`} aria-hidden="true" />
          {item.status}
        </span>
      ),
    },
    {
      id: 'started',
      header: 'Started',
      width: 120,
      compare: (a, b) => compareTimes(a.startedAt, b.startedAt),
      cell: (item) => formatWhen(item.startedAt),
    },
    {
      id: 'ended',
      header: 'Ended',
      width: 120,
      dropOrder: 6,
      compare: (a, b) => compareTimes(a.endedAt, b.endedAt),
      cell: (item) => formatWhen(item.endedAt),
    },
    {
      id: 'document',
      header: 'Document',
      width: 130,
      grow: 0.5,
      dropOrder: 5,
      compare: (a, b) => collator.compare(a.documentName, b.documentName),
      cell: (item) => <span className="mono">{item.documentName}</span>,
    },
    {
      id: 'reason',
      header: 'Reason',
      width: 80,
      grow: 0.5,
      dropOrder: 2,
      cell: (item) => <span title={item.details}>{item.reason ?? ''}</span>,
    },
    {
      id: 'output',
      header: 'Output',
      width: 80,
      grow: 1,
      dropOrder: 3,
      cell: (item) =>
        item.outputs.map((output) => (
          <div key={output.kind} className="mono sessions__output" title={output.url}>
            {output.kind === 's3' ? 'S3: ' : 'CloudWatch: '}
            {output.url}
          </div>
        )),
    },
    {
      id: 'action',
      header: 'Actions',
      hideHeader: true,
      width: 100,
      cell: (item) => {
        if (!item.canTerminate) return null;
        const terminating = options.terminating.has(item.awsSessionId);
        return (
          <button
            type="button"
            className="button button--small button--danger"
            disabled={terminating}
            aria-label={`Terminate session ${item.awsSessionId} on ${targetLabel(item)}`}
            onClick={() => options.onTerminate(item)}
          >
            {terminating ? 'Terminating…' : 'Terminate'}
          </button>
        );
      },
    },
  ];
}

/** Terminate always asks: naming the instance and the owner, plainly when it is someone else's. */
export function terminateQuestion(item: SessionHistoryItem): {
  title: string;
  message: string;
  confirmLabel: string;
  danger: true;
} {
  const where = item.instanceName ? `${item.instanceName} (${item.target})` : item.target;
  const owner = shortOwner(item.owner) || 'an unknown owner';
  const whose = item.ownedByCaller
    ? `It is your session (${owner}).`
    : `This session belongs to another user: ${owner}. Terminating it cuts them off.`;
  return {
    title: item.ownedByCaller
      ? `Terminate your session on ${targetLabel(item)}?`
      : `Terminate ${owner}'s session on ${targetLabel(item)}?`,
    message: `${whose} Session ${item.awsSessionId} on ${where} ends for whoever is using it, here or elsewhere (the AWS CLI, the console). It cannot be resumed.`,
    confirmLabel: 'Terminate session',
    danger: true,
  };
}

const sessionKey = (item: SessionHistoryItem) => item.key;

function sessionRowAttributes(item: SessionHistoryItem): TableRowAttributes {
  return {
    className: 'sessions__row',
    data: { testid: 'session-row', 'session-id': item.awsSessionId, state: item.state },
  };
}

function SessionTable(props: {
  title: string;
  items: readonly SessionHistoryItem[];
  empty: string;
  columns: readonly TableColumn<SessionHistoryItem>[];
}) {
  return (
    <section className="card sessions__section" aria-label={props.title}>
      <h2 className="card__title">
        {props.title} <span className="muted">({props.items.length})</span>
      </h2>
      {props.items.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <Table
          label={`${props.title} sessions`}
          className="sessions__table"
          rows={props.items}
          rowKey={sessionKey}
          columns={props.columns}
          rowAttributes={sessionRowAttributes}
        />
      )}
    </section>
  );
}

export function SessionsView() {
  const { sessions } = useServices();
  const active = useStore(sessions, (state) => state.active);
  const history = useStore(sessions, (state) => state.history);
  const sources = useStore(sessions, (state) => state.sources);
  const truncated = useStore(sessions, (state) => state.truncated);
  const fetchedAt = useStore(sessions, (state) => state.fetchedAt);
  const load = useStore(sessions, (state) => state.load);
  const error = useStore(sessions, (state) => state.error);
  const terminating = useStore(sessions, (state) => state.terminating);
  const allUsers = useStore(sessions, (state) => state.allUsers);
  const callers = useStore(sessions, (state) => state.callers);
  const { confirm } = useModals();

  useEffect(() => {
    // Sessions change behind Airlock's back (the CLI, the console), so every visit lists again.
    void sessions.getState().fetch();
  }, [sessions]);

  const busy = load === 'loading' || load === 'refreshing';
  const failedSources = sources.filter((source) => !source.ok);
  const showSource = new Set(sources.map((s) => `${s.sourceId}|${s.region}`)).size > 1;
  const columns = useMemo(
    () =>
      sessionColumns({
        showSource,
        showOwner: allUsers,
        terminating,
        onTerminate: (item) => {
          void confirm(terminateQuestion(item)).then((confirmed) => {
            if (confirmed) void sessions.getState().terminate(item);
          });
        },
      }),
    [showSource, allUsers, terminating, confirm, sessions],
  );

  return (
    <div className="sessions">
      <div className="toolbar">
        <span className="toolbar__count" aria-live="polite" data-testid="sessions-count">
          {load === 'loading' && fetchedAt === undefined
            ? 'Listing sessions…'
            : `${active.length} active, ${history.length} recent`}
        </span>
        <span className="toolbar__spacer" />
        <label className="toolbar__toggle">
          <input
            type="checkbox"
            checked={allUsers}
            onChange={(event) => void sessions.getState().setAllUsers(event.target.checked)}
          />
          All users
        </label>
        {fetchedAt ? <span className="toolbar__meta">Updated {formatWhen(fetchedAt)}</span> : null}
        <button
          type="button"
          className="button"
          onClick={() => void sessions.getState().fetch()}
          aria-busy={busy}
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {error ? (
        <div className="banner banner--error" role="alert">
          Could not list sessions: {error.message}
        </div>
      ) : null}
      {allUsers
        ? null
        : callers
            .filter((caller) => caller.error !== undefined)
            .map((caller) => (
              <div
                className="banner banner--warning"
                role="alert"
                key={`caller|${caller.sourceId}`}
              >
                {caller.label}: could not tell who you are ({caller.error}), so none of its sessions
                show as yours. Switch on All users to see them.
              </div>
            ))}
      {failedSources.map((source) => (
        <div
          className="banner banner--warning"
          role="alert"
          key={`${source.sourceId}|${source.region}`}
        >
          {source.label} ({source.region}): {source.error?.message ?? 'listing failed'}
        </div>
      ))}
      <div className="sessions__body">
        <SessionTable
          title="Active"
          items={active}
          empty={allUsers ? 'No active sessions.' : 'You have no active sessions.'}
          columns={columns}
        />
        <SessionTable
          title="Recent"
          items={history}
          empty={
            allUsers
              ? "No ended sessions in Session Manager's history."
              : "None of your sessions in Session Manager's history."
          }
          columns={columns}
        />
        {truncated ? (
          <p className="muted">Older sessions are not shown; Session Manager keeps more.</p>
        ) : null}
      </div>
    </div>
  );
}
