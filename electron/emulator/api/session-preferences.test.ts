import { describe, expect, it } from 'vitest';
import { limitsOf, SandboxPreferences } from './session-preferences';

describe('sandbox session preferences', () => {
  it("turns a document's inputs into session limits, whether minutes are strings or numbers", () => {
    expect(
      limitsOf({ idleSessionTimeout: '2', maxSessionDuration: 30, kmsKeyId: ' alias/k ' }),
    ).toEqual({
      idleTimeoutMs: 120_000,
      maxDurationMs: 1_800_000,
      kmsKeyId: 'alias/k',
    });
    expect(limitsOf({ idleSessionTimeout: '', maxSessionDuration: '' })).toEqual({
      idleTimeoutMs: 20 * 60_000,
    });
  });

  it('keeps the sandbox-wide defaults where nothing is configured, and the service defaults where the document is removed', () => {
    const preferences = new SandboxPreferences({ idleTimeoutMs: 1_500 }, { 'eu-west-1': null });
    expect(preferences.limits('us-east-1')).toEqual({ idleTimeoutMs: 1_500 });
    expect(preferences.inputs('us-east-1')).toEqual({});
    expect(preferences.inputs('eu-west-1')).toBeUndefined();
    expect(preferences.limits('eu-west-1')).toEqual({ idleTimeoutMs: 20 * 60_000 });
    preferences.set('us-east-1', { idleSessionTimeout: '2', runAsEnabled: true });
    expect(preferences.limits('us-east-1')).toEqual({ idleTimeoutMs: 120_000 });
    expect(preferences.inputs('us-east-1')).toEqual({
      idleSessionTimeout: '2',
      runAsEnabled: true,
    });
    expect(new SandboxPreferences({ idleTimeoutMs: 600_000 }).inputs('x')).toEqual({
      idleSessionTimeout: '10',
    });
  });
});
