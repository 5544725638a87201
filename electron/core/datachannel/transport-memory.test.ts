// Tests for the in-memory transport pair and its manual task queue.

import { describe, expect, it } from 'vitest';
import { TransportClosedError, type TransportCloseInfo } from './transport';
import { createMemoryTransportPair, createTaskQueue } from './transport-memory';

describe('createMemoryTransportPair', () => {
  it('delivers binary and text frames in order, copying the sender buffer', () => {
    const queue = createTaskQueue();
    const [a, b] = createMemoryTransportPair({ schedule: queue.schedule });
    const seen: unknown[] = [];
    b.onBinary((frame) => seen.push(Array.from(frame)));
    b.onText((text) => seen.push(text));
    const buffer = Uint8Array.from([1, 2]);
    a.sendText('hello');
    a.sendBinary(buffer);
    buffer[0] = 9;
    expect(a.bufferedAmount).toBe(7);
    expect(seen).toEqual([]);
    expect(queue.runAll()).toBe(2);
    expect(seen).toEqual(['hello', [1, 2]]);
    expect(a.bufferedAmount).toBe(0);
  });

  it('closes gracefully behind data already sent, on both sides, once', () => {
    const queue = createTaskQueue();
    const [a, b] = createMemoryTransportPair({ schedule: queue.schedule });
    const events: string[] = [];
    b.onBinary(() => events.push('data'));
    a.onClose((info) => events.push(`a:${info.code}:${info.reason}`));
    b.onClose((info) => events.push(`b:${info.code}:${info.reason}`));
    a.sendBinary(new Uint8Array([1]));
    a.close(1000, 'Bye');
    a.close();
    expect(a.isOpen).toBe(false);
    expect(() => a.sendBinary(new Uint8Array([2]))).toThrow(TransportClosedError);
    queue.runAll();
    expect(events).toEqual(['data', 'b:1000:Bye', 'a:1000:Bye']);
    expect(b.isOpen).toBe(false);
    expect(() => b.sendText('x')).toThrow(TransportClosedError);
  });

  it('abort loses frames in flight and reports 1006 to both sides', () => {
    const queue = createTaskQueue();
    const [a, b] = createMemoryTransportPair({ schedule: queue.schedule });
    const got: number[] = [];
    const closes: TransportCloseInfo[] = [];
    b.onBinary((frame) => got.push(frame[0]!));
    a.onClose((info) => closes.push(info));
    b.onClose((info) => closes.push(info));
    a.sendBinary(new Uint8Array([1]));
    a.abort();
    expect(a.isOpen).toBe(false);
    queue.runAll();
    expect(got).toEqual([]);
    expect(closes.map((c) => c.code)).toEqual([1006, 1006]);
  });

  it('calls a late onClose handler on a microtask and isolates throwing handlers', async () => {
    const [a, b] = createMemoryTransportPair();
    b.onBinary(() => {
      throw new Error('handler bug');
    });
    const got: number[] = [];
    b.onBinary((frame) => got.push(frame.length));
    a.sendBinary(new Uint8Array(3));
    await Promise.resolve();
    expect(got).toEqual([3]);
    a.abort();
    const late = await new Promise<TransportCloseInfo>((resolve) => a.onClose(resolve));
    expect(late.code).toBe(1006);
  });

  it('task queue runs tasks enqueued by tasks and refuses to spin for ever', () => {
    const queue = createTaskQueue();
    const order: number[] = [];
    queue.schedule(() => {
      order.push(1);
      queue.schedule(() => order.push(3));
    });
    queue.schedule(() => order.push(2));
    expect(queue.runAll()).toBe(3);
    expect(order).toEqual([1, 2, 3]);
    const forever = (): void => queue.schedule(forever);
    forever();
    expect(() => queue.runAll(1000)).toThrow(/did not drain/);
  });
});
