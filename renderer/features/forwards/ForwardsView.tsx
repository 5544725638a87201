// The forwards view: port forwards by group with live state and stats, copy localhost:port,
// start/stop/edit/delete, group start/stop, and the saved profiles (forward: start, shell: open a
// terminal, each with one click) with import and export.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { ForwardView, ProfileView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { ForwardDialog } from './ForwardDialog';
import {
  clientAddress,
  describeRemote,
  formatBytes,
  formatRate,
  groupForwards,
  isRunning,
  type ForwardsStore,
} from './store';

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

function ForwardRow(props: {
  forward: ForwardView;
  busy: boolean;
  error: string | undefined;
  store: ForwardsStore;
  onEdit: (forward: ForwardView) => void;
}) {
  const { forward, store } = props;
  const address = clientAddress(forward);
  const running = isRunning(forward);
  const { stats } = forward;
  const problem = props.error ?? forward.problem?.message;
  return (
    <tr
      className="forwards__row"
      data-testid="forward-row"
      data-forward-id={forward.id}
      data-status={forward.status}
    >
      <td>
        <div className="forwards__name">{forward.name}</div>
        <div className="muted mono forwards__sub">
          {forward.instanceId} · {describeRemote(forward)} · {forward.region}
        </div>
        {problem ? (
          <div className="forwards__problem" role="alert" data-testid="forward-problem">
            {problem}
          </div>
        ) : null}
        {forward.warning ? (
          <div className="forwards__warning">{forward.warning.message}</div>
        ) : null}
      </td>
      <td>
        <span className="status" data-testid="forward-status">
          <span className={`tab__dot ${dotClass(forward.status)}`} aria-hidden="true" />
          {STATUS_LABELS[forward.status]}
          {forward.status === 'reconnecting' && forward.attempt !== undefined
            ? ` (try ${forward.attempt})`
            : ''}
        </span>
      </td>
      <td>
        {address !== undefined && running ? (
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
        )}
      </td>
      <td className="mono" data-testid="forward-connections">
        {stats.connectionsNow} now / {stats.connectionsTotal} total
      </td>
      <td className="mono" data-testid="forward-bytes">
        ↓ {formatBytes(stats.bytesIn)} ↑ {formatBytes(stats.bytesOut)}
      </td>
      <td className="mono" data-testid="forward-rate">
        ↓ {formatRate(stats.rateIn)} ↑ {formatRate(stats.rateOut)}
      </td>
      <td className="forwards__actions">
        {running ? (
          <button
            type="button"
            className="button button--small"
            disabled={props.busy}
            aria-label={`Stop ${forward.name}`}
            onClick={() => void store.getState().stop(forward.id)}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={props.busy}
            aria-label={`Start ${forward.name}`}
            onClick={() => void store.getState().start(forward.id)}
          >
            Start
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          aria-label={`Edit ${forward.name}`}
          onClick={() => props.onEdit(forward)}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          disabled={props.busy}
          aria-label={`Delete ${forward.name}`}
          onClick={() => void store.getState().remove(forward.id)}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

function describeTarget(target: ProfileView['target']): string {
  return target.by === 'id'
    ? target.id
    : target.by === 'name'
      ? target.name
      : `${target.key}=${target.value}`;
}

function ProfilesList(props: { profiles: readonly ProfileView[]; store: ForwardsStore }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [importResult, setImportResult] = useState<{ ok: boolean; message: string }>();
  const [importing, setImporting] = useState(false);

  const importFile = async (file: File) => {
    setImporting(true);
    try {
      setImportResult(await props.store.getState().importProfiles(await file.text()));
    } catch (error) {
      setImportResult({ ok: false, message: `Could not read ${file.name}: ${String(error)}` });
    } finally {
      setImporting(false);
    }
  };

  return (
    <section className="card forwards__section" aria-label="Saved profiles">
      <h2 className="card__title forwards__group-title">
        <span>
          Saved profiles <span className="muted">({props.profiles.length})</span>
        </span>
        <span className="forwards__group-actions">
          <button
            type="button"
            className="button button--small"
            disabled={importing}
            onClick={() => fileInput.current?.click()}
          >
            Import…
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={props.profiles.length === 0}
            onClick={() => void props.store.getState().exportProfiles()}
          >
            Export
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Profiles file to import"
            data-testid="profiles-import-file"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) void importFile(file);
            }}
          />
        </span>
      </h2>
      {importResult ? (
        <p
          className={importResult.ok ? 'muted' : 'banner banner--error'}
          role={importResult.ok ? 'status' : 'alert'}
          data-testid="profiles-import-result"
        >
          {importResult.message}
        </p>
      ) : null}
      {props.profiles.length === 0 ? (
        <p className="muted">
          Use “Save as profile” in the forward dialog or on a terminal tab to keep a preset here.
        </p>
      ) : (
        <ul className="forwards__profiles">
          {props.profiles.map((profile) => (
            <li key={profile.id} className="forwards__profile" data-testid="forward-profile">
              {profile.kind === 'forward' ? (
                <button
                  type="button"
                  className="button button--small button--primary"
                  aria-label={`Start profile ${profile.name}`}
                  onClick={() => void props.store.getState().startProfile(profile)}
                >
                  Start
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--small button--primary"
                  aria-label={`Open shell profile ${profile.name}`}
                  onClick={() => props.store.getState().openShellProfile(profile)}
                >
                  Open
                </button>
              )}
              <span className="forwards__name">{profile.name}</span>
              <span className="muted mono">
                {profile.kind === 'forward' ? (
                  <>
                    {describeTarget(profile.target)} · {describeRemote(profile)} · {profile.region}
                    {profile.group !== undefined ? ` · ${profile.group}` : ''}
                  </>
                ) : (
                  <>
                    shell · {describeTarget(profile.target)} · {profile.region}
                    {profile.documentName !== undefined ? ` · ${profile.documentName}` : ''}
                  </>
                )}
              </span>
              <span className="toolbar__spacer" />
              <button
                type="button"
                className="button button--small button--danger"
                aria-label={`Delete profile ${profile.name}`}
                onClick={() => void props.store.getState().deleteProfile(profile.id)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ForwardsView() {
  const { forwards: store } = useServices();
  const forwards = useStore(store, (state) => state.forwards);
  const profiles = useStore(store, (state) => state.profiles);
  const load = useStore(store, (state) => state.load);
  const error = useStore(store, (state) => state.error);
  const errors = useStore(store, (state) => state.errors);
  const busy = useStore(store, (state) => state.busy);
  const profilesNotice = useStore(store, (state) => state.profilesNotice);
  const [editing, setEditing] = useState<{ forward?: ForwardView } | undefined>();

  useEffect(() => {
    void store.getState().fetch();
  }, [store]);

  const running = forwards.filter(isRunning).length;

  return (
    <div className="forwards">
      <div className="toolbar">
        <span className="toolbar__count" aria-live="polite" data-testid="forwards-count">
          {load === 'loading'
            ? 'Listing forwards…'
            : `${forwards.length} forwards, ${running} running`}
        </span>
        <span className="toolbar__spacer" />
        <button type="button" className="button button--primary" onClick={() => setEditing({})}>
          New forward
        </button>
      </div>
      {error ? (
        <div className="banner banner--error" role="alert">
          Could not list forwards: {error}
        </div>
      ) : null}
      {profilesNotice ? <div className="banner banner--warning">{profilesNotice}</div> : null}
      <div className="forwards__body">
        {forwards.length === 0 && load === 'loaded' ? (
          <p className="muted">
            No forwards yet. A forward makes a port on an instance (or a host it can reach) appear
            on this computer, for a database client or a browser.
          </p>
        ) : null}
        {groupForwards(forwards).map(({ group, forwards: members }) => (
          <section
            key={group ?? ''}
            className="card forwards__section"
            aria-label={group ? `Group ${group}` : 'Ungrouped forwards'}
            data-testid="forward-group"
          >
            <h2 className="card__title forwards__group-title">
              <span>{group ?? 'Ungrouped'}</span>
              {group !== undefined ? (
                <span className="forwards__group-actions">
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy.has(`group:${group}`)}
                    aria-label={`Start group ${group}`}
                    onClick={() => void store.getState().startGroup(group)}
                  >
                    Start all
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy.has(`group:${group}`)}
                    aria-label={`Stop group ${group}`}
                    onClick={() => void store.getState().stopGroup(group)}
                  >
                    Stop all
                  </button>
                </span>
              ) : null}
            </h2>
            <div className="forwards__scroll">
              <table className="forwards__table">
                <thead>
                  <tr>
                    <th scope="col">Forward</th>
                    <th scope="col">State</th>
                    <th scope="col">Local address</th>
                    <th scope="col">Connections</th>
                    <th scope="col">Bytes in / out</th>
                    <th scope="col">Rate</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((forward) => (
                    <ForwardRow
                      key={forward.id}
                      forward={forward}
                      busy={busy.has(forward.id)}
                      error={errors[forward.id]}
                      store={store}
                      onEdit={(f) => setEditing({ forward: f })}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))}
        <ProfilesList profiles={profiles} store={store} />
      </div>
      {editing ? (
        <ForwardDialog
          {...(editing.forward ? { forward: editing.forward } : {})}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </div>
  );
}
