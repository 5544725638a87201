// OutOfOrderBuffer: stream messages that arrived ahead of the expected sequence number, held until
// the gap is filled (datachannel/README.md §4.3), bounded in count and bytes (§12).

import { MIN_FRAME_LENGTH } from './codec/frame';
import type { ClientMessage } from './codec/types';

export const DEFAULT_MAX_OUT_OF_ORDER = 10_000;
/**
 * Byte limit of the out-of-order buffer (datachannel/README.md §12). 10 000 honest 1 KiB messages
 * need about 11 MiB; 8 MiB holds some 7 000, and a peer that never sends the expected message can
 * make us hold no more. At the limit further messages are dropped unacked, so the agent resends
 * them once the gap is filled.
 */
export const DEFAULT_MAX_OUT_OF_ORDER_BYTES = 8 * 1024 * 1024;

export interface OutOfOrderLimits {
  /** Messages held at most (default DEFAULT_MAX_OUT_OF_ORDER). */
  maxMessages?: number | undefined;
  /** Bytes held at most, a header's worth counted per message (default DEFAULT_MAX_OUT_OF_ORDER_BYTES). */
  maxBytes?: number | undefined;
}

export class OutOfOrderBuffer {
  private readonly held = new Map<number, ClientMessage>();
  private heldBytes = 0;
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  constructor(limits: OutOfOrderLimits = {}) {
    this.maxMessages = Math.max(0, Math.floor(limits.maxMessages ?? DEFAULT_MAX_OUT_OF_ORDER));
    this.maxBytes = Math.max(0, Math.floor(limits.maxBytes ?? DEFAULT_MAX_OUT_OF_ORDER_BYTES));
  }

  /** Bytes held now (payloads plus a header's worth each). */
  get bytes(): number {
    return this.heldBytes;
  }

  get size(): number {
    return this.held.size;
  }

  has(sequence: number): boolean {
    return this.held.has(sequence);
  }

  get(sequence: number): ClientMessage | undefined {
    return this.held.get(sequence);
  }

  /**
   * Keeps a copy of `msg` until its turn comes; false (and nothing kept) when that would exceed
   * the count or byte limit. The copy matters: the payload may be a view into a larger socket
   * buffer that must not stay pinned.
   */
  hold(msg: ClientMessage): boolean {
    const cost = bufferedCost(msg);
    if (this.held.size >= this.maxMessages || this.heldBytes + cost > this.maxBytes) return false;
    this.held.set(msg.sequenceNumber, { ...msg, payload: msg.payload.slice() });
    this.heldBytes += cost;
    return true;
  }

  /** Drops the message held for `sequence`, if any (delivered, or superseded by a fresh copy). */
  forget(sequence: number): void {
    const held = this.held.get(sequence);
    if (!held) return;
    this.held.delete(sequence);
    this.heldBytes -= bufferedCost(held);
  }

  clear(): void {
    this.held.clear();
    this.heldBytes = 0;
  }
}

/** What one buffered message costs against the byte limit. */
function bufferedCost(msg: ClientMessage): number {
  return MIN_FRAME_LENGTH + msg.payload.length;
}
