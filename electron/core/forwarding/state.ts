// The forward state machine as a pure reducer, plus the pure notice decision (failed / recovered).

import type { ForwardErrorCode } from './errors';

export type ForwardStatus =
  'stopped' | 'starting' | 'listening' | 'active' | 'reconnecting' | 'error';

/**
 * - `session-closed`: the session failed, or the service ended it and the forward is finding out
 *   why (it then stops, or starts a fresh session when its restart option allows);
 * - `resuming`: the data-channel socket dropped and the engine is resuming the same session.
 */
export type ReconnectReason = 'session-closed' | 'resuming';

export type ForwardState =
  | { status: 'stopped' }
  /** Binding the listener and opening the first session. */
  | { status: 'starting' }
  /** Listener open, a session ready, no local connections. */
  | { status: 'listening' }
  | { status: 'active'; connections: number }
  /** Listener open; new connections wait until a session serves again. */
  | {
      status: 'reconnecting';
      reason: ReconnectReason;
      /** 1 for the first try after the loss; grows with each failed try. */
      attempt: number;
      connections: number;
      lastError?: string;
    }
  /** Not serving (listener closed) until the user starts it again. */
  | { status: 'error'; code: ForwardErrorCode; message: string };

export type ForwardEvent =
  | { type: 'start' }
  /** A session serves connections (first open, fresh session, or resumed). */
  | { type: 'session-ready'; connections: number }
  | { type: 'connections-changed'; connections: number }
  | { type: 'session-lost'; reason: ReconnectReason; connections: number; message?: string }
  /** A reconnect try failed; another follows after a backoff delay. */
  | { type: 'retry-failed'; message: string }
  | { type: 'failed'; code: ForwardErrorCode; message: string }
  | { type: 'stop' };

export const INITIAL_FORWARD_STATE: ForwardState = Object.freeze({ status: 'stopped' });

function serving(connections: number): ForwardState {
  return connections > 0 ? { status: 'active', connections } : { status: 'listening' };
}

function sameServing(state: ForwardState, next: ForwardState): boolean {
  if (state.status !== next.status) return false;
  return (
    state.status !== 'active' || next.status !== 'active' || state.connections === next.connections
  );
}

/**
 * Returns the next state, or the very same object when the event does not apply in this state
 * (so callers can compare by reference to decide whether anything changed).
 */
export function forwardReducer(state: ForwardState, event: ForwardEvent): ForwardState {
  switch (event.type) {
    case 'start':
      return state.status === 'stopped' || state.status === 'error'
        ? { status: 'starting' }
        : state;

    case 'session-ready': {
      if (
        state.status !== 'starting' &&
        state.status !== 'reconnecting' &&
        state.status !== 'listening' &&
        state.status !== 'active'
      ) {
        return state;
      }
      const next = serving(Math.max(0, event.connections));
      return sameServing(state, next) ? state : next;
    }

    case 'connections-changed': {
      const connections = Math.max(0, event.connections);
      if (state.status === 'listening' || state.status === 'active') {
        const next = serving(connections);
        return sameServing(state, next) ? state : next;
      }
      if (state.status === 'reconnecting' && state.connections !== connections) {
        return { ...state, connections };
      }
      return state;
    }

    case 'session-lost': {
      const connections = Math.max(0, event.connections);
      if (state.status === 'listening' || state.status === 'active') {
        return {
          status: 'reconnecting',
          reason: event.reason,
          attempt: 1,
          connections,
          ...(event.message !== undefined && event.message !== '' && { lastError: event.message }),
        };
      }
      if (state.status === 'reconnecting') {
        // A resume that gives up becomes a fresh-session reconnect; the attempt count carries on.
        if (state.reason === event.reason && state.connections === connections) return state;
        return { ...state, reason: event.reason, connections };
      }
      return state;
    }

    case 'retry-failed':
      return state.status === 'reconnecting'
        ? { ...state, attempt: state.attempt + 1, lastError: event.message }
        : state;

    case 'failed':
      // A failure reported after the user stopped the forward is stale.
      if (state.status === 'stopped') return state;
      return { status: 'error', code: event.code, message: event.message };

    case 'stop':
      return state.status === 'stopped' ? state : INITIAL_FORWARD_STATE;
  }
}

/** The listener is (or is being) held open in these states. */
export function isRunning(state: ForwardState): boolean {
  return state.status !== 'stopped' && state.status !== 'error';
}

export interface ForwardNotice {
  kind: 'failed' | 'recovered';
  title: string;
  body: string;
}

/**
 * Whether a state change deserves a desktop notification. Failures always do. A recovery does
 * only when at least one reconnect try failed, so the routine hourly service close or idle
 * timeout (recovered on the first try) does not notify every hour.
 */
export function forwardNotice(
  name: string,
  previous: ForwardState,
  next: ForwardState,
): ForwardNotice | undefined {
  if (next.status === 'error' && previous.status !== 'error') {
    const title =
      next.code === 'session-ended'
        ? `Forward "${name}" stopped by Session Manager`
        : `Forward "${name}" failed`;
    return { kind: 'failed', title, body: next.message };
  }
  if (
    previous.status === 'reconnecting' &&
    (next.status === 'listening' || next.status === 'active') &&
    previous.attempt > 1
  ) {
    const failed = previous.attempt - 1;
    return {
      kind: 'recovered',
      title: `Forward "${name}" recovered`,
      body: `Reconnected after ${failed} failed ${failed === 1 ? 'try' : 'tries'}.`,
    };
  }
  return undefined;
}
