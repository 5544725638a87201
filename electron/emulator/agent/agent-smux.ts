// The agent's smux v1 server (ssm-protocol.md 5.4): reads the client's frames out of the Output byte stream and writes its own.
// Frame: version(1) cmd(1) length(uint16 LE) streamId(uint32 LE), then `length` bytes for PSH.

import type { Clock, TimerHandle } from '../../core/base/clock';
import { silentLogger, type Logger } from '../../core/base/logger';

const VERSION = 1;
const HEADER_BYTES = 8;
const CMD_SYN = 0;
const CMD_FIN = 1;
const CMD_PSH = 2;
const CMD_NOP = 3;
/** A v2 window update. A v1 peer never sends one; a reader still skips its 8-byte body. */
const CMD_UPD = 4;
const UPD_BODY_BYTES = 8;

/** smux.DefaultConfig as the agent runs it. */
export const AgentSmuxDefaults = {
  keepAliveIntervalMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  /** Writers cut PSH data into frames of at most this much. */
  maxFrameSize: 32_768,
} as const;

export type AgentSmuxErrorCode = 'bad-version' | 'bad-command' | 'keepalive-timeout';

export class AgentSmuxError extends Error {
  override readonly name = 'AgentSmuxError';

  constructor(
    readonly code: AgentSmuxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AgentSmuxHandlers {
  /** The client opened a stream (SYN). */
  onOpen(streamId: number): void;
  /** PSH data for a stream that is open. */
  onData(streamId: number, data: Uint8Array): void;
  /** The client closed a stream (FIN). */
  onFin(streamId: number): void;
  /** The session is over: a protocol error or keepalive timeout (with the error), or close(). */
  onClose(error: AgentSmuxError | undefined): void;
}

export interface AgentSmuxServerOptions {
  clock: Clock;
  /** Hands smux bytes to the data channel; false means "stop writing until told to resume". */
  write(bytes: Uint8Array): boolean;
  handlers: AgentSmuxHandlers;
  /** NOP every 10 s and close after 30 s without any frame from the client. */
  keepAlive: boolean;
  logger?: Logger;
}

/** Encodes one frame header (plus data for PSH). */
export function smuxFrame(cmd: number, streamId: number, data?: Uint8Array): Uint8Array {
  const length = data?.length ?? 0;
  const frame = new Uint8Array(HEADER_BYTES + length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, VERSION);
  view.setUint8(1, cmd);
  view.setUint16(2, length, true);
  view.setUint32(4, streamId, true);
  if (data) frame.set(data, HEADER_BYTES);
  return frame;
}

/**
 * The smux server the agent runs over its side of the Output byte stream. Streams are only ever
 * opened by the client; the server answers with PSH and FIN.
 */
export class AgentSmuxServer {
  private readonly options: AgentSmuxServerOptions;
  private readonly logger: Logger;
  /** Streams the agent has not closed yet, and whether the client already sent its FIN. */
  private readonly open = new Map<number, { clientFinished: boolean }>();
  /** Received bytes not yet parsed (a partial header or frame body), oldest first. */
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private closed = false;
  private heardFromClient = false;
  private keepAliveTimers: TimerHandle[] = [];

  constructor(options: AgentSmuxServerOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    if (options.keepAlive) this.startKeepAlive();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get streamCount(): number {
    return this.open.size;
  }

  /** Feeds client bytes in arrival order; frames may be split anywhere. */
  feed(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    // The caller may reuse its buffer, so what waits here is a copy.
    this.chunks.push(new Uint8Array(bytes));
    this.buffered += bytes.length;
    while (!this.closed && this.buffered >= HEADER_BYTES) {
      const headerBytes = this.peek(HEADER_BYTES);
      const header = new DataView(headerBytes.buffer, headerBytes.byteOffset, HEADER_BYTES);
      const version = header.getUint8(0);
      const cmd = header.getUint8(1);
      const length = header.getUint16(2, true);
      const streamId = header.getUint32(4, true);
      if (version !== VERSION) {
        this.fail(new AgentSmuxError('bad-version', `smux version ${version}, expected 1`));
        return;
      }
      const bodyLength = cmd === CMD_PSH ? length : cmd === CMD_UPD ? UPD_BODY_BYTES : 0;
      if (this.buffered < HEADER_BYTES + bodyLength) return;
      this.take(HEADER_BYTES);
      const body = this.take(bodyLength);
      this.heardFromClient = true;
      this.handle(cmd, streamId, body);
    }
  }

  /** Sends stream data, cut into frames of at most maxFrameSize; returns write()'s verdict. */
  write(streamId: number, data: Uint8Array): boolean {
    if (this.closed || !this.open.has(streamId)) return true;
    let accepting = true;
    for (let start = 0; start < data.length; start += AgentSmuxDefaults.maxFrameSize) {
      const part = data.subarray(start, start + AgentSmuxDefaults.maxFrameSize);
      accepting = this.options.write(smuxFrame(CMD_PSH, streamId, part)) && accepting;
    }
    return accepting;
  }

  /** Closes a stream from the agent's side (FIN). Later frames for it are ignored. */
  finish(streamId: number): void {
    if (this.closed || !this.open.delete(streamId)) return;
    this.options.write(smuxFrame(CMD_FIN, streamId));
  }

  /** Ends the session without a word to the client (the plugin is done). */
  close(): void {
    this.shutdown(undefined);
  }

  private handle(cmd: number, streamId: number, body: Uint8Array): void {
    const handlers = this.options.handlers;
    switch (cmd) {
      case CMD_SYN:
        if (this.open.has(streamId)) return;
        this.open.set(streamId, { clientFinished: false });
        handlers.onOpen(streamId);
        return;
      case CMD_FIN: {
        // Both ends send FIN, so one for a stream already closed here is normal (F5).
        const stream = this.open.get(streamId);
        if (!stream || stream.clientFinished) return;
        stream.clientFinished = true;
        handlers.onFin(streamId);
        return;
      }
      case CMD_PSH: {
        const stream = this.open.get(streamId);
        if (stream && !stream.clientFinished && body.length > 0) handlers.onData(streamId, body);
        return;
      }
      case CMD_NOP:
      case CMD_UPD:
        return;
      default:
        this.fail(new AgentSmuxError('bad-command', `unknown smux command ${cmd}`));
    }
  }

  /** The first `count` buffered bytes (a view or a copy), without consuming them. */
  private peek(count: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length >= count) return first.subarray(0, count);
    const out = new Uint8Array(count);
    let filled = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, count - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === count) break;
    }
    return out;
  }

