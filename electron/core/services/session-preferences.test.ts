import { describe, expect, it } from 'vitest';
import { TabSessionIdSchema } from '../../../shared/domain';
import { FakeClock } from '../testing/fake-clock';
import { LIMITS_REPORT_STEP_MS, SessionLimits } from './session-limits';
import {
  DEFAULT_PREFERENCES,
  parsePreferences,
  PreferencesFormatError,
} from './session-preferences';

const document = (inputs: object) =>
  JSON.stringify({ schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs });

describe('parsePreferences', () => {
  it('reads every input the console writes', () => {
    expect(
      parsePreferences(
        document({
          s3BucketName: 'audit-logs',
          s3KeyPrefix: 'ssm/',
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: '/ssm/sessions',
          cloudWatchEncryptionEnabled: false,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: 'alias/sessions',
          runAsEnabled: true,
          runAsDefaultUser: 'ops',
          idleSessionTimeout: '2',
          maxSessionDuration: '90',
          shellProfile: { linux: 'exec bash -l', windows: '' },
        }),
      ),
    ).toEqual({
      configured: true,
      runAs: { enabled: true, defaultUser: 'ops' },
      shellProfile: { linux: 'exec bash -l' },
      kmsKeyId: 'alias/sessions',
      s3: { bucketName: 'audit-logs', keyPrefix: 'ssm/', encrypted: true },
      cloudWatch: { logGroupName: '/ssm/sessions', encrypted: false, streaming: true },
      idleTimeoutMinutes: 2,
      maxDurationMinutes: 90,
    });
  });

  it('treats empty values as unset, takes numbers and "true" strings, and refuses out-of-range minutes', () => {
    expect(
      parsePreferences(
        document({
          s3BucketName: '',
          kmsKeyId: ' ',
          runAsEnabled: 'true',
          idleSessionTimeout: 90,
          maxSessionDuration: '',
        }),
      ),
    ).toEqual({
      configured: true,
      runAs: { enabled: true },
      shellProfile: {},
      idleTimeoutMinutes: 20,
    });
    expect(parsePreferences(document({ idleSessionTimeout: 60 })).idleTimeoutMinutes).toBe(60);
  });

  it('says what is wrong with a document that is not a preferences document', () => {
    expect(() => parsePreferences('schemaVersion: 1.0')).toThrow(PreferencesFormatError);
    expect(() => parsePreferences('{"sessionType":"Standard_Stream"}')).toThrow(/no inputs/);
    expect(DEFAULT_PREFERENCES).toMatchObject({ configured: false, idleTimeoutMinutes: 20 });
  });
});

describe('SessionLimits', () => {
  const id = TabSessionIdSchema.parse('s');
  const preferences = { ...DEFAULT_PREFERENCES, idleTimeoutMinutes: 2, maxDurationMinutes: 60 };

  it('moves the idle deadline with traffic and keeps the maximum fixed', () => {
    const clock = new FakeClock(1_000_000);
    const limits = new SessionLimits(clock, preferences);
    expect(limits.report(id)).toEqual({
      id,
      preferences,
      idleDeadlineAt: 1_000_000 + 120_000,
      maxDeadlineAt: 1_000_000 + 3_600_000,
    });
    clock.advance(90_000);
    expect(limits.activity()).toBe(true);
    expect(limits.report(id)).toMatchObject({
      idleDeadlineAt: 1_090_000 + 120_000,
      maxDeadlineAt: 1_000_000 + 3_600_000,
    });
  });

  it('reports a moved idle deadline at most once per step', () => {
    const clock = new FakeClock(0);
    const limits = new SessionLimits(clock, preferences);
    limits.report(id);
    clock.advance(LIMITS_REPORT_STEP_MS - 1);
    expect(limits.activity()).toBe(false);
    clock.advance(1);
    expect(limits.activity()).toBe(true);
    expect(limits.report(id).idleDeadlineAt).toBe(LIMITS_REPORT_STEP_MS + 120_000);
  });
});
