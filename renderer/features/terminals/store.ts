// Terminal tabs: a vanilla zustand store holding each tab's target and session status, with the
// tab verbs (open, close, end session, rename, duplicate, restart, activate, next/previous) and the
// stale state every live tab takes when the connection to main is lost. Bytes never pass here.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  DocumentName,
  InstanceId,
  Region,
  SourceId,
  TabSessionId,
} from '../../../shared/domain';
import type { Api, SessionParameters, SessionsStatusEvent } from '../../../shared/ipc';

/** What a tab connects to: enough to start (and restart, duplicate) a session. */
export interface SessionTarget {
  readonly instanceId: InstanceId;
  readonly region: Region;
  readonly sourceId: SourceId;
  /** The instance's display name ('' when it has none). */
  readonly name: string;
  readonly sourceLabel: string;
  /** The AWS profile and tags the instance was listed with (production marking reads them). */
  readonly profile?: string;
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export type TabState =
  | { readonly status: 'connecting' }
  | { readonly status: 'open' }
  | { readonly status: 'reconnecting' }
  | { readonly status: 'closed'; readonly reason: string }
  | { readonly status: 'error'; readonly reason: string }
  /** The connection to main is gone: what the tab shows is out of date and input goes nowhere. */
  | { readonly status: 'stale' };

export type TabStatus = TabState['status'];

interface TabBase {
  /** Airlock-local id of the tab (stable across restarts of its session). */
  readonly key: string;
  readonly target: SessionTarget;
  /** Set by the user; the tab shows its default title when absent. */
  readonly customTitle?: string;
  /** Present once sessions:start succeeded. */
  readonly session?: { readonly id: TabSessionId; readonly awsSessionId: string };
  readonly state: TabState;
}

/** A login shell (the default Session document). */
export interface ShellTab extends TabBase {
  readonly kind: 'shell';
}

/** A session started with a chosen Session document and its parameters. */
export interface DocumentTab extends TabBase {
  readonly kind: 'document';
  readonly documentName: DocumentName;
  /** Short label of the document for the title, e.g. "Interactive command". */
  readonly documentLabel: string;
  readonly parameters: SessionParameters;
}

export type TerminalTab = ShellTab | DocumentTab;

export interface OpenTerminalRequest {
  readonly target: SessionTarget;
  /** From the inventory: when false, opening is refused with `reason`. */
  readonly reachability?: {
    readonly canStartSession: boolean;
    readonly reason?: string | undefined;
  };
  readonly document?: {
    readonly name: DocumentName;
    readonly label: string;
    readonly parameters: SessionParameters;
  };
}

export type OpenOutcome =
  | { readonly ok: true; readonly key: string; readonly started: Promise<void> }
  | { readonly ok: false; readonly reason: string };

/** What the store needs from the terminals that show its tabs (the registry of controllers). */
export interface TerminalsPort {
  /** A tab was added: make its terminal now, so it can show output as soon as there is any. */
  create(key: string): void;
  /** The tab's session exists: route its output to the tab's terminal and its input to main. */
  connect(key: string, id: TabSessionId): void;
  /** The session is open (again): resend the terminal size. */
  opened(key: string): void;
  /** The session ended; `notice` is shown in the terminal. */
  ended(key: string, notice: string): void;
  /** A new session is starting in an existing tab. */
  restarting(key: string, notice: string): void;
  /** The tab is gone: dispose its terminal. */
  dispose(key: string): void;
  /** The size new terminals will most likely have (the last fitted one), when known. */
  sizeHint(): { cols: number; rows: number } | undefined;
}

export interface TabsDeps {
  readonly api: Pick<Api, 'invoke'>;
  readonly terminals: TerminalsPort;
  readonly newKey?: () => string;
  /** Where failures nobody waits for (closing a session) are reported. */
  readonly onError?: (message: string) => void;
}

export interface TabsState {
  readonly tabs: readonly TerminalTab[];
  readonly activeKey: string | undefined;
  readonly open: (request: OpenTerminalRequest) => OpenOutcome;
  /** Closes the tab and ends its session. */
  readonly close: (key: string) => void;
  /** Ends the tab's session but keeps the tab and its scrollback (Start again opens a new one). */
  readonly endSession: (key: string) => void;
  /** The connection to main is lost: every live tab goes stale and refuses input. */
  readonly markDisconnected: () => void;
  readonly rename: (key: string, title: string) => void;
  /** Opens another session to the same target with the same document, next to the original. */
  readonly duplicate: (key: string) => OpenOutcome;
  /** Starts a new session in a tab whose session closed or failed. */
  readonly restart: (key: string) => void;
  readonly activate: (key: string) => void;
  readonly activateNext: () => void;
  readonly activatePrevious: () => void;
  /** Ctrl+1..8 pick by position (0-based here); index 8 (Ctrl+9) always picks the last tab. */
  readonly activateIndex: (index: number) => void;
  readonly applyStatus: (event: SessionsStatusEvent) => void;
  /**
   * Makes tabs for the live sessions a previous page left behind (browser mode reload) and takes
   * them over; main answers each with a snapshot of its screen.
   */
  /**
   * Browser mode, after a reload: shows the sessions main kept for this page. Only the ids in
   * `own` are taken: another page's sessions are never this page's to show.
   */
  readonly adoptOrphans: (own: ReadonlySet<string>) => Promise<void>;
}

export type TabsStore = StoreApi<TabsState>;

const MAX_TITLE_LENGTH = 80;
/** The document a plain shell tab starts (main's default). */
const DEFAULT_SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';

export function defaultTitle(tab: TerminalTab): string {
  const base = tab.target.name || tab.target.instanceId;
  if (tab.kind === 'shell') return base;
  const command = tab.parameters['command']?.[0];
  return `${base}: ${command ?? tab.documentLabel}`;
}

export function tabTitle(tab: TerminalTab): string {
  return tab.customTitle ?? defaultTitle(tab);
}

/** The sentence shown for a tab's status (status bar, tab tooltip). */
export function describeState(state: TabState): string {
  switch (state.status) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Connected';
    case 'reconnecting':
      return 'Connection lost, reconnecting…';
    case 'closed':
      return `Session closed: ${state.reason}`;
    case 'error':
      return `Session failed: ${state.reason}`;
    case 'stale':
      return 'Disconnected from Airlock: out of date, typing is not sent';
  }
}

