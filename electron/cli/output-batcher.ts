// Coalesces a session's output into one write per event-loop turn: the agent sends at most 1 KiB
// per message and a socket read carries dozens of them, so writing each on its own to a terminal
// (where Node writes synchronously) costs one system call per message.

import type { Writable } from 'node:stream';

/** What the batcher needs of stdout and stderr. */
export type BatchedStream = Pick<Writable, 'cork' | 'uncork' | 'write'> & {
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
};

export type ScheduleTurn = (callback: () => void) => void;

/**
 * Corks the stream on the first write of a turn and uncorks it once the turn's I/O callbacks are
 * done (setImmediate), so the chunks go out together as one writev without being copied. Only one
 * stream is corked at a time: a write to the other stream first flushes the corked one, so stdout
 * and stderr keep their relative order on a shared terminal.
 */
export class OutputBatcher {
  private corked: BatchedStream | undefined;
  private scheduled = false;

  constructor(private readonly schedule: ScheduleTurn = (callback) => setImmediate(callback)) {}

  write(stream: BatchedStream, bytes: Uint8Array | string): void {
    if (stream.destroyed || stream.writableEnded) return;
    if (this.corked !== stream) {
      this.flush();
      stream.cork();
      this.corked = stream;
    }
    stream.write(bytes);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes out what is held now (before the session's own lines, and before exiting). */
  flush(): void {
    const stream = this.corked;
    if (!stream) return;
    this.corked = undefined;
    // A stream ended or destroyed meanwhile drops what it holds either way.
    if (!stream.destroyed) stream.uncork();
  }
}
