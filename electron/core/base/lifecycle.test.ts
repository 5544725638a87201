import { describe, expect, it } from 'vitest';
import {
  DisposableStore,
  LeakTracker,
  disposeAll,
  setDisposableTracker,
  toDisposable,
} from './lifecycle';
import { Emitter } from './event';

describe('toDisposable', () => {
  it('runs its function once', () => {
    let count = 0;
    const disposable = toDisposable(() => count++);
    disposable.dispose();
    disposable.dispose();
    expect(count).toBe(1);
  });
});

describe('disposeAll', () => {
  it('disposes every item and rethrows a single error as it is', () => {
    const ran: number[] = [];
    const failure = new Error('one');
    expect(() =>
      disposeAll([
        toDisposable(() => ran.push(1)),
        toDisposable(() => {
          throw failure;
        }),
        toDisposable(() => ran.push(3)),
      ]),
    ).toThrow(failure);
    expect(ran).toEqual([1, 3]);
  });

  it('gathers several errors into an AggregateError', () => {
    const throwing = (message: string) =>
      toDisposable(() => {
        throw new Error(message);
      });
    try {
      disposeAll([throwing('a'), throwing('b')]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['a', 'b']);
    }
  });
});

describe('DisposableStore', () => {
  it('disposes in reverse order of addition and keeps going past errors', () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.add(toDisposable(() => order.push('first')));
    store.add(
      toDisposable(() => {
        order.push('second');
        throw new Error('second failed');
      }),
    );
    store.add(toDisposable(() => order.push('third')));
    expect(() => store.dispose()).toThrow('second failed');
    expect(order).toEqual(['third', 'second', 'first']);
    expect(store.isDisposed).toBe(true);
    expect(store.size).toBe(0);
  });

  it('disposes an item added after the store was disposed at once', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add(toDisposable(() => (disposed = true)));
    expect(disposed).toBe(true);
    expect(store.size).toBe(0);
  });

  it('clear disposes the items and stays usable; delete forgets one without disposing it', () => {
    const store = new DisposableStore();
    const disposed: string[] = [];
    const kept = toDisposable(() => disposed.push('kept'));
    store.add(toDisposable(() => disposed.push('a')));
    store.add(kept);
    store.delete(kept);
    store.clear();
    expect(disposed).toEqual(['a']);
    store.add(toDisposable(() => disposed.push('b')));
    store.dispose();
    store.dispose();
    expect(disposed).toEqual(['a', 'b']);
  });

  it('refuses to contain itself', () => {
    const store = new DisposableStore();
    expect(() => store.add(store)).toThrow(/itself/);
    store.dispose();
  });
});

describe('LeakTracker', () => {
  it('reports stores and emitters created and not disposed, with where they were made', () => {
    const tracker = new LeakTracker();
    const previous = setDisposableTracker(tracker);
    try {
      const disposedStore = new DisposableStore();
      const leakedEmitter = new Emitter<number>();
      const leakedStore = new DisposableStore();
      disposedStore.dispose();

      const report = tracker.undisposed();
      expect(report.map((entry) => entry.kind)).toEqual(['Emitter', 'DisposableStore']);
      expect(report[0]?.stack).toContain('lifecycle.test.ts');
      expect(report[0]?.stack).not.toMatch(/LeakTracker|trackCreated/);

      leakedEmitter.dispose();
      leakedStore.dispose();
      expect(tracker.undisposed()).toEqual([]);
      new DisposableStore();
      tracker.reset();
      expect(tracker.undisposed()).toEqual([]);
    } finally {
      setDisposableTracker(previous);
    }
  });
});
