// The emulated agent's outgoing stream: cuts plugin output into <= 1 KiB messages, paced like the real agent or unpaced.

import type { Clock, TimerHandle } from '../../core/base/clock';
import { PayloadType } from '../../core/datachannel/codec/types';
import { Emitter } from '../../core/base/event';

export interface PacingOptions {
  /** Sleep between messages like the real agent (datachannel/README.md §4.5). Default true. */
  enabled?: boolean;
  /** Largest payload per message (the agent's StreamDataPayloadSize). Default 1024. */
  chunkSize?: number;
  /** Wait after each message when pacing. Default 1 ms. */
  delayMs?: number;
}

export interface ResolvedPacing {
  enabled: boolean;
  chunkSize: number;
  delayMs: number;
}

export const DEFAULT_CHUNK_SIZE = 1024;
export const DEFAULT_PACING_DELAY_MS = 1;
/** Above this many queued bytes the pump asks its sources to pause. */
export const DEFAULT_HIGH_WATER_BYTES = 64 * 1024;

export function resolvePacing(pacing: boolean | PacingOptions | undefined): ResolvedPacing {
  const options = typeof pacing === 'object' ? pacing : { enabled: pacing ?? true };
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const delayMs = options.delayMs ?? DEFAULT_PACING_DELAY_MS;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 1024 * 1024) {
    throw new RangeError('pacing chunkSize must be an integer between 1 and 1048576');
  }
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new RangeError('pacing delayMs must be >= 0');
  }
  return { enabled: options.enabled ?? true, chunkSize, delayMs };
}

export interface OutputSink {
  /** Sends one sequenced stream message (encryption, if any, happens here). */
  send(payloadType: number, payload: Uint8Array): void;
  /** False while a write would block (the client socket's send buffer is full). */
  readonly writable: boolean;
  onWritable(callback: () => void): () => void;
}

export interface OutputPumpOptions {
  sink: OutputSink;
  clock: Clock;
  pacing: ResolvedPacing;
  highWaterBytes?: number;
}

export interface WriteOptions {
  /** Terminal text: never cut a message inside a UTF-8 sequence (the agent splits at boundaries). */
  utf8?: boolean;
}

interface Segment {
  payloadType: number;
  bytes: Uint8Array;
  offset: number;
  utf8: boolean;
}

/** Stream payload types whose bytes may be merged or split freely across messages. */
function isByteStream(payloadType: number): boolean {
  return payloadType === PayloadType.Output || payloadType === PayloadType.StdErr;
}

/** Length of `bytes` without an incomplete UTF-8 sequence at its end. */
export function utf8SafeLength(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}

/**
 * Queues plugin output and feeds it to the channel. With pacing on it sends one message, then
 * waits (1 ms by default), as the real agent's read loop does; with pacing off it sends as fast as
 * the socket takes the frames. There is no window: nothing waits for acks. `write` returns false above the high-water mark
 * (or while paused) so sources can stop reading; `onDrain` says when to read again.
 */
export class OutputPump {
  private readonly sink: OutputSink;
  private readonly clock: Clock;
  private readonly pacing: ResolvedPacing;
  private readonly highWaterBytes: number;
  private segments: Segment[] = [];
  private head = 0;
  private queuedBytes = 0;
  private paused = false;
  private disposed = false;
  private pacingTimer: TimerHandle | undefined;
  private waitingForWritable: (() => void) | undefined;
  private congested = false;
  private readonly drainEvent = new Emitter<void>();
  private readonly emptyEvent = new Emitter<void>();

  constructor(options: OutputPumpOptions) {
    this.sink = options.sink;
    this.clock = options.clock;
    this.pacing = options.pacing;
    this.highWaterBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
  }

  get bytesQueued(): number {
    return this.queuedBytes;
  }

  get isEmpty(): boolean {
    return this.head === this.segments.length;
  }

  /** Whether sources may keep reading. */
  get accepting(): boolean {
    return !this.disposed && !this.paused && this.queuedBytes < this.highWaterBytes;
  }

  /** Queues output; returns `accepting` afterwards. */
  write(payloadType: number, bytes: Uint8Array, options: WriteOptions = {}): boolean {
    if (this.disposed) return false;
    if (bytes.length === 0 && isByteStream(payloadType)) return this.accepting;
    this.segments.push({ payloadType, bytes, offset: 0, utf8: options.utf8 ?? false });
    this.queuedBytes += bytes.length;
    this.schedule();
    const accepting = this.accepting;
    if (!accepting) this.congested = true;
    return accepting;
  }

