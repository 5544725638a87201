// ReliableChannel: sequencing, acks, out-of-order buffering and retransmission over a (re)attachable Transport.
// It coordinates the pieces: OutboundFrames builds frames, an OutgoingBuffer holds the window and
// queue, an RtoEstimator with its RetransmitTimer paces resends, an InboundSequencer delivers in order.

import type { Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { parseAckPayload } from './codec/ack';
import { CodecError } from './codec/errors';
import { MAX_FRAME_BYTES, MIN_FRAME_LENGTH, decodeClientMessage } from './codec/frame';
import { MessageType, type ClientMessage } from './codec/types';
import { InboundSequencer, type DeliveryResult } from './inbound-sequencer';
import { OutboundFrames, type ChannelRole } from './outbound-frames';
import { OutgoingBuffer, type OutgoingEntry } from './outgoing-buffer';
import { RetransmitTimer } from './retransmit-timer';
import { RtoEstimator } from './rto-estimator';
import type { Transport } from './transport';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

export type { ChannelRole } from './outbound-frames';
export type { DeliveryResult } from './inbound-sequencer';

export interface ReliableChannelOptions {
  /** client sends input_stream_data and acks output_stream_data; agent the reverse. */
  role: ChannelRole;
  clock: Clock;
  newMessageId: () => string;
  /** Unacked messages allowed on the wire; beyond it messages queue (never dropped). Default 1024. */
  maxInFlight?: number;
  /** Queued (not yet sent) messages at which `writable` turns false. Default maxInFlight. */
  queueHighWatermark?: number;
  /** Out-of-order messages held for later delivery; beyond it they are dropped unacked. Default 10000. */
  maxOutOfOrder?: number;
  /** Bytes the out-of-order buffer may hold; beyond it messages are dropped unacked. */
  maxOutOfOrderBytes?: number;
  /** Unacked plus queued outgoing bytes at which `writable` turns false. */
  maxOutgoingBytes?: number;
  /** Inbound frames above this size end the session (see onProtocolError). */
  maxFrameBytes?: number;
  /**
   * The peer broke a limit no honest peer reaches (a frame above maxFrameBytes): the frame is
   * dropped and the owner should end the session.
   */
  onProtocolError?: (reason: string) => void;
  /** In-order stream data. 'not-ready' => not acked and not consumed; the peer retransmits it. */
  onMessage: (msg: ClientMessage) => DeliveryResult;
  /** channel_closed, start/pause_publication, agent_session_state and unknown types. */
  onControl?: (msg: ClientMessage) => void;
  logger?: Logger;
  /** Check payload digests of inbound frames (default true; the real agent does not). */
  verifyDigest?: boolean;
}

export interface ChannelStats {
  /** Distinct stream messages written at least once. */
  sent: number;
  retransmitted: number;
  /** Retransmissions triggered by acks of later messages (included in `retransmitted`). */
  fastRetransmitted: number;
  /** Retransmission timer expiries (each resends at most MAX_RETRANSMITS_PER_TIMEOUT). */
  timeouts: number;
  /** Acks received that matched an unacked message. */
  acked: number;
  /** Stream messages delivered to onMessage and consumed. */
  received: number;
  /** Stream messages below the expected sequence (re-acked). */
  duplicates: number;
  /** Stream messages above the expected sequence that were buffered. */
  outOfOrder: number;
  /** Frames dropped because they failed to decode or validate. */
  invalid: number;
  /** Out-of-order messages dropped unacked because the buffer was at its count or byte limit. */
  outOfOrderDropped: number;
  /** Bytes held in the out-of-order buffer now (payloads plus a header's worth each). */
  outOfOrderBytes: number;
  /** Bytes of outgoing frames sent and unacked or still queued. */
  outgoingBytes: number;
  /** Current retransmission timeout in ms. */
  rto: number;
  inFlight: number;
  queued: number;
  nextSendSequence: number;
  expectedSequence: number;
}

/**
 * Loss recovery beyond the protocol (which only says "resend overdue messages", datachannel/README.md §4.4), modelled on TCP so a
 * slow peer is not buried under retransmissions: an RTO expiry resends at most this many of the
 * oldest overdue messages, and backs the RTO off (RtoEstimator, up to MAX_BACKOFF_RTO_MS).
 */
export const MAX_RETRANSMITS_PER_TIMEOUT = 4;
/**
 * Fast retransmit: every message is acked individually, so an unacked message is presumed lost
 * once a message sent this many sends after it has been acked (the SACK analogue of 3 dup acks).
 */
export const FAST_RETRANSMIT_THRESHOLD = 3;

export class ReliableChannel {
  readonly role: ChannelRole;
  private readonly clock: Clock;
  private readonly frames: OutboundFrames;
  private readonly maxFrameBytes: number;
  private readonly onProtocolError: ((reason: string) => void) | undefined;
  private readonly onControl: ((msg: ClientMessage) => void) | undefined;
  private readonly logger: Logger;
  private readonly verifyDigest: boolean;
  private readonly incomingType: string;

  private transport: Transport | undefined;
  private unsubscribe: (() => void)[] = [];
  private disposed = false;

  private nextSendSeq = 0;
  private readonly outgoing: OutgoingBuffer;
  private readonly rto = new RtoEstimator();
  private readonly retransmitTimer: RetransmitTimer;

  private readonly inbound: InboundSequencer;

  private wasWritable = true;
  private readonly writableEvent = this.listenerEmitter('onWritable');
  private readonly drainedEvent = this.listenerEmitter('onDrained');
  private readonly counters = {
    sent: 0,
    retransmitted: 0,
    fastRetransmitted: 0,
    timeouts: 0,
    acked: 0,
    invalid: 0,
  };

  constructor(options: ReliableChannelOptions) {
    this.role = options.role;
    this.clock = options.clock;
    this.frames = new OutboundFrames(options.role, options.clock, options.newMessageId);
    this.retransmitTimer = new RetransmitTimer(this.clock, this.rto, () =>
      this.retransmitOverdue(),
    );
    this.outgoing = new OutgoingBuffer({
      maxInFlight: options.maxInFlight,
      queueHighWatermark: options.queueHighWatermark,
      maxBytes: options.maxOutgoingBytes,
    });
    this.maxFrameBytes = Math.max(MIN_FRAME_LENGTH, options.maxFrameBytes ?? MAX_FRAME_BYTES);
    this.onProtocolError = options.onProtocolError;
    this.onControl = options.onControl;
    this.logger = options.logger ?? silentLogger;
    this.inbound = new InboundSequencer({
      clock: options.clock,
      logger: this.logger,
      limits: { maxMessages: options.maxOutOfOrder, maxBytes: options.maxOutOfOrderBytes },
      deliver: options.onMessage,
      ack: (msg) => this.sendAck(msg),
      // A held message the consumer refused is retried after one RTO estimate.
      retryDelayMs: () => this.rto.estimateMs,
    });
    this.verifyDigest = options.verifyDigest ?? true;
    this.incomingType =
      options.role === 'client' ? MessageType.OutputStreamData : MessageType.InputStreamData;
  }

  get isAttached(): boolean {
    return this.transport !== undefined;
  }

  get stats(): ChannelStats {
    return {
      ...this.counters,
      ...this.inbound.counts,
      outOfOrderBytes: this.inbound.heldBytes,
      outgoingBytes: this.outgoing.bytes,
      rto: this.rto.timeoutMs,
      inFlight: this.outgoing.inFlightCount,
      queued: this.outgoing.queuedCount,
      nextSendSequence: this.nextSendSeq,
      expectedSequence: this.inbound.expectedSequence,
    };
  }

  /**
   * False while the send queue beyond the window is at or above its high watermark, or unacked
   * plus queued bytes are at or above maxOutgoingBytes: producers should stop reading local input
   * until `onWritable` fires. Sends are still accepted (never dropped), so the bound is overshot by
   * at most what a producer writes after seeing false.
   */
  get writable(): boolean {
    return !this.disposed && this.outgoing.hasRoom;
  }

  /** Called each time `writable` turns from false to true. */
  onWritable(callback: () => void): () => void {
    const subscription = this.writableEvent.event(callback);
    return () => subscription.dispose();
  }

  /** True when every message sent so far has been acknowledged and nothing is queued. */
  get isDrained(): boolean {
    return this.outgoing.isEmpty;
  }

  /** Called each time the last outstanding message is acknowledged (see isDrained). */
  onDrained(callback: () => void): () => void {
    const subscription = this.drainedEvent.event(callback);
    return () => subscription.dispose();
  }

  /**
   * Starts using `transport` (first connect or after a reconnect). All sequence state is kept:
   * every unacked message is resent in order, then queued messages flow within the window.
   */
  attach(transport: Transport): void {
    if (this.disposed) return;
    if (this.transport) this.detach();
    this.transport = transport;
    this.unsubscribe = [
      transport.onBinary((frame) => this.handleFrame(frame)),
      transport.onText(() => this.logger.log('debug', 'ignoring a text frame on the data channel')),
      transport.onClose(() => {
        if (this.transport === transport) this.detach();
      }),
    ];
    if (!transport.isOpen) {
      this.detach();
      return;
    }
    // A new connection starts a fresh timeout history; what was in flight is presumed lost.
    this.rto.resetBackoff();
    for (const entry of this.outgoing.takeInFlight()) {
      this.outgoing.returnToFlight(entry);
      if (this.transport !== transport) return;
      this.retransmit(entry);
    }
    this.pump();
  }

  /** Stops using the current transport (socket lost). Nothing is discarded; sends queue. */
  detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.transport = undefined;
    this.retransmitTimer.cancel();
  }

  /** Sends one sequenced stream message; queued while detached or while the window is full. */
  send(payloadType: number, payload: Uint8Array): void {
    if (this.disposed) {
      this.logger.log('debug', 'send after dispose ignored', { payloadType });
      return;
    }
    const seq = this.nextSendSeq++;
    const frame = this.frames.stream(seq, payloadType, payload);
    this.outgoing.enqueue(seq, frame);
    this.pump();
    this.updateWritable();
  }

  /**
   * Sends a message outside the sequence (e.g. channel_closed, agent_session_state). It is never
   * retransmitted; returns false if there was no open transport to write it to.
   */
  sendUnsequenced(msg: Partial<ClientMessage> & Pick<ClientMessage, 'messageType'>): boolean {
    if (this.disposed || !this.transport) return false;
    const frame = this.frames.control(msg);
    return this.write(frame);
  }

  /** Stops all timers and forgets the transport; later sends are ignored. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.detach();
    this.inbound.stop();
    this.outgoing.clear();
    this.writableEvent.dispose();
    this.drainedEvent.dispose();
  }

  // ---- outgoing ----

  /** Sends queued messages while the window has room, then (re)arms the retransmission timer. */
  private pump(): void {
    while (this.transport) {
      const entry = this.outgoing.admitNext();
      if (!entry) break;
      this.counters.sent++;
      this.transmit(entry);
    }
    this.armRetransmitTimer();
  }

  private transmit(entry: OutgoingEntry): void {
    this.outgoing.markSent(entry, this.clock.now());
    this.write(entry.frame);
  }

  /** Resends identical bytes and moves the entry to the end of the send order. */
  private retransmit(entry: OutgoingEntry): void {
    this.outgoing.markResent(entry);
    this.counters.retransmitted++;
    this.transmit(entry);
  }

  private write(frame: Uint8Array): boolean {
    const transport = this.transport;
    if (!transport) return false;
    try {
      transport.sendBinary(frame);
      return true;
    } catch (error) {
      // The socket died under us; unacked data stays buffered for the next attach.
      this.logger.log('debug', 'data channel write failed', {
        error: toErrorMessage(error),
      });
      return false;
    }
  }

  private armRetransmitTimer(): void {
    const oldest = this.outgoing.oldest;
    if (this.transport && oldest) this.retransmitTimer.arm(oldest);
    else this.retransmitTimer.cancel();
  }

  /**
   * RTO expiry: no new ack for a whole RTO. Resends the oldest overdue messages (at most
   * MAX_RETRANSMITS_PER_TIMEOUT, each at most once per RTO) and backs the RTO off, like TCP.
   * The rest stay put: resending a whole window to a peer that is merely slow only adds load.
   */
  private retransmitOverdue(): void {
    const transport = this.transport;
    if (!transport) return;
    const head = this.outgoing.oldest;
    if (!head) return;
    const now = this.clock.now();
    if (!this.retransmitTimer.isDue(head, now)) {
      this.armRetransmitTimer();
      return;
    }
    this.counters.timeouts++;
    const rto = this.rto.timeoutMs;
    // Ordered by lastSentAt, so the overdue ones are a prefix.
    const overdue = this.outgoing.oldestWhile(
      (entry) => RetransmitTimer.isOverdue(entry, rto, now),
      MAX_RETRANSMITS_PER_TIMEOUT,
    );
    for (const entry of overdue) {
      if (this.transport !== transport) return;
      if (this.outgoing.isInFlight(entry.seq)) this.retransmit(entry);
    }
    this.rto.backOff();
    this.retransmitTimer.restart(now);
    this.armRetransmitTimer();
  }

  /**
   * Fast retransmit: resends messages that were sent FAST_RETRANSMIT_THRESHOLD or more sends
   * before `acked` and are still unacked (lost, or refused as not ready). A resend moves the entry
   * to the end, so it needs fresh evidence before it can be resent this way again.
   */
  private fastRetransmit(acked: OutgoingEntry): void {
    const transport = this.transport;
    if (!transport) return;
    const holes = this.outgoing.oldestWhile(
      (entry) => entry.sendIndex + FAST_RETRANSMIT_THRESHOLD <= acked.sendIndex,
    );
    for (const entry of holes) {
      if (this.transport !== transport) return;
      this.counters.fastRetransmitted++;
      this.retransmit(entry);
    }
  }

  private handleAck(seq: number): void {
    const entry = this.outgoing.acknowledge(seq);
    if (!entry) return; // unknown or already acked: duplicate acks are normal
    const now = this.clock.now();
    this.counters.acked++;
    this.rto.resetBackoff();
    this.retransmitTimer.restart(now);
    if (!entry.retransmitted) {
      this.rto.sample(now - entry.lastSentAt);
      // Only an unambiguous ack is evidence: the ack of a resent message may answer its first
      // copy, and everything sent between the copies would wrongly look lost.
      this.fastRetransmit(entry);
    }
    this.pump();
    this.updateWritable();
    if (this.isDrained) this.drainedEvent.fire();
  }

  private updateWritable(): void {
    const writable = this.writable;
    if (writable && !this.wasWritable) {
      this.wasWritable = true;
      this.writableEvent.fire();
    } else if (!writable) {
      this.wasWritable = false;
    }
  }

  /** Listeners are isolated: one that throws is logged and the channel carries on. */
  private listenerEmitter(what: string): Emitter<void> {
    return new Emitter<void>({
      onListenerError: (error) => {
        this.logger.log('error', `${what} listener threw`, { error: toErrorMessage(error) });
      },
    });
  }

  // ---- incoming ----

  private handleFrame(frame: Uint8Array): void {
    if (this.disposed) return;
    if (frame.length > this.maxFrameBytes) {
      this.counters.invalid++;
      this.logger.log('warn', 'peer sent a frame above the limit; protocol error', {
        bytes: frame.length,
        limit: this.maxFrameBytes,
      });
      this.onProtocolError?.(
        `the peer sent a ${frame.length}-byte frame; the limit is ${this.maxFrameBytes} bytes`,
      );
      return;
    }
    let msg: ClientMessage;
    try {
      msg = decodeClientMessage(frame, {
        verifyDigest: this.verifyDigest,
        maxFrameBytes: this.maxFrameBytes,
      });
    } catch (error) {
      this.counters.invalid++;
      this.logger.log('warn', 'dropping an invalid data-channel frame', {
        code: error instanceof CodecError ? error.code : 'unknown',
        bytes: frame.length,
      });
      return;
    }
    if (msg.messageType === MessageType.Acknowledge) {
      try {
        this.handleAck(parseAckPayload(msg.payload).acknowledgedMessageSequenceNumber);
      } catch (error) {
        this.counters.invalid++;
        this.logger.log('warn', 'dropping an invalid acknowledge', {
          code: error instanceof CodecError ? error.code : 'unknown',
        });
      }
      return;
    }
    if (msg.messageType === this.incomingType) {
      this.handleStream(msg);
      return;
    }
    if (!this.onControl) {
      this.logger.log('debug', 'ignoring a control message', { messageType: msg.messageType });
      return;
    }
    try {
      this.onControl(msg);
    } catch (error) {
      this.logger.log('error', 'onControl handler threw', {
        messageType: msg.messageType,
        error: toErrorMessage(error),
      });
    }
  }

  private handleStream(msg: ClientMessage): void {
    if (msg.sequenceNumber < 0) {
      this.counters.invalid++;
      this.logger.log('warn', 'dropping a stream message with a negative sequence number');
      return;
    }
    this.inbound.receive(msg);
  }

  private sendAck(msg: ClientMessage): void {
    if (!this.transport || this.disposed) return;
    let frame: Uint8Array;
    try {
      frame = this.frames.ack(msg);
    } catch (error) {
      // Only a broken newMessageId can get here; never let it escape into the socket handler.
      this.logger.log('error', 'could not encode an acknowledge', {
        error: toErrorMessage(error),
      });
      return;
    }
    this.write(frame);
  }
}
