// SessionService: terminal sessions for the UI: start via the engine, keep each screen in a headless
// terminal, batch output to the renderer, and resync a renderer that fell behind from a snapshot.
// This is the registry (who may touch which session, orphans and adoption); one session's life is
// a SessionTab (session-tab.ts) and its output path a TerminalOutput (terminal-output.ts).
import {
  IpcFailure,
  type EmitEvent,
  OUTPUT_HIGH_WATERMARK_BYTES,
  OUTPUT_LOW_WATERMARK_BYTES,
  TERMINAL_SCROLLBACK_LINES,
  type ParsedRequestOf,
  type ResponseInputOf,
  type SessionPreferences,
} from '../../../shared/ipc';
import { DocumentNameSchema, RegionSchema, TabSessionIdSchema } from '../../../shared/domain';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { InventoryService } from './inventory-service';
import { RecordedSessions, type SessionRecorder } from './session-recordings';
import { SessionLimits } from './session-limits';
import { SessionTab } from './session-tab';
import type { SessionSource } from './sources';
import type { TerminalOutputStats } from './terminal-output';

/** The document StartSession uses when none is named (datachannel/README.md §9). */
export const DEFAULT_SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';

export type EngineStatus =
  | { readonly state: 'connecting' }
  | { readonly state: 'open' }
  | { readonly state: 'reconnecting'; readonly detail?: string }
  | { readonly state: 'closed'; readonly reason: string }
  | { readonly state: 'error'; readonly message: string };

