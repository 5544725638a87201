import { describe, expect, it } from 'vitest';
import type { SessionPreferences, SessionsLimitsEvent } from '../../shared/ipc';
import type { TabSessionId } from '../../shared/domain';
import {
  describeCut,
  formatRemaining,
  nextCut,
  preferenceFacts,
  warningLeadMs,
  warningSentence,
} from './session-policy';

const base: SessionPreferences = {
  configured: true,
  runAs: { enabled: false },
  shellProfile: {},
  idleTimeoutMinutes: 2,
};
const limits = (overrides: Partial<SessionsLimitsEvent>): SessionsLimitsEvent => ({
  id: 'tab-1' as TabSessionId,
  preferences: base,
  ...overrides,
});

describe('session policy', () => {
  it('counts down to the nearer cut and warns a few minutes (at most half the limit) before it', () => {
    const start = 1_000_000;
    const event = limits({
      preferences: { ...base, maxDurationMinutes: 60 },
      idleDeadlineAt: start + 120_000,
      maxDeadlineAt: start + 3_600_000,
    });
    expect(nextCut(event, start)).toEqual({ kind: 'idle', remainingMs: 120_000, warning: false });
    expect(nextCut(event, start + 60_000 - 1)?.warning).toBe(false);
    expect(nextCut(event, start + 60_000)).toEqual({
      kind: 'idle',
      remainingMs: 60_000,
      warning: true,
    });
    expect(nextCut(event, start + 500_000)).toEqual({
      kind: 'idle',
      remainingMs: 0,
      warning: true,
    });
    // Traffic moved the idle deadline past the maximum: the maximum comes first.
    const late = { ...event, idleDeadlineAt: start + 3_599_000 + 120_000 };
    expect(nextCut(late, start + 3_599_000)).toEqual({
      kind: 'max',
      remainingMs: 1_000,
      warning: true,
    });
    expect(warningLeadMs(20 * 60_000)).toBe(5 * 60_000);
    expect(nextCut(limits({}), 0)).toBeUndefined();
  });

  it('formats what is left and says what to do', () => {
    expect(formatRemaining(61_001)).toBe('1:02');
    expect(formatRemaining(3_600_000)).toBe('1:00:00');
    expect(formatRemaining(-5)).toBe('0:00');
    expect(describeCut({ kind: 'idle', remainingMs: 59_000, warning: true })).toBe(
      'Idle cut in 0:59',
    );
    expect(warningSentence('idle')).toMatch(/Closing for inactivity soon/);
    expect(describeCut({ kind: 'max', remainingMs: 120_000, warning: false })).toBe(
      'Max. duration ends in 2:00',
    );
  });

  it('says whether sessions are recorded, as whom they run and how they are encrypted', () => {
    const facts = new Map(
      preferenceFacts({
        ...base,
        runAs: { enabled: true, defaultUser: 'ops' },
        kmsKeyId: 'alias/ssm',
        s3: { bucketName: 'audit', keyPrefix: 'ssm/', encrypted: true },
        cloudWatch: { logGroupName: '/ssm', encrypted: false, streaming: true },
        shellProfile: { linux: 'exec bash' },
      }),
    );
    expect(facts.get('Session logging')).toBe(
      'Recorded to S3 s3://audit/ssm/ (encrypted); CloudWatch /ssm, streamed live',
    );
    expect(facts.get('Run As')).toBe('ops');
    expect(facts.get('Encryption')).toBe('KMS key alias/ssm');
    expect(facts.get('Shell profile (Linux)')).toBe('exec bash');
    expect(new Map(preferenceFacts({ ...base, configured: false })).get('Session logging')).toBe(
      'Not recorded',
    );
  });
});
