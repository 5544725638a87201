// One running port forward: owns its local listener, keeps SSM sessions serving it, counts bytes.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import { Backoff, type BackoffOptions } from '../sessions/backoff';
import { ForwardError } from './errors';
import { RateMeter } from './rate';
import type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  PortSessionMode,
  SessionStarter,
} from './session-starter';
import { formatHostPort, type ForwardSpec } from './spec';
import { explainSessionEnd, mayRestartAfter, type SessionEndExplanation } from './session-end';
import {
  INITIAL_FORWARD_STATE,
  forwardReducer,
  type ForwardEvent,
  type ForwardState,
} from './state';
import { toErrorMessage } from '../base/errors';
import { DisposableStore } from '../base/lifecycle';

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
}

/** A problem with individual connections that leaves the forward itself running. */
export interface ForwardWarning {
  /** `session-restarted`: the restart option replaced a session Session Manager ended. */
  code: 'remote-port-refused' | 'queue-full' | 'extra-session-failed' | 'session-restarted';
  message: string;
  at: number;
}

export interface ForwardTuning {
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
   * only under the forward's restart option (see onServiceEnded).
   */
  stableSessionMs?: number;
}

export interface ForwardCallbacks {
  onState(previous: ForwardState, next: ForwardState): void;
  onWarning(warning: ForwardWarning): void;
  onStats(stats: ForwardStats): void;
}

interface Slot {
  readonly handle: PortSessionHandle;
  readonly openedAt: number;
  readonly connections: Set<Socket>;
  resuming: boolean;
  subscriptions: DisposableStore;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000 };

export class Forward {
  private specValue: ForwardSpec;
  private stateValue: ForwardState = INITIAL_FORWARD_STATE;
  private wanted = false;
  /** Bumped on every start, stop and failure; async work from an older run is ignored. */
  private generation = 0;
  private abort: AbortController | undefined;
  private server: Server | undefined;
  private boundPort: number | undefined;
  /** The automatic port last used, tried again on restart so clients keep their settings. */
  private lastAutomaticPort: number | undefined;
  private readonly slots = new Set<Slot>();
  private pendingStarts = 0;
  private readonly queue: Socket[] = [];
  private readonly sockets = new Set<Socket>();
  private mode: PortSessionMode | undefined;
  private retryTimer: TimerHandle | undefined;
  private statsTimer: TimerHandle | undefined;
  private teardown: Promise<void> = Promise.resolve();
  /** The bind in progress (or done), settled either way. */
  private listening: Promise<void> = Promise.resolve();
  private readonly backoff: Backoff;
  private readonly queueLimit: number;
  private readonly maxBasicSessions: number;
  private readonly statsIntervalMs: number;
  private readonly stableSessionMs: number;
  private readonly rateIn: RateMeter;
  private readonly rateOut: RateMeter;
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  private connectionsTotal = 0;
  private sessionsStarted = 0;
  private reconnects = 0;
  private warningValue: ForwardWarning | undefined;
  private lastPublished = '';
  private readonly settleWaiters = new Set<() => void>();

  constructor(
    spec: ForwardSpec,
    private readonly starter: SessionStarter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly callbacks: ForwardCallbacks,
    tuning: ForwardTuning = {},
  ) {
    this.specValue = spec;
    this.backoff = new Backoff({ ...DEFAULT_BACKOFF, ...tuning.backoff });
    this.queueLimit = Math.max(0, tuning.queueLimit ?? 256);
    this.maxBasicSessions = Math.max(1, tuning.maxBasicSessions ?? 16);
    this.statsIntervalMs = Math.max(50, tuning.statsIntervalMs ?? 1000);
    this.stableSessionMs = Math.max(0, tuning.stableSessionMs ?? 10_000);
    this.rateIn = new RateMeter(tuning.rateWindowMs);
    this.rateOut = new RateMeter(tuning.rateWindowMs);
  }

  get spec(): ForwardSpec {
    return this.specValue;
  }

  get state(): ForwardState {
    return this.stateValue;
  }

  /** True while the user wants the forward up (from start until stop or a fatal error). */
  get isWanted(): boolean {
    return this.wanted;
  }

  get warning(): ForwardWarning | undefined {
    return this.warningValue;
  }

  /** The bound port while the listener is open. */
  get localPort(): number | undefined {
    return this.boundPort;
  }

  get localAddress(): string | undefined {
    return this.boundPort === undefined
      ? undefined
      : formatHostPort(this.specValue.bindAddress, this.boundPort);
  }

