// smux v1 stream multiplexing (datachannel/README.md §5.4): framing, an incremental parser and a session of Duplex streams.

import { Duplex } from 'node:stream';
import type { Clock, TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';

/** Protocol version byte; both the plugin and the agent speak v1. */
export const SMUX_VERSION = 1;
export const SMUX_HEADER_LENGTH = 8;
/** Body of a v2 window update; a v1 reader still consumes it, as xtaci/smux does. */
export const SMUX_UPD_BODY_LENGTH = 8;

export const SmuxCommand = { Syn: 0, Fin: 1, Psh: 2, Nop: 3, Upd: 4 } as const;
export type SmuxCommandValue = (typeof SmuxCommand)[keyof typeof SmuxCommand];

/** smux.DefaultConfig values (datachannel/README.md §5.4). */
export const SmuxDefaults = {
  keepAliveIntervalMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  maxFrameSize: 32_768,
  maxReceiveBuffer: 4 * 1024 * 1024,
} as const;

const MAX_LENGTH_FIELD = 0xffff;
const MAX_STREAM_ID = 0xffff_ffff;

export type SmuxErrorCode =
  | 'bad-version'
  | 'bad-command'
  | 'keepalive-timeout'
  | 'session-closed'
  | 'stream-ids-exhausted'
  | 'bad-option';

export class SmuxError extends Error {
  override readonly name = 'SmuxError';

  constructor(
    readonly code: SmuxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SmuxFrame {
  cmd: SmuxCommandValue;
  streamId: number;
  /** PSH payload (or the 8-byte UPD body); empty for SYN, FIN and NOP. */
  data: Uint8Array;
}

/** Serializes one frame. PSH data must fit the 16-bit length field; callers split larger writes. */
export function encodeSmuxFrame(
  cmd: SmuxCommandValue,
  streamId: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (data.length > MAX_LENGTH_FIELD) {
    throw new SmuxError('bad-option', `smux frame data of ${data.length} bytes exceeds 65535`);
  }
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > MAX_STREAM_ID) {
    throw new SmuxError('bad-option', `smux stream id ${String(streamId)} is not a uint32`);
  }
  const frame = new Uint8Array(SMUX_HEADER_LENGTH + data.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, SMUX_VERSION);
  view.setUint8(1, cmd);
  view.setUint16(2, data.length, true);
  view.setUint32(4, streamId, true);
  frame.set(data, SMUX_HEADER_LENGTH);
  return frame;
}

/**
 * Incremental frame parser: bytes arrive in arbitrary pieces (the data channel cuts at 1024-byte
 * boundaries), frames come out whole. A version or command it does not know is a protocol error,
 * after which the parser refuses further input, like xtaci/smux's recvLoop.
 */
export class SmuxFrameParser {
  private readonly header = new Uint8Array(SMUX_HEADER_LENGTH);
  private headerFill = 0;
  private body: Uint8Array | undefined;
  private bodyFill = 0;
  private current: { cmd: SmuxCommandValue; streamId: number } | undefined;
  private failed: SmuxError | undefined;

  /** Parses `bytes`, calling `onFrame` for each complete frame. Throws SmuxError on a protocol error. */
  push(bytes: Uint8Array, onFrame: (frame: SmuxFrame) => void): void {
    if (this.failed) throw this.failed;
    let offset = 0;
    while (offset < bytes.length) {
      if (!this.current) {
        const take = Math.min(SMUX_HEADER_LENGTH - this.headerFill, bytes.length - offset);
        this.header.set(bytes.subarray(offset, offset + take), this.headerFill);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < SMUX_HEADER_LENGTH) return;
        this.headerFill = 0;
        const frame = this.startFrame();
        if (frame) onFrame(frame);
        continue;
      }
      const body = this.body;
      if (!body) break;
      const take = Math.min(body.length - this.bodyFill, bytes.length - offset);
      body.set(bytes.subarray(offset, offset + take), this.bodyFill);
      this.bodyFill += take;
      offset += take;
      if (this.bodyFill === body.length) {
        const { cmd, streamId } = this.current;
        this.current = undefined;
        this.body = undefined;
        this.bodyFill = 0;
        onFrame({ cmd, streamId, data: body });
      }
    }
  }

  /** Bytes of a partial frame held back, waiting for the rest. */
  get pendingBytes(): number {
    return this.current ? SMUX_HEADER_LENGTH + this.bodyFill : this.headerFill;
  }

  /** Decodes the buffered header; returns a frame when it has no body to wait for. */
  private startFrame(): SmuxFrame | undefined {
    const view = new DataView(this.header.buffer);
    const version = view.getUint8(0);
    const cmd = view.getUint8(1);
    const length = view.getUint16(2, true);
    const streamId = view.getUint32(4, true);
    if (version !== SMUX_VERSION) {
      this.failed = new SmuxError(
        'bad-version',
        `smux protocol error: version ${version}, expected ${SMUX_VERSION}`,
      );
      throw this.failed;
    }
    switch (cmd) {
      case SmuxCommand.Syn:
      case SmuxCommand.Fin:
      case SmuxCommand.Nop:
        // xtaci/smux ignores the length field of these commands and reads no body.
        return { cmd, streamId, data: new Uint8Array(0) };
      case SmuxCommand.Psh:
      case SmuxCommand.Upd: {
        const bodyLength = cmd === SmuxCommand.Upd ? SMUX_UPD_BODY_LENGTH : length;
        if (bodyLength === 0) return { cmd, streamId, data: new Uint8Array(0) };
        this.current = { cmd, streamId };
        this.body = new Uint8Array(bodyLength);
        this.bodyFill = 0;
        return undefined;
      }
      default:
        this.failed = new SmuxError('bad-command', `smux protocol error: unknown command ${cmd}`);
        throw this.failed;
    }
  }
}

export interface SmuxKeepAliveOptions {
  /** NOP interval (default 10 s). */
  intervalMs?: number;
  /** Close the session if nothing arrived during one such period (default 30 s). */
  timeoutMs?: number;
}

export interface SmuxSessionOptions {
  /** 'client' opens odd stream ids from 3; 'server' accepts SYN (and would open even ids). */
  role: 'client' | 'server';
  /**
   * Sink for outgoing smux bytes (in order). Return false when the sink is congested: the bytes
   * are kept, but stream writes stay pending until `resumeOutput()` is called.
   */
  write: (bytes: Uint8Array) => boolean | void;
  clock: Clock;
  /** true for the default NOP schedule (10 s / 30 s); false or absent for none. */
  keepAlive?: boolean | SmuxKeepAliveOptions;
  /** PSH frames carry at most this many bytes (default 32 KiB, at most 65535). */
  maxFrameSize?: number;
  /** Unread bytes across all streams at which input is paused (default 4 MiB). */
  maxReceiveBuffer?: number;
  /**
   * Called with true when unread stream data reaches maxReceiveBuffer (stop calling feed), and
   * with false once it drains. feed() still accepts bytes while paused; nothing is dropped.
   */
  onReadPausedChange?: (paused: boolean) => void;
  logger?: Logger;
}

export interface SmuxStats {
  streamsOpened: number;
  streamsAccepted: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** PSH bytes for streams that no longer exist (normal after a FIN crossing). */
  bytesDiscarded: number;
}

/** One multiplexed stream. A Node Duplex, so it pipes to a net.Socket; `end()` sends FIN. */
export class SmuxStream extends Duplex {
  private finSent = false;
  private finReceived = false;

  constructor(
    readonly id: number,
    private readonly session: SmuxSession,
  ) {
    super({ allowHalfOpen: true });
  }

  /** True once the peer has sent FIN for this stream. */
  get remoteEnded(): boolean {
    return this.finReceived;
  }

  override _read(): void {
    this.session.streamRead();
  }

  override _write(
    chunk: Buffer | Uint8Array | string,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.session.sendData(this.id, bytes, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendFin();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Like smux Stream.Close: a stream torn down before it ended still tells the peer.
    this.sendFin();
    this.session.streamClosed(this);
    callback(error);
  }

  /** @internal PSH from the peer. */
  receiveData(data: Uint8Array): void {
    if (this.finReceived || this.destroyed) return;
    this.push(data);
  }

  /** @internal FIN from the peer. A second FIN, or one after our own close, is harmless. */
  receiveFin(): void {
    if (this.finReceived) return;
    this.finReceived = true;
    if (!this.destroyed) this.push(null);
  }

  /** @internal The session ended: no frames can be sent any more. */
  sessionClosed(): void {
    this.finSent = true;
    if (!this.destroyed) this.destroy();
  }

  private sendFin(): void {
    if (this.finSent) return;
    this.finSent = true;
    this.session.sendControl(SmuxCommand.Fin, this.id);
  }
}

type StreamListener = (stream: SmuxStream) => void;
type CloseListener = (error: SmuxError | undefined) => void;

/**
 * An smux v1 session over a byte sink (`write`) and source (`feed`). Both the client engine (client
 * role) and the emulator's agent (server role) use it. There is no flow control in v1 beyond the
 * session-wide receive buffer, reported through onReadPausedChange.
 */
export class SmuxSession {
  readonly role: 'client' | 'server';
  private readonly writeSink: (bytes: Uint8Array) => boolean | void;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxFrameSize: number;
  private readonly maxReceiveBuffer: number;
  private readonly onReadPausedChange: ((paused: boolean) => void) | undefined;
  private readonly parser = new SmuxFrameParser();
  private readonly streams = new Map<number, SmuxStream>();
  private readonly streamListeners = new Set<StreamListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private nextStreamId: number;
  private closed = false;
  private closeError: SmuxError | undefined;
  private readPaused = false;
  private outputBlocked = false;
  private pendingWrites: (() => void)[] = [];
  private keepAliveTimers: TimerHandle[] = [];
  private dataSinceCheck = false;
  private readonly counters: SmuxStats = {
    streamsOpened: 0,
    streamsAccepted: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesDiscarded: 0,
  };

  constructor(options: SmuxSessionOptions) {
    this.role = options.role;
    this.writeSink = options.write;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.onReadPausedChange = options.onReadPausedChange;
    const maxFrameSize = options.maxFrameSize ?? SmuxDefaults.maxFrameSize;
    if (!Number.isInteger(maxFrameSize) || maxFrameSize < 1 || maxFrameSize > MAX_LENGTH_FIELD) {
      throw new SmuxError('bad-option', 'smux maxFrameSize must be an integer in 1..65535');
    }
    this.maxFrameSize = maxFrameSize;
    const maxReceiveBuffer = options.maxReceiveBuffer ?? SmuxDefaults.maxReceiveBuffer;
    if (!(maxReceiveBuffer > 0)) {
      throw new SmuxError('bad-option', 'smux maxReceiveBuffer must be positive');
    }
    this.maxReceiveBuffer = maxReceiveBuffer;
    // xtaci/smux: the client's counter starts at 1 and the server's at 0, +2 before each use.
    this.nextStreamId = options.role === 'client' ? 1 : 0;
    const keepAlive = options.keepAlive;
    if (keepAlive) this.startKeepAlive(keepAlive === true ? {} : keepAlive);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True while unread stream data is at or above maxReceiveBuffer. */
  get isReadPaused(): boolean {
    return this.readPaused;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get stats(): Readonly<SmuxStats> {
    return { ...this.counters };
  }

  /** Bytes pushed to streams that their consumers have not read yet. */
  get unreadBytes(): number {
    let total = 0;
    for (const stream of this.streams.values()) total += stream.readableLength;
    return total;
  }

  /** Feeds bytes received from the peer. Frames may span calls. Ignored once closed. */
  feed(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    this.dataSinceCheck = true;
    try {
      this.parser.push(bytes, (frame) => this.handleFrame(frame));
    } catch (error) {
      if (error instanceof SmuxError) {
        this.logger.log('warn', 'smux protocol error; closing the session', { code: error.code });
        this.close(error);
        return;
      }
      throw error;
    }
    this.updateReadPaused();
  }

  /** Opens a stream (sends SYN). Client role: ids 3, 5, 7, ... */
  openStream(): SmuxStream {
    if (this.closed) throw new SmuxError('session-closed', 'smux session is closed');
    const id = this.nextStreamId + 2;
    if (id > MAX_STREAM_ID) {
      throw new SmuxError('stream-ids-exhausted', 'smux stream ids are exhausted');
    }
    this.nextStreamId = id;
    const stream = this.createStream(id);
    this.counters.streamsOpened++;
    this.sendControl(SmuxCommand.Syn, id);
    return stream;
  }

  /** Streams the peer opens (SYN). Without a listener, incoming streams are refused with FIN. */
  onStream(listener: StreamListener): () => void {
    this.streamListeners.add(listener);
    return () => this.streamListeners.delete(listener);
  }

  /** Fires once when the session closes; the error is set for protocol errors and keepalive timeouts. */
  onClose(listener: CloseListener): () => void {
    if (this.closed) {
      const error = this.closeError;
      queueMicrotask(() => listener(error));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** The sink can take more: releases stream writes held since `write` returned false. */
  resumeOutput(): void {
    this.outputBlocked = false;
    while (!this.outputBlocked && this.pendingWrites.length > 0) {
      const next = this.pendingWrites.shift();
      next?.();
    }
  }

  /** Closes the session and destroys every stream (no FIN frames: the session itself is gone). */
  close(error?: SmuxError): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    for (const timer of this.keepAliveTimers) timer.cancel();
    this.keepAliveTimers = [];
    // Held write callbacks are dropped with their streams, which are destroyed right here.
    this.pendingWrites = [];
    for (const stream of [...this.streams.values()]) stream.sessionClosed();
    this.streams.clear();
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of listeners) {
      try {
        listener(error);
      } catch (listenerError) {
        this.logger.log('error', 'smux close listener threw', {
          error: toErrorMessage(listenerError),
        });
      }
    }
  }

  /** @internal A stream's consumer wants more data. */
  streamRead(): void {
    this.updateReadPaused();
  }

  /** @internal Splits stream data into PSH frames of at most maxFrameSize. */
  sendData(streamId: number, bytes: Uint8Array, callback: (error?: Error | null) => void): void {
    if (this.closed) {
      // The stream is being destroyed with the session; its data has nowhere to go.
      callback();
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += this.maxFrameSize) {
      const data = bytes.subarray(offset, Math.min(bytes.length, offset + this.maxFrameSize));
      this.emitFrame(encodeSmuxFrame(SmuxCommand.Psh, streamId, data));
      this.counters.bytesOut += data.length;
    }
    if (this.outputBlocked) this.pendingWrites.push(() => callback());
    else callback();
  }

  /** @internal SYN, FIN or NOP. */
  sendControl(cmd: SmuxCommandValue, streamId: number): void {
    if (this.closed) return;
    this.emitFrame(encodeSmuxFrame(cmd, streamId));
  }

  /** @internal A stream was destroyed (both ends done, or torn down). */
  streamClosed(stream: SmuxStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    this.updateReadPaused();
  }

  private emitFrame(frame: Uint8Array): void {
    this.counters.framesOut++;
    let accepted: boolean | void;
    try {
      accepted = this.writeSink(frame);
    } catch (error) {
      this.logger.log('warn', 'smux write failed; closing the session', {
        error: toErrorMessage(error),
      });
      this.close(new SmuxError('session-closed', 'smux output sink failed'));
      return;
    }
    if (accepted === false) this.outputBlocked = true;
  }

  private createStream(id: number): SmuxStream {
    const stream = new SmuxStream(id, this);
    this.streams.set(id, stream);
    return stream;
  }

  private handleFrame(frame: SmuxFrame): void {
    this.counters.framesIn++;
    switch (frame.cmd) {
      case SmuxCommand.Nop:
      case SmuxCommand.Upd:
        return;
      case SmuxCommand.Syn:
        this.acceptStream(frame.streamId);
        return;
      case SmuxCommand.Fin:
        this.streams.get(frame.streamId)?.receiveFin();
        return;
      case SmuxCommand.Psh: {
        this.counters.bytesIn += frame.data.length;
        const stream = this.streams.get(frame.streamId);
        if (stream && !stream.remoteEnded) stream.receiveData(frame.data);
        else this.counters.bytesDiscarded += frame.data.length;
        return;
      }
    }
  }

  private acceptStream(id: number): void {
    if (this.streams.has(id)) return; // a repeated SYN is ignored, as in xtaci/smux
    if (this.streamListeners.size === 0) {
      this.logger.log('debug', 'refusing an smux stream: nobody accepts streams', { id });
      this.emitFrame(encodeSmuxFrame(SmuxCommand.Fin, id));
      return;
    }
    const stream = this.createStream(id);
    this.counters.streamsAccepted++;
    for (const listener of [...this.streamListeners]) {
      try {
        listener(stream);
      } catch (error) {
        this.logger.log('error', 'smux stream listener threw; destroying the stream', {
          id,
          error: toErrorMessage(error),
        });
        stream.destroy();
        return;
      }
    }
  }

  private updateReadPaused(): void {
    if (this.closed) return;
    const paused = this.unreadBytes >= this.maxReceiveBuffer;
    if (paused === this.readPaused) return;
    this.readPaused = paused;
    this.onReadPausedChange?.(paused);
  }

  private startKeepAlive(options: SmuxKeepAliveOptions): void {
    const intervalMs = options.intervalMs ?? SmuxDefaults.keepAliveIntervalMs;
    const timeoutMs = options.timeoutMs ?? SmuxDefaults.keepAliveTimeoutMs;
    if (!(intervalMs > 0) || !(timeoutMs > 0)) {
      throw new SmuxError('bad-option', 'smux keepalive interval and timeout must be positive');
    }
    const ping = (): void => {
      if (this.closed) return;
      this.sendControl(SmuxCommand.Nop, 0);
      this.keepAliveTimers[0] = this.clock.setTimeout(ping, intervalMs);
    };
    const check = (): void => {
      if (this.closed) return;
      if (this.dataSinceCheck) {
        this.dataSinceCheck = false;
      } else if (!this.readPaused) {
        // Nothing at all arrived for a whole period; a paused reader is not the peer's fault.
        this.close(
          new SmuxError('keepalive-timeout', `smux keepalive: nothing received in ${timeoutMs} ms`),
        );
        return;
      }
      this.keepAliveTimers[1] = this.clock.setTimeout(check, timeoutMs);
    };
    this.keepAliveTimers = [
      this.clock.setTimeout(ping, intervalMs),
      this.clock.setTimeout(check, timeoutMs),
    ];
  }
}
