import { describe, expect, it } from 'vitest';
import {
  INITIAL_FORWARD_STATE,
  forwardNotice,
  forwardReducer,
  isRunning,
  type ForwardEvent,
  type ForwardState,
} from './state';

function run(events: ForwardEvent[], from: ForwardState = INITIAL_FORWARD_STATE): ForwardState {
  return events.reduce(forwardReducer, from);
}

describe('forwardReducer', () => {
  it('goes stopped -> starting -> listening -> active -> listening', () => {
    const starting = forwardReducer(INITIAL_FORWARD_STATE, { type: 'start' });
    expect(starting).toEqual({ status: 'starting' });
    const listening = forwardReducer(starting, { type: 'session-ready', connections: 0 });
    expect(listening).toEqual({ status: 'listening' });
    const active = forwardReducer(listening, { type: 'connections-changed', connections: 2 });
    expect(active).toEqual({ status: 'active', connections: 2 });
    expect(forwardReducer(active, { type: 'connections-changed', connections: 0 })).toEqual({
      status: 'listening',
    });
  });

  it('becomes active at once when connections waited during start', () => {
    expect(run([{ type: 'start' }, { type: 'session-ready', connections: 3 }])).toEqual({
      status: 'active',
      connections: 3,
    });
  });

  it('reconnects after a lost session, counting failed tries, then recovers', () => {
    const lost = run([
      { type: 'start' },
      { type: 'session-ready', connections: 1 },
      { type: 'session-lost', reason: 'session-closed', connections: 1, message: 'Bye' },
    ]);
    expect(lost).toEqual({
      status: 'reconnecting',
      reason: 'session-closed',
      attempt: 1,
      connections: 1,
      lastError: 'Bye',
    });
    const retried = run(
      [
        { type: 'retry-failed', message: 'TargetNotConnected' },
        { type: 'connections-changed', connections: 4 },
      ],
      lost,
    );
    expect(retried).toEqual({
      status: 'reconnecting',
      reason: 'session-closed',
      attempt: 2,
      connections: 4,
      lastError: 'TargetNotConnected',
    });
    expect(forwardReducer(retried, { type: 'session-ready', connections: 4 })).toEqual({
      status: 'active',
      connections: 4,
    });
  });

  it('turns a failed resume into a fresh-session reconnect without resetting the count', () => {
    const resuming = run([
      { type: 'start' },
      { type: 'session-ready', connections: 0 },
      { type: 'session-lost', reason: 'resuming', connections: 0 },
      { type: 'retry-failed', message: 'socket refused' },
      { type: 'session-lost', reason: 'session-closed', connections: 0 },
    ]);
    expect(resuming).toMatchObject({
      status: 'reconnecting',
      reason: 'session-closed',
      attempt: 2,
    });
  });

  it('fails from any running state and can start again from error', () => {
    for (const from of [
      run([{ type: 'start' }]),
      run([{ type: 'start' }, { type: 'session-ready', connections: 0 }]),
      run([
        { type: 'start' },
        { type: 'session-ready', connections: 0 },
        { type: 'session-lost', reason: 'session-closed', connections: 0 },
      ]),
    ]) {
      const failed = forwardReducer(from, {
        type: 'failed',
        code: 'credentials-expired',
        message: 'expired',
      });
      expect(failed).toEqual({ status: 'error', code: 'credentials-expired', message: 'expired' });
      expect(isRunning(failed)).toBe(false);
      expect(forwardReducer(failed, { type: 'start' })).toEqual({ status: 'starting' });
      expect(forwardReducer(failed, { type: 'stop' })).toEqual({ status: 'stopped' });
    }
  });

  it('ignores events that do not apply, returning the same object', () => {
    const stopped = INITIAL_FORWARD_STATE;
    for (const event of [
      { type: 'session-ready', connections: 1 },
      { type: 'connections-changed', connections: 1 },
      { type: 'session-lost', reason: 'session-closed', connections: 0 },
      { type: 'retry-failed', message: 'x' },
      { type: 'failed', code: 'network', message: 'late' },
      { type: 'stop' },
    ] as const) {
      expect(forwardReducer(stopped, event)).toBe(stopped);
    }
    const listening = run([{ type: 'start' }, { type: 'session-ready', connections: 0 }]);
    expect(forwardReducer(listening, { type: 'start' })).toBe(listening);
    expect(forwardReducer(listening, { type: 'retry-failed', message: 'x' })).toBe(listening);
    expect(forwardReducer(listening, { type: 'connections-changed', connections: 0 })).toBe(
      listening,
    );
    expect(forwardReducer(listening, { type: 'session-ready', connections: 0 })).toBe(listening);
    const starting = run([{ type: 'start' }]);
    expect(
      forwardReducer(starting, { type: 'session-lost', reason: 'resuming', connections: 0 }),
    ).toBe(starting);
  });

  it('stops from every state', () => {
    const states: ForwardState[] = [
      { status: 'starting' },
      { status: 'listening' },
      { status: 'active', connections: 2 },
      { status: 'reconnecting', reason: 'resuming', attempt: 3, connections: 0 },
      { status: 'error', code: 'port-in-use', message: 'x' },
    ];
    for (const state of states)
      expect(forwardReducer(state, { type: 'stop' })).toEqual({ status: 'stopped' });
  });
});

describe('forwardNotice', () => {
  const listening: ForwardState = { status: 'listening' };

  it('notifies failures', () => {
    expect(
      forwardNotice('db', listening, {
        status: 'error',
        code: 'target-not-connected',
        message: 'offline',
      }),
    ).toEqual({ kind: 'failed', title: 'Forward "db" failed', body: 'offline' });
  });

  it('notifies a recovery only after failed tries', () => {
    const firstTry: ForwardState = {
      status: 'reconnecting',
      reason: 'session-closed',
      attempt: 1,
      connections: 0,
      lastError: 'Your session timed out due to inactivity',
    };
    expect(forwardNotice('db', firstTry, listening)).toBeUndefined();
    expect(
      forwardNotice('db', { ...firstTry, attempt: 3 }, { status: 'active', connections: 1 }),
    ).toEqual({
      kind: 'recovered',
      title: 'Forward "db" recovered',
      body: 'Reconnected after 2 failed tries.',
    });
  });

  it('stays quiet for ordinary changes', () => {
    expect(forwardNotice('db', { status: 'starting' }, listening)).toBeUndefined();
    expect(forwardNotice('db', listening, { status: 'stopped' })).toBeUndefined();
    const error: ForwardState = { status: 'error', code: 'network', message: 'a' };
    expect(forwardNotice('db', error, { ...error, message: 'b' })).toBeUndefined();
  });
});
