// The `airlock` command's dispatcher: runs `plugin`, `shell`, `ssh`, `ssh-proxy`, `ssh-config`,
// `forward`, `cp`, `socks`, `ls` and `sandbox`. The program's entry (./entry) answers `--version` and
// `--help` itself and imports this module only for a command.

import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  decideExit,
  describeUnexpected,
  exitZeroForced,
  isClosedPipe,
  type Launch,
} from './exit-status';
import type { SignalSource } from './forward';
import { isInstallInvocation, runInstallCommand } from './install';
import { launchOf } from './plugin-args';
import { CLIENT_VERSION } from '../core/datachannel/client-version';

import { USAGE } from './usage';

export { USAGE };

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Where long-running commands hear SIGINT/SIGTERM; default `process` (tests pass an emitter). */
  signals?: SignalSource;
  /** How launchers run this command: argv before the subcommand (default: this Node and script). */
  launcherCommand?: readonly string[];
}

/**
 * How a launcher runs `airlock`: the desktop app's stable launcher when it started us
 * (AIRLOCK_LAUNCHER, README "The airlock command"), else this Node with its flags and script.
 */
export function defaultLauncherCommand(env: NodeJS.ProcessEnv): string[] {
  const stable = env.AIRLOCK_LAUNCHER;
  if (stable !== undefined && stable !== '') return [stable];
  const script = process.argv[1] ?? '';
  let resolved = script;
  try {
    resolved = realpathSync(script);
  } catch {
    // An unresolvable script path is written as given.
  }
  return [process.execPath, ...process.execArgv, resolved];
}

/**
 * Runs one `airlock` invocation and resolves with its exit status. Each command's module is
 * imported when that command runs, so `--version` loads no AWS SDK and only `sandbox` loads the
 * emulator (the bundle splits along these imports).
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'plugin':
      if (isInstallInvocation(rest)) {
        return runInstallCommand(rest, io, {
          home: io.env.HOME ?? homedir(),
          command: io.launcherCommand ?? defaultLauncherCommand(io.env),
          pathVariable: io.env.PATH ?? '',
        });
      }
      return (await import('./plugin')).runPlugin(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
      });
    case 'shell':
      return (await import('./shell')).runShellCommand(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
      });
    case 'ssh':
      return (await import('./ssh')).runSshCommand(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
        launcherCommand: io.launcherCommand ?? defaultLauncherCommand(io.env),
      });
    case 'ssh-proxy':
      return (await import('./ssh-proxy')).runSshProxy(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
      });
    case 'ssh-config':
      return (await import('./ssh-config')).runSshConfig(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        launcherCommand: io.launcherCommand ?? defaultLauncherCommand(io.env),
      });
    case 'forward':
      return (await import('./forward')).runForward(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        ...(io.signals && { signals: io.signals }),
      });
    case 'cp':
      return (await import('./cp')).runCp(rest, {
        ...io,
        ...(io.signals && { signals: io.signals }),
      });
    case 'socks':
      return (await import('./socks')).runSocks(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        ...(io.signals && { signals: io.signals }),
      });
    case 'ls':
      return (await import('./ls')).runLs(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
      });
    case 'sandbox':
      return (await import('./sandbox')).runSandboxCommand(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
      });
    case '--version':
    case 'version':
      io.stdout.write(`${CLIENT_VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`airlock: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

/** Waits until everything written so far has been handed to the OS, then exits. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that went away must not change the status already decided.
    stream.on('error', () => undefined);
    if (stream.destroyed || stream.writableEnded) done();
    else stream.write('', done);
  }
}

/** Which exit-status row applies to this run: plugin runs depend on how the response came. */
export function launchOfCommandLine(args: readonly string[]): Launch {
  return args[0] === 'plugin' ? launchOf(args.slice(1)) : 'airlock-command';
}

/**
 * The last resort for anything no command caught (an 'error' event without a listener, a
 * rejected promise): one plain line and the table's status, never a stack trace. A closed stdout
 * is the local side going away: status 0, silently.
 */
export function installProcessFailureHandler(args: readonly string[]): void {
  const launch = launchOfCommandLine(args);
  const fail = (error: unknown): void => {
    if (isClosedPipe(error)) {
      process.exit(0);
      return;
    }
    const decision = decideExit(
      launch,
      { kind: 'failed', message: `airlock: unexpected error: ${describeUnexpected(error)}` },
      { forceZero: exitZeroForced(process.env) },
    );
    try {
      process.stderr.write(`${decision.stderrLine ?? ''}\n`);
    } finally {
      process.exit(decision.status);
    }
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

/**
 * Runs one `airlock` command in this process and exits with its status. The program's entry
 * (./entry), run by Node or by the desktop app's CLI mode (`--airlock-cli`), hands over here.
 */
export async function runCommandLine(args: readonly string[]): Promise<void> {
  // The SDK's Node-version notice would be printed on every run, which a drop-in plugin must not do.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  installProcessFailureHandler(args);
  let code: number;
  try {
    code = await runCli(args, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
    });
  } catch (error) {
    const decision = decideExit(
      launchOfCommandLine(args),
      { kind: 'failed', message: `airlock: unexpected error: ${describeUnexpected(error)}` },
      { forceZero: exitZeroForced(process.env) },
    );
    process.stderr.write(`${decision.stderrLine ?? ''}\n`);
    code = decision.status;
  }
  exitAfterFlush(code);
}
