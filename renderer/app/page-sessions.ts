// Browser mode across a reload: the ids of the sessions this page shows are kept in this browser
// tab's sessionStorage, and after a reload the page takes back exactly those (still running in
// main). A page opened afresh, or another browser tab, never takes over what a page left.
import type { TabsStore } from '../features/terminals/store';

const PAGE_SESSIONS_KEY = 'airlock.pageSessions';

/** The ids of the sessions this page shows, kept in this tab's sessionStorage across a reload. */
const pageSessions = {
  read(): ReadonlySet<string> {
    try {
      const parsed: unknown = JSON.parse(window.sessionStorage.getItem(PAGE_SESSIONS_KEY) ?? '[]');
      return new Set(Array.isArray(parsed) ? parsed.filter((id) => typeof id === 'string') : []);
    } catch {
      return new Set();
    }
  },
  write(ids: readonly string[]): void {
    try {
      window.sessionStorage.setItem(PAGE_SESSIONS_KEY, JSON.stringify(ids));
    } catch {
      // Storage refused: after a reload the page then starts without its sessions.
    }
  },
};

function pageWasReloaded(): boolean {
  const entries =
    typeof performance.getEntriesByType === 'function'
      ? performance.getEntriesByType('navigation')
      : [];
  const navigation = entries[0] as PerformanceNavigationTiming | undefined;
  return navigation?.type === 'reload';
}

/**
 * After a reload, shows this page's sessions again; from then on remembers the sessions its tabs
 * show. Returns the disposer.
 */
export function keepPageSessions(tabs: TabsStore): () => void {
  if (pageWasReloaded()) void tabs.getState().adoptOrphans(pageSessions.read());
  return tabs.subscribe((state) =>
    pageSessions.write(state.tabs.flatMap((tab) => (tab.session ? [tab.session.id] : []))),
  );
}
