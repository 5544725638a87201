// The agent's reliable layer (ssm-protocol.md 4.1-4.6), written from the agent's description: no window, a 100 000-message
// outgoing buffer, head-of-line resend on a 100 ms tick, re-acked duplicates, pause/start_publication.

import type { Clock, TimerHandle } from '../../core/base/clock';
import { silentLogger, type Logger } from '../../core/base/logger';
import { encodeAckFrame, parseAckPayload } from '../../core/datachannel/codec/ack';
import { decodeClientMessage, encodeClientMessage } from '../../core/datachannel/codec/frame';
import { HeaderFlags, MessageType, type ClientMessage } from '../../core/datachannel/codec/types';
import type { AgentSocket } from './agent-socket';
import { toErrorMessage } from '../../core/base/errors';

/** A:cfg values (4.4). */
export const AgentChannelDefaults = {
  outgoingCapacity: 100_000,
  incomingCapacity: 100_000,
  resendTickMs: 100,
  initialRtoMs: 200,
  initialRttMs: 100,
  initialRttVarMs: 0,
  rttGain: 1 / 8,
  rttVarGain: 1 / 4,
  clockGranularityMs: 10,
  maxRtoMs: 1000,
} as const;

/** 'not-ready' is the agent's ErrHandlerNotReady: the message is neither acked nor consumed. */
export type AgentDelivery = 'ready' | 'not-ready';

export interface AgentChannelOptions {
  clock: Clock;
  newMessageId: () => string;
  /** In-sequence input_stream_data, once each. */
  onMessage: (msg: ClientMessage) => AgentDelivery;
  /** channel_closed and other non-stream messages; publication control is handled here first. */
  onControl?: (msg: ClientMessage) => void;
  /** The Pause flag changed (pause_publication, start_publication, or inbound data clearing it). */
  onPausedChange?: (paused: boolean) => void;
  logger?: Logger;
  /** Unacked messages kept for resending (A:cfg 100 000); a message beyond it is sent once only. */
  outgoingCapacity?: number;
  /** Out-of-order input kept for later (A:cfg 100 000); beyond it input is dropped unacked. */
  incomingCapacity?: number;
  /**
   * On attach, send every buffered message at once instead of letting them drain one per tick
   * through the head-of-line resend (which is what the real agent does, 4.6). Default false.
   */
  resendAllOnAttach?: boolean;
}

export interface AgentChannelStats {
  /** Stream messages sequenced (the next sequence number). */
  sequenced: number;
  /** Frames written for the first time. */
  sent: number;
  resent: number;
  /** Messages sent once and never buffered because the outgoing buffer was full. */
  unbuffered: number;
  acked: number;
  /** In-sequence input consumed. */
  received: number;
  /** Input below the expected sequence (re-acked, not processed). */
  duplicates: number;
  /** Input above the expected sequence that was buffered and acked. */
  outOfOrder: number;
  /** Frames that failed to decode. */
  invalid: number;
  rtoMs: number;
  /** Messages waiting for an ack. */
  unacked: number;
  expectedSequence: number;
}

interface Unacked {
  frame: Uint8Array;
  lastSentAt: number;
}

/**
 * One session's agent-side data channel. It outlives client sockets: sequence numbers, unacked
 * output and the RTO estimate carry over a ResumeSession (7.3).
 */
export class AgentChannel {
  private readonly clock: Clock;
  private readonly newMessageId: () => string;
  private readonly options: AgentChannelOptions;
  private readonly logger: Logger;
  private readonly outgoingCapacity: number;
  private readonly incomingCapacity: number;

  private socket: AgentSocket | undefined;
  private offSocket: (() => void)[] = [];
  private pausedValue = false;
  private disposed = false;
  /** resendAllOnAttach: a socket was attached while paused; resend once publication starts. */
  private resendAllPending = false;

  private nextSequence = 0;
  /** Unacked output by sequence number; insertion order is sequence order. */
  private readonly unacked = new Map<number, Unacked>();
  /** No unacked message has a lower sequence number than this. */
  private headCandidate = 0;
  private tickTimer: TimerHandle | undefined;

  private expectedSequence = 0;
  private readonly incoming = new Map<number, ClientMessage>();

  private rtt: number = AgentChannelDefaults.initialRttMs;
  private rttVar: number = AgentChannelDefaults.initialRttVarMs;
  private rto: number = AgentChannelDefaults.initialRtoMs;

  private readonly drainedListeners = new Set<() => void>();
  private readonly socketDrainListeners = new Set<() => void>();
  private readonly counters = {
    sent: 0,
    resent: 0,
    unbuffered: 0,
    acked: 0,
    received: 0,
    duplicates: 0,
    outOfOrder: 0,
    invalid: 0,
  };

  constructor(options: AgentChannelOptions) {
    this.options = options;
    this.clock = options.clock;
    this.newMessageId = options.newMessageId;
    this.logger = options.logger ?? silentLogger;
    this.outgoingCapacity = options.outgoingCapacity ?? AgentChannelDefaults.outgoingCapacity;
    this.incomingCapacity = options.incomingCapacity ?? AgentChannelDefaults.incomingCapacity;
  }

