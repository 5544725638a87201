// The tabs store's list slice: the tabs in their order, their split panes and which one shows, the
// edits every slice makes to them (find, change one, insert one), and the verbs that add, remove,
// rename, reorder or split tabs (open, duplicate next to the original, close, rename, move, split).
import type { TabSessionId } from '../../../shared/domain';
import {
  MAX_PANES,
  groupOf,
  moveStripTab,
  stripTabs,
  withPane,
  withoutPane,
  type PaneGroups,
  type SplitDirection,
} from './tab-layout';
import {
  defaultTitle,
  isEnded,
  reopenRequest,
  tabFromRequest,
  type OpenOutcome,
  type OpenTerminalRequest,
  type TerminalTab,
  type TerminalsPort,
} from './tab-model';

const MAX_TITLE_LENGTH = 80;

/** The broadcast without a closed tab: one terminal left is no broadcast. */
function withoutTarget(broadcast: readonly string[], key: string): readonly string[] {
  const rest = broadcast.filter((k) => k !== key);
  return rest.length < 2 ? [] : rest;
}

/** The tabs in their order, the split ones' panes, and the key of the one with the focus. */
export interface TabsLayout {
  readonly tabs: readonly TerminalTab[];
  /** Split tabs by the key the strip shows (see tab-layout.ts). */
  readonly groups: PaneGroups;
  /** The tab (or pane) shown and focused; the strip marks the tab it is a pane of. */
  readonly activeKey: string | undefined;
  /** Tabs and panes that get what is typed in any of them (empty: no broadcast). */
  readonly broadcast: readonly string[];
}

export type SetLayout = (
  partial: Partial<TabsLayout> | ((state: TabsLayout) => Partial<TabsLayout>),
) => void;

/** The reads and edits of the tab list that every slice shares. */
export interface TabRows {
  find(key: string): TerminalTab | undefined;
  update(key: string, change: (tab: TerminalTab) => TerminalTab): void;
  /** Adds the tab (after `afterKey`, else last), makes its terminal and shows it. */
  insert(tab: TerminalTab, afterKey?: string): void;
}

export function createTabRows(
  set: SetLayout,
  get: () => TabsLayout,
  terminals: Pick<TerminalsPort, 'create'>,
): TabRows {
  return {
    find: (key) => get().tabs.find((tab) => tab.key === key),
    update(key, change) {
      set((state) => ({
        tabs: state.tabs.map((tab) => (tab.key === key ? change(tab) : tab)),
      }));
    },
    insert(tab, afterKey) {
      terminals.create(tab.key);
      set((state) => {
        const index = afterKey ? state.tabs.findIndex((t) => t.key === afterKey) : -1;
        const tabs = [...state.tabs];
        tabs.splice(index === -1 ? tabs.length : index + 1, 0, tab);
        return { tabs, activeKey: tab.key };
      });
    },
  };
}

export interface TabListState extends TabsLayout {
  readonly open: (request: OpenTerminalRequest) => OpenOutcome;
  /** Closes the tab and ends its session. */
  readonly close: (key: string) => void;
  readonly rename: (key: string, title: string) => void;
  /** Opens another session to the same target with the same document, next to the original. */
  readonly duplicate: (key: string) => OpenOutcome;
  /** Moves a strip tab (with its panes) to a position of the strip. */
  readonly move: (key: string, to: number) => void;
  /** Moves a strip tab one place left (-1) or right (+1). */
  readonly moveBy: (key: string, step: -1 | 1) => void;
  /**
   * Splits the tab (or pane) `key`: a new pane beside it (`row`) or below it (`column`) with a
   * session of its own, to the same target and document unless `request` names another.
   */
  readonly split: (
    key: string,
    direction: SplitDirection,
    request?: OpenTerminalRequest,
  ) => OpenOutcome;
}

/** What the list slice asks of the session slice when a tab comes or goes. */
export interface TabSessionStarter {
  /** Starts the session of a connecting tab. */
  start(key: string): Promise<void>;
  /** Ends a session in main; nobody waits for it. */
  closeSession(id: TabSessionId): void;
}

export function createTabList(
  deps: {
    readonly rows: TabRows;
    readonly sessions: TabSessionStarter;
    readonly terminals: Pick<TerminalsPort, 'dispose'>;
    readonly newKey: () => string;
  },
  set: SetLayout,
  get: () => TabsLayout,
): TabListState {
  const { rows, sessions } = deps;

  function openTab(request: OpenTerminalRequest, afterKey?: string): OpenOutcome {
    if (request.reachability && !request.reachability.canStartSession) {
      return {
        ok: false,
        reason: request.reachability.reason ?? 'This instance cannot start a session now.',
      };
    }
    const key = deps.newKey();
    rows.insert(tabFromRequest(request, key), afterKey);
    return { ok: true, key, started: sessions.start(key) };
  }

  function nextActiveAfterClose(key: string): string | undefined {
    const layout = get();
    if (layout.activeKey !== key) return layout.activeKey;
    const group = groupOf(layout.groups, key);
    if (group) {
      const index = group.keys.indexOf(key);
      return group.keys[index + 1] ?? group.keys[index - 1];
    }
    const strip = stripTabs(layout);
    const index = strip.findIndex((tab) => tab.key === key);
    const remaining = strip.filter((tab) => tab.key !== key);
    return (remaining[index] ?? remaining[index - 1])?.key;
  }

  function move(key: string, to: number): void {
    const tabs = moveStripTab(get(), key, to);
    if (tabs) set({ tabs });
  }

  return {
    tabs: [],
    groups: {},
    broadcast: [],
    activeKey: undefined,

    open: (request) => openTab(request),

    close(key) {
      const tab = rows.find(key);
      if (!tab) return;
      const activeKey = nextActiveAfterClose(key);
      set((state) => ({
        tabs: state.tabs.filter((t) => t.key !== key),
        groups: withoutPane(state.groups, key),
        activeKey,
        broadcast: withoutTarget(state.broadcast, key),
      }));
      if (tab.session && !isEnded(tab.state)) sessions.closeSession(tab.session.id);
      deps.terminals.dispose(key);
    },

    rename(key, title) {
      const trimmed = title.trim().slice(0, MAX_TITLE_LENGTH);
      rows.update(key, (tab) => {
        if (trimmed.length === 0 || trimmed === defaultTitle(tab)) {
          const { customTitle: _dropped, ...rest } = tab;
          return rest;
        }
        return { ...tab, customTitle: trimmed };
      });
    },

    duplicate(key) {
      const tab = rows.find(key);
      if (!tab) return { ok: false, reason: 'That tab is gone.' };
      return openTab(reopenRequest(tab), key);
    },

    move,

    moveBy(key, step) {
      const index = stripTabs(get()).findIndex((tab) => tab.key === key);
      if (index !== -1) move(key, index + step);
    },

    split(key, direction, request) {
      const tab = rows.find(key);
      if (!tab) return { ok: false, reason: 'That tab is gone.' };
      const panes = groupOf(get().groups, key)?.keys.length ?? 1;
      if (panes >= MAX_PANES) {
        return { ok: false, reason: `A tab holds at most ${MAX_PANES} panes.` };
      }
      const outcome = openTab(request ?? reopenRequest(tab), key);
      if (outcome.ok) {
        set((state) => ({ groups: withPane(state.groups, key, outcome.key, direction) }));
      }
      return outcome;
    },
  };
}
