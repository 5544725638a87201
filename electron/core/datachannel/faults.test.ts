// Tests for the fault-injecting transport wrapper and the --faults spec parser.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { createPrng, parseFaultSpec, withFaults, type FaultOptions } from './faults';
import { createMemoryTransportPair, createTaskQueue } from './transport-memory';

function setup(options: FaultOptions) {
  const clock = new FakeClock();
  const queue = createTaskQueue();
  const [a, b] = createMemoryTransportPair({ schedule: queue.schedule });
  const faulty = withFaults(a, { clock, ...options });
  const atPeer: number[] = [];
  const atFaulty: number[] = [];
  b.onBinary((frame) => atPeer.push(frame[0]!));
  faulty.onBinary((frame) => atFaulty.push(frame[0]!));
  const settle = (): void => {
    for (let i = 0; i < 50; i++) {
      queue.runAll();
      clock.advance(10);
    }
    queue.runAll();
  };
  return { clock, queue, faulty, peer: b, atPeer, atFaulty, settle };
}

const frames = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => Uint8Array.of(i));

describe('withFaults', () => {
  it('passes everything through untouched with no faults', () => {
    const t = setup({});
    for (const f of frames(50)) t.faulty.sendBinary(f);
    t.faulty.sendText('text');
    t.settle();
    expect(t.atPeer).toEqual(frames(50).map((f) => f[0]));
    expect(t.faulty.stats).toMatchObject({ passed: 50, dropped: 0, duplicated: 0, reordered: 0 });
  });

  it('drops, duplicates and reorders deterministically for a given seed', () => {
    const run = (seed: number): number[] => {
      const t = setup({ drop: 0.1, duplicate: 0.1, reorder: 0.1, seed });
      for (const f of frames(200)) t.faulty.sendBinary(f);
      t.settle();
      expect(t.faulty.stats.dropped).toBeGreaterThan(0);
      expect(t.faulty.stats.duplicated).toBeGreaterThan(0);
      expect(t.faulty.stats.reordered).toBeGreaterThan(0);
      return t.atPeer;
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    const sorted = [...first].sort((x, y) => x - y);
    expect(first).not.toEqual(sorted);
  });

  it('applies faults to received frames too, and only in the chosen direction', () => {
    const t = setup({ drop: 1, direction: 'receive' });
    t.faulty.sendBinary(Uint8Array.of(1));
    t.peer.sendBinary(Uint8Array.of(2));
    t.settle();
    expect(t.atPeer).toEqual([1]);
    expect(t.atFaulty).toEqual([]);
  });

  it('delays frames on the clock and keeps order for a fixed delay', () => {
    const t = setup({ delayMs: 30 });
    for (const f of frames(5)) t.faulty.sendBinary(f);
    t.queue.runAll();
    t.clock.advance(29);
    t.queue.runAll();
    expect(t.atPeer).toEqual([]);
    t.clock.advance(1);
    t.queue.runAll();
    expect(t.atPeer).toEqual([0, 1, 2, 3, 4]);
  });

  it('releases a held-back frame after the reorder window when nothing follows', () => {
    const t = setup({ reorder: 1, reorderWindowMs: 15 });
    t.faulty.sendBinary(Uint8Array.of(1));
    t.queue.runAll();
    expect(t.atPeer).toEqual([]);
    t.clock.advance(15);
    t.queue.runAll();
    expect(t.atPeer).toEqual([1]);
  });

  it('cuts the connection without a close frame after N frames', () => {
    const t = setup({ cutAfter: 3 });
    const codes: number[] = [];
    t.faulty.onClose((info) => codes.push(info.code));
    t.peer.onClose((info) => codes.push(info.code));
    t.faulty.sendBinary(Uint8Array.of(0));
    t.peer.sendBinary(Uint8Array.of(1));
    t.queue.runAll();
    t.faulty.sendBinary(Uint8Array.of(2));
    expect(t.faulty.isOpen).toBe(false);
    expect(t.faulty.stats.cut).toBe(true);
    expect(() => t.faulty.sendBinary(Uint8Array.of(3))).toThrow();
    t.settle();
    expect(codes).toEqual([1006, 1006]);
    expect(t.atPeer).toEqual([0]);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('rejects out-of-range options', () => {
    const [a] = createMemoryTransportPair();
    expect(() => withFaults(a, { drop: 2 })).toThrow(RangeError);
    expect(() => withFaults(a, { delayMs: [5, 1] })).toThrow(RangeError);
    expect(() => withFaults(a, { cutAfter: 0 })).toThrow(RangeError);
  });
});

describe('parseFaultSpec', () => {
  it('parses the compact form', () => {
    expect(
      parseFaultSpec('drop=0.05, dup=0.02,reorder=0.1,delay=5-20,cut=500,seed=7,dir=send'),
    ).toEqual({
      drop: 0.05,
      duplicate: 0.02,
      reorder: 0.1,
      delayMs: [5, 20],
      cutAfter: 500,
      seed: 7,
      direction: 'send',
    });
    expect(parseFaultSpec('delay=3')).toEqual({ delayMs: 3 });
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => parseFaultSpec('explode=1')).toThrow(/unknown fault spec key/);
    expect(() => parseFaultSpec('drop=lots')).toThrow(RangeError);
    expect(() => parseFaultSpec('drop=1.5')).toThrow(RangeError);
    expect(() => parseFaultSpec('cut=0.5')).toThrow(RangeError);
  });
});

describe('createPrng', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
