// Emitter: a typed event source. Subscribing returns a Disposable; a listener that throws never
// stops the others from hearing the event.
import {
  markDisposed,
  noopDisposable,
  toDisposable,
  trackCreated,
  type Disposable,
} from './lifecycle';

/** Subscribes a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

export interface EmitterOptions {
  /**
   * Receives what a listener threw. Without one, `fire` rethrows after every listener has run
   * (the only error as it is, several as one AggregateError).
   */
  readonly onListenerError?: (error: unknown) => void;
}

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<{ readonly call: (value: T) => void }>();
  private disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {
    trackCreated(this);
  }

  /**
   * Adds a listener. The same function may be added more than once and then hears each event once
   * per subscription, as with separate subscribers.
   */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return noopDisposable;
    // A wrapper per subscription, so disposing one never removes another's identical function.
    const entry = { call: listener };
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Calls the listeners subscribed when `fire` began, in subscription order: one added meanwhile
   * waits for the next event, and one removed meanwhile still hears this one.
   */
  fire(value: T): void {
    if (this.listeners.size === 0) return;
    const errors: unknown[] = [];
    for (const entry of [...this.listeners]) {
      try {
        entry.call(value);
      } catch (error) {
        if (this.options.onListenerError) this.options.onListenerError(error);
        else errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several listeners threw');
  }

  /** Drops every listener; later subscriptions are ignored and `fire` does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    markDisposed(this);
  }
}
