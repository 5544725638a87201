#!/usr/bin/env node
// The `airlock` command: dispatches to `plugin`, `shell`, `forward`, `ls`, `sandbox` and `--version`.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runForward, type SignalSource } from './forward';
import { runLs } from './ls';
import { runSandboxCommand } from './sandbox';
import { runPlugin } from './plugin';
import { runShellCommand } from './shell';
import { CLIENT_VERSION } from '../core/datachannel/client-version';
import { toErrorMessage } from '../core/base/errors';

export const USAGE = `Usage: airlock <command> [arguments]

Commands:
  plugin [ARGS...]   drop-in replacement for session-manager-plugin
                     (aws ssm start-session finds it when it is on PATH under that name)
  shell TARGET       open a session on an instance (id or Name tag) in this terminal
  forward TARGET L:R forward local port L to port R on the instance (or L:HOST:R through it)
  ls [OPTIONS]       list managed instances across profiles and regions (--help for options)
  sandbox [OPTIONS]  run the Local sandbox: an emulated SSM service and agents on 127.0.0.1
  --version          print the version
  --help             show this help
`;

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Where long-running commands hear SIGINT/SIGTERM; default `process` (tests pass an emitter). */
  signals?: SignalSource;
}

/** Runs one `airlock` invocation and resolves with its exit status. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'plugin':
      return runPlugin(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
      });
    case 'shell':
      return runShellCommand(rest, {
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        process,
      });
    case 'forward':
      return runForward(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        ...(io.signals && { signals: io.signals }),
      });
    case 'ls':
      return runLs(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env });
    case 'sandbox':
      return runSandboxCommand(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env });
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
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function main(): Promise<void> {
  // The SDK's Node-version notice would be printed on every run, which a drop-in plugin must not do.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
    });
  } catch (error) {
    process.stderr.write(`airlock: unexpected error: ${toErrorMessage(error)}\n`);
    code = 1;
  }
  exitAfterFlush(code);
}

/** True when this module is the program being run (not imported by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
