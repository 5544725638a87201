// Public types of the client session engine: status, session info and the ready session union.

import type { KnownSessionType } from './handshake';
import type { SessionErrorCode } from './errors';
import type { PortForwardSession } from './port-session';
import type { ShellSession } from './shell-session';

/**
 * - `channel-closed`: the service ended the session (message: its Output text, often empty);
 * - `timed-out`: after a socket loss, ResumeSession said the session no longer exists;
 * - `terminated`: we ended it (TerminateSession API or flag);
 * - `closed`: closed locally; the remote session may live on until the service's idle timeout.
 */
export type CloseReason = 'channel-closed' | 'timed-out' | 'terminated' | 'closed';

export type SessionStatus =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'reconnecting'; attempt: number; lastError?: string }
  | { state: 'closed'; reason: CloseReason; message: string }
  | { state: 'error'; code: SessionErrorCode; message: string };

export interface SessionInfo {
  sessionId: string;
  /** As the agent named it; the no-handshake path counts as Standard_Stream. */
  sessionType: KnownSessionType;
  /** '' on the no-handshake path, where the agent does not say. */
  agentVersion: string;
  properties: Record<string, unknown> | null;
  /** HandshakeComplete's CustomerMessage (e.g. the KMS notice), '' if none. */
  customerMessage: string;
  encrypted: boolean;
}

export type ReadySession =
  | { kind: 'shell'; info: SessionInfo; shell: ShellSession }
  | { kind: 'port'; info: SessionInfo; port: PortForwardSession };
