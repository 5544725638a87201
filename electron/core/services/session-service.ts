// SessionService: terminal sessions for the UI: start via the engine, batch output, ack-based backpressure.
import {
  IpcFailure,
  type EmitEvent,
  MAX_OUTPUT_BATCH_BYTES,
  OUTPUT_BATCH_INTERVAL_MS,
  OUTPUT_HIGH_WATERMARK_BYTES,
  OUTPUT_LOW_WATERMARK_BYTES,
  type ParsedRequestOf,
  type ResponseInputOf,
  type SessionStatus,
} from '../../../shared/ipc';
import { DocumentNameSchema, RegionSchema } from '../../../shared/domain';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { InventoryService } from './inventory-service';
import type { SessionSource } from './sources';
import { toErrorMessage } from '../base/errors';

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
  /** Stop taking output from the agent until resume() (backpressure). */
  pause(): void;
  resume(): void;
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
  /** Ends every session a vanished window or browser tab owned. */
  closeOwnedBy(owner: string): Promise<void>;
  readonly size: number;
  dispose(): Promise<void>;
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
}

interface Tab {
  readonly id: string;
  readonly owner: string;
  readonly engine: EngineShellSession;
  /** Events wait until the sessions:start result has gone out. */
  released: boolean;
  held: (() => void)[];
  chunks: Uint8Array[];
  chunkBytes: number;
  flushTimer: TimerHandle | undefined;
  unacked: number;
  paused: boolean;
  ended: boolean;
  disposers: (() => void)[];
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const logger = options.logger.child('sessions');
  const high = options.highWatermark ?? OUTPUT_HIGH_WATERMARK_BYTES;
  const low = options.lowWatermark ?? OUTPUT_LOW_WATERMARK_BYTES;
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
    if (tab.chunkBytes === 0) return;
    const joined = concat(tab.chunks, tab.chunkBytes);
    tab.chunks = [];
    tab.chunkBytes = 0;
    for (let offset = 0; offset < joined.length; offset += MAX_OUTPUT_BATCH_BYTES) {
      // Each batch owns its buffer: structured clone (Electron IPC) copies a view's whole buffer.
      const data =
        joined.length <= MAX_OUTPUT_BATCH_BYTES
          ? joined
          : joined.slice(offset, Math.min(offset + MAX_OUTPUT_BATCH_BYTES, joined.length));
      tab.unacked += data.length;
      deliver(tab, () => options.emit('sessions:output', { id: tab.id, data }, tab.owner));
    }
    if (!tab.paused && tab.unacked > high && !tab.ended) {
      tab.paused = true;
      tab.engine.pause();
    }
  }

  function onOutput(tab: Tab, bytes: Uint8Array): void {
    if (tab.ended || bytes.length === 0) return;
    tab.chunks.push(bytes.slice());
    tab.chunkBytes += bytes.length;
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
      case 'error':
        // Everything the agent printed goes out before the final status.
        flush(tab);
        tab.ended = true;
        for (const dispose of tab.disposers) dispose();
        tab.disposers = [];
        emitStatus(tab, status.state, status.state === 'closed' ? status.reason : status.message);
        return;
    }
  }

  async function terminate(tab: Tab): Promise<void> {
    tabs.delete(tab.id);
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
      const tab: Tab = {
        id: options.newId(),
        owner,
        engine,
        released: false,
        held: [],
        chunks: [],
        chunkBytes: 0,
        flushTimer: undefined,
        unacked: 0,
        paused: false,
        ended: false,
        disposers: [],
      };
      tabs.set(tab.id, tab);
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
      return {
        tabSessionId: tab.id,
        awsSessionId: engine.awsSessionId,
        instanceId: request.instanceId,
        region: RegionSchema.parse(region),
        sourceId: source.info.id,
        documentName: request.documentName ?? DocumentNameSchema.parse(DEFAULT_SHELL_DOCUMENT),
      };
    },

    input(id, data, owner) {
      const tab = owned(id, owner);
      if (!tab.ended) tab.engine.write(data);
    },

    resize(id, cols, rows, owner) {
      const tab = owned(id, owner);
      if (!tab.ended) tab.engine.resize(cols, rows);
    },

    ack(id, bytes, owner) {
      const tab = owned(id, owner);
      tab.unacked = Math.max(0, tab.unacked - bytes);
      if (tab.paused && tab.unacked <= low) {
        tab.paused = false;
        if (!tab.ended) tab.engine.resume();
      }
    },

    async close(id, owner) {
      await terminate(owned(id, owner));
    },

    async closeOwnedBy(owner) {
      const mine = [...tabs.values()].filter((tab) => tab.owner === owner);
      await Promise.all(mine.map(terminate));
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
