// The terminals view: a tab strip (status, production label, rename by F2, double-click or the tab
// menu, close), every tab's terminal kept mounted so hidden tabs keep their screens, the active tab's
// frame (red when production, marked when disconnected), its search box and its status bar. Closing
// a tab and ending a session are separate actions; both ask first while the session runs.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { ProductionBadge, useTargetProduction } from '../../app/production';
import { COMMANDS } from '../../app/shortcuts';
import { shellProfileFromTab } from '../forwards/profile-mapping';
import type { TerminalController } from './controller';
import { RecordingMark } from '../recordings/RecordingMark';
import { describeState, isLive, tabTitle, type TerminalTab } from './store';
import type { TerminalSize } from './surface';
import { SessionCountdown, SessionCutWarning } from './SessionCountdown';
import { TerminalSearch } from './TerminalSearch';

function RenameBox(props: { title: string; onDone: (title: string | undefined) => void }) {
  const done = useRef(false);
  const finish = (title: string | undefined) => {
    if (done.current) return;
    done.current = true;
    props.onDone(title);
  };
  return (
    <input
      className="tab__rename"
      aria-label="Tab name"
      defaultValue={props.title}
      autoFocus
      onFocus={(event) => event.currentTarget.select()}
      onBlur={(event) => finish(event.currentTarget.value)}
      onKeyDown={(event) => {
        // Enter and Escape end the rename and stop here: no shortcut, no terminal sees them.
        if (event.key !== 'Enter' && event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        finish(event.key === 'Enter' ? event.currentTarget.value : undefined);
      }}
    />
  );
}

interface TabMenuAction {
  readonly label: string;
  readonly hint?: string;
  readonly run: () => void;
  readonly danger?: boolean;
}

/** The tab's menu (right-click, the context-menu key or Shift+F10 on a tab). */
function TabMenu(props: {
  title: string;
  at: { readonly left: number; readonly top: number };
  actions: readonly TabMenuAction[];
  onClose: (refocus: boolean) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    list.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [
      ...(list.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
    ];
    const index = items.findIndex((item) => item === document.activeElement);
    if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      props.onClose(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };
  return (
    <div
      className="tab-menu"
      role="menu"
      aria-label={`${props.title} tab`}
      ref={list}
      style={{ left: props.at.left, top: props.at.top }}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!(event.relatedTarget instanceof Node && list.current?.contains(event.relatedTarget))) {
          props.onClose(false);
        }
      }}
    >
      {props.actions.map((action) => (
        <button
          type="button"
          role="menuitem"
          key={action.label}
          className={`tab-menu__item${action.danger ? ' tab-menu__item--danger' : ''}`}
          onClick={() => {
            props.onClose(false);
            action.run();
          }}
        >
          <span>{action.label}</span>
          {action.hint ? <kbd className="tab-menu__hint">{action.hint}</kbd> : null}
        </button>
      ))}
    </div>
  );
}

