// The user's login-shell environment, for an app started from Finder, the Dock or a desktop menu.
// Such a launch gets a minimal environment: credential_process helpers in Homebrew or ~/.local/bin,
// AWS_PROFILE and proxy variables set in shell rc files are missing. As VS Code does, we ask the
// login shell once at start, with a timeout, and take from it what AWS access needs.
import { spawn } from 'node:child_process';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';

export type Environment = Readonly<Record<string, string | undefined>>;

/** How long the login shell may take (rc files can be slow: nvm, pyenv, conda). */
export const SHELL_ENV_TIMEOUT_MS = 10_000;

/** Printed around the environment, so whatever the rc files print is ignored. */
const MARK = '__AIRLOCK_SHELL_ENV_7f3c__';

/** Variables taken from the login shell: the search path and what AWS access reads. */
export function isTakenFromShell(name: string): boolean {
  return (
    name === 'PATH' ||
    name.startsWith('AWS_') ||
    /^(https?|no|all)_proxy$/i.test(name) ||
    name === 'SSL_CERT_FILE' ||
    name === 'SSL_CERT_DIR' ||
    name === 'NODE_EXTRA_CA_CERTS'
  );
}

/**
 * Whether the shell's environment is worth reading: a desktop launch on macOS or Linux. Started
 * from a terminal (stdout or stdin a TTY, or TERM set by the terminal), the app already has it.
 */
export function needsShellEnvironment(
  env: Environment,
  platform: NodeJS.Platform,
  fromTerminal: boolean,
): boolean {
  if (platform === 'win32') return false;
  if (env.AIRLOCK_SKIP_SHELL_ENV === '1') return false;
  return !fromTerminal && env.TERM === undefined;
}

/** Parses `env -0` output between the marks; undefined when the marks are missing. */
export function parseShellOutput(output: string): Record<string, string> | undefined {
  const start = output.indexOf(MARK);
  const end = output.lastIndexOf(MARK);
  if (start < 0 || end <= start) return undefined;
  const body = output.slice(start + MARK.length, end);
  const result: Record<string, string> = {};
  for (const entry of body.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    result[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return result;
}

/**
 * The process environment with the shell's PATH and, where the process has none, the shell's
 * AWS, proxy and CA variables. The process's own values win: they were set on purpose.
 */
export function mergeShellEnvironment(
  processEnv: Environment,
  shellEnv: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...processEnv };
  for (const [name, value] of Object.entries(shellEnv)) {
    if (!isTakenFromShell(name)) continue;
    if (name === 'PATH' || merged[name] === undefined) merged[name] = value;
  }
  return merged;
}

export interface ReadShellEnvironmentOptions {
  /** The login shell: $SHELL, else /bin/sh. */
  readonly shell: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  /** The environment the shell starts with (the process's). */
  readonly env: Environment;
}

/**
 * Runs `SHELL -l -i -c 'printf MARK; env -0; printf MARK'` with no terminal and reads what it
 * prints. Never rejects: a shell that fails, prints no marks or outlives the timeout gives
 * undefined and one log line, and the app goes on with the environment it has.
 */
export function readShellEnvironment(
  options: ReadShellEnvironmentOptions,
): Promise<Record<string, string> | undefined> {
  const timeoutMs = options.timeoutMs ?? SHELL_ENV_TIMEOUT_MS;
  const command = `printf '%s' '${MARK}'; env -0; printf '%s' '${MARK}'`;
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const done = (result: Record<string, string> | undefined, problem?: string): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      if (problem) {
        options.logger.log('warn', 'could not read the login shell environment', {
          shell: options.shell,
          problem,
        });
      }
      resolve(result);
    };
    const child = spawn(options.shell, ['-l', '-i', '-c', command], {
      env: { ...options.env, AIRLOCK_RESOLVING_ENVIRONMENT: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    const timer = options.clock.setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      done(undefined, `no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      // An environment is a few kilobytes; a shell that prints megabytes is not answering us.
      if (output.length < 4 * 1024 * 1024) output += chunk;
    });
    child.on('error', (error) => done(undefined, toErrorMessage(error)));
    child.on('close', (code) => {
      const parsed = parseShellOutput(output);
      if (parsed) done(parsed);
      else done(undefined, `it exited with ${String(code)} without printing its environment`);
    });
  });
}

/**
 * The environment a desktop launch should use: the process's, completed from the login shell
 * when the app was not started from a terminal.
 */
export async function desktopEnvironment(options: {
  readonly env: Environment;
  readonly platform: NodeJS.Platform;
  readonly fromTerminal: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}): Promise<Environment> {
  if (!needsShellEnvironment(options.env, options.platform, options.fromTerminal)) {
    return options.env;
  }
  const shellEnv = await readShellEnvironment({
    shell: options.env.SHELL ?? '/bin/sh',
    clock: options.clock,
    logger: options.logger,
    env: options.env,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  return shellEnv ? mergeShellEnvironment(options.env, shellEnv) : options.env;
}
