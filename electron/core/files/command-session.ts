// A shell-type session that runs one transfer program on the instance, and the lines it prints.

import type { SsmApi } from '../aws/ssm-api';
import { toErrorMessage } from '../base/errors';
import type { Disposable } from '../base/lifecycle';
import { launchSession, type EngineOptions, type SessionApis } from '../sessions/launcher';
import type { SessionStatus } from '../sessions/session-types';
import type { ShellSession } from '../sessions/shell-session';
import { TransferError } from './errors';
import { CONTROL_PREFIX } from './posix-scripts';

/** Runs the receiver: a pty, so input reaches it (NonInteractiveCommands never forwards input). */
export const UPLOAD_DOCUMENT = 'AWS-StartInteractiveCommand';
/** Runs the sender: output only, no pty in the way of the bytes. */
export const DOWNLOAD_DOCUMENT = 'AWS-StartNonInteractiveCommand';

export interface CommandSession {
  readonly shell: ShellSession;
  /** Stops reading the data channel while local writes catch up. */
  pauseOutput(paused: boolean): void;
  /** Ends the session for good (TerminateSession). */
  close(): Promise<void>;
  /** Resolves with the final status, however the session ends. */
  readonly finished: Promise<SessionStatus>;
}

export type CommandSessionOpener = (
  documentName: string,
  command: string,
) => Promise<CommandSession>;

export interface CommandSessionOpenerOptions {
  apis: SessionApis & { ssm: Pick<SsmApi, 'startSession'> };
  target: string;
  engine?: EngineOptions;
}

/** Opens sessions on `target` with the session launcher; rejects with TransferError('session'). */
export function commandSessionOpener(options: CommandSessionOpenerOptions): CommandSessionOpener {
  return async (documentName, command) => {
    let session;
    try {
      session = await launchSession(
        { target: options.target, documentName, parameters: { command: [command] } },
        { ...options.engine, apis: options.apis },
      );
    } catch (error) {
      throw new TransferError(
        'session',
        `cannot start a session on ${options.target}: ${toErrorMessage(error)}`,
      );
    }
    const finished = session.whenFinished();
    try {
      const ready = await session.whenReady();
      if (ready.kind !== 'shell')
        throw new Error(`${documentName} did not start a command session`);
      return {
        shell: ready.shell,
        pauseOutput: (paused) => session.setReadPaused(paused),
        close: () => session.terminate(),
        finished,
      };
    } catch (error) {
      await session.terminate();
      throw new TransferError(
        'session',
        `the session on ${options.target} failed: ${toErrorMessage(error)}`,
      );
    }
  };
}

/** What a session's end means for a transfer still waiting on it. */
export function sessionEndError(status: SessionStatus): TransferError {
  const detail = status.state === 'closed' || status.state === 'error' ? status.message : '';
  return new TransferError(
    'session',
    `the session ended before the transfer finished${detail ? ` (${detail.trim()})` : ''}`,
  );
}

export interface LineSink {
  /** A control line, without its prefix. */
  control(text: string): void;
  /** Consecutive data lines of one output chunk, joined without their newlines. */
  data(joined: string): void;
  /**
   * Text the program wrote to stderr, where the session keeps it apart (NonInteractiveCommands):
   * never data, and what the instance said when the program could not run.
   */
  stderr?(text: string): void;
}

/**
 * Splits the program's output into lines (CR dropped, for ptys that still translate), passing
 * control lines and runs of data lines to `sink` in order.
 */
export class OutputLines implements Disposable {
  private partial = '';
  private readonly subscription: Disposable;

  constructor(
    shell: ShellSession,
    private readonly sink: LineSink,
  ) {
    this.subscription = shell.onOutput((bytes, stream) => {
      if (stream === 'stderr') sink.stderr?.(Buffer.from(bytes).toString('utf8'));
      else this.push(bytes);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private push(bytes: Uint8Array): void {
    const text =
      this.partial +
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    let run: string[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const at = line.indexOf(CONTROL_PREFIX);
      if (at < 0) {
        run.push(line);
        continue;
      }
      if (run.length > 0) this.sink.data(run.join(''));
      run = [];
      this.sink.control(controlText(line.slice(at + CONTROL_PREFIX.length)));
    }
    if (run.length > 0) this.sink.data(run.join(''));
  }
}

/** Terminal control sequences a console host (ConPTY on Windows) may write around a line. */
const TERMINAL_SEQUENCES =
  // eslint-disable-next-line no-control-regex -- escape sequences are what this removes
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** A control line's text without terminal sequences and trailing blanks. */
export function controlText(raw: string): string {
  return raw.replace(TERMINAL_SEQUENCES, '').trimEnd();
}

/** Control lines as a queue the upload awaits one answer at a time; data lines (pty noise) are ignored. */
export class ControlReplies implements Disposable {
  private readonly queue: string[] = [];
  private waiter: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly lines: OutputLines;

  constructor(session: CommandSession) {
    this.lines = new OutputLines(session.shell, {
      control: (text) => {
        const waiter = this.waiter;
        this.waiter = undefined;
        if (waiter) waiter.resolve(text);
        else this.queue.push(text);
      },
      data: () => undefined,
    });
    void session.finished.then((status) => this.fail(sessionEndError(status)));
  }

  next(): Promise<string> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  dispose(): void {
    this.lines.dispose();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }
}

/** base64 of UTF-8 text on one line, as the remote's `dec` expects. */
export function encodeName(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64') || '-';
}

export function decodeName(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}
