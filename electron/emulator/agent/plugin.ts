// The contract between the emulated agent and its session plugins (shell, commands, port), mirroring the agent's ISessionPlugin.

import type { Clock } from '../../core/base/clock';
import type { Logger } from '../../core/base/logger';
import type { ResourceTracker } from './resources';
import type { WriteOptions } from './output-pump';

/** 'not-ready' leaves the message unacknowledged so the client sends it again (ErrHandlerNotReady). */
export type PluginDelivery = 'ready' | 'not-ready';

export interface PluginEnd {
  /** channel_closed Output text; empty for a normal end. */
  output: string;
  /** true when the plugin failed (the registry records the session as Failed). */
  failed?: boolean;
}

/** How a plugin reaches the agent. */
export interface PluginHost {
  readonly sessionId: string;
  /** The managed-node id the session targets. */
  readonly targetId: string;
  readonly clientVersion: string;
  readonly agentVersion: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly resources: ResourceTracker;
  /** Queues output toward the client; false means "stop reading until onOutputDrain". */
  output(payloadType: number, bytes: Uint8Array, options?: WriteOptions): boolean;
  /** Whether sources may read now (not paused, queue below its high-water mark). */
  readonly outputAccepting: boolean;
  onOutputDrain(listener: () => void): () => void;
  /** The plugin is done (process exited, port session over). Called at most once. */
  end(result: PluginEnd): void;
}

export interface AgentPlugin {
  /** Starts the work (spawn, dial). Output may flow right away. */
  start(): void;
  /** Output (1) payload from the client, already decrypted. */
  input(bytes: Uint8Array): PluginDelivery;
  /** Size (3) from the client. */
  resize?(cols: number, rows: number): void;
  /** Flag (10) from the client. */
  flag?(value: number): PluginDelivery;
  /** Kills processes and closes sockets. Idempotent. */
  dispose(): void;
}

export interface ShellLaunchOptions {
  /** Shell executable; default $SHELL, else /bin/sh (cmd.exe on Windows). */
  file?: string;
  /** Working directory; default HOME. */
  cwd?: string;
  /** Environment for the shell; default the sandbox's own environment. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedShellLaunch {
  file: string;
  cwd: string;
  env: Record<string, string>;
  /** How to run one command line through `file`. */
  commandArgs: (command: string) => string[];
}

/** Fills the shell defaults from the environment the sandbox was started in. */
export function resolveShellLaunch(
  options: ShellLaunchOptions,
  processEnv: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  homeDir: string,
): ResolvedShellLaunch {
  const envSource = options.env ?? processEnv;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(envSource)) {
    if (value !== undefined) env[key] = value;
  }
  const windows = platform === 'win32';
  const file =
    options.file ?? envSource.SHELL ?? (windows ? (envSource.ComSpec ?? 'cmd.exe') : '/bin/sh');
  const cwd = options.cwd ?? envSource.HOME ?? homeDir;
  const isCmd = /cmd(\.exe)?$/i.test(file);
  return {
    file,
    cwd,
    env,
    commandArgs: (command) => (isCmd ? ['/d', '/s', '/c', command] : ['-c', command]),
  };
}
