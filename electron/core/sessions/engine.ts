// Client data-channel session: connect, handshake, route agent payloads to a session type, resume on loss.

import {
  MessageType,
  PayloadType,
  buildHandshakeResponsePayload,
  buildOpenDataChannelText,
  parseChannelClosedPayload,
  parseHandshakeCompletePayload,
  parseHandshakeRequestPayload,
  type ClientMessage,
} from '../datachannel/codec';
import { ReliableChannel } from '../datachannel/channel';
import { createPayloadCipher, type PayloadCipher } from '../datachannel/crypto';
import { connectWebSocket } from '../datachannel/transport-ws';
import { CloseCode, type Transport, type TransportCloseInfo } from '../datachannel/transport';
import { toAwsApiError, type SsmApi } from '../aws/ssm-api';
import type { KmsApi } from '../aws/kms-api';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { systemRandom } from '../base/random';
import { CLIENT_VERSION } from '../datachannel/client-version';
import { Backoff, type BackoffOptions } from './backoff';
import { SessionError, type SessionErrorCode } from './errors';
import {
  answerEncryptionChallenge,
  errorText,
  processHandshakeRequest,
  type HandshakeOutcome,
  type KnownSessionType,
} from './handshake';
import type { Emitter } from '../base/event';
import { toDisposable, type Disposable } from '../base/lifecycle';
import { sessionEmitter, type Delivery, type SessionLink, type StreamHandler } from './link';
import { createPortForwarder } from './port-factory';
import { ShellSession, type TerminalSize } from './shell-session';
import type { CloseReason, ReadySession, SessionInfo, SessionStatus } from './session-types';

/** One ClientId per process, reused on every (re)connect, as the official client does (datachannel/README.md §3.1). */
const PROCESS_CLIENT_ID = systemRandom.uuid();

/** Agent payload types that carry (possibly encrypted) session data (datachannel/README.md §6.3). */
const ENCRYPTED_FROM_AGENT: ReadonlySet<number> = new Set([
  PayloadType.Output,
  PayloadType.StdErr,
  PayloadType.ExitCode,
]);

/** How long unacknowledged data may meet total silence before the socket is presumed dead. */
const DEAD_SOCKET_SILENCE_MS = 30_000;
const WATCHDOG_INTERVAL_MS = 5_000;
/** A socket that stayed up this long counts as healthy even if it carried no traffic. */
const STABLE_CONNECTION_MS = 30_000;

/** After a wake-up or network change, a socket that does not answer a ping this fast is presumed dead. */
export const WAKE_PONG_TIMEOUT_MS = 1_000;
/** An idle socket silent this long is pinged, so a dead one is found without waiting for data. */
export const IDLE_PING_AFTER_MS = 15_000;
/** How long an idle ping may wait for its pong before the socket is presumed dead. */
export const IDLE_PONG_TIMEOUT_MS = 10_000;

