// Port plugin: forwards to 127.0.0.1:<portNumber> or a remote host, multiplexed with smux or in basic mode (datachannel/README.md §5.3–5.5).

import { connect, type Socket } from 'node:net';
import { FlagValue, PayloadType } from '../../core/datachannel/codec/types';
import { buildFlagPayload } from '../../core/datachannel/codec/scalars';
import { AgentSmuxServer, type AgentSmuxError } from './agent-smux';
import {
  ForwardingDeniedError,
  resolveForwardingDestination,
  type HostResolver,
} from './denied-addresses';
import type { AgentPlugin, PluginDelivery, PluginHost } from './plugin';
import { smuxKeepAliveEnabled, usesMultiplexing } from './versions';
import { toErrorMessage } from '../../core/base/errors';

export const LOCAL_PORT_FORWARDING = 'LocalPortForwarding';
/** Where a port session without `host` connects; the agent dials localhost. */
export const LOCAL_DESTINATION = '127.0.0.1';

export interface PortProperties {
  portNumber: string;
  /** 'LocalPortForwarding' for AWS-StartPortForwardingSession*; absent for AWS-StartSSHSession. */
  type?: string;
  host?: string;
}

export type PortMode = 'mux' | 'basic' | 'ssh';

export type Dialer = (port: number, host: string) => Socket;

export interface PortPluginOptions {
  host: PluginHost;
  properties: PortProperties;
  resolveHost?: HostResolver;
  dial?: Dialer;
}

const defaultDialer: Dialer = (port, host) => connect({ port, host });

/** Basic mode's unacked-input guard: beyond this many bytes waiting for the destination, refuse input. */
const DESTINATION_HIGH_WATER_BYTES = 256 * 1024;
/**
 * smux's MaxReceiveBuffer (4 MiB, session-wide): with this much client data not yet taken by the
 * destinations, the agent's smux stops reading, so input is refused and the client resends it.
 */
const MUX_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** One client stream of the mux session and its destination connection. */
interface MuxStream {
  readonly id: number;
  socket: Socket | undefined;
  /** Client data that arrived while the destination was still being dialed. */
  early: Uint8Array[];
  earlyBytes: number;
  /** The client sent FIN before the dial finished. */
  clientFinished: boolean;
  closed: boolean;
}

export function choosePortMode(
  properties: PortProperties,
  clientVersion: string,
  agentVersion: string,
): PortMode {
  if (properties.type !== LOCAL_PORT_FORWARDING) return 'ssh';
  return usesMultiplexing(clientVersion, agentVersion) ? 'mux' : 'basic';
}

function describe(error: unknown): string {
  return toErrorMessage(error);
}

export class PortPlugin implements AgentPlugin {
  readonly mode: PortMode;
  private readonly host: PluginHost;
  private readonly dial: Dialer;
  private readonly resolveHost: HostResolver | undefined;
  private readonly port: number | undefined;
  private addresses: string[] | undefined;
  private disposed = false;
  private ended = false;
  private readonly sockets = new Set<Socket>();
  private readonly unsubscribe: (() => void)[] = [];
  // mux
  private smux: AgentSmuxServer | undefined;
  private readonly streams = new Map<number, MuxStream>();
  // basic / ssh
  private conn: Socket | undefined;
  private connected = false;
  private dialing = false;
  private reconnectNeeded = false;

  constructor(private readonly options: PortPluginOptions) {
    this.host = options.host;
    this.dial = options.dial ?? defaultDialer;
    this.resolveHost = options.resolveHost;
    const port = Number(options.properties.portNumber);
    this.port = Number.isInteger(port) && port >= 1 && port <= 65_535 ? port : undefined;
    this.mode = choosePortMode(options.properties, this.host.clientVersion, this.host.agentVersion);
  }

  start(): void {
    if (this.port === undefined) {
      const given = this.options.properties.portNumber;
      this.finish({
        output:
          given === '' || given === undefined
            ? 'Port number is empty in session properties.'
            : `Invalid port number ${given} in session properties.`,
        failed: true,
      });
      return;
    }
    this.host.logger.log('debug', 'port session starting', { mode: this.mode });
    const remote = this.options.properties.host;
    if (remote === undefined || remote === '') {
      this.addresses = [LOCAL_DESTINATION];
      this.begin();
      return;
    }
    resolveForwardingDestination(remote, this.resolveHost).then(
      (addresses) => {
        if (this.disposed || this.ended) return;
        if (addresses.length === 0) {
          this.finish({ output: `Unable to resolve host ${remote}.`, failed: true });
          return;
        }
        this.addresses = addresses;
        this.begin();
      },
      (error: unknown) => {
        if (this.disposed || this.ended) return;
        const output =
          error instanceof ForwardingDeniedError
            ? error.message
            : `Unable to resolve host ${remote}: ${describe(error)}`;
        this.finish({ output, failed: true });
      },
    );
  }