function isEnded(state: TabState): boolean {
  return state.status === 'closed' || state.status === 'error' || state.status === 'stale';
}

/** The tab's session is (or is about to be) running: closing it ends something. */
export function isLive(tab: TerminalTab): boolean {
  return (
    tab.state.status === 'connecting' ||
    tab.state.status === 'open' ||
    tab.state.status === 'reconnecting'
  );
}

export const ENDED_BY_USER = 'you ended it';

let keyCounter = 0;
function defaultNewKey(): string {
  keyCounter += 1;
  return `tab-${Date.now().toString(36)}-${keyCounter}`;
}

/** Status events that arrived before their sessions:start result (kept briefly, few at most). */
const MAX_EARLY_STATUSES = 64;

export function createTabsStore(deps: TabsDeps): TabsStore {
  const newKey = deps.newKey ?? defaultNewKey;
  const earlyStatuses = new Map<TabSessionId, SessionsStatusEvent>();

  return createStore<TabsState>()((set, get) => {
    function update(key: string, change: (tab: TerminalTab) => TerminalTab): void {
      set((state) => ({
        tabs: state.tabs.map((tab) => (tab.key === key ? change(tab) : tab)),
      }));
    }

    function find(key: string): TerminalTab | undefined {
      return get().tabs.find((tab) => tab.key === key);
    }

    function endSession(id: TabSessionId): void {
      void deps.api.invoke('sessions:close', { id }).then((result) => {
        if (!result.ok && result.error.code !== 'not-found') {
          deps.onError?.(`Could not end the session: ${result.error.message}`);
        }
      });
    }

    async function start(key: string): Promise<void> {
      const tab = find(key);
      if (!tab) return;
      const size = deps.terminals.sizeHint();
      const result = await deps.api.invoke('sessions:start', {
        instanceId: tab.target.instanceId,
        region: tab.target.region,
        sourceId: tab.target.sourceId,
        ...(tab.kind === 'document'
          ? { documentName: tab.documentName, parameters: tab.parameters }
          : {}),
        ...(size ? { cols: size.cols, rows: size.rows } : {}),
      });
      const current = find(key);
      if (!result.ok) {
        if (current) {
          const reason = result.error.message;
          update(key, (t) => ({ ...t, state: { status: 'error', reason } }));
          deps.terminals.ended(key, `Could not start the session: ${reason}`);
        }
        return;
      }
      const id = result.value.tabSessionId;
      if (!current || current.state.status !== 'connecting' || current.session) {
        // The tab was closed (or restarted) while the session was starting: end this one.
        endSession(id);
        return;
      }
      update(key, (t) => ({
        ...t,
        session: { id, awsSessionId: result.value.awsSessionId },
      }));
      deps.terminals.connect(key, id);
      const early = earlyStatuses.get(id);
      if (early) {
        earlyStatuses.delete(id);
        get().applyStatus(early);
      }
    }

    function insertTab(tab: TerminalTab, afterKey?: string): void {
      deps.terminals.create(tab.key);
      set((state) => {
        const index = afterKey ? state.tabs.findIndex((t) => t.key === afterKey) : -1;
        const tabs = [...state.tabs];
        tabs.splice(index === -1 ? tabs.length : index + 1, 0, tab);
        return { tabs, activeKey: tab.key };
      });
    }

    function openTab(request: OpenTerminalRequest, afterKey?: string): OpenOutcome {
      if (request.reachability && !request.reachability.canStartSession) {
        return {
          ok: false,
          reason: request.reachability.reason ?? 'This instance cannot start a session now.',
        };
      }
      const key = newKey();
      const base = { key, target: request.target, state: { status: 'connecting' } as const };
      const tab: TerminalTab = request.document
        ? {
            ...base,
            kind: 'document',
            documentName: request.document.name,
            documentLabel: request.document.label,
            parameters: request.document.parameters,
          }
        : { ...base, kind: 'shell' };
      insertTab(tab, afterKey);
      return { ok: true, key, started: start(key) };
    }

    function activateAt(index: number): void {
      const tab = get().tabs[index];
      if (tab) set({ activeKey: tab.key });
    }

    function activeIndex(): number {
      const { tabs, activeKey } = get();
      return tabs.findIndex((tab) => tab.key === activeKey);
    }

    return {
      tabs: [],
      activeKey: undefined,

      open: (request) => openTab(request),

      close(key) {
        const { tabs, activeKey } = get();
        const index = tabs.findIndex((tab) => tab.key === key);
        const tab = tabs[index];
        if (!tab) return;
        const remaining = tabs.filter((t) => t.key !== key);
        const nextActive =
          activeKey === key ? (remaining[index] ?? remaining[index - 1])?.key : activeKey;
        set({ tabs: remaining, activeKey: nextActive });
        if (tab.session && !isEnded(tab.state)) endSession(tab.session.id);
        deps.terminals.dispose(key);
      },

      endSession(key) {
        const tab = find(key);
        if (!tab || !isLive(tab)) return;
        update(key, (t) => ({ ...t, state: { status: 'closed', reason: ENDED_BY_USER } }));
        // Without a session yet, start() sees the tab is no longer connecting and ends it.
        if (tab.session) endSession(tab.session.id);
        deps.terminals.ended(
          key,
          'Session ended. The scrollback stays; Start again opens a new one.',
        );
      },

      markDisconnected() {
        for (const tab of get().tabs) {
          if (!isLive(tab)) continue;
          update(tab.key, (t) => ({ ...t, state: { status: 'stale' } }));
          deps.terminals.ended(
            tab.key,
            'Disconnected from Airlock. This screen is out of date and typing is not sent.',
          );
        }
      },

      rename(key, title) {
        const trimmed = title.trim().slice(0, MAX_TITLE_LENGTH);
        update(key, (tab) => {
          if (trimmed.length === 0 || trimmed === defaultTitle(tab)) {
            const { customTitle: _dropped, ...rest } = tab;
            return rest;
          }
          return { ...tab, customTitle: trimmed };
        });
      },

      duplicate(key) {
        const tab = find(key);
        if (!tab) return { ok: false, reason: 'That tab is gone.' };
        return openTab(
          {
            target: tab.target,
            ...(tab.kind === 'document'
              ? {
                  document: {
                    name: tab.documentName,
                    label: tab.documentLabel,
                    parameters: tab.parameters,
                  },
                }
              : {}),
          },
          key,
        );
      },

      restart(key) {
        const tab = find(key);
        if (!tab || !isEnded(tab.state) || tab.state.status === 'stale') return;
        update(key, (t) => {
          const { session: _old, ...rest } = t;
          return { ...rest, state: { status: 'connecting' } };
        });
        deps.terminals.restarting(key, 'Starting a new session…');
        void start(key);
      },

      activate(key) {
        if (find(key)) set({ activeKey: key });
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

      async adoptOrphans(own) {
        if (own.size === 0) return;
        const listed = await deps.api.invoke('sessions:attachable', {});
        if (!listed.ok) return;
        for (const session of listed.value.sessions) {
          if (!own.has(session.tabSessionId)) continue;
          if (get().tabs.some((tab) => tab.session?.id === session.tabSessionId)) continue;
          const base = {
            key: newKey(),
            target: {
              instanceId: session.instanceId,
              region: session.region,
              sourceId: session.sourceId,
              name: '',
              sourceLabel: session.sourceId,
            },
            session: { id: session.tabSessionId, awsSessionId: session.awsSessionId },
            state: toState({ id: session.tabSessionId, status: session.status }),
          };
          const tab: TerminalTab =
            session.parameters === undefined && session.documentName === DEFAULT_SHELL_DOCUMENT
              ? { ...base, kind: 'shell' }
              : {
                  ...base,
                  kind: 'document',
                  documentName: session.documentName,
                  documentLabel: session.documentName,
                  parameters: session.parameters ?? {},
                };
          insertTab(tab);
          deps.terminals.connect(tab.key, session.tabSessionId);
          const attached = await deps.api.invoke('sessions:attach', { id: session.tabSessionId });
          if (!attached.ok) {
            // Another page adopted it first, or it ended meanwhile.
            deps.terminals.ended(tab.key, `Session unavailable: ${attached.error.message}`);
            update(tab.key, (t) => ({
              ...t,
              state: { status: 'closed', reason: attached.error.message },
            }));
          }
        }
      },

      applyStatus(event) {
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
        update(tab.key, (t) => ({ ...t, state }));
        if (state.status === 'open') deps.terminals.opened(tab.key);
        if (isEnded(state)) deps.terminals.ended(tab.key, describeState(state));
      },
    };
  });
}

function toState(event: SessionsStatusEvent): TabState {
  switch (event.status) {
    case 'closed':
      return { status: 'closed', reason: event.reason ?? 'the session ended' };
    case 'error':
      return { status: 'error', reason: event.reason ?? 'the connection failed' };
    default:
      return { status: event.status };
  }
}
