// Whether the notice about what Airlock is connected to (the Local sandbox's explanation) shows:
// in full the first time, until the user dismisses it, and again whenever they open it from the
// header's backend badge. The dismissal is remembered in this origin's localStorage.
import { createStore, type StoreApi } from 'zustand/vanilla';

export interface BackendNoticeState {
  /** The notice shows under the header. */
  readonly open: boolean;
  readonly dismiss: () => void;
  readonly toggle: () => void;
}

export type BackendNoticeStore = StoreApi<BackendNoticeState>;

/** Where the dismissal is kept; storage that throws (private mode) counts as never dismissed. */
export interface NoticeMemory {
  dismissed(): boolean;
  noteDismissed(): void;
}

const KEY = 'airlock.sandboxNoticeDismissed';

export const localNoticeMemory: NoticeMemory = {
  dismissed() {
    try {
      return window.localStorage.getItem(KEY) === '1';
    } catch {
      return false;
    }
  },
  noteDismissed() {
    try {
      window.localStorage.setItem(KEY, '1');
    } catch {
      // Storage refused: the notice shows again on the next start, which is harmless.
    }
  },
};

export function createBackendNoticeStore(memory: NoticeMemory): BackendNoticeStore {
  return createStore<BackendNoticeState>()((set, get) => ({
    open: !memory.dismissed(),
    dismiss() {
      memory.noteDismissed();
      set({ open: false });
    },
    toggle() {
      if (get().open) get().dismiss();
      else set({ open: true });
    },
  }));
}

/** The app's one notice store (the header and the banners share it). */
export const backendNotice = createBackendNoticeStore(localNoticeMemory);
