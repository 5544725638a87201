// What inventory outcomes say about a profile's credentials: a credentials error marks the profile,
// a refusal in one region does not, and a checked status survives a fetch that agrees with it.
import { describe, expect, it } from 'vitest';
import type { SourceState, SourceStatus } from '../aws/inventory';
import { silentLogger } from '../base/logger';
import { ProfileStatuses } from './profile-statuses';

function outcome(profile: string, region: string, status: SourceStatus): SourceState {
  return { source: { id: `${profile}/${region}`, profile, region }, status, refreshing: false };
}

const ok: SourceStatus = { state: 'ok', count: 1, fetchedAt: '2026-01-01T00:00:00Z', warnings: [] };

describe('ProfileStatuses.noteInventory', () => {
  it('marks a profile whose credentials were refused', () => {
    const statuses = new ProfileStatuses(silentLogger);
    const changed = statuses.noteInventory([
      outcome('dev', 'eu-west-1', {
        state: 'error',
        code: 'expired',
        message: 'Expired.',
        fetchedAt: '2026-01-01T00:00:00Z',
      }),
    ]);
    expect(changed).toBe(true);
    expect(statuses.get('dev')).toEqual({
      state: 'error',
      problem: 'expired',
      message: 'Expired.',
      actionProfile: 'dev',
    });
  });

  it('takes a refusal in one region as saying nothing about the credentials', () => {
    const statuses = new ProfileStatuses(silentLogger);
    statuses.noteInventory([
      outcome('dev', 'eu-west-1', {
        state: 'error',
        code: 'access-denied',
        message: 'Denied.',
        fetchedAt: '2026-01-01T00:00:00Z',
      }),
      outcome('dev', 'us-east-1', ok),
    ]);
    expect(statuses.get('dev')).toEqual({ state: 'ok' });
  });

  it('reports no change when a fetch agrees with what is known, and skips pending sources', () => {
    const statuses = new ProfileStatuses(silentLogger);
    expect(statuses.noteInventory([outcome('dev', 'eu-west-1', { state: 'pending' })])).toBe(false);
    expect(statuses.get('dev')).toEqual({ state: 'unchecked' });
    expect(statuses.noteInventory([outcome('dev', 'eu-west-1', ok)])).toBe(true);
    expect(statuses.noteInventory([outcome('dev', 'eu-west-1', ok)])).toBe(false);
  });

  it('forgets everything when the profiles are reloaded', () => {
    const statuses = new ProfileStatuses(silentLogger);
    statuses.noteInventory([outcome('dev', 'eu-west-1', ok)]);
    statuses.clear();
    expect(statuses.get('dev')).toEqual({ state: 'unchecked' });
  });
});
