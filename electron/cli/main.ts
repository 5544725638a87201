// The `airlock` command's dispatcher: runs `plugin`, `shell`, `ssh`, `ssh-proxy`, `ssh-config`,
// `forward`, `cp`, `socks`, `ls` and `sandbox`. The program's entry (./entry) answers `--version` and
// `--help` itself and imports this module only for a command.

import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { SignalSource } from './forward';
import { runInstallCommand } from './install';
import { runAndExit } from './process-run';
import { CLIENT_VERSION } from '../core/datachannel/client-version';

import { isInstallInvocation, USAGE } from './usage';

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

/**
 * Runs one `airlock` command in this process and exits with its status. The program's entry
 * (./entry), run by Node or by the desktop app's CLI mode (`--airlock-cli`), hands over here.
 */
export function runCommandLine(args: readonly string[]): Promise<void> {
  return runAndExit(args, () =>
    runCli(args, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
    }),
  );
}
