// The SSM sessions serving one forward and the local connections they carry: starts the first
// session, replaces lost ones (at once, after a backoff, or under the restart option), opens one
// session per connection in basic mode, and queues connections while no session can take them.

import type { Socket } from 'node:net';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import { DisposableStore } from '../base/lifecycle';
import type { Logger } from '../base/logger';
import type { BackoffOptions } from '../sessions/backoff';
import { ForwardError, toForwardError, type ForwardWarning } from './errors';
import { RetrySchedule } from './retry-schedule';
import type { ForwardRuns } from './runs';
import { explainSessionEnd, mayRestartAfter, type SessionEndExplanation } from './session-end';
import type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  PortSessionMode,
  SessionStarter,
} from './session-starter';
import type { ForwardSpec } from './spec';
import type { ForwardEvent, ForwardState } from './state';
import type { LiveConnections } from './statistics';

/** What the pool reports to, and reads from, the forward it serves. */
export interface SessionPoolHost {
  spec(): ForwardSpec;
  state(): ForwardState;
  dispatch(event: ForwardEvent): void;
  warn(code: ForwardWarning['code'], message: string): void;
  /** Ends the run with an error (the forward releases the pool). */
  fail(error: ForwardError): void;
  sessionStarted(): void;
  /** A fresh session replaced one that was lost. */
  reconnected(): void;
}

export interface SessionPoolOptions {
  host: SessionPoolHost;
  starter: SessionStarter;
  runs: ForwardRuns;
  clock: Clock;
  logger: Logger;
  backoff: BackoffOptions;
  /** Connections allowed to wait for a session; beyond it new ones are closed. */
  queueLimit: number;
  /** Concurrent sessions in basic mode, one per connection. */
  maxBasicSessions: number;
  /** A lost session that lived at least this long is replaced at once, else after a backoff. */
  stableSessionMs: number;
}

interface Slot {
  readonly handle: PortSessionHandle;
  readonly openedAt: number;
  readonly connections: Set<Socket>;
  resuming: boolean;
  subscriptions: DisposableStore;
}

export class SessionPool implements LiveConnections {
  private readonly slots = new Set<Slot>();
  private readonly sockets = new Set<Socket>();
  private readonly queue: Socket[] = [];
  private pendingStarts = 0;
  private modeValue: PortSessionMode | undefined;
  private abort: AbortController | undefined;
  private readonly retries: RetrySchedule;
  private readonly host: SessionPoolHost;
  private readonly logger: Logger;

  constructor(private readonly options: SessionPoolOptions) {
    this.host = options.host;
    this.logger = options.logger;
    this.retries = new RetrySchedule(options.clock, options.logger, options.backoff);
  }

  /** Local connections open now, served or waiting. */
  get connections(): ReadonlySet<Socket> {
    return this.sockets;
  }

  get waitingCount(): number {
    return this.queue.length;
  }

  /** 'mux' or 'basic' once a session of this run is up. */
  get mode(): PortSessionMode | undefined {
    return this.modeValue;
  }

  sessionIds(): string[] {
    return [...this.slots].map((slot) => slot.handle.sessionId);
  }

  /** A new run: session starts from here on are abandoned when it ends. */
  begin(): void {
    this.abort = new AbortController();
    this.retries.resetDelay();
  }

  /** Opens the session the forward needs to serve at all. */
  startFirstSession(): void {
    this.startSession(true);
  }

  /** Takes a new local connection: to a session that can carry it, or into the queue. */
  accept(socket: Socket): void {
    this.sockets.add(socket);
    const slot = this.pickSlot();
    if (slot) {
      this.assign(slot, socket);
      return;
    }
    const { queueLimit } = this.options;
    if (this.queue.length >= queueLimit) {
      this.host.warn(
        'queue-full',
        `Too many connections waiting for the session (${queueLimit}); new ones are closed until it is back`,
      );
      socket.destroy();
      return;
    }
    this.queue.push(socket);
    this.ensureBasicCapacity();
  }

