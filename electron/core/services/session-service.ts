// SessionService: terminal sessions for the UI: start via the engine, keep each screen in a headless
// terminal, batch output to the renderer, and resync a renderer that fell behind from a snapshot.
import {
  IpcFailure,
  type EmitEvent,
  MAX_OUTPUT_BATCH_BYTES,
  OUTPUT_BATCH_INTERVAL_MS,
  OUTPUT_HIGH_WATERMARK_BYTES,
  OUTPUT_LOW_WATERMARK_BYTES,
  TERMINAL_SCROLLBACK_LINES,
  type AttachableSession,
  type ParsedRequestOf,
  type ResponseInputOf,
  type SessionStatus,
} from '../../../shared/ipc';
import { DocumentNameSchema, RegionSchema, TabSessionIdSchema } from '../../../shared/domain';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { InventoryService } from './inventory-service';
import type { SessionSource } from './sources';
import { toErrorMessage } from '../base/errors';
import { TerminalState } from './terminal-state';

/**
 * Output main's headless terminal has not parsed yet is bounded: above HIGH the socket is not read
 * (TCP flow control; acks still go out for everything received) until it is down to LOW.
 */
const UNPARSED_HIGH_BYTES = 4 * 1024 * 1024;
const UNPARSED_LOW_BYTES = 1024 * 1024;

/** An adopting page's terminal size counts as settled after this long without another. */
const ATTACH_SIZE_SETTLE_MS = 300;
/** ...and an implausibly small one only after this long. */
const ATTACH_TRANSIENT_SIZE_SETTLE_MS = 2_000;
const PLAUSIBLE_MIN_COLS = 20;
const PLAUSIBLE_MIN_ROWS = 5;

function isTransient(size: { cols: number; rows: number }): boolean {
  return size.cols < PLAUSIBLE_MIN_COLS || size.rows < PLAUSIBLE_MIN_ROWS;
}

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

export interface SessionOutputStats {
  /** Bytes sent to the renderer and not acknowledged yet. */
  readonly unackedBytes: number;
  /** Bytes waiting for the next batch (or for a snapshot on its way). */
  readonly queuedBytes: number;
  /** Bytes written to the headless terminal and not parsed yet. */
  readonly unparsedBytes: number;
  /** Lines the headless terminal holds (screen and scrollback). */
  readonly lines: number;
  readonly stale: boolean;
}

export interface SessionServiceOptions {
  readonly engine: ShellEngine;
  readonly sources: () => readonly SessionSource[];
  readonly inventory: Pick<InventoryService, 'find'>;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  /** Overrides for tests; the defaults are the contract's constants. */
  readonly highWatermark?: number;
  readonly lowWatermark?: number;
  /** Lines of scrollback main keeps per session (the renderer's, by default). */
  readonly scrollback?: number;
  /** How long a session outlives its page (0, the default: it ends with it). */
  readonly orphanGraceMs?: number;
}

interface Tab {
  readonly id: string;
  owner: string;
  /** What the page needs to show this session again after a reload. */
  readonly info: Omit<AttachableSession, 'status'>;
  status: SessionStatus;
  /** Set while the page that owned it is gone; the session ends when it fires. */
  orphanTimer: TimerHandle | undefined;
  /** Just adopted: the snapshot waits for the new page's terminal size. */
  awaitingSize: boolean;
  /** The socket is not read while main's terminal has this much output left to parse. */
  readPaused: boolean;
  /** The newest size the adopting page sent while its layout settles. */
  pendingSize: { cols: number; rows: number } | undefined;
  settleTimer: TimerHandle | undefined;
  readonly engine: EngineShellSession;
  /** Events wait until the sessions:start result has gone out. */
  released: boolean;
  held: (() => void)[];
  /** The session's screen and scrollback, whatever the renderer has drawn. */
  readonly state: TerminalState;
  chunks: Uint8Array[];
  chunkBytes: number;
  flushTimer: TimerHandle | undefined;
  /** Output bytes sent to the renderer and not acknowledged yet. */
  unacked: number;
  /** Of those, the bytes of the last snapshot still unacknowledged: they never make a renderer stale. */
  snapshotUnacked: number;
  /** The renderer is too far behind: live output is withheld until a snapshot resyncs it. */
  stale: boolean;
  /** A snapshot is on its way; output meanwhile is held and sent right after it. */
  resyncing: boolean;
  /** Runs once the snapshot on its way went out (the final status of a session that ended). */
  afterResync: (() => void) | undefined;
  ended: boolean;
  disposers: (() => void)[];
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const logger = options.logger.child('sessions');
  const high = options.highWatermark ?? OUTPUT_HIGH_WATERMARK_BYTES;
  const low = options.lowWatermark ?? OUTPUT_LOW_WATERMARK_BYTES;
  const scrollback = options.scrollback ?? TERMINAL_SCROLLBACK_LINES;
  const orphanGraceMs = options.orphanGraceMs ?? 0;
  const encoder = new TextEncoder();
  const tabs = new Map<string, Tab>();

