// Port sessions: local connections carried over the data channel in basic, multiplexed or stream mode.

import type { Duplex } from 'node:stream';
import { FlagValue, PayloadType, buildFlagPayload, parseFlagPayload } from '../datachannel/codec';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';
import type { Emitter } from '../base/event';
import type { Disposable } from '../base/lifecycle';
import {
  sendChunked,
  sessionEmitter,
  type Delivery,
  type SessionLink,
  type StreamHandler,
} from './link';

/** The handshake Properties a port session reads (datachannel/README.md §5.3); every field is optional text. */
export interface PortProperties {
  portNumber?: string;
  localPortNumber?: string;
  localConnectionType?: string;
  localUnixSocket?: string;
  type?: string;
  host?: string;
}

/**
 * - `mux`: many concurrent connections as smux streams (LocalPortForwarding, agent > 3.0.196.0);
 * - `basic`: one connection at a time, DisconnectToPort after each (older agents);
 * - `stream`: a single byte stream without a type, e.g. AWS-StartSSHSession as a ProxyCommand.
 */
export type PortMode = 'mux' | 'basic' | 'stream';

export type PortEvent =
  | { type: 'connection-accepted'; first: boolean; active: number }
  | { type: 'connection-closed'; active: number }
  /** The agent could not reach the destination for a new connection (mux Flag 3). */
  | { type: 'connect-error' }
  /** Stream mode: the local input ended, which ends a ProxyCommand-style session. */
  | { type: 'local-end' };

export interface PortStats {
  /** Bytes read from local connections and sent to the agent. */
  bytesUp: number;
  /** Bytes received from the agent and written to local connections. */
  bytesDown: number;
  activeConnections: number;
  totalConnections: number;
}

export interface PortForwardSession extends StreamHandler {
  readonly mode: PortMode;
  readonly properties: PortProperties;
  /**
   * Carries one local connection (a net.Socket or any Duplex) over the session. The caller owns
   * the listener, so it can keep listening while sessions come and go; connections handed in
   * before the handshake completes wait, paused.
   */
  handleConnection(connection: Duplex): void;
  onEvent(listener: (event: PortEvent) => void): Disposable;
  readonly stats: PortStats;
  /**
   * Ends the remote port session: the TerminateSession flag when the agent understands it
   * (returns true once it is acknowledged or `timeoutMs` passed), else false so the caller can use
   * the TerminateSession API instead (datachannel/README.md §5.3).
   */
  sendTerminate(timeoutMs?: number): Promise<boolean>;
}

/** Which mode the official client picks for this handshake (datachannel/README.md §5, table). */
export function choosePortMode(properties: PortProperties, agentVersion: string): PortMode {
  if (properties.type !== 'LocalPortForwarding') return 'stream';
  return isVersionGreater(agentVersion, AgentFeatureVersions.portMultiplexing) ? 'mux' : 'basic';
}

/** Reads the string-valued properties the client uses; anything else is ignored. */
export function toPortProperties(raw: Record<string, unknown> | null): PortProperties {
  const out: PortProperties = {};
  if (!raw) return out;
  for (const key of [
    'portNumber',
    'localPortNumber',
    'localConnectionType',
    'localUnixSocket',
    'type',
    'host',
  ] as const) {
    const value = raw[key];
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[key] = String(value);
  }
  return out;
}

/**
 * How many bytes of agent data may wait in local sockets' write buffers before we stop reading the
 * data channel (datachannel/README.md §12). Same budget as smux's receive buffer. What arrived is
 * still delivered and acknowledged: withholding acks would leave the real agent resending one
 * message per tick (spec 4.5), far slower than TCP back-pressure.
 */
export const LOCAL_WRITE_HIGH_WATERMARK = 4 * 1024 * 1024;

/** Reading resumes once the local backlog is down to this. */
export const LOCAL_WRITE_LOW_WATERMARK = 1024 * 1024;

/** Shared plumbing: events, stats, pausing local readers while the channel is not writable. */
export abstract class PortForwarderBase implements PortForwardSession {
  abstract readonly mode: PortMode;
  readonly stats: PortStats = {
    bytesUp: 0,
    bytesDown: 0,
    activeConnections: 0,
    totalConnections: 0,
  };
  protected readonly events: Emitter<PortEvent>;
  protected started = false;
  protected ended = false;
  /** Local connections currently read from; paused together when the channel is full. */
  protected readonly readers = new Set<Duplex>();
  private pausedForBackpressure = false;
  /** True while we stopped reading the data channel for local clients to catch up. */
  private incomingPaused = false;
  private readonly writableSubscription: Disposable;

