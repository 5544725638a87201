// ReliableChannel unit tests: fake clock, in-memory transports, seeded faults, cuts and reattach.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import type { Logger, LogLevel } from '../base/logger';
import { ReliableChannel, type DeliveryResult, type ReliableChannelOptions } from './channel';
import { buildAckMessage, parseAckPayload } from './codec/ack';
import {
  MAX_FRAME_BYTES,
  MIN_FRAME_LENGTH,
  decodeClientMessage,
  encodeClientMessage,
} from './codec/frame';
import { HeaderFlags, MessageType, PayloadType, type ClientMessage } from './codec/types';
import { withFaults, type FaultOptions } from './faults';
import { DEFAULT_MAX_OUT_OF_ORDER_BYTES } from './out-of-order-buffer';
import { createMemoryTransportPair, createTaskQueue, type TaskQueue } from './transport-memory';
import type { Transport } from './transport';

function idFactory(prefix: number): () => string {
  let n = 0;
  return () => `0000000${prefix}-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
}

function indexPayload(i: number, extra = 0): Uint8Array {
  const bytes = new Uint8Array(4 + extra).fill(i & 0xff);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}

function payloadIndex(msg: ClientMessage): number {
  return new DataView(msg.payload.buffer, msg.payload.byteOffset).getUint32(0);
}

function recordingLogger(): Logger & { entries: { level: LogLevel; message: string }[] } {
  const entries: { level: LogLevel; message: string }[] = [];
  const logger = {
    entries,
    log: (level: LogLevel, message: string) => void entries.push({ level, message }),
    child: () => logger,
  };
  return logger;
}

/** One channel wired to a raw transport the test drives by hand. */
function channelWithRawPeer(options: {
  role?: 'client' | 'agent';
  onMessage?: (msg: ClientMessage) => DeliveryResult;
  onControl?: (msg: ClientMessage) => void;
  maxInFlight?: number;
  queueHighWatermark?: number;
  maxOutOfOrder?: number;
  limits?: Pick<
    ReliableChannelOptions,
    'maxOutOfOrderBytes' | 'maxOutgoingBytes' | 'maxFrameBytes' | 'onProtocolError'
  >;
}) {
  const clock = new FakeClock();
  const queue = createTaskQueue();
  const [near, far] = createMemoryTransportPair({ schedule: queue.schedule });
  const delivered: ClientMessage[] = [];
  const logger = recordingLogger();
  const channel = new ReliableChannel({
    role: options.role ?? 'client',
    clock,
    newMessageId: idFactory(1),
    onMessage: options.onMessage ?? ((msg) => (delivered.push(msg), 'ready')),
    logger,
    ...(options.onControl ? { onControl: options.onControl } : {}),
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.queueHighWatermark ? { queueHighWatermark: options.queueHighWatermark } : {}),
    ...(options.maxOutOfOrder !== undefined ? { maxOutOfOrder: options.maxOutOfOrder } : {}),
    ...options.limits,
  });
  const received: ClientMessage[] = [];
  far.onBinary((frame) => received.push(decodeClientMessage(frame)));
  channel.attach(near);
  const peerIds = idFactory(2);
  const incomingType =
    (options.role ?? 'client') === 'client'
      ? MessageType.OutputStreamData
      : MessageType.InputStreamData;
  const streamFrame = (seq: number, payload = indexPayload(seq)): Uint8Array =>
    encodeClientMessage({
      messageType: incomingType,
      schemaVersion: 1,
      createdDate: clock.now(),
      sequenceNumber: seq,
      flags: 0,
      messageId: peerIds(),
      payloadType: PayloadType.Output,
      payload,
    });
  const ackFor = (msg: ClientMessage): Uint8Array =>
    encodeClientMessage(buildAckMessage(msg, { messageId: peerIds(), createdDate: clock.now() }));
  const acks = (): number[] =>
    received
      .filter((m) => m.messageType === MessageType.Acknowledge)
      .map((m) => parseAckPayload(m.payload).acknowledgedMessageSequenceNumber);
  const streams = (): ClientMessage[] =>
    received.filter((m) => m.messageType !== MessageType.Acknowledge);
  const deliver = (frame: Uint8Array): void => {
    far.sendBinary(frame);
    queue.runAll();
  };
  return {
    clock,
    queue,
    near,
    far,
    channel,
    delivered,
    received,
    acks,
    streams,
    streamFrame,
    ackFor,
    deliver,
    logger,
  };
}

interface Scenario {
  messages: number;
  faults?: FaultOptions;
  cutAfter?: number;
  maxInFlight?: number;
  seed?: number;
  notReadyEvery?: number;
}

/** Two channels talking to each other until both directions deliver every message. */
function runPair(scenario: Scenario) {
  const clock = new FakeClock();
  const queue: TaskQueue = createTaskQueue();
  const got = { client: [] as number[], agent: [] as number[] };
  let calls = 0;
  const onMessage =
    (side: 'client' | 'agent') =>
    (msg: ClientMessage): DeliveryResult => {
      calls++;
      if (scenario.notReadyEvery && calls % scenario.notReadyEvery === 0) return 'not-ready';
      got[side].push(payloadIndex(msg));
      return 'ready';
    };
  const common = scenario.maxInFlight ? { maxInFlight: scenario.maxInFlight } : {};
  const client = new ReliableChannel({
    role: 'client',
    clock,
    newMessageId: idFactory(1),
    onMessage: onMessage('client'),
    ...common,
  });
  const agent = new ReliableChannel({
    role: 'agent',
    clock,
    newMessageId: idFactory(2),
    onMessage: onMessage('agent'),
    ...common,
  });
  let seed = scenario.seed ?? 1;
  let connections = 0;
  let transports: [Transport, Transport] | undefined;
  const connect = (): void => {
    connections++;
    const [a, b] = createMemoryTransportPair({ schedule: queue.schedule });
    const wrap = (t: Transport, extra: FaultOptions): Transport =>
      scenario.faults || scenario.cutAfter
        ? withFaults(t, { ...scenario.faults, ...extra, seed: seed++, clock })
        : t;
    transports = [wrap(a, scenario.cutAfter ? { cutAfter: scenario.cutAfter } : {}), wrap(b, {})];
    client.attach(transports[0]);
    agent.attach(transports[1]);
  };
  connect();
  let sentByClient = 0;
  let sentByAgent = 0;
  for (let round = 0; round < 200_000; round++) {
    while (sentByClient < scenario.messages && client.writable)
      client.send(PayloadType.Output, indexPayload(sentByClient++, sentByClient % 37));
    while (sentByAgent < scenario.messages && agent.writable)
      agent.send(PayloadType.Output, indexPayload(sentByAgent++, sentByAgent % 53));
    queue.runAll();
    if (transports && (!transports[0].isOpen || !transports[1].isOpen)) {
      transports[0].abort?.();
      transports[1].abort?.();
      queue.runAll();
      expect(client.isAttached || agent.isAttached).toBe(false);
      clock.advance(3);
      connect();
    }
    const done =
      got.client.length === scenario.messages &&
      got.agent.length === scenario.messages &&
      client.isDrained &&
      agent.isDrained;
    if (done) break;
    clock.advance(2);
  }
  return { client, agent, got, clock, connections };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('ReliableChannel between two peers', () => {
  it('delivers every message exactly once and in order without faults', () => {
    const { client, agent, got } = runPair({ messages: 3000 });
    expect(got.client).toEqual(range(3000));
    expect(got.agent).toEqual(range(3000));
    expect(client.stats).toMatchObject({
      sent: 3000,
      acked: 3000,
      received: 3000,
      retransmitted: 0,
      inFlight: 0,
      queued: 0,
    });
    expect(agent.stats).toMatchObject({ sent: 3000, acked: 3000, received: 3000, duplicates: 0 });
  });

  it.each([1, 2, 3])('survives drop, duplicate, reorder and delay (seed %i)', (seed) => {
    const { client, agent, got } = runPair({
      messages: 3000,
      seed: seed * 100,
      maxInFlight: 64,
      faults: { drop: 0.05, duplicate: 0.05, reorder: 0.05, delayMs: [0, 8] },
    });
    expect(got.client).toEqual(range(3000));
    expect(got.agent).toEqual(range(3000));
    expect(client.stats.retransmitted + agent.stats.retransmitted).toBeGreaterThan(0);
    expect(client.stats.duplicates + agent.stats.duplicates).toBeGreaterThan(0);
    expect(client.stats.outOfOrder + agent.stats.outOfOrder).toBeGreaterThan(0);
  });

  it('survives repeated mid-stream cuts with reattach, with faults on top', () => {
    const { got, connections } = runPair({
      messages: 3000,
      cutAfter: 400,
      maxInFlight: 128,
      faults: { drop: 0.02, duplicate: 0.02, reorder: 0.02, delayMs: [0, 4] },
    });
    expect(connections).toBeGreaterThan(5);
    expect(got.client).toEqual(range(3000));
    expect(got.agent).toEqual(range(3000));
  });

  it('retransmits messages the receiver was not ready for', () => {
    const { client, agent, got } = runPair({ messages: 500, notReadyEvery: 7 });
    expect(got.client).toEqual(range(500));
    expect(got.agent).toEqual(range(500));
    expect(client.stats.retransmitted + agent.stats.retransmitted).toBeGreaterThan(0);
  });
});

describe('ReliableChannel receiving', () => {
  it('acks in-order data after delivery and re-acks duplicates without redelivering', () => {
    const t = channelWithRawPeer({});
    const frame0 = t.streamFrame(0);
    t.deliver(frame0);
    t.deliver(frame0);
    t.deliver(t.streamFrame(1));
    expect(t.delivered.map(payloadIndex)).toEqual([0, 1]);
    expect(t.acks()).toEqual([0, 0, 1]);
    expect(t.channel.stats).toMatchObject({ duplicates: 1, received: 2, expectedSequence: 2 });
    const ack = t.received[0]!;
    expect(ack.flags).toBe(HeaderFlags.AckOrControl);
    expect(ack.payloadType).toBe(0);
    expect(ack.sequenceNumber).toBe(0);
    expect(parseAckPayload(ack.payload).acknowledgedMessageType).toBe(MessageType.OutputStreamData);
  });

  it('does not ack or advance when the handler is not ready', () => {
    let ready = false;
    const delivered: number[] = [];
    const t = channelWithRawPeer({
      onMessage: (msg) => {
        if (!ready) return 'not-ready';
        delivered.push(payloadIndex(msg));
        return 'ready';
      },
    });
    const frame = t.streamFrame(0);
    t.deliver(frame);
    expect(t.acks()).toEqual([]);
    expect(t.channel.stats.expectedSequence).toBe(0);
    ready = true;
    t.deliver(frame);
    expect(delivered).toEqual([0]);
    expect(t.acks()).toEqual([0]);
  });

  it('buffers and acks out-of-order messages, then delivers them in order', () => {
    const t = channelWithRawPeer({});
    t.deliver(t.streamFrame(2));
    t.deliver(t.streamFrame(1));
    t.deliver(t.streamFrame(2)); // duplicate while buffered: acked again
    expect(t.delivered).toEqual([]);
    expect(t.acks()).toEqual([2, 1, 2]);
    t.deliver(t.streamFrame(0));
    expect(t.delivered.map(payloadIndex)).toEqual([0, 1, 2]);
    expect(t.acks()).toEqual([2, 1, 2, 0]);
    expect(t.channel.stats.expectedSequence).toBe(3);
  });

  it('drops out-of-order messages beyond the buffer cap without acking them', () => {
    const t = channelWithRawPeer({ maxOutOfOrder: 2 });
    t.deliver(t.streamFrame(1));
    t.deliver(t.streamFrame(2));
    t.deliver(t.streamFrame(3));
    expect(t.acks()).toEqual([1, 2]);
    t.deliver(t.streamFrame(0));
    expect(t.delivered.map(payloadIndex)).toEqual([0, 1, 2]);
    t.deliver(t.streamFrame(3));
    expect(t.delivered.map(payloadIndex)).toEqual([0, 1, 2, 3]);
  });

  it('bounds the out-of-order buffer in bytes against a peer that withholds sequence 0', () => {
    const t = channelWithRawPeer({});
    // A hostile peer floods the largest frames the channel accepts and never sends sequence 0.
    const largest = MAX_FRAME_BYTES - MIN_FRAME_LENGTH;
    const flood = 200;
    const held: number[] = [];
    let peak = 0;
    for (let seq = 1; seq <= flood; seq++) {
      t.deliver(t.streamFrame(seq, indexPayload(seq, largest - 4)));
      peak = Math.max(peak, t.channel.stats.outOfOrderBytes);
    }
    held.push(...t.acks());
    expect(peak).toBeLessThanOrEqual(DEFAULT_MAX_OUT_OF_ORDER_BYTES);
    expect(held.length).toBe(Math.floor(DEFAULT_MAX_OUT_OF_ORDER_BYTES / MAX_FRAME_BYTES));
    expect(t.channel.stats.outOfOrderDropped).toBe(flood - held.length);
    expect(t.delivered).toEqual([]);

    // Sequence 0 arrives: the held messages follow it, and the buffer is empty again.
    t.deliver(t.streamFrame(0));
    expect(t.delivered.map(payloadIndex)).toEqual(
      Array.from({ length: held.length + 1 }, (_, i) => i),
    );
    expect(t.channel.stats.outOfOrderBytes).toBe(0);

    // The peer resends what was never acked, and the session carries on in order.
    for (let seq = held.length + 1; seq <= flood; seq++) {
      t.deliver(t.streamFrame(seq, indexPayload(seq, largest - 4)));
    }
    expect(t.delivered.map(payloadIndex)).toEqual(Array.from({ length: flood + 1 }, (_, i) => i));
    expect(t.channel.stats).toMatchObject({ expectedSequence: flood + 1, outOfOrderBytes: 0 });
  });

  it('reports a frame above the size limit as a protocol error and does not ack it', () => {
    const reasons: string[] = [];
    const t = channelWithRawPeer({
      limits: { maxFrameBytes: 1024, onProtocolError: (reason) => reasons.push(reason) },
    });
    t.deliver(t.streamFrame(0, new Uint8Array(1024 - MIN_FRAME_LENGTH)));
    t.deliver(t.streamFrame(1, new Uint8Array(1025 - MIN_FRAME_LENGTH)));
    expect(t.delivered).toHaveLength(1);
    expect(t.acks()).toEqual([0]);
    expect(reasons).toEqual(['the peer sent a 1025-byte frame; the limit is 1024 bytes']);
    expect(t.channel.stats.invalid).toBe(1);
  });

  it('retries delivery of a buffered message whose handler was not ready', () => {
    let refuse = 1;
    const delivered: number[] = [];
    const t = channelWithRawPeer({
      onMessage: (msg) => {
        if (payloadIndex(msg) === 1 && refuse-- > 0) return 'not-ready';
        delivered.push(payloadIndex(msg));
        return 'ready';
      },
    });
    t.deliver(t.streamFrame(1));
    t.deliver(t.streamFrame(0));
    expect(delivered).toEqual([0]);
    t.clock.advance(200);
    expect(delivered).toEqual([0, 1]);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('drops invalid frames with a warning and no ack, and routes control messages', () => {
    const controls: string[] = [];
    const t = channelWithRawPeer({ onControl: (msg) => controls.push(msg.messageType) });
    const bad = t.streamFrame(0);
    bad[bad.length - 1] = bad.at(-1)! ^ 0xff;
    t.deliver(bad);
    t.deliver(new Uint8Array(50));
    expect(t.acks()).toEqual([]);
    expect(t.channel.stats.invalid).toBe(2);
    expect(t.logger.entries.filter((e) => e.level === 'warn')).toHaveLength(2);
    for (const type of [MessageType.ChannelClosed, MessageType.StartPublication, 'something_new']) {
      const msg = decodeClientMessage(t.streamFrame(0));
      t.deliver(encodeClientMessage({ ...msg, messageType: type }));
    }
    expect(controls).toEqual(['channel_closed', 'start_publication', 'something_new']);
    expect(t.acks()).toEqual([]);
    expect(t.delivered).toEqual([]);
  });
});

describe('ReliableChannel sending', () => {
  it('client sends input_stream_data with Flags 0 from sequence 0; agent marks seq 0 SYN', () => {
    const c = channelWithRawPeer({ role: 'client' });
    c.channel.send(PayloadType.Size, new Uint8Array([1]));
    c.channel.send(PayloadType.Output, new Uint8Array([2]));
    c.queue.runAll();
    expect(
      c.streams().map((m) => [m.messageType, m.sequenceNumber, m.flags, m.payloadType]),
    ).toEqual([
      ['input_stream_data', 0, 0, 3],
      ['input_stream_data', 1, 0, 1],
    ]);
    const a = channelWithRawPeer({ role: 'agent' });
    a.channel.send(PayloadType.Output, new Uint8Array([1]));
    a.channel.send(PayloadType.Output, new Uint8Array([2]));
    a.queue.runAll();
    expect(a.streams().map((m) => [m.messageType, m.sequenceNumber, m.flags])).toEqual([
      ['output_stream_data', 0, HeaderFlags.Syn],
      ['output_stream_data', 1, 0],
    ]);
  });

  it('limits in-flight messages to the window and queues the rest with backpressure', () => {
    const t = channelWithRawPeer({ maxInFlight: 4, queueHighWatermark: 3 });
    let writableEvents = 0;
    t.channel.onWritable(() => writableEvents++);
    for (let i = 0; i < 7; i++) t.channel.send(PayloadType.Output, indexPayload(i));
    t.queue.runAll();
    expect(t.streams().map((m) => m.sequenceNumber)).toEqual([0, 1, 2, 3]);
    expect(t.channel.stats).toMatchObject({ inFlight: 4, queued: 3 });
    expect(t.channel.writable).toBe(false);
    t.deliver(t.ackFor(t.streams()[1]!));
    expect(t.streams().map((m) => m.sequenceNumber)).toEqual([0, 1, 2, 3, 4]);
    expect(t.channel.writable).toBe(true);
    expect(writableEvents).toBe(1);
    let drained = 0;
    t.channel.onDrained(() => drained++);
    for (const msg of t.streams()) t.deliver(t.ackFor(msg));
    for (const msg of t.streams()) t.deliver(t.ackFor(msg));
    expect(t.channel.stats).toMatchObject({ inFlight: 0, queued: 0, sent: 7, acked: 7 });
    expect(drained).toBe(1);
    expect(t.channel.isDrained).toBe(true);
  });

  it('stops being writable at the outgoing byte limit and resumes when acks free it', () => {
    const frameBytes = MIN_FRAME_LENGTH + 1000;
    const t = channelWithRawPeer({ limits: { maxOutgoingBytes: 3 * frameBytes } });
    let writableEvents = 0;
    t.channel.onWritable(() => writableEvents++);
    t.channel.send(PayloadType.Output, new Uint8Array(1000));
    t.channel.send(PayloadType.Output, new Uint8Array(1000));
    expect(t.channel.writable).toBe(true);
    t.channel.send(PayloadType.Output, new Uint8Array(1000));
    t.queue.runAll();
    expect(t.channel.stats.outgoingBytes).toBe(3 * frameBytes);
    expect(t.channel.writable).toBe(false);
    t.deliver(t.ackFor(t.streams()[0]!));
    expect(t.channel.stats.outgoingBytes).toBe(2 * frameBytes);
    expect(t.channel.writable).toBe(true);
    expect(writableEvents).toBe(1);
  });

  it('ignores acks for unknown sequence numbers', () => {
    const t = channelWithRawPeer({});
    t.channel.send(PayloadType.Output, indexPayload(0));
    t.queue.runAll();
    const sent = t.streams()[0]!;
    t.deliver(t.ackFor({ ...sent, sequenceNumber: 99 }));
    expect(t.channel.stats).toMatchObject({ inFlight: 1, acked: 0 });
    t.deliver(t.ackFor(sent));
    expect(t.channel.stats).toMatchObject({ inFlight: 0, acked: 1 });
  });

  it('retransmits after the initial 200 ms RTO with identical bytes, each at most once per RTO', () => {
    const t = channelWithRawPeer({});
    const frames: Uint8Array[] = [];
    t.far.onBinary((frame) => frames.push(frame));
    const seqs = (): number[] => frames.map((f) => decodeClientMessage(f).sequenceNumber);
    t.channel.send(PayloadType.Output, indexPayload(0));
    t.clock.advance(50);
    t.channel.send(PayloadType.Output, indexPayload(1));
    t.queue.runAll();
    expect(frames).toHaveLength(2);
    t.clock.advance(149);
    t.queue.runAll();
    expect(frames).toHaveLength(2);
    t.clock.advance(1); // t=200: message 0 is due, message 1 (sent at 50) is not
    t.queue.runAll();
    expect(seqs()).toEqual([0, 1, 0]);
    expect(frames[2]).toEqual(frames[0]);
    // The expiry backed the RTO off to 400 ms and restarted the timer: nothing before t=600.
    expect(t.channel.stats).toMatchObject({ rto: 400, timeouts: 1 });
    t.clock.advance(399);
    t.queue.runAll();
    expect(frames).toHaveLength(3);
    t.clock.advance(1); // t=600: both are one backed-off RTO past their last send
    t.queue.runAll();
    expect(seqs()).toEqual([0, 1, 0, 1, 0]);
    expect(t.channel.stats).toMatchObject({ retransmitted: 3, timeouts: 2, rto: 800 });
  });

  it('resends at most a few of the oldest messages per expiry and backs off up to 4 s', () => {
    const t = channelWithRawPeer({});
    for (let i = 0; i < 10; i++) t.channel.send(PayloadType.Output, indexPayload(i));
    t.queue.runAll();
    const resent = (): number[] =>
      t
        .streams()
        .slice(10)
        .map((m) => m.sequenceNumber);
    t.clock.advance(200);
    t.queue.runAll();
    expect(resent()).toEqual([0, 1, 2, 3]);
    t.clock.advance(399);
    t.queue.runAll();
    expect(resent()).toHaveLength(4);
    t.clock.advance(1); // t=600
    t.queue.runAll();
    expect(resent()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    t.clock.advance(800); // t=1400: the oldest sends first, 0..3 were last sent at 200
    t.queue.runAll();
    expect(resent().slice(8)).toEqual([8, 9, 0, 1]);
    t.clock.advance(1600); // t=3000
    t.queue.runAll();
    expect(resent().slice(12)).toEqual([2, 3, 4, 5]);
    expect(t.channel.stats.rto).toBe(3200);
    t.clock.advance(3200); // t=6200; the next RTO is capped
    t.queue.runAll();
    expect(resent()).toHaveLength(20);
    expect(t.channel.stats).toMatchObject({ rto: 4000, timeouts: 5, retransmitted: 20 });
    t.clock.advance(3999);
    t.queue.runAll();
    expect(resent()).toHaveLength(20);
    t.clock.advance(1);
    t.queue.runAll();
    expect(resent()).toHaveLength(24);
  });

  it('takes no RTT sample from a retransmitted message (Karn) and resets the backoff on an ack', () => {
    const t = channelWithRawPeer({});
    for (let i = 0; i < 6; i++) t.channel.send(PayloadType.Output, indexPayload(i));
    t.queue.runAll();
    t.clock.advance(200);
    t.queue.runAll();
    expect(t.channel.stats).toMatchObject({ rto: 400, retransmitted: 4 });
    t.clock.advance(30);
    // Message 0 was resent: its ack is ambiguous, so the RTO is not re-estimated, only un-backed-off.
    t.deliver(t.ackFor(t.streams()[0]!));
    expect(t.channel.stats).toMatchObject({ rto: 200, acked: 1, fastRetransmitted: 0 });
    // Nor is it evidence for fast retransmit, although 4 and 5 were sent long before the resend.
    expect(t.streams()).toHaveLength(10);
    // Message 4 was never resent: a valid sample of 230 ms.
    t.deliver(t.ackFor(t.streams()[4]!));
    // RTTVAR = 0.25*|100-230| = 32.5; RTT = 87.5 + 28.75 = 116.25; RTO = 116.25 + 130
    expect(t.channel.stats.rto).toBe(246.25);
  });

  it('restarts the retransmission timer on each new ack', () => {
    const t = channelWithRawPeer({});
    t.channel.send(PayloadType.Output, indexPayload(0));
    t.channel.send(PayloadType.Output, indexPayload(1));
    t.queue.runAll();
    t.clock.advance(150);
    t.deliver(t.ackFor(t.streams()[0]!));
    // Sample 150: RTTVAR 12.5, RTT 106.25, RTO 156.25; message 1 is due 156.25 after the ack.
    expect(t.channel.stats.rto).toBe(156.25);
    t.clock.advance(155);
    t.queue.runAll();
    expect(t.streams()).toHaveLength(2);
    t.clock.advance(2);
    t.queue.runAll();
    expect(t.streams().map((m) => m.sequenceNumber)).toEqual([0, 1, 1]);
  });

  it('fast-retransmits a hole once after acks for three later messages', () => {
    const t = channelWithRawPeer({});
    for (let i = 0; i < 6; i++) t.channel.send(PayloadType.Output, indexPayload(i));
    t.queue.runAll();
    const sent = t.streams();
    t.clock.advance(10);
    t.deliver(t.ackFor(sent[1]!));
    t.deliver(t.ackFor(sent[2]!));
    expect(t.streams()).toHaveLength(6);
    t.deliver(t.ackFor(sent[3]!));
    expect(t.streams().map((m) => m.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 0]);
    t.deliver(t.ackFor(sent[4]!));
    t.deliver(t.ackFor(sent[5]!));
    expect(t.streams()).toHaveLength(7);
    expect(t.channel.stats).toMatchObject({ fastRetransmitted: 1, retransmitted: 1, timeouts: 0 });
    // Lost again: the timer (restarted by the last ack) recovers it.
    t.clock.advance(Math.ceil(t.channel.stats.rto));
    t.queue.runAll();
    expect(t.streams().map((m) => m.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 0, 0]);
    t.deliver(t.ackFor(sent[0]!));
    expect(t.channel.isDrained).toBe(true);
  });

  it('updates the RTO with the spec formula and clamps it to 1 s', () => {
    const t = channelWithRawPeer({});
    expect(t.channel.stats.rto).toBe(200);
    t.channel.send(PayloadType.Output, indexPayload(0));
    t.queue.runAll();
    t.deliver(t.ackFor(t.streams()[0]!)); // sample 0 ms
    // RTTVAR = 0.75*0 + 0.25*|100-0| = 25; RTT = 87.5; RTO = 87.5 + max(10, 100)
    expect(t.channel.stats.rto).toBe(187.5);
  });

  it('clamps the RTO to 1 s for a long sample', () => {
    const fake = new FakeClock();
    // Timers never fire, so the only send is the first and the sample is the whole wait.
    const frozenTimers = { now: () => fake.now(), setTimeout: () => ({ cancel: () => undefined }) };
    const queue = createTaskQueue();
    const [near, far] = createMemoryTransportPair({ schedule: queue.schedule });
    const channel = new ReliableChannel({
      role: 'client',
      clock: frozenTimers,
      newMessageId: idFactory(1),
      onMessage: () => 'ready',
    });
    const sent: ClientMessage[] = [];
    far.onBinary((f) => sent.push(decodeClientMessage(f)));
    channel.attach(near);
    channel.send(PayloadType.Output, indexPayload(0));
    queue.runAll();
    fake.advance(5000);
    far.sendBinary(
      encodeClientMessage(buildAckMessage(sent[0]!, { messageId: idFactory(2)(), createdDate: 1 })),
    );
    queue.runAll();
    // RTTVAR = 1225, RTT = 712.5, RTO = min(1000, 712.5 + 4900)
    expect(channel.stats).toMatchObject({ rto: 1000, acked: 1 });
  });

  it('queues while detached and on attach resends unacked then queued, in order', () => {
    const clock = new FakeClock();
    const queue = createTaskQueue();
    const channel = new ReliableChannel({
      role: 'client',
      clock,
      newMessageId: idFactory(1),
      onMessage: () => 'ready',
    });
    const [a1, b1] = createMemoryTransportPair({ schedule: queue.schedule });
    const seen1: number[] = [];
    b1.onBinary((f) => seen1.push(decodeClientMessage(f).sequenceNumber));
    channel.attach(a1);
    channel.send(PayloadType.Output, indexPayload(0));
    channel.send(PayloadType.Output, indexPayload(1));
    queue.runAll();
    a1.abort();
    queue.runAll();
    expect(channel.isAttached).toBe(false);
    channel.send(PayloadType.Output, indexPayload(2));
    channel.send(PayloadType.Output, indexPayload(3));
    clock.advance(5000);
    expect(seen1).toEqual([0, 1]);
    const [a2, b2] = createMemoryTransportPair({ schedule: queue.schedule });
    const seen2: number[] = [];
    b2.onBinary((f) => seen2.push(decodeClientMessage(f).sequenceNumber));
    channel.attach(a2);
    queue.runAll();
    expect(seen2).toEqual([0, 1, 2, 3]);
  });

  it('sends unsequenced messages only when attached and never retransmits them', () => {
    const t = channelWithRawPeer({ role: 'agent' });
    expect(
      t.channel.sendUnsequenced({
        messageType: MessageType.ChannelClosed,
        payload: new Uint8Array([1]),
      }),
    ).toBe(true);
    t.queue.runAll();
    t.clock.advance(5000);
    t.queue.runAll();
    expect(t.received.map((m) => [m.messageType, m.sequenceNumber, m.flags])).toEqual([
      ['channel_closed', 0, HeaderFlags.AckOrControl],
    ]);
    t.channel.detach();
    expect(t.channel.sendUnsequenced({ messageType: MessageType.ChannelClosed })).toBe(false);
  });

  it('dispose cancels timers and ignores later traffic', () => {
    const t = channelWithRawPeer({});
    t.channel.send(PayloadType.Output, indexPayload(0));
    t.deliver(t.streamFrame(1));
    expect(t.clock.pendingTimers).toBeGreaterThan(0);
    t.channel.dispose();
    expect(t.clock.pendingTimers).toBe(0);
    t.channel.send(PayloadType.Output, indexPayload(1));
    t.deliver(t.streamFrame(0));
    expect(t.delivered).toEqual([]);
    expect(t.channel.isAttached).toBe(false);
  });
});
