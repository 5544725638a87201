// Multiplexed port forwarding: one smux v1 stream per local connection over the Output byte stream (datachannel/README.md §5.3, §5.4).

import type { Duplex } from 'node:stream';
import { FlagValue, PayloadType } from '../datachannel/codec';
import { SmuxSession } from './smux';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';
import type { Delivery } from './link';
import {
  LOCAL_WRITE_HIGH_WATERMARK,
  PortForwarderBase,
  pendingWrites,
  type PortMode,
} from './port-session';

/**
 * Bytes one local connection may leave unread before it is closed (datachannel/README.md §12).
 * smux v1 has no per-stream window, so one client that stops reading would otherwise hold up
 * every connection of the forward once the shared LOCAL_WRITE_HIGH_WATERMARK is reached; closing
 * that connection alone lets the others carry on.
 */
export const MAX_CONNECTION_BACKLOG_BYTES = 1024 * 1024;

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
    // smux v1 has no per-stream window: like its receive buffer limit, stop taking agent data
    // while local clients are slow to read, and let the agent resend it later.
    if (pendingWrites(this.connections) > LOCAL_WRITE_HIGH_WATERMARK) return 'not-ready';
    smux.feed(payload);
    return 'ready';
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

    stream.on('data', (chunk: Uint8Array) => {
      this.stats.bytesDown += chunk.length;
      if (connection.destroyed) return;
      connection.write(chunk);
      if (connection.writableLength > MAX_CONNECTION_BACKLOG_BYTES) {
        this.link.logger.log(
          'warn',
          'closing a forwarded connection whose client stopped reading',
          {
            stream: stream.id,
            unreadBytes: connection.writableLength,
            limit: MAX_CONNECTION_BACKLOG_BYTES,
          },
        );
        close();
        connection.destroy();
        if (!stream.destroyed) stream.destroy();
      }
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
    this.addReader(connection);
  }
}
