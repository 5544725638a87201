// The tabs store's list slice: the tabs in their order and which one shows, the edits every slice
// makes to them (find, change one, insert one), and the verbs that add, remove or rename tabs
// (open, duplicate next to the original, close, rename).
import type { TabSessionId } from '../../../shared/domain';
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

/** The tabs in their order, and the key of the one shown. */
export interface TabsLayout {
  readonly tabs: readonly TerminalTab[];
  readonly activeKey: string | undefined;
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

  return {
    tabs: [],
    activeKey: undefined,

    open: (request) => openTab(request),

    close(key) {
      const { tabs, activeKey } = get();
      const index = tabs.findIndex((tab) => tab.key === key);
      const tab = tabs[index];
      if (!tab) return;
      const remaining = tabs.filter((t) => t.key !== key);
      const nextActive =
        activeKey === key ? (remaining[index] ?? remaining[index - 1])?.key : activeKey;
      set({ tabs: remaining, activeKey: nextActive });
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
  };
}
