// Tests for the agent's output pump: 1 KiB messages, 1 ms pacing, windowed mode, UTF-8 cuts and backpressure.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/testing/fake-clock';
import { PayloadType } from '../../core/datachannel/codec/types';
import { OutputPump, resolvePacing, utf8SafeLength, type OutputSink } from './output-pump';

class FakeSink implements OutputSink {
  readonly sent: { payloadType: number; payload: Uint8Array }[] = [];
  writable = true;
  private readonly listeners = new Set<() => void>();

  send(payloadType: number, payload: Uint8Array): void {
    this.sent.push({ payloadType, payload });
  }

  onWritable(callback: () => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  setWritable(writable: boolean): void {
    this.writable = writable;
    if (writable) for (const listener of [...this.listeners]) listener();
  }
}

const bytes = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);

describe('output pump', () => {
  it('paced: one message of at most 1024 bytes per millisecond', () => {
    const clock = new FakeClock();
    const sink = new FakeSink();
    const pump = new OutputPump({ sink, clock, pacing: resolvePacing(true) });
    pump.write(PayloadType.Output, bytes(3000));
    expect(sink.sent.map((m) => m.payload.length)).toEqual([1024]);
    clock.advance(1);
    expect(sink.sent.map((m) => m.payload.length)).toEqual([1024, 1024]);
    clock.advance(1);
    expect(sink.sent.map((m) => m.payload.length)).toEqual([1024, 1024, 952]);
    expect(pump.isEmpty).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('unpaced: sends everything while the sink is writable, then waits for it', () => {
    const clock = new FakeClock();
    const sink = new FakeSink();
    const pump = new OutputPump({
      sink,
      clock,
      pacing: resolvePacing({ enabled: false, chunkSize: 100 }),
    });
    pump.write(PayloadType.Output, bytes(250));
    expect(sink.sent.map((m) => m.payload.length)).toEqual([100, 100, 50]);
    sink.setWritable(false);
    pump.write(PayloadType.Output, bytes(120));
    expect(sink.sent.length).toBe(3);
    sink.setWritable(true);
    expect(sink.sent.map((m) => m.payload.length)).toEqual([100, 100, 50, 100, 20]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('merges small writes of one type and keeps flags and exit codes as their own messages', () => {
    const sink = new FakeSink();
    const pump = new OutputPump({
      sink,
      clock: new FakeClock(),
      pacing: resolvePacing(false),
    });
    sink.setWritable(false);
    pump.write(PayloadType.Output, bytes(10));
    pump.write(PayloadType.Output, bytes(10));
    pump.write(PayloadType.StdErr, bytes(5));
    pump.write(PayloadType.Flag, Uint8Array.of(0, 0, 0, 3));
    pump.write(PayloadType.Output, bytes(7));
    sink.setWritable(true);
    expect(sink.sent.map((m) => [m.payloadType, m.payload.length])).toEqual([
      [PayloadType.Output, 20],
      [PayloadType.StdErr, 5],
      [PayloadType.Flag, 4],
      [PayloadType.Output, 7],
    ]);
  });

  it('never cuts terminal text inside a UTF-8 sequence', () => {
    const sink = new FakeSink();
    const pump = new OutputPump({
      sink,
      clock: new FakeClock(),
      pacing: resolvePacing({ enabled: false, chunkSize: 10 }),
    });
    const text = 'aaaaaaaa€€€ok'; // 8 ASCII bytes, then 3-byte characters
    pump.write(PayloadType.Output, Buffer.from(text), { utf8: true });
    const parts = sink.sent.map((m) => Buffer.from(m.payload).toString('utf8'));
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => !p.includes('\ufffd'))).toBe(true);
    expect(utf8SafeLength(Buffer.from('ab€').subarray(0, 4))).toBe(2);
    expect(utf8SafeLength(Buffer.from('ab€'))).toBe(5);
  });

  it('reports congestion above the high-water mark and drains below half of it', () => {
    const sink = new FakeSink();
    const pump = new OutputPump({
      sink,
      clock: new FakeClock(),
      pacing: resolvePacing(false),
      highWaterBytes: 2048,
    });
    let drained = 0;
    pump.onDrain(() => drained++);
    sink.setWritable(false);
    expect(pump.write(PayloadType.Output, bytes(1500))).toBe(true);
    expect(pump.write(PayloadType.Output, bytes(1500))).toBe(false);
    expect(pump.accepting).toBe(false);
    sink.setWritable(true);
    expect(drained).toBe(1);
    expect(pump.accepting).toBe(true);
  });

  it('holds everything while paused', () => {
    const sink = new FakeSink();
    const pump = new OutputPump({ sink, clock: new FakeClock(), pacing: resolvePacing(false) });
    pump.setPaused(true);
    expect(pump.write(PayloadType.Output, bytes(10))).toBe(false);
    expect(sink.sent.length).toBe(0);
    pump.setPaused(false);
    expect(sink.sent.length).toBe(1);
  });

  it('rejects bad pacing options', () => {
    expect(() => resolvePacing({ chunkSize: 0 })).toThrow(RangeError);
    expect(() => resolvePacing({ delayMs: -1 })).toThrow(RangeError);
    expect(resolvePacing(undefined)).toEqual({ enabled: true, chunkSize: 1024, delayMs: 1 });
  });
});