/** One running terminal session as the engine exposes it (see engine-adapter.ts). */
export interface EngineShellSession {
  readonly awsSessionId: string;
  write(bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Wake-up or network change: ping the socket and resume at once if it does not answer. */
  checkConnection(): void;
  /**
   * Main's own terminal is behind parsing: stop reading the socket (TCP slows the agent) until it
   * catches up. Nothing received goes unacknowledged.
   */
  setReadPaused(paused: boolean): void;
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /** Ends the remote session (TerminateSession) and releases everything; idempotent. */
  terminate(): Promise<void>;
}

export interface EngineStartRequest {
  readonly source: SessionSource;
  readonly region: string;
  readonly instanceId: string;
  readonly documentName?: string;
  readonly parameters?: Record<string, string[]>;
  readonly size: { readonly cols: number; readonly rows: number };
}

export interface ShellEngine {
  /** Calls StartSession and starts opening the data channel; rejects if StartSession fails. */
  start(request: EngineStartRequest): Promise<EngineShellSession>;
}

export interface SessionService {
  start(
    request: ParsedRequestOf<'sessions:start'>,
    owner: string,
  ): Promise<ResponseInputOf<'sessions:start'>>;
  input(id: string, data: Uint8Array, owner: string): void;
  resize(id: string, cols: number, rows: number, owner: string): void;
  ack(id: string, bytes: number, owner: string): void;
  close(id: string, owner: string): Promise<void>;
  /**
   * A window or browser tab vanished: ends its sessions, or with `orphanGraceMs` (browser mode,
   * where a reload looks the same) keeps them that long for the next page to adopt.
   */
  closeOwnedBy(owner: string): Promise<void>;
  /** Sessions kept after their page went away, which a new page may adopt. */
  attachable(): ResponseInputOf<'sessions:attachable'>;
  /** Adopts an orphaned session: its events go to `owner`, starting with a snapshot of its screen. */
  attach(id: string, owner: string): void;
  /** Sleep/wake, unlock or a network change: every live session checks its socket now. */
  checkConnections(): void;
  /** What main holds for a session's output, for tests and benchmarks; undefined once it is gone. */
  outputStats(id: string): SessionOutputStats | undefined;
  readonly size: number;
  dispose(): Promise<void>;
}

/** What main holds for a session's output (terminal-output.ts). */
export type SessionOutputStats = TerminalOutputStats;

export interface SessionServiceOptions {
  readonly engine: ShellEngine;
  readonly sources: () => readonly SessionSource[];
  readonly inventory: Pick<InventoryService, 'find'>;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  /** The region's Session Manager preferences, for the countdown to the session's cut. */
  readonly preferences?: (request: {
    sourceId: string;
    region: string;
  }) => Promise<{ preferences?: SessionPreferences | undefined }>;
  /** Overrides for tests; the defaults are the contract's constants. */
  readonly highWatermark?: number;
  readonly lowWatermark?: number;
  /** Lines of scrollback main keeps per session (the renderer's, by default). */
  readonly scrollback?: number;
  /** How long a session outlives its page (0, the default: it ends with it). */
  readonly orphanGraceMs?: number;
  /** Records sessions to local files when Settings or the start request ask (session-recordings.ts). */
  readonly recorder?: SessionRecorder;
}

/** The source a start request means: named, where the inventory listed it, or the first. */
function sourceFor(
  options: Pick<SessionServiceOptions, 'sources' | 'inventory'>,
  request: ParsedRequestOf<'sessions:start'>,
): { source: SessionSource; region: string } {
  const sources = options.sources();
  const listed = options.inventory.find(request.instanceId, request.sourceId, request.region);
  const sourceId = request.sourceId ?? listed?.sourceId ?? sources[0]?.info.id;
  const source = sources.find((candidate) => candidate.info.id === sourceId);
  if (!source) throw new IpcFailure('not-found', `no source ${sourceId ?? '(none configured)'}`);
  return { source, region: request.region ?? listed?.region ?? source.defaultRegion };
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const logger = options.logger.child('sessions');
  const orphanGraceMs = options.orphanGraceMs ?? 0;
  const tabs = new Map<string, SessionTab>();
  const recorded = new RecordedSessions(options.recorder);

  function owned(id: string, owner: string): SessionTab {
    const tab = tabs.get(id);
    // Another window's session is reported as missing: it is none of this sender's business.
    if (!tab || tab.owner !== owner) throw new IpcFailure('not-found', `no session ${id}`);
    return tab;
  }

  async function terminate(tab: SessionTab): Promise<void> {
    tabs.delete(tab.id);
    await tab.terminate();
    await recorded.stop(tab.id);
  }

  return {
    async start(request, owner) {
      const { source, region } = sourceFor(options, request);
      const size = { cols: request.cols ?? 80, rows: request.rows ?? 24 };
      // Read alongside StartSession; a session starts whether or not they can be read.
      const preferences = options
        .preferences?.({ sourceId: source.info.id, region })
        .then((answer) => answer.preferences)
        .catch(() => undefined);
      const startedAt = options.clock.now();
      const engine = await options.engine.start({
        source,
        region,
        instanceId: request.instanceId,
        ...(request.documentName !== undefined && { documentName: request.documentName }),
        ...(request.parameters !== undefined && { parameters: request.parameters }),
        size,
      });
      const response = {
        tabSessionId: TabSessionIdSchema.parse(options.newId()),
        awsSessionId: engine.awsSessionId,
        instanceId: request.instanceId,
        region: RegionSchema.parse(region),
        sourceId: source.info.id,
        documentName: request.documentName ?? DocumentNameSchema.parse(DEFAULT_SHELL_DOCUMENT),
      };
      const id = response.tabSessionId;
      const known = await preferences;
      const tab = new SessionTab({
        id,
        owner,
        info: {
          ...response,
          ...(request.parameters !== undefined && { parameters: request.parameters }),
        },
        engine,
        size,
        scrollback: options.scrollback ?? TERMINAL_SCROLLBACK_LINES,
        highWatermark: options.highWatermark ?? OUTPUT_HIGH_WATERMARK_BYTES,
        lowWatermark: options.lowWatermark ?? OUTPUT_LOW_WATERMARK_BYTES,
        clock: options.clock,
        emit: options.emit,
        logger,
        isKept: () => tabs.has(id),
        ...(known && { limits: new SessionLimits(options.clock, known, startedAt) }),
      });
      tabs.set(id, tab);
      const name = options.inventory.find(request.instanceId, source.info.id, region)?.name;
      recorded.begin(id, engine, {
        name,
        instanceId: request.instanceId,
        size,
        asked: request.record,
      });
      tab.begin();
      logger.log('info', 'session started', { id, awsSessionId: engine.awsSessionId, region });
      return response;
    },

    input(id, data, owner) {
      owned(id, owner).input(data);
      recorded.input(id, data);
    },

    resize(id, cols, rows, owner) {
      owned(id, owner).resize(cols, rows);
      recorded.resize(id, cols, rows);
    },

    ack(id, bytes, owner) {
      owned(id, owner).ack(bytes);
    },

    async close(id, owner) {
      await terminate(owned(id, owner));
    },

    async closeOwnedBy(owner) {
      const mine = [...tabs.values()].filter((tab) => tab.owner === owner && !tab.orphaned);
      if (orphanGraceMs <= 0) {
        await Promise.all(mine.map(terminate));
        return;
      }
      for (const tab of mine) {
        if (tab.ended) tabs.delete(tab.id);
        else tab.orphan(orphanGraceMs, () => void terminate(tab));
      }
    },

    attachable() {
      const sessions = [...tabs.values()]
        .filter((tab) => tab.orphaned && !tab.ended)
        .map((tab) => ({ ...tab.info, status: tab.status }));
      return { sessions };
    },

    attach(id, owner) {
      const tab = tabs.get(id);
      if (!tab?.orphaned || tab.ended) throw new IpcFailure('not-found', `no session ${id}`);
      tab.adopt(owner);
    },

    outputStats: (id) => tabs.get(id)?.stats(),

    checkConnections() {
      for (const tab of tabs.values()) tab.checkConnection();
    },

    get size() {
      return tabs.size;
    },

    async dispose() {
      await Promise.all([...tabs.values()].map(terminate));
    },
  };
}
