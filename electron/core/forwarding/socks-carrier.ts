// The carrier of a SOCKS forward ("SOCKS5 proxy through an instance"): every local connection names
// its own destination (SOCKS5 CONNECT or HTTP CONNECT), reached through the forward's instance with
// AWS-StartPortForwardingSessionToRemoteHost sessions kept per destination.

import type { Socket } from 'node:net';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ConnectionCarrier } from './carrier';
import type { SessionPoolHost } from './session-pool';
import type { PortSessionMode, SessionStarter } from './session-starter';
import { SocksConnection } from './socks-connection';
import { DestinationSessions, type DestinationStats } from './socks-destinations';

export interface SocksTuning {
  /** How long a connection waits for a failure report before it is answered success (1 s). */
  socksVerdictMs?: number;
  /** A destination session without connections for this long is closed (2 min). */
  socksIdleMs?: number;
  /** Destination sessions open at once (64). */
  socksMaxSessions?: number;
  /** A client that has not finished its SOCKS or CONNECT request by then is dropped (30 s). */
  socksHandshakeTimeoutMs?: number;
}

export interface SocksCarrierOptions {
  host: SessionPoolHost;
  starter: SessionStarter;
  clock: Clock;
  logger: Logger;
  tuning: SocksTuning;
}

export class SocksCarrier implements ConnectionCarrier {
  private readonly sockets = new Set<Socket>();
  private readonly destinations: DestinationSessions;
  private readonly host: SessionPoolHost;

  constructor(private readonly options: SocksCarrierOptions) {
    this.host = options.host;
    this.destinations = new DestinationSessions({
      starter: options.starter,
      spec: () => options.host.spec(),
      clock: options.clock,
      logger: options.logger,
      idleMs: Math.max(1, options.tuning.socksIdleMs ?? 120_000),
      maxSessions: Math.max(1, options.tuning.socksMaxSessions ?? 64),
      sessionStarted: () => options.host.sessionStarted(),
    });
  }

  get connections(): ReadonlySet<Socket> {
    return this.sockets;
  }

  /** Nobody waits for a shared session: each connection waits for its own destination. */
  get waitingCount(): number {
    return 0;
  }

  get mode(): PortSessionMode | undefined {
    return undefined;
  }

  sessionIds(): string[] {
    return this.destinations.sessionIds();
  }

  destinationStats(): DestinationStats[] {
    return this.destinations.stats();
  }

  begin(): void {
    this.destinations.begin();
  }

  /** Sessions open per destination on demand, so the forward serves as soon as it listens. */
  startFirstSession(): void {
    this.host.dispatch({ type: 'session-ready', connections: this.sockets.size });
  }

  accept(socket: Socket): void {
    this.sockets.add(socket);
    const { tuning } = this.options;
    new SocksConnection(socket, {
      destinations: this.destinations,
      clock: this.options.clock,
      logger: this.options.logger,
      target: () => this.host.spec().target,
      verdictMs: Math.max(0, tuning.socksVerdictMs ?? 1000),
      handshakeTimeoutMs: Math.max(1, tuning.socksHandshakeTimeoutMs ?? 30_000),
    }).start();
  }

  detach(socket: Socket): void {
    this.sockets.delete(socket);
  }

  nudge(): void {
    // Destination sessions resume on their own; new ones start on demand.
  }

  stopTrying(): void {
    // Nothing retries in the background: each connection asks for its session.
  }

  async release(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.destinations.release();
  }
}
