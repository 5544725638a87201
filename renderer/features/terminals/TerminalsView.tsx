// The terminals view: the tab strip (TabStrip.tsx, TabButton.tsx), every tab's panes with their
// terminals kept mounted so hidden tabs keep their screens (PaneGroupView.tsx), the focused pane's
// frame (red when production, marked when disconnected), search box and status bar. Closing a tab
// and ending a session are separate actions; both ask first while the session runs.
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { ProductionBadge, useTargetProduction } from '../../app/production';
import { BroadcastBanner, useBroadcast } from './Broadcast';
import { terminalMenuActions } from './terminal-menu';
import { newTabActions } from './new-tab-actions';
import { PaneGroupView } from './PaneGroupView';
import { StatusBar } from './StatusBar';
import { isLive, tabTitle, type TerminalTab } from './store';
import { TabButton } from './TabButton';
import { paneKeysOf, stripKeyOf, stripTabs } from './tab-layout';
import { TabStrip } from './TabStrip';
import { TerminalSearch } from './TerminalSearch';
import { FrameNotices, NoTerminals, useViewCommands } from './view-commands';
import { tabMenuActions } from './tab-menu-actions';

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

  const openNewTabMenu = useCallback(() => setNewTabSignal((signal) => signal + 1), []);
  useViewCommands(services, { setSearchKey, setEditingKey, openNewTabMenu });

  useEffect(() => {
    if (active && activeKey) terminals.get(activeKey)?.focus();
  }, [active, activeKey, terminals]);

  if (list.length === 0) {
    return <NoTerminals onShowInventory={() => app.getState().show('inventory')} />;
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

  const menuFor = (tab: TerminalTab) => tabMenuActions(tab, services, closeStripTab);

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
        <FrameNotices tab={activeTab} production={activeProduction} />
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
