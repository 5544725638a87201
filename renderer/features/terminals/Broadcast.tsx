// Broadcast input in the terminals view: Ctrl+Shift+B (or a tab's menu) opens the choice of
// terminals, preselecting the shown tab's panes; a production target needs an explicit
// confirmation before anything is sent; every receiving terminal shows a banner; Ctrl+Shift+B
// again, or the banner's Stop, ends it.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { COMMANDS } from '../../app/shortcuts';
import { countOf } from '../../lib/words';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { useModals } from '../../ui/ModalHost';
import { followBroadcast } from './broadcast-input';
import { isLive, tabTitle, type TerminalTab } from './store';
import { paneKeysOf, stripKeyOf, stripTabs } from './tab-layout';

export const BROADCAST_KEY = 'Ctrl+Shift+B';

function BroadcastDialog(props: {
  tabs: readonly TerminalTab[];
  preselected: readonly string[];
  productionOf: (tab: TerminalTab) => string | undefined;
  onStart: (keys: readonly string[]) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(props.preselected));
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };
  return (
    <Dialog
      title="Broadcast input"
      className="broadcast-dialog"
      onCancel={props.onCancel}
      onSubmit={(event) => {
        event.preventDefault();
        props.onStart([...chosen]);
      }}
    >
      <p className="dialog__description">
        What you type in any chosen terminal is sent to all of them. {BROADCAST_KEY} stops.
      </p>
      <fieldset className="broadcast-dialog__targets">
        <legend>Terminals</legend>
        {props.tabs.map((tab) => {
          const production = props.productionOf(tab);
          return (
            <label key={tab.key} className="broadcast-dialog__target">
              <input
                type="checkbox"
                checked={chosen.has(tab.key)}
                disabled={!isLive(tab)}
                onChange={(event) => toggle(tab.key, event.target.checked)}
              />
              <span>{tabTitle(tab)}</span>
              {production !== undefined ? (
                <span className="prod-badge" title={`Production (${production})`}>
                  PROD
                </span>
              ) : null}
            </label>
          );
        })}
      </fieldset>
      <DialogActions
        onCancel={props.onCancel}
        submit={<>Broadcast to {countOf(chosen.size, 'terminal')}</>}
        submitDisabled={chosen.size < 2}
      />
    </Dialog>
  );
}

/** Registers the broadcast command and copies input while a broadcast runs. */
export function useBroadcast(productionOf: (tab: TerminalTab) => string | undefined): void {
  const { tabs, terminals, app, commands } = useServices();
  const { openModal, confirm } = useModals();

  useEffect(() => followBroadcast(tabs, (key) => terminals.get(key)), [tabs, terminals]);

  useEffect(() => {
    const start = async (keys: readonly string[]) => {
      const chosen = tabs.getState().tabs.filter((tab) => keys.includes(tab.key));
      const production = chosen.filter((tab) => productionOf(tab) !== undefined);
      if (production.length > 0) {
        const names = production.map((tab) => `${tabTitle(tab)} (${productionOf(tab) ?? ''})`);
        const go = await confirm({
          title: 'Broadcast to production?',
          message: `What you type will also run on production: ${names.join(', ')}.`,
          confirmLabel: 'Broadcast to production',
          danger: true,
        });
        if (!go) return;
      }
      if (!tabs.getState().startBroadcast(keys)) {
        app.getState().notify('error', 'Choose at least two running terminals to broadcast to.');
      }
    };
    const open = () => {
      const state = tabs.getState();
      const ordered = stripTabs(state).flatMap((strip) =>
        paneKeysOf(state.groups, strip.key).flatMap((key) => {
          const tab = state.tabs.find((t) => t.key === key);
          return tab ? [tab] : [];
        }),
      );
      const active = state.activeKey;
      const preselected =
        active === undefined ? [] : paneKeysOf(state.groups, stripKeyOf(state.groups, active));
      const handle = openModal((close) => (
        <BroadcastDialog
          tabs={ordered}
          preselected={preselected}
          productionOf={productionOf}
          onCancel={close}
          onStart={(keys) => {
            close();
            void start(keys);
          }}
        />
      ));
      return handle;
    };
    return commands.registerCommand({
      id: COMMANDS.broadcast,
      title: 'Broadcast input to several terminals (again: stop)',
      when: () => app.getState().view === 'terminals' && tabs.getState().tabs.length > 1,
      run: () => {
        if (tabs.getState().broadcast.length > 0) tabs.getState().stopBroadcast();
        else open();
      },
    });
  }, [tabs, app, commands, openModal, confirm, productionOf]);
}

/** The banner on a terminal that gets broadcast input. */
export function BroadcastBanner({ tabKey }: { tabKey: string }) {
  const { tabs } = useServices();
  const broadcast = useStore(tabs, (state) => state.broadcast);
  if (!broadcast.includes(tabKey)) return null;
  return (
    <div className="broadcast-banner" role="status" data-testid="broadcast-banner">
      <strong>Broadcast</strong>
      <span className="broadcast-banner__text">
        Typing here goes to {countOf(broadcast.length, 'terminal')}. {BROADCAST_KEY} stops.
      </span>
      <button
        type="button"
        className="button button--small"
        onClick={() => tabs.getState().stopBroadcast()}
      >
        Stop broadcast
      </button>
    </div>
  );
}
