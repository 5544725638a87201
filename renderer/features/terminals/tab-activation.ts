// The tabs store's activation slice: which tab shows, picked by key, by position in the strip
// (Ctrl+1..9) or as the next or previous one, wrapping around; and which pane of a split tab has
// the focus; and which of them get broadcast input.
import { paneBeside, stripKeyOf, stripTabs, type SplitDirection } from './tab-layout';
import type { SetLayout, TabsLayout } from './tab-list';

export interface TabActivationState {
  readonly activate: (key: string) => void;
  readonly activateNext: () => void;
  readonly activatePrevious: () => void;
  /** Ctrl+1..8 pick by position (0-based here); index 8 (Ctrl+9) always picks the last tab. */
  readonly activateIndex: (index: number) => void;
  /**
   * Moves the focus to the previous (-1) or next (+1) pane of the active tab, if its panes lie
   * in `direction`; returns whether it moved.
   */
  readonly focusPane: (direction: SplitDirection, step: -1 | 1) => boolean;
  /** Sends what is typed in any of `keys` to all of them; false (and no change) for fewer than 2. */
  readonly startBroadcast: (keys: readonly string[]) => boolean;
  readonly stopBroadcast: () => void;
}

export function createTabActivation(set: SetLayout, get: () => TabsLayout): TabActivationState {
  function activateAt(index: number): void {
    const tab = stripTabs(get())[index];
    if (tab) set({ activeKey: tab.key });
  }

  function activeIndex(): number {
    const { groups, activeKey } = get();
    const key = activeKey === undefined ? undefined : stripKeyOf(groups, activeKey);
    return stripTabs(get()).findIndex((tab) => tab.key === key);
  }

  const stripCount = () => stripTabs(get()).length;

  return {
    activate(key) {
      if (get().tabs.some((tab) => tab.key === key)) set({ activeKey: key });
    },

    activateNext() {
      const count = stripCount();
      if (count > 0) activateAt((activeIndex() + 1) % count);
    },

    activatePrevious() {
      const count = stripCount();
      if (count > 0) activateAt((activeIndex() - 1 + count) % count);
    },

    activateIndex(index) {
      const count = stripCount();
      if (count === 0 || index < 0) return;
      activateAt(index >= 8 ? count - 1 : index);
    },

    focusPane(direction, step) {
      const { groups, activeKey } = get();
      const next = paneBeside(groups, activeKey, direction, step);
      if (next === undefined) return false;
      set({ activeKey: next });
      return true;
    },

    startBroadcast(keys) {
      const known = new Set(get().tabs.map((tab) => tab.key));
      const targets = [...new Set(keys)].filter((key) => known.has(key));
      if (targets.length < 2) return false;
      set({ broadcast: targets });
      return true;
    },

    stopBroadcast() {
      if (get().broadcast.length > 0) set({ broadcast: [] });
    },
  };
}
