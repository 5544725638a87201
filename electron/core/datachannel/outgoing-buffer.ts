// OutgoingBuffer: sequenced frames not yet acknowledged, those on the wire (a bounded window, in the
// order they were last sent) and those queued behind it, with the limits that pause producers
// (datachannel/README.md §4.4, §4.5, §12).

/** Measured on loopback floods: 1024 beat 512 and 128, since timeouts no longer resend a window. */
export const DEFAULT_MAX_IN_FLIGHT = 1024;
/**
 * Outgoing bytes (sent and unacked, plus queued) at which `writable` turns false, so producers stop
 * reading local input until acks arrive. The message window and queue watermark (1024 each, about
 * 2.3 MiB of 1 KiB messages) normally bind first; this bounds larger payloads.
 */
export const DEFAULT_MAX_OUTGOING_BYTES = 4 * 1024 * 1024;

/** Consumed queue slots kept before the queue array is compacted. */
const QUEUE_COMPACTION_THRESHOLD = 1024;

export interface OutgoingEntry {
  readonly seq: number;
  readonly frame: Uint8Array;
  lastSentAt: number;
  /** Position of the last send in the order of all sends (fast retransmit compares these). */
  sendIndex: number;
  /** Sent more than once: its ack is ambiguous, so it gives no RTT sample (Karn's rule). */
  retransmitted: boolean;
}

export interface OutgoingLimits {
  /** Unacked messages allowed on the wire; beyond it messages queue. Default DEFAULT_MAX_IN_FLIGHT. */
  maxInFlight?: number | undefined;
  /** Queued (not yet sent) messages at which there is no more room. Default maxInFlight. */
  queueHighWatermark?: number | undefined;
  /** Unacked plus queued bytes at which there is no more room. Default DEFAULT_MAX_OUTGOING_BYTES. */
  maxBytes?: number | undefined;
}

export class OutgoingBuffer {
  /** Sent and unacked, ordered by lastSentAt (a resend moves the entry to the end). */
  private readonly inFlight = new Map<number, OutgoingEntry>();
  /** Sequenced but not yet sent (window full or detached), in sequence order; sent slots are cleared. */
  private queue: (OutgoingEntry | undefined)[] = [];
  private queueHead = 0;
  private totalBytes = 0;
  private sendCounter = 0;
  private readonly maxInFlight: number;
  private readonly highWatermark: number;
  private readonly maxBytes: number;

  constructor(limits: OutgoingLimits = {}) {
    this.maxInFlight = Math.max(1, Math.floor(limits.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
    this.highWatermark = Math.max(1, Math.floor(limits.queueHighWatermark ?? this.maxInFlight));
    this.maxBytes = Math.max(1, Math.floor(limits.maxBytes ?? DEFAULT_MAX_OUTGOING_BYTES));
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get queuedCount(): number {
    return this.queue.length - this.queueHead;
  }

  /** Bytes of frames sent and unacked or still queued. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Every message has been acknowledged and nothing is queued. */
  get isEmpty(): boolean {
    return this.inFlight.size === 0 && this.queue.length === this.queueHead;
  }

  /** Below the queue watermark and the byte limit: producers may go on. */
  get hasRoom(): boolean {
    return this.queuedCount < this.highWatermark && this.totalBytes < this.maxBytes;
  }

  /** The entry sent longest ago and still unacked. */
  get oldest(): OutgoingEntry | undefined {
    return this.inFlight.values().next().value;
  }

  isInFlight(seq: number): boolean {
    return this.inFlight.has(seq);
  }

  /** Queues a sequenced frame behind the ones already waiting. */
  enqueue(seq: number, frame: Uint8Array): void {
    this.queue.push({ seq, frame, lastSentAt: 0, sendIndex: 0, retransmitted: false });
    this.totalBytes += frame.length;
  }

  /** Moves the next queued entry into flight and returns it, if the window has room for it. */
  admitNext(): OutgoingEntry | undefined {
    if (this.inFlight.size >= this.maxInFlight) return undefined;
    const entry = this.queue[this.queueHead];
    if (!entry) return undefined;
    this.queue[this.queueHead++] = undefined;
    this.compactQueue();
    this.inFlight.set(entry.seq, entry);
    return entry;
  }

  /** Records a send of `entry` now, at the end of the order of all sends. */
  markSent(entry: OutgoingEntry, now: number): void {
    entry.lastSentAt = now;
    entry.sendIndex = this.sendCounter++;
  }

  /** Marks `entry` as sent again: it moves to the end of the send order and no longer gives RTT samples. */
  markResent(entry: OutgoingEntry): void {
    this.inFlight.delete(entry.seq);
    this.inFlight.set(entry.seq, entry);
    entry.retransmitted = true;
  }

  /** Removes the entry an ack names; undefined for an unknown or already acknowledged sequence. */
  acknowledge(seq: number): OutgoingEntry | undefined {
    const entry = this.inFlight.get(seq);
    if (!entry) return undefined;
    this.inFlight.delete(seq);
    this.totalBytes -= entry.frame.length;
    return entry;
  }

  /**
   * The oldest sends, in send order, up to the first that fails `test` and at most `limit` of them.
   * Expiry and fast retransmit both look for such a prefix: whatever was sent later is newer.
   */
  oldestWhile(test: (entry: OutgoingEntry) => boolean, limit = Infinity): OutgoingEntry[] {
    const found: OutgoingEntry[] = [];
    for (const entry of this.inFlight.values()) {
      if (found.length >= limit || !test(entry)) break;
      found.push(entry);
    }
    return found;
  }

  /**
   * Takes every unacked entry out of flight, in sequence order, for a new connection to resend;
   * each goes back with `returnToFlight` as it is resent.
   */
  takeInFlight(): OutgoingEntry[] {
    const unacked = [...this.inFlight.values()].sort((a, b) => a.seq - b.seq);
    this.inFlight.clear();
    return unacked;
  }

  returnToFlight(entry: OutgoingEntry): void {
    this.inFlight.set(entry.seq, entry);
  }

  clear(): void {
    this.inFlight.clear();
    this.queue = [];
    this.queueHead = 0;
    this.totalBytes = 0;
  }

  /** Drops the sent slots once they are most of the array, so a long session does not keep them. */
  private compactQueue(): void {
    if (this.queueHead > QUEUE_COMPACTION_THRESHOLD && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }
}
