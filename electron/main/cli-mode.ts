// The packaged app as the `airlock` command: `<app executable> --airlock-cli ARGS` runs the bundled
// CLI in this process with no window, so the desktop app provides `airlock` without a system Node
// and with the RunAsNode fuse off. Each app start refreshes the stable launcher that points here.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CLI_MODE_FLAG,
  desktopExecutable,
  stableLauncherPath,
  stableLauncherScript,
  writeExecutableScript,
} from '../core/services/command-launchers';

/** The `airlock` arguments when the app was started in CLI mode, else undefined. */
export function cliModeArgs(argv: readonly string[]): string[] | undefined {
  const index = argv.indexOf(CLI_MODE_FLAG);
  return index === -1 ? undefined : argv.slice(index + 1);
}

interface CliBundle {
  runCommandLine(args: readonly string[]): Promise<void>;
}

/**
 * Runs the CLI bundle (`out/cli/airlock.mjs`, packaged with the app) and never returns: the CLI
 * exits the process with its own status. Launchers it installs use the stable launcher's path.
 */
export async function runCliMode(
  args: readonly string[],
  cliBundlePath: string,
  launcherPath: string,
): Promise<never> {
  process.env.AIRLOCK_LAUNCHER = launcherPath;
  // Loaded by path at run time: the app's process entry hands over to the CLI's, it does not
  // build on the CLI's modules.
  const cli = (await import(pathToFileURL(cliBundlePath).href)) as CliBundle;
  await cli.runCommandLine(args);
  return new Promise<never>(() => undefined);
}

/** Where this installation's stable launcher lives. */
export function launcherPathFor(env: NodeJS.ProcessEnv, home: string): string {
  return stableLauncherPath(env, home, process.platform);
}

/**
 * Points the stable launcher at the executable that is running now, so that `airlock`, the
 * session-manager-plugin launcher and ssh config entries keep working after an update or after
 * the AppImage was moved and started again.
 */
export async function refreshStableLauncher(env: NodeJS.ProcessEnv, home: string): Promise<string> {
  const file = launcherPathFor(env, home);
  await writeExecutableScript(file, stableLauncherScript(desktopExecutable(env, process.execPath)));
  return file;
}

/** The CLI bundle beside the main bundle in `out/`. */
export function cliBundleIn(outDir: string): string {
  return path.join(outDir, 'cli', 'airlock.mjs');
}
