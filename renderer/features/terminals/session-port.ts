// The small port a terminal controller talks to for one session, and its implementation over the
// typed IPC Api. Output arrives through the SessionHub; bytes never pass through a store.
import type { TabSessionId } from '../../../shared/domain';
import type { Api } from '../../../shared/ipc';
import type { SessionHub } from './session-hub';

/** Bytes on their own ArrayBuffer (not shared memory), as the IPC schemas require. */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface TerminalSessionPort {
  /** Sends input bytes; resolves false when main refused them (the session is gone). */
  write(data: Bytes): Promise<boolean>;
  /** Sends the terminal size at once. */
  resize(cols: number, rows: number): void;
  /** Remote output, in order; returns a disposer. */
  onData(listener: (data: Uint8Array) => void): () => void;
  /** Tells main the terminal consumed this many output bytes, so it keeps reading (flow control). */
  ack(bytes: number): void;
}

export interface IpcSessionPortOptions {
  readonly api: Pick<Api, 'invoke'>;
  readonly hub: SessionHub;
  readonly id: TabSessionId;
  /** Called when a fire-and-forget call (resize, ack) fails, so the failure is visible somewhere. */
  readonly onError?: (message: string) => void;
}

export function createIpcSessionPort(options: IpcSessionPortOptions): TerminalSessionPort {
  const { api, hub, id } = options;

  function report(result: Promise<{ ok: boolean; error?: { message: string } }>): void {
    void result.then((outcome) => {
      if (!outcome.ok && outcome.error) options.onError?.(outcome.error.message);
    });
  }

  return {
    async write(data) {
      const result = await api.invoke('sessions:input', { id, data });
      if (!result.ok) options.onError?.(result.error.message);
      return result.ok;
    },
    resize(cols, rows) {
      report(api.invoke('sessions:resize', { id, cols, rows }));
    },
    onData(listener) {
      return hub.subscribeOutput(id, listener);
    },
    ack(bytes) {
      if (bytes > 0) report(api.invoke('sessions:ack', { id, bytes }));
    },
  };
}
