// Transport: the message-socket port the data channel talks to (WebSocket in production, in-memory in tests).

import { silentLogger, type Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

export interface TransportCloseInfo {
  /** WebSocket close code; 1006 for an abrupt loss without a close frame. */
  code: number;
  reason: string;
  error?: Error;
}

export interface Transport {
  /** Sends one binary frame. Throws TransportClosedError once the transport is closed. */
  sendBinary(frame: Uint8Array): void;
  /** Sends one text frame. Throws TransportClosedError once the transport is closed. */
  sendText(text: string): void;
  /** Graceful close. Idempotent; never throws. */
  close(code?: number, reason?: string): void;
  /** Abrupt loss without a close frame (what a TCP reset looks like). Idempotent; never throws. */
  abort?(): void;
  /**
   * Sends a WebSocket ping; resolves true at the next pong, false if the transport closes first.
   * A silently dead path never answers, so callers race it against their own deadline.
   */
  ping?(): Promise<boolean>;
  /**
   * Stops (true) or restarts (false) taking frames off the network, so TCP flow control slows the
   * sender while a local consumer catches up. Frames already received are still acknowledged.
   */
  setReadPaused?(paused: boolean): void;
  readonly isOpen: boolean;
  /** Bytes accepted by sendBinary/sendText but not yet handed to the network. */
  readonly bufferedAmount: number;
  onBinary(handler: (frame: Uint8Array) => void): () => void;
  onText(handler: (text: string) => void): () => void;
  /** Fires once. A handler registered after the close is called on the next microtask. */
  onClose(handler: (info: TransportCloseInfo) => void): () => void;
}

export type TransportErrorCode =
  'closed' | 'aborted' | 'connect-failed' | 'handshake-timeout' | 'unexpected-response';

export class TransportError extends Error {
  override readonly name: string = 'TransportError';

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown; statusCode?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.statusCode !== undefined) this.statusCode = options.statusCode;
  }

  /** HTTP status of a refused upgrade (code 'unexpected-response'). */
  statusCode?: number;
}

export class TransportClosedError extends TransportError {
  override readonly name = 'TransportClosedError';

  constructor(message = 'transport is closed') {
    super('closed', message);
  }
}

export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  Abnormal: 1006,
  /** The peer sent a frame above the receiver's limit (RFC 6455 7.4.1); 'ws' closes with it. */
  MessageTooBig: 1009,
} as const;

/**
 * Listener bookkeeping shared by the transport implementations: handler isolation (a throwing
 * handler is logged, never propagated into the socket), close-once semantics and late onClose.
 */
export abstract class TransportBase implements Transport {
  private readonly binaryEvent: Emitter<Uint8Array>;
  private readonly textEvent: Emitter<string>;
  private readonly closeEvent: Emitter<TransportCloseInfo>;
  private closeInfo: TransportCloseInfo | undefined;

  protected constructor(protected readonly logger: Logger = silentLogger) {
    const options = { onListenerError: (error: unknown) => this.reportHandlerError(error) };
    this.binaryEvent = new Emitter(options);
    this.textEvent = new Emitter(options);
    this.closeEvent = new Emitter(options);
  }

  abstract sendBinary(frame: Uint8Array): void;
  abstract sendText(text: string): void;
  abstract close(code?: number, reason?: string): void;
  abstract abort(): void;
  abstract get bufferedAmount(): number;

  get isOpen(): boolean {
    return this.closeInfo === undefined;
  }

  onBinary(handler: (frame: Uint8Array) => void): () => void {
    const subscription = this.binaryEvent.event(handler);
    return () => subscription.dispose();
  }

  onText(handler: (text: string) => void): () => void {
    const subscription = this.textEvent.event(handler);
    return () => subscription.dispose();
  }

  onClose(handler: (info: TransportCloseInfo) => void): () => void {
    const info = this.closeInfo;
    if (info) {
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) this.invoke(handler, info);
      });
      return () => {
        cancelled = true;
      };
    }
    const subscription = this.closeEvent.event(handler);
    return () => subscription.dispose();
  }

  protected emitBinary(frame: Uint8Array): void {
    if (this.closeInfo) return;
    this.binaryEvent.fire(frame);
  }

  protected emitText(text: string): void {
    if (this.closeInfo) return;
    this.textEvent.fire(text);
  }

  /** Marks the transport closed and notifies close handlers once; later calls are ignored. */
  protected emitClose(info: TransportCloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    this.binaryEvent.dispose();
    this.textEvent.dispose();
    this.closeEvent.fire(info);
    this.closeEvent.dispose();
  }

  protected assertOpen(): void {
    if (this.closeInfo) throw new TransportClosedError();
  }

  private invoke<T>(handler: (value: T) => void, value: T): void {
    try {
      handler(value);
    } catch (error) {
      this.reportHandlerError(error);
    }
  }

  private reportHandlerError(error: unknown): void {
    this.logger.log('error', 'transport handler threw', { error: toErrorMessage(error) });
  }
}
