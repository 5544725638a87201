// FakeClock: a deterministic Clock for unit tests; time moves only when the test calls advance().

import type { Clock, TimerHandle } from '../base/clock';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
  cancelled: boolean;
}

/** Earlier due time first; ties fire in scheduling order. */
function before(a: PendingTimer, b: PendingTimer): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
}

export class FakeClock implements Clock {
  private current: number;
  private nextId = 0;
  private live = 0;
  /** Binary min-heap; cancelled timers are skipped lazily when they reach the top. */
  private readonly heap: PendingTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: PendingTimer = {
      id: this.nextId++,
      dueAt: this.current + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0),
      callback,
      cancelled: false,
    };
    this.push(timer);
    this.live++;
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.live--;
      },
    };
  }

  /** Number of timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.live;
  }

  /**
   * Moves time forward by `ms`, firing every timer that becomes due, earliest first (ties in
   * scheduling order). Timers scheduled by callbacks fire too if they fall inside the window.
   */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.peek();
      if (!next || next.dueAt > targetMs) break;
      this.pop();
      next.cancelled = true;
      this.live--;
      this.current = Math.max(this.current, next.dueAt);
      next.callback();
    }
    this.current = Math.max(this.current, targetMs);
  }

  /** Jumps to the next pending timer and fires it (and any due at the same instant). Returns false if none. */
  runNext(): boolean {
    const next = this.peek();
    if (!next) return false;
    this.advanceTo(next.dueAt);
    return true;
  }

  private peek(): PendingTimer | undefined {
    while (this.heap.length > 0 && this.heap[0]?.cancelled) this.pop();
    return this.heap[0];
  }

  private push(timer: PendingTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!p || !before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left];
      const r = heap[right];
      let child = left;
      let c = l;
      if (r && l && before(r, l)) {
        child = right;
        c = r;
      }
      if (!c || !before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}
