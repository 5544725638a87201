// The one exit-status rule of `airlock plugin`, `airlock shell` and `airlock forward` (README, "The
// `airlock` command"): every way a run can end, mapped to a status and at most one line on stderr.
import type { Writable } from 'node:stream';
import { toErrorMessage } from '../core/base/errors';

/**
 * - `aws-cli-argv`: the AWS CLI passed the StartSession response in argv (older CLIs). On any
 *   non-zero status it prints its whole command line, token and StreamUrl included, so the status
 *   is always 0 and a failure is reported on stderr only.
 * - `direct`: the response came in the environment variable (newer CLIs), or the session was
 *   started by Airlock itself (`airlock shell`), or by someone calling the plugin by hand.
 * - `airlock-command`: `airlock forward` and the other commands that own their whole run.
 */
export type Launch = 'aws-cli-argv' | 'direct' | 'airlock-command';

/** Signals that end the plugin; the status is 128 + the signal number. */
export type EndingSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export const SIGNAL_NUMBERS: Readonly<Record<EndingSignal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
};

export type RunOutcome =
  /** The session could not start, or was lost for good (could not be resumed). */
  | { kind: 'failed'; message: string }
  /** A NonInteractiveCommands session reported the remote command's exit code. */
  | { kind: 'command-finished'; exitCode: number }
  /** A shell (or port session) ended by `exit`, by TerminateSession, or by the service. */
  | { kind: 'ended' }
  /** The local side of a byte-stream session closed: stdin EOF, stdout closed, SIGPIPE. */
  | { kind: 'local-closed' }
  | { kind: 'signal'; signal: EndingSignal };

export interface ExitDecision {
  status: number;
  /** The one plain line to print on stderr (without its newline), when there is one. */
  stderrLine?: string;
}

export interface ExitOptions {
  /** `AIRLOCK_PLUGIN_EXIT_ZERO=1`: always 0, as the official plugin does. */
  forceZero?: boolean;
}

/** The environment switch that forces the official plugin's always-0 behaviour. */
export function exitZeroForced(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.AIRLOCK_PLUGIN_EXIT_ZERO === '1';
}

/** The status (and stderr line) for one outcome of one kind of run. */
export function decideExit(
  launch: Launch,
  outcome: RunOutcome,
  options: ExitOptions = {},
): ExitDecision {
  const decision = statusFor(outcome);
  // The argv row wins over every other, signals included: a non-zero status there prints the token.
  if (options.forceZero === true || launch === 'aws-cli-argv') decision.status = 0;
  return decision;
}

function statusFor(outcome: RunOutcome): ExitDecision {
  switch (outcome.kind) {
    case 'failed':
      return { status: 1, stderrLine: oneLine(outcome.message) };
    case 'command-finished':
      return { status: clampStatus(outcome.exitCode) };
    case 'ended':
    case 'local-closed':
      return { status: 0 };
    case 'signal':
      return { status: 128 + SIGNAL_NUMBERS[outcome.signal] };
  }
}

/** Exit statuses are one byte; a remote code outside 0..255 keeps its low byte, as a shell does. */
function clampStatus(code: number): number {
  return Number.isInteger(code) ? ((code % 256) + 256) % 256 : 1;
}

/** A message as one plain line: no line breaks, no leading or trailing blanks. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** How an error the process did not expect is reported: its message, one line. */
export function describeUnexpected(error: unknown): string {
  return oneLine(toErrorMessage(error));
}

/** EPIPE and friends: the reader of stdout went away, which is the local side closing. */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END'
  );
}

/** Applies the exit-status rule: prints its one stderr line, if any, and returns the status. */
export function reportExit(
  launch: Launch,
  outcome: RunOutcome,
  deps: { stderr: Writable; env: Readonly<Record<string, string | undefined>> },
): number {
  const decision = decideExit(launch, outcome, { forceZero: exitZeroForced(deps.env) });
  if (decision.stderrLine !== undefined) writeQuietly(deps.stderr, `${decision.stderrLine}\n`);
  return decision.status;
}

/** Writes unless the stream is gone; a closed reader is an outcome, never a crash. */
export function writeQuietly(stream: Writable, text: string | Uint8Array): void {
  if (stream.destroyed || stream.writableEnded) return;
  stream.write(text);
}
