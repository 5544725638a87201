// Where the disconnected banner remembers its last automatic reload: this tab's sessionStorage,
// which outlives the reload it records and is forgotten with the tab.
import type { AutoReconnectMemory } from './Disconnected';

const KEY = 'airlock.autoReconnectAt';

export const sessionAutoReconnectMemory: AutoReconnectMemory = {
  lastAutoReload() {
    try {
      const value = Number(window.sessionStorage.getItem(KEY));
      return Number.isFinite(value) && value > 0 ? value : undefined;
    } catch {
      return undefined;
    }
  },
  noteAutoReload(at) {
    try {
      window.sessionStorage.setItem(KEY, String(at));
    } catch {
      // Storage refused (private mode): the interval is then not kept across the reload.
    }
  },
};
