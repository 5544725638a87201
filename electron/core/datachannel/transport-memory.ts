// In-memory Transport pair for tests and in-process wiring: ordered delivery through a pluggable scheduler.

import { silentLogger, type Logger } from '../base/logger';
import { CloseCode, TransportBase, TransportClosedError } from './transport';

export type Scheduler = (task: () => void) => void;

/** A manual scheduler: tasks run only when the test calls runAll(), so delivery is deterministic. */
export interface TaskQueue {
  schedule: Scheduler;
  /** Runs queued tasks, including ones they enqueue, until the queue is empty. Returns how many ran. */
  runAll(limit?: number): number;
  readonly size: number;
}

export function createTaskQueue(): TaskQueue {
  const tasks: (() => void)[] = [];
  let head = 0;
  return {
    schedule: (task) => {
      tasks.push(task);
    },
    runAll(limit = 10_000_000) {
      let ran = 0;
      while (head < tasks.length) {
        if (ran >= limit) throw new Error(`task queue did not drain after ${limit} tasks`);
        const task = tasks[head++];
        ran++;
        task?.();
        if (head > 4096 && head * 2 > tasks.length) {
          tasks.splice(0, head);
          head = 0;
        }
      }
      tasks.length = 0;
      head = 0;
      return ran;
    },
    get size() {
      return tasks.length - head;
    },
  };
}

export interface MemoryTransportOptions {
  /** How deliveries are deferred; default queueMicrotask. Pass createTaskQueue().schedule for manual control. */
  schedule?: Scheduler;
  logger?: Logger;
}

type Frame = { kind: 'binary'; data: Uint8Array } | { kind: 'text'; data: string };

export class MemoryTransport extends TransportBase {
  peer!: MemoryTransport;
  private inFlightBytes = 0;
  /** Bumped by abort() so deliveries already scheduled are lost, as on a reset connection. */
  private epoch = 0;
  private closing = false;
  /** Set by stall(): frames and pings vanish in both directions and nobody is told. */
  private stalled = false;

  constructor(
    private readonly schedule: Scheduler,
    logger: Logger,
  ) {
    super(logger);
  }

  override get isOpen(): boolean {
    return super.isOpen && !this.closing;
  }

  get bufferedAmount(): number {
    return this.inFlightBytes;
  }

  sendBinary(frame: Uint8Array): void {
    this.assertSendable();
    // Copy: the caller may reuse its buffer, and a real socket would have serialized it by now.
    this.transmit({ kind: 'binary', data: frame.slice() }, frame.length);
  }

  sendText(text: string): void {
    this.assertSendable();
    this.transmit({ kind: 'text', data: text }, Buffer.byteLength(text));
  }

  /** Answers like a WebSocket peer does (pong) unless the path is stalled or gone. */
  ping(): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    const epoch = this.epoch;
    return new Promise((resolve) => {
      const answer = (): void => {
        if (this.stalled || epoch !== this.epoch || !this.peer.isOpen) return;
        resolve(true);
      };
      if (this.stalled) return;
      this.schedule(() => this.schedule(answer));
    });
  }

  /**
   * A silently dead path (laptop sleep, a vanished NAT entry): from now on nothing sent either way
   * arrives and no pong comes back, while both ends still think the socket is open.
   */
  stall(): void {
    this.stalled = true;
    this.peer.stalled = true;
  }

  close(code: number = CloseCode.Normal, reason = ''): void {
    if (!this.isOpen) return;
    this.closing = true;
    const epoch = this.epoch;
    // The close frame travels behind the data already sent, like a WebSocket close handshake.
    this.schedule(() => {
      if (epoch !== this.epoch) return;
      this.peer.emitClose({ code, reason });
      this.emitClose({ code, reason });
    });
  }

  abort(): void {
    if (!super.isOpen) return;
    this.epoch++;
    this.peer.epoch++;
    this.inFlightBytes = 0;
    this.peer.inFlightBytes = 0;
    const info = { code: CloseCode.Abnormal, reason: '' };
    this.emitClose(info);
    const peer = this.peer;
    this.schedule(() => peer.emitClose(info));
  }

  private assertSendable(): void {
    this.assertOpen();
    if (this.closing) throw new TransportClosedError('transport is closing');
  }

  private transmit(frame: Frame, bytes: number): void {
    if (this.stalled) return;
    this.inFlightBytes += bytes;
    const epoch = this.epoch;
    this.schedule(() => {
      if (epoch !== this.epoch || this.stalled) return;
      this.inFlightBytes -= bytes;
      if (frame.kind === 'binary') this.peer.emitBinary(frame.data);
      else this.peer.emitText(frame.data);
    });
  }
}

/** Two connected transports: what one sends, the other receives, in order. */
export function createMemoryTransportPair(
  options: MemoryTransportOptions = {},
): [MemoryTransport, MemoryTransport] {
  const schedule = options.schedule ?? queueMicrotask;
  const logger = options.logger ?? silentLogger;
  const a = new MemoryTransport(schedule, logger);
  const b = new MemoryTransport(schedule, logger);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
