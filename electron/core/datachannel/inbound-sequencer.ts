// InboundSequencer: hands the peer's stream messages to their consumer in sequence order, each
// once, and says which to acknowledge (datachannel/README.md §4.3, §4.7). Messages ahead of the
// expected one wait in an OutOfOrderBuffer.

import type { Clock, TimerHandle } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { ClientMessage } from './codec/types';
import { OutOfOrderBuffer, type OutOfOrderLimits } from './out-of-order-buffer';

export type DeliveryResult = 'ready' | 'not-ready';

export interface InboundSequencerOptions {
  clock: Clock;
  logger: Logger;
  limits?: OutOfOrderLimits;
  /** In-order stream data. 'not-ready' => not acked and not consumed; the peer retransmits it. */
  deliver: (msg: ClientMessage) => DeliveryResult;
  /** Acknowledges one message to the peer. */
  ack: (msg: ClientMessage) => void;
  /** How long to wait before offering a held message the consumer refused once more. */
  retryDelayMs: () => number;
}

export interface InboundCounts {
  /** Stream messages delivered and consumed. */
  received: number;
  /** Stream messages below the expected sequence (re-acked). */
  duplicates: number;
  /** Stream messages above the expected sequence that were buffered (or were held already). */
  outOfOrder: number;
  /** Out-of-order messages dropped unacked because the buffer was at its count or byte limit. */
  outOfOrderDropped: number;
}

export class InboundSequencer {
  private expected = 0;
  private readonly held: OutOfOrderBuffer;
  private retryTimer: TimerHandle | undefined;
  private delivering = false;
  private stopped = false;
  private readonly counters: InboundCounts = {
    received: 0,
    duplicates: 0,
    outOfOrder: 0,
    outOfOrderDropped: 0,
  };

  constructor(private readonly options: InboundSequencerOptions) {
    this.held = new OutOfOrderBuffer(options.limits);
  }

  /** The sequence number the consumer gets next. */
  get expectedSequence(): number {
    return this.expected;
  }

  /** Bytes held for later delivery. */
  get heldBytes(): number {
    return this.held.bytes;
  }

  get counts(): InboundCounts {
    return { ...this.counters };
  }

  /** Takes one stream message with a sequence number of 0 or more. */
  receive(msg: ClientMessage): void {
    const seq = msg.sequenceNumber;
    if (seq < this.expected) {
      // Already consumed: our ack was lost, so ack again or the peer resends it for ever (datachannel/README.md §4.7).
      this.counters.duplicates++;
      this.options.ack(msg);
      return;
    }
    if (seq > this.expected) {
      this.holdForLater(msg);
      return;
    }
    // A retransmission of a buffered message that is now expected: the fresh copy wins.
    this.held.forget(seq);
    if (this.deliver(msg) === 'not-ready') return; // no ack: the peer retransmits
    this.options.ack(msg);
    this.deliverHeld();
  }

  /** Drops everything held and cancels any retry; a delivery under way no longer advances. */
  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.held.clear();
  }

  private holdForLater(msg: ClientMessage): void {
    if (this.held.has(msg.sequenceNumber)) {
      // Already held (its ack was lost): ack again, keep the copy we have.
      this.counters.outOfOrder++;
      this.options.ack(msg);
      return;
    }
    if (!this.held.hold(msg)) {
      // No ack: the peer resends it, and by then the gap may be filled (datachannel/README.md §4.3).
      this.counters.outOfOrderDropped++;
      this.options.logger.log('debug', 'out-of-order buffer full; dropping without ack', {
        seq: msg.sequenceNumber,
      });
      return;
    }
    this.counters.outOfOrder++;
    this.options.ack(msg);
  }

  /** Delivers one in-order message and, when consumed, advances the expected sequence. */
  private deliver(msg: ClientMessage): DeliveryResult {
    let result: DeliveryResult;
    this.delivering = true;
    try {
      result = this.options.deliver(msg);
    } catch (error) {
      // Treat a throwing handler as having consumed the message; retrying would stall the stream.
      this.options.logger.log('error', 'onMessage handler threw; message consumed', {
        seq: msg.sequenceNumber,
        error: toErrorMessage(error),
      });
      result = 'ready';
    } finally {
      this.delivering = false;
    }
    if (result === 'ready' && !this.stopped) {
      // Advance regardless of whether the ack write succeeds (datachannel/README.md §4.7): a retransmission is a duplicate.
      this.expected = msg.sequenceNumber + 1;
      this.counters.received++;
    }
    return result;
  }

  /** Delivers held messages that are now in order. They were acked when held. */
  private deliverHeld(): void {
    if (this.delivering) return;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    for (;;) {
      if (this.stopped) return;
      const next = this.held.get(this.expected);
      if (!next) return;
      if (this.deliver(next) === 'not-ready') {
        // Already acked, so the peer will not resend it: retry delivery ourselves.
        this.retryTimer = this.options.clock.setTimeout(() => {
          this.retryTimer = undefined;
          this.deliverHeld();
        }, this.options.retryDelayMs());
        return;
      }
      this.held.forget(next.sequenceNumber);
    }
  }
}
