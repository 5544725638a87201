// One running port forward: coordinates its local listener, the session pool serving it and its
// statistics, and owns its state machine, warning and start/stop lifecycle.

import type { Socket } from 'node:net';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { BackoffOptions } from '../sessions/backoff';
import { toForwardError, type ForwardError, type ForwardWarning } from './errors';
import { ForwardListener } from './listener';
import { ForwardRuns } from './runs';
import type { ConnectionCarrier } from './carrier';
import { SessionPool, type SessionPoolHost } from './session-pool';
import { SocksCarrier, type SocksTuning } from './socks-carrier';
import type { SessionStarter } from './session-starter';
import { formatHostPort, type ForwardSpec } from './spec';
import {
  INITIAL_FORWARD_STATE,
  forwardReducer,
  type ForwardEvent,
  type ForwardState,
} from './state';
import { ForwardStatistics, type ForwardStats, type LiveConnections } from './statistics';

export interface ForwardTuning extends SocksTuning {
  /** Delays between tries to replace a lost session (default 500 ms doubling up to 30 s). */
  backoff?: BackoffOptions;
  /** Connections allowed to wait for a session; beyond it new ones are closed (default 256). */
  queueLimit?: number;
  /** Concurrent sessions in basic mode, one per connection (default 16). */
  maxBasicSessions?: number;
  /** Sliding window for rates (default 5 s). */
  rateWindowMs?: number;
  /** How often stats are sampled and published while running (default 1 s). */
  statsIntervalMs?: number;
  /**
   * A lost session that lived at least this long is replaced at once; one that ended sooner is
   * replaced after a backoff delay (default 10 s). A session Session Manager ended is replaced
   * only under the forward's restart option (see SessionPool's onServiceEnded).
   */
  stableSessionMs?: number;
}

export interface ForwardCallbacks {
  onState(previous: ForwardState, next: ForwardState): void;
  onWarning(warning: ForwardWarning): void;
  onStats(stats: ForwardStats): void;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000 };

export class Forward {
  private specValue: ForwardSpec;
  private stateValue: ForwardState = INITIAL_FORWARD_STATE;
  private warningValue: ForwardWarning | undefined;
  private readonly runs = new ForwardRuns();
  private teardown: Promise<void> = Promise.resolve();
  private readonly settleWaiters = new Set<() => void>();
  private readonly listener: ForwardListener;
  private pool: ConnectionCarrier;
  private readonly statistics: ForwardStatistics;

  constructor(
    spec: ForwardSpec,
    private readonly starter: SessionStarter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly callbacks: ForwardCallbacks,
    private readonly tuning: ForwardTuning = {},
  ) {
    this.specValue = spec;
    this.listener = new ForwardListener(logger, (socket) => this.onConnection(socket));
    this.pool = this.createCarrier(spec, starter, tuning);
    this.statistics = new ForwardStatistics({
      clock,
      live: this.liveConnections(),
      publish: (stats) => this.callbacks.onStats(stats),
      ...(tuning.rateWindowMs !== undefined && { rateWindowMs: tuning.rateWindowMs }),
      intervalMs: Math.max(50, tuning.statsIntervalMs ?? 1000),
    });
  }

  /** The statistics' view of whichever carrier serves the forward now. */
  private liveConnections(): LiveConnections {
    const current = (): ConnectionCarrier => this.pool;
    return {
      get connections() {
        return current().connections;
      },
      get waitingCount() {
        return current().waitingCount;
      },
      get mode() {
        return current().mode;
      },
      sessionIds: () => current().sessionIds(),
      destinationStats: () => current().destinationStats?.(),
    };
  }

  /** A port forward's session pool, or a SOCKS forward's per-destination server. */
  private createCarrier(
    spec: ForwardSpec,
    starter: SessionStarter,
    tuning: ForwardTuning,
  ): ConnectionCarrier {
    const host: SessionPoolHost = {
      spec: () => this.specValue,
      state: () => this.stateValue,
      dispatch: (event) => this.dispatch(event),
      warn: (code, message) => this.setWarning(code, message),
      fail: (error) => this.fail(error),
      sessionStarted: () => this.statistics.sessionStarted(),
      reconnected: () => this.statistics.reconnected(),
    };
    const { clock, logger } = this;
    if (spec.remote.kind === 'socks') {
      return new SocksCarrier({ host, starter, clock, logger, tuning });
    }
    return new SessionPool({
      host,
      starter,
      runs: this.runs,
      clock,
      logger,
      backoff: { ...DEFAULT_BACKOFF, ...tuning.backoff },
      queueLimit: Math.max(0, tuning.queueLimit ?? 256),
      maxBasicSessions: Math.max(1, tuning.maxBasicSessions ?? 16),
      stableSessionMs: Math.max(0, tuning.stableSessionMs ?? 10_000),
    });
  }

  get spec(): ForwardSpec {
    return this.specValue;
  }

  get state(): ForwardState {
    return this.stateValue;
  }