  constructor(
    protected readonly link: SessionLink,
    readonly properties: PortProperties,
  ) {
    this.events = sessionEmitter(link.logger);
    this.writableSubscription = link.onWritable(() => this.resumeReaders());
  }

  abstract handleConnection(connection: Duplex): void;
  abstract deliver(payloadType: number, payload: Uint8Array): Delivery;
  /** The local connections agent data is written to, for the back-pressure count. */
  protected abstract localConnections(): Iterable<Duplex>;
  protected abstract onStart(): void;
  protected abstract onEnd(): void;

  onEvent(listener: (event: PortEvent) => void): Disposable {
    return this.events.event(listener);
  }

  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.onStart();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.writableSubscription.dispose();
    this.readers.clear();
    this.onEnd();
    if (this.incomingPaused) {
      this.incomingPaused = false;
      this.link.setReadPaused(false);
    }
    // Connections closing after this report to nobody: the session is over.
    this.events.dispose();
  }

  async sendTerminate(timeoutMs = 2000): Promise<boolean> {
    // Basic mode against agents up to 2.3.722.0 does not know the flag (datachannel/README.md §5.3); mux always does.
    if (
      this.mode !== 'mux' &&
      !isVersionGreater(this.link.agentVersion, AgentFeatureVersions.terminateSessionFlag)
    ) {
      return false;
    }
    this.link.send(PayloadType.Flag, buildFlagPayload(FlagValue.TerminateSession));
    await this.link.drain(timeoutMs);
    return true;
  }

  /** Sends local bytes upstream and pauses all readers when the channel's queue is full. */
  protected sendUp(bytes: Uint8Array, send: (bytes: Uint8Array) => void): void {
    this.stats.bytesUp += bytes.length;
    send(bytes);
    if (!this.link.writable) this.pauseReaders();
  }

  protected sendOutput(bytes: Uint8Array): void {
    sendChunked(this.link, PayloadType.Output, bytes);
  }

  /** Starts reading `connection` (its 'data' handler must be attached), unless the channel is full. */
  protected addReader(connection: Duplex): void {
    this.readers.add(connection);
    if (!this.pausedForBackpressure) connection.resume();
  }

  protected removeReader(connection: Duplex): void {
    this.readers.delete(connection);
  }

  /**
   * Writes agent data to a local connection, then stops reading the data channel if local
   * clients have fallen too far behind. Call watchBacklog() once per connection first.
   */
  protected writeDown(connection: Duplex, bytes: Uint8Array): void {
    this.stats.bytesDown += bytes.length;
    connection.write(bytes);
    if (
      !this.incomingPaused &&
      pendingWrites(this.localConnections()) > LOCAL_WRITE_HIGH_WATERMARK
    ) {
      this.incomingPaused = true;
      this.link.setReadPaused(true);
    }
  }

  /** Resumes reading the data channel when `connection` drains or goes away. */
  protected watchBacklog(connection: Duplex): void {
    const check = (): void => this.resumeIncomingIfDrained();
    connection.on('drain', check);
    connection.once('close', () => {
      connection.off('drain', check);
      // The closing connection's own handler removes it from the count first.
      queueMicrotask(check);
    });
  }

  protected resumeIncomingIfDrained(): void {
    if (!this.incomingPaused || this.ended) return;
    if (pendingWrites(this.localConnections()) > LOCAL_WRITE_LOW_WATERMARK) return;
    this.incomingPaused = false;
    this.link.setReadPaused(false);
  }

  protected parseFlag(payload: Uint8Array): number | undefined {
    try {
      return parseFlagPayload(payload);
    } catch {
      this.link.logger.log('warn', 'ignoring malformed Flag payload', { length: payload.length });
      return undefined;
    }
  }

  private pauseReaders(): void {
    if (this.pausedForBackpressure) return;
    this.pausedForBackpressure = true;
    for (const reader of this.readers) reader.pause();
  }

  private resumeReaders(): void {
    if (!this.pausedForBackpressure || this.ended) return;
    this.pausedForBackpressure = false;
    for (const reader of this.readers) reader.resume();
  }
}

/** Total bytes waiting in the write buffers of `connections`. */
export function pendingWrites(connections: Iterable<Duplex>): number {
  let total = 0;
  for (const connection of connections) total += connection.writableLength;
  return total;
}

