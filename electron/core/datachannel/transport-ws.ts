// WebSocket Transport over the 'ws' package: client dialer and server-side wrapper. The only file importing 'ws'.

import type { Agent } from 'node:http';
import WebSocket from 'ws';
import { networkAgent } from '../network/network-settings';
import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { MAX_FRAME_BYTES } from './codec/frame';
import { CloseCode, TransportBase, TransportError } from './transport';
import type { Transport } from './transport';

/** The plugin pings with this payload right after opening and then every 5 minutes (datachannel/README.md §7.5). */
export const KEEPALIVE_PING_PAYLOAD = 'keepalive';
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 5 * 60_000;
/** gorilla's default dialer timeout, which the plugin uses. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 45_000;
/**
 * Real frames are at most a few KiB. Checked by ws before buffering; a larger frame closes the
 * socket with 1009 (CloseCode.MessageTooBig), which the session treats as a protocol error.
 */
export const DEFAULT_MAX_FRAME_BYTES = MAX_FRAME_BYTES;

export interface WebSocketTransportOptions {
  /** Pings with payload 'keepalive' right away and then at this interval; 0 disables. */
  keepAliveIntervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface ConnectWebSocketOptions extends WebSocketTransportOptions {
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
  maxFrameBytes?: number;
  headers?: Record<string, string>;
  /** The agent to dial through; absent: the process's proxy rule and trusted certificates. */
  agent?: Agent;
}

/** The parts of the socket under a WebSocket that write batching uses. */
interface CorkableSocket {
  cork(): void;
  uncork(): void;
  readonly destroyed: boolean;
}

/**
 * The net.Socket under a 'ws' WebSocket. 'ws' keeps it in a private field; if a future version
 * moves it, batching is skipped and every frame is written on its own, which is merely slower.
 */
function underlyingSocket(ws: WebSocket): CorkableSocket | undefined {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  if (typeof socket !== 'object' || socket === null) return undefined;
  const candidate = socket as Partial<CorkableSocket>;
  return typeof candidate.cork === 'function' && typeof candidate.uncork === 'function'
    ? (socket as CorkableSocket)
    : undefined;
}

class WebSocketTransport extends TransportBase {
  private keepAliveTimer: TimerHandle | undefined;
  private readonly socket: CorkableSocket | undefined;
  private corked = false;
  /** Pings waiting for a pong; any pong answers all of them (ws pongs carry no id we rely on). */
  private pongWaiters: ((answered: boolean) => void)[] = [];
  private readonly uncork = (): void => {
    this.corked = false;
    if (this.socket && !this.socket.destroyed) this.socket.uncork();
  };

  constructor(
    private readonly ws: WebSocket,
    options: WebSocketTransportOptions,
  ) {
    super(options.logger ?? silentLogger);
    this.socket = underlyingSocket(ws);
    let lastError: Error | undefined;
    ws.on('message', (data, isBinary) => {
      const buffer = toBuffer(data);
      if (isBinary) {
        // A plain Uint8Array view (no copy), so consumers never depend on Buffer semantics.
        this.emitBinary(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      } else {
        this.emitText(buffer.toString('utf8'));
      }
    });
    ws.on('error', (error) => {
      lastError = error;
      // A hostile peer need not answer our close frame; do not wait for it.
      if (isFrameTooLarge(error)) ws.terminate();
    });
    ws.on('pong', () => this.settlePings(true));
    ws.on('close', (code, reason) => {
      this.keepAliveTimer?.cancel();
      this.settlePings(false);
      const info = {
        code: lastError && isFrameTooLarge(lastError) ? CloseCode.MessageTooBig : code,
        reason: reason.toString('utf8'),
      };
      this.emitClose(lastError ? { ...info, error: lastError } : info);
    });
    if (ws.readyState !== WebSocket.OPEN) {
      // Wrapping a socket that is already closing: report it closed rather than pretend.
      this.emitClose({ code: CloseCode.Abnormal, reason: 'socket was not open' });
      return;
    }
    const interval = options.keepAliveIntervalMs ?? 0;
    if (interval > 0) this.startKeepAlive(options.clock ?? systemClock, interval);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  override get isOpen(): boolean {
    return super.isOpen && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Queues one frame. Frames written in the same tick are coalesced into one socket write: the
   * socket is corked on the first and uncorked on process.nextTick, so a burst of stream messages
   * and acks costs one syscall instead of one each. 'ws' writes in call order, so order is kept; a
   * close frame queues behind them, and end() flushes a corked socket.
   * 'ws' masks into a copy and never alters the bytes given, which the channel keeps for
   * retransmission. No per-frame callback: a write error surfaces as the socket's close event.
   */
  sendBinary(frame: Uint8Array): void {
    this.assertSocketOpen();
    this.batch();
    this.ws.send(frame, { binary: true });
  }

  sendText(text: string): void {
    this.assertSocketOpen();
    this.batch();
    this.ws.send(text, { binary: false });
  }

  ping(): Promise<boolean> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.pongWaiters.push(resolve);
      try {
        this.ws.ping();
      } catch {
        this.settlePings(false);
      }
    });
  }

