// Client data-channel session: the facade shell, port and CLI code drive. It puts together the
// connection (open, resume, liveness), the handshake runner and the message router around one
// ReliableChannel, and owns the session's status, readiness and end.

import { PayloadType } from '../datachannel/codec';
import { ReliableChannel } from '../datachannel/channel';
import { connectWebSocket, isSecureStreamUrl } from '../datachannel/transport-ws';
import { networkAgent } from '../network/network-settings';
import type { Transport } from '../datachannel/transport';
import type { SsmApi } from '../aws/ssm-api';
import type { KmsApi } from '../aws/kms-api';
import { systemClock, type Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { systemRandom } from '../base/random';
import { CLIENT_VERSION } from '../datachannel/client-version';
import type { BackoffOptions } from './backoff';
import { CancellableWaits } from './cancellable-waits';
import { SessionConnection, WAKE_PONG_TIMEOUT_MS } from './connection';
import { SessionError, type SessionErrorCode } from './errors';
import { errorText } from './handshake';
import { HandshakeRunner, type NegotiatedSession } from './handshake-runner';
import type { Emitter } from '../base/event';
import { toDisposable, type Disposable } from '../base/lifecycle';
import { sessionEmitter, type SessionLink, type StreamHandler } from './link';
import { MessageRouter } from './message-router';
import { createPortForwarder } from './port-factory';
import { ShellSession, type TerminalSize } from './shell-session';
import type { CloseReason, ReadySession, SessionInfo, SessionStatus } from './session-types';

export { IDLE_PING_AFTER_MS, IDLE_PONG_TIMEOUT_MS, WAKE_PONG_TIMEOUT_MS } from './connection';

export interface OpenSessionOptions {
  sessionId: string;
  /** Secret: never logged. Reused verbatim on every reconnect (datachannel/README.md §7.3). */
  streamUrl: string;
  /** Secret: never logged. Consumed by the first open; reconnects use ResumeSession tokens. */
  tokenValue: string;
  /** The StartSession Target, needed for KMS-encrypted sessions (datachannel/README.md §6.2). */
  targetId?: string;
  ssm: Pick<SsmApi, 'resumeSession' | 'terminateSession'>;
  /** Absent: KMS encryption is refused, as a legacy plugin invocation does (datachannel/README.md §6.1). */
  kms?: KmsApi;
  kmsUnavailableReason?: string;
  clock?: Clock;
  logger?: Logger;
  /** Dials the StreamUrl; default: WebSocket with the plugin's keepalive pings. */
  connect?: (url: string) => Promise<Transport>;
  /**
   * The profile's `ca_bundle`: the default WebSocket dial trusts it besides the process's CAs
   * (AWS_CA_BUNDLE, the system store), as the session's API calls do.
   */
  caBundle?: string;
  clientId?: string;
  clientVersion?: string;
  newId?: () => string;
  backoff?: BackoffOptions;
  /** Attempts with the StartSession token before the first open counts as failed (default 3). */
  initialConnectAttempts?: number;
  /**
   * Terminal size for the first Size message of shell sessions; null sends none until the first
   * resize, so the agent keeps its default (a terminal that reports 0x0).
   */
  initialSize?: TerminalSize | null;
  /** Window of unacknowledged messages (ReliableChannel default when absent). */
  maxInFlight?: number;
}

export class DataChannelSession {
  readonly sessionId: string;
  private statusValue: SessionStatus = { state: 'connecting' };
  private readonly statusListeners: Emitter<SessionStatus>;
  private readonly readyListeners: Emitter<ReadySession>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly channel: ReliableChannel;
  private readonly waits: CancellableWaits;
  private readonly connection: SessionConnection;
  private readonly handshake: HandshakeRunner;
  private readonly router: MessageRouter;
  private finished = false;
  private terminating = false;
  private readySession: ReadySession | undefined;
  private readonly drainWaiters = new Set<() => void>();

  constructor(private readonly options: OpenSessionOptions) {
    this.sessionId = options.sessionId;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child('session');
    this.statusListeners = sessionEmitter(this.logger);
    this.readyListeners = sessionEmitter(this.logger);
    this.waits = new CancellableWaits(this.clock);
    const newId = options.newId ?? (() => systemRandom.uuid());
    const clientVersion = options.clientVersion ?? CLIENT_VERSION;
    this.channel = new ReliableChannel({
      role: 'client',
      clock: this.clock,
      newMessageId: newId,
      logger: this.logger.child('channel'),
      ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
      onMessage: (message) => this.router.onStream(message),
      onControl: (message) => this.router.onControl(message),
      onProtocolError: (reason) => this.fail('protocol-error', `Data channel: ${reason}`),
    });
    this.connection = this.createConnection(newId, clientVersion);
    this.handshake = this.createHandshakeRunner(clientVersion);
    this.router = this.createRouter();
  }

  get status(): SessionStatus {
    return this.statusValue;
  }

  /** Set once the session type is known (after the handshake or the first shell output). */
  get ready(): ReadySession | undefined {
    return this.readySession;
  }

  onStatus(listener: (status: SessionStatus) => void): Disposable {
    return this.statusListeners.event(listener);
  }

  /**
   * Fires once, synchronously when the session type becomes known, before any of its output is
   * delivered: subscribe to the shell's output or the port's events inside the listener.
   */
  onReady(listener: (session: ReadySession) => void): Disposable {
    return this.readyListeners.event(listener);
  }

  /** Resolves when ready; rejects with SessionError if the session ends first. */
  whenReady(): Promise<ReadySession> {
    if (this.readySession) return Promise.resolve(this.readySession);
    return new Promise((resolve, reject) => {
      const disposers: Disposable[] = [];
      const done = (): void => disposers.forEach((d) => d.dispose());
      disposers.push(
        this.onReady((session) => {
          done();
          resolve(session);
        }),
      );
      const onEnd = (status: SessionStatus): void => {
        if (status.state !== 'closed' && status.state !== 'error') return;
        done();
        reject(
          new SessionError(
            status.state === 'error' ? status.code : 'session-closed',
            status.message || `session closed (${status.state === 'closed' ? status.reason : ''})`,
          ),
        );
      };
      if (this.finished) onEnd(this.statusValue);
      else disposers.push(this.onStatus(onEnd));
    });
  }

  /** Resolves with the final status ('closed' or 'error'). */
  whenFinished(): Promise<SessionStatus> {
    if (this.finished) return Promise.resolve(this.statusValue);
    return new Promise((resolve) => {
      const subscription = this.onStatus((status) => {
        if (status.state === 'closed' || status.state === 'error') {
          subscription.dispose();
          resolve(status);
        }
      });
    });
  }

  /** Opens the data channel. Call once, after subscribing. */
  start(): void {
    this.connection.start();
  }

  /**
   * Ends the session for good with the TerminateSession API, then waits (bounded) for the
   * service's channel_closed before closing locally.
   */
  async terminate(timeoutMs = 3000): Promise<void> {
    if (this.finished) return;
    this.terminating = true;
    try {
      await this.options.ssm.terminateSession(this.sessionId);
    } catch (error) {
      this.logger.log('warn', 'TerminateSession failed', { error: errorText(error) });
    }
    if (this.finished) return;
    await this.waits.race(this.whenFinished(), timeoutMs);
    this.finish({ state: 'closed', reason: 'terminated', message: '' });
  }

  /** Closes locally without ending the remote session (unless `reason` says it was terminated). */
  close(reason: Extract<CloseReason, 'closed' | 'terminated'> = 'closed'): void {
    this.finish({ state: 'closed', reason, message: '' });
  }

  /**
   * Drops the current socket and resumes at once; for sleep/wake or a network change, when the
   * old socket is probably dead but nothing has noticed yet. While already reconnecting, it cuts
   * the current backoff wait short.
   */
  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  /**
   * Sleep/wake, unlock or a network change: the socket may be dead without anyone knowing. Pings
   * it and resumes at once (ResumeSession) unless a pong or any frame comes back within
   * `timeoutMs`; while already reconnecting, it cuts the current backoff wait short.
   */
  checkConnection(timeoutMs: number = WAKE_PONG_TIMEOUT_MS): void {
    this.connection.checkConnection(timeoutMs);
  }

  /**
   * Stops or restarts reading the socket while a local consumer (main's terminal) catches up with
   * output it already took; every message received is still acknowledged at once.
   */
  setReadPaused(paused: boolean): void {
    this.connection.setReadPaused(paused);
  }

  // ---- parts ----

  private createConnection(newId: () => string, clientVersion: string): SessionConnection {
    const options = this.options;
    const { caBundle } = options;
    const connect =
      options.connect ??
      ((url: string) =>
        connectWebSocket(url, {
          clock: this.clock,
          logger: this.logger.child('ws'),
          // A new agent per dial, as the default does; their TLS context is shared per bundle.
          ...(caBundle !== undefined && {
            agent: networkAgent(caBundle, isSecureStreamUrl(url)),
          }),
        }));
    return new SessionConnection(
      {
        sessionId: options.sessionId,
        streamUrl: options.streamUrl,
        tokenValue: options.tokenValue,
        ssm: options.ssm,
        connect,
        clientId: options.clientId,
        clientVersion,
        newId,
        backoff: options.backoff,
        initialConnectAttempts: options.initialConnectAttempts,
        clock: this.clock,
        logger: this.logger,
        channel: this.channel,
        waits: this.waits,
      },
      {
        onStatus: (status) => this.setStatus(status),
        onFailure: (code, message) => this.fail(code, message),
        onTimedOut: (message) => this.finish({ state: 'closed', reason: 'timed-out', message }),
        onFrame: () => {
          // The channel handles the frame after this listener; look at its counters afterwards.
          if (this.drainWaiters.size > 0) queueMicrotask(() => this.checkDrained());
        },
      },
    );
  }

  private createHandshakeRunner(clientVersion: string): HandshakeRunner {
    const options = this.options;
    return new HandshakeRunner(
      {
        sessionId: this.sessionId,
        targetId: options.targetId ?? '',
        clientVersion,
        ...(options.kms && { kms: options.kms }),
        ...(options.kmsUnavailableReason !== undefined && {
          kmsUnavailableReason: options.kmsUnavailableReason,
        }),
      },
      {
        isFinished: () => this.finished,
        send: (payloadType, payload) => this.channel.send(payloadType, payload),
        drain: (timeoutMs) => this.drain(timeoutMs),
        fail: (code, message) => this.fail(code, message),
        complete: (negotiated) => this.becomeReady(negotiated),
      },
      this.logger,
    );
  }

  private createRouter(): MessageRouter {
    return new MessageRouter(
      this.handshake,
      {
        isFinished: () => this.finished,
        startWithoutHandshake: () =>
          this.becomeReady({
            sessionType: 'Standard_Stream',
            properties: null,
            agentVersion: '',
            customerMessage: '',
          }),
        fail: (code, message) => this.fail(code, message),
        peerPaused: (paused) => this.connection.setPeerPaused(paused),
        channelClosed: (output) =>
          this.finish({
            state: 'closed',
            reason: this.terminating ? 'terminated' : 'channel-closed',
            message: output,
          }),
      },
      this.logger,
    );
  }

  private becomeReady({
    sessionType,
    properties,
    agentVersion,
    customerMessage,
  }: NegotiatedSession): void {
    const info: SessionInfo = {
      sessionId: this.sessionId,
      sessionType,
      agentVersion,
      properties,
      customerMessage,
      encrypted: this.handshake.cipher !== undefined,
    };
    const link = this.createLink(agentVersion);
    let ready: ReadySession;
    let handler: StreamHandler;
    if (sessionType === 'Port') {
      const port = createPortForwarder(link, properties);
      ready = { kind: 'port', info, port };
      handler = port;
    } else {
      const shell = new ShellSession(link, {
        sessionType,
        ...(this.options.initialSize !== undefined && { initialSize: this.options.initialSize }),
      });
      ready = { kind: 'shell', info, shell };
      handler = shell;
    }
    this.router.attach(handler);
    this.readySession = ready;
    this.readyListeners.fire(ready);
    handler.start();
  }

  private createLink(agentVersion: string): SessionLink {
    const channel = this.channel;
    return {
      sessionId: this.sessionId,
      agentVersion,
      clock: this.clock,
      logger: this.logger,
      send: (payloadType, payload) => {
        if (this.finished) return;
        // Only Output is encrypted client -> agent (datachannel/README.md §6.3).
        const cipher = this.handshake.cipher;
        const wire =
          cipher && payloadType === PayloadType.Output ? cipher.encrypt(payload) : payload;
        channel.send(payloadType, wire);
      },
      get writable() {
        return channel.writable;
      },
      onWritable: (callback) => toDisposable(channel.onWritable(callback)),
      setReadPaused: (paused) => this.setReadPaused(paused),
      drain: (timeoutMs) => this.drain(timeoutMs),
    };
  }

  // ---- helpers ----

  private drain(timeoutMs: number): Promise<void> {
    if (this.finished) return Promise.resolve();
    return this.waits.race(this.whenAllAcked(), timeoutMs);
  }

  /** Resolves when nothing is unacknowledged or queued; checked after every inbound frame. */
  private whenAllAcked(): Promise<void> {
    return new Promise((resolve) => {
      this.drainWaiters.add(resolve);
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.drainWaiters.size === 0) return;
    const { inFlight, queued } = this.channel.stats;
    if (!this.finished && (inFlight > 0 || queued > 0)) return;
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  private setStatus(status: SessionStatus): void {
    if (this.finished && status.state !== 'closed' && status.state !== 'error') return;
    this.statusValue = status;
    this.statusListeners.fire(status);
  }

  private fail(code: SessionErrorCode, message: string): void {
    if (this.finished) return;
    this.logger.log('error', 'session failed', { code, message });
    // Best effort: do not leave a broken session running on the target.
    this.options.ssm.terminateSession(this.sessionId).catch(() => undefined);
    this.finish({ state: 'error', code, message });
  }

  private finish(status: Extract<SessionStatus, { state: 'closed' | 'error' }>): void {
    if (this.finished) return;
    this.finished = true;
    this.waits.cancelAll();
    this.checkDrained();
    this.router.end();
    this.connection.close();
    this.setStatus(status);
    this.statusListeners.dispose();
    this.readyListeners.dispose();
  }
}

/** Creates a session and starts connecting; subscribe to onStatus/onReady in the same tick. */
export function openSession(options: OpenSessionOptions): DataChannelSession {
  const session = new DataChannelSession(options);
  queueMicrotask(() => session.start());
  return session;
}