  function owned(id: string, owner: string): Tab {
    const tab = tabs.get(id);
    // Another window's session is reported as missing: it is none of this sender's business.
    if (!tab || tab.owner !== owner) throw new IpcFailure('not-found', `no session ${id}`);
    return tab;
  }

  function deliver(tab: Tab, send: () => void): void {
    if (tab.released) send();
    else tab.held.push(send);
  }

  function emitStatus(tab: Tab, status: SessionStatus, reason?: string): void {
    tab.status = status;
    deliver(tab, () =>
      options.emit(
        'sessions:status',
        { id: tab.id, status, ...(reason !== undefined && { reason }) },
        tab.owner,
      ),
    );
  }

  function flush(tab: Tab): void {
    tab.flushTimer?.cancel();
    tab.flushTimer = undefined;
    if (tab.chunkBytes === 0 || tab.resyncing) return;
    const joined = concat(tab.chunks, tab.chunkBytes);
    tab.chunks = [];
    tab.chunkBytes = 0;
    send(tab, joined);
    if (tab.unacked - tab.snapshotUnacked > high && !tab.ended) {
      // The renderer is not keeping up (hidden window, throttled timers): stop sending it live
      // bytes. The agent is still read and acknowledged; the headless terminal keeps the screen.
      tab.stale = true;
    }
  }

