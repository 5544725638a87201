// Shell-type sessions (Standard_Stream, InteractiveCommands, NonInteractiveCommands): bytes in, bytes out.

import { PayloadType, buildSizePayload, parseExitCodePayload } from '../datachannel/codec';
import type { ShellSessionType } from './handshake';
import type { Emitter } from '../base/event';
import type { Disposable } from '../base/lifecycle';
import {
  sendChunked,
  sessionEmitter,
  type Delivery,
  type SessionLink,
  type StreamHandler,
} from './link';
import { toErrorMessage } from '../base/errors';

export type OutputStream = 'stdout' | 'stderr';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Used when nobody told us the terminal size before the session started. */
export const DEFAULT_TERMINAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

export interface ShellSessionOptions {
  sessionType: ShellSessionType;
  /** null: no Size message until the first resize, so the agent keeps its default size. */
  initialSize?: TerminalSize | null;
}

export class ShellSession implements StreamHandler {
  readonly sessionType: ShellSessionType;
  private started = false;
  private ended = false;
  private size: TerminalSize | undefined;
  private sentSize: TerminalSize | undefined;
  /** Input written before the session type was known; sent after the first Size. */
  private pendingInput: Uint8Array[] = [];
  /** Output that arrived before anyone subscribed (the first output can race the subscriber). */
  private unclaimedOutput: [Uint8Array, OutputStream][] = [];
  private readonly output: Emitter<{ bytes: Uint8Array; stream: OutputStream }>;
  private readonly exit: Emitter<number>;
  private exitCodeValue: number | undefined;

  constructor(
    private readonly link: SessionLink,
    options: ShellSessionOptions,
  ) {
    this.sessionType = options.sessionType;
    this.size =
      options.initialSize === null ? undefined : (options.initialSize ?? DEFAULT_TERMINAL_SIZE);
    this.output = sessionEmitter(link.logger);
    this.exit = sessionEmitter(link.logger);
  }

  /** NonInteractiveCommands runs without a pty: Size is ignored and stdin is not forwarded. */
  get interactive(): boolean {
    return this.sessionType !== 'NonInteractiveCommands';
  }

  /** Exit status from an ExitCode message (NonInteractiveCommands with separate output). */
  get exitCode(): number | undefined {
    return this.exitCodeValue;
  }

  get writable(): boolean {
    return this.link.writable;
  }

  onWritable(callback: () => void): Disposable {
    return this.link.onWritable(callback);
  }

  /** Keystrokes or pasted bytes; queued (never dropped) while the channel reconnects. */
  write(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    if (!this.started) {
      this.pendingInput.push(Uint8Array.from(bytes));
      return;
    }
    sendChunked(this.link, PayloadType.Output, bytes);
  }

  /** Sends the new size at once (no polling); repeated identical sizes are sent only once. */
  resize(cols: number, rows: number): void {
    if (this.ended || !isDimension(cols) || !isDimension(rows)) return;
    this.size = { cols, rows };
    if (this.started) this.sendSize();
  }

  onOutput(listener: (bytes: Uint8Array, stream: OutputStream) => void): Disposable {
    const subscription = this.output.event(({ bytes, stream }) => listener(bytes, stream));
    if (this.unclaimedOutput.length > 0) {
      const backlog = this.unclaimedOutput;
      this.unclaimedOutput = [];
      for (const [bytes, stream] of backlog) this.output.fire({ bytes, stream });
    }
    return subscription;
  }

  onExitCode(listener: (code: number) => void): Disposable {
    return this.exit.event(listener);
  }

  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    // The size goes first so the remote shell lays out its first prompt correctly (datachannel/README.md §3.6).
    this.sendSize();
    const pending = this.pendingInput;
    this.pendingInput = [];
    for (const bytes of pending) sendChunked(this.link, PayloadType.Output, bytes);
  }

  deliver(payloadType: number, payload: Uint8Array): Delivery {
    switch (payloadType) {
      case PayloadType.Output:
        this.emitOutput(payload, 'stdout');
        break;
      case PayloadType.StdErr:
        this.emitOutput(payload, 'stderr');
        break;
      case PayloadType.ExitCode:
        try {
          this.exitCodeValue = parseExitCodePayload(payload);
          this.exit.fire(this.exitCodeValue);
        } catch (error) {
          this.link.logger.log('warn', 'ignoring malformed ExitCode payload', {
            error: toErrorMessage(error),
          });
        }
        break;
      default:
        // Flags and unknown payload types carry nothing for a shell.
        break;
    }
    return 'ready';
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pendingInput = [];
    this.unclaimedOutput = [];
    // Nothing is heard after the end; the exit code stays readable through `exitCode`.
    this.output.dispose();
    this.exit.dispose();
  }

  private emitOutput(bytes: Uint8Array, stream: OutputStream): void {
    if (bytes.length === 0) return;
    if (this.output.listenerCount === 0) this.unclaimedOutput.push([bytes, stream]);
    else this.output.fire({ bytes, stream });
  }

  private sendSize(): void {
    if (!this.size) return;
    const { cols, rows } = this.size;
    if (this.sentSize?.cols === cols && this.sentSize.rows === rows) return;
    this.sentSize = { cols, rows };
    this.link.send(PayloadType.Size, buildSizePayload({ cols, rows }));
  }
}

function isDimension(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value <= 0xffff;
}