/** ResumeSession failures that are not transient (e.g. AccessDenied) are retried this often. */
const MAX_PERMANENT_RESUME_FAILURES = 3;

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
  private readonly backoff: Backoff;
  private readonly connect: (url: string) => Promise<Transport>;
  private readonly newId: () => string;
  private readonly clientId: string;
  private readonly clientVersion: string;
  private transport: Transport | undefined;
  private transportDisposers: (() => void)[] = [];
  private started = false;
  private finished = false;
  private reconnecting = false;
  private terminating = false;
  private handshake: 'none' | 'running' | 'done' = 'none';
  private outcome: HandshakeOutcome | undefined;
  private cipher: PayloadCipher | undefined;
  private handler: StreamHandler | undefined;
  private readySession: ReadySession | undefined;
  private readonly drainWaiters = new Set<() => void>();
  /** Cuts the reconnect loop's current backoff wait short. */
  private wakeReconnect: (() => void) | undefined;
  private lastFrameAt = 0;
  /** Frames heard on any socket so far; a probe that hears one meanwhile needs no pong. */
  private framesHeard = 0;
  private lastPongAt = 0;
  /** A local consumer is behind: the socket is not read (TCP slows the agent), so it is silent. */
  private readPaused = false;
  /** The socket a liveness probe is running on, so probes do not pile up. */
  private probing: Transport | undefined;
  private openedAt = 0;
  /** Whether the current socket has delivered any agent frame yet. */
  private heardSinceOpen = false;
  private watchdog: TimerHandle | undefined;
  /** The service said the agent's side is inactive (pause_publication): silence is expected. */
  private peerPaused = false;
  /** Pending Clock waits, woken early by `finish`. */
  private readonly sleepers = new Set<{ timer: TimerHandle; wake: () => void }>();

  constructor(private readonly options: OpenSessionOptions) {
    this.sessionId = options.sessionId;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child('session');
    this.statusListeners = sessionEmitter(this.logger);
    this.readyListeners = sessionEmitter(this.logger);
    this.backoff = new Backoff(options.backoff);
    this.newId = options.newId ?? (() => systemRandom.uuid());
    this.clientId = options.clientId ?? PROCESS_CLIENT_ID;
    this.clientVersion = options.clientVersion ?? CLIENT_VERSION;
    this.connect =
      options.connect ??
      ((url) => connectWebSocket(url, { clock: this.clock, logger: this.logger.child('ws') }));
    this.channel = new ReliableChannel({
      role: 'client',
      clock: this.clock,
      newMessageId: this.newId,
      logger: this.logger.child('channel'),
      ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
      onMessage: (message) => this.onStreamMessage(message),
      onControl: (message) => this.onControl(message),
      onProtocolError: (reason) => this.fail('protocol-error', `Data channel: ${reason}`),
    });
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
    if (this.started) return;
    this.started = true;
    void this.openInitial();
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
    await this.raceTimeout(this.whenFinished(), timeoutMs);
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
    if (!this.started || this.finished) return;
    const transport = this.transport;
    if (transport) {
      if (transport.abort) transport.abort();
      else transport.close();
      // Memory and fault transports may report the close later; do not wait for it.
      this.onTransportClose(transport, { code: 1006, reason: 'reconnect requested' });
      return;
    }
    this.backoff.reset();
    this.wakeReconnect?.();
  }

  /**
   * Sleep/wake, unlock or a network change: the socket may be dead without anyone knowing. Pings
   * it and resumes at once (ResumeSession) unless a pong or any frame comes back within
   * `timeoutMs`; while already reconnecting, it cuts the current backoff wait short.
   */
  checkConnection(timeoutMs: number = WAKE_PONG_TIMEOUT_MS): void {
    // A socket we are not reading cannot show its pong; it was busy with data a moment ago.
    if (!this.started || this.finished || this.readPaused) return;
    const transport = this.transport;
    if (!transport?.ping) {
      this.reconnectNow();
      return;
    }
    void this.probe(transport, timeoutMs, 'no pong after a wake-up or network change');
  }

  /**
   * Stops or restarts reading the socket while a local consumer (main's terminal) catches up with
   * output it already took; every message received is still acknowledged at once.
   */
  setReadPaused(paused: boolean): void {
    if (this.readPaused === paused) return;
    this.readPaused = paused;
    // The silence while paused is ours, not the path's.
    if (!paused) this.lastFrameAt = this.clock.now();
    this.transport?.setReadPaused?.(paused);
  }

  // ---- connection lifecycle ----

  private async openInitial(): Promise<void> {
    this.setStatus({ state: 'connecting' });
    const attempts = Math.max(1, this.options.initialConnectAttempts ?? 3);
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.delay(this.backoff.next());
      if (this.finished) return;
      try {
        // The StartSession token is only consumed by a successful open, so it can be retried.
        await this.connectWith(this.options.tokenValue);
        return;
      } catch (error) {
        lastError = error;
        this.logger.log('warn', 'data channel connect failed', {
          attempt: attempt + 1,
          error: errorText(error),
        });
      }
    }
    this.fail('connect-failed', `Cannot connect to the data channel: ${errorText(lastError)}`);
  }

  private async connectWith(token: string): Promise<void> {
    const transport = await this.connect(this.options.streamUrl);
    if (this.finished) {
      transport.close();
      return;
    }
    // The OpenDataChannel frame must precede every binary frame, including queued resends.
    transport.sendText(
      buildOpenDataChannelText({
        requestId: this.newId(),
        tokenValue: token,
        clientId: this.clientId,
        clientVersion: this.clientVersion,
      }),
    );
    this.transport = transport;
    this.transportDisposers = [
      transport.onClose((info) => this.onTransportClose(transport, info)),
      transport.onBinary(() => {
        this.lastFrameAt = this.clock.now();
        this.framesHeard++;
        this.heardSinceOpen = true;
        // The channel handles the frame after this listener; look at its counters afterwards.
        if (this.drainWaiters.size > 0) queueMicrotask(() => this.checkDrained());
      }),
    ];
    this.channel.attach(transport);
    if (this.readPaused) transport.setReadPaused?.(true);
    this.openedAt = this.clock.now();
    this.heardSinceOpen = false;
    this.lastFrameAt = this.openedAt;
    this.armWatchdog();
    this.setStatus({ state: 'open' });
  }

  private onTransportClose(transport: Transport, info: TransportCloseInfo): void {
    if (transport !== this.transport || this.finished) return;
    if (info.code === CloseCode.MessageTooBig) {
      // Reconnecting would only invite the same frame again (datachannel/README.md §12).
      this.fail('protocol-error', 'Data channel: the peer sent a frame above the size limit');
      return;
    }
    this.logger.log('info', 'data channel socket lost', { code: info.code, reason: info.reason });
    // A socket that carried traffic or lived a while was healthy: resume at once with a fresh
    // backoff. One that died silently right after opening (a refused token, a broken proxy)
    // must not turn into a tight ResumeSession loop, so it waits first.
    const healthy = this.heardSinceOpen || this.clock.now() - this.openedAt >= STABLE_CONNECTION_MS;
    if (healthy) this.backoff.reset();
    this.dropTransport();
    void this.reconnect(!healthy);
  }

  /**
   * Notices a silently dead socket (laptop sleep, a vanished NAT entry), which neither WebSocket
   * nor the official client detect (issue #47): while our messages wait for acks, a live agent
   * answers within its RTO (at most 1 s), so a long silence means the path is gone.
   */
  private armWatchdog(): void {
    this.watchdog?.cancel();
    this.watchdog = this.clock.setTimeout(() => {
      this.watchdog = undefined;
      const transport = this.transport;
      if (!transport || this.finished) return;
      if (this.readPaused) {
        this.lastFrameAt = this.clock.now();
        this.armWatchdog();
        return;
      }
      const { inFlight } = this.channel.stats;
      const silentFor = this.clock.now() - this.lastFrameAt;
      if (inFlight > 0 && !this.peerPaused && silentFor >= DEAD_SOCKET_SILENCE_MS) {
        this.logger.log('warn', 'data channel silent while awaiting acks; reconnecting', {
          silentForMs: silentFor,
        });
        this.reconnectNow();
        return;
      }
      // An idle session sends nothing that could go unacknowledged, so the check above never
      // fires for it: ping instead (the service answers pings even while the agent is paused).
      const quietFor = this.clock.now() - Math.max(this.lastFrameAt, this.lastPongAt);
      if (quietFor >= IDLE_PING_AFTER_MS && transport.ping) {
        void this.probe(transport, IDLE_PONG_TIMEOUT_MS, 'idle socket did not answer a ping');
      }
      this.armWatchdog();
    }, WATCHDOG_INTERVAL_MS);
  }

  /** Pings `transport`; without a pong or any frame within `timeoutMs`, drops it and resumes. */
  private async probe(transport: Transport, timeoutMs: number, why: string): Promise<void> {
    if (this.probing === transport || !transport.ping) return;
    this.probing = transport;
    const heardBefore = this.framesHeard;
    let answered = false;
    try {
      await this.raceTimeout(
        transport.ping().then((pong) => {
          answered = pong;
        }),
        timeoutMs,
      );
    } finally {
      if (this.probing === transport) this.probing = undefined;
    }
    if (this.finished || transport !== this.transport) return;
    if (answered || this.framesHeard !== heardBefore) {
      // The path is alive. A pong comes from the service, not the agent, so it does not count as
      // agent traffic for the ack watchdog; it only spaces out the idle pings.
      this.lastPongAt = this.clock.now();
      return;
    }
    this.logger.log('warn', 'data channel presumed dead; resuming', { why, timeoutMs });
    this.reconnectNow();
  }

  private dropTransport(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
    for (const dispose of this.transportDisposers) dispose();
    this.transportDisposers = [];
    this.transport = undefined;
    this.channel.detach();
  }

  /**
   * ResumeSession then reconnect to the original StreamUrl, with capped exponential backoff,
   * for as long as the service says the session exists (datachannel/README.md §7.3, without the 5-try limit).
   * Sequence numbers and buffers live in the channel, which is kept, so nothing is lost.
   */
  private async reconnect(waitFirst: boolean): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    let attempt = 0;
    let permanentFailures = 0;
    let lastError: string | undefined;
    try {
      while (!this.finished && !this.transport) {
        attempt++;
        this.setStatus({
          state: 'reconnecting',
          attempt,
          ...(lastError !== undefined && { lastError }),
        });
        if (attempt > 1 || waitFirst) {
          const wake = new Promise<void>((resolve) => {
            this.wakeReconnect = resolve;
          });
          await this.raceTimeout(wake, this.backoff.next());
          this.wakeReconnect = undefined;
        }
        if (this.finished) return;
        let token: string;
        try {
          token = (await this.options.ssm.resumeSession(this.sessionId)).tokenValue;
        } catch (error) {
          const apiError = toAwsApiError(error);
          if (apiError.code === 'DoesNotExistException') {
            this.finish({
              state: 'closed',
              reason: 'timed-out',
              message: `Session: ${this.sessionId} timed out.`,
            });
            return;
          }
          lastError = `ResumeSession failed: ${apiError.message}`;
          this.logger.log('warn', 'ResumeSession failed', { code: apiError.code, attempt });
          if (!apiError.transient && ++permanentFailures >= MAX_PERMANENT_RESUME_FAILURES) {
            this.fail('resume-failed', lastError);
            return;
          }
          continue;
        }
        if (this.finished) return;
        permanentFailures = 0;
        if (token === '') {
          this.finish({
            state: 'closed',
            reason: 'timed-out',
            message: `Session: ${this.sessionId} timed out.`,
          });
          return;
        }
        try {
          await this.connectWith(token);
        } catch (error) {
          lastError = `reconnect failed: ${errorText(error)}`;
          this.logger.log('warn', 'data channel reconnect failed', {
            attempt,
            error: errorText(error),
          });
        }
      }
    } finally {
      this.reconnecting = false;
    }
    // A socket that died between connecting and the loop's check needs another round.
    if (!this.finished && !this.transport) void this.reconnect(true);
  }

  // ---- incoming messages ----

  private onStreamMessage(message: ClientMessage): Delivery {
    if (this.finished) return 'not-ready';
    switch (message.payloadType) {
      case PayloadType.HandshakeRequest:
        return this.onHandshakeRequest(message.payload);
      case PayloadType.EncChallengeRequest:
        return this.onChallengeRequest(message.payload);
      case PayloadType.HandshakeComplete:
        return this.onHandshakeComplete(message.payload);
      default:
        break;
    }
    if (!this.handler) {
      // No-handshake path (datachannel/README.md §3.5): shell output before any handshake means Standard_Stream.
      if (message.payloadType === PayloadType.Output && this.handshake === 'none') {
        this.becomeReady('Standard_Stream', null, '', '');
      } else {
        return 'not-ready';
      }
    }
    let payload = message.payload;
    if (this.cipher && ENCRYPTED_FROM_AGENT.has(message.payloadType)) {
      try {
        payload = this.cipher.decrypt(payload);
      } catch (error) {
        this.fail('decrypt-failed', `Cannot decrypt agent data: ${errorText(error)}`);
        return 'ready';
      }
    }
    return this.handler ? this.handler.deliver(message.payloadType, payload) : 'not-ready';
  }

  private onHandshakeRequest(payload: Uint8Array): Delivery {
    if (this.handshake !== 'none') {
      this.logger.log('warn', 'ignoring a second HandshakeRequest');
      return 'ready';
    }
    if (this.handler) {
      this.logger.log('warn', 'ignoring a HandshakeRequest after the session started');
      return 'ready';
    }
    try {
      const request = parseHandshakeRequestPayload(payload);
      this.handshake = 'running';
      void this.runHandshake(request);
    } catch (error) {
      this.fail('handshake-failed', `Invalid HandshakeRequest: ${errorText(error)}`);
    }
    // Acked first, processed after (datachannel/README.md §3.2): the KMS call may take a while.
    return 'ready';
  }

  private async runHandshake(
    request: Parameters<typeof processHandshakeRequest>[0],
  ): Promise<void> {
    const outcome = await processHandshakeRequest(request, {
      sessionId: this.sessionId,
      targetId: this.options.targetId ?? '',
      clientVersion: this.clientVersion,
      ...(this.options.kms && { kms: this.options.kms }),
      ...(this.options.kmsUnavailableReason !== undefined && {
        kmsUnavailableReason: this.options.kmsUnavailableReason,
      }),
    });
    if (this.finished) return;
    this.outcome = outcome;
    if (outcome.dataKey) {
      // Enabled before the response goes out, as the agent expects (datachannel/README.md §6.3).
      this.cipher = createPayloadCipher({ role: 'client', dataKey: outcome.dataKey });
      // The cipher holds its own copies of the key halves; do not keep the plaintext key around.
      outcome.dataKey.fill(0);
      delete outcome.dataKey;
    }
    this.channel.send(
      PayloadType.HandshakeResponse,
      buildHandshakeResponsePayload(outcome.response),
    );
    if (outcome.errors.length > 0) {
      // The agent ends the session on any failed action; let the response reach it first.
      await this.drain(2000);
      this.fail('handshake-failed', outcome.errors.join('; '));
    }
  }

  private onChallengeRequest(payload: Uint8Array): Delivery {
    if (!this.cipher) {
      this.fail(
        'bad-challenge',
        'The agent sent an encryption challenge but no key was negotiated',
      );
      return 'ready';
    }
    try {
      this.channel.send(
        PayloadType.EncChallengeResponse,
        answerEncryptionChallenge(this.cipher, payload),
      );
    } catch (error) {
      this.fail(error instanceof SessionError ? error.code : 'bad-challenge', errorText(error));
    }
    return 'ready';
  }

  private onHandshakeComplete(payload: Uint8Array): Delivery {
    if (this.handler) return 'ready';
    // Still working on the request (KMS call in flight): take it again when the agent resends.
    if (this.handshake === 'running' && !this.outcome) return 'not-ready';
    let customerMessage = '';
    try {
      customerMessage = parseHandshakeCompletePayload(payload).customerMessage;
    } catch (error) {
      this.logger.log('warn', 'malformed HandshakeComplete', { error: errorText(error) });
    }
    const outcome = this.outcome;
    this.handshake = 'done';
    if (outcome && outcome.errors.length > 0) {
      this.fail('handshake-failed', outcome.errors.join('; '));
      return 'ready';
    }
    if (!outcome?.sessionType) {
      this.fail('unknown-session-type', 'unable to determine SessionType');
      return 'ready';
    }
    this.becomeReady(
      outcome.sessionType,
      outcome.properties,
      outcome.agentVersion,
      customerMessage,
    );
    return 'ready';
  }

  private onControl(message: ClientMessage): void {
    // Publication control (datachannel/README.md §4.6) only tells the watchdog that silence is expected for now.
    if (message.messageType === MessageType.PausePublication) this.peerPaused = true;
    if (message.messageType === MessageType.StartPublication) this.peerPaused = false;
    if (message.messageType !== MessageType.ChannelClosed) return;
    let output = '';
    try {
      output = parseChannelClosedPayload(message.payload).output;
    } catch (error) {
      this.logger.log('warn', 'malformed channel_closed payload', { error: errorText(error) });
    }
    this.finish({
      state: 'closed',
      reason: this.terminating ? 'terminated' : 'channel-closed',
      message: output,
    });
  }

  private becomeReady(
    sessionType: KnownSessionType,
    properties: Record<string, unknown> | null,
    agentVersion: string,
    customerMessage: string,
  ): void {
    const info: SessionInfo = {
      sessionId: this.sessionId,
      sessionType,
      agentVersion,
      properties,
      customerMessage,
      encrypted: this.cipher !== undefined,
    };
    const link = this.createLink(agentVersion);
    let ready: ReadySession;
    if (sessionType === 'Port') {
      const port = createPortForwarder(link, properties);
      ready = { kind: 'port', info, port };
      this.handler = port;
    } else {
      const shell = new ShellSession(link, {
        sessionType,
        ...(this.options.initialSize !== undefined && { initialSize: this.options.initialSize }),
      });
      ready = { kind: 'shell', info, shell };
      this.handler = shell;
    }
    this.readySession = ready;
    this.readyListeners.fire(ready);
    this.handler.start();
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
        const wire =
          this.cipher && payloadType === PayloadType.Output
            ? this.cipher.encrypt(payload)
            : payload;
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
    return this.raceTimeout(this.whenAllAcked(), timeoutMs);
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

  /** Waits for `promise` or `ms`, whichever is first, without leaving the timer behind. */
  private async raceTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
    let sleeper: { timer: TimerHandle; wake: () => void } | undefined;
    const timeout = new Promise<void>((resolve) => {
      if (this.finished) return resolve();
      const entry = {
        timer: this.clock.setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleeper = entry;
      this.sleepers.add(entry);
    });
    try {
      await Promise.race([promise.then(() => undefined), timeout]);
    } finally {
      if (sleeper) {
        sleeper.timer.cancel();
        this.sleepers.delete(sleeper);
      }
    }
  }

  /** A Clock-based wait that `finish` cuts short. */
  private delay(ms: number): Promise<void> {
    return this.raceTimeout(new Promise<never>(() => undefined), ms);
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
    this.watchdog?.cancel();
    this.watchdog = undefined;
    for (const sleeper of this.sleepers) {
      sleeper.timer.cancel();
      sleeper.wake();
    }
    this.sleepers.clear();
    this.checkDrained();
    this.handler?.end();
    const transport = this.transport;
    for (const dispose of this.transportDisposers) dispose();
    this.transportDisposers = [];
    this.transport = undefined;
    this.channel.dispose();
    transport?.close();
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
