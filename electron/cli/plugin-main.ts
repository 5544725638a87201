// `airlock plugin` with a session to run, as the program's entry (./entry) hands it over. The
// build makes this module a bundle of its own (out/cli/plugin/plugin.mjs), so a plugin session
// loads a few files of its own rather than the dispatcher and the many chunks it shares with every
// other command: reading, resolving and linking those was a measurable part of the time to the
// session's first output (e2e/bench `plugin-first-output`).

import { runPlugin } from './plugin';
// Part of this bundle from the start, not imported when the session starts: the session is what
// this bundle is loaded for.
import { runPluginSession } from './plugin-session';
import { runAndExit } from './process-run';

/** Runs `airlock plugin ARGS...` (args include 'plugin') and exits with its status. */
export function runPluginCommandLine(args: readonly string[]): Promise<void> {
  return runAndExit(args, () =>
    runPlugin(args.slice(1), {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      process,
      runSession: runPluginSession,
    }),
  );
}
