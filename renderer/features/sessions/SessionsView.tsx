// The sessions view: Session Manager's active and recent sessions of every source (including ones
// started elsewhere, e.g. by the AWS CLI), with their output location and a Terminate action.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import type { SessionHistoryItem } from '../../../shared/ipc';
import type { SessionsStore } from './store';

function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

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

function SessionRow(props: {
  item: SessionHistoryItem;
  showSource: boolean;
  terminating: boolean;
  store: SessionsStore;
}) {
  const { item } = props;
  const label = item.instanceName || item.target;
  return (
    <tr
      className="sessions__row"
      data-testid="session-row"
      data-session-id={item.awsSessionId}
      data-state={item.state}
    >
      <td>
        <div className="sessions__target" title={item.target}>
          {label}
        </div>
        {item.instanceName ? <div className="muted mono sessions__sub">{item.target}</div> : null}
        {props.showSource ? (
          <div className="muted sessions__source">
            {item.sourceLabel} · {item.region}
          </div>
        ) : null}
        <div className="muted mono sessions__sub" title="AWS session id">
          {item.awsSessionId}
        </div>
      </td>
      <td title={item.owner}>{shortOwner(item.owner)}</td>
      <td>
        <span className="status" data-testid="session-status">
          <span className={`tab__dot ${statusClass(item)}`} aria-hidden="true" />
          {item.status}
        </span>
      </td>
      <td>{formatDateTime(item.startedAt)}</td>
      <td>{formatDateTime(item.endedAt)}</td>
      <td className="mono">{item.documentName}</td>
      <td title={item.details}>{item.reason ?? ''}</td>
      <td>
        {item.outputs.map((output) => (
          <div key={output.kind} className="mono sessions__output" title={output.url}>
            {output.kind === 's3' ? 'S3: ' : 'CloudWatch: '}
            {output.url}
          </div>
        ))}
      </td>
      <td className="sessions__action">
        {item.canTerminate ? (
          <button
            type="button"
            className="button button--small button--danger"
            disabled={props.terminating}
            aria-label={`Terminate session ${item.awsSessionId} on ${label}`}
            onClick={() => void props.store.getState().terminate(item)}
          >
            {props.terminating ? 'Terminating…' : 'Terminate'}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function SessionTable(props: {
  title: string;
  items: readonly SessionHistoryItem[];
  empty: string;
  showSource: boolean;
  terminating: ReadonlySet<string>;
  store: SessionsStore;
}) {
  return (
    <section className="card sessions__section" aria-label={props.title}>
      <h2 className="card__title">
        {props.title} <span className="muted">({props.items.length})</span>
      </h2>
      {props.items.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <div className="sessions__scroll">
          <table className="sessions__table">
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Document</th>
                <th scope="col">Reason</th>
                <th scope="col">Output</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <SessionRow
                  key={item.key}
                  item={item}
                  showSource={props.showSource}
                  terminating={props.terminating.has(item.awsSessionId)}
                  store={props.store}
                />
              ))}
            </tbody>
          </table>
        </div>
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

  useEffect(() => {
    // Sessions change behind Airlock's back (the CLI, the console), so every visit lists again.
    void sessions.getState().fetch();
  }, [sessions]);

  const busy = load === 'loading' || load === 'refreshing';
  const failedSources = sources.filter((source) => !source.ok);
  const showSource = new Set(sources.map((s) => `${s.sourceId}|${s.region}`)).size > 1;

  return (
    <div className="sessions">
      <div className="toolbar">
        <span className="toolbar__count" aria-live="polite" data-testid="sessions-count">
          {load === 'loading' && fetchedAt === undefined
            ? 'Listing sessions…'
            : `${active.length} active, ${history.length} recent`}
        </span>
        <span className="toolbar__spacer" />
        {fetchedAt ? (
          <span className="toolbar__meta">Updated {new Date(fetchedAt).toLocaleTimeString()}</span>
        ) : null}
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
          empty="No active sessions."
          showSource={showSource}
          terminating={terminating}
          store={sessions}
        />
        <SessionTable
          title="Recent"
          items={history}
          empty="No ended sessions in Session Manager's history."
          showSource={showSource}
          terminating={terminating}
          store={sessions}
        />
        {truncated ? (
          <p className="muted">Older sessions are not shown; Session Manager keeps more.</p>
        ) : null}
      </div>
    </div>
  );
}
