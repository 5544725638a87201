// The local terminal for `airlock plugin` shells: raw mode, size, resize events, guaranteed restore.

export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * What the official plugin assumes when stdout is not a terminal (datachannel/README.md §5.1), so remote programs
 * that format for the terminal width behave the same when output is piped.
 */
export const NON_TTY_SIZE: TerminalSize = { cols: 300, rows: 100 };

/** The parts of process.stdin/stdout a terminal needs (tty.ReadStream/WriteStream fit). */
export interface TerminalStreams {
  stdin: NodeJS.ReadableStream & {
    isTTY?: boolean | undefined;
    isRaw?: boolean | undefined;
    setRawMode?: ((mode: boolean) => unknown) | undefined;
  };
  stdout: NodeJS.WritableStream & {
    isTTY?: boolean | undefined;
    columns?: number | undefined;
    rows?: number | undefined;
  };
}

/** Signals/events the terminal listens to; injectable so tests need no real process. */
export interface SignalSource {
  on(event: 'SIGWINCH' | 'exit', listener: () => void): unknown;
  off(event: 'SIGWINCH' | 'exit', listener: () => void): unknown;
}

export class LocalTerminal {
  private rawEntered = false;
  private wasRaw = false;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly streams: TerminalStreams,
    private readonly signals: SignalSource = process,
  ) {}

  get isInteractive(): boolean {
    return this.streams.stdin.isTTY === true && typeof this.streams.stdin.setRawMode === 'function';
  }

  /**
   * The size to tell the agent: the terminal's own, 300x100 when stdout is not a terminal (as the
   * official client), or undefined for a terminal that reports 0x0 (a serial console, some CI
   * runners), so that no Size message goes out and the agent keeps its default.
   */
  size(): TerminalSize | undefined {
    const { stdout } = this.streams;
    if (stdout.isTTY !== true) return NON_TTY_SIZE;
    const cols = stdout.columns;
    const rows = stdout.rows;
    if (typeof cols === 'number' && cols > 0 && typeof rows === 'number' && rows > 0) {
      return { cols, rows };
    }
    return undefined;
  }

  /**
   * Full raw mode, unlike the official plugin's cbreak: Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-S, Ctrl-Q,
   * Ctrl-O and Ctrl-Y arrive as bytes and go to the remote program (datachannel/README.md §10.2). The previous mode
   * is restored by `restore()`, and on process exit as a last resort.
   */
  enterRawMode(): void {
    if (this.rawEntered || !this.isInteractive) return;
    this.wasRaw = this.streams.stdin.isRaw === true;
    this.streams.stdin.setRawMode?.(true);
    this.rawEntered = true;
    const onExit = (): void => this.restore();
    this.signals.on('exit', onExit);
    this.disposers.push(() => this.signals.off('exit', onExit));
  }

  /** Calls `listener` with the new size whenever the window changes (SIGWINCH), never by polling. */
  onResize(listener: (size: TerminalSize) => void): () => void {
    const handler = (): void => {
      const size = this.size();
      if (size) listener(size);
    };
    const stdout = this.streams.stdout;
    // Node turns SIGWINCH into a 'resize' event on a TTY stdout; a bare SIGWINCH covers the rest.
    stdout.on('resize', handler);
    this.signals.on('SIGWINCH', handler);
    const dispose = (): void => {
      stdout.off('resize', handler);
      this.signals.off('SIGWINCH', handler);
    };
    this.disposers.push(dispose);
    return dispose;
  }

  /** Leaves raw mode and removes listeners. Idempotent. */
  restore(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    if (!this.rawEntered) return;
    this.rawEntered = false;
    try {
      this.streams.stdin.setRawMode?.(this.wasRaw);
    } catch {
      // The terminal may already be gone (hang-up); there is nothing left to restore.
    }
  }
}
