// Fault injection around any Transport: seeded drop, duplicate, reorder, delay and cut, for tests and the emulator's --faults.

import { systemClock, type Clock, type TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { CloseCode, TransportBase, TransportClosedError, type Transport } from './transport';
import { toErrorMessage } from '../base/errors';

export interface FaultOptions {
  /** Probability (0..1) that a binary frame is dropped. */
  drop?: number;
  /** Probability (0..1) that a binary frame is delivered twice. */
  duplicate?: number;
  /** Probability (0..1) that a binary frame is held back and delivered after the next one. */
  reorder?: number;
  /** Per-frame delay: a fixed number, or [min, max] drawn uniformly (which also reorders). */
  delayMs?: number | readonly [number, number];
  /** A held-back frame is released after this long if no later frame comes (default 20 ms). */
  reorderWindowMs?: number;
  /** Abort the transport (no close frame) once this many binary frames have passed. */
  cutAfter?: number;
  /** Which binary frames the faults apply to (default both). Text frames always pass untouched. */
  direction?: 'send' | 'receive' | 'both';
  /** PRNG seed; the same seed and traffic give the same faults. */
  seed?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface FaultStats {
  passed: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  delayed: number;
  cut: boolean;
}

export interface FaultyTransport extends Transport {
  readonly stats: Readonly<FaultStats>;
  readonly inner: Transport;
}

/** mulberry32: small, fast, deterministic; returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function checkProbability(name: string, value: number | undefined): number {
  const p = value ?? 0;
  if (!Number.isFinite(p) || p < 0 || p > 1) {
    throw new RangeError(`fault option ${name} must be a probability between 0 and 1`);
  }
  return p;
}

function checkDelay(delay: FaultOptions['delayMs']): readonly [number, number] | undefined {
  if (delay === undefined) return undefined;
  const range: readonly [number, number] = typeof delay === 'number' ? [delay, delay] : delay;
  const [min, max] = range;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min) {
    throw new RangeError(
      'fault option delayMs must be >= 0, or a [min, max] range with min <= max',
    );
  }
  return max === 0 ? undefined : range;
}

type Direction = 'send' | 'receive';

class FaultInjectingTransport extends TransportBase implements FaultyTransport {
  readonly stats: FaultStats = {
    passed: 0,
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    delayed: 0,
    cut: false,
  };
  private readonly random: () => number;
  private readonly clock: Clock;
  private readonly drop: number;
  private readonly duplicate: number;
  private readonly reorder: number;
  private readonly delay: readonly [number, number] | undefined;
  private readonly reorderWindowMs: number;
  private readonly cutAfter: number | undefined;
  private readonly directions: ReadonlySet<Direction>;
  private readonly timers = new Set<TimerHandle>();
  private readonly held = new Map<Direction, { frame: Uint8Array; timer: TimerHandle }>();
  private binaryFrames = 0;

  constructor(
    readonly inner: Transport,
    options: FaultOptions,
  ) {
    super(options.logger ?? silentLogger);
    validateFaultOptions(options);
    this.drop = options.drop ?? 0;
    this.duplicate = options.duplicate ?? 0;
    this.reorder = options.reorder ?? 0;
    this.delay = checkDelay(options.delayMs);
    this.reorderWindowMs = options.reorderWindowMs ?? 20;
    this.cutAfter = options.cutAfter;
    const direction = options.direction ?? 'both';
    this.directions = new Set<Direction>(direction === 'both' ? ['send', 'receive'] : [direction]);
    this.random = createPrng(options.seed ?? 1);
    this.clock = options.clock ?? systemClock;

    inner.onBinary((frame) => this.route('receive', frame));
    inner.onText((text) => this.emitText(text));
    inner.onClose((info) => {
      this.cancelTimers();
      this.emitClose(info);
    });
    if (!inner.isOpen)
      this.emitClose({ code: CloseCode.Abnormal, reason: 'inner transport closed' });
  }

  override get isOpen(): boolean {
    return super.isOpen && this.inner.isOpen;
  }

  get bufferedAmount(): number {
    return this.inner.bufferedAmount;
  }

  sendBinary(frame: Uint8Array): void {
    this.assertOpen();
    if (!this.inner.isOpen) throw new TransportClosedError();
    this.route('send', frame.slice());
  }

  sendText(text: string): void {
    this.assertOpen();
    this.inner.sendText(text);
  }

  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }

  /** Pings pass untouched: the faults model lost data frames, not a dead path. */
  ping(): Promise<boolean> {
    return this.inner.ping ? this.inner.ping() : Promise.resolve(this.isOpen);
  }

  abort(): void {
    if (this.inner.abort) this.inner.abort();
    else this.inner.close(4000, 'fault injection: cut');
  }

  private route(direction: Direction, frame: Uint8Array): void {
    if (!this.directions.has(direction)) {
      this.forward(direction, frame);
      this.countAndMaybeCut();
      return;
    }
    if (this.random() < this.drop) {
      this.stats.dropped++;
      this.countAndMaybeCut();
      return;
    }
    const copies = this.random() < this.duplicate ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) this.reorderOrDeliver(direction, frame);
    this.countAndMaybeCut();
  }

  private reorderOrDeliver(direction: Direction, frame: Uint8Array): void {
    const held = this.held.get(direction);
    if (!held && this.random() < this.reorder) {
      this.stats.reordered++;
      const timer = this.schedule(() => this.releaseHeld(direction), this.reorderWindowMs);
      this.held.set(direction, { frame, timer });
      return;
    }
    this.delayOrDeliver(direction, frame);
    if (held) {
      held.timer.cancel();
      this.timers.delete(held.timer);
      this.held.delete(direction);
      this.delayOrDeliver(direction, held.frame);
    }
  }

  private releaseHeld(direction: Direction): void {
    const held = this.held.get(direction);
    if (!held) return;
    this.held.delete(direction);
    this.delayOrDeliver(direction, held.frame);
  }

  private delayOrDeliver(direction: Direction, frame: Uint8Array): void {
    if (!this.delay) {
      this.forward(direction, frame);
      return;
    }
    const [min, max] = this.delay;
    const delayMs = min === max ? min : min + this.random() * (max - min);
    this.stats.delayed++;
    this.schedule(() => this.forward(direction, frame), delayMs);
  }

  private forward(direction: Direction, frame: Uint8Array): void {
    if (!super.isOpen) return;
    this.stats.passed++;
    if (direction === 'receive') {
      this.emitBinary(frame);
      return;
    }
    if (!this.inner.isOpen) return; // lost with the socket, as on a real connection
    try {
      this.inner.sendBinary(frame);
    } catch (error) {
      this.logger.log('debug', 'faulty transport: delayed send failed', {
        error: toErrorMessage(error),
      });
    }
  }

  private countAndMaybeCut(): void {
    this.binaryFrames++;
    if (this.cutAfter !== undefined && this.binaryFrames >= this.cutAfter && !this.stats.cut) {
      this.stats.cut = true;
      this.logger.log('info', 'fault injection: cutting the connection', {
        afterFrames: this.binaryFrames,
      });
      this.abort();
    }
  }

  private schedule(task: () => void, delayMs: number): TimerHandle {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, delayMs);
    this.timers.add(timer);
    return timer;
  }

  private cancelTimers(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.held.clear();
  }
}

