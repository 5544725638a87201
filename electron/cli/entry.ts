#!/usr/bin/env node
// The `airlock` program: the file Node runs (out/cli/airlock.mjs) and the desktop app's CLI mode
// imports. It answers `--version`, `plugin --version` and `--help` itself, and otherwise turns on
// Node's compile cache and loads what runs the command: the plugin's own bundle (./plugin-main)
// for `airlock plugin`, the dispatcher (./main) and through it the command's chunks for the rest.
// Its only imports are the usage text, the client version and built-ins, so its own answers cost
// little more than starting Node (bundle.test.ts, e2e/bench cli-start).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_VERSION } from '../core/datachannel/client-version';
import { enableCompileCache } from './compile-cache';
import { isInstallInvocation, PLUGIN_LAUNCHER_NAME, USAGE } from './usage';

/** Text for stdout and the exit status of an invocation that needs no command. */
export interface QuickAnswer {
  text: string;
  status: number;
}

/**
 * What the dispatcher (runCli in ./main) prints for these arguments, when that needs no command
 * module; undefined for everything else. `plugin --version` is the official plugin's exact form.
 */
export function quickAnswer(args: readonly string[]): QuickAnswer | undefined {
  const [command, ...rest] = args;
  switch (command) {
    case '--version':
    case 'version':
      return { text: `${CLIENT_VERSION}\n`, status: 0 };
    case undefined:
      return { text: USAGE, status: 2 };
    case '--help':
    case '-h':
    case 'help':
      return { text: USAGE, status: 0 };
    case 'plugin':
      return rest.length === 1 && rest[0] === '--version'
        ? { text: `${CLIENT_VERSION}\n`, status: 0 }
        : undefined;
    default:
      return undefined;
  }
}

/** Writes the answer, then exits once it is handed to the OS; a reader gone away changes nothing. */
function answerAndExit({ text, status }: QuickAnswer): void {
  const exit = (): never => process.exit(status);
  process.stdout.on('error', exit);
  process.stdout.write(text, exit);
}

/**
 * Runs one `airlock` invocation in this process and exits with its status (also the desktop
 * app's CLI mode, which imports this file and never returns from here).
 */
export async function runCommandLine(args: readonly string[]): Promise<void> {
  const answer = quickAnswer(args);
  if (answer) {
    answerAndExit(answer);
    return;
  }
  // Before any command module is imported, so it, its chunks and the SDK compile from the cache.
  enableCompileCache();
  if (runsInPluginBundle(args)) {
    // The build makes ./plugin-main a bundle of its own (out/cli/plugin/plugin.mjs).
    const plugin = await import('./plugin-main');
    await plugin.runPluginCommandLine(args);
    return;
  }
  const dispatcher = await import('./main');
  await dispatcher.runCommandLine(args);
}

/**
 * Whether the plugin's own bundle runs these arguments rather than the dispatcher: every plugin
 * invocation but --install and --uninstall, which the dispatcher's install command answers.
 */
export function runsInPluginBundle(args: readonly string[]): boolean {
  return args[0] === 'plugin' && !isInstallInvocation(args.slice(1));
}

/** argv after the script; a launcher or link named session-manager-plugin runs the plugin. */
function commandLine(): string[] {
  const args = process.argv.slice(2);
  const invokedAs = path.basename(process.argv[1] ?? '');
  return invokedAs === PLUGIN_LAUNCHER_NAME ? ['plugin', ...args] : args;
}

/** True when this module is the program being run (not imported by a test or the app). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = fileURLToPath(import.meta.url);
  // Node gives the entry its real path; argv[1] differs only through a link (npm link, a bin dir).
  if (script === self) return true;
  try {
    // Fetched here, not imported: a static import of node:fs loads a dozen more of Node's own
    // modules on every start, --version included.
    const { realpathSync } = process.getBuiltinModule('node:fs');
    return realpathSync(script) === realpathSync(self);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runCommandLine(commandLine()).catch((error: unknown) => {
    // Only a broken installation gets here (a chunk missing or unreadable): one plain line.
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`airlock: cannot load the command: ${reason}\n`);
    process.exit(1);
  });
}
