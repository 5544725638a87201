// A forward's statistics: connection, session and byte counters with sliding-window rates, and
// their publication (on a periodic tick and on demand, only when something visible changed).

import type { Clock, TimerHandle } from '../base/clock';
import { RateMeter } from './rate';
import type { PortSessionMode } from './session-starter';
import type { DestinationStats } from './socks-destinations';

export interface ForwardStats {
  /** Local connections open now (served or waiting). */
  connectionsNow: number;
  /** Of those, waiting for a session. */
  connectionsWaiting: number;
  connectionsTotal: number;
  /** Bytes from the remote side written to local clients. */
  bytesIn: number;
  /** Bytes read from local clients and sent to the remote side. */
  bytesOut: number;
  /** Bytes per second over the sliding window. */
  rateIn: number;
  rateOut: number;
  /** SSM sessions opened for this forward since it was started. */
  sessionsStarted: number;
  /** How many times a lost session was replaced by a fresh one. */
  reconnects: number;
  /** 'mux' or 'basic' once the first session is up. */
  mode?: PortSessionMode;
  /** Sessions currently carrying the forward. */
  sessionIds: string[];
  /** When the newest session of this run started (epoch ms): its maximum duration runs from here. */
  sessionStartedAt?: number;
  /**
   * When bytes last moved either way, or the newest session started (epoch ms, to the stats
   * interval): Session Manager's idle timeout counts from the last data-channel traffic.
   */
  lastActivityAt?: number;
  /** SOCKS forwards: each destination's connections and bytes. */
  destinations?: DestinationStats[];
}

/** A local connection's byte counts, as a net.Socket keeps them. */
export interface ByteCounts {
  /** Bytes written to the local client, so received from the remote side. */
  readonly bytesWritten: number;
  /** Bytes read from the local client, so sent to the remote side. */
  readonly bytesRead: number;
}

/** What the statistics read live from whoever carries the connections. */
export interface LiveConnections {
  readonly connections: ReadonlySet<ByteCounts>;
  readonly waitingCount: number;
  readonly mode: PortSessionMode | undefined;
  sessionIds(): string[];
  /** SOCKS forwards only. */
  destinationStats?(): DestinationStats[] | undefined;
}

export interface ForwardStatisticsOptions {
  clock: Clock;
  live: LiveConnections;
  /** Receives stats whenever they differ from the last ones published. */
  publish: (stats: ForwardStats) => void;
  /** Sliding window for rates (RateMeter's default when absent). */
  rateWindowMs?: number;
  /** How often stats are sampled and published while running. */
  intervalMs: number;
}

export class ForwardStatistics {
  private readonly rateIn: RateMeter;
  private readonly rateOut: RateMeter;
  /** Bytes of connections already closed; open ones are read live. */
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  private connectionsTotal = 0;
  private sessionsStarted = 0;
  private reconnects = 0;
  private lastPublished = '';
  private sessionStartedAt: number | undefined;
  private lastActivityAt: number | undefined;
  /** bytesIn + bytesOut at the last snapshot, to notice traffic. */
  private lastBytes = 0;
  private tickTimer: TimerHandle | undefined;

  constructor(private readonly options: ForwardStatisticsOptions) {
    this.rateIn = new RateMeter(options.rateWindowMs);
    this.rateOut = new RateMeter(options.rateWindowMs);
  }

  /** A new run counts from zero. */
  reset(): void {
    this.closedBytesIn = 0;
    this.closedBytesOut = 0;
    this.connectionsTotal = 0;
    this.sessionsStarted = 0;
    this.reconnects = 0;
    this.sessionStartedAt = undefined;
    this.lastActivityAt = undefined;
    this.lastBytes = 0;
    this.rateIn.reset();
    this.rateOut.reset();
  }

  connectionOpened(): void {
    this.connectionsTotal++;
  }

  /** Keeps a closed connection's bytes in the totals once it leaves the live set. */
  connectionClosed(connection: ByteCounts): void {
    this.closedBytesIn += connection.bytesWritten;
    this.closedBytesOut += connection.bytesRead;
  }

  sessionStarted(): void {
    this.sessionsStarted++;
    this.sessionStartedAt = this.options.clock.now();
    this.lastActivityAt = this.sessionStartedAt;
  }

  reconnected(): void {
    this.reconnects++;
  }

  /** The stats now; also samples the byte counters for the rates. */
  snapshot(): ForwardStats {
    const { clock, live } = this.options;
    const now = clock.now();
    let liveIn = 0;
    let liveOut = 0;
    for (const connection of live.connections) {
      liveIn += connection.bytesWritten;
      liveOut += connection.bytesRead;
    }
    const bytesIn = this.closedBytesIn + liveIn;
    const bytesOut = this.closedBytesOut + liveOut;
    this.rateIn.sample(now, bytesIn);
    this.rateOut.sample(now, bytesOut);
    if (bytesIn + bytesOut !== this.lastBytes) {
      this.lastBytes = bytesIn + bytesOut;
      if (this.sessionStartedAt !== undefined) this.lastActivityAt = now;
    }
    const mode = live.mode;
    const { sessionStartedAt, lastActivityAt } = this;
    const destinations = live.destinationStats?.();
    return {
      connectionsNow: live.connections.size,
      connectionsWaiting: live.waitingCount,
      connectionsTotal: this.connectionsTotal,
      bytesIn,
      bytesOut,
      rateIn: Math.round(this.rateIn.rate(now)),
      rateOut: Math.round(this.rateOut.rate(now)),
      sessionsStarted: this.sessionsStarted,
      reconnects: this.reconnects,
      ...(mode !== undefined && { mode }),
      sessionIds: live.sessionIds(),
      ...(sessionStartedAt !== undefined && { sessionStartedAt }),
      ...(lastActivityAt !== undefined && { lastActivityAt }),
      ...(destinations !== undefined && { destinations }),
    };
  }

  /** Publishes stats when anything a viewer would see changed since the last publication. */
  publish(): void {
    const stats = this.snapshot();
    const key = JSON.stringify(stats);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.options.publish(stats);
  }

  /** Publishes on every tick while `isCurrent` holds (the run that started ticking goes on). */
  startTicking(isCurrent: () => boolean): void {
    this.tickTimer = this.options.clock.setTimeout(() => {
      this.tickTimer = undefined;
      if (!isCurrent()) return;
      this.publish();
      this.startTicking(isCurrent);
    }, this.options.intervalMs);
  }

  stopTicking(): void {
    this.tickTimer?.cancel();
    this.tickTimer = undefined;
  }
}
