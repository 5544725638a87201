// One terminal session as main keeps it for a page: who owns it, its status, its output path, the
// events held until the start result went out, and, once a page goes away, the grace before it
// ends and the settling of an adopting page's terminal size.
import type { AttachableSession, EmitEvent, SessionStatus } from '../../../shared/ipc';
import type { Clock, TimerHandle } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { SessionLimits } from './session-limits';
import type { EngineShellSession, EngineStatus } from './session-service';
import { TerminalOutput, type TerminalOutputStats } from './terminal-output';

/** An adopting page's terminal size counts as settled after this long without another. */
const ATTACH_SIZE_SETTLE_MS = 300;
/** ...and an implausibly small one only after this long. */
const ATTACH_TRANSIENT_SIZE_SETTLE_MS = 2_000;
const PLAUSIBLE_MIN_COLS = 20;
const PLAUSIBLE_MIN_ROWS = 5;

function isTransient(size: { cols: number; rows: number }): boolean {
  return size.cols < PLAUSIBLE_MIN_COLS || size.rows < PLAUSIBLE_MIN_ROWS;
}

export interface SessionTabOptions {
  readonly id: string;
  readonly owner: string;
  /** What the page needs to show this session again after a reload. */
  readonly info: Omit<AttachableSession, 'status'>;
  readonly engine: EngineShellSession;
  readonly size: { readonly cols: number; readonly rows: number };
  readonly scrollback: number;
  readonly highWatermark: number;
  readonly lowWatermark: number;
  readonly clock: Clock;
  readonly emit: EmitEvent;
  readonly logger: Logger;
  /** The service still keeps this session (it is dropped from the registry before it ends). */
  readonly isKept: () => boolean;
  /** When the session preferences will cut it; absent when they could not be read. */
  readonly limits?: SessionLimits;
}

export class SessionTab {
  readonly id: string;
  owner: string;
  readonly info: Omit<AttachableSession, 'status'>;
  status: SessionStatus = 'connecting';
  ended = false;
  private readonly engine: EngineShellSession;
  private readonly output: TerminalOutput;
  /** Set while the page that owned it is gone; the session ends when it fires. */
  private orphanTimer: TimerHandle | undefined;
  /** Just adopted: the snapshot waits for the new page's terminal size. */
  private awaitingSize = false;
  /** The newest size the adopting page sent while its layout settles. */
  private pendingSize: { cols: number; rows: number } | undefined;
  private settleTimer: TimerHandle | undefined;
  /** Events wait until the sessions:start result has gone out. */
  private released = false;
  private held: (() => void)[] = [];
  private disposers: (() => void)[] = [];

  constructor(private readonly options: SessionTabOptions) {
    this.id = options.id;
    this.owner = options.owner;
    this.info = options.info;
    this.engine = options.engine;
    this.output = new TerminalOutput({
      size: options.size,
      scrollback: options.scrollback,
      clock: options.clock,
      highWatermark: options.highWatermark,
      lowWatermark: options.lowWatermark,
      send: (data) =>
        this.deliver(() => options.emit('sessions:output', { id: this.id, data }, this.owner)),
      setReadPaused: (paused) => this.engine.setReadPaused(paused),
      isEnded: () => this.ended,
      isKept: options.isKept,
    });
  }

  /** Starts following the engine; events go out once the caller has sent the start result. */
  begin(): void {
    this.disposers.push(
      this.engine.onOutput((bytes) => {
        this.output.write(bytes);
        this.noteActivity();
      }),
      this.engine.onStatus((status) => this.onStatus(status)),
    );
    // The caller sends our result in this same turn (microtasks); a zero-delay timer runs
    // after it, so the renderer always learns the id before the id's first event.
    this.options.clock.setTimeout(() => {
      this.released = true;
      for (const send of this.held.splice(0)) send();
    }, 0);
    this.emitLimits();
  }

  /** Kept after its page went away, for a new page to adopt. */
  get orphaned(): boolean {
    return this.orphanTimer !== undefined;
  }

  input(data: Uint8Array): void {
    if (this.ended) return;
    this.engine.write(data);
    this.noteActivity();
  }

  resize(cols: number, rows: number): void {
    if (this.ended) return;
    if (this.awaitingSize) {
      this.settleSize(cols, rows);
      return;
    }
    this.engine.resize(cols, rows);
    this.output.resize(cols, rows);
  }

