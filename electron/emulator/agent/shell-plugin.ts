// Standard_Stream and InteractiveCommands plugins: the local user's shell (or the document's command) in a real pty.

import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { spawn, type IPty } from 'node-pty';
import type { TimerHandle } from '../../core/base/clock';
import { PayloadType } from '../../core/datachannel/codec/types';
import type { AgentPlugin, PluginDelivery, PluginHost, ResolvedShellLaunch } from './plugin';
import { toErrorMessage } from '../../core/base/errors';

/** The pty's size until the client's first Size message. */
export const INITIAL_PTY_SIZE = { cols: 80, rows: 24 } as const;
/** Sizes beyond this are clamped; a pty cannot be 0 wide, and absurd sizes are hostile. */
const MAX_PTY_DIMENSION = 4096;
/** A shell that ignores SIGHUP gets SIGKILL after this long. */
const KILL_GRACE_MS = 2000;

export interface ShellPluginOptions {
  host: PluginHost;
  launch: ResolvedShellLaunch;
  /** InteractiveCommands: run this command line through the shell instead of an interactive shell. */
  command?: string;
  /** Wait before the first pty read, as the real agent does (1 s there); default 0. */
  firstOutputDelayMs?: number;
}

/**
 * Opens our own handle on the pty's slave side. On Linux the master can report EIO and lose the
 * last output when the command exits before everything was read; while we hold the slave, the
 * master reads to the end and node-pty reports the exit about 200 ms later. Worth it for a
 * command whose output is the point (InteractiveCommands), not for an interactive shell.
 */
function holdSlave(pty: IPty): number | undefined {
  const name = (pty as IPty & { ptsName?: unknown }).ptsName;
  if (typeof name !== 'string' || name === '') return undefined;
  try {
    return openSync(name, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {
    return undefined;
  }
}

function toBytes(data: string | Buffer): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

export class ShellPlugin implements AgentPlugin {
  private pty: IPty | undefined;
  private exited = false;
  private disposed = false;
  private readPaused = false;
  private startDelay: TimerHandle | undefined;
  private killTimer: TimerHandle | undefined;
  private releasePty: (() => void) | undefined;
  private slaveFd: number | undefined;
  /** Input messages waiting for the next write to the pty (see `input`). */
  private pendingInput: Buffer[] = [];
  private inputFlush: NodeJS.Immediate | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: ShellPluginOptions) {}

  start(): void {
    const { host, launch, command } = this.options;
    let pty: IPty;
    try {
      pty = spawn(launch.file, command === undefined ? [] : launch.commandArgs(command), {
        name: 'xterm-256color',
        cols: INITIAL_PTY_SIZE.cols,
        rows: INITIAL_PTY_SIZE.rows,
        cwd: launch.cwd,
        env: launch.env,
        // Raw bytes: the pump cuts at UTF-8 boundaries itself.
        encoding: null,
      });
    } catch (error) {
      const reason = toErrorMessage(error);
      host.logger.log('warn', 'could not start the shell', { reason });
      host.end({ output: `Unable to start the shell: ${reason}`, failed: true });
      return;
    }
    this.pty = pty;
    if (command !== undefined) this.slaveFd = holdSlave(pty);
    const release = host.resources.acquire('ptys');
    this.releasePty = () => {
      this.releaseSlave();
      release();
    };
    const data = pty.onData((chunk: string | Buffer) => {
      if (!host.output(PayloadType.Output, toBytes(chunk), { utf8: true }))
        this.setReadPaused(true);
    });
    const exit = pty.onExit(({ exitCode, signal }) => {
      this.exited = true;
      this.killTimer?.cancel();
      this.releasePty?.();
      host.logger.log('debug', 'shell exited', { exitCode, signal });
      if (!this.disposed) host.end({ output: '' });
    });
    this.unsubscribe.push(
      () => data.dispose(),
      () => exit.dispose(),
      host.onOutputDrain(() => this.setReadPaused(false)),
    );
    const delay = this.options.firstOutputDelayMs ?? 0;
    if (delay > 0) {
      this.setReadPaused(true);
      this.startDelay = host.clock.setTimeout(() => {
        this.startDelay = undefined;
        if (host.outputAccepting) this.setReadPaused(false);
      }, delay);
    }
  }

  input(bytes: Uint8Array): PluginDelivery {
    const pty = this.pty;
    if (!pty) return 'not-ready';
    if (this.exited || this.disposed) return 'ready';
    // Messages that arrive together reach the pty in one write: node-pty spends a thread-pool
    // round trip on every write, which 1 KiB messages would each pay, while a native agent
    // writes to the pty directly. The bytes and their order are unchanged.
    this.pendingInput.push(Buffer.from(bytes));
    this.inputFlush ??= setImmediate(() => this.flushInput(pty));
    return 'ready';
  }

  private flushInput(pty: IPty): void {
    this.inputFlush = undefined;
    const pending = this.pendingInput;
    this.pendingInput = [];
    if (this.exited || this.disposed || pending.length === 0) return;
    pty.write(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending));
  }

  resize(cols: number, rows: number): void {
    const pty = this.pty;
    if (!pty || this.exited || this.disposed) return;
    const clamp = (n: number): number => Math.min(MAX_PTY_DIMENSION, Math.max(1, Math.floor(n)));
    try {
      pty.resize(clamp(cols), clamp(rows));
    } catch (error) {
      this.options.host.logger.log('debug', 'pty resize failed', {
        error: toErrorMessage(error),
      });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.startDelay?.cancel();
    if (this.inputFlush) clearImmediate(this.inputFlush);
    this.inputFlush = undefined;
    this.pendingInput = [];
    for (const off of this.unsubscribe.splice(0)) off();
    const pty = this.pty;
    if (!pty || this.exited) return;
    // A paused pty never reports its exit; resume so the exit (and the count) comes through.
    this.setReadPaused(false);
    const exit = pty.onExit(() => {
      this.exited = true;
      this.killTimer?.cancel();
      this.releasePty?.();
      exit.dispose();
    });
    this.killQuietly(pty, 'SIGHUP');
    this.killTimer = this.options.host.clock.setTimeout(() => {
      if (!this.exited) this.killQuietly(pty, 'SIGKILL');
    }, KILL_GRACE_MS);
  }

  private releaseSlave(): void {
    const fd = this.slaveFd;
    this.slaveFd = undefined;
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }

  private killQuietly(pty: IPty, signal: string): void {
    try {
      // The pty's child leads its own session, so SIGKILL goes to its whole process group: a
      // command's children (a transfer's base64 or head) holding the pty open die with it.
      if (signal === 'SIGKILL' && process.platform !== 'win32') process.kill(-pty.pid, signal);
      else pty.kill(process.platform === 'win32' ? undefined : signal);
    } catch (error) {
      this.options.host.logger.log('debug', 'pty kill failed', {
        error: toErrorMessage(error),
      });
    }
  }

  private setReadPaused(paused: boolean): void {
    const pty = this.pty;
    if (!pty || this.readPaused === paused) return;
    if (!paused && this.startDelay && !this.disposed) return;
    this.readPaused = paused;
    if (paused) pty.pause();
    else pty.resume();
  }
}
