// The terminals view: the tab strip (TabStrip.tsx, TabButton.tsx), every tab's panes with their
// terminals kept mounted so hidden tabs keep their screens (PaneGroupView.tsx), the focused pane's
// frame (red when production, marked when disconnected), search box and status bar. Closing a tab
// and ending a session are separate actions; both ask first while the session runs.
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { ProductionBadge, useTargetProduction } from '../../app/production';
import { COMMANDS } from '../../app/shortcuts';
import { BroadcastBanner, useBroadcast } from './Broadcast';
import { terminalMenuActions } from './terminal-menu';
import { newTabActions, recentTargets } from './new-tab-actions';
import { PaneGroupView } from './PaneGroupView';
import type { MenuAction } from './PopupMenu';
import { StatusBar } from './StatusBar';
import { isLive, tabTitle, type SessionTarget, type TerminalTab } from './store';
import { SessionCutWarning } from './SessionCountdown';
import { TabButton } from './TabButton';
import { paneKeysOf, stripKeyOf, stripTabs, type SplitDirection } from './tab-layout';
import { TabStrip } from './TabStrip';
import { TerminalSearch } from './TerminalSearch';

export function targetOfTab(tab: TerminalTab) {
  return {
    instanceId: tab.target.instanceId,
    region: tab.target.region,
    profile: tab.target.profile,
    tags: tab.target.tags,
  };
}

function PaneHeader(props: {
  tab: TerminalTab;
  production: string | undefined;
  onClose: () => void;
}) {
  const { tab } = props;
  return (
    <div className="pane-header">
      <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
      {props.production !== undefined ? <ProductionBadge reason={props.production} /> : null}
      <span className="pane-header__title">{tabTitle(tab)}</span>
      <button
        type="button"
        className="icon-button pane-header__close"
        aria-label={`Close pane ${tabTitle(tab)}`}
        title={isLive(tab) ? 'Close the pane (ends its session; asks first)' : 'Close the pane'}
        onClick={props.onClose}
      >
        ×
      </button>
    </div>
  );
}