  /** Replaces the spec; only while stopped (the manager restarts around it). */
  setSpec(spec: ForwardSpec): void {
    if (this.wanted) throw new Error('cannot change the spec of a running forward');
    if (
      spec.localPort !== this.specValue.localPort ||
      spec.bindAddress !== this.specValue.bindAddress
    ) {
      this.lastAutomaticPort = undefined;
    }
    this.specValue = spec;
  }

  stats(): ForwardStats {
    const now = this.clock.now();
    let liveIn = 0;
    let liveOut = 0;
    for (const socket of this.sockets) {
      liveIn += socket.bytesWritten;
      liveOut += socket.bytesRead;
    }
    const bytesIn = this.closedBytesIn + liveIn;
    const bytesOut = this.closedBytesOut + liveOut;
    this.rateIn.sample(now, bytesIn);
    this.rateOut.sample(now, bytesOut);
    return {
      connectionsNow: this.sockets.size,
      connectionsWaiting: this.queue.length,
      connectionsTotal: this.connectionsTotal,
      bytesIn,
      bytesOut,
      rateIn: Math.round(this.rateIn.rate(now)),
      rateOut: Math.round(this.rateOut.rate(now)),
      sessionsStarted: this.sessionsStarted,
      reconnects: this.reconnects,
      ...(this.mode !== undefined && { mode: this.mode }),
      sessionIds: [...this.slots].map((slot) => slot.handle.sessionId),
    };
  }

  /**
   * Opens the listener and the first session. Resolves once the forward serves, failed (state
   * 'error' with the reason) or was stopped meanwhile; never rejects.
   */
  async start(): Promise<void> {
    if (this.wanted) return this.whenSettled();
    await this.teardown;
    if (this.wanted) return this.whenSettled();
    this.wanted = true;
    const generation = ++this.generation;
    this.abort = new AbortController();
    this.backoff.reset();
    this.resetCounters();
    this.dispatch({ type: 'start' });
    const listening = this.listen();
    // A stop during the bind must wait for it, so the port is really free when stop resolves.
    this.listening = listening.catch(() => undefined);
    try {
      await listening;
    } catch (error) {
      if (generation === this.generation) this.fail(this.listenError(error));
      return;
    }
    if (generation !== this.generation) return;
    this.scheduleStatsTick();
    this.startSession(true);
    return this.whenSettled();
  }

  /** Closes the listener, every connection and session. Resolves when the port is free again. */
  async stop(): Promise<void> {
    if (this.wanted) {
      this.wanted = false;
      this.generation++;
      this.dispatch({ type: 'stop' });
      this.teardown = this.release();
    } else if (this.stateValue.status === 'error') {
      this.dispatch({ type: 'stop' });
    }
    await this.teardown;
  }

  /** Sleep/wake or network change: retry now instead of waiting out the backoff. */
  nudge(): void {
    if (!this.wanted) return;
    this.backoff.reset();
    if (this.retryTimer) {
      this.retryTimer.cancel();
      this.retryTimer = undefined;
      this.logger.log('info', 'retrying at once after a network change or wake-up');
      this.startSession(true);
    }
    for (const slot of this.slots) slot.handle.reconnectNow?.();
  }

  // ---- listener ----

  private async listen(): Promise<void> {
    const { bindAddress, localPort } = this.specValue;
    const server = createServer({ pauseOnConnect: true }, (socket) => this.onConnection(socket));
    this.server = server;
    const preferred = localPort === 0 ? (this.lastAutomaticPort ?? 0) : localPort;
    try {
      await listenOn(server, bindAddress, preferred);
    } catch (error) {
      // The automatic port used last time is taken now: any free port will do.
      if (preferred === 0 || localPort !== 0 || errorCode(error) !== 'EADDRINUSE') {
        this.server = undefined;
        throw error;
      }
      await listenOn(server, bindAddress, 0).catch((retryError: unknown) => {
        this.server = undefined;
        throw retryError;
      });
    }
    server.on('error', (error) => {
      this.logger.log('warn', 'listener error', { error: toErrorMessage(error) });
    });
    const address = server.address() as AddressInfo;
    this.boundPort = address.port;
    if (localPort === 0) this.lastAutomaticPort = address.port;
    this.logger.log('info', 'listening', { address: this.localAddress });
  }

