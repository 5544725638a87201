// SessionConnection: keeps a session's data channel on a live socket. It opens the StreamUrl,
// resumes with ResumeSession after a loss (datachannel/README.md §7.3), and notices sockets that
// died silently (a watchdog on unacknowledged data, idle pings, probes after a wake-up).

import { buildOpenDataChannelText } from '../datachannel/codec';
import type { ReliableChannel } from '../datachannel/channel';
import { CloseCode, type Transport, type TransportCloseInfo } from '../datachannel/transport';
import { toAwsApiError } from '../aws/api-error';
import type { SsmApi } from '../aws/ssm-api';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import { systemRandom } from '../base/random';
import { Backoff, type BackoffOptions } from './backoff';
import type { CancellableWaits } from './cancellable-waits';
import type { SessionErrorCode } from './errors';
import { errorText } from './handshake';
import type { SessionStatus } from './session-types';

/** One ClientId per process, reused on every (re)connect, as the official client does (datachannel/README.md §3.1). */
const PROCESS_CLIENT_ID = systemRandom.uuid();

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

export interface SessionConnectionOptions {
  sessionId: string;
  /** Secret: never logged. Reused verbatim on every reconnect (datachannel/README.md §7.3). */
  streamUrl: string;
  /** Secret: never logged. Consumed by the first open; reconnects use ResumeSession tokens. */
  tokenValue: string;
  ssm: Pick<SsmApi, 'resumeSession'>;
  connect: (url: string) => Promise<Transport>;
  clientId?: string | undefined;
  clientVersion: string;
  newId: () => string;
  backoff?: BackoffOptions | undefined;
  /** Attempts with the StartSession token before the first open counts as failed (default 3). */
  initialConnectAttempts?: number | undefined;
  clock: Clock;
  logger: Logger;
  /** The session's channel: attached to each socket, kept (with its sequence state) across them. */
  channel: ReliableChannel;
  /** The session's waits, cut short when it ends. */
  waits: CancellableWaits;
}

/** What the connection tells the session it belongs to. */
export interface ConnectionOwner {
  /** connecting, open or reconnecting. */
  onStatus(status: SessionStatus): void;
  /** The session cannot go on. */
  onFailure(code: SessionErrorCode, message: string): void;
  /** The service no longer knows the session. */
  onTimedOut(message: string): void;
  /** A frame arrived from the agent; the channel handles it right after. */
  onFrame(): void;
}

export class SessionConnection {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly channel: ReliableChannel;
  private readonly waits: CancellableWaits;
  private readonly backoff: Backoff;
  private transport: Transport | undefined;
  private transportDisposers: (() => void)[] = [];
  private started = false;
  private closed = false;
  private reconnecting = false;
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

