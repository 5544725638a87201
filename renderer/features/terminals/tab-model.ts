// What a terminal tab is: its target, kind and session status, the requests that open one, the
// port to the terminals that show tabs, and the pure rules over tabs (titles, status sentences,
// live or ended, the tab a request or a left-behind session makes).
import type {
  DocumentName,
  InstanceId,
  Region,
  SourceId,
  TabSessionId,
} from '../../../shared/domain';
import type {
  AttachableSession,
  SessionParameters,
  SessionsStatusEvent,
} from '../../../shared/ipc';

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
  /** Recorded even with recording off in Settings: a saved shell profile asked for it. */
  readonly record?: boolean;
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
  /** Record the session even with recording off in Settings (a shell profile's opt-in). */
  readonly record?: boolean;
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

/** The document a plain shell tab starts (main's default). */
const DEFAULT_SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';

export const ENDED_BY_USER = 'you ended it';

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

export function isEnded(state: TabState): boolean {
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

/** The tab state a session status event means. */
export function toState(event: Pick<SessionsStatusEvent, 'status' | 'reason'>): TabState {
  switch (event.status) {
    case 'closed':
      return { status: 'closed', reason: event.reason ?? 'the session ended' };
    case 'error':
      return { status: 'error', reason: event.reason ?? 'the connection failed' };
    default:
      return { status: event.status };
  }
}

/** The new, connecting tab an open request makes. */
export function tabFromRequest(request: OpenTerminalRequest, key: string): TerminalTab {
  const base = {
    key,
    target: request.target,
    state: { status: 'connecting' } as const,
    ...(request.record === true ? { record: true } : {}),
  };
  return request.document
    ? {
        ...base,
        kind: 'document',
        documentName: request.document.name,
        documentLabel: request.document.label,
        parameters: request.document.parameters,
      }
    : { ...base, kind: 'shell' };
}

/** The request that opens another session like the tab's: same target, document and recording. */
export function reopenRequest(tab: TerminalTab): OpenTerminalRequest {
  return {
    target: tab.target,
    ...(tab.record === true ? { record: true } : {}),
    ...(tab.kind === 'document'
      ? {
          document: {
            name: tab.documentName,
            label: tab.documentLabel,
            parameters: tab.parameters,
          },
        }
      : {}),
  };
}

/** The tab for a live session a previous page left behind (browser mode reload). */
export function tabFromAttachable(session: AttachableSession, key: string): TerminalTab {
  const base = {
    key,
    target: {
      instanceId: session.instanceId,
      region: session.region,
      sourceId: session.sourceId,
      name: '',
      sourceLabel: session.sourceId,
    },
    session: { id: session.tabSessionId, awsSessionId: session.awsSessionId },
    state: toState({ status: session.status }),
  };
  return session.parameters === undefined && session.documentName === DEFAULT_SHELL_DOCUMENT
    ? { ...base, kind: 'shell' }
    : {
        ...base,
        kind: 'document',
        documentName: session.documentName,
        documentLabel: session.documentName,
        parameters: session.parameters ?? {},
      };
}
