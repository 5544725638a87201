// `airlock plugin`: a drop-in for session-manager-plugin with its exact calling convention (datachannel/README.md §8).
// This module answers what needs no session (--version, usage errors); ./plugin-session runs one.

import type { Readable, Writable } from 'node:stream';
import type { KmsApi } from '../core/aws/kms-api';
import type { SsmApi } from '../core/aws/ssm-api';
import type { Transport } from '../core/datachannel/transport';
import type { Clock } from '../core/base/clock';
import type { Logger } from '../core/base/logger';
import type { TerminalStreams } from './terminal';
import { CLIENT_VERSION } from '../core/datachannel/client-version';
import { reportExit, type Launch } from './exit-status';
import {
  INSTALL_MESSAGE,
  launchOf,
  parsePluginArgs,
  PluginArgumentError,
  type PluginRequest,
} from './plugin-args';

export {
  ENV_RESPONSE_PREFIX,
  INSTALL_MESSAGE,
  launchOf,
  parsePluginArgs,
  PluginArgumentError,
  type PluginRequest,
  type StartSessionResponse,
} from './plugin-args';

export interface PluginApis {
  ssm: SsmApi;
  kms: KmsApi;
  destroy(): void;
}

export type PluginSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' | 'SIGTSTP';

export interface PluginProcess {
  on(event: PluginSignal | 'SIGWINCH' | 'exit', listener: () => void): unknown;
  off(event: PluginSignal | 'SIGWINCH' | 'exit', listener: () => void): unknown;
}

export interface PluginDeps {
  stdin: TerminalStreams['stdin'] & Readable;
  stdout: TerminalStreams['stdout'] & Writable;
  stderr: Writable;
  /** Mutable: the response variable is deleted after reading, as the official plugin does. */
  env: Record<string, string | undefined>;
  process: PluginProcess;
  createApis?: (config: { region: string; profile: string; endpoint: string }) => PluginApis;
  connect?: (url: string) => Promise<Transport>;
  clock?: Clock;
  logger?: Logger;
  /** Interface for port listeners (default 127.0.0.1, which is what `localhost` means to Go). */
  listenHost?: string;
  /** Called once the local side is gone: from then on, credentials must not prompt (no MFA). */
  forbidPrompts?: () => void;
  /**
   * Runs the session, for a caller that has ./plugin-session loaded already (the plugin's own
   * bundle); by default it is imported when a session starts.
   */
  runSession?: (request: StartRequest, deps: PluginDeps, launch: Launch) => Promise<number>;
}

/** Runs `airlock plugin ARGS...` and resolves with the process exit status. */
export async function runPlugin(args: readonly string[], deps: PluginDeps): Promise<number> {
  const launch = launchOf(args);
  let request: PluginRequest;
  try {
    request = parsePluginArgs(args, deps.env);
  } catch (error) {
    if (!(error instanceof PluginArgumentError)) throw error;
    return reportExit(
      launch,
      { kind: 'failed', message: `Cannot perform start session: ${error.message}` },
      deps,
    );
  }
  switch (request.kind) {
    case 'install-message':
      deps.stdout.write(INSTALL_MESSAGE);
      return 0;
    case 'version':
      deps.stdout.write(`${CLIENT_VERSION}\n`);
      return 0;
    case 'unknown-operation':
      deps.stdout.write(
        `\nUnknown operation ${request.argument}. \nUse session-manager-plugin --version to check the version.\n\n`,
      );
      return 1;
    case 'invalid-operation':
      deps.stdout.write('Invalid Operation');
      return 1;
    case 'start':
      // Read once, then unset, so child processes never see the token (datachannel/README.md §8.1).
      if (request.consumedEnvVar !== undefined) delete deps.env[request.consumedEnvVar];
      return runStartedSession(request, deps, launch);
  }
}

export type StartRequest = Extract<PluginRequest, { kind: 'start' }>;

/**
 * Runs a session StartSession already returned, exactly as the plugin does: prints, terminal or
 * listener, exit status. `airlock shell` uses it after starting the session itself.
 */
export async function runStartedSession(
  request: StartRequest,
  deps: PluginDeps,
  launch: Launch = 'direct',
): Promise<number> {
  const runSession = deps.runSession ?? (await import('./plugin-session')).runPluginSession;
  return runSession(request, deps, launch);
}