  private listenError(error: unknown): ForwardError {
    const { bindAddress, localPort } = this.specValue;
    const where =
      localPort === 0
        ? `an automatic port on ${bindAddress}`
        : `port ${localPort} on ${bindAddress}`;
    switch (errorCode(error)) {
      case 'EADDRINUSE':
        return new ForwardError(
          'port-in-use',
          `Local port ${localPort} on ${bindAddress} is already in use`,
        );
      case 'EADDRNOTAVAIL': {
        const hint =
          bindAddress.startsWith('127.') && bindAddress !== '127.0.0.1'
            ? ` (on macOS add the alias first: sudo ifconfig lo0 alias ${bindAddress})`
            : '';
        return new ForwardError(
          'address-unavailable',
          `Address ${bindAddress} is not available on this computer${hint}`,
        );
      }
      case 'EACCES':
        return new ForwardError(
          'bind-permission-denied',
          `Permission denied listening on ${where}` +
            (localPort > 0 && localPort < 1024
              ? ': ports below 1024 need administrator rights'
              : ''),
        );
      default:
        return new ForwardError(
          'bind-failed',
          `Cannot listen on ${where}: ${toErrorMessage(error)}`,
        );
    }
  }

  // ---- connections ----

  private onConnection(socket: Socket): void {
    // A reset from the client must never become an unhandled 'error' event.
    socket.on('error', (error) => {
      this.logger.log('debug', 'local connection error', { error: toErrorMessage(error) });
    });
    if (!this.wanted) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    this.connectionsTotal++;
    socket.once('close', () => this.onSocketClosed(socket));
    this.route(socket);
    this.connectionsChanged();
  }

  private route(socket: Socket): void {
    const slot = this.pickSlot();
    if (slot) {
      this.assign(slot, socket);
      return;
    }
    if (this.queue.length >= this.queueLimit) {
      this.setWarning(
        'queue-full',
        `Too many connections waiting for the session (${this.queueLimit}); new ones are closed until it is back`,
      );
      socket.destroy();
      return;
    }
    this.queue.push(socket);
    this.ensureBasicCapacity();
  }

  private pickSlot(): Slot | undefined {
    if (this.mode === undefined) return undefined;
    for (const slot of this.slots) {
      if (this.mode === 'mux' || slot.connections.size === 0) return slot;
    }
    return undefined;
  }

  private assign(slot: Slot, socket: Socket): void {
    slot.connections.add(socket);
    try {
      slot.handle.handleConnection(socket);
    } catch (error) {
      this.logger.log('warn', 'session refused a connection', { error: toErrorMessage(error) });
      slot.connections.delete(socket);
      socket.destroy();
    }
  }

