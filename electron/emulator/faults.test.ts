// Unit tests for the sandbox's fault injector: seeded and repeatable, each fault on the chosen direction only, cut after N frames.

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/testing/fake-clock';
import type { AgentSocket, SocketCloseInfo } from './agent/agent-socket';
import { withSandboxFaults, type SandboxFaults } from './faults';

class Wire implements AgentSocket {
  readonly written: number[] = [];
  aborted = false;
  bufferedAmount = 0;
  private open = true;
  private readonly binary = new Set<(frame: Uint8Array) => void>();
  private readonly closes = new Set<(info: SocketCloseInfo) => void>();

  get isOpen(): boolean {
    return this.open;
  }

  sendBinary(frame: Uint8Array): void {
    if (!this.open) throw new Error('closed');
    this.written.push(frame[0] ?? -1);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const handler of [...this.closes]) handler({ code: 1006, reason: '' });
  }

  abort(): void {
    this.aborted = true;
    this.close();
  }

  onBinary(handler: (frame: Uint8Array) => void): () => void {
    this.binary.add(handler);
    return () => this.binary.delete(handler);
  }

  onClose(handler: (info: SocketCloseInfo) => void): () => void {
    this.closes.add(handler);
    return () => this.closes.delete(handler);
  }

  receive(value: number): void {
    for (const handler of [...this.binary]) handler(Uint8Array.of(value));
  }
}

function run(
  faults: SandboxFaults,
  count = 200,
): { sent: number[]; received: number[]; wire: Wire; clock: FakeClock } {
  const clock = new FakeClock();
  const wire = new Wire();
  const faulty = withSandboxFaults(wire, faults, clock);
  const received: number[] = [];
  faulty.onBinary((frame) => received.push(frame[0] ?? -1));
  for (let i = 0; i < count && faulty.isOpen; i++) {
    faulty.sendBinary(Uint8Array.of(i % 256));
    wire.receive(i % 256);
  }
  clock.advance(1_000);
  return { sent: wire.written, received, wire, clock };
}

const sequence = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

describe('sandbox faults', () => {
  it('passes everything untouched without faults', () => {
    const { sent, received } = run({});
    expect(sent).toEqual(sequence(200));
    expect(received).toEqual(sequence(200));
  });

  it("drops, duplicates and reorders the agent's frames only, the same way for the same seed", () => {
    const faults: SandboxFaults = { drop: 0.1, duplicate: 0.1, reorder: 0.1, seed: 42 };
    const first = run(faults);
    const again = run(faults);
    expect(first.sent).toEqual(again.sent);
    expect(first.received).toEqual(sequence(200));
    const unique = new Set(first.sent);
    expect(unique.size).toBeLessThan(200); // some dropped
    expect(first.sent.length).toBeGreaterThan(unique.size); // some twice
    expect(first.sent).not.toEqual([...first.sent].sort((a, b) => a - b)); // some out of order
    expect(run({ ...faults, seed: 43 }).sent).not.toEqual(first.sent);
  });

  it("applies to the client's frames with direction 'receive'", () => {
    const { sent, received } = run({ drop: 0.2, seed: 5, direction: 'receive' });
    expect(sent).toEqual(sequence(200));
    expect(received.length).toBeLessThan(200);
  });

  it('delays frames on the clock', () => {
    const clock = new FakeClock();
    const wire = new Wire();
    const faulty = withSandboxFaults(wire, { delayMs: 50 }, clock);
    faulty.sendBinary(Uint8Array.of(1));
    expect(wire.written).toEqual([]);
    clock.advance(50);
    expect(wire.written).toEqual([1]);
  });

  it('cuts the connection without a close frame after N frames in either direction', () => {
    const { sent, received, wire } = run({ cutAfter: 7 });
    expect(wire.aborted).toBe(true);
    expect(sent.length + received.length).toBe(7);
  });
});
