// NonInteractiveCommands plugin: runs the document's command without a pty; stdout, stderr (11) and the exit code (12) go to the client.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { TimerHandle } from '../../core/base/clock';
import { buildExitCodePayload } from '../../core/datachannel/codec/scalars';
import { PayloadType } from '../../core/datachannel/codec/types';
import type { AgentPlugin, PluginDelivery, PluginHost, ResolvedShellLaunch } from './plugin';
import { supportsSeparateOutput } from './versions';
import { toErrorMessage } from '../../core/base/errors';

const KILL_GRACE_MS = 2000;
const CTRL_C = 0x03;
const CTRL_BACKSLASH = 0x1c;

export interface CommandPluginOptions {
  host: PluginHost;
  launch: ResolvedShellLaunch;
  command: string;
}

/** Exit status as the shell would report it: the code, or 128 + the signal number. */
function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

export class CommandPlugin implements AgentPlugin {
  private child: ChildProcess | undefined;
  private exited = false;
  private disposed = false;
  private killTimer: TimerHandle | undefined;
  private offDrain: (() => void) | undefined;

  constructor(private readonly options: CommandPluginOptions) {}

  start(): void {
    const { host, launch, command } = this.options;
    const separate = supportsSeparateOutput(host.clientVersion);
    let child: ChildProcess;
    try {
      child = spawn(launch.file, launch.commandArgs(command), {
        cwd: launch.cwd,
        env: launch.env,
        // The agent does not forward stdin to non-interactive commands (datachannel/README.md §5.1).
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        // Its own process group, so signals reach a whole pipeline, as from a terminal.
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      const reason = toErrorMessage(error);
      host.end({ output: `Unable to run the command: ${reason}`, failed: true });
      return;
    }
    this.child = child;
    const release = host.resources.acquire('processes');
    const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
    const pauseAll = (): void => streams.forEach((s) => s.pause());
    this.offDrain = host.onOutputDrain(() => streams.forEach((s) => s.resume()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!host.output(PayloadType.Output, chunk)) pauseAll();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const type = separate ? PayloadType.StdErr : PayloadType.Output;
      if (!host.output(type, chunk)) pauseAll();
    });
    let spawnFailed = false;
    child.once('error', (error) => {
      // spawn failure (e.g. the shell does not exist); 'close' still follows.
      spawnFailed = true;
      host.logger.log('warn', 'command failed to start', { error: error.message });
    });
    child.once('close', (code, signal) => {
      this.exited = true;
      this.killTimer?.cancel();
      release();
      if (this.disposed) return;
      if (spawnFailed) {
        host.end({
          output: 'Unable to run the command: the shell could not be started',
          failed: true,
        });
        return;
      }
      host.output(PayloadType.ExitCode, buildExitCodePayload(exitStatus(code, signal)));
      host.end({ output: '' });
    });
  }

  input(bytes: Uint8Array): PluginDelivery {
    const child = this.child;
    if (!child) return 'not-ready';
    if (this.exited || this.disposed) return 'ready';
    // Only Ctrl-C and Ctrl-\ mean anything to a non-interactive command (datachannel/README.md §5.1).
    if (bytes.includes(CTRL_C)) this.signal(child, 'SIGINT');
    if (bytes.includes(CTRL_BACKSLASH)) this.signal(child, 'SIGQUIT');
    return 'ready';
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.offDrain?.();
    const child = this.child;
    if (!child || this.exited) return;
    child.stdout?.resume();
    child.stderr?.resume();
    this.signal(child, 'SIGTERM');
    this.killTimer = this.options.host.clock.setTimeout(() => {
      if (!this.exited) this.signal(child, 'SIGKILL');
    }, KILL_GRACE_MS);
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch (error) {
      this.options.host.logger.log('debug', 'could not signal the command', {
        signal,
        error: toErrorMessage(error),
      });
    }
  }
}
