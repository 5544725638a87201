// `airlock plugin --install [DIR]` / `--uninstall [DIR]`: a `session-manager-plugin` launcher on the
// PATH that runs `airlock plugin`, so `aws ssm start-session` and ssh's ProxyCommand use Airlock.

import { lstat, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  LAUNCHER_MARKER,
  pluginLauncherScript,
  writeExecutableScript,
} from '../core/services/command-launchers';
import { oneLine } from './exit-status';
import { toErrorMessage } from '../core/base/errors';
import { PLUGIN_LAUNCHER_NAME } from './usage';

export { PLUGIN_LAUNCHER_NAME };

export const INSTALL_USAGE = `Usage: airlock plugin --install [DIR] [--force]
       airlock plugin --uninstall [DIR]

Puts a session-manager-plugin launcher in DIR (default ~/.local/bin), so that
\`aws ssm start-session\` runs \`airlock plugin\`. It refuses to replace another
program of that name unless --force is given; --uninstall removes only a
launcher it installed.
`;

export interface InstallRequest {
  action: 'install' | 'uninstall';
  /** Empty: the default directory. */
  dir: string;
  force: boolean;
}

export class InstallUsageError extends Error {
  override readonly name = 'InstallUsageError';
}

export function parseInstallArgs(args: readonly string[]): InstallRequest {
  const [flag, ...rest] = args;
  const request: InstallRequest = {
    action: flag === '--uninstall' ? 'uninstall' : 'install',
    dir: '',
    force: false,
  };
  for (const arg of rest) {
    if (arg === '--force' && request.action === 'install') request.force = true;
    else if (arg.startsWith('-')) throw new InstallUsageError(`unknown option ${arg}`);
    else if (request.dir !== '') throw new InstallUsageError(`unexpected argument ${arg}`);
    else request.dir = arg;
  }
  return request;
}

export interface InstallDeps {
  /** The user's home directory (for the default `~/.local/bin`). */
  home: string;
  /** How the launcher runs `airlock`: argv before the subcommand. */
  command: readonly string[];
  /** The PATH, to say when DIR is not on it. */
  pathVariable: string;
}

export interface InstallResult {
  /** What to tell the user, one line each. */
  lines: string[];
}

export class InstallRefusedError extends Error {
  override readonly name = 'InstallRefusedError';
}

/** Installs or uninstalls the launcher; throws InstallRefusedError when it must not touch a file. */
export async function applyInstall(
  request: InstallRequest,
  deps: InstallDeps,
): Promise<InstallResult> {
  const dir = path.resolve(
    request.dir === '' ? path.join(deps.home, '.local', 'bin') : request.dir,
  );
  const file = path.join(dir, PLUGIN_LAUNCHER_NAME);
  const existing = await readExisting(file);
  if (request.action === 'uninstall') {
    if (existing === undefined) return { lines: [`Nothing to remove: ${file} does not exist.`] };
    if (!isOurs(existing)) {
      throw new InstallRefusedError(`${file} was not installed by airlock; left as it is`);
    }
    await rm(file);
    return { lines: [`Removed ${file}.`] };
  }
  if (existing !== undefined && !isOurs(existing) && !request.force) {
    throw new InstallRefusedError(
      `${file} already exists and is another program; use --force to replace it`,
    );
  }
  await writeExecutableScript(file, pluginLauncherScript(deps.command));
  const lines = [`Installed ${file}: aws ssm start-session now runs airlock plugin.`];
  const onPath = deps.pathVariable.split(path.delimiter).some((entry) => {
    return entry !== '' && path.resolve(entry) === dir;
  });
  if (!onPath) lines.push(`${dir} is not on your PATH; add it so the AWS CLI finds the plugin.`);
  return { lines };
}

/** The file's text, '' for something that is not a regular file, undefined when absent. */
async function readExisting(file: string): Promise<string | undefined> {
  try {
    const stat = await lstat(file);
    if (!stat.isFile()) return '';
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isOurs(text: string): boolean {
  return text.startsWith('#!/bin/sh\n') && text.includes(LAUNCHER_MARKER);
}

/** Runs `airlock plugin --install|--uninstall ...` and resolves with the exit status. */
export async function runInstallCommand(
  args: readonly string[],
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } },
  deps: InstallDeps,
): Promise<number> {
  let request: InstallRequest;
  try {
    request = parseInstallArgs(args);
  } catch (error) {
    if (!(error instanceof InstallUsageError)) throw error;
    io.stderr.write(`airlock plugin: ${error.message}\n\n${INSTALL_USAGE}`);
    return 2;
  }
  try {
    const result = await applyInstall(request, deps);
    for (const line of result.lines) io.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`airlock plugin: ${oneLine(toErrorMessage(error))}\n`);
    return 1;
  }
}