  /** Emits `bytes` to the renderer in bounded events; xterm's parser carries state across them. */
  function send(tab: Tab, bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; offset += MAX_OUTPUT_BATCH_BYTES) {
      // Each batch owns its buffer: structured clone (Electron IPC) copies a view's whole buffer.
      const data =
        bytes.length <= MAX_OUTPUT_BATCH_BYTES
          ? bytes
          : bytes.slice(offset, Math.min(offset + MAX_OUTPUT_BATCH_BYTES, bytes.length));
      tab.unacked += data.length;
      deliver(tab, () => options.emit('sessions:output', { id: tab.id, data }, tab.owner));
    }
  }

  /**
   * Brings a stale renderer up to date: a snapshot of the headless terminal, then the output that
   * arrived while it was being taken. `then` runs after both went out.
   */
  function resync(tab: Tab, then?: () => void): void {
    if (tab.resyncing) {
      if (then) tab.afterResync = then;
      return;
    }
    tab.resyncing = true;
    if (then) tab.afterResync = then;
    tab.chunks = [];
    tab.chunkBytes = 0;
    tab.state.snapshot((text) => {
      if (!tabs.has(tab.id)) return;
      const snapshot = encoder.encode(text);
      tab.stale = false;
      tab.resyncing = false;
      send(tab, snapshot);
      tab.snapshotUnacked = snapshot.length;
      flush(tab);
      const after = tab.afterResync;
      tab.afterResync = undefined;
      after?.();
    });
  }

  function onOutput(tab: Tab, bytes: Uint8Array): void {
    if (tab.ended || bytes.length === 0) return;
    tab.state.write(bytes);
    if (!tab.readPaused && tab.state.pendingBytes > UNPARSED_HIGH_BYTES) {
      tab.readPaused = true;
      tab.engine.setReadPaused(true);
    }
    if (tab.stale && !tab.resyncing) return;
    tab.chunks.push(bytes.slice());
    tab.chunkBytes += bytes.length;
    if (tab.resyncing) return;
    if (tab.chunkBytes >= MAX_OUTPUT_BATCH_BYTES) flush(tab);
    else tab.flushTimer ??= options.clock.setTimeout(() => flush(tab), OUTPUT_BATCH_INTERVAL_MS);
  }

  function onStatus(tab: Tab, status: EngineStatus): void {
    if (tab.ended) return;
    switch (status.state) {
      case 'connecting':
      case 'open':
        emitStatus(tab, status.state);
        return;
      case 'reconnecting':
        emitStatus(tab, 'reconnecting', status.detail);
        return;
      case 'closed':
      case 'error': {
        tab.ended = true;
        tab.awaitingSize = false;
        tab.settleTimer?.cancel();
        tab.settleTimer = undefined;
        for (const dispose of tab.disposers) dispose();
        tab.disposers = [];
        const final = (): void => {
          emitStatus(tab, status.state, status.state === 'closed' ? status.reason : status.message);
          tab.state.dispose();
        };
        // Everything the agent printed reaches the screen before the final status: a stale
        // renderer gets the last screen as a snapshot.
        if (tab.stale || tab.resyncing) {
          resync(tab, final);
        } else {
          flush(tab);
          final();
        }
        return;
      }
    }
  }

  async function terminate(tab: Tab): Promise<void> {
    tabs.delete(tab.id);
    tab.orphanTimer?.cancel();
    tab.orphanTimer = undefined;
    tab.settleTimer?.cancel();
    tab.settleTimer = undefined;
    tab.flushTimer?.cancel();
    tab.flushTimer = undefined;
    try {
      await tab.engine.terminate();
    } catch (error) {
      logger.log('warn', 'terminating a session failed', {
        id: tab.id,
        error: toErrorMessage(error),
      });
    }
    tab.ended = true;
    for (const dispose of tab.disposers) dispose();
    tab.disposers = [];
    tab.state.dispose();
  }

  return {
    async start(request, owner) {
      const sources = options.sources();
      const listed = options.inventory.find(request.instanceId, request.sourceId, request.region);
      const sourceId = request.sourceId ?? listed?.sourceId ?? sources[0]?.info.id;
      const source = sources.find((candidate) => candidate.info.id === sourceId);
      if (!source)
        throw new IpcFailure('not-found', `no source ${sourceId ?? '(none configured)'}`);
      const region = request.region ?? listed?.region ?? source.defaultRegion;
      const engine = await options.engine.start({
        source,
        region,
        instanceId: request.instanceId,
        ...(request.documentName !== undefined && { documentName: request.documentName }),
        ...(request.parameters !== undefined && { parameters: request.parameters }),
        size: { cols: request.cols ?? 80, rows: request.rows ?? 24 },
      });
      const response = {
        tabSessionId: TabSessionIdSchema.parse(options.newId()),
        awsSessionId: engine.awsSessionId,
        instanceId: request.instanceId,
        region: RegionSchema.parse(region),
        sourceId: source.info.id,
        documentName: request.documentName ?? DocumentNameSchema.parse(DEFAULT_SHELL_DOCUMENT),
      };
      const tab: Tab = {
        id: response.tabSessionId,
        owner,
        info: {
          ...response,
          ...(request.parameters !== undefined && { parameters: request.parameters }),
        },
        status: 'connecting',
        orphanTimer: undefined,
        awaitingSize: false,
        readPaused: false,
        pendingSize: undefined,
        settleTimer: undefined,
        engine,
        released: false,
        held: [],
        state: new TerminalState({
          cols: request.cols ?? 80,
          rows: request.rows ?? 24,
          scrollback,
        }),
        chunks: [],
        chunkBytes: 0,
        flushTimer: undefined,
        unacked: 0,
        snapshotUnacked: 0,
        stale: false,
        resyncing: false,
        afterResync: undefined,
        ended: false,
        disposers: [],
      };
      tabs.set(tab.id, tab);
      tab.state.onParsed((unparsed) => {
        if (!tab.readPaused || unparsed > UNPARSED_LOW_BYTES || tab.ended) return;
        tab.readPaused = false;
        tab.engine.setReadPaused(false);
      });
      tab.disposers.push(
        engine.onOutput((bytes) => onOutput(tab, bytes)),
        engine.onStatus((status) => onStatus(tab, status)),
      );
      // The caller sends our result in this same turn (microtasks); a zero-delay timer runs
      // after it, so the renderer always learns the id before the id's first event.
      options.clock.setTimeout(() => {
        tab.released = true;
        for (const send of tab.held.splice(0)) send();
      }, 0);
      logger.log('info', 'session started', {
        id: tab.id,
        awsSessionId: engine.awsSessionId,
        region,
      });
      return response;
    },

    input(id, data, owner) {
      const tab = owned(id, owner);
      if (!tab.ended) tab.engine.write(data);
    },

    resize(id, cols, rows, owner) {
      const tab = owned(id, owner);
      if (tab.ended) return;
      if (tab.awaitingSize) {
        // A page lays its terminal out in steps: wait until the size settles, so a passing tiny
        // size never reaches the remote program or cuts main's screen. A size a real terminal
        // hardly ever has (a half-laid-out pane) only counts if nothing else follows for longer.
        const transient = cols < PLAUSIBLE_MIN_COLS || rows < PLAUSIBLE_MIN_ROWS;
        if (transient && tab.pendingSize && !isTransient(tab.pendingSize)) return;
        tab.pendingSize = { cols, rows };
        tab.settleTimer?.cancel();
        tab.settleTimer = options.clock.setTimeout(
          () => {
            tab.settleTimer = undefined;
            tab.awaitingSize = false;
            // The snapshot is taken at the size its content was drawn at, then the size changes.
            resync(tab, () => {
              const size = tab.pendingSize;
              tab.pendingSize = undefined;
              if (!size || tab.ended) return;
              tab.engine.resize(size.cols, size.rows);
              tab.state.resize(size.cols, size.rows);
            });
          },
          transient ? ATTACH_TRANSIENT_SIZE_SETTLE_MS : ATTACH_SIZE_SETTLE_MS,
        );
        return;
      }
      tab.engine.resize(cols, rows);
      tab.state.resize(cols, rows);
    },

    ack(id, bytes, owner) {
      const tab = owned(id, owner);
      tab.unacked = Math.max(0, tab.unacked - bytes);
      // Acks cover the oldest bytes first, which is the snapshot when one was sent.
      tab.snapshotUnacked = Math.max(0, tab.snapshotUnacked - bytes);
      if (tab.stale && !tab.ended && tab.unacked <= low) resync(tab);
    },

    async close(id, owner) {
      await terminate(owned(id, owner));
    },

    async closeOwnedBy(owner) {
      const mine = [...tabs.values()].filter((tab) => tab.owner === owner && !tab.orphanTimer);
      if (orphanGraceMs <= 0) {
        await Promise.all(mine.map(terminate));
        return;
      }
      for (const tab of mine) {
        if (tab.ended) {
          tabs.delete(tab.id);
          continue;
        }
        // Nobody shows it now: main's terminal keeps the screen, the next page gets a snapshot.
        tab.stale = true;
        tab.chunks = [];
        tab.chunkBytes = 0;
        tab.orphanTimer = options.clock.setTimeout(() => void terminate(tab), orphanGraceMs);
      }
    },

    attachable() {
      const sessions = [...tabs.values()]
        .filter((tab) => tab.orphanTimer !== undefined && !tab.ended)
        .map((tab) => ({ ...tab.info, status: tab.status }));
      return { sessions };
    },

    attach(id, owner) {
      const tab = tabs.get(id);
      if (!tab?.orphanTimer || tab.ended) throw new IpcFailure('not-found', `no session ${id}`);
      tab.orphanTimer.cancel();
      tab.orphanTimer = undefined;
      tab.owner = owner;
      tab.unacked = 0;
      tab.snapshotUnacked = 0;
      tab.stale = true;
      emitStatus(tab, tab.status);
      // The new page's terminal sends its size once it is laid out (not while its view is hidden);
      // a snapshot taken at that size lands as it was drawn, so it waits until then.
      tab.awaitingSize = true;
    },

    outputStats(id) {
      const tab = tabs.get(id);
      if (!tab) return undefined;
      return {
        unackedBytes: tab.unacked,
        queuedBytes: tab.chunkBytes,
        unparsedBytes: tab.state.pendingBytes,
        lines: tab.state.lines,
        stale: tab.stale,
      };
    },

    checkConnections() {
      for (const tab of tabs.values()) if (!tab.ended) tab.engine.checkConnection();
    },

    get size() {
      return tabs.size;
    },

    async dispose() {
      await Promise.all([...tabs.values()].map(terminate));
    },
  };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
