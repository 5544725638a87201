// Fake SessionStarter for tests: sessions echo bytes locally and are driven by the test (close, fail, events).

import type { Duplex } from 'node:stream';
import type { ForwardError } from './errors';
import type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  PortSessionMode,
  SessionStarter,
} from './session-starter';
import type { ForwardSpec } from './spec';
import {
  explainSessionEnd,
  type EndedSessionRecord,
  type SessionEndExplanation,
} from './session-end';
import { Emitter } from '../base/event';
import type { Disposable } from '../base/lifecycle';

export class FakePortSession implements PortSessionHandle {
  readonly connections: Duplex[] = [];
  closed = false;
  closeCalls = 0;
  reconnectNowCalls = 0;
  /** What DescribeSessions would say about this session once it ended (undefined: not readable). */
  endRecord: EndedSessionRecord | undefined;
  private readonly closedListeners = new Emitter<PortSessionClosed>();
  private readonly eventListeners = new Emitter<PortSessionEvent>();

  constructor(
    readonly sessionId: string,
    readonly mode: PortSessionMode,
  ) {}

  /** Echoes every byte back, like an echo server at the remote port. */
  handleConnection(socket: Duplex): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.connections.push(socket);
    socket.on('data', (chunk: Buffer) => socket.write(chunk));
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
    socket.resume();
  }

  onClosed(listener: (info: PortSessionClosed) => void): Disposable {
    return this.closedListeners.event(listener);
  }

  onEvent(listener: (event: PortSessionEvent) => void): Disposable {
    return this.eventListeners.event(listener);
  }

  close(): Promise<void> {
    this.closeCalls++;
    this.end({ reason: 'local', message: '' });
    return Promise.resolve();
  }

  reconnectNow(): void {
    this.reconnectNowCalls++;
  }

  explainEnd(closedText: string): Promise<SessionEndExplanation> {
    return Promise.resolve(explainSessionEnd(closedText, this.endRecord));
  }

  /** The service closed the session (idle timeout, maximum duration, TerminateSession). */
  closeFromService(message = ''): void {
    this.end({ reason: 'closed', message });
  }

  failWith(error: ForwardError): void {
    this.end({ reason: 'failed', message: error.message, error });
  }

  emit(event: PortSessionEvent): void {
    this.eventListeners.fire(event);
  }

  /** Connections handed in and still open. */
  get openConnections(): number {
    return this.connections.filter((socket) => !socket.destroyed).length;
  }

  private end(info: PortSessionClosed): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of this.connections) socket.destroy();
    this.closedListeners.fire(info);
    this.closedListeners.dispose();
    this.eventListeners.dispose();
  }
}

interface PendingStart {
  spec: ForwardSpec;
  signal: AbortSignal;
  resolve: (session: FakePortSession) => void;
  reject: (error: unknown) => void;
}

/**
 * In `auto` mode every start succeeds at once (unless an error was queued with failNext);
 * otherwise starts wait until the test calls resolveNext / rejectNext.
 */
export class FakeSessionStarter implements SessionStarter {
  readonly sessions: FakePortSession[] = [];
  readonly pending: PendingStart[] = [];
  startCalls = 0;
  private readonly queuedErrors: Error[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    public mode: PortSessionMode = 'mux',
    public auto = true,
  ) {}

  startPortSession(spec: ForwardSpec, signal: AbortSignal): Promise<PortSessionHandle> {
    this.startCalls++;
    const promise = new Promise<PortSessionHandle>((resolve, reject) => {
      const queued = this.queuedErrors.shift();
      if (queued !== undefined) {
        reject(queued);
      } else if (this.auto) {
        resolve(this.newSession());
      } else {
        this.pending.push({ spec, signal, resolve, reject });
      }
    });
    this.wake();
    return promise;
  }

  /** The next start (or the next `count` starts) fails with `error`. */
  failNext(error: Error, count = 1): void {
    for (let i = 0; i < count; i++) this.queuedErrors.push(error);
  }

  resolveNext(): FakePortSession {
    const next = this.pending.shift();
    if (!next) throw new Error('no pending session start');
    const session = this.newSession();
    next.resolve(session);
    return session;
  }

  rejectNext(error: unknown): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no pending session start');
    next.reject(error);
  }

  /** Resolves once `startCalls` reaches `count`. */
  whenStartCalls(count: number): Promise<void> {
    if (this.startCalls >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.startCalls < count) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  get latest(): FakePortSession | undefined {
    return this.sessions[this.sessions.length - 1];
  }

  private newSession(): FakePortSession {
    const session = new FakePortSession(`fake-session-${this.sessions.length + 1}`, this.mode);
    this.sessions.push(session);
    return session;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
