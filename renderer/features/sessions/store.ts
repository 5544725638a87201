// Sessions view state: a vanilla zustand store with Session Manager's active and recent sessions
// (sessions:list; the caller's own unless "All users" is on), which ones are being terminated, and
// the Terminate action (sessions:terminate).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  Api,
  InventorySourceStatus,
  IpcError,
  SessionHistoryItem,
  SessionsCaller,
} from '../../../shared/ipc';

export type SessionsLoadState = 'idle' | 'loading' | 'refreshing' | 'loaded' | 'failed';

export interface SessionsState {
  /** Still running: shown first, each with Terminate when it can be ended. */
  readonly active: readonly SessionHistoryItem[];
  /** Ended sessions, newest first. */
  readonly history: readonly SessionHistoryItem[];
  readonly sources: readonly InventorySourceStatus[];
  /** The history was longer than main reads; older sessions are left out. */
  readonly truncated: boolean;
  readonly fetchedAt: string | undefined;
  readonly load: SessionsLoadState;
  /** Why the last listing failed as a whole (a failing region alone is in `sources`). */
  readonly error: IpcError | undefined;
  /** AWS session ids with a Terminate request in flight. */
  readonly terminating: ReadonlySet<string>;
  /** Every user's sessions (with an Owner column) instead of only the caller's own. */
  readonly allUsers: boolean;
  /** Who the caller is per source, as the last listing found. */
  readonly callers: readonly SessionsCaller[];

  readonly fetch: () => Promise<void>;
  /** Switches between the caller's own sessions and everyone's, and lists again. */
  readonly setAllUsers: (allUsers: boolean) => Promise<void>;
  /** Ends a session (even one started elsewhere) and lists again; false when it failed. */
  readonly terminate: (item: SessionHistoryItem) => Promise<boolean>;
}

export type SessionsStore = StoreApi<SessionsState>;

export function createSessionsStore(deps: {
  readonly api: Pick<Api, 'invoke'>;
  /** Tells the user a Terminate failed (the app's notices). */
  readonly onError: (message: string) => void;
}): SessionsStore {
  let requestSeq = 0;

  return createStore<SessionsState>()((set, get) => ({
    active: [],
    history: [],
    sources: [],
    truncated: false,
    fetchedAt: undefined,
    load: 'idle',
    error: undefined,
    terminating: new Set(),
    allUsers: false,
    callers: [],

    async fetch() {
      const seq = ++requestSeq;
      set({ load: get().fetchedAt === undefined ? 'loading' : 'refreshing' });
      const result = await deps.api.invoke('sessions:list', { allUsers: get().allUsers });
      if (seq !== requestSeq) return; // A newer request is on its way; its answer wins.
      if (!result.ok) {
        set({ load: 'failed', error: result.error });
        return;
      }
      const { sessions, sources, truncated, fetchedAt, callers } = result.value;
      set({
        callers,
        active: sessions.filter((item) => item.state === 'active'),
        history: sessions.filter((item) => item.state === 'history'),
        sources,
        truncated,
        fetchedAt,
        load: 'loaded',
        error: undefined,
      });
    },

    async setAllUsers(allUsers) {
      if (get().allUsers === allUsers) return;
      set({ allUsers });
      await get().fetch();
    },

    async terminate(item) {
      const id = item.awsSessionId;
      if (get().terminating.has(id)) return false;
      set({ terminating: new Set([...get().terminating, id]) });
      const result = await deps.api.invoke('sessions:terminate', {
        awsSessionId: id,
        sourceId: item.sourceId,
        region: item.region,
      });
      const rest = new Set(get().terminating);
      rest.delete(id);
      set({ terminating: rest });
      if (!result.ok) {
        deps.onError(`Could not terminate ${id}: ${result.error.message}`);
        return false;
      }
      await get().fetch();
      return true;
    },
  }));
}
