// Coalesces a session's output into one write per event-loop turn: the agent sends at most 1 KiB
// per message and a socket read carries dozens of them, so writing each on its own to a terminal
// (where Node writes synchronously) costs one system call per message.

import type { Writable } from 'node:stream';

/** What the batcher needs of stdout and stderr. */
export type BatchedStream = Pick<Writable, 'write'> & {
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
};

export type ScheduleTurn = (callback: () => void) => void;

/** Bytes gathered into one write; a turn with more writes one block each time it fills. */
export const BLOCK_BYTES = 64 * 1024;
/** Blocks kept for reuse once written; more are allocated only while writes are still pending. */
const SPARE_BLOCKS = 2;

/**
 * Copies the output of a turn into one block and writes it once the turn's I/O callbacks are
 * done (setImmediate). Copying a kilobyte is cheaper than what it saves: the messages stay views
 * of the socket's read buffers, and holding them until the end of the turn would keep those
 * buffers alive past the scavenges of a busy stream (old-generation garbage, tens of MB of peak
 * memory). A block is reused once its write has completed, so a stream costs a couple of blocks,
 * however long it runs. Only one stream is held at a time: a write to the other stream first
 * flushes the held one, so stdout and stderr keep their relative order on a shared terminal.
 */
export class OutputBatcher {
  private held: { stream: BatchedStream; block: Uint8Array; used: number } | undefined;
  private readonly spare: Uint8Array[] = [];
  private scheduled = false;

  constructor(private readonly schedule: ScheduleTurn = (callback) => setImmediate(callback)) {}

  write(stream: BatchedStream, bytes: Uint8Array | string): void {
    if (stream.destroyed || stream.writableEnded) return;
    if (this.held?.stream !== stream) this.flush();
    if (typeof bytes === 'string' || bytes.length > BLOCK_BYTES) {
      // Rare (text of our own, or a chunk larger than a block): in order, as it is.
      this.flush();
      stream.write(bytes);
      return;
    }
    let held = this.held;
    if (held && held.used + bytes.length > BLOCK_BYTES) {
      this.flush();
      held = undefined;
    }
    if (!held) {
      held = { stream, block: this.spare.pop() ?? new Uint8Array(BLOCK_BYTES), used: 0 };
      this.held = held;
    }
    held.block.set(bytes, held.used);
    held.used += bytes.length;
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
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    const { stream, block, used } = held;
    // A stream ended or destroyed meanwhile drops what it holds either way.
    if (stream.destroyed || stream.writableEnded) return;
    stream.write(block.subarray(0, used), () => {
      if (this.spare.length < SPARE_BLOCKS) this.spare.push(block);
    });
  }
}