  /** A local connection closed: forgets it, and in basic mode puts its idle session to use. */
  detach(socket: Socket): void {
    this.sockets.delete(socket);
    const queued = this.queue.indexOf(socket);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const slot of this.slots) {
      if (!slot.connections.delete(socket)) continue;
      if (this.modeValue === 'basic' && slot.connections.size === 0) this.basicSlotIdle(slot);
      break;
    }
  }

  /** Sleep/wake or network change: retry now instead of waiting out the backoff. */
  nudge(): void {
    this.retries.resetDelay();
    if (this.retries.takePending()) {
      this.logger.log('info', 'retrying at once after a network change or wake-up');
      this.startSession(true);
    }
    for (const slot of this.slots) slot.handle.reconnectNow?.();
  }

  /** The run ended: abandons session starts and the pending retry at once. */
  stopTrying(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.retries.cancel();
  }

  /** Closes every connection and session of the run; resolves when the sessions are closed. */
  async release(): Promise<void> {
    this.queue.length = 0;
    const slots = [...this.slots];
    for (const slot of slots) this.removeSlot(slot);
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      slots.map((slot) =>
        slot.handle.close().catch((error: unknown) => {
          this.logger.log('warn', 'closing a session failed', { error: toErrorMessage(error) });
        }),
      ),
    );
    this.modeValue = undefined;
  }

  // ---- connections ----

  private pickSlot(): Slot | undefined {
    if (this.modeValue === undefined) return undefined;
    for (const slot of this.slots) {
      if (this.modeValue === 'mux' || slot.connections.size === 0) return slot;
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
    if (this.modeValue !== 'basic' || this.slots.size === 0 || !this.options.runs.active) return;
    const shortfall = this.queue.length - this.pendingStarts;
    const room = this.options.maxBasicSessions - this.slots.size - this.pendingStarts;
    for (let i = 0; i < Math.min(shortfall, room); i++) this.startSession(false);
  }

  // ---- sessions ----

  /** `primary`: the session the forward needs to be up at all (first, or replacing a lost one). */
  private startSession(primary: boolean): void {
    const isCurrent = this.options.runs.current();
    const signal = this.abort?.signal ?? AbortSignal.abort();
    this.pendingStarts++;
    let started: Promise<PortSessionHandle>;
    try {
      started = this.options.starter.startPortSession(this.host.spec(), signal);
    } catch (error) {
      started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    started.then(
      (handle) => {
        this.pendingStarts--;
        if (!isCurrent()) {
          void handle.close().catch(() => undefined);
          return;
        }
        this.addSlot(handle);
      },
      (error: unknown) => {
        this.pendingStarts--;
        if (!isCurrent()) return;
        this.onStartFailed(toForwardError(error), primary);
      },
    );
  }

  private addSlot(handle: PortSessionHandle): void {
    const slot: Slot = {
      handle,
      openedAt: this.options.clock.now(),
      connections: new Set(),
      resuming: false,
      subscriptions: new DisposableStore(),
    };
    this.slots.add(slot);
    this.host.sessionStarted();
    this.modeValue = handle.mode;
    this.logger.log('info', 'session ready', { sessionId: handle.sessionId, mode: handle.mode });
    slot.subscriptions.add(handle.onClosed((info) => this.onSlotClosed(slot, info)));
    slot.subscriptions.add(handle.onEvent((event) => this.onSlotEvent(slot, event)));
    // The session may have ended while the listeners were being attached.
    if (!this.slots.has(slot)) return;
    const state = this.host.state();
    if (state.status === 'reconnecting' && state.reason === 'session-closed') {
      this.host.reconnected();
    }
    this.host.dispatch({ type: 'session-ready', connections: this.sockets.size });
    this.drainQueue();
  }

  private onSlotEvent(slot: Slot, event: PortSessionEvent): void {
    if (!this.slots.has(slot) || !this.options.runs.active) return;
    switch (event.type) {
      case 'resuming':
        if (slot.resuming && event.lastError !== undefined) {
          this.host.dispatch({ type: 'retry-failed', message: event.lastError });
        }
        slot.resuming = true;
        this.host.dispatch({
          type: 'session-lost',
          reason: 'resuming',
          connections: this.sockets.size,
        });
        break;
      case 'resumed':
        slot.resuming = false;
        if (![...this.slots].some((s) => s.resuming)) {
          this.host.dispatch({ type: 'session-ready', connections: this.sockets.size });
        }
        break;
      case 'connect-error': {
        const spec = this.host.spec();
        this.host.warn(
          'remote-port-refused',
          `The agent on ${spec.target} could not connect to ${remoteEndpoint(spec)} ` +
            '(connection refused or unreachable); check that the service is running there',
        );
        break;
      }
    }
  }

  private onSlotClosed(slot: Slot, info: PortSessionClosed): void {
    if (!this.slots.has(slot)) return;
    this.removeSlot(slot);
    // The session took its connections with it; make sure none is left half-open.
    for (const socket of slot.connections) socket.destroy();
    if (!this.options.runs.active) return;
    this.logger.log('info', 'session ended', {
      sessionId: slot.handle.sessionId,
      reason: info.reason,
      message: info.message,
    });
    if (info.reason === 'failed' && info.error && !info.error.transient) {
      this.host.fail(info.error);
      return;
    }
    if (this.slots.size > 0 || this.pendingStarts > 0) {
      this.drainQueue();
      return;
    }
    const message = info.error?.message ?? info.message;
    this.host.dispatch({
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
    if (this.options.clock.now() - slot.openedAt >= this.options.stableSessionMs) {
      this.retries.resetDelay();
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
    const isCurrent = this.options.runs.current();
    const explanation: SessionEndExplanation = slot.handle.explainEnd
      ? await slot.handle.explainEnd(closedText)
      : explainSessionEnd(closedText, undefined);
    if (!isCurrent()) return;
    const sessionId = slot.handle.sessionId;
    const restartOption = this.host.spec().restartEndedSessions === true;
    if (restartOption && mayRestartAfter(explanation.cause)) {
      this.logger.log('info', 'restart option: a new session after Session Manager ended one', {
        sessionId,
        cause: explanation.cause,
      });
      this.host.warn(
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
      restartOption,
    });
    this.host.fail(
      new ForwardError('session-ended', `Ended by Session Manager: ${explanation.description}`),
    );
  }

  private scheduleRetry(): void {
    this.retries.schedule(() => {
      if (this.options.runs.active) this.startSession(true);
    });
  }

  private removeSlot(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    slot.subscriptions.dispose();
  }

  private onStartFailed(error: ForwardError, primary: boolean): void {
    this.logger.log('warn', 'session start failed', { code: error.code, message: error.message });
    if (this.host.state().status === 'starting' || !error.transient) {
      this.host.fail(error);
      return;
    }
    if (!primary) {
      // Basic mode could not add a session for a waiting connection: that connection gives up.
      this.host.warn('extra-session-failed', `Could not open another session: ${error.message}`);
      const excess = this.queue.length - this.pendingStarts;
      if (excess > 0) this.queue.shift()?.destroy();
      return;
    }
    if (this.slots.size > 0) return;
    this.host.dispatch({ type: 'retry-failed', message: error.message });
    this.scheduleRetry();
  }
}

function remoteEndpoint(spec: ForwardSpec): string {
  switch (spec.remote.kind) {
    case 'instance-port':
      return `port ${spec.remote.port}`;
    case 'remote-host':
      return `${spec.remote.host}:${spec.remote.port}`;
    case 'socks':
      return 'the destination';
  }
}
