// Multiplexed port forwarding: one smux v1 stream per local connection over the Output byte stream (datachannel/README.md §5.3, §5.4).

import type { Duplex } from 'node:stream';
import { FlagValue, PayloadType } from '../datachannel/codec';
import { SmuxSession } from './smux';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';
import type { Delivery } from './link';
import type { Clock, TimerHandle } from '../base/clock';
import { PortForwarderBase, type PortMode } from './port-session';

/**
 * Agent data one local connection may leave unread (datachannel/README.md §12). smux v1 has no
 * per-stream window, so a client that stops reading would hold up every connection of the forward
 * once the shared LOCAL_WRITE_HIGH_WATERMARK pauses the data channel: a connection over this limit
 * whose client then reads nothing for CONNECTION_STALL_MS is closed, and the others carry on.
 */
export const MAX_CONNECTION_BACKLOG_BYTES = 1024 * 1024;

/**
 * How long a connection over its backlog limit may go without its client reading a byte. A busy
 * but live client passes the limit for a moment whenever the agent sends faster than it reads;
 * only one that makes no progress at all is stuck.
 */
export const CONNECTION_STALL_MS = 2000;

export class MuxPortForwarder extends PortForwarderBase {
  readonly mode: PortMode = 'mux';
  private smux: SmuxSession | undefined;
  private readonly waiting: Duplex[] = [];
  private readonly connections = new Set<Duplex>();

  handleConnection(connection: Duplex): void {
    if (this.ended) {
      connection.destroy();
      return;
    }
    if (!this.smux) {
      connection.pause();
      this.waiting.push(connection);
      return;
    }
    this.open(this.smux, connection);
  }

  deliver(payloadType: number, payload: Uint8Array): Delivery {
    const smux = this.smux;
    if (!smux) return 'not-ready';
    if (payloadType === PayloadType.Flag) {
      if (this.parseFlag(payload) === FlagValue.ConnectToPortError) {
        // The agent also closes the stream with FIN, which closes the local connection.
        this.events.fire({ type: 'connect-error' });
      }
      return 'ready';
    }
    if (payloadType !== PayloadType.Output) return 'ready';
    smux.feed(payload);
    return 'ready';
  }

  protected localConnections(): Iterable<Duplex> {
    return this.connections;
  }

  protected onStart(): void {
    const smux = new SmuxSession({
      role: 'client',
      clock: this.link.clock,
      // Both sides turn keepalive off for modern peers; NOPs would defeat the idle timeout (datachannel/README.md §5.4).
      keepAlive: !isVersionGreater(
        this.link.agentVersion,
        AgentFeatureVersions.smuxKeepAliveDisabled,
      ),
      write: (bytes: Uint8Array) => this.sendOutput(bytes),
    });
    this.smux = smux;
    for (const connection of this.waiting.splice(0)) {
      if (!connection.destroyed) this.open(smux, connection);
    }
  }

  protected onEnd(): void {
    for (const connection of this.waiting.splice(0)) connection.destroy();
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    this.smux?.close();
  }

  private open(smux: SmuxSession, connection: Duplex): void {
    const stream = smux.openStream();
    this.connections.add(connection);
    this.stats.totalConnections++;
    this.stats.activeConnections = this.connections.size;
    this.events.fire({
      type: 'connection-accepted',
      first: this.stats.totalConnections === 1,
      active: this.connections.size,
    });

    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      stall.cancel();
      this.removeReader(connection);
      // Either side ending closes both, as the official client does; end() lets queued bytes out.
      if (!stream.destroyed) stream.end();
      if (!connection.destroyed) connection.end();
      if (this.connections.delete(connection)) {
        this.stats.activeConnections = this.connections.size;
        if (!this.ended) {
          this.events.fire({ type: 'connection-closed', active: this.connections.size });
        }
      }
    };

    const stall = new StallWatch(this.link.clock, connection, () => {
      this.link.logger.log('warn', 'closing a forwarded connection whose client stopped reading', {
        stream: stream.id,
        unreadBytes: connection.writableLength,
        limit: MAX_CONNECTION_BACKLOG_BYTES,
      });
      // A reset, not a clean end: what it left unread is dropped, which a client must not take
      // for the end of the data (and a client that reads nothing would never see an end at all).
      abort(connection);
      close();
      if (!stream.destroyed) stream.destroy();
    });
    stream.on('data', (chunk: Uint8Array) => {
      if (connection.destroyed) return;
      this.writeDown(connection, chunk);
      stall.wrote(chunk.length);
    });
    stream.once('end', close);
    stream.once('close', close);
    stream.once('error', () => {
      close();
      connection.destroy();
    });

    connection.on('data', (chunk: Buffer) => this.sendUp(chunk, (bytes) => stream.write(bytes)));
    connection.once('end', close);
    connection.once('close', () => {
      close();
      if (!stream.destroyed) stream.destroy();
    });
    connection.once('error', () => {
      close();
      connection.destroy();
    });
    this.watchBacklog(connection);
    this.addReader(connection);
  }
}

/** Closes `connection` with a TCP reset where it is a socket, else destroys it. */
function abort(connection: Duplex): void {
  const socket = connection as Duplex & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else connection.destroy();
}

/**
 * Watches one connection's unread backlog: once it passes MAX_CONNECTION_BACKLOG_BYTES, checks
 * every CONNECTION_STALL_MS that the client took at least one byte since the last check, and calls
 * `onStuck` when it took none.
 */
class StallWatch {
  private written = 0;
  private timer: TimerHandle | undefined;
  private flushedAtLastCheck = 0;

  constructor(
    private readonly clock: Clock,
    private readonly connection: Duplex,
    private readonly onStuck: () => void,
  ) {}

  wrote(bytes: number): void {
    this.written += bytes;
    if (this.timer || this.connection.writableLength <= MAX_CONNECTION_BACKLOG_BYTES) return;
    this.flushedAtLastCheck = this.flushed();
    this.timer = this.clock.setTimeout(() => this.check(), CONNECTION_STALL_MS);
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    if (this.connection.destroyed) return;
    if (this.connection.writableLength <= MAX_CONNECTION_BACKLOG_BYTES) return;
    const flushed = this.flushed();
    if (flushed === this.flushedAtLastCheck) {
      this.onStuck();
      return;
    }
    this.flushedAtLastCheck = flushed;
    this.timer = this.clock.setTimeout(() => this.check(), CONNECTION_STALL_MS);
  }

  /** Bytes the local socket has handed on (to the kernel, for a net.Socket). */
  private flushed(): number {
    return this.written - this.connection.writableLength;
  }
}
