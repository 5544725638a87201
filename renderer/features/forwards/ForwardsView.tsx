// The forwards view: port forwards by group with live state and stats, copy localhost:port,
// start/stop/edit/delete (delete asks first), group start/stop, and the saved profiles (forward: start, shell: open a
// terminal, each with one click) with import and export.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { ForwardView, ProfileView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { ProductionBadge, useTargetProduction } from '../../app/production';
import { useModals } from '../../ui/ModalHost';
import { Table, type TableColumn, type TableRowAttributes } from '../../ui/Table';
import { ForwardDialog } from './ForwardDialog';
import {
  clientAddress,
  describeRemote,
  formatBytes,
  formatRate,
  groupForwards,
  isRunning,
} from './format';
import type { ForwardsStore } from './store';

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

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function forwardColumns(options: {
  busy: ReadonlySet<string>;
  errors: Readonly<Record<string, string>>;
  store: ForwardsStore;
  onEdit: (forward: ForwardView) => void;
  onDelete: (forward: ForwardView) => void;
  productionOf: (forward: ForwardView) => string | undefined;
}): readonly TableColumn<ForwardView>[] {
  const { store } = options;
  return [
    {
      id: 'forward',
      header: 'Forward',
      width: 150,
      grow: 2,
      compare: (a, b) => collator.compare(a.name, b.name),
      cell: (forward) => {
        const problem = options.errors[forward.id] ?? forward.problem?.message;
        const production = options.productionOf(forward);
        return (
          <>
            <div className="forwards__name">
              {production !== undefined ? <ProductionBadge reason={production} /> : null}
              {forward.name}
            </div>
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
          </>
        );
      },
    },
    {
      id: 'state',
      header: 'State',
      width: 100,
      compare: (a, b) => collator.compare(STATUS_LABELS[a.status], STATUS_LABELS[b.status]),
      cell: (forward) => (
        <span className="status" data-testid="forward-status">
          <span className={`tab__dot ${dotClass(forward.status)}`} aria-hidden="true" />
          {STATUS_LABELS[forward.status]}
          {forward.status === 'reconnecting' && forward.attempt !== undefined
            ? ` (try ${forward.attempt})`
            : ''}
        </span>
      ),
    },
    {
      id: 'address',
      header: 'Local address',
      width: 170,
      cell: (forward) => {
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
      },
    },
    {
      id: 'connections',
      header: 'Connections',
      width: 130,
      numeric: true,
      compare: (a, b) => a.stats.connectionsNow - b.stats.connectionsNow,
      cell: ({ stats }) => (
        <span className="mono" data-testid="forward-connections">
          {stats.connectionsNow} now / {stats.connectionsTotal} total
        </span>
      ),
    },
    {
      id: 'bytes',
      header: 'Bytes in / out',
      width: 140,
      numeric: true,
      compare: (a, b) => a.stats.bytesIn + a.stats.bytesOut - (b.stats.bytesIn + b.stats.bytesOut),
      cell: ({ stats }) => (
        <span className="mono" data-testid="forward-bytes">
          ↓ {formatBytes(stats.bytesIn)} ↑ {formatBytes(stats.bytesOut)}
        </span>
      ),
    },
    {
      id: 'rate',
      header: 'Rate',
      width: 140,
      numeric: true,
      compare: (a, b) => a.stats.rateIn + a.stats.rateOut - (b.stats.rateIn + b.stats.rateOut),
      cell: ({ stats }) => (
        <span className="mono" data-testid="forward-rate">
          ↓ {formatRate(stats.rateIn)} ↑ {formatRate(stats.rateOut)}
        </span>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: 195,
      cell: (forward) => {
        const busy = options.busy.has(forward.id);
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
                aria-label={`${endedBySessionManager(forward) ? 'Restart' : 'Start'} ${forward.name}`}
                onClick={() => void store.getState().start(forward.id)}
              >
                {endedBySessionManager(forward) ? 'Restart' : 'Start'}
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
      },
    },
  ];
}

/** Session Manager ended its session (idle timeout, maximum duration, TerminateSession): it stopped. */
function endedBySessionManager(forward: ForwardView): boolean {
  return forward.status === 'error' && forward.problem?.code === 'session-ended';
}

const forwardKey = (forward: ForwardView) => forward.id;

function forwardRowAttributes(
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
  const { confirm } = useModals();
  const targetProduction = useTargetProduction();
  const productionOf = useMemo(
    () => (forward: ForwardView) =>
      targetProduction({
        instanceId: forward.instanceId,
        region: forward.region,
        profile: forward.awsProfile,
      }),
    [targetProduction],
  );
  const rowAttributes = useMemo(() => forwardRowAttributes(productionOf), [productionOf]);
  const columns = useMemo(
    () =>
      forwardColumns({
        productionOf,
        busy,
        errors,
        store,
        onEdit: (forward) => setEditing({ forward }),
        onDelete: (forward) => {
          void confirm({
            title: `Delete the forward ${forward.name}?`,
            message: isRunning(forward)
              ? `It stops listening on ${clientAddress(forward) ?? 'its local port'}, and its settings are removed from Airlock.`
              : 'Its settings are removed from Airlock.',
            confirmLabel: 'Delete forward',
            danger: true,
          }).then((confirmed) => {
            if (confirmed) void store.getState().remove(forward.id);
          });
        },
      }),
    [busy, errors, store, confirm, productionOf],
  );

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
            <Table
              label={group ? `Forwards in ${group}` : 'Ungrouped forwards'}
              className="forwards__table"
              rows={members}
              rowKey={forwardKey}
              columns={columns}
              rowAttributes={rowAttributes}
            />
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
