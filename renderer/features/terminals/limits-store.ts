// Each session's preferences and cut deadlines as main reports them (sessions:limits), kept by
// session id so a tab that is not showing still has them when it is shown.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TabSessionId } from '../../../shared/domain';
import type { Api, SessionsLimitsEvent } from '../../../shared/ipc';

/** Sessions remembered at most; the oldest are forgotten first. */
const MAX_SESSIONS = 500;

export interface LimitsState {
  readonly bySession: ReadonlyMap<TabSessionId, SessionsLimitsEvent>;
  apply(event: SessionsLimitsEvent): void;
  /** Starts following main's events; returns the disposer. */
  watch(): () => void;
}

export type LimitsStore = StoreApi<LimitsState>;

export function createLimitsStore(deps: { api: Pick<Api, 'on'> }): LimitsStore {
  return createStore<LimitsState>()((set, get) => ({
    bySession: new Map(),
    apply(event) {
      const next = new Map(get().bySession);
      next.delete(event.id);
      next.set(event.id, event);
      while (next.size > MAX_SESSIONS) {
        const oldest = next.keys().next().value;
        if (oldest === undefined) break;
        next.delete(oldest);
      }
      set({ bySession: next });
    },
    watch() {
      return deps.api.on('sessions:limits', (event) => get().apply(event));
    },
  }));
}