  private onSocketClosed(socket: Socket): void {
    this.sockets.delete(socket);
    this.closedBytesIn += socket.bytesWritten;
    this.closedBytesOut += socket.bytesRead;
    if (socket.bytesWritten > 0 && this.warningValue?.code === 'remote-port-refused') {
      // Data came back from the remote side, so the port accepts connections again.
      this.warningValue = undefined;
    }
    const queued = this.queue.indexOf(socket);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const slot of this.slots) {
      if (!slot.connections.delete(socket)) continue;
      if (this.mode === 'basic' && slot.connections.size === 0) this.basicSlotIdle(slot);
      break;
    }
    this.connectionsChanged();
  }

  /** Basic mode: hand the idle session the next waiting connection, or close surplus idle ones. */
  private basicSlotIdle(slot: Slot): void {
    const next = this.queue.shift();
    if (next) {
      this.assign(slot, next);
      return;
    }
    const idle = [...this.slots].filter((s) => s.connections.size === 0);
    if (idle.length > 1) {
      this.removeSlot(slot);
      void slot.handle.close().catch(() => undefined);
    }
  }

  private drainQueue(): void {
    while (this.queue.length > 0) {
      const slot = this.pickSlot();
      if (!slot) break;
      const socket = this.queue.shift();
      if (socket) this.assign(slot, socket);
    }
    this.ensureBasicCapacity();
  }

  /** Basic mode: one more session for each waiting connection, up to the limit. */
  private ensureBasicCapacity(): void {
    if (this.mode !== 'basic' || this.slots.size === 0 || !this.wanted) return;
    const shortfall = this.queue.length - this.pendingStarts;
    const room = this.maxBasicSessions - this.slots.size - this.pendingStarts;
    for (let i = 0; i < Math.min(shortfall, room); i++) this.startSession(false);
  }

  // ---- sessions ----

  /** `primary`: the session the forward needs to be up at all (first, or replacing a lost one). */
  private startSession(primary: boolean): void {
    const generation = this.generation;
    const signal = this.abort?.signal ?? AbortSignal.abort();
    this.pendingStarts++;
    let started: Promise<PortSessionHandle>;
    try {
      started = this.starter.startPortSession(this.specValue, signal);
    } catch (error) {
      started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    started.then(
      (handle) => {
        this.pendingStarts--;
        if (generation !== this.generation || !this.wanted) {
          void handle.close().catch(() => undefined);
          return;
        }
        this.addSlot(handle);
      },
      (error: unknown) => {
        this.pendingStarts--;
        if (generation !== this.generation || !this.wanted) return;
        this.onStartFailed(toForwardError(error), primary);
      },
    );
  }

  private addSlot(handle: PortSessionHandle): void {
    const slot: Slot = {
      handle,
      openedAt: this.clock.now(),
      connections: new Set(),
      resuming: false,
      subscriptions: new DisposableStore(),
    };
    this.slots.add(slot);
    this.sessionsStarted++;
    this.mode = handle.mode;
    this.logger.log('info', 'session ready', { sessionId: handle.sessionId, mode: handle.mode });
    slot.subscriptions.add(handle.onClosed((info) => this.onSlotClosed(slot, info)));
    slot.subscriptions.add(handle.onEvent((event) => this.onSlotEvent(slot, event)));
    // The session may have ended while the listeners were being attached.
    if (!this.slots.has(slot)) return;
    if (this.stateValue.status === 'reconnecting' && this.stateValue.reason === 'session-closed') {
      this.reconnects++;
    }
    this.dispatch({ type: 'session-ready', connections: this.sockets.size });
    this.drainQueue();
  }

  private onSlotEvent(slot: Slot, event: PortSessionEvent): void {
    if (!this.slots.has(slot) || !this.wanted) return;
    switch (event.type) {
      case 'resuming':
        if (slot.resuming && event.lastError !== undefined) {
          this.dispatch({ type: 'retry-failed', message: event.lastError });
        }
        slot.resuming = true;
        this.dispatch({ type: 'session-lost', reason: 'resuming', connections: this.sockets.size });
        break;
      case 'resumed':
        slot.resuming = false;
        if (![...this.slots].some((s) => s.resuming)) {
          this.dispatch({ type: 'session-ready', connections: this.sockets.size });
        }
        break;
      case 'connect-error':
        this.setWarning(
          'remote-port-refused',
          `The agent on ${this.specValue.target} could not connect to ${remoteEndpoint(this.specValue)} ` +
            '(connection refused or unreachable); check that the service is running there',
        );
        break;
    }
  }

  private onSlotClosed(slot: Slot, info: PortSessionClosed): void {
    if (!this.slots.has(slot)) return;
    this.removeSlot(slot);
    // The session took its connections with it; make sure none is left half-open.
    for (const socket of slot.connections) socket.destroy();
    if (!this.wanted) return;
    this.logger.log('info', 'session ended', {
      sessionId: slot.handle.sessionId,
      reason: info.reason,
      message: info.message,
    });
    if (info.reason === 'failed' && info.error && !info.error.transient) {
      this.fail(info.error);
      return;
    }
    if (this.slots.size > 0 || this.pendingStarts > 0) {
      this.drainQueue();
      return;
    }
    const message = info.error?.message ?? info.message;
    this.dispatch({
      type: 'session-lost',
      reason: 'session-closed',
      connections: this.sockets.size,
      ...(message !== '' && { message }),
    });
    if (info.reason === 'closed') {
      // Session Manager ended it: its policy decides, not this forward (see onServiceEnded).
      void this.onServiceEnded(slot, info.message);
      return;
    }
    this.replaceLostSession(slot);
  }

  /** A broken (not ended) session: a fresh one, at once after a long life, else after a backoff. */
  private replaceLostSession(slot: Slot): void {
    if (this.clock.now() - slot.openedAt >= this.stableSessionMs) {
      this.backoff.reset();
      this.startSession(true);
    } else {
      // Sessions that die right after opening (agent cannot reach the port, ...) must not
      // turn into a tight StartSession loop.
      this.scheduleRetry();
    }
  }

  /**
   * The service ended the forward's last session (channel_closed, or gone when resuming). The
   * forward stops with the service's reason unless the restart option is on and the end was the
   * account's idle timeout or maximum duration; a TerminateSession or an untold cause never
   * restarts. New connections wait meanwhile and are closed if the forward stops.
   */
  private async onServiceEnded(slot: Slot, closedText: string): Promise<void> {
    const generation = this.generation;
    const explanation: SessionEndExplanation = slot.handle.explainEnd
      ? await slot.handle.explainEnd(closedText)
      : explainSessionEnd(closedText, undefined);
    if (generation !== this.generation || !this.wanted) return;
    const sessionId = slot.handle.sessionId;
    if (this.specValue.restartEndedSessions === true && mayRestartAfter(explanation.cause)) {
      this.logger.log('info', 'restart option: a new session after Session Manager ended one', {
        sessionId,
        cause: explanation.cause,
      });
      this.setWarning(
        'session-restarted',
        `Session Manager ended session ${sessionId} (${explanation.description}); a new session ` +
          'was started because this forward restarts ended sessions',
      );
      this.replaceLostSession(slot);
      return;
    }
    this.logger.log('info', 'stopping: Session Manager ended the session', {
      sessionId,
      cause: explanation.cause,
      restartOption: this.specValue.restartEndedSessions === true,
    });
    this.fail(
      new ForwardError('session-ended', `Ended by Session Manager: ${explanation.description}`),
    );
  }

  private scheduleRetry(): void {
    this.retryTimer?.cancel();
    const delay = this.backoff.next();
    this.logger.log('info', 'next session try scheduled', { delayMs: delay });
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wanted) this.startSession(true);
    }, delay);
  }

  private removeSlot(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    slot.subscriptions.dispose();
  }

  private onStartFailed(error: ForwardError, primary: boolean): void {
    this.logger.log('warn', 'session start failed', { code: error.code, message: error.message });
    if (this.stateValue.status === 'starting' || !error.transient) {
      this.fail(error);
      return;
    }
    if (!primary) {
      // Basic mode could not add a session for a waiting connection: that connection gives up.
      this.setWarning('extra-session-failed', `Could not open another session: ${error.message}`);
      const excess = this.queue.length - this.pendingStarts;
      if (excess > 0) this.queue.shift()?.destroy();
      return;
    }
    if (this.slots.size > 0) return;
    this.dispatch({ type: 'retry-failed', message: error.message });
    this.scheduleRetry();
  }

  /** Ends the run with an error state: the listener closes so clients fail fast. */
  private fail(error: ForwardError): void {
    if (!this.wanted) return;
    this.wanted = false;
    this.generation++;
    this.dispatch({ type: 'failed', code: error.code, message: error.message });
    this.teardown = this.release();
  }

  /** Frees everything the run holds; safe to call once per run. */
  private async release(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.statsTimer?.cancel();
    this.statsTimer = undefined;
    await this.listening;
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    this.queue.length = 0;
    const slots = [...this.slots];
    for (const slot of slots) this.removeSlot(slot);
    for (const socket of this.sockets) socket.destroy();
    const closing: Promise<unknown>[] = slots.map((slot) =>
      slot.handle.close().catch((error: unknown) => {
        this.logger.log('warn', 'closing a session failed', { error: toErrorMessage(error) });
      }),
    );
    if (server) closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    await Promise.all(closing);
    this.mode = undefined;
    this.publishStats();
  }

  // ---- state, stats, warnings ----

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
    this.dispatch({ type: 'connections-changed', connections: this.sockets.size });
    // Connection counts are shown live, not only on the next tick.
    this.publishStats();
  }

  private setWarning(code: ForwardWarning['code'], message: string): void {
    const warning = { code, message, at: this.clock.now() };
    this.warningValue = warning;
    this.logger.log('warn', message, { code });
    this.callbacks.onWarning(warning);
  }

  private resetCounters(): void {
    this.closedBytesIn = 0;
    this.closedBytesOut = 0;
    this.connectionsTotal = 0;
    this.sessionsStarted = 0;
    this.reconnects = 0;
    this.warningValue = undefined;
    this.rateIn.reset();
    this.rateOut.reset();
  }

  private scheduleStatsTick(): void {
    const generation = this.generation;
    this.statsTimer = this.clock.setTimeout(() => {
      this.statsTimer = undefined;
      if (generation !== this.generation || !this.wanted) return;
      this.publishStats();
      this.scheduleStatsTick();
    }, this.statsIntervalMs);
  }

  /** Publishes stats when anything a viewer would see changed since the last publication. */
  private publishStats(): void {
    const stats = this.stats();
    const key = JSON.stringify(stats);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.callbacks.onStats(stats);
  }
}

function remoteEndpoint(spec: ForwardSpec): string {
  return spec.remote.kind === 'instance-port'
    ? `port ${spec.remote.port}`
    : `${spec.remote.host}:${spec.remote.port}`;
}

/** Anything a SessionStarter rejects with, as a ForwardError (unknown errors count as transient). */
export function toForwardError(error: unknown): ForwardError {
  if (error instanceof ForwardError) return error;
  return new ForwardError('session-failed', toErrorMessage(error), true);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return typeof error.code === 'string' ? error.code : undefined;
  }
  return undefined;
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}