  get stats(): AgentChannelStats {
    return {
      ...this.counters,
      sequenced: this.nextSequence,
      rtoMs: this.rto,
      unacked: this.unacked.size,
      expectedSequence: this.expectedSequence,
    };
  }

  get paused(): boolean {
    return this.pausedValue;
  }

  get isAttached(): boolean {
    return this.socket !== undefined;
  }

  /** Nothing is waiting for an ack. */
  get isDrained(): boolean {
    return this.unacked.size === 0;
  }

  /**
   * Whether the agent's next write would block: the socket's own send buffer is full. This is the
   * only thing that slows the agent down (a Go WebSocket write blocks on a full TCP buffer).
   */
  get socketCongested(): boolean {
    return this.socket?.congested === true;
  }

  /** Called when writes may go on after `socketCongested`: the socket drained, or it changed. */
  onSocketDrain(listener: () => void): () => void {
    this.socketDrainListeners.add(listener);
    return () => this.socketDrainListeners.delete(listener);
  }

  /** Called each time the last unacked message is acked. */
  onDrained(listener: () => void): () => void {
    this.drainedListeners.add(listener);
    return () => this.drainedListeners.delete(listener);
  }

  /** Starts using `socket` (first open or a resumed client). */
  attach(socket: AgentSocket): void {
    if (this.disposed) return;
    this.detach();
    this.socket = socket;
    this.offSocket = [
      socket.onBinary((frame) => this.receive(frame)),
      socket.onClose(() => {
        if (this.socket === socket) this.detach();
      }),
    ];
    if (socket.onDrain) this.offSocket.push(socket.onDrain(() => this.notifySocketDrain()));
    this.resendAllPending = this.options.resendAllOnAttach === true;
    if (!this.pausedValue) this.resendAllIfPending();
    this.armTick();
    this.notifySocketDrain();
  }

  /** Stops using the socket; output keeps being sequenced and buffered for the next one. */
  detach(): void {
    const hadSocket = this.socket !== undefined;
    for (const off of this.offSocket.splice(0)) off();
    this.socket = undefined;
    // Writes wait for nothing without a socket (they are buffered for the next one).
    if (hadSocket) this.notifySocketDrain();
  }

  /** pause_publication (true) / start_publication (false), 4.6. */
  setPaused(paused: boolean): void {
    if (this.pausedValue === paused || this.disposed) return;
    this.pausedValue = paused;
    if (!paused) this.resendAllIfPending();
    this.options.onPausedChange?.(paused);
  }

