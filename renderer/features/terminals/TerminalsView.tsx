// The terminals view: a tab strip (status, rename by double-click, close), every tab's terminal
// kept mounted so hidden tabs keep their screens, and the active tab's search box and status bar.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { COMMANDS } from '../../app/shortcuts';
import { shellProfileFromTab } from '../forwards/store';
import type { TerminalController } from './controller';
import { describeState, tabTitle, type TerminalTab } from './store';
import type { TerminalSize } from './surface';
import { TerminalSearch } from './TerminalSearch';

function TabButton(props: {
  tab: TerminalTab;
  index: number;
  active: boolean;
  editing: boolean;
  onActivate: () => void;
  onClose: () => void;
  onStartEdit: () => void;
  onRename: (title: string | undefined) => void;
}) {
  const { tab, active, editing } = props;
  const title = tabTitle(tab);
  const shortcut = props.index < 8 ? ` (Ctrl+${props.index + 1})` : '';
  return (
    <div
      className={`tab${active ? ' tab--active' : ''} tab--${tab.state.status}`}
      data-testid="terminal-tab"
      data-tab-key={tab.key}
    >
      {editing ? (
        <input
          className="tab__rename"
          aria-label="Tab name"
          defaultValue={title}
          autoFocus
          onFocus={(event) => event.currentTarget.select()}
          onBlur={(event) => props.onRename(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') props.onRename(event.currentTarget.value);
            if (event.key === 'Escape') props.onRename(undefined);
          }}
        />
      ) : (
        <button
          type="button"
          role="tab"
          aria-selected={active}
          className="tab__button"
          title={`${title} — ${describeState(tab.state)}${shortcut}. Double-click to rename.`}
          onClick={props.onActivate}
          onDoubleClick={props.onStartEdit}
          onAuxClick={(event) => {
            if (event.button === 1) props.onClose();
          }}
        >
          <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
          <span className="tab__title">{title}</span>
        </button>
      )}
      <button
        type="button"
        className="tab__close"
        aria-label={`Close ${title}`}
        title="Close (ends the session)"
        onClick={props.onClose}
      >
        ×
      </button>
    </div>
  );
}

function TerminalPane({ tabKey, visible }: { tabKey: string; visible: boolean }) {
  const { terminals } = useServices();
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const element = ref.current;
    const controller = terminals.get(tabKey);
    if (!element || !controller) return undefined;
    controller.attach(element);
    return () => controller.detach();
  }, [terminals, tabKey]);

  useEffect(() => {
    if (!visible) return;
    const controller = terminals.get(tabKey);
    controller?.fit();
    controller?.focus();
  }, [terminals, tabKey, visible]);

  return (
    <div
      ref={ref}
      className={`terminal-pane${visible ? ' terminal-pane--visible' : ''}`}
      data-testid="terminal-pane"
      data-tab-key={tabKey}
      aria-hidden={!visible}
    />
  );
}

function useTerminalSize(controller: TerminalController | undefined): TerminalSize | undefined {
  const [size, setSize] = useState<TerminalSize | undefined>(controller?.size);
  useEffect(() => {
    if (!controller) return undefined;
    setSize(controller.size);
    return controller.onSizeChange(setSize);
  }, [controller]);
  return size;
}

function StatusBar({ tab }: { tab: TerminalTab }) {
  const { tabs, terminals, forwards, app, commands } = useServices();
  const ended = tab.state.status === 'closed' || tab.state.status === 'error';
  const size = useTerminalSize(terminals.get(tab.key));
  return (
    <div className="statusbar" data-testid="terminal-status">
      <span className={`statusbar__state state--${tab.state.status}`} role="status">
        <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
        {describeState(tab.state)}
      </span>
      <span className="statusbar__target" title={tab.target.instanceId}>
        {tab.target.name ? `${tab.target.name} · ` : ''}
        <span className="mono">{tab.target.instanceId}</span> · {tab.target.region} ·{' '}
        {tab.target.sourceLabel}
        {tab.kind === 'document' ? ` · ${tab.documentName}` : ''}
      </span>
      {tab.session ? (
        <span className="statusbar__session mono" title="AWS session id">
          {tab.session.awsSessionId}
        </span>
      ) : null}
      {size && !ended ? (
        <span className="statusbar__size mono">
          {size.cols}×{size.rows}
        </span>
      ) : null}
      <span className="toolbar__spacer" />
      {ended ? (
        <button
          type="button"
          className="button button--small button--primary"
          onClick={() => tabs.getState().restart(tab.key)}
        >
          Start again
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        onClick={() => commands.run(COMMANDS.findInTerminal)}
      >
        Find
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => commands.run(COMMANDS.duplicateTab)}
      >
        Duplicate
      </button>
      <button
        type="button"
        className="button button--small"
        title="Save this tab's instance, document and parameters as a shell profile (listed under Forwards › Saved profiles)"
        onClick={() => {
          void forwards
            .getState()
            .saveProfile(shellProfileFromTab(tab, tabTitle(tab)))
            .then((error) => {
              if (error !== undefined) app.getState().notify('error', `Could not save: ${error}`);
            });
        }}
      >
        Save as profile
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => commands.run(COMMANDS.closeTab)}
      >
        {ended ? 'Close tab' : 'End session'}
      </button>
    </div>
  );
}

export function TerminalsView({ active }: { active: boolean }) {
  const services = useServices();
  const { tabs, terminals, app, commands } = services;
  const list = useStore(tabs, (state) => state.tabs);
  const activeKey = useStore(tabs, (state) => state.activeKey);
  const [editingKey, setEditingKey] = useState<string | undefined>(undefined);
  const [searchKey, setSearchKey] = useState<string | undefined>(undefined);
  const activeTab = list.find((tab) => tab.key === activeKey);

  useEffect(
    () =>
      commands.registerCommand({
        id: COMMANDS.findInTerminal,
        title: 'Find in the terminal',
        when: () => app.getState().view === 'terminals' && tabs.getState().activeKey !== undefined,
        run: () => setSearchKey(tabs.getState().activeKey),
      }),
    [commands, app, tabs],
  );

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

  const searchController =
    searchKey === activeKey && activeKey ? terminals.get(activeKey) : undefined;

  return (
    <div className="terminals">
      <div className="tabstrip" role="tablist" aria-label="Terminal tabs">
        {list.map((tab, index) => (
          <TabButton
            key={tab.key}
            tab={tab}
            index={index}
            active={tab.key === activeKey}
            editing={tab.key === editingKey}
            onActivate={() => tabs.getState().activate(tab.key)}
            onClose={() => tabs.getState().close(tab.key)}
            onStartEdit={() => setEditingKey(tab.key)}
            onRename={(title) => {
              if (title !== undefined) tabs.getState().rename(tab.key, title);
              setEditingKey(undefined);
              terminals.get(tab.key)?.focus();
            }}
          />
        ))}
      </div>
      <div className="terminal-area">
        {list.map((tab) => (
          <TerminalPane key={tab.key} tabKey={tab.key} visible={tab.key === activeKey} />
        ))}
        {searchController ? (
          <TerminalSearch
            controller={searchController}
            onClose={() => {
              setSearchKey(undefined);
              searchController.focus();
            }}
          />
        ) : null}
      </div>
      {activeTab ? <StatusBar tab={activeTab} /> : null}
    </div>
  );
}
