// The terminals view's own commands (find, rename, the "+" menu, split right and down: they need
// the view's state) and its empty state.
import { useEffect } from 'react';
import type { Services } from '../../app/services';
import { useServices } from '../../app/context';
import { COMMANDS } from '../../app/shortcuts';
import { SessionCutWarning } from './SessionCountdown';
import { isLive, type TerminalTab } from './store';
import type { SplitDirection } from './tab-layout';

export interface ViewCommandTargets {
  readonly setSearchKey: (key: string | undefined) => void;
  readonly setEditingKey: (key: string | undefined) => void;
  readonly openNewTabMenu: () => void;
}

export function useViewCommands(
  { commands, app, tabs }: Pick<Services, 'commands' | 'app' | 'tabs'>,
  { setSearchKey, setEditingKey, openNewTabMenu }: ViewCommandTargets,
): void {
  useEffect(() => {
    const onTerminal = () =>
      app.getState().view === 'terminals' && tabs.getState().activeKey !== undefined;
    const split = (direction: SplitDirection) => () => {
      const key = tabs.getState().activeKey;
      const outcome = key === undefined ? undefined : tabs.getState().split(key, direction);
      if (outcome && !outcome.ok) app.getState().notify('error', outcome.reason);
    };
    const disposers = [
      commands.registerCommand({
        id: COMMANDS.findInTerminal,
        title: 'Find in the terminal',
        when: onTerminal,
        run: () => setSearchKey(tabs.getState().activeKey),
      }),
      commands.registerCommand({
        id: COMMANDS.renameTab,
        title: 'Rename the terminal tab',
        when: onTerminal,
        run: () => setEditingKey(tabs.getState().activeKey),
      }),
      commands.registerCommand({
        id: COMMANDS.newTab,
        title: 'New terminal (choose the instance)',
        when: () => app.getState().view === 'terminals' && tabs.getState().tabs.length > 0,
        run: openNewTabMenu,
      }),
      commands.registerCommand({
        id: COMMANDS.splitRight,
        title: 'Split the terminal: new pane to the right',
        when: onTerminal,
        run: split('row'),
      }),
      commands.registerCommand({
        id: COMMANDS.splitDown,
        title: 'Split the terminal: new pane below',
        when: onTerminal,
        run: split('column'),
      }),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  }, [commands, app, tabs, setSearchKey, setEditingKey, openNewTabMenu]);
}

export function NoTerminals({ onShowInventory }: { onShowInventory: () => void }) {
  return (
    <div className="empty-state">
      <h2>No terminals open</h2>
      <p>
        Open a shell from the inventory: double-click an online instance, or select it and press
        Enter.
      </p>
      <button type="button" className="button button--primary" onClick={onShowInventory}>
        Go to the inventory
      </button>
    </div>
  );
}

/** The active terminal's frame labels: production, disconnected, and the coming cut. */
export function FrameNotices({
  tab,
  production,
}: {
  tab: TerminalTab | undefined;
  production: string | undefined;
}) {
  const services = useServices();
  const activeTab = tab;
  const activeProduction = production;
  const activeStale = tab?.state.status === 'stale';
  return (
    <>
      {activeProduction !== undefined ? (
        <div className="terminal-area__label terminal-area__label--production" role="note">
          Production · {activeProduction}
        </div>
      ) : null}
      {activeStale ? (
        <div className="terminal-area__label terminal-area__label--stale" role="alert">
          Disconnected from Airlock: this screen is out of date and typing is not sent.
        </div>
      ) : null}
      {activeTab ? (
        <SessionCutWarning
          limits={services.limits}
          sessionId={activeTab.session?.id}
          live={isLive(activeTab)}
        />
      ) : null}
    </>
  );
}
