import { describe, expect, it } from 'vitest';
import { Emitter } from './event';

describe('Emitter', () => {
  it('delivers to listeners in subscription order until they unsubscribe', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const a = emitter.event((n) => seen.push(`a${n}`));
    emitter.event((n) => seen.push(`b${n}`));
    emitter.fire(1);
    a.dispose();
    a.dispose();
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount).toBe(1);
    emitter.dispose();
  });

  it('treats the same function subscribed twice as two subscriptions', () => {
    const emitter = new Emitter<void>();
    let count = 0;
    const listener = () => count++;
    const first = emitter.event(listener);
    emitter.event(listener);
    emitter.fire();
    first.dispose();
    emitter.fire();
    expect(count).toBe(3);
    emitter.dispose();
  });

  it('fires to the listeners present when fire began', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    emitter.event((value) => {
      seen.push(`first:${value}`);
      emitter.event((later) => seen.push(`late:${later}`));
    });
    emitter.fire('x');
    expect(seen).toEqual(['first:x']);
    emitter.dispose();
  });

  it('isolates a throwing listener and hands its error to onListenerError', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>({ onListenerError: (error) => errors.push(error) });
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener broke');
    });
    emitter.event((n) => seen.push(n));
    emitter.fire(5);
    expect(seen).toEqual([5]);
    expect(errors).toEqual([new Error('listener broke')]);
    emitter.dispose();
  });

  it('without a handler, rethrows after every listener has run', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('one');
    });
    emitter.event((n) => seen.push(n));
    expect(() => emitter.fire(1)).toThrow('one');
    expect(seen).toEqual([1]);
    emitter.event(() => {
      throw new Error('two');
    });
    expect(() => emitter.fire(2)).toThrow(AggregateError);
    expect(seen).toEqual([1, 2]);
    emitter.dispose();
  });

  it('after dispose, ignores new listeners and fires to nobody', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event((n) => seen.push(n));
    emitter.dispose();
    const late = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    late.dispose();
    expect(seen).toEqual([]);
    expect(emitter.listenerCount).toBe(0);
  });
});