  input(bytes: Uint8Array): PluginDelivery {
    if (this.ended || this.disposed) return 'ready';
    if (this.mode === 'mux') {
      const smux = this.smux;
      if (!smux || this.muxUnreadBytes() >= MUX_RECEIVE_BUFFER_BYTES) return 'not-ready';
      smux.feed(bytes);
      return 'ready';
    }
    if (this.reconnectNeeded && !this.dialing) {
      // Basic LocalPortForwarding: the first data after a disconnect redials (datachannel/README.md §5.5).
      this.reconnectNeeded = false;
      this.connectBasic();
    }
    const conn = this.conn;
    if (!conn || !this.connected) return 'not-ready';
    if (conn.writableLength > DESTINATION_HIGH_WATER_BYTES) return 'not-ready';
    conn.write(bytes);
    return 'ready';
  }

  flag(value: number): PluginDelivery {
    if (this.ended || this.disposed) return 'ready';
    if (value === FlagValue.TerminateSession) {
      this.host.logger.log('debug', 'TerminateSession flag received');
      this.finish({ output: '' });
    } else if (value === FlagValue.DisconnectToPort && this.mode !== 'mux') {
      // The client's local connection closed: drop ours and redial on the next data.
      this.dropBasicConnection();
      this.reconnectNeeded = true;
    }
    return 'ready';
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.smux?.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private begin(): void {
    if (this.mode === 'mux') this.startMux();
    else this.connectBasic();
  }

  private finish(result: { output: string; failed?: boolean }): void {
    if (this.ended) return;
    this.ended = true;
    this.host.end(result);
  }

  // ---- multiplexed ----

  private startMux(): void {
    const keepAlive = smuxKeepAliveEnabled(this.host.clientVersion, this.host.agentVersion);
    this.smux = new AgentSmuxServer({
      clock: this.host.clock,
      keepAlive,
      logger: this.host.logger.child('smux'),
      write: (bytes) => this.host.output(PayloadType.Output, bytes),
      handlers: {
        onOpen: (id) => this.openStream(id),
        onData: (id, data) => this.streamData(id, data),
        onFin: (id) => this.streamFinished(id),
        onClose: (error: AgentSmuxError | undefined) => {
          for (const stream of [...this.streams.values()]) this.closeStream(stream, false);
          if (this.disposed) return;
          // A keepalive timeout or protocol error ends the port session, as in the agent.
          this.host.logger.log('info', 'smux session closed', { code: error?.code ?? 'closed' });
          this.finish({ output: '', failed: error !== undefined });
        },
      },
    });
    this.unsubscribe.push(
      this.host.onOutputDrain(() => {
        for (const stream of this.streams.values()) stream.socket?.resume();
      }),
    );
  }

  /** Client bytes the destinations have not taken yet (smux's unread stream buffers). */
  private muxUnreadBytes(): number {
    let total = 0;
    for (const stream of this.streams.values()) {
      total += stream.earlyBytes + (stream.socket?.writableLength ?? 0);
    }
    return total;
  }

  /** A SYN: the agent dials the destination once per stream (A:port port_mux). */
  private openStream(id: number): void {
    const port = this.port;
    const addresses = this.addresses;
    const stream: MuxStream = {
      id,
      socket: undefined,
      early: [],
      earlyBytes: 0,
      clientFinished: false,
      closed: false,
    };
    this.streams.set(id, stream);
    if (port === undefined || !addresses) {
      this.closeStream(stream, true);
      return;
    }
    this.dialAny(port, addresses, (socket) => {
      if (stream.closed || this.disposed) {
        socket?.destroy();
        return;
      }
      if (!socket) {
        // Flag first, then FIN, so the client reports the failure and closes the local side.
        this.host.output(PayloadType.Flag, buildFlagPayload(FlagValue.ConnectToPortError));
        this.closeStream(stream, true);
        return;
      }
      this.bridge(stream, socket);
    });
  }

  private streamData(id: number, data: Uint8Array): void {
    const stream = this.streams.get(id);
    if (!stream || stream.closed) return;
    if (stream.socket) {
      stream.socket.write(data);
      return;
    }
    stream.early.push(data);
    stream.earlyBytes += data.length;
  }

  /** The client closed its side: when either direction ends, both are closed (port_mux). */
  private streamFinished(id: number): void {
    const stream = this.streams.get(id);
    if (!stream || stream.closed) return;
    if (!stream.socket) {
      // Still dialing: deliver what came first, then close.
      stream.clientFinished = true;
      return;
    }
    this.closeStream(stream, true);
  }

  private bridge(stream: MuxStream, socket: Socket): void {
    stream.socket = socket;
    for (const chunk of stream.early) socket.write(chunk);
    stream.early = [];
    stream.earlyBytes = 0;
    if (stream.clientFinished) {
      this.closeStream(stream, true);
      return;
    }
    socket.on('data', (chunk: Buffer) => {
      const smux = this.smux;
      if (!smux || stream.closed) return;
      if (!smux.write(stream.id, chunk)) socket.pause();
    });
    socket.once('end', () => this.closeStream(stream, true));
    socket.once('close', () => this.closeStream(stream, true));
  }

  /**
   * Ends a stream on both sides: FIN to the client (when `sendFin` and the session is alive) and
   * an orderly end of the destination connection after its pending writes.
   */
  private closeStream(stream: MuxStream, sendFin: boolean): void {
    if (stream.closed) return;
    stream.closed = true;
    this.streams.delete(stream.id);
    if (sendFin) this.smux?.finish(stream.id);
    const socket = stream.socket;
    if (socket && !socket.destroyed) socket.end(() => socket.destroy());
  }

  // ---- basic / ssh ----

  private connectBasic(): void {
    const port = this.port;
    const addresses = this.addresses;
    if (port === undefined || !addresses || this.dialing) return;
    this.dialing = true;
    this.dialAny(port, addresses, (socket, error) => {
      this.dialing = false;
      if (this.disposed || this.ended) {
        socket?.destroy();
        return;
      }
      if (!socket) {
        this.finish({
          output: `Unable to connect to specified port: ${error ?? 'connection refused'}`,
          failed: true,
        });
        return;
      }
      this.attachBasic(socket);
    });
  }

  private attachBasic(socket: Socket): void {
    this.conn = socket;
    this.connected = true;
    const offDrain = this.host.onOutputDrain(() => {
      if (this.conn === socket) socket.resume();
    });
    socket.on('data', (chunk: Buffer) => {
      if (!this.host.output(PayloadType.Output, chunk)) socket.pause();
    });
    const lost = (error?: Error): void => {
      offDrain();
      if (this.conn !== socket) return;
      this.conn = undefined;
      this.connected = false;
      if (this.mode === 'ssh') {
        // AWS-StartSSHSession: destination EOF ends the session; any other error fails it.
        this.finish(
          error
            ? { output: `Failed to read from port: ${error.message}`, failed: true }
            : { output: '' },
        );
        return;
      }
      this.reconnectNeeded = true;
    };
    let failure: Error | undefined;
    socket.once('error', (error) => {
      failure = error;
    });
    socket.once('end', () => socket.end());
    socket.once('close', () => lost(failure));
  }

  private dropBasicConnection(): void {
    const conn = this.conn;
    this.conn = undefined;
    this.connected = false;
    conn?.destroy();
  }

  // ---- dialing ----

  /** Tries each address in order; calls back once with a connected socket or none. */
  private dialAny(
    port: number,
    addresses: readonly string[],
    done: (socket: Socket | undefined, error?: string) => void,
  ): void {
    let index = 0;
    let lastError = '';
    const next = (): void => {
      const address = addresses[index++];
      if (address === undefined || this.disposed) {
        done(undefined, lastError);
        return;
      }
      let socket: Socket;
      try {
        socket = this.dial(port, address);
      } catch (error) {
        lastError = describe(error);
        next();
        return;
      }
      this.track(socket);
      const onError = (error: Error): void => {
        lastError = `dial tcp ${address}:${port}: ${error.message}`;
        socket.destroy();
        next();
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        socket.setNoDelay(true);
        done(socket);
      });
    };
    next();
  }

  private track(socket: Socket): void {
    const release = this.host.resources.acquire('destinationSockets');
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      release();
    });
    // A late error after we stopped listening must not become an uncaught exception.
    socket.on('error', () => undefined);
  }
}
