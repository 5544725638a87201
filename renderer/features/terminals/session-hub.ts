// Routes the two session event lanes from main: output bytes to the one terminal that owns the
// session (never through a store), and status changes to whoever listens (the tabs store).
import type { TabSessionId } from '../../../shared/domain';
import type { Api, SessionsStatusEvent } from '../../../shared/ipc';

/** Output held for a session nobody listens to yet; main stops sending near its high watermark. */
const MAX_HELD_BYTES = 1024 * 1024;

export interface SessionHub {
  /** Delivers a session's output to `listener`, first any output that arrived before it. */
  subscribeOutput(id: TabSessionId, listener: (data: Uint8Array) => void): () => void;
  onStatus(listener: (event: SessionsStatusEvent) => void): () => void;
  /** Drops anything held for a session that is over. */
  forget(id: TabSessionId): void;
  dispose(): void;
}

export function createSessionHub(api: Pick<Api, 'on'>): SessionHub {
  const outputListeners = new Map<TabSessionId, (data: Uint8Array) => void>();
  const held = new Map<TabSessionId, { chunks: Uint8Array[]; bytes: number }>();
  const statusListeners = new Set<(event: SessionsStatusEvent) => void>();
  const forgotten = new Set<TabSessionId>();

  const disposeOutput = api.on('sessions:output', ({ id, data }) => {
    const listener = outputListeners.get(id);
    if (listener) {
      listener(data);
      return;
    }
    if (forgotten.has(id)) return;
    const entry = held.get(id) ?? { chunks: [], bytes: 0 };
    if (entry.bytes + data.length > MAX_HELD_BYTES) return;
    entry.chunks.push(data);
    entry.bytes += data.length;
    held.set(id, entry);
  });

  const disposeStatus = api.on('sessions:status', (event) => {
    for (const listener of [...statusListeners]) listener(event);
  });

  return {
    subscribeOutput(id, listener) {
      outputListeners.set(id, listener);
      const entry = held.get(id);
      held.delete(id);
      for (const chunk of entry?.chunks ?? []) listener(chunk);
      return () => {
        if (outputListeners.get(id) === listener) outputListeners.delete(id);
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    forget(id) {
      held.delete(id);
      outputListeners.delete(id);
      forgotten.add(id);
    },
    dispose() {
      disposeOutput();
      disposeStatus();
      outputListeners.clear();
      held.clear();
      statusListeners.clear();
    },
  };
}