  constructor(
    private readonly options: SessionConnectionOptions,
    private readonly owner: ConnectionOwner,
  ) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.channel = options.channel;
    this.waits = options.waits;
    this.backoff = new Backoff(options.backoff);
  }

  /** Opens the data channel. Later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.openInitial();
  }

  /**
   * Drops the current socket and resumes at once; while already reconnecting, it cuts the current
   * backoff wait short.
   */
  reconnectNow(): void {
    if (!this.started || this.closed) return;
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
   * Pings the socket and resumes at once unless a pong or any frame comes back within
   * `timeoutMs`; while already reconnecting, it cuts the current backoff wait short.
   */
  checkConnection(timeoutMs: number): void {
    // A socket we are not reading cannot show its pong; it was busy with data a moment ago.
    if (!this.started || this.closed || this.readPaused) return;
    const transport = this.transport;
    if (!transport?.ping) {
      this.reconnectNow();
      return;
    }
    void this.probe(transport, timeoutMs, 'no pong after a wake-up or network change');
  }

  /** Stops or restarts reading the socket, now and on every socket after it. */
  setReadPaused(paused: boolean): void {
    if (this.readPaused === paused) return;
    this.readPaused = paused;
    // The silence while paused is ours, not the path's.
    if (!paused) this.lastFrameAt = this.clock.now();
    this.transport?.setReadPaused?.(paused);
  }

  /** Publication control (datachannel/README.md §4.6): while the agent is paused, silence is expected. */
  setPeerPaused(paused: boolean): void {
    this.peerPaused = paused;
  }

  /** The session is over: stops watching and reconnecting, disposes the channel, closes the socket. */
  close(): void {
    this.closed = true;
    this.watchdog?.cancel();
    this.watchdog = undefined;
    const transport = this.transport;
    for (const dispose of this.transportDisposers) dispose();
    this.transportDisposers = [];
    this.transport = undefined;
    this.channel.dispose();
    transport?.close();
  }

  private async openInitial(): Promise<void> {
    this.owner.onStatus({ state: 'connecting' });
    const attempts = Math.max(1, this.options.initialConnectAttempts ?? 3);
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.waits.delay(this.backoff.next());
      if (this.closed) return;
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
    this.owner.onFailure(
      'connect-failed',
      `Cannot connect to the data channel: ${errorText(lastError)}`,
    );
  }

  private async connectWith(token: string): Promise<void> {
    const transport = await this.options.connect(this.options.streamUrl);
    if (this.closed) {
      transport.close();
      return;
    }
    // The OpenDataChannel frame must precede every binary frame, including queued resends.
    transport.sendText(
      buildOpenDataChannelText({
        requestId: this.options.newId(),
        tokenValue: token,
        clientId: this.options.clientId ?? PROCESS_CLIENT_ID,
        clientVersion: this.options.clientVersion,
      }),
    );
    this.transport = transport;
    this.transportDisposers = [
      transport.onClose((info) => this.onTransportClose(transport, info)),
      transport.onBinary(() => {
        this.lastFrameAt = this.clock.now();
        this.framesHeard++;
        this.heardSinceOpen = true;
        this.owner.onFrame();
      }),
    ];
    this.channel.attach(transport);
    if (this.readPaused) transport.setReadPaused?.(true);
    this.openedAt = this.clock.now();
    this.heardSinceOpen = false;
    this.lastFrameAt = this.openedAt;
    this.armWatchdog();
    this.owner.onStatus({ state: 'open' });
  }

  private onTransportClose(transport: Transport, info: TransportCloseInfo): void {
    if (transport !== this.transport || this.closed) return;
    if (info.code === CloseCode.MessageTooBig) {
      // Reconnecting would only invite the same frame again (datachannel/README.md §12).
      this.owner.onFailure(
        'protocol-error',
        'Data channel: the peer sent a frame above the size limit',
      );
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
      if (!transport || this.closed) return;
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
      await this.waits.race(
        transport.ping().then((pong) => {
          answered = pong;
        }),
        timeoutMs,
      );
    } finally {
      if (this.probing === transport) this.probing = undefined;
    }
    if (this.closed || transport !== this.transport) return;
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
    const timedOut = `Session: ${this.options.sessionId} timed out.`;
    try {
      while (!this.closed && !this.transport) {
        attempt++;
        this.owner.onStatus({
          state: 'reconnecting',
          attempt,
          ...(lastError !== undefined && { lastError }),
        });
        if (attempt > 1 || waitFirst) {
          const wake = new Promise<void>((resolve) => {
            this.wakeReconnect = resolve;
          });
          await this.waits.race(wake, this.backoff.next());
          this.wakeReconnect = undefined;
        }
        if (this.closed) return;
        let token: string;
        try {
          token = (await this.options.ssm.resumeSession(this.options.sessionId)).tokenValue;
        } catch (error) {
          const apiError = toAwsApiError(error);
          if (apiError.code === 'DoesNotExistException') {
            this.owner.onTimedOut(timedOut);
            return;
          }
          lastError = `ResumeSession failed: ${apiError.message}`;
          this.logger.log('warn', 'ResumeSession failed', { code: apiError.code, attempt });
          if (!apiError.transient && ++permanentFailures >= MAX_PERMANENT_RESUME_FAILURES) {
            this.owner.onFailure('resume-failed', lastError);
            return;
          }
          continue;
        }
        if (this.closed) return;
        permanentFailures = 0;
        if (token === '') {
          this.owner.onTimedOut(timedOut);
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
    if (!this.closed && !this.transport) void this.reconnect(true);
  }
}
