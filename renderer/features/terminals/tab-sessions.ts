// The tabs store's session slice: each tab's session from sessions:start to its end (status
// events, including those that arrive before their start result; ending, restarting, going stale
// when main is lost) and, in browser mode, taking back the sessions a reloaded page left running.
import type { TabSessionId } from '../../../shared/domain';
import type { Api, SessionsStatusEvent } from '../../../shared/ipc';
import type { TabRows, TabSessionStarter, TabsLayout } from './tab-list';
import {
  ENDED_BY_USER,
  describeState,
  isEnded,
  isLive,
  tabFromAttachable,
  toState,
  type TerminalsPort,
} from './tab-model';

/** Status events that arrived before their sessions:start result (kept briefly, few at most). */
const MAX_EARLY_STATUSES = 64;

export interface TabSessionsState {
  /** Ends the tab's session but keeps the tab and its scrollback (Start again opens a new one). */
  readonly endSession: (key: string) => void;
  /** The connection to main is lost: every live tab goes stale and refuses input. */
  readonly markDisconnected: () => void;
  /** Starts a new session in a tab whose session closed or failed. */
  readonly restart: (key: string) => void;
  readonly applyStatus: (event: SessionsStatusEvent) => void;
  /**
   * Browser mode, after a reload: shows the sessions main kept for this page. Only the ids in
   * `own` are taken: another page's sessions are never this page's to show.
   */
  readonly adoptOrphans: (own: ReadonlySet<string>) => Promise<void>;
}

export interface TabSessionsDeps {
  readonly api: Pick<Api, 'invoke'>;
  readonly terminals: TerminalsPort;
  readonly newKey: () => string;
  /** Where failures nobody waits for (closing a session) are reported. */
  readonly onError?: (message: string) => void;
}

/** The session slice, and the start and close the list slice needs when tabs come and go. */
export function createTabSessions(
  deps: TabSessionsDeps,
  rows: TabRows,
  get: () => TabsLayout,
): TabSessionStarter & { readonly slice: TabSessionsState } {
  const { api, terminals } = deps;
  const earlyStatuses = new Map<TabSessionId, SessionsStatusEvent>();

  function closeSession(id: TabSessionId): void {
    void api.invoke('sessions:close', { id }).then((result) => {
      if (!result.ok && result.error.code !== 'not-found') {
        deps.onError?.(`Could not end the session: ${result.error.message}`);
      }
    });
  }

  async function start(key: string): Promise<void> {
    const tab = rows.find(key);
    if (!tab) return;
    const size = terminals.sizeHint();
    const result = await api.invoke('sessions:start', {
      instanceId: tab.target.instanceId,
      region: tab.target.region,
      sourceId: tab.target.sourceId,
      ...(tab.kind === 'document'
        ? { documentName: tab.documentName, parameters: tab.parameters }
        : {}),
      ...(tab.record === true ? { record: true } : {}),
      ...(size ? { cols: size.cols, rows: size.rows } : {}),
    });
    const current = rows.find(key);
    if (!result.ok) {
      if (current) {
        const reason = result.error.message;
        rows.update(key, (t) => ({ ...t, state: { status: 'error', reason } }));
        terminals.ended(key, `Could not start the session: ${reason}`);
      }
      return;
    }
    const id = result.value.tabSessionId;
    if (!current || current.state.status !== 'connecting' || current.session) {
      // The tab was closed (or restarted) while the session was starting: end this one.
      closeSession(id);
      return;
    }
    rows.update(key, (t) => ({
      ...t,
      session: { id, awsSessionId: result.value.awsSessionId },
    }));
    terminals.connect(key, id);
    const early = earlyStatuses.get(id);
    if (early) {
      earlyStatuses.delete(id);
      applyStatus(early);
    }
  }

  function applyStatus(event: SessionsStatusEvent): void {
    const tab = get().tabs.find((t) => t.session?.id === event.id);
    if (!tab) {
      // Either a session this window does not know, or one whose start result is still
      // on its way; keep the newest status briefly for the latter.
      if (earlyStatuses.size >= MAX_EARLY_STATUSES) {
        const oldest = earlyStatuses.keys().next().value;
        if (oldest !== undefined) earlyStatuses.delete(oldest);
      }
      earlyStatuses.set(event.id, event);
      return;
    }
    if (isEnded(tab.state)) return; // An ended session stays ended; restart makes a new one.
    const state = toState(event);
    rows.update(tab.key, (t) => ({ ...t, state }));
    if (state.status === 'open') terminals.opened(tab.key);
    if (isEnded(state)) terminals.ended(tab.key, describeState(state));
  }

  const slice: TabSessionsState = {
    endSession(key) {
      const tab = rows.find(key);
      if (!tab || !isLive(tab)) return;
      rows.update(key, (t) => ({ ...t, state: { status: 'closed', reason: ENDED_BY_USER } }));
      // Without a session yet, start() sees the tab is no longer connecting and ends it.
      if (tab.session) closeSession(tab.session.id);
      terminals.ended(key, 'Session ended. The scrollback stays; Start again opens a new one.');
    },

    markDisconnected() {
      for (const tab of get().tabs) {
        if (!isLive(tab)) continue;
        rows.update(tab.key, (t) => ({ ...t, state: { status: 'stale' } }));
        terminals.ended(
          tab.key,
          'Disconnected from Airlock. This screen is out of date and typing is not sent.',
        );
      }
    },

    restart(key) {
      const tab = rows.find(key);
      if (!tab || !isEnded(tab.state) || tab.state.status === 'stale') return;
      rows.update(key, (t) => {
        const { session: _old, ...rest } = t;
        return { ...rest, state: { status: 'connecting' } };
      });
      terminals.restarting(key, 'Starting a new session…');
      void start(key);
    },

    applyStatus,

    async adoptOrphans(own) {
      if (own.size === 0) return;
      const listed = await api.invoke('sessions:attachable', {});
      if (!listed.ok) return;
      for (const session of listed.value.sessions) {
        if (!own.has(session.tabSessionId)) continue;
        if (get().tabs.some((tab) => tab.session?.id === session.tabSessionId)) continue;
        const tab = tabFromAttachable(session, deps.newKey());
        rows.insert(tab);
        terminals.connect(tab.key, session.tabSessionId);
        const attached = await api.invoke('sessions:attach', { id: session.tabSessionId });
        if (!attached.ok) {
          // Another page adopted it first, or it ended meanwhile.
          terminals.ended(tab.key, `Session unavailable: ${attached.error.message}`);
          rows.update(tab.key, (t) => ({
            ...t,
            state: { status: 'closed', reason: attached.error.message },
          }));
        }
      }
    },
  };

  return { slice, start, closeSession };
}