export function TerminalsView({ active }: { active: boolean }) {
  const services = useServices();
  const { tabs, terminals, app, commands, forwards } = services;
  const list = useStore(tabs, (state) => state.tabs);
  const groups = useStore(tabs, (state) => state.groups);
  const activeKey = useStore(tabs, (state) => state.activeKey);
  const [editingKey, setEditingKey] = useState<string | undefined>(undefined);
  const [searchKey, setSearchKey] = useState<string | undefined>(undefined);
  const [newTabSignal, setNewTabSignal] = useState(0);
  const activeTab = list.find((tab) => tab.key === activeKey);
  const productionOf = useTargetProduction();
  useBroadcast(useCallback((tab: TerminalTab) => productionOf(targetOfTab(tab)), [productionOf]));

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
        run: () => setNewTabSignal((signal) => signal + 1),
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
  }, [commands, app, tabs]);

  useEffect(() => {
    if (active && activeKey) terminals.get(activeKey)?.focus();
  }, [active, activeKey, terminals]);

  if (list.length === 0) {
    return (
      <div className="empty-state">
        <h2>No terminals open</h2>
        <p>
          Open a shell from the inventory: double-click an online instance, or select it and press
          Enter.
        </p>
        <button
          type="button"
          className="button button--primary"
          onClick={() => app.getState().show('inventory')}
        >
          Go to the inventory
        </button>
      </div>
    );
  }

  const strip = stripTabs({ tabs: list, groups });
  const activeStripKey = activeKey === undefined ? undefined : stripKeyOf(groups, activeKey);
  const activeProduction = activeTab ? productionOf(targetOfTab(activeTab)) : undefined;
  const activeStale = activeTab?.state.status === 'stale';
  const closeStripTab = async (key: string) => {
    // A split tab closes pane by pane, each asking first while its session runs.
    for (const pane of [...paneKeysOf(groups, key)].reverse()) {
      if (!(await services.closeTab(pane))) return;
    }
  };

  const splitWith = (key: string, target: SessionTarget) => {
    const outcome = tabs.getState().split(key, 'row', { target });
    if (!outcome.ok) app.getState().notify('error', outcome.reason);
  };

  const menuFor = (tab: TerminalTab): MenuAction[] => [
    // Right-click made the tab active, so the commands act on it.
    { label: 'Rename', hint: 'F2', run: () => void commands.run(COMMANDS.renameTab) },
    ...(tab.state.status === 'stale'
      ? []
      : [
          {
            label: 'Duplicate',
            hint: 'Ctrl+Shift+D',
            run: () => void tabs.getState().duplicate(tab.key),
          },
          {
            label: 'Split right',
            hint: 'Ctrl+Shift+5',
            run: () => void commands.run(COMMANDS.splitRight),
          },
          { label: 'Split down', run: () => void commands.run(COMMANDS.splitDown) },
          ...recentTargets(list, undefined)
            .filter((target) => target.instanceId !== tab.target.instanceId)
            .slice(0, 3)
            .map((target) => ({
              label: `Split right: ${target.name || target.instanceId}`,
              run: () => splitWith(tab.key, target),
            })),
        ]),
    {
      label: 'Move left',
      hint: 'Ctrl+Shift+PageUp',
      run: () => tabs.getState().moveBy(tab.key, -1),
    },
    {
      label: 'Move right',
      hint: 'Ctrl+Shift+PageDown',
      run: () => tabs.getState().moveBy(tab.key, 1),
    },
    ...(isLive(tab)
      ? [{ label: 'End session', run: () => void services.endTabSession(tab.key), danger: true }]
      : []),
    { label: 'Close tab', run: () => void closeStripTab(tab.key), danger: isLive(tab) },
  ];

  const terminalMenu = (key: string) =>
    terminalMenuActions(key, {
      terminals,
      tabs,
      commands,
      find: () => setSearchKey(key),
      rename: () => setEditingKey(stripKeyOf(groups, key)),
    });

  const renderTab = (tab: TerminalTab, index: number) => (
    <TabButton
      key={tab.key}
      tab={tab}
      index={index}
      active={tab.key === activeStripKey}
      panes={paneKeysOf(groups, tab.key).length}
      editing={tab.key === editingKey}
      production={productionOf(targetOfTab(tab))}
      menuActions={menuFor(tab)}
      onActivate={() => tabs.getState().activate(tab.key)}
      onClose={() => void closeStripTab(tab.key)}
      onStartEdit={() => setEditingKey(tab.key)}
      onRename={(title) => {
        if (title !== undefined) tabs.getState().rename(tab.key, title);
        setEditingKey(undefined);
        // After the key that ended the rename is fully handled, never during it.
        setTimeout(() => terminals.get(tab.key)?.focus(), 0);
      }}
      onDropTab={(dragged, after) => {
        const from = strip.findIndex((t) => t.key === dragged);
        const at = index + (after ? 1 : 0);
        tabs.getState().move(dragged, from !== -1 && from < at ? at - 1 : at);
      }}
    />
  );

  const searchOverlay = (key: string) => {
    const controller = searchKey === key ? terminals.get(key) : undefined;
    return controller ? (
      <TerminalSearch
        controller={controller}
        onClose={() => {
          setSearchKey(undefined);
          controller.focus();
        }}
      />
    ) : null;
  };

  return (
    <div className="terminals">
      <TabStrip
        tabs={strip}
        activeKey={activeStripKey}
        renderTab={renderTab}
        onActivate={(key) => tabs.getState().activate(key)}
        newTabSignal={newTabSignal}
        newTabActions={() =>
          newTabActions({
            tabs: list,
            activeKey,
            shellProfiles: forwards
              .getState()
              .profiles.filter((profile) => profile.kind === 'shell'),
            openTarget: (target) => void tabs.getState().open({ target }),
            openProfile: (profile) => forwards.getState().openShellProfile(profile),
            showInventory: () => app.getState().show('inventory'),
          })
        }
      />
      <div
        className={`terminal-area${activeProduction === undefined ? '' : ' terminal-area--production'}${activeStale ? ' terminal-area--stale' : ''}`}
        data-testid="terminal-frame"
        data-production={String(activeProduction !== undefined)}
      >
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
        {strip.map((tab) => (
          <PaneGroupView
            key={tab.key}
            keys={paneKeysOf(groups, tab.key)}
            direction={groups[tab.key]?.direction ?? 'row'}
            visible={tab.key === activeStripKey}
            activeKey={activeKey}
            onFocusPane={(key) => tabs.getState().activate(key)}
            overlay={searchOverlay}
            banner={(key) => <BroadcastBanner tabKey={key} />}
            menuActions={terminalMenu}
            header={(key) => {
              const pane = list.find((t) => t.key === key);
              return pane ? (
                <PaneHeader
                  tab={pane}
                  production={productionOf(targetOfTab(pane))}
                  onClose={() => void services.closeTab(key)}
                />
              ) : null;
            }}
          />
        ))}
      </div>
      {activeTab ? <StatusBar tab={activeTab} /> : null}
    </div>
  );
}
