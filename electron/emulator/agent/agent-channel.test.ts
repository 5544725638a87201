// Unit tests for the agent's reliable layer on a fake clock: no window, the outgoing buffer cap, head-of-line resend, RTO, input order, pause, re-attach.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/testing/fake-clock';
import { encodeAckFrame, parseAckPayload } from '../../core/datachannel/codec/ack';
import { decodeClientMessage, encodeClientMessage } from '../../core/datachannel/codec/frame';
import { MessageType, PayloadType, type ClientMessage } from '../../core/datachannel/codec/types';
import { AgentChannel, type AgentChannelOptions, type AgentDelivery } from './agent-channel';
import type { AgentSocket, SocketCloseInfo } from './agent-socket';

/** A socket that records what the agent writes and lets the test play the client. */
class RecordingSocket implements AgentSocket {
  readonly sent: ClientMessage[] = [];
  bufferedAmount = 0;
  private open = true;
  private readonly binaryHandlers = new Set<(frame: Uint8Array) => void>();
  private readonly closeHandlers = new Set<(info: SocketCloseInfo) => void>();

  get isOpen(): boolean {
    return this.open;
  }

  sendBinary(frame: Uint8Array): void {
    if (!this.open) throw new Error('closed');
    this.sent.push(decodeClientMessage(frame));
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const handler of [...this.closeHandlers]) handler({ code: 1006, reason: '' });
  }

  onBinary(handler: (frame: Uint8Array) => void): () => void {
    this.binaryHandlers.add(handler);
    return () => this.binaryHandlers.delete(handler);
  }

  onClose(handler: (info: SocketCloseInfo) => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  deliver(frame: Uint8Array): void {
    for (const handler of [...this.binaryHandlers]) handler(frame);
  }

  /** Stream messages written (not acks), by sequence number. */
  streamSequences(): number[] {
    return this.sent
      .filter((m) => m.messageType === MessageType.OutputStreamData)
      .map((m) => m.sequenceNumber);
  }

  /** Sequence numbers the agent acknowledged, in order. */
  ackedSequences(): number[] {
    return this.sent
      .filter((m) => m.messageType === MessageType.Acknowledge)
      .map((m) => parseAckPayload(m.payload).acknowledgedMessageSequenceNumber);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

let ids = 0;
const newMessageId = (): string =>
  `00000000-0000-4000-8000-${(ids++).toString(16).padStart(12, '0')}`;

function input(clock: FakeClock, sequenceNumber: number, text = `m${sequenceNumber}`): Uint8Array {
  return encodeClientMessage({
    messageType: MessageType.InputStreamData,
    schemaVersion: 1,
    createdDate: clock.now(),
    sequenceNumber,
    flags: 0,
    messageId: newMessageId(),
    payloadType: PayloadType.Output,
    payload: Buffer.from(text),
  });
}

function ack(clock: FakeClock, sequenceNumber: number): Uint8Array {
  return encodeAckFrame(
    {
      messageType: MessageType.OutputStreamData,
      messageId: newMessageId(),
      sequenceNumber,
    },
    { messageId: newMessageId(), createdDate: clock.now() },
  );
}

function control(clock: FakeClock, messageType: string): Uint8Array {
  return encodeClientMessage({
    messageType,
    schemaVersion: 1,
    createdDate: clock.now(),
    sequenceNumber: 0,
    flags: 3,
    messageId: newMessageId(),
    payloadType: PayloadType.Undefined,
    payload: new Uint8Array(0),
  });
}

function setup(
  options: Partial<AgentChannelOptions> & { deliver?: (msg: ClientMessage) => AgentDelivery } = {},
): {
  clock: FakeClock;
  channel: AgentChannel;
  socket: RecordingSocket;
  received: string[];
  pauses: boolean[];
} {
  const clock = new FakeClock();
  const received: string[] = [];
  const pauses: boolean[] = [];
  const { deliver, ...rest } = options;
  const channel = new AgentChannel({
    clock,
    newMessageId,
    onMessage: (msg) => {
      const verdict = deliver?.(msg) ?? 'ready';
      if (verdict === 'ready') received.push(Buffer.from(msg.payload).toString());
      return verdict;
    },
    onPausedChange: (paused) => pauses.push(paused),
    ...rest,
  });
  const socket = new RecordingSocket();
  channel.attach(socket);
  return { clock, channel, socket, received, pauses };
}

const payload = (i: number): Uint8Array => Buffer.from(`out-${i}`);

describe('AgentChannel outgoing', () => {
  it('has no window: 1000 messages go out at once without a single ack', () => {
    const { channel, socket } = setup();
    for (let i = 0; i < 1000; i++) channel.send(PayloadType.Output, payload(i));
    expect(socket.streamSequences()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(socket.sent[0]?.flags).toBe(1); // SYN on sequence 0 only
    expect(socket.sent[1]?.flags).toBe(0);
    expect(channel.stats.unacked).toBe(1000);
  });

  it('sends a message once and keeps nothing of it when the outgoing buffer is full', () => {
    const { clock, channel, socket } = setup({ outgoingCapacity: 3 });
    for (let i = 0; i < 5; i++) channel.send(PayloadType.Output, payload(i));
    expect(socket.streamSequences()).toEqual([0, 1, 2, 3, 4]);
    expect(channel.stats).toMatchObject({ unacked: 3, unbuffered: 2 });
    for (const seq of [0, 1, 2]) socket.deliver(ack(clock, seq));
    expect(channel.isDrained).toBe(true);
    socket.clear();
    clock.advance(5_000);
    // 3 and 4 were never kept, so they are never resent.
    expect(socket.streamSequences()).toEqual([]);
    channel.send(PayloadType.Output, payload(5));
    expect(channel.stats).toMatchObject({ unacked: 1, unbuffered: 2 });
  });

  it('resends only the oldest unacked message, on the 100 ms tick, at most once per RTO', () => {
    const { clock, channel, socket } = setup();
    for (let i = 0; i < 3; i++) channel.send(PayloadType.Output, payload(i));
    socket.clear();
    clock.advance(200); // ticks at 100 and 200: 200 ms is not more than the 200 ms RTO
    expect(socket.streamSequences()).toEqual([]);
    clock.advance(100); // t = 300
    expect(socket.streamSequences()).toEqual([0]);
    clock.advance(200); // t = 500: 200 ms since the resend, not more than the RTO
    expect(socket.streamSequences()).toEqual([0]);
    clock.advance(100); // t = 600
    expect(socket.streamSequences()).toEqual([0, 0]);
    // The same bytes each time: same sequence number and MessageId.
    expect(new Set(socket.sent.map((m) => m.messageId)).size).toBe(1);

    socket.deliver(ack(clock, 0));
    socket.clear();
    clock.advance(100); // the new head, sent at t = 0, is long overdue
    expect(socket.streamSequences()).toEqual([1]);
    clock.advance(100);
    expect(socket.streamSequences()).toEqual([1]);
  });

  it('updates the RTO from every matching ack (Jacobson/Karels, capped at 1 s)', () => {
    const { clock, channel, socket } = setup();
    expect(channel.stats.rtoMs).toBe(200);
    channel.send(PayloadType.Output, payload(0));
    clock.advance(50);
    socket.deliver(ack(clock, 0));
    // RTTVAR = 0.75*0 + 0.25*|100-50| = 12.5; RTT = 0.875*100 + 0.125*50 = 93.75; RTO = RTT + 4*RTTVAR
    expect(channel.stats.rtoMs).toBeCloseTo(143.75, 6);
    // Paused, nothing is resent, so each ack comes 5 s after the only send.
    for (let i = 1; i <= 40; i++) {
      channel.setPaused(true);
      channel.send(PayloadType.Output, payload(i));
      clock.advance(5_000);
      socket.deliver(ack(clock, i));
    }
    expect(channel.stats.rtoMs).toBe(1000);
    // An ack for nothing buffered changes nothing.
    socket.deliver(ack(clock, 999));
    expect(channel.stats.acked).toBe(41);
  });

  it('buffers but does not send while paused, clears the pause on any inbound data or ack', () => {
    const { clock, channel, socket, pauses } = setup();
    socket.deliver(control(clock, MessageType.PausePublication));
    expect(channel.paused).toBe(true);
    channel.send(PayloadType.Output, payload(0));
    channel.send(PayloadType.Output, payload(1));
    clock.advance(2_000);
    expect(socket.streamSequences()).toEqual([]);
    socket.deliver(input(clock, 0));
    expect(channel.paused).toBe(false);
    expect(pauses).toEqual([true, false]);
    // The queued messages now drain one per tick through the head-of-line resend.
    clock.advance(100);
    expect(socket.streamSequences()).toEqual([0]);
    socket.deliver(ack(clock, 0));
    clock.advance(100);
    expect(socket.streamSequences()).toEqual([0, 1]);

    socket.deliver(control(clock, MessageType.PausePublication));
    socket.deliver(control(clock, MessageType.StartPublication));
    expect(pauses).toEqual([true, false, true, false]);
  });
});

describe('AgentChannel re-attach', () => {
  function cutWithBacklog(options: Partial<AgentChannelOptions> = {}): {
    clock: FakeClock;
    channel: AgentChannel;
    next: RecordingSocket;
  } {
    const { clock, channel, socket } = setup(options);
    socket.close();
    expect(channel.isAttached).toBe(false);
    for (let i = 0; i < 5; i++) channel.send(PayloadType.Output, payload(i));
    expect(socket.streamSequences()).toEqual([]);
    clock.advance(1_000);
    const next = new RecordingSocket();
    channel.attach(next);
    return { clock, channel, next };
  }

  it('drains the backlog one message per tick through the head-of-line resend', () => {
    const { clock, next } = cutWithBacklog();
    expect(next.streamSequences()).toEqual([]);
    for (let seq = 0; seq < 5; seq++) {
      clock.advance(100);
      expect(next.streamSequences()).toEqual(Array.from({ length: seq + 1 }, (_, i) => i));
      next.deliver(ack(clock, seq));
    }
  });

  it('resends the whole backlog at once with resendAllOnAttach', () => {
    const { next, channel, clock } = cutWithBacklog({ resendAllOnAttach: true });
    expect(next.streamSequences()).toEqual([0, 1, 2, 3, 4]);
    for (let seq = 0; seq < 5; seq++) next.deliver(ack(clock, seq));
    expect(channel.isDrained).toBe(true);
  });

  it('waits for start_publication when the socket comes back while paused', () => {
    for (const resendAllOnAttach of [false, true]) {
      const { clock, channel, socket } = setup({ resendAllOnAttach });
      channel.setPaused(true); // what the sandbox does while no client socket is attached
      socket.close();
      for (let i = 0; i < 3; i++) channel.send(PayloadType.Output, payload(i));
      const next = new RecordingSocket();
      channel.attach(next);
      clock.advance(1_000);
      expect(next.streamSequences()).toEqual([]);
      channel.setPaused(false);
      expect(next.streamSequences()).toEqual(resendAllOnAttach ? [0, 1, 2] : []);
      channel.send(PayloadType.Output, payload(3));
      clock.advance(100);
      expect(next.streamSequences()).toEqual(resendAllOnAttach ? [0, 1, 2, 3] : [3, 0]);
    }
  });

  it('keeps sequence numbers and the expected input across sockets', () => {
    const { clock, channel, socket, received } = setup();
    socket.deliver(input(clock, 0));
    channel.send(PayloadType.Output, payload(0));
    socket.close();
    const next = new RecordingSocket();
    channel.attach(next);
    next.deliver(input(clock, 0)); // the client never saw the ack: re-acked, not re-processed
    next.deliver(input(clock, 1));
    channel.send(PayloadType.Output, payload(1));
    expect(received).toEqual(['m0', 'm1']);
    expect(next.ackedSequences()).toEqual([0, 1]);
    expect(next.streamSequences()).toEqual([1]);
  });
});

describe('AgentChannel incoming', () => {
  it('acks in-order input after processing, buffers and acks early input, re-acks duplicates', () => {
    const { clock, socket, received, channel } = setup();
    socket.deliver(input(clock, 2));
    socket.deliver(input(clock, 1));
    socket.deliver(input(clock, 2)); // a duplicate of buffered input overwrites it
    expect(received).toEqual([]);
    expect(socket.ackedSequences()).toEqual([2, 1, 2]);
    socket.deliver(input(clock, 0));
    expect(received).toEqual(['m0', 'm1', 'm2']);
    socket.deliver(input(clock, 1));
    expect(received).toEqual(['m0', 'm1', 'm2']);
    expect(socket.ackedSequences()).toEqual([2, 1, 2, 0, 1]);
    expect(channel.stats).toMatchObject({
      received: 3,
      duplicates: 1,
      outOfOrder: 2,
      expectedSequence: 3,
    });
    // The agent's acks are acknowledge / Seq 0 / Flags 3 / PayloadType 0 for input_stream_data.
    const first = socket.sent[0];
    expect(first).toMatchObject({ sequenceNumber: 0, flags: 3, payloadType: 0 });
    expect(parseAckPayload(first?.payload ?? new Uint8Array(0))).toMatchObject({
      acknowledgedMessageType: MessageType.InputStreamData,
      isSequentialMessage: true,
    });
  });

  it('neither acks nor consumes input the plugin is not ready for', () => {
    let ready = false;
    const { clock, socket, received } = setup({ deliver: () => (ready ? 'ready' : 'not-ready') });
    socket.deliver(input(clock, 0));
    expect(socket.ackedSequences()).toEqual([]);
    ready = true;
    socket.deliver(input(clock, 0)); // the client's resend
    expect(received).toEqual(['m0']);
    expect(socket.ackedSequences()).toEqual([0]);
  });

  it('retries buffered input the plugin refused on the next tick (it was acked already)', () => {
    let refuse = false;
    const { clock, socket, received } = setup({
      deliver: (msg) => (refuse && msg.sequenceNumber === 1 ? 'not-ready' : 'ready'),
    });
    socket.deliver(input(clock, 1));
    refuse = true;
    socket.deliver(input(clock, 0));
    expect(received).toEqual(['m0']);
    refuse = false;
    clock.advance(100);
    expect(received).toEqual(['m0', 'm1']);
  });

  it('drops early input unacked once the incoming buffer is full', () => {
    const { clock, socket, channel } = setup({ incomingCapacity: 2 });
    socket.deliver(input(clock, 1));
    socket.deliver(input(clock, 2));
    socket.deliver(input(clock, 3));
    expect(socket.ackedSequences()).toEqual([1, 2]);
    socket.deliver(input(clock, 0));
    expect(channel.stats.expectedSequence).toBe(3);
  });

  it('ignores undecodable frames and passes channel_closed on', () => {
    const controls: string[] = [];
    const { clock, socket, channel } = setup({
      onControl: (msg) => controls.push(msg.messageType),
    });
    socket.deliver(new Uint8Array(10));
    socket.deliver(control(clock, MessageType.ChannelClosed));
    expect(channel.stats.invalid).toBe(1);
    expect(controls).toEqual([MessageType.ChannelClosed]);
  });
});
