// Disposables: everything that holds a resource or a subscription hands back one of these, and
// whoever owns it disposes it. DisposableStore groups them; the tracker finds ones never disposed.

export interface Disposable {
  dispose(): void;
}

/** A Disposable that runs `dispose` once, however often it is disposed. */
export function toDisposable(dispose: () => void): Disposable {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      dispose();
    },
  };
}

/** Does nothing; for APIs that must return a Disposable when there is nothing to undo. */
export const noopDisposable: Disposable = Object.freeze({ dispose: () => undefined });

/**
 * Disposes every item even when some throw, then rethrows: the only error as it is, several as
 * one AggregateError, so one faulty item never leaves the rest undisposed.
 */
export function disposeAll(items: Iterable<Disposable>): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      item.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  throwCollected(errors, 'several disposables failed to dispose');
}

function throwCollected(errors: unknown[], summary: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, summary);
}

/**
 * A group of disposables that are disposed together, newest first (what was created last may
 * depend on what was created before it). Adding to a disposed store disposes the item at once, so
 * a late subscription cannot outlive its owner.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  constructor() {
    trackCreated(this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get size(): number {
    return this.items.size;
  }

  add<T extends Disposable>(item: T): T {
    if (item === (this as Disposable)) throw new Error('a DisposableStore cannot contain itself');
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.add(item);
    return item;
  }

  /** Forgets `item` without disposing it (its owner changed). */
  delete(item: Disposable): void {
    this.items.delete(item);
  }

  /** Disposes everything added so far, newest first, and keeps the store usable. */
  clear(): void {
    const newestFirst = [...this.items].reverse();
    this.items.clear();
    disposeAll(newestFirst);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    markDisposed(this);
    this.clear();
  }
}

/** Receives the creation and disposal of tracked objects (DisposableStore, Emitter). */
export interface DisposableTracker {
  trackCreated(item: Disposable): void;
  markDisposed(item: Disposable): void;
}

let tracker: DisposableTracker | undefined;

/**
 * Installs a tracker (tests do, through the vitest setup file); undefined removes it. Returns the
 * one it replaces, to put back.
 */
export function setDisposableTracker(
  next: DisposableTracker | undefined,
): DisposableTracker | undefined {
  const previous = tracker;
  tracker = next;
  return previous;
}

/** For classes outside this file that take part in leak tracking. */
export function trackCreated(item: Disposable): void {
  tracker?.trackCreated(item);
}

export function markDisposed(item: Disposable): void {
  tracker?.markDisposed(item);
}

export interface UndisposedReport {
  /** Constructor name of the object, e.g. `Emitter`. */
  readonly kind: string;
  /** Where it was created (stack frames below the constructor). */
  readonly stack: string;
}

/** Remembers where each tracked object was created until it is disposed. */
export class LeakTracker implements DisposableTracker {
  private readonly live = new Map<Disposable, string>();

  trackCreated(item: Disposable): void {
    this.live.set(item, creationStack());
  }

  markDisposed(item: Disposable): void {
    this.live.delete(item);
  }

  /** Objects created since the last reset and not disposed. */
  undisposed(): UndisposedReport[] {
    return [...this.live].map(([item, stack]) => ({
      kind: item.constructor.name || 'object',
      stack,
    }));
  }

  reset(): void {
    this.live.clear();
  }
}

function creationStack(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  // Drop the tracker's own frames so the first line shown is the code that created the object.
  const own = /\b(creationStack|trackCreated|LeakTracker|new DisposableStore|new Emitter)\b/;
  return lines
    .filter((line) => !own.test(line))
    .map((line) => line.trim())
    .join('\n');
}