function TabButton(props: {
  tab: TerminalTab;
  index: number;
  active: boolean;
  editing: boolean;
  production: string | undefined;
  menuActions: readonly TabMenuAction[];
  onActivate: () => void;
  onClose: () => void;
  onStartEdit: () => void;
  onRename: (title: string | undefined) => void;
}) {
  const { tab, active, editing, production } = props;
  const title = tabTitle(tab);
  const shortcut = props.index < 8 ? ` (Ctrl+${props.index + 1})` : '';
  const [menuAt, setMenuAt] = useState<{ left: number; top: number } | undefined>(undefined);
  const openMenu = () => {
    const rect = button.current?.getBoundingClientRect();
    setMenuAt({ left: rect?.left ?? 0, top: rect?.bottom ?? 0 });
  };
  const button = useRef<HTMLButtonElement>(null);
  const prod = production === undefined ? '' : ` Production (${production}).`;
  return (
    <div
      className={`tab${active ? ' tab--active' : ''} tab--${tab.state.status}${production === undefined ? '' : ' tab--production'}`}
      data-testid="terminal-tab"
      data-tab-key={tab.key}
      data-production={String(production !== undefined)}
    >
      {editing ? (
        <RenameBox title={title} onDone={props.onRename} />
      ) : (
        <button
          ref={button}
          type="button"
          role="tab"
          aria-selected={active}
          aria-haspopup="menu"
          className="tab__button"
          title={`${title} — ${describeState(tab.state)}${shortcut}.${prod} F2 or double-click to rename; right-click for more.`}
          onClick={props.onActivate}
          onDoubleClick={props.onStartEdit}
          onContextMenu={(event) => {
            event.preventDefault();
            props.onActivate();
            openMenu();
          }}
          onKeyDown={(event) => {
            if (event.key === 'F2') {
              event.preventDefault();
              props.onStartEdit();
            } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
              event.preventDefault();
              openMenu();
            }
          }}
          onAuxClick={(event) => {
            if (event.button === 1) props.onClose();
          }}
        >
          <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
          {production !== undefined ? <ProductionBadge reason={production} /> : null}
          <span className="tab__title">{title}</span>
          <RecordingMark sessionId={tab.session?.id} />
        </button>
      )}
      {/* A tab list may hold only tabs: the close button is for the mouse; the keyboard closes
          with Ctrl+Shift+W or the tab's menu (context-menu key, Shift+F10). */}
      <button
        type="button"
        className="tab__close"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="tab-close"
        aria-label={`Close ${title}`}
        title={isLive(tab) ? 'Close the tab (ends the session; asks first)' : 'Close the tab'}
        onClick={props.onClose}
      >
        ×
      </button>
      {menuAt ? (
        <TabMenu
          title={title}
          at={menuAt}
          actions={props.menuActions}
          onClose={(refocus) => {
            setMenuAt(undefined);
            if (refocus) button.current?.focus();
          }}
        />
      ) : null}
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
  const services = useServices();
  const { tabs, terminals, forwards, app, commands } = services;
  const live = isLive(tab);
  const stale = tab.state.status === 'stale';
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
      <SessionCountdown limits={services.limits} sessionId={tab.session?.id} live={live} />
      {size && live ? (
        <span className="statusbar__size mono">
          {size.cols}×{size.rows}
        </span>
      ) : null}
      <span className="toolbar__spacer" />
      {!live && !stale ? (
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
        disabled={stale}
        onClick={() => commands.run(COMMANDS.duplicateTab)}
      >
        Duplicate
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={stale}
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
      {live ? (
        <button
          type="button"
          className="button button--small"
          title="Ends the session; the tab and its scrollback stay"
          onClick={() => void services.endTabSession(tab.key)}
        >
          End session
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        onClick={() => void services.closeTab(tab.key)}
      >
        Close tab
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
  const productionOf = useTargetProduction();

  useEffect(() => {
    const disposers = [
      commands.registerCommand({
        id: COMMANDS.findInTerminal,
        title: 'Find in the terminal',
        when: () => app.getState().view === 'terminals' && tabs.getState().activeKey !== undefined,
        run: () => setSearchKey(tabs.getState().activeKey),
      }),
      commands.registerCommand({
        id: COMMANDS.renameTab,
        title: 'Rename the terminal tab',
        when: () => app.getState().view === 'terminals' && tabs.getState().activeKey !== undefined,
        run: () => setEditingKey(tabs.getState().activeKey),
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

  const searchController =
    searchKey === activeKey && activeKey ? terminals.get(activeKey) : undefined;
  const targetOf = (tab: TerminalTab) => ({
    instanceId: tab.target.instanceId,
    region: tab.target.region,
    profile: tab.target.profile,
    tags: tab.target.tags,
  });
  const activeProduction = activeTab ? productionOf(targetOf(activeTab)) : undefined;
  const activeStale = activeTab?.state.status === 'stale';

  const menuFor = (tab: TerminalTab): TabMenuAction[] => [
    // Right-click made the tab active, so the rename command acts on it.
    { label: 'Rename', hint: 'F2', run: () => void commands.run(COMMANDS.renameTab) },
    ...(tab.state.status === 'stale'
      ? []
      : [{ label: 'Duplicate', run: () => void tabs.getState().duplicate(tab.key) }]),
    ...(isLive(tab)
      ? [{ label: 'End session', run: () => void services.endTabSession(tab.key), danger: true }]
      : []),
    { label: 'Close tab', run: () => void services.closeTab(tab.key), danger: isLive(tab) },
  ];

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
            production={productionOf(targetOf(tab))}
            menuActions={menuFor(tab)}
            onActivate={() => tabs.getState().activate(tab.key)}
            onClose={() => void services.closeTab(tab.key)}
            onStartEdit={() => setEditingKey(tab.key)}
            onRename={(title) => {
              if (title !== undefined) tabs.getState().rename(tab.key, title);
              setEditingKey(undefined);
              // After the key that ended the rename is fully handled, never during it.
              setTimeout(() => terminals.get(tab.key)?.focus(), 0);
            }}
          />
        ))}
      </div>
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
