// The session limits of a forward: what applies to a port-forwarding session (idle timeout and
// maximum duration; no logging, no KMS, no Run As), the countdown from the forward's last traffic
// and session start, and the warning before the cut.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionPreferences } from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { forwardView } from '../../testing/forwards';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import {
  ForwardSessionPolicy,
  forwardCut,
  forwardPolicyFacts,
  forwardWarning,
} from './ForwardSessionPolicy';

afterEach(() => {
  cleanup();
  disposeAllServices();
  vi.useRealTimers();
});

const logged: SessionPreferences = {
  configured: true,
  runAs: { enabled: true, defaultUser: 'ops' },
  shellProfile: { linux: 'exec bash' },
  kmsKeyId: 'alias/sessions',
  s3: { bucketName: 'audit', encrypted: true },
  idleTimeoutMinutes: 2,
  maxDurationMinutes: 60,
};

const MINUTE = 60_000;

describe('forwardPolicyFacts', () => {
  it('names the limits that apply and says logging and KMS do not, leaving Run As out', () => {
    expect(forwardPolicyFacts(logged)).toEqual([
      ['Idle timeout', '2 min without traffic'],
      ['Maximum duration', '60 min'],
      ['Session logging', 'Not recorded: Session Manager does not log port forwarding'],
      [
        'Encryption',
        "TLS only: the region's KMS key (alias/sessions) applies to shells, not to port forwarding",
      ],
    ]);
    const defaults = forwardPolicyFacts({
      configured: false,
      runAs: { enabled: false },
      shellProfile: {},
      idleTimeoutMinutes: 20,
    });
    expect(defaults).toContainEqual(['Maximum duration', 'None']);
    expect(defaults).toContainEqual(['Encryption', 'TLS only']);
    expect(defaults.at(-1)?.[0]).toBe('Preferences');
  });
});

describe('forwardCut', () => {
  const stats = forwardView('a').stats;

  it('counts the idle cut from the last traffic and warns in its last half (a 2-minute timeout)', () => {
    const running = { ...stats, sessionStartedAt: 0, lastActivityAt: 30_000 };
    expect(forwardCut(logged, running, 60_000)).toEqual({
      kind: 'idle',
      remainingMs: 90_000,
      warning: false,
    });
    expect(forwardCut(logged, running, 100_000)).toEqual({
      kind: 'idle',
      remainingMs: 50_000,
      warning: true,
    });
  });

  it('takes the maximum duration when it comes first, and nothing without a session', () => {
    const busy = { ...stats, sessionStartedAt: 0, lastActivityAt: 59 * MINUTE };
    expect(forwardCut(logged, busy, 59 * MINUTE)).toEqual({
      kind: 'max',
      remainingMs: MINUTE,
      warning: true,
    });
    expect(forwardCut(logged, stats, 0)).toBeUndefined();
  });

  it('warns of what follows the cut', () => {
    expect(forwardWarning('idle', false)).toBe(
      'Closing for inactivity soon (the forward then stops).',
    );
    expect(forwardWarning('max', true)).toBe(
      'Maximum duration nearly reached (a new session then takes over).',
    );
  });
});

describe('ForwardSessionPolicy', () => {
  it("reads the forward's region's preferences and counts down while it runs", async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: 1_000_000 });
    const api = new FakeApi().reply('documents:preferences', {
      ok: true,
      value: { preferences: logged },
    });
    const running = forwardView('a', {
      awsProfile: 'work',
      region: 'eu-west-1',
      status: 'listening',
      stats: { ...forwardView('a').stats, sessionStartedAt: 1_000_000, lastActivityAt: 1_000_000 },
    });
    await renderWithServices(api, <ForwardSessionPolicy forward={running} />);
    expect(api.callsTo('documents:preferences')).toEqual([
      { region: 'eu-west-1', sourceId: 'work@eu-west-1' },
    ]);
    expect(screen.getByTestId('forward-countdown').textContent).toBe('Idle cut in 2:00');
    expect(screen.queryByTestId('forward-cut-warning')).toBeNull();
    expect(screen.getByTestId('forward-session-policy').title).toContain(
      'Session logging: Not recorded',
    );
    await vi.advanceTimersByTimeAsync(61_000);
    expect(screen.getByTestId('forward-countdown').textContent).toBe('Idle cut in 0:59');
    expect(screen.getByTestId('forward-cut-warning').textContent).toBe(
      'Closing for inactivity soon (the forward then stops).',
    );
  });

  it('shows the limits without a countdown when stopped', async () => {
    const api = new FakeApi().reply('documents:preferences', {
      ok: true,
      value: { preferences: logged },
    });
    await renderWithServices(api, <ForwardSessionPolicy forward={forwardView('b')} />);
    expect(screen.getByTestId('forward-session-policy').textContent).toBe('Idle 2 min, max 60 min');
    expect(screen.queryByTestId('forward-countdown')).toBeNull();
  });
});
