import { describe, expect, it } from 'vitest';
import { explainSessionEnd, mayRestartAfter } from './session-end';

const IDLE = 'Your session timed out due to inactivity and has been terminated.';
const MAX = 'Your session has reached its maximum duration and has been terminated.';

describe('explainSessionEnd', () => {
  it('tells the timeouts from the channel_closed text', () => {
    expect(explainSessionEnd(IDLE, undefined)).toEqual({
      cause: 'idle-timeout',
      description: 'idle timeout',
    });
    expect(explainSessionEnd(MAX, undefined).cause).toBe('max-duration');
  });

  it("falls back to DescribeSessions' Details when the text is empty", () => {
    expect(explainSessionEnd('', { status: 'Terminated', details: IDLE }).cause).toBe(
      'idle-timeout',
    );
  });

  it('counts an empty text as a TerminateSession only when DescribeSessions says it ended', () => {
    expect(explainSessionEnd('', { status: 'Terminated' }).cause).toBe('terminated');
    expect(explainSessionEnd('', { status: 'Terminating' }).cause).toBe('terminated');
    expect(explainSessionEnd('', undefined)).toEqual({
      cause: 'unknown',
      description: 'no reason given',
    });
    expect(explainSessionEnd('', { status: 'Connected' }).cause).toBe('unknown');
  });

  it('keeps any other service text as the description of an unknown end', () => {
    expect(explainSessionEnd('Plugin failed', { status: 'Terminated' })).toEqual({
      cause: 'unknown',
      description: 'Plugin failed',
    });
  });

  it('lets the restart option act on the timeouts only', () => {
    expect(mayRestartAfter('idle-timeout')).toBe(true);
    expect(mayRestartAfter('max-duration')).toBe(true);
    expect(mayRestartAfter('terminated')).toBe(false);
    expect(mayRestartAfter('unknown')).toBe(false);
  });
});
