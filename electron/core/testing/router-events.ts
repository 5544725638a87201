// What the composed app's IPC router sends, as integration tests watch it: every event kept in
// order, waits that are checked again after each event (never a sleep), a session's output as
// text, and IPC requests sent as the renderer sends them.
import type { EventChannelName } from '../../../shared/ipc';
import type { App } from '../app';
import type { IpcSender } from '../ipc/router';

export interface RouterEvent {
  readonly channel: EventChannelName;
  readonly payload: unknown;
  /** The sender the event was for; undefined for a broadcast. */
  readonly target: string | undefined;
}

/** The renderer the tests speak for. */
export const TEST_SENDER: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

export class RouterEvents {
  readonly events: RouterEvent[] = [];
  private readonly waiters = new Set<() => void>();

  /** Starts recording the router's events; returns what stops it. */
  watch(router: App['router']): () => void {
    return router.subscribe((channel, payload, target) => {
      this.events.push({ channel, payload, target });
      for (const check of [...this.waiters]) check();
    });
  }

  /** Resolves with what `find` returns once it returns something, checked after every event. */
  waitFor<T>(find: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        this.waiters.delete(check);
        resolve(found);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once `predicate` holds. */
  until(predicate: () => boolean): Promise<void> {
    return this.waitFor(() => (predicate() ? true : undefined)).then(() => undefined);
  }

  /** The events of one channel whose payload is about `id` (sessions, forwards, …). */
  about(channel: EventChannelName, id: string): RouterEvent[] {
    return this.events.filter(
      (e) => e.channel === channel && (e.payload as { id?: unknown }).id === id,
    );
  }

  /** Everything session `id` printed so far, as text; every session's when `id` is left out. */
  outputText(id?: string): string {
    return this.events
      .filter(
        (e) =>
          e.channel === 'sessions:output' &&
          (id === undefined || (e.payload as { id: string }).id === id),
      )
      .map((e) => Buffer.from((e.payload as { data: Uint8Array }).data).toString('utf8'))
      .join('');
  }

  /** A finder for the sessions:status event that says session `id` reached `status`. */
  statusOf(id: string, status: string): () => RouterEvent | undefined {
    return () =>
      this.about('sessions:status', id).find(
        (e) => (e.payload as { status: string }).status === status,
      );
  }
}

/** An IPC request as the renderer sends it; the router's answer, ok or not. */
export function dispatchAs(app: App, channel: string, payload: unknown) {
  return app.router.dispatch({ channel, payload, sender: TEST_SENDER }, trusted);
}

/** An IPC request that must succeed; its value. */
export async function callAs<T>(app: App, channel: string, payload: unknown): Promise<T> {
  const result = await dispatchAs(app, channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
