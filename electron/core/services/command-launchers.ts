// Small shell scripts that put Airlock on the PATH: the `session-manager-plugin` launcher that
// `airlock plugin --install` writes, and the desktop app's stable `airlock` launcher, whose path
// outlives app updates and AppImage moves because the app rewrites its content on every start.

import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The line that marks a plugin launcher as ours: `--uninstall` removes only files that carry it. */
export const LAUNCHER_MARKER = '# Installed by `airlock plugin --install`;';

/** The flag that makes the desktop app's executable run as the `airlock` command. */
export const CLI_MODE_FLAG = '--airlock-cli';

/** The POSIX shell quoting of one word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The `session-manager-plugin` launcher: `command` is how to run `airlock` (the desktop app's
 * stable launcher, or Node with the CLI bundle), then `plugin` and the caller's arguments.
 */
export function pluginLauncherScript(command: readonly string[]): string {
  return [
    '#!/bin/sh',
    `${LAUNCHER_MARKER} \`airlock plugin --uninstall\` removes it.`,
    `exec ${[...command, 'plugin'].map(shellQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

/**
 * The desktop app's `airlock` launcher: runs the app's executable in CLI mode. If the app has
 * moved since it last started, it says so instead of failing obscurely.
 */
export function stableLauncherScript(executable: string): string {
  return [
    '#!/bin/sh',
    '# The airlock command of the Airlock desktop app; the app rewrites this file each time it starts.',
    `app=${shellQuote(executable)}`,
    'if [ ! -x "$app" ]; then',
    '  echo "airlock: the Airlock app is no longer at $app; start it once to update this launcher" >&2',
    '  exit 1',
    'fi',
    `exec "$app" ${CLI_MODE_FLAG} "$@"`,
    '',
  ].join('\n');
}

/**
 * Where the stable launcher lives: in the user's data folder, outside the app bundle and the
 * AppImage's per-run mount point, so its path never changes.
 */
export function stableLauncherPath(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  platform: NodeJS.Platform,
): string {
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'Airlock', 'bin', 'airlock');
  }
  const dataHome =
    env.XDG_DATA_HOME !== undefined && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(home, '.local', 'share');
  return path.join(dataHome, 'airlock', 'bin', 'airlock');
}

/**
 * The executable the stable launcher runs: the AppImage file itself when there is one (the
 * running executable sits in a mount point that changes every run), else the running one.
 */
export function desktopExecutable(
  env: Readonly<Record<string, string | undefined>>,
  execPath: string,
): string {
  const appImage = env.APPIMAGE;
  return appImage !== undefined && appImage !== '' ? appImage : execPath;
}

/** Writes an executable script beside its place and renames it in, so no reader sees half of it. */
export async function writeExecutableScript(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.airlock-${process.pid}`;
  await writeFile(temporary, text, { mode: 0o755 });
  await chmod(temporary, 0o755);
  await rename(temporary, file);
}
