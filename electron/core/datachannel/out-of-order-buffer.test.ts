// OutOfOrderBuffer unit tests: holding, byte accounting, both limits, private payload copies.

import { describe, expect, it } from 'vitest';
import { MIN_FRAME_LENGTH } from './codec/frame';
import { MessageType, type ClientMessage } from './codec/types';
import { OutOfOrderBuffer } from './out-of-order-buffer';

function message(sequenceNumber: number, payload: Uint8Array = new Uint8Array(10)): ClientMessage {
  return {
    messageType: MessageType.OutputStreamData,
    schemaVersion: 1,
    createdDate: 1,
    sequenceNumber,
    flags: 0,
    messageId: '00000000-0000-4000-8000-000000000000',
    payloadType: 1,
    payload,
  };
}

describe('OutOfOrderBuffer', () => {
  it('holds messages by sequence and counts a header per message against the bytes', () => {
    const buffer = new OutOfOrderBuffer();
    expect(buffer.hold(message(3))).toBe(true);
    expect(buffer.hold(message(5, new Uint8Array(30)))).toBe(true);
    expect(buffer.has(3)).toBe(true);
    expect(buffer.get(5)?.payload.length).toBe(30);
    expect(buffer.size).toBe(2);
    expect(buffer.bytes).toBe(2 * MIN_FRAME_LENGTH + 40);
    buffer.forget(3);
    buffer.forget(4);
    expect(buffer.has(3)).toBe(false);
    expect(buffer.bytes).toBe(MIN_FRAME_LENGTH + 30);
    buffer.clear();
    expect({ size: buffer.size, bytes: buffer.bytes }).toEqual({ size: 0, bytes: 0 });
  });

  it('refuses a message beyond the count limit', () => {
    const buffer = new OutOfOrderBuffer({ maxMessages: 2 });
    expect([1, 2, 3].map((seq) => buffer.hold(message(seq)))).toEqual([true, true, false]);
    expect(buffer.has(3)).toBe(false);
  });

  it('refuses a message that would exceed the byte limit, and takes it once room is made', () => {
    const buffer = new OutOfOrderBuffer({ maxBytes: 2 * (MIN_FRAME_LENGTH + 10) });
    expect(buffer.hold(message(1))).toBe(true);
    expect(buffer.hold(message(2, new Uint8Array(11)))).toBe(false);
    expect(buffer.hold(message(2))).toBe(true);
    expect(buffer.hold(message(3))).toBe(false);
    buffer.forget(1);
    expect(buffer.hold(message(3))).toBe(true);
  });

  it('keeps its own copy of the payload, not a view into the socket buffer', () => {
    const socketBuffer = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const buffer = new OutOfOrderBuffer();
    buffer.hold(message(1, socketBuffer.subarray(2, 4)));
    socketBuffer.fill(0);
    const held = buffer.get(1);
    expect(held && [...held.payload]).toEqual([3, 4]);
    expect(held?.payload.buffer.byteLength).toBe(2);
  });
});
