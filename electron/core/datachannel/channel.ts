// ReliableChannel: sequencing, acks, out-of-order buffering and retransmission over a (re)attachable Transport.

import type { Clock, TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { encodeAckFrame, parseAckPayload } from './codec/ack';
import { CodecError } from './codec/errors';
import {
  MAX_FRAME_BYTES,
  MIN_FRAME_LENGTH,
  decodeClientMessage,
  encodeClientMessage,
} from './codec/frame';
import { HeaderFlags, MessageType, type ClientMessage } from './codec/types';
import type { Transport } from './transport';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

export type ChannelRole = 'client' | 'agent';
export type DeliveryResult = 'ready' | 'not-ready';

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

/** RTO parameters from datachannel/README.md §4.4 (both client and agent use the same). */
export const RetransmitDefaults = {
  initialRtoMs: 200,
  initialRttMs: 100,
  initialRttVarMs: 0,
  alpha: 1 / 8,
  beta: 1 / 4,
  clockGranularityMs: 10,
  maxRtoMs: 1000,
} as const;

/** Measured on loopback floods: 1024 beat 512 and 128, since timeouts no longer resend a window. */
export const DEFAULT_MAX_IN_FLIGHT = 1024;
const RETRANSMIT_TOLERANCE_MS = 1;
/**
 * Loss recovery beyond the protocol (which only says "resend overdue messages", datachannel/README.md §4.4), modelled on TCP so a
 * slow peer is not buried under retransmissions: an RTO expiry resends at most this many of the
 * oldest overdue messages...
 */
export const MAX_RETRANSMITS_PER_TIMEOUT = 4;
/**
 * ...and doubles the RTO on each consecutive expiry up to this cap (RFC 6298 5.5). The protocol's 1 s
 * cap bounds the measured RTO; backing off above it lets a peer whose real round trip exceeds 1 s
 * (CPU contention, deep queues) catch up instead of being flooded with duplicates.
 */
export const MAX_BACKOFF_RTO_MS = 4000;
/**
 * Fast retransmit: every message is acked individually, so an unacked message is presumed lost
 * once a message sent this many sends after it has been acked (the SACK analogue of 3 dup acks).
 */
export const FAST_RETRANSMIT_THRESHOLD = 3;
export const DEFAULT_MAX_OUT_OF_ORDER = 10_000;
/**
 * Byte limit of the out-of-order buffer (datachannel/README.md §12). 10 000 honest 1 KiB messages
 * need about 11 MiB; 8 MiB holds some 7 000, and a peer that never sends the expected message can
 * make us hold no more. At the limit further messages are dropped unacked, so the agent resends
 * them once the gap is filled.
 */
export const DEFAULT_MAX_OUT_OF_ORDER_BYTES = 8 * 1024 * 1024;
/**
 * Outgoing bytes (sent and unacked, plus queued) at which `writable` turns false, so producers stop
 * reading local input until acks arrive. The message window and queue watermark (1024 each, about
 * 2.3 MiB of 1 KiB messages) normally bind first; this bounds larger payloads.
 */
export const DEFAULT_MAX_OUTGOING_BYTES = 4 * 1024 * 1024;

interface OutgoingEntry {
  seq: number;
  frame: Uint8Array;
  lastSentAt: number;
  /** Position of the last send in the order of all sends (fast retransmit compares these). */
  sendIndex: number;
  /** Sent more than once: its ack is ambiguous, so it gives no RTT sample (Karn's rule). */
  retransmitted: boolean;
}

export class ReliableChannel {
  readonly role: ChannelRole;
  private readonly clock: Clock;
  private readonly newMessageId: () => string;
  private readonly maxInFlight: number;
  private readonly highWatermark: number;
  private readonly maxOutOfOrder: number;
  private readonly maxOutOfOrderBytes: number;
  private readonly maxOutgoingBytes: number;
  private readonly maxFrameBytes: number;
  private readonly onProtocolError: ((reason: string) => void) | undefined;
  private readonly onMessage: (msg: ClientMessage) => DeliveryResult;
  private readonly onControl: ((msg: ClientMessage) => void) | undefined;
  private readonly logger: Logger;
  private readonly verifyDigest: boolean;
  private readonly outgoingType: string;
  private readonly incomingType: string;

  private transport: Transport | undefined;
  private unsubscribe: (() => void)[] = [];
  private disposed = false;

  private nextSendSeq = 0;
  /** Sent and unacked, ordered by lastSentAt (a resend moves the entry to the end). */
  private readonly inFlight = new Map<number, OutgoingEntry>();
  /** Sequenced but not yet sent (window full or detached), in sequence order. */
  private queue: OutgoingEntry[] = [];
  private queueHead = 0;
  private retransmitTimer: TimerHandle | undefined;
  private retransmitDueAt = 0;
  private sendCounter = 0;
  /** Consecutive RTO expiries without a new ack; the effective RTO is rto * 2^backoff. */
  private backoff = 0;
  /** Last new ack or RTO expiry: the retransmission timer restarts from it (RFC 6298 5.3, 5.6). */
  private timerRestartedAt = 0;

  private expectedSeq = 0;
  private readonly outOfOrder = new Map<number, ClientMessage>();
  private outOfOrderBytes = 0;
  private outgoingBytes = 0;
  private deliveryRetryTimer: TimerHandle | undefined;
  private delivering = false;

  private rtt: number = RetransmitDefaults.initialRttMs;
  private rttVar: number = RetransmitDefaults.initialRttVarMs;
  private rto: number = RetransmitDefaults.initialRtoMs;

  private wasWritable = true;
  private readonly writableEvent = this.listenerEmitter('onWritable');
  private readonly drainedEvent = this.listenerEmitter('onDrained');
  private readonly counters = {
    sent: 0,
    retransmitted: 0,
    fastRetransmitted: 0,
    timeouts: 0,
    acked: 0,
    received: 0,
    duplicates: 0,
    outOfOrder: 0,
    invalid: 0,
    outOfOrderDropped: 0,
  };

  constructor(options: ReliableChannelOptions) {
    this.role = options.role;
    this.clock = options.clock;
    this.newMessageId = options.newMessageId;
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
    this.highWatermark = Math.max(1, Math.floor(options.queueHighWatermark ?? this.maxInFlight));
    this.maxOutOfOrder = Math.max(0, Math.floor(options.maxOutOfOrder ?? DEFAULT_MAX_OUT_OF_ORDER));
    this.maxOutOfOrderBytes = Math.max(
      0,
      Math.floor(options.maxOutOfOrderBytes ?? DEFAULT_MAX_OUT_OF_ORDER_BYTES),
    );
    this.maxOutgoingBytes = Math.max(
      1,
      Math.floor(options.maxOutgoingBytes ?? DEFAULT_MAX_OUTGOING_BYTES),
    );
    this.maxFrameBytes = Math.max(MIN_FRAME_LENGTH, options.maxFrameBytes ?? MAX_FRAME_BYTES);
    this.onProtocolError = options.onProtocolError;
    this.onMessage = options.onMessage;
    this.onControl = options.onControl;
    this.logger = options.logger ?? silentLogger;
    this.verifyDigest = options.verifyDigest ?? true;
    this.outgoingType =
      options.role === 'client' ? MessageType.InputStreamData : MessageType.OutputStreamData;
    this.incomingType =
      options.role === 'client' ? MessageType.OutputStreamData : MessageType.InputStreamData;
  }

  get isAttached(): boolean {
    return this.transport !== undefined;
  }

  get stats(): ChannelStats {
    return {
      ...this.counters,
      outOfOrderBytes: this.outOfOrderBytes,
      outgoingBytes: this.outgoingBytes,
      rto: this.effectiveRto(),
      inFlight: this.inFlight.size,
      queued: this.queue.length - this.queueHead,
      nextSendSequence: this.nextSendSeq,
      expectedSequence: this.expectedSeq,
    };
  }

  /**
   * False while the send queue beyond the window is at or above its high watermark, or unacked
   * plus queued bytes are at or above maxOutgoingBytes: producers should stop reading local input
   * until `onWritable` fires. Sends are still accepted (never dropped), so the bound is overshot by
   * at most what a producer writes after seeing false.
   */
  get writable(): boolean {
    return (
      !this.disposed &&
      this.queue.length - this.queueHead < this.highWatermark &&
      this.outgoingBytes < this.maxOutgoingBytes
    );
  }

  /** Called each time `writable` turns from false to true. */
  onWritable(callback: () => void): () => void {
    const subscription = this.writableEvent.event(callback);
    return () => subscription.dispose();
  }

  /** True when every message sent so far has been acknowledged and nothing is queued. */
  get isDrained(): boolean {
    return this.inFlight.size === 0 && this.queue.length === this.queueHead;
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
    this.backoff = 0;
    const unacked = [...this.inFlight.values()].sort((a, b) => a.seq - b.seq);
    this.inFlight.clear();
    for (const entry of unacked) {
      this.inFlight.set(entry.seq, entry);
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
    this.cancelRetransmitTimer();
  }

  /** Sends one sequenced stream message; queued while detached or while the window is full. */
  send(payloadType: number, payload: Uint8Array): void {
    if (this.disposed) {
      this.logger.log('debug', 'send after dispose ignored', { payloadType });
      return;
    }
    const seq = this.nextSendSeq++;
    const frame = encodeClientMessage({
      messageType: this.outgoingType,
      schemaVersion: 1,
      createdDate: this.epochMs(),
      sequenceNumber: seq,
      // The agent marks its first stream message SYN; the client always sends 0 (datachannel/README.md §1.3).
      flags: this.role === 'agent' && seq === 0 ? HeaderFlags.Syn : HeaderFlags.None,
      messageId: this.newMessageId(),
      payloadType,
      payload,
    });
    this.queue.push({ seq, frame, lastSentAt: 0, sendIndex: 0, retransmitted: false });
    this.outgoingBytes += frame.length;
    this.pump();
    this.updateWritable();
  }

  /**
   * Sends a message outside the sequence (e.g. channel_closed, agent_session_state). It is never
   * retransmitted; returns false if there was no open transport to write it to.
   */
  sendUnsequenced(msg: Partial<ClientMessage> & Pick<ClientMessage, 'messageType'>): boolean {
    if (this.disposed || !this.transport) return false;
    const frame = encodeClientMessage({
      schemaVersion: 1,
      createdDate: this.epochMs(),
      sequenceNumber: 0,
      flags: HeaderFlags.AckOrControl,
      messageId: this.newMessageId(),
      payloadType: 0,
      payload: new Uint8Array(0),
      ...msg,
    });
    return this.write(frame);
  }

  /** Stops all timers and forgets the transport; later sends are ignored. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.detach();
    this.deliveryRetryTimer?.cancel();
    this.deliveryRetryTimer = undefined;
    this.inFlight.clear();
    this.queue = [];
    this.queueHead = 0;
    this.outgoingBytes = 0;
    this.outOfOrder.clear();
    this.outOfOrderBytes = 0;
    this.writableEvent.dispose();
    this.drainedEvent.dispose();
  }

  // ---- outgoing ----

  private pump(): void {
    while (
      this.transport &&
      this.inFlight.size < this.maxInFlight &&
      this.queueHead < this.queue.length
    ) {
      const entry = this.queue[this.queueHead];
      this.queue[this.queueHead++] = undefined as unknown as OutgoingEntry;
      if (!entry) break;
      this.inFlight.set(entry.seq, entry);
      this.counters.sent++;
      this.transmit(entry);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.armRetransmitTimer();
  }

  private transmit(entry: OutgoingEntry): void {
    entry.lastSentAt = this.clock.now();
    entry.sendIndex = this.sendCounter++;
    this.write(entry.frame);
  }

  /** Resends identical bytes and moves the entry to the end of the send order. */
  private retransmit(entry: OutgoingEntry): void {
    this.inFlight.delete(entry.seq);
    this.inFlight.set(entry.seq, entry);
    entry.retransmitted = true;
    this.counters.retransmitted++;
    this.transmit(entry);
  }

  /** The RTO with exponential backoff applied; at most MAX_BACKOFF_RTO_MS once backed off. */
  private effectiveRto(): number {
    if (this.backoff === 0) return this.rto;
    return Math.min(MAX_BACKOFF_RTO_MS, Math.max(this.rto, this.rto * 2 ** this.backoff));
  }

  /** When the retransmission timer is due: one RTO after the oldest send or the last restart. */
  private retransmitDue(head: OutgoingEntry): number {
    return Math.max(head.lastSentAt, this.timerRestartedAt) + this.effectiveRto();
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
    if (!this.transport || this.inFlight.size === 0) {
      this.cancelRetransmitTimer();
      return;
    }
    const head = this.inFlight.values().next().value;
    if (!head) return;
    const dueAt = this.retransmitDue(head);
    // A timer due earlier re-checks when it fires, which keeps acks free of timer churn.
    if (this.retransmitTimer && this.retransmitDueAt <= dueAt) return;
    this.cancelRetransmitTimer();
    this.retransmitDueAt = dueAt;
    this.retransmitTimer = this.clock.setTimeout(
      () => {
        this.retransmitTimer = undefined;
        this.retransmitOverdue();
      },
      // Whole milliseconds, at least 1: real timers fire in whole ms and a 0 ms re-arm could spin.
      Math.max(1, Math.ceil(dueAt - this.clock.now())),
    );
  }

  private cancelRetransmitTimer(): void {
    this.retransmitTimer?.cancel();
    this.retransmitTimer = undefined;
  }

  /**
   * RTO expiry: no new ack for a whole RTO. Resends the oldest overdue messages (at most
   * MAX_RETRANSMITS_PER_TIMEOUT, each at most once per RTO) and backs the RTO off, like TCP.
   * The rest stay put: resending a whole window to a peer that is merely slow only adds load.
   */
  private retransmitOverdue(): void {
    const transport = this.transport;
    if (!transport) return;
    const head = this.inFlight.values().next().value;
    if (!head) return;
    const now = this.clock.now();
    // The tolerance absorbs fractional RTOs and timers firing a bit early.
    if (this.retransmitDue(head) > now + RETRANSMIT_TOLERANCE_MS) {
      this.armRetransmitTimer();
      return;
    }
    this.counters.timeouts++;
    const rto = this.effectiveRto();
    const overdue: OutgoingEntry[] = [];
    for (const entry of this.inFlight.values()) {
      // Ordered by lastSentAt, so the overdue ones are a prefix.
      if (overdue.length >= MAX_RETRANSMITS_PER_TIMEOUT) break;
      if (entry.lastSentAt + rto > now + RETRANSMIT_TOLERANCE_MS) break;
      overdue.push(entry);
    }
    for (const entry of overdue) {
      if (this.transport !== transport) return;
      if (this.inFlight.has(entry.seq)) this.retransmit(entry);
    }
    if (this.effectiveRto() < MAX_BACKOFF_RTO_MS) this.backoff++;
    this.timerRestartedAt = now;
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
    const holes: OutgoingEntry[] = [];
    for (const entry of this.inFlight.values()) {
      if (entry.sendIndex + FAST_RETRANSMIT_THRESHOLD > acked.sendIndex) break;
      holes.push(entry);
    }
    for (const entry of holes) {
      if (this.transport !== transport) return;
      this.counters.fastRetransmitted++;
      this.retransmit(entry);
    }
  }

  private handleAck(seq: number): void {
    const entry = this.inFlight.get(seq);
    if (!entry) return; // unknown or already acked: duplicate acks are normal
    const now = this.clock.now();
    this.inFlight.delete(seq);
    this.outgoingBytes -= entry.frame.length;
    this.counters.acked++;
    this.backoff = 0;
    this.timerRestartedAt = now;
    if (!entry.retransmitted) {
      this.updateRto(now - entry.lastSentAt);
      // Only an unambiguous ack is evidence: the ack of a resent message may answer its first
      // copy, and everything sent between the copies would wrongly look lost.
      this.fastRetransmit(entry);
    }
    this.pump();
    this.updateWritable();
    if (this.isDrained) this.drainedEvent.fire();
  }

  /**
   * Jacobson/Karels as in datachannel/README.md §4.4, sampled from the send time. Unlike the Go code,
   * retransmitted messages are not sampled (Karn): their ack may answer an earlier copy.
   */
  private updateRto(sampleMs: number): void {
    const { alpha, beta, clockGranularityMs, maxRtoMs } = RetransmitDefaults;
    const r = Math.max(0, sampleMs);
    this.rttVar = (1 - beta) * this.rttVar + beta * Math.abs(this.rtt - r);
    this.rtt = (1 - alpha) * this.rtt + alpha * r;
    this.rto = Math.min(maxRtoMs, this.rtt + Math.max(clockGranularityMs, 4 * this.rttVar));
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
    const seq = msg.sequenceNumber;
    if (seq < 0) {
      this.counters.invalid++;
      this.logger.log('warn', 'dropping a stream message with a negative sequence number');
      return;
    }
    if (seq < this.expectedSeq) {
      // Already consumed: our ack was lost, so ack again or the peer resends it for ever (datachannel/README.md §4.7).
      this.counters.duplicates++;
      this.sendAck(msg);
      return;
    }
    if (seq > this.expectedSeq) {
      if (this.outOfOrder.has(seq)) {
        // Already held (its ack was lost): ack again, keep the copy we have.
        this.counters.outOfOrder++;
        this.sendAck(msg);
        return;
      }
      const cost = bufferedCost(msg);
      if (
        this.outOfOrder.size >= this.maxOutOfOrder ||
        this.outOfOrderBytes + cost > this.maxOutOfOrderBytes
      ) {
        // No ack: the peer resends it, and by then the gap may be filled (datachannel/README.md §4.3).
        this.counters.outOfOrderDropped++;
        this.logger.log('debug', 'out-of-order buffer full; dropping without ack', { seq });
        return;
      }
      this.counters.outOfOrder++;
      // A private copy: the payload may be a view into a larger socket buffer we must not pin.
      this.outOfOrder.set(seq, { ...msg, payload: msg.payload.slice() });
      this.outOfOrderBytes += cost;
      this.sendAck(msg);
      return;
    }
    // A retransmission of a buffered message that is now expected: the fresh copy wins.
    this.forgetOutOfOrder(seq);
    if (this.deliver(msg) === 'not-ready') return; // no ack: the peer retransmits
    this.sendAck(msg);
    this.drainOutOfOrder();
  }

  /** Delivers one in-order message and, when consumed, advances the expected sequence. */
  private deliver(msg: ClientMessage): DeliveryResult {
    let result: DeliveryResult;
    this.delivering = true;
    try {
      result = this.onMessage(msg);
    } catch (error) {
      // Treat a throwing handler as having consumed the message; retrying would stall the stream.
      this.logger.log('error', 'onMessage handler threw; message consumed', {
        seq: msg.sequenceNumber,
        error: toErrorMessage(error),
      });
      result = 'ready';
    } finally {
      this.delivering = false;
    }
    if (result === 'ready' && !this.disposed) {
      // Advance regardless of whether the ack write succeeds (datachannel/README.md §4.7): a retransmission is a duplicate.
      this.expectedSeq = msg.sequenceNumber + 1;
      this.counters.received++;
    }
    return result;
  }

  /** Delivers buffered messages that are now in order. They were acked when buffered. */
  private drainOutOfOrder(): void {
    if (this.delivering) return;
    this.deliveryRetryTimer?.cancel();
    this.deliveryRetryTimer = undefined;
    for (;;) {
      if (this.disposed) return;
      const next = this.outOfOrder.get(this.expectedSeq);
      if (!next) return;
      if (this.deliver(next) === 'not-ready') {
        // Already acked, so the peer will not resend it: retry delivery ourselves.
        this.deliveryRetryTimer = this.clock.setTimeout(() => {
          this.deliveryRetryTimer = undefined;
          this.drainOutOfOrder();
        }, this.rto);
        return;
      }
      this.forgetOutOfOrder(next.sequenceNumber);
    }
  }

  private forgetOutOfOrder(seq: number): void {
    const held = this.outOfOrder.get(seq);
    if (!held) return;
    this.outOfOrder.delete(seq);
    this.outOfOrderBytes -= bufferedCost(held);
  }

  private sendAck(msg: ClientMessage): void {
    if (!this.transport || this.disposed) return;
    let frame: Uint8Array;
    try {
      frame = encodeAckFrame(msg, { messageId: this.newMessageId(), createdDate: this.epochMs() });
    } catch (error) {
      // Only a broken newMessageId can get here; never let it escape into the socket handler.
      this.logger.log('error', 'could not encode an acknowledge', {
        error: toErrorMessage(error),
      });
      return;
    }
    this.write(frame);
  }

  /** CreatedDate is whole epoch milliseconds on the wire; a clock may report fractions. */
  private epochMs(): number {
    return Math.floor(this.clock.now());
  }
}

/** What one buffered message costs against the out-of-order byte limit. */
function bufferedCost(msg: ClientMessage): number {
  return MIN_FRAME_LENGTH + msg.payload.length;
}
