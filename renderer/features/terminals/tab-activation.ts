// The tabs store's activation slice: which tab shows, picked by key, by position (Ctrl+1..9) or
// as the next or previous one, wrapping around.
import type { SetLayout, TabsLayout } from './tab-list';

export interface TabActivationState {
  readonly activate: (key: string) => void;
  readonly activateNext: () => void;
  readonly activatePrevious: () => void;
  /** Ctrl+1..8 pick by position (0-based here); index 8 (Ctrl+9) always picks the last tab. */
  readonly activateIndex: (index: number) => void;
}

export function createTabActivation(set: SetLayout, get: () => TabsLayout): TabActivationState {
  function activateAt(index: number): void {
    const tab = get().tabs[index];
    if (tab) set({ activeKey: tab.key });
  }

  function activeIndex(): number {
    const { tabs, activeKey } = get();
    return tabs.findIndex((tab) => tab.key === activeKey);
  }

  return {
    activate(key) {
      if (get().tabs.some((tab) => tab.key === key)) set({ activeKey: key });
    },

    activateNext() {
      const count = get().tabs.length;
      if (count > 0) activateAt((activeIndex() + 1) % count);
    },

    activatePrevious() {
      const count = get().tabs.length;
      if (count > 0) activateAt((activeIndex() - 1 + count) % count);
    },

    activateIndex(index) {
      const count = get().tabs.length;
      if (count === 0 || index < 0) return;
      activateAt(index >= 8 ? count - 1 : index);
    },
  };
}
