import { describe, expect, it } from 'vitest';
import {
  decideExit,
  describeUnexpected,
  exitZeroForced,
  isClosedPipe,
  oneLine,
  type Launch,
  type RunOutcome,
} from './exit-status';

const failed: RunOutcome = { kind: 'failed', message: 'Cannot perform start session: refused' };
const everyOutcome: RunOutcome[] = [
  failed,
  { kind: 'command-finished', exitCode: 3 },
  { kind: 'ended' },
  { kind: 'local-closed' },
  { kind: 'signal', signal: 'SIGINT' },
  { kind: 'signal', signal: 'SIGTERM' },
  { kind: 'signal', signal: 'SIGHUP' },
];

describe('the exit-status table (README, "The airlock command")', () => {
  it('row 1: response in argv: 0 for anything, a failure as one line on stderr', () => {
    for (const outcome of everyOutcome) {
      expect(decideExit('aws-cli-argv', outcome).status).toBe(0);
    }
    expect(decideExit('aws-cli-argv', failed)).toEqual({
      status: 0,
      stderrLine: 'Cannot perform start session: refused',
    });
  });

  it('row 2: response in the environment, or direct: could not start or lost for good is 1', () => {
    expect(decideExit('direct', failed)).toEqual({
      status: 1,
      stderrLine: 'Cannot perform start session: refused',
    });
    expect(decideExit('direct', { kind: 'failed', message: 'Session: s-1 timed out.' })).toEqual({
      status: 1,
      stderrLine: 'Session: s-1 timed out.',
    });
  });

  it('row 3: a non-interactive command that finished gives the remote exit code', () => {
    expect(decideExit('direct', { kind: 'command-finished', exitCode: 7 })).toEqual({ status: 7 });
    expect(decideExit('direct', { kind: 'command-finished', exitCode: 0 })).toEqual({ status: 0 });
    // Like a shell, only the low byte of an out-of-range code survives.
    expect(decideExit('direct', { kind: 'command-finished', exitCode: 257 }).status).toBe(1);
    expect(decideExit('direct', { kind: 'command-finished', exitCode: -1 }).status).toBe(255);
  });

  it('row 4: a shell ended by exit, TerminateSession or the service is 0', () => {
    expect(decideExit('direct', { kind: 'ended' })).toEqual({ status: 0 });
  });

  it('row 5: the local side of a byte stream closing is 0, silently, however it was started', () => {
    for (const launch of ['aws-cli-argv', 'direct', 'airlock-command'] as Launch[]) {
      expect(decideExit(launch, { kind: 'local-closed' })).toEqual({ status: 0 });
    }
  });

  it('row 6: SIGINT, SIGTERM and SIGHUP give 128 + the signal, with nothing printed', () => {
    expect(decideExit('direct', { kind: 'signal', signal: 'SIGHUP' })).toEqual({ status: 129 });
    expect(decideExit('direct', { kind: 'signal', signal: 'SIGINT' })).toEqual({ status: 130 });
    expect(decideExit('direct', { kind: 'signal', signal: 'SIGTERM' })).toEqual({ status: 143 });
    expect(decideExit('airlock-command', { kind: 'signal', signal: 'SIGINT' }).status).toBe(130);
  });

  it('row 7: airlock shell and airlock forward fail with 1 and one plain line', () => {
    expect(
      decideExit('airlock-command', { kind: 'failed', message: 'airlock forward: no\nsuch\n' }),
    ).toEqual({ status: 1, stderrLine: 'airlock forward: no such' });
  });

  it('AIRLOCK_PLUGIN_EXIT_ZERO=1 forces 0 everywhere, keeping the stderr line', () => {
    expect(exitZeroForced({ AIRLOCK_PLUGIN_EXIT_ZERO: '1' })).toBe(true);
    expect(exitZeroForced({ AIRLOCK_PLUGIN_EXIT_ZERO: '0' })).toBe(false);
    expect(exitZeroForced({})).toBe(false);
    for (const outcome of everyOutcome) {
      expect(decideExit('direct', outcome, { forceZero: true }).status).toBe(0);
    }
    expect(decideExit('direct', failed, { forceZero: true }).stderrLine).toBe(
      'Cannot perform start session: refused',
    );
  });
});

describe('helpers', () => {
  it('makes one plain line of any message', () => {
    expect(oneLine('  first\r\n  second\n\nthird  ')).toBe('first second third');
    expect(describeUnexpected(new Error('boom\nat frame'))).toBe('boom at frame');
    expect(describeUnexpected('text')).toBe('text');
  });

  it('recognises a closed pipe', () => {
    expect(isClosedPipe(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(isClosedPipe(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isClosedPipe(null)).toBe(false);
  });
});
