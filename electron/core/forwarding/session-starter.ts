// SessionStarter port: how the forward manager obtains SSM port sessions (real engine or a test fake).

import type { Duplex } from 'node:stream';
import type { ForwardError } from './errors';
import type { SessionEndExplanation } from './session-end';
import type { ForwardSpec } from './spec';

import type { Disposable } from '../base/lifecycle';

/**
 * - `mux`: one session carries any number of concurrent connections (smux);
 * - `basic`: one connection at a time per session (old agents), so the manager opens more
 *   sessions for concurrent connections.
 */
export type PortSessionMode = 'mux' | 'basic';

export interface PortSessionClosed {
  /**
   * - `closed`: the service ended it (channel_closed: idle timeout, maximum duration,
   *   TerminateSession by anyone) or, after a socket loss, it could not be resumed;
   * - `failed`: the session broke (protocol, handshake, credentials during resume, ...);
   * - `local`: we closed it via `close()`.
   */
  reason: 'closed' | 'failed' | 'local';
  /** Service or engine text, '' when none. */
  message: string;
  /** Set for `failed`: the classified cause. */
  error?: ForwardError;
}

export type PortSessionEvent =
  /** The data-channel socket dropped; the engine is resuming the same session. */
  | { type: 'resuming'; attempt: number; lastError?: string }
  /** The socket is back after a resume. */
  | { type: 'resumed' }
  /** The agent could not reach the remote port for one connection (Flag ConnectToPortError). */
  | { type: 'connect-error' };

/** One SSM port session, ready to carry local connections. */
export interface PortSessionHandle {
  readonly sessionId: string;
  readonly mode: PortSessionMode;
  /**
   * Carries one local connection. The handle owns the socket from here on: it reads, writes and
   * destroys it when the connection or the session ends.
   */
  handleConnection(socket: Duplex): void;
  /** Fires once when the session is over, whatever the cause. */
  onClosed(listener: (info: PortSessionClosed) => void): Disposable;
  onEvent(listener: (event: PortSessionEvent) => void): Disposable;
  /**
   * Ends the session (remotely too, so it does not linger until the idle timeout) and destroys
   * its connections. Idempotent.
   */
  close(): Promise<void>;
  /**
   * Optional: drop the current data-channel socket and resume at once, used after sleep/wake or
   * a network change when the old socket is probably dead but not yet noticed.
   */
  reconnectNow?(): void;
  /**
   * Optional: after a `closed` end, why the service ended it, from the channel_closed text
   * (`message`) and the session's DescribeSessions record. Never rejects.
   */
  explainEnd?(closedText: string): Promise<SessionEndExplanation>;
}

export interface SessionStarter {
  /**
   * Starts a session for `spec` and resolves once it can carry connections (handshake done).
   * Rejects with a ForwardError whose code and message say why (offline target, expired
   * credentials, ...). When `signal` aborts, the attempt is abandoned and any session started
   * for it is closed.
   */
  startPortSession(spec: ForwardSpec, signal: AbortSignal): Promise<PortSessionHandle>;
}
