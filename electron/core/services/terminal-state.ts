// Terminal state in main: a session's output feeds a headless xterm (as VS Code's terminal host
// does), so a renderer that fell behind is brought up to date with a serialized screen and its
// scrollback instead of a replay of every byte, and output never has to wait for a renderer.
import * as xtermHeadless from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import { OUTPUT_SNAPSHOT_PREFIX } from '../../../shared/ipc';

// Node's own ESM loader sees this CommonJS bundle's exports only as `default` (the bench and
// tools run this file unbundled); esbuild and vitest expose the named export as well.
const { Terminal } = (xtermHeadless as { default?: typeof xtermHeadless }).default ?? xtermHeadless;
type Terminal = xtermHeadless.Terminal;

export interface TerminalStateOptions {
  readonly cols: number;
  readonly rows: number;
  /** Lines kept above the screen; older lines are trimmed, which bounds the memory per session. */
  readonly scrollback: number;
}

/** What a snapshot starts with (see OUTPUT_SNAPSHOT_PREFIX): a terminal writing it lands on it. */
export const SNAPSHOT_PREFIX = OUTPUT_SNAPSHOT_PREFIX;

export class TerminalState {
  private readonly terminal: Terminal;
  private readonly serializer = new SerializeAddon();
  private readonly scrollback: number;
  private unparsed = 0;
  /** Writes of this turn, not handed to xterm yet. */
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private disposed = false;
  private parsedListener: ((unparsed: number) => void) | undefined;

  constructor(options: TerminalStateOptions) {
    this.scrollback = options.scrollback;
    this.terminal = new Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: options.scrollback,
      allowProposedApi: true,
    });
    this.terminal.loadAddon(this.serializer);
  }

  /** Bytes written but not parsed yet (xterm parses in time-sliced chunks). */
  get pendingBytes(): number {
    return this.unparsed;
  }

  /** Lines held, screen and scrollback together; never more than rows + scrollback. */
  get lines(): number {
    return this.terminal.buffer.normal.length;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.terminal.cols, rows: this.terminal.rows };
  }

  /**
   * Queues `bytes` for the terminal. The writes of one turn (a socket read carries dozens of 1 KiB
   * messages) reach xterm as one write at the end of the turn, so its parser and callbacks run
   * once per turn instead of once per message. `bytes` is kept until then: it must not change.
   */
  write(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    this.unparsed += bytes.length;
    this.queued.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queued.length === 1) queueMicrotask(this.flushQueued);
  }

  /** Hands the queued writes to xterm as one, in order. */
  private readonly flushQueued = (): void => {
    if (this.disposed || this.queued.length === 0) return;
    const joined = joinChunks(this.queued, this.queuedBytes);
    const length = this.queuedBytes;
    this.queued = [];
    this.queuedBytes = 0;
    this.terminal.write(joined, () => {
      this.unparsed -= length;
      this.parsedListener?.(this.unparsed);
    });
  };

  /** Called after each write is parsed, with the bytes still waiting. */
  onParsed(listener: (unparsed: number) => void): void {
    this.parsedListener = listener;
  }

  resize(cols: number, rows: number): void {
    if (this.disposed || (cols === this.terminal.cols && rows === this.terminal.rows)) return;
    this.flushQueued();
    this.terminal.resize(cols, rows);
  }

  /**
   * Calls `deliver` with the state after everything written so far, as the text a renderer writes
   * to reproduce it (SNAPSHOT_PREFIX included). Writes made later are not in it: they follow it.
   */
  snapshot(deliver: (text: string) => void): void {
    if (this.disposed) return;
    this.flushQueued();
    // The callback runs once the parser reaches this point in the stream, before later writes.
    this.terminal.write('', () => {
      if (!this.disposed) deliver(SNAPSHOT_PREFIX + this.serialize());
    });
  }

  /** The current state as escape sequences (screen, scrollback, alternate screen, modes, cursor). */
  serialize(): string {
    return this.serializer.serialize({ scrollback: this.scrollback });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queued = [];
    this.terminal.dispose();
  }
}

/** One buffer holding `chunks` in order (the chunk itself when there is only one). */
export function joinChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
