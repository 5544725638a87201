// The forwards view: port forwards by group with live state and stats, the instance's name, copy
// localhost:port, start/stop/edit/delete (delete asks first), and per group start/stop and whether
// it starts on launch. Saved profiles have their own view (ProfilesView).
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { ForwardView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { useTargetProduction } from '../../app/production';
import { useModals } from '../../ui/ModalHost';
import { Table } from '../../ui/Table';
import { ForwardDialog } from './ForwardDialog';
import { forwardColumns, forwardKey, forwardRowAttributes } from './forward-columns';
import { clientAddress, describeForwardCount, groupForwards, isRunning } from './format';
import { SocksDestinations } from './SocksDestinations';

/** A group's start on launch, Start all and Stop all. */
function GroupActions(props: { group: string }) {
  const { forwards: store } = useServices();
  const groups = useStore(store, (state) => state.groups);
  const busy = useStore(store, (state) => state.busy);
  const { group } = props;
  return (
    <span className="forwards__group-actions">
      <label className="forwards__launch">
        <input
          type="checkbox"
          aria-label={`Start group ${group} on launch`}
          checked={groups.some((g) => g.name === group && g.startOnLaunch)}
          disabled={busy.has(`group:${group}`)}
          onChange={(event) =>
            void store.getState().setGroupStartOnLaunch(group, event.target.checked)
          }
        />
        Start on launch
      </label>
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
  );
}

export function ForwardsView() {
  const { forwards: store } = useServices();
  const { inventory } = useServices();
  const forwards = useStore(store, (state) => state.forwards);
  const instances = useStore(inventory, (state) => state.instances);
  const load = useStore(store, (state) => state.load);
  const error = useStore(store, (state) => state.error);
  const errors = useStore(store, (state) => state.errors);
  const busy = useStore(store, (state) => state.busy);
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
  const instanceNameOf = useMemo(() => {
    const names = new Map<string, string>();
    for (const instance of instances) {
      if (instance.name) names.set(`${instance.region}|${instance.instanceId}`, instance.name);
    }
    return (forward: ForwardView) => names.get(`${forward.region}|${forward.instanceId}`);
  }, [instances]);
  const columns = useMemo(
    () =>
      forwardColumns({
        productionOf,
        instanceNameOf,
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
    [busy, errors, store, confirm, productionOf, instanceNameOf],
  );

  useEffect(() => {
    void store.getState().fetch();
    if (inventory.getState().load === 'idle') void inventory.getState().fetch();
  }, [store, inventory]);

  const running = forwards.filter(isRunning).length;

  return (
    <div className="forwards">
      <div className="toolbar">
        <span className="toolbar__count" aria-live="polite" data-testid="forwards-count">
          {load === 'loading'
            ? 'Listing forwards…'
            : describeForwardCount(forwards.length, running)}
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
              {group !== undefined ? <GroupActions group={group} /> : null}
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
        <SocksDestinations forwards={forwards} />
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