  /** Consumes and returns the first `count` buffered bytes. */
  private take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const part = chunk.subarray(0, count - filled);
      out.set(part, filled);
      filled += part.length;
      if (part.length === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part.length);
    }
    this.buffered -= filled;
    return out;
  }

  private startKeepAlive(): void {
    const { clock } = this.options;
    const ping = (): void => {
      if (this.closed) return;
      this.options.write(smuxFrame(CMD_NOP, 0));
      this.keepAliveTimers[0] = clock.setTimeout(ping, AgentSmuxDefaults.keepAliveIntervalMs);
    };
    const check = (): void => {
      if (this.closed) return;
      if (!this.heardFromClient) {
        this.fail(new AgentSmuxError('keepalive-timeout', 'no smux frame in 30 s'));
        return;
      }
      this.heardFromClient = false;
      this.keepAliveTimers[1] = clock.setTimeout(check, AgentSmuxDefaults.keepAliveTimeoutMs);
    };
    this.keepAliveTimers = [
      clock.setTimeout(ping, AgentSmuxDefaults.keepAliveIntervalMs),
      clock.setTimeout(check, AgentSmuxDefaults.keepAliveTimeoutMs),
    ];
  }

  private fail(error: AgentSmuxError): void {
    this.logger.log('info', 'smux session failed', { code: error.code });
    this.shutdown(error);
  }

  private shutdown(error: AgentSmuxError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.keepAliveTimers) timer.cancel();
    this.keepAliveTimers = [];
    this.open.clear();
    this.chunks = [];
    this.buffered = 0;
    this.options.handlers.onClose(error);
  }
}
