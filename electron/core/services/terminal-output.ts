// The output path of one terminal session: every byte goes into main's headless terminal (which
// pauses the socket when it falls behind parsing) and, batched, to the renderer, which acks what it
// drew. A renderer too far behind is marked stale and resynced from a snapshot of the terminal.
import { MAX_OUTPUT_BATCH_BYTES, OUTPUT_BATCH_INTERVAL_MS } from '../../../shared/ipc';
import type { Clock, TimerHandle } from '../base/clock';
import { TerminalState, joinChunks } from './terminal-state';

/**
 * Output main's headless terminal has not parsed yet is bounded: above HIGH the socket is not read
 * (TCP flow control; acks still go out for everything received) until it is down to LOW.
 */
const UNPARSED_HIGH_BYTES = 4 * 1024 * 1024;
const UNPARSED_LOW_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

export interface TerminalOutputOptions {
  readonly size: { readonly cols: number; readonly rows: number };
  /** Lines of scrollback the headless terminal keeps. */
  readonly scrollback: number;
  readonly clock: Clock;
  /** Unacknowledged live bytes above which the renderer counts as stale... */
  readonly highWatermark: number;
  /** ...and at or below which a stale renderer is resynced. */
  readonly lowWatermark: number;
  /** Sends one batch to the renderer. */
  readonly send: (data: Uint8Array) => void;
  /** Stops or resumes reading the session's socket. */
  readonly setReadPaused: (paused: boolean) => void;
  /** The session has ended: nothing more is read, and a renderer left behind stays so. */
  readonly isEnded: () => boolean;
  /** The session is still kept: a snapshot that arrives after it was dropped goes nowhere. */
  readonly isKept: () => boolean;
}

export interface TerminalOutputStats {
  /** Bytes sent to the renderer and not acknowledged yet. */
  readonly unackedBytes: number;
  /** Bytes waiting for the next batch (or for a snapshot on its way). */
  readonly queuedBytes: number;
  /** Bytes written to the headless terminal and not parsed yet. */
  readonly unparsedBytes: number;
  /** Lines the headless terminal holds (screen and scrollback). */
  readonly lines: number;
  readonly stale: boolean;
}

export class TerminalOutput {
  /** The session's screen and scrollback, whatever the renderer has drawn. */
  private readonly state: TerminalState;
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private flushTimer: TimerHandle | undefined;
  /** Output bytes sent to the renderer and not acknowledged yet. */
  private unacked = 0;
  /** Of those, the bytes of the last snapshot still unacknowledged: they never make a renderer stale. */
  private snapshotUnacked = 0;
  /** The renderer is too far behind: live output is withheld until a snapshot resyncs it. */
  private stale = false;
  /** A snapshot is on its way; output meanwhile is held and sent right after it. */
  private resyncing = false;
  /** Runs once the snapshot on its way went out (the final status of a session that ended). */
  private afterResync: (() => void) | undefined;
  /** The socket is not read while main's terminal has this much output left to parse. */
  private readPaused = false;

  constructor(private readonly options: TerminalOutputOptions) {
    this.state = new TerminalState({ ...options.size, scrollback: options.scrollback });
    this.state.onParsed((unparsed) => {
      if (!this.readPaused || unparsed > UNPARSED_LOW_BYTES || options.isEnded()) return;
      this.readPaused = false;
      options.setReadPaused(false);
    });
  }

  /** Bytes from the agent. */
  write(bytes: Uint8Array): void {
    if (this.options.isEnded() || bytes.length === 0) return;
    this.state.write(bytes);
    if (!this.readPaused && this.state.pendingBytes > UNPARSED_HIGH_BYTES) {
      this.readPaused = true;
      this.options.setReadPaused(true);
    }
    if (this.stale && !this.resyncing) return;
    this.chunks.push(bytes.slice());
    this.chunkBytes += bytes.length;
    if (this.resyncing) return;
    if (this.chunkBytes >= MAX_OUTPUT_BATCH_BYTES) this.flush();
    else
      this.flushTimer ??= this.options.clock.setTimeout(
        () => this.flush(),
        OUTPUT_BATCH_INTERVAL_MS,
      );
  }

  /** The renderer drew `bytes` more; a stale one that caught up gets a snapshot. */
  ack(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    // Acks cover the oldest bytes first, which is the snapshot when one was sent.
    this.snapshotUnacked = Math.max(0, this.snapshotUnacked - bytes);
    if (this.stale && !this.options.isEnded() && this.unacked <= this.options.lowWatermark) {
      this.resync();
    }
  }

  resize(cols: number, rows: number): void {
    this.state.resize(cols, rows);
  }

  /**
   * The session ended: everything the agent printed reaches the screen before `then` (the final
   * status) runs; a stale renderer gets the last screen as a snapshot.
   */
  drain(then: () => void): void {
    if (this.stale || this.resyncing) {
      this.resync(then);
    } else {
      this.flush();
      then();
    }
  }

  /** Nobody shows the session now: main's terminal keeps the screen, the next page gets a snapshot. */
  orphan(): void {
    this.stale = true;
    this.chunks = [];
    this.chunkBytes = 0;
  }

  /** A new page adopts the session: it has drawn nothing yet and needs a snapshot. */
  adopt(): void {
    this.unacked = 0;
    this.snapshotUnacked = 0;
    this.stale = true;
  }

  /**
   * Brings a stale renderer up to date: a snapshot of the headless terminal, then the output that
   * arrived while it was being taken. `then` runs after both went out.
   */
  resync(then?: () => void): void {
    if (this.resyncing) {
      if (then) this.afterResync = then;
      return;
    }
    this.resyncing = true;
    if (then) this.afterResync = then;
    this.chunks = [];
    this.chunkBytes = 0;
    this.state.snapshot((text) => {
      if (!this.options.isKept()) return;
      const snapshot = encoder.encode(text);
      this.stale = false;
      this.resyncing = false;
      this.send(snapshot);
      this.snapshotUnacked = snapshot.length;
      this.flush();
      const after = this.afterResync;
      this.afterResync = undefined;
      after?.();
    });
  }

  stats(): TerminalOutputStats {
    return {
      unackedBytes: this.unacked,
      queuedBytes: this.chunkBytes,
      unparsedBytes: this.state.pendingBytes,
      lines: this.state.lines,
      stale: this.stale,
    };
  }

  /** No more batches on a timer (the session is being terminated). */
  stopBatching(): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
  }

  dispose(): void {
    this.state.dispose();
  }

  private flush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
    if (this.chunkBytes === 0 || this.resyncing) return;
    const joined = joinChunks(this.chunks, this.chunkBytes);
    this.chunks = [];
    this.chunkBytes = 0;
    this.send(joined);
    if (
      this.unacked - this.snapshotUnacked > this.options.highWatermark &&
      !this.options.isEnded()
    ) {
      // The renderer is not keeping up (hidden window, throttled timers): stop sending it live
      // bytes. The agent is still read and acknowledged; the headless terminal keeps the screen.
      this.stale = true;
    }
  }

  /** Emits `bytes` to the renderer in bounded events; xterm's parser carries state across them. */
  private send(bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; offset += MAX_OUTPUT_BATCH_BYTES) {
      // Each batch owns its buffer: structured clone (Electron IPC) copies a view's whole buffer.
      const data =
        bytes.length <= MAX_OUTPUT_BATCH_BYTES
          ? bytes
          : bytes.slice(offset, Math.min(offset + MAX_OUTPUT_BATCH_BYTES, bytes.length));
      this.unacked += data.length;
      this.options.send(data);
    }
  }
}