  /**
   * Sequences one output_stream_data message and sends it at once (unless paused or without a
   * socket). It is kept for resending unless the outgoing buffer is full.
   */
  send(payloadType: number, payload: Uint8Array): void {
    if (this.disposed) return;
    const sequenceNumber = this.nextSequence++;
    const frame = encodeClientMessage({
      messageType: MessageType.OutputStreamData,
      schemaVersion: 1,
      createdDate: this.clock.now(),
      sequenceNumber,
      flags: sequenceNumber === 0 ? HeaderFlags.Syn : HeaderFlags.None,
      messageId: this.newMessageId(),
      payloadType,
      payload,
    });
    const entry: Unacked = { frame, lastSentAt: this.clock.now() };
    if (this.unacked.size < this.outgoingCapacity) {
      this.unacked.set(sequenceNumber, entry);
      this.armTick();
    } else {
      this.counters.unbuffered++;
      this.logger.log('debug', 'outgoing buffer full; message sent once, not kept', {
        sequenceNumber,
      });
    }
    if (!this.pausedValue) this.write(entry, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.detach();
    this.tickTimer?.cancel();
    this.tickTimer = undefined;
    this.unacked.clear();
    this.incoming.clear();
    this.drainedListeners.clear();
    this.socketDrainListeners.clear();
  }

  // ---- outgoing ----

  private resendAllIfPending(): void {
    if (!this.resendAllPending || !this.socket) return;
    this.resendAllPending = false;
    for (const entry of this.unacked.values()) this.write(entry, true);
  }

  private notifySocketDrain(): void {
    if (this.disposed) return;
    for (const listener of [...this.socketDrainListeners]) listener();
  }

  private write(entry: Unacked, resend: boolean): void {
    const socket = this.socket;
    entry.lastSentAt = this.clock.now();
    if (!socket?.isOpen) return;
    try {
      socket.sendBinary(entry.frame);
    } catch (error) {
      // The message stays buffered; the resend loop or the next socket delivers it.
      this.logger.log('debug', 'socket write failed', { error: toErrorMessage(error) });
      return;
    }
    if (resend) this.counters.resent++;
    else this.counters.sent++;
  }

  /** The tick runs while output waits for an ack or refused input waits in the buffer. */
  private armTick(): void {
    if (this.tickTimer || this.disposed) return;
    if (this.unacked.size === 0 && !this.incoming.has(this.expectedSequence)) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = undefined;
      this.tick();
    }, AgentChannelDefaults.resendTickMs);
  }

  /** The resend scheduler: only the oldest unacked message, only once its RTO has passed. */
  private tick(): void {
    if (this.disposed) return;
    // Buffered input whose delivery was refused is retried here.
    this.deliverBuffered();
    if (!this.pausedValue && this.socket) {
      const head = this.head();
      if (head && this.clock.now() - head.lastSentAt > this.rto) this.write(head, true);
    }
    this.armTick();
  }

  private head(): Unacked | undefined {
    while (this.headCandidate < this.nextSequence) {
      const entry = this.unacked.get(this.headCandidate);
      if (entry) return entry;
      this.headCandidate++;
    }
    return undefined;
  }

  private handleAck(msg: ClientMessage): void {
    let sequenceNumber: number;
    try {
      sequenceNumber = parseAckPayload(msg.payload).acknowledgedMessageSequenceNumber;
    } catch (error) {
      this.counters.invalid++;
      this.logger.log('debug', 'dropping a malformed ack', { error: toErrorMessage(error) });
      return;
    }
    const entry = this.unacked.get(sequenceNumber);
    if (!entry) return;
    this.unacked.delete(sequenceNumber);
    this.counters.acked++;
    this.updateRto(this.clock.now() - entry.lastSentAt);
    if (this.unacked.size === 0) {
      this.tickTimer?.cancel();
      this.tickTimer = undefined;
      this.armTick(); // still needed if refused input waits in the buffer
      for (const listener of [...this.drainedListeners]) listener();
    }
  }

  /** Jacobson/Karels as the agent does it: every ack is a sample, resent or not (4.4). */
  private updateRto(sample: number): void {
    const d = AgentChannelDefaults;
    this.rttVar = (1 - d.rttVarGain) * this.rttVar + d.rttVarGain * Math.abs(this.rtt - sample);
    this.rtt = (1 - d.rttGain) * this.rtt + d.rttGain * sample;
    this.rto = Math.min(d.maxRtoMs, this.rtt + Math.max(d.clockGranularityMs, 4 * this.rttVar));
  }

  // ---- incoming ----

  private receive(frame: Uint8Array): void {
    if (this.disposed) return;
    let msg: ClientMessage;
    try {
      // The agent validates the header only; it never checks the payload digest (1.4).
      msg = decodeClientMessage(frame, { verifyDigest: false });
    } catch (error) {
      this.counters.invalid++;
      this.logger.log('debug', 'dropping an undecodable frame', { error: toErrorMessage(error) });
      return;
    }
    switch (msg.messageType) {
      case MessageType.InputStreamData:
        this.setPaused(false);
        this.handleInput(msg);
        return;
      case MessageType.Acknowledge:
        this.setPaused(false);
        this.handleAck(msg);
        return;
      case MessageType.PausePublication:
        this.setPaused(true);
        break;
      case MessageType.StartPublication:
        this.setPaused(false);
        break;
    }
    this.options.onControl?.(msg);
  }

  private handleInput(msg: ClientMessage): void {
    const sequenceNumber = msg.sequenceNumber;
    if (sequenceNumber < this.expectedSequence) {
      // Already processed: the ack was lost, so say it again (4.3).
      this.counters.duplicates++;
      this.acknowledge(msg);
      return;
    }
    if (sequenceNumber > this.expectedSequence) {
      if (!this.incoming.has(sequenceNumber) && this.incoming.size >= this.incomingCapacity) return;
      if (!this.incoming.has(sequenceNumber)) this.counters.outOfOrder++;
      this.incoming.set(sequenceNumber, msg);
      this.acknowledge(msg);
      return;
    }
    if (this.options.onMessage(msg) === 'not-ready') return;
    this.counters.received++;
    this.acknowledge(msg);
    this.expectedSequence++;
    this.deliverBuffered();
  }

  /**
   * Buffered input was acked when it arrived, so the client will not resend it: a refused delivery
   * keeps it here for the next tick or the next input.
   */
  private deliverBuffered(): void {
    for (;;) {
      const next = this.incoming.get(this.expectedSequence);
      if (!next) return;
      if (this.options.onMessage(next) === 'not-ready') {
        this.armTick();
        return;
      }
      if (this.disposed) return;
      this.incoming.delete(this.expectedSequence);
      this.counters.received++;
      this.expectedSequence++;
    }
  }

  private acknowledge(msg: ClientMessage): void {
    const socket = this.socket;
    if (!socket?.isOpen) return;
    try {
      socket.sendBinary(
        encodeAckFrame(msg, { messageId: this.newMessageId(), createdDate: this.clock.now() }),
      );
    } catch (error) {
      this.logger.log('debug', 'ack write failed', { error: toErrorMessage(error) });
    }
  }
}