/**
 * Basic mode: one local connection at a time. Agent Output is written to the active connection;
 * with none active it stays unacknowledged so the agent resends it (as the official client does).
 * When the local side closes we send DisconnectToPort so the agent drops its destination
 * connection, then serve the next waiting connection.
 */
export class BasicPortForwarder extends PortForwarderBase {
  readonly mode: PortMode = 'basic';
  private active: Duplex | undefined;
  private readonly waiting: Duplex[] = [];

  handleConnection(connection: Duplex): void {
    if (this.ended) {
      connection.destroy();
      return;
    }
    connection.pause();
    this.waiting.push(connection);
    // A connection that gives up while waiting must not be served later.
    connection.once('close', () => {
      const index = this.waiting.indexOf(connection);
      if (index >= 0) this.waiting.splice(index, 1);
    });
    this.serveNext();
  }

  deliver(payloadType: number, payload: Uint8Array): Delivery {
    if (payloadType !== PayloadType.Output) return 'ready';
    const active = this.active;
    if (!active || active.destroyed) return 'not-ready';
    this.writeDown(active, payload);
    return 'ready';
  }

  protected localConnections(): Iterable<Duplex> {
    return this.active ? [this.active] : [];
  }

  protected onStart(): void {
    this.serveNext();
  }

  protected onEnd(): void {
    this.active?.destroy();
    this.active = undefined;
    for (const connection of this.waiting.splice(0)) connection.destroy();
  }

  private serveNext(): void {
    if (!this.started || this.ended || this.active) return;
    const connection = this.waiting.shift();
    if (!connection) return;
    this.active = connection;
    this.stats.totalConnections++;
    this.stats.activeConnections = 1;
    this.events.fire({
      type: 'connection-accepted',
      first: this.stats.totalConnections === 1,
      active: 1,
    });
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.removeReader(connection);
      connection.destroy();
      if (this.active !== connection) return;
      this.active = undefined;
      this.stats.activeConnections = 0;
      if (!this.ended) {
        this.link.send(PayloadType.Flag, buildFlagPayload(FlagValue.DisconnectToPort));
        this.events.fire({ type: 'connection-closed', active: 0 });
        this.serveNext();
      }
    };
    connection.on('data', (chunk: Buffer) => this.sendUp(chunk, (b) => this.sendOutput(b)));
    connection.once('end', finish);
    connection.once('close', finish);
    connection.once('error', finish);
    this.watchBacklog(connection);
    this.addReader(connection);
  }
}

/**
 * Stream mode (Port without a type): exactly one byte stream, typically stdin/stdout for an SSH
 * ProxyCommand. Local EOF is reported as 'local-end' and ends nothing remotely, like the official
 * client.
 */
export class StreamForwarder extends PortForwarderBase {
  readonly mode: PortMode = 'stream';
  private connection: Duplex | undefined;
  private attached = false;

  handleConnection(connection: Duplex): void {
    if (this.ended || this.connection) {
      // One stream per session: a second one has nowhere to go.
      connection.destroy();
      return;
    }
    connection.pause();
    this.connection = connection;
    this.attach();
  }

  deliver(payloadType: number, payload: Uint8Array): Delivery {
    if (payloadType !== PayloadType.Output) return 'ready';
    const connection = this.connection;
    if (!this.attached || !connection) return 'not-ready';
    if (connection.writableEnded || connection.destroyed) return 'ready';
    this.writeDown(connection, payload);
    return 'ready';
  }

  protected localConnections(): Iterable<Duplex> {
    return this.connection ? [this.connection] : [];
  }

  protected onStart(): void {
    this.attach();
  }

  protected onEnd(): void {
    const connection = this.connection;
    if (connection && !connection.destroyed) connection.end();
  }

  private attach(): void {
    const connection = this.connection;
    if (!this.started || this.ended || !connection || this.attached) return;
    this.attached = true;
    this.stats.totalConnections = 1;
    this.stats.activeConnections = 1;
    this.events.fire({ type: 'connection-accepted', first: true, active: 1 });
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.removeReader(connection);
      this.stats.activeConnections = 0;
      this.events.fire({ type: 'local-end' });
    };
    connection.on('data', (chunk: Buffer) => this.sendUp(chunk, (b) => this.sendOutput(b)));
    connection.once('end', finish);
    connection.once('close', finish);
    connection.once('error', finish);
    this.watchBacklog(connection);
    this.addReader(connection);
  }
}
