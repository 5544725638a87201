// App-level state: which view is shown, what main says about itself (app:info), passing notices,
// and whether the connection to main was lost. A vanilla zustand store like every feature's.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api, AppInfo, IpcError } from '../../shared/ipc';

export type View =
  | 'inventory'
  | 'terminals'
  | 'forwards'
  | 'profiles'
  | 'sessions'
  | 'recordings'
  | 'sources'
  | 'settings';

export interface Notice {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** When it was shown (epoch ms), for the history. */
  readonly at: number;
}

export interface AppState {
  readonly view: View;
  readonly info: AppInfo | undefined;
  readonly infoError: IpcError | undefined;
  readonly notices: readonly Notice[];
  /** Every notice shown lately, newest first, dismissed or not: a missed message can be read. */
  readonly noticeHistory: readonly Notice[];
  /** Set when the connection to main is gone for good (browser mode socket closed). */
  readonly lostReason: string | undefined;
  readonly loadInfo: () => Promise<void>;
  readonly show: (view: View) => void;
  readonly notify: (kind: Notice['kind'], text: string) => number;
  readonly dismiss: (id: number) => void;
  readonly clearNoticeHistory: () => void;
  readonly connectionLost: (reason: string) => void;
}

export type AppStore = StoreApi<AppState>;

/** Older notices go first once this many are on screen. */
const MAX_NOTICES = 4;
/** How many notices the history keeps. */
export const NOTICE_HISTORY_SIZE = 50;

export function createAppStore(deps: {
  readonly api: Pick<Api, 'invoke'>;
  /** Default Date.now; tests pin it. */
  readonly now?: () => number;
}): AppStore {
  const now = deps.now ?? Date.now;
  let nextNoticeId = 1;
  return createStore<AppState>()((set, get) => ({
    view: 'inventory',
    info: undefined,
    infoError: undefined,
    notices: [],
    noticeHistory: [],
    lostReason: undefined,

    async loadInfo() {
      const result = await deps.api.invoke('app:info', {});
      if (result.ok) set({ info: result.value, infoError: undefined });
      else set({ infoError: result.error });
    },

    show(view) {
      set({ view });
    },

    notify(kind, text) {
      const id = nextNoticeId++;
      const notice = { id, kind, text, at: now() };
      const notices = [...get().notices, notice];
      set({
        notices: notices.slice(-MAX_NOTICES),
        noticeHistory: [notice, ...get().noticeHistory].slice(0, NOTICE_HISTORY_SIZE),
      });
      return id;
    },

    dismiss(id) {
      set({ notices: get().notices.filter((notice) => notice.id !== id) });
    },

    clearNoticeHistory() {
      set({ noticeHistory: [] });
    },

    connectionLost(reason) {
      if (get().lostReason === undefined) set({ lostReason: reason });
    },
  }));
}