  /** True while the user wants the forward up (from start until stop or a fatal error). */
  get isWanted(): boolean {
    return this.runs.active;
  }

  get warning(): ForwardWarning | undefined {
    return this.warningValue;
  }

  /** The bound port while the listener is open. */
  get localPort(): number | undefined {
    return this.listener.port;
  }

  get localAddress(): string | undefined {
    const port = this.listener.port;
    return port === undefined ? undefined : formatHostPort(this.specValue.bindAddress, port);
  }

  /** Replaces the spec; only while stopped (the manager restarts around it). */
  setSpec(spec: ForwardSpec): void {
    if (this.runs.active) throw new Error('cannot change the spec of a running forward');
    if (
      spec.localPort !== this.specValue.localPort ||
      spec.bindAddress !== this.specValue.bindAddress
    ) {
      this.listener.forgetAutomaticPort();
    }
    const carrierChanges =
      (spec.remote.kind === 'socks') !== (this.specValue.remote.kind === 'socks');
    this.specValue = spec;
    if (carrierChanges) this.pool = this.createCarrier(spec, this.starter, this.tuning);
  }

  stats(): ForwardStats {
    return this.statistics.snapshot();
  }

  /**
   * Opens the listener and the first session. Resolves once the forward serves, failed (state
   * 'error' with the reason) or was stopped meanwhile; never rejects.
   */
  async start(): Promise<void> {
    if (this.runs.active) return this.whenSettled();
    await this.teardown;
    if (this.runs.active) return this.whenSettled();
    this.runs.begin();
    const isCurrent = this.runs.current();
    this.pool.begin();
    this.statistics.reset();
    this.warningValue = undefined;
    this.dispatch({ type: 'start' });
    try {
      // A stop during the bind waits for it (see release), so the port is free when stop resolves.
      await this.listener.open(this.specValue);
    } catch (error) {
      if (isCurrent()) this.fail(toForwardError(error));
      return;
    }
    if (!isCurrent()) return;
    this.statistics.startTicking(isCurrent);
    this.pool.startFirstSession();
    return this.whenSettled();
  }

  /** Closes the listener, every connection and session. Resolves when the port is free again. */
  async stop(): Promise<void> {
    if (this.runs.active) {
      this.runs.end();
      this.dispatch({ type: 'stop' });
      this.teardown = this.release();
    } else if (this.stateValue.status === 'error') {
      this.dispatch({ type: 'stop' });
    }
    await this.teardown;
  }

  /** Sleep/wake or network change: retry now instead of waiting out the backoff. */
  nudge(): void {
    if (!this.runs.active) return;
    this.pool.nudge();
  }

  private onConnection(socket: Socket): void {
    // A reset from the client must never become an unhandled 'error' event.
    socket.on('error', (error) => {
      this.logger.log('debug', 'local connection error', { error: toErrorMessage(error) });
    });
    if (!this.runs.active) {
      socket.destroy();
      return;
    }
    this.statistics.connectionOpened();
    socket.once('close', () => this.onConnectionClosed(socket));
    this.pool.accept(socket);
    this.connectionsChanged();
  }

  private onConnectionClosed(socket: Socket): void {
    this.pool.detach(socket);
    this.statistics.connectionClosed(socket);
    if (socket.bytesWritten > 0 && this.warningValue?.code === 'remote-port-refused') {
      // Data came back from the remote side, so the port accepts connections again.
      this.warningValue = undefined;
    }
    this.connectionsChanged();
  }

  /** Ends the run with an error state: the listener closes so clients fail fast. */
  private fail(error: ForwardError): void {
    if (!this.runs.active) return;
    this.runs.end();
    this.dispatch({ type: 'failed', code: error.code, message: error.message });
    this.teardown = this.release();
  }

  /** Frees everything the run holds; safe to call once per run. */
  private async release(): Promise<void> {
    this.pool.stopTrying();
    this.statistics.stopTicking();
    await this.listener.whenBindSettled();
    await Promise.all([this.pool.release(), this.listener.close()]);
    this.statistics.publish();
  }

  private dispatch(event: ForwardEvent): void {
    const previous = this.stateValue;
    const next = forwardReducer(previous, event);
    if (next === previous) return;
    this.stateValue = next;
    if (next.status !== 'starting') for (const wake of this.settleWaiters) wake();
    if (next.status !== 'starting') this.settleWaiters.clear();
    this.logger.log('info', 'state', { from: previous.status, to: next.status });
    this.callbacks.onState(previous, next);
  }

  private whenSettled(): Promise<void> {
    if (this.stateValue.status !== 'starting') return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.add(resolve));
  }

  private connectionsChanged(): void {
    this.dispatch({ type: 'connections-changed', connections: this.pool.connections.size });
    // Connection counts are shown live, not only on the next tick.
    this.statistics.publish();
  }

  private setWarning(code: ForwardWarning['code'], message: string): void {
    const warning = { code, message, at: this.clock.now() };
    this.warningValue = warning;
    this.logger.log('warn', message, { code });
    this.callbacks.onWarning(warning);
  }
}
