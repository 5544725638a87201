// The status bar's countdown to a session's cut, driven by a fake time and limits events.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TabSessionId } from '../../../shared/domain';
import type { SessionsLimitsEvent } from '../../../shared/ipc';
import { createLimitsStore } from './limits-store';
import { SessionCountdown, SessionCutWarning } from './SessionCountdown';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const id = 'tab-1' as TabSessionId;
const event = (idleDeadlineAt: number): SessionsLimitsEvent => ({
  id,
  preferences: {
    configured: true,
    runAs: { enabled: false },
    shellProfile: {},
    idleTimeoutMinutes: 2,
    s3: { bucketName: 'audit', encrypted: true },
  },
  idleDeadlineAt,
});

describe('SessionCountdown', () => {
  it('counts down each second, warns in the last minute of a 2-minute idle timeout, and resets on news', () => {
    vi.useFakeTimers();
    let now = 0;
    const limits = createLimitsStore({ api: { on: () => () => undefined } });
    limits.getState().apply(event(120_000));
    render(
      <>
        <SessionCountdown limits={limits} sessionId={id} live now={() => now} />
        <SessionCutWarning limits={limits} sessionId={id} live now={() => now} />
      </>,
    );
    expect(screen.getByTestId('session-countdown').textContent).toBe('Idle cut in 2:00');
    expect(screen.getByText('Recorded')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    act(() => {
      now = 61_000;
      vi.advanceTimersByTime(1_000);
    });
    expect(screen.getByTestId('session-countdown').textContent).toBe('Idle cut in 0:59');
    expect(screen.getByRole('alert').textContent).toMatch(/Closing for inactivity soon/);

    // Traffic moved the deadline: main says so, and the warning goes away.
    act(() => limits.getState().apply(event(now + 120_000)));
    expect(screen.getByTestId('session-countdown').textContent).toBe('Idle cut in 2:00');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows nothing for a session that is not live or has no limits yet', () => {
    const limits = createLimitsStore({ api: { on: () => () => undefined } });
    const { container, rerender } = render(
      <SessionCountdown limits={limits} sessionId={id} live />,
    );
    expect(container.textContent).toBe('');
    act(() => limits.getState().apply(event(Date.now() + 120_000)));
    rerender(<SessionCountdown limits={limits} sessionId={id} live={false} />);
    expect(container.textContent).toBe('');
  });
});
