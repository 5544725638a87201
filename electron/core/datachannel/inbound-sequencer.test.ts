// InboundSequencer unit tests: in-order delivery, re-acked duplicates, held messages, refusals.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { silentLogger } from '../base/logger';
import { MessageType, type ClientMessage } from './codec/types';
import { InboundSequencer, type DeliveryResult } from './inbound-sequencer';
import type { OutOfOrderLimits } from './out-of-order-buffer';

function message(sequenceNumber: number): ClientMessage {
  return {
    messageType: MessageType.OutputStreamData,
    schemaVersion: 1,
    createdDate: 1,
    sequenceNumber,
    flags: 0,
    messageId: '00000000-0000-4000-8000-000000000000',
    payloadType: 1,
    payload: new Uint8Array([sequenceNumber]),
  };
}

function setup(limits: OutOfOrderLimits = {}) {
  const clock = new FakeClock(0);
  const delivered: number[] = [];
  const acked: number[] = [];
  let accepting: DeliveryResult = 'ready';
  const refused = new Set<number>();
  const sequencer = new InboundSequencer({
    clock,
    logger: silentLogger,
    limits,
    deliver: (msg) => {
      if (accepting === 'not-ready' || refused.has(msg.sequenceNumber)) return 'not-ready';
      delivered.push(msg.sequenceNumber);
      return 'ready';
    },
    ack: (msg) => acked.push(msg.sequenceNumber),
    retryDelayMs: () => 200,
  });
  return {
    clock,
    sequencer,
    delivered,
    acked,
    accept: (result: DeliveryResult) => (accepting = result),
    refused,
  };
}

describe('InboundSequencer', () => {
  it('delivers and acks in order, and re-acks a duplicate without delivering it again', () => {
    const t = setup();
    t.sequencer.receive(message(0));
    t.sequencer.receive(message(1));
    t.sequencer.receive(message(0));
    expect(t.delivered).toEqual([0, 1]);
    expect(t.acked).toEqual([0, 1, 0]);
    expect(t.sequencer.counts).toMatchObject({ received: 2, duplicates: 1 });
    expect(t.sequencer.expectedSequence).toBe(2);
  });

  it('holds (and acks) messages ahead of the gap and delivers them once it is filled', () => {
    const t = setup();
    t.sequencer.receive(message(2));
    t.sequencer.receive(message(1));
    t.sequencer.receive(message(2));
    expect(t.delivered).toEqual([]);
    expect(t.acked).toEqual([2, 1, 2]);
    expect(t.sequencer.heldBytes).toBeGreaterThan(0);
    t.sequencer.receive(message(0));
    expect(t.delivered).toEqual([0, 1, 2]);
    expect(t.sequencer.heldBytes).toBe(0);
    expect(t.sequencer.counts).toMatchObject({ outOfOrder: 3, received: 3 });
  });

  it('drops a message the full buffer cannot hold, without an ack', () => {
    const t = setup({ maxMessages: 1 });
    t.sequencer.receive(message(1));
    t.sequencer.receive(message(2));
    expect(t.acked).toEqual([1]);
    expect(t.sequencer.counts.outOfOrderDropped).toBe(1);
  });

  it('leaves a refused in-order message unacked, so the peer resends it', () => {
    const t = setup();
    t.accept('not-ready');
    t.sequencer.receive(message(0));
    expect({ acked: t.acked, expected: t.sequencer.expectedSequence }).toEqual({
      acked: [],
      expected: 0,
    });
    t.accept('ready');
    t.sequencer.receive(message(0));
    expect(t.delivered).toEqual([0]);
    expect(t.acked).toEqual([0]);
  });

  it('retries a refused held message itself after the delay, since it was acked already', () => {
    const t = setup();
    t.sequencer.receive(message(1));
    t.refused.add(1);
    t.sequencer.receive(message(0));
    expect(t.delivered).toEqual([0]);
    t.clock.advance(200);
    expect(t.delivered).toEqual([0]);
    t.refused.delete(1);
    t.clock.advance(200);
    expect(t.delivered).toEqual([0, 1]);
    expect(t.acked).toEqual([1, 0]);
  });

  it('counts a throwing consumer as having taken the message', () => {
    const clock = new FakeClock(0);
    const acked: number[] = [];
    const sequencer = new InboundSequencer({
      clock,
      logger: silentLogger,
      deliver: () => {
        throw new Error('consumer broke');
      },
      ack: (msg) => acked.push(msg.sequenceNumber),
      retryDelayMs: () => 200,
    });
    sequencer.receive(message(0));
    expect({ acked, expected: sequencer.expectedSequence }).toEqual({ acked: [0], expected: 1 });
  });

  it('stopped during a delivery, advances no further and drops what it holds', () => {
    const clock = new FakeClock(0);
    const delivered: number[] = [];
    const sequencer: InboundSequencer = new InboundSequencer({
      clock,
      logger: silentLogger,
      deliver: (msg) => {
        delivered.push(msg.sequenceNumber);
        sequencer.stop();
        return 'ready';
      },
      ack: () => undefined,
      retryDelayMs: () => 200,
    });
    sequencer.receive(message(1));
    sequencer.receive(message(0));
    expect(delivered).toEqual([0]);
    expect({ expected: sequencer.expectedSequence, held: sequencer.heldBytes }).toEqual({
      expected: 0,
      held: 0,
    });
  });
});
