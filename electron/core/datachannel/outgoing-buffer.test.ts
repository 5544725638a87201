// OutgoingBuffer unit tests: window admission, room for producers, acks, send order and resends.

import { describe, expect, it } from 'vitest';
import { OutgoingBuffer, type OutgoingEntry } from './outgoing-buffer';

const frame = (bytes: number): Uint8Array => new Uint8Array(bytes);

function admitAll(buffer: OutgoingBuffer, now = 0): OutgoingEntry[] {
  const admitted: OutgoingEntry[] = [];
  for (let entry = buffer.admitNext(); entry; entry = buffer.admitNext()) {
    buffer.markSent(entry, now);
    admitted.push(entry);
  }
  return admitted;
}

describe('OutgoingBuffer', () => {
  it('admits queued entries in sequence order up to the window', () => {
    const buffer = new OutgoingBuffer({ maxInFlight: 2 });
    for (let seq = 0; seq < 5; seq++) buffer.enqueue(seq, frame(10));
    expect(admitAll(buffer).map((e) => e.seq)).toEqual([0, 1]);
    expect({ inFlight: buffer.inFlightCount, queued: buffer.queuedCount }).toEqual({
      inFlight: 2,
      queued: 3,
    });
    expect(buffer.acknowledge(0)?.seq).toBe(0);
    expect(admitAll(buffer).map((e) => e.seq)).toEqual([2]);
  });

  it('has room below the queue watermark and the byte limit only', () => {
    const byCount = new OutgoingBuffer({ maxInFlight: 1, queueHighWatermark: 2 });
    byCount.enqueue(0, frame(1));
    admitAll(byCount);
    byCount.enqueue(1, frame(1));
    expect(byCount.hasRoom).toBe(true);
    byCount.enqueue(2, frame(1));
    expect(byCount.hasRoom).toBe(false);

    const byBytes = new OutgoingBuffer({ maxBytes: 100 });
    byBytes.enqueue(0, frame(60));
    expect(byBytes.hasRoom).toBe(true);
    byBytes.enqueue(1, frame(40));
    expect(byBytes.bytes).toBe(100);
    expect(byBytes.hasRoom).toBe(false);
    admitAll(byBytes);
    byBytes.acknowledge(1);
    expect({ bytes: byBytes.bytes, hasRoom: byBytes.hasRoom }).toEqual({
      bytes: 60,
      hasRoom: true,
    });
  });

  it('is empty only when everything sent was acknowledged and nothing waits', () => {
    const buffer = new OutgoingBuffer();
    expect(buffer.isEmpty).toBe(true);
    buffer.enqueue(0, frame(1));
    expect(buffer.isEmpty).toBe(false);
    admitAll(buffer);
    expect(buffer.isEmpty).toBe(false);
    expect(buffer.acknowledge(0)).toBeDefined();
    expect(buffer.acknowledge(0)).toBeUndefined();
    expect(buffer.isEmpty).toBe(true);
  });

  it('numbers sends and moves a resent entry to the end of the send order', () => {
    const buffer = new OutgoingBuffer();
    for (let seq = 0; seq < 3; seq++) buffer.enqueue(seq, frame(1));
    const [first] = admitAll(buffer, 5);
    expect(buffer.oldest?.seq).toBe(0);
    if (!first) throw new Error('nothing admitted');
    buffer.markResent(first);
    buffer.markSent(first, 9);
    expect(first).toMatchObject({ retransmitted: true, lastSentAt: 9, sendIndex: 3 });
    expect(buffer.oldest?.seq).toBe(1);
    expect(buffer.oldestWhile(() => true).map((e) => e.seq)).toEqual([1, 2, 0]);
  });

  it('finds the oldest sends that pass a test, stopping at the first that fails or at the limit', () => {
    const buffer = new OutgoingBuffer();
    for (let seq = 0; seq < 6; seq++) buffer.enqueue(seq, frame(1));
    admitAll(buffer);
    expect(buffer.oldestWhile((e) => e.seq !== 3).map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(buffer.oldestWhile(() => true, 2).map((e) => e.seq)).toEqual([0, 1]);
  });

  it('hands unacked entries over in sequence order for a new connection', () => {
    const buffer = new OutgoingBuffer();
    for (let seq = 0; seq < 3; seq++) buffer.enqueue(seq, frame(1));
    const [first] = admitAll(buffer);
    if (!first) throw new Error('nothing admitted');
    buffer.markResent(first);
    const unacked = buffer.takeInFlight();
    expect(unacked.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(buffer.inFlightCount).toBe(0);
    for (const entry of unacked) buffer.returnToFlight(entry);
    expect(buffer.isInFlight(2)).toBe(true);
  });

  it('keeps every entry across queue compaction in a long burst', () => {
    const buffer = new OutgoingBuffer({ maxInFlight: 1, queueHighWatermark: 10_000 });
    for (let seq = 0; seq < 5000; seq++) buffer.enqueue(seq, frame(1));
    const order: number[] = [];
    for (let entry = buffer.admitNext(); entry; entry = buffer.admitNext()) {
      order.push(entry.seq);
      buffer.acknowledge(entry.seq);
    }
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(buffer.isEmpty).toBe(true);
  });

  it('forgets everything on clear', () => {
    const buffer = new OutgoingBuffer();
    buffer.enqueue(0, frame(5));
    buffer.enqueue(1, frame(5));
    admitAll(buffer);
    buffer.clear();
    expect({ empty: buffer.isEmpty, bytes: buffer.bytes, oldest: buffer.oldest }).toEqual({
      empty: true,
      bytes: 0,
      oldest: undefined,
    });
  });
});