/** Wraps `transport` so its binary frames suffer the given faults; see FaultOptions. */
export function withFaults(transport: Transport, options: FaultOptions): FaultyTransport {
  return new FaultInjectingTransport(transport, options);
}

/**
 * Parses a compact fault spec such as "drop=0.05,dup=0.02,reorder=0.05,delay=5-20,cut=500,seed=7"
 * (keys: drop, dup|duplicate, reorder, delay (ms or min-max), window, cut, seed, dir=send|receive|both).
 */
export function parseFaultSpec(spec: string): FaultOptions {
  const options: FaultOptions = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value = ''] = part.split('=', 2).map((s) => s.trim());
    const num = (): number => {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n))
        throw new RangeError(`fault spec ${key}: bad number "${value}"`);
      return n;
    };
    switch (key) {
      case 'drop':
        options.drop = num();
        break;
      case 'dup':
      case 'duplicate':
        options.duplicate = num();
        break;
      case 'reorder':
        options.reorder = num();
        break;
      case 'delay': {
        const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(value);
        options.delayMs = range ? [Number(range[1]), Number(range[2])] : num();
        break;
      }
      case 'window':
        options.reorderWindowMs = num();
        break;
      case 'cut':
        options.cutAfter = num();
        break;
      case 'seed':
        options.seed = num();
        break;
      case 'dir':
        if (value !== 'send' && value !== 'receive' && value !== 'both') {
          throw new RangeError('fault spec dir must be send, receive or both');
        }
        options.direction = value;
        break;
      default:
        throw new RangeError(`unknown fault spec key "${key ?? ''}"`);
    }
  }
  validateFaultOptions(options);
  return options;
}

/** Throws RangeError for out-of-range options, so a bad --faults value fails at startup. */
export function validateFaultOptions(options: FaultOptions): void {
  checkProbability('drop', options.drop);
  checkProbability('duplicate', options.duplicate);
  checkProbability('reorder', options.reorder);
  checkDelay(options.delayMs);
  if (
    options.cutAfter !== undefined &&
    !(Number.isInteger(options.cutAfter) && options.cutAfter > 0)
  ) {
    throw new RangeError('fault option cutAfter must be a positive integer');
  }
  const window = options.reorderWindowMs;
  if (window !== undefined && !(Number.isFinite(window) && window >= 0)) {
    throw new RangeError('fault option reorderWindowMs must be >= 0');
  }
}
