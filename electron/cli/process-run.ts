// Runs one `airlock` invocation as this process's work: the SDK's notice silenced, a last-resort
// handler for anything no command caught, the exit status reported by the table, and the exit
// only once stdout and stderr are handed to the OS. The dispatcher (./main) and the plugin's own
// bundle (./plugin-main) both end here.

import {
  decideExit,
  describeUnexpected,
  exitZeroForced,
  isClosedPipe,
  type Launch,
} from './exit-status';
import { launchOf } from './plugin-args';

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

/** Runs `run` for the command line `args` and exits this process with its status. */
export async function runAndExit(
  args: readonly string[],
  run: () => Promise<number>,
): Promise<void> {
  // The SDK's Node-version notice would be printed on every run, which a drop-in plugin must not do.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  installProcessFailureHandler(args);
  let code: number;
  try {
    code = await run();
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