  /** Stops sending (publication paused) or starts again. */
  setPaused(paused: boolean): void {
    if (this.paused === paused || this.disposed) return;
    this.paused = paused;
    if (paused) {
      this.congested = true;
      return;
    }
    this.schedule();
    this.checkDrained();
  }

  /** Called when sources may read again after `write` returned false. */
  onDrain(listener: () => void): () => void {
    const subscription = this.drainEvent.event(listener);
    return () => subscription.dispose();
  }

  /** Called each time the queue becomes empty. */
  onEmpty(listener: () => void): () => void {
    const subscription = this.emptyEvent.event(listener);
    return () => subscription.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.pacingTimer?.cancel();
    this.pacingTimer = undefined;
    this.waitingForWritable?.();
    this.waitingForWritable = undefined;
    this.segments = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.drainEvent.dispose();
    this.emptyEvent.dispose();
  }

  private schedule(): void {
    if (this.pacingTimer || this.waitingForWritable) return;
    this.run();
  }

  private run(): void {
    while (!this.disposed && !this.paused && !this.isEmpty) {
      if (!this.sink.writable) {
        const off = this.sink.onWritable(() => {
          off();
          if (this.waitingForWritable === off) this.waitingForWritable = undefined;
          this.run();
        });
        this.waitingForWritable = off;
        return;
      }
      this.sendOne();
      this.checkDrained();
      if (this.pacing.enabled && !this.isEmpty) {
        this.pacingTimer = this.clock.setTimeout(() => {
          this.pacingTimer = undefined;
          this.run();
        }, this.pacing.delayMs);
        return;
      }
    }
    if (this.isEmpty && !this.disposed) {
      this.segments = [];
      this.head = 0;
      this.emptyEvent.fire();
    }
  }

  private sendOne(): void {
    const first = this.segments[this.head];
    if (!first) return;
    if (!isByteStream(first.payloadType)) {
      // Flags and exit codes travel as their own messages, in order with the data around them.
      this.head++;
      this.queuedBytes -= first.bytes.length;
      this.sink.send(first.payloadType, first.bytes);
      return;
    }
    const chunk = this.takeChunk(first.payloadType);
    this.sink.send(first.payloadType, chunk);
  }

  /** Takes up to chunkSize bytes from consecutive segments of one byte-stream type. */
  private takeChunk(payloadType: number): Uint8Array {
    const limit = this.pacing.chunkSize;
    const parts: Uint8Array[] = [];
    let size = 0;
    let utf8 = false;
    let index = this.head;
    for (; index < this.segments.length && size < limit; index++) {
      const segment = this.segments[index];
      if (!segment || segment.payloadType !== payloadType) break;
      const available = segment.bytes.length - segment.offset;
      const take = Math.min(available, limit - size);
      parts.push(segment.bytes.subarray(segment.offset, segment.offset + take));
      size += take;
      utf8 ||= segment.utf8;
    }
    let chunk = parts.length === 1 && parts[0] ? parts[0] : concat(parts, size);
    const moreFollows = this.bytesAfter(payloadType, size) > 0;
    if (utf8 && moreFollows) {
      const safe = utf8SafeLength(chunk);
      if (safe > 0) chunk = chunk.subarray(0, safe);
    }
    this.consume(chunk.length);
    // No defensive copy: sources hand over fresh buffers and never reuse them, and the channel
    // copies the payload into its frame (or the cipher into its ciphertext) straight away.
    return chunk;
  }

  /** Whether more same-type bytes are queued beyond the first `size` bytes. */
  private bytesAfter(payloadType: number, size: number): number {
    let remaining = size;
    for (let i = this.head; i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (!segment || segment.payloadType !== payloadType) return 0;
      const available = segment.bytes.length - segment.offset;
      if (available > remaining) return available - remaining;
      remaining -= available;
    }
    return 0;
  }

  private consume(count: number): void {
    let left = count;
    this.queuedBytes -= count;
    while (left > 0) {
      const segment = this.segments[this.head];
      if (!segment) break;
      const available = segment.bytes.length - segment.offset;
      if (available > left) {
        segment.offset += left;
        return;
      }
      left -= available;
      this.head++;
    }
    // Skip segments emptied exactly at the boundary.
    while (this.head < this.segments.length) {
      const segment = this.segments[this.head];
      if (!segment || segment.offset < segment.bytes.length || !isByteStream(segment.payloadType))
        break;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.segments.length) {
      this.segments = this.segments.slice(this.head);
      this.head = 0;
    }
  }

  private checkDrained(): void {
    if (!this.congested || !this.accepting) return;
    if (this.queuedBytes > this.highWaterBytes / 2) return;
    this.congested = false;
    this.drainEvent.fire();
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