  ack(bytes: number): void {
    this.output.ack(bytes);
  }

  checkConnection(): void {
    if (!this.ended) this.engine.checkConnection();
  }

  /** Its page went away: kept for `graceMs`, then `expire` runs (unless a page adopts it first). */
  orphan(graceMs: number, expire: () => void): void {
    this.output.orphan();
    this.orphanTimer = this.options.clock.setTimeout(expire, graceMs);
  }

  /** A new page takes an orphaned session: its events go to `owner`, starting with a snapshot. */
  adopt(owner: string): void {
    this.orphanTimer?.cancel();
    this.orphanTimer = undefined;
    this.owner = owner;
    this.output.adopt();
    this.emitStatus(this.status);
    this.emitLimits();
    // The new page's terminal sends its size once it is laid out (not while its view is hidden);
    // a snapshot taken at that size lands as it was drawn, so it waits until then.
    this.awaitingSize = true;
  }

  stats(): TerminalOutputStats {
    return this.output.stats();
  }

  /** Ends the remote session and releases everything (the registry has already dropped it). */
  async terminate(): Promise<void> {
    this.orphanTimer?.cancel();
    this.orphanTimer = undefined;
    this.settleTimer?.cancel();
    this.settleTimer = undefined;
    this.output.stopBatching();
    try {
      await this.engine.terminate();
    } catch (error) {
      this.options.logger.log('warn', 'terminating a session failed', {
        id: this.id,
        error: toErrorMessage(error),
      });
    }
    this.ended = true;
    this.unsubscribe();
    this.output.dispose();
  }

  private deliver(send: () => void): void {
    if (this.released) send();
    else this.held.push(send);
  }

  private emitStatus(status: SessionStatus, reason?: string): void {
    this.status = status;
    this.deliver(() =>
      this.options.emit(
        'sessions:status',
        { id: this.id, status, ...(reason !== undefined && { reason }) },
        this.owner,
      ),
    );
  }

  /** Traffic resets the idle timeout; the page hears of it when the deadline moved enough. */
  private noteActivity(): void {
    if (this.options.limits?.activity()) this.emitLimits();
  }

  private emitLimits(): void {
    const limits = this.options.limits;
    if (!limits || this.ended) return;
    const event = limits.report(this.info.tabSessionId);
    this.deliver(() => this.options.emit('sessions:limits', event, this.owner));
  }

  private onStatus(status: EngineStatus): void {
    if (this.ended) return;
    switch (status.state) {
      case 'connecting':
      case 'open':
        this.emitStatus(status.state);
        return;
      case 'reconnecting':
        this.emitStatus('reconnecting', status.detail);
        return;
      case 'closed':
      case 'error': {
        this.ended = true;
        this.awaitingSize = false;
        this.settleTimer?.cancel();
        this.settleTimer = undefined;
        this.unsubscribe();
        this.output.drain(() => {
          this.emitStatus(status.state, status.state === 'closed' ? status.reason : status.message);
          this.output.dispose();
        });
        return;
      }
    }
  }

  /**
   * A page lays its terminal out in steps: wait until the size settles, so a passing tiny size
   * never reaches the remote program or cuts main's screen. A size a real terminal hardly ever has
   * (a half-laid-out pane) only counts if nothing else follows for longer.
   */
  private settleSize(cols: number, rows: number): void {
    const transient = isTransient({ cols, rows });
    if (transient && this.pendingSize && !isTransient(this.pendingSize)) return;
    this.pendingSize = { cols, rows };
    this.settleTimer?.cancel();
    this.settleTimer = this.options.clock.setTimeout(
      () => {
        this.settleTimer = undefined;
        this.awaitingSize = false;
        // The snapshot is taken at the size its content was drawn at, then the size changes.
        this.output.resync(() => {
          const size = this.pendingSize;
          this.pendingSize = undefined;
          if (!size || this.ended) return;
          this.engine.resize(size.cols, size.rows);
          this.output.resize(size.cols, size.rows);
        });
      },
      transient ? ATTACH_TRANSIENT_SIZE_SETTLE_MS : ATTACH_SIZE_SETTLE_MS,
    );
  }

  private unsubscribe(): void {
    for (const dispose of this.disposers) dispose();
    this.disposers = [];
  }
}