  setReadPaused(paused: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN || paused === this.ws.isPaused) return;
    if (paused) this.ws.pause();
    else this.ws.resume();
  }

  private settlePings(answered: boolean): void {
    const waiters = this.pongWaiters;
    this.pongWaiters = [];
    for (const resolve of waiters) resolve(answered);
  }

  private batch(): void {
    if (this.corked || !this.socket || this.socket.destroyed) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(this.uncork);
  }

  close(code: number = CloseCode.Normal, reason = ''): void {
    if (this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED) return;
    try {
      this.ws.close(code, reason);
    } catch {
      // An invalid code or over-long reason: close without a reason rather than throw.
      this.ws.close(CloseCode.Normal);
    }
  }

  abort(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
  }

  private assertSocketOpen(): void {
    this.assertOpen();
    if (this.ws.readyState !== WebSocket.OPEN) {
      throw new TransportError('closed', 'WebSocket is closing');
    }
  }

  private startKeepAlive(clock: Clock, intervalMs: number): void {
    const ping = (): void => {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.ping(KEEPALIVE_PING_PAYLOAD);
      this.keepAliveTimer = clock.setTimeout(ping, intervalMs);
    };
    ping();
  }
}

/** 'ws' reports a frame above maxPayload with this code, then closes with 1009. */
function isFrameTooLarge(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Whether a stream URL is dialled over TLS. Agents are told so: one that does not know guesses
 * on every request from a stack trace, which cost milliseconds of a session's start.
 */
export function isSecureStreamUrl(url: string): boolean {
  return /^wss:/i.test(url);
}

/** Wraps an open server-side WebSocket (for example from WebSocketServer.handleUpgrade). */
export function transportFromWebSocket(
  ws: WebSocket,
  options: WebSocketTransportOptions = {},
): Transport {
  return new WebSocketTransport(ws, options);
}

/**
 * Dials `url` like the plugin does: no subprotocol, no compression, keepalive pings.
 * Rejects with TransportError ('aborted' | 'handshake-timeout' | 'unexpected-response' | 'connect-failed').
 * The URL is never put into error messages or logs: a StreamUrl identifies a live session.
 */
export function connectWebSocket(
  url: string,
  options: ConnectWebSocketOptions = {},
): Promise<Transport> {
  const { signal } = options;
  if (signal?.aborted) {
    return Promise.reject(new TransportError('aborted', 'connect aborted before it started'));
  }
  return new Promise<Transport>((resolve, reject) => {
    let settled = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        perMessageDeflate: false,
        followRedirects: false,
        agent: options.agent ?? networkAgent(undefined, isSecureStreamUrl(url)),
        ...(options.headers ? { headers: options.headers } : {}),
      });
    } catch {
      // The cause would quote the URL, which must not reach logs.
      reject(new TransportError('connect-failed', 'invalid WebSocket URL'));
      return;
    }

    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(error);
      ws.terminate();
    };
    const onAbort = (): void => fail(new TransportError('aborted', 'connect aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      fail(
        new TransportError(
          'unexpected-response',
          `WebSocket upgrade refused with HTTP ${res.statusCode ?? 0}`,
          res.statusCode === undefined ? {} : { statusCode: res.statusCode },
        ),
      );
    });
    ws.on('error', (error) => {
      const timedOut = error.message.includes('handshake has timed out');
      fail(
        new TransportError(
          timedOut ? 'handshake-timeout' : 'connect-failed',
          timedOut
            ? 'WebSocket opening handshake timed out'
            : `WebSocket connect failed: ${error.message}`,
          { cause: error },
        ),
      );
    });
    ws.on('close', () =>
      fail(new TransportError('connect-failed', 'WebSocket closed while connecting')),
    );
    ws.once('open', () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners('unexpected-response');
      ws.removeAllListeners('error');
      ws.removeAllListeners('close');
      resolve(
        new WebSocketTransport(ws, {
          keepAliveIntervalMs: options.keepAliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
          ...(options.clock ? { clock: options.clock } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        }),
      );
    });
  });
}
