// Terminal tabs: a vanilla zustand store made of three slices over one ordered list of tabs: the
// list and its verbs (tab-list.ts: open, close, rename, duplicate), each tab's session
// (tab-sessions.ts: start, status, end, restart, stale when main is lost, adopting a reloaded
// page's sessions) and which tab shows (tab-activation.ts). Bytes never pass here.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../../shared/ipc';
import { createTabActivation, type TabActivationState } from './tab-activation';
import { createTabList, createTabRows, type TabListState } from './tab-list';
import type { TerminalsPort } from './tab-model';
import { createTabSessions, type TabSessionsState } from './tab-sessions';

// The tab model the views and the app read along with the store (TerminalsPort: what TabsDeps needs).
export {
  describeState,
  isLive,
  tabTitle,
  type SessionTarget,
  type TerminalTab,
  type TerminalsPort,
} from './tab-model';

export interface TabsDeps {
  readonly api: Pick<Api, 'invoke'>;
  readonly terminals: TerminalsPort;
  readonly newKey?: () => string;
  /** Where failures nobody waits for (closing a session) are reported. */
  readonly onError?: (message: string) => void;
}

export interface TabsState extends TabListState, TabSessionsState, TabActivationState {}

export type TabsStore = StoreApi<TabsState>;

let keyCounter = 0;
function defaultNewKey(): string {
  keyCounter += 1;
  return `tab-${Date.now().toString(36)}-${keyCounter}`;
}

export function createTabsStore(deps: TabsDeps): TabsStore {
  const newKey = deps.newKey ?? defaultNewKey;

  return createStore<TabsState>()((set, get) => {
    const rows = createTabRows(set, get, deps.terminals);
    const sessions = createTabSessions({ ...deps, newKey }, rows, get);
    return {
      ...createTabList({ rows, sessions, terminals: deps.terminals, newKey }, set, get),
      ...sessions.slice,
      ...createTabActivation(set, get),
    };
  });
}
