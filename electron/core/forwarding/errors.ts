// ForwardError: why a forward cannot start or keep running, with stable codes and user-facing
// messages; ForwardWarning: a problem with single connections that leaves the forward running.

import { toErrorMessage } from '../base/errors';

export type ForwardErrorCode =
  /** The spec failed validation (message lists every problem). */
  | 'invalid-spec'
  /** Binding 0.0.0.0 / :: without the explicit confirmation flag. */
  | 'all-interfaces-unconfirmed'
  | 'port-in-use'
  /** The bind address does not exist on this machine (e.g. a 127.0.0.x alias not configured). */
  | 'address-unavailable'
  | 'bind-permission-denied'
  | 'bind-failed'
  /** The agent could not connect to the remote port (Flag ConnectToPortError). */
  | 'remote-port-refused'
  | 'target-not-connected'
  | 'invalid-target'
  | 'credentials-expired'
  /** Unknown key, bad signature, no credentials found for the profile. */
  | 'credentials-invalid'
  | 'access-denied'
  | 'invalid-document'
  /** The AWS endpoint could not be reached (network down, DNS, proxy). */
  | 'network'
  | 'throttled'
  /** The session opened but failed (handshake, protocol, decryption, ...). */
  | 'session-failed'
  /** Session Manager ended the session (idle timeout, maximum duration, TerminateSession). */
  | 'session-ended'
  | 'not-found'
  | 'duplicate-id'
  | 'disposed';

export class ForwardError extends Error {
  override readonly name = 'ForwardError';

  constructor(
    readonly code: ForwardErrorCode,
    message: string,
    /** True when trying again later may succeed without the user changing anything. */
    readonly transient = false,
  ) {
    super(message);
  }
}

/** Anything a SessionStarter rejects with, as a ForwardError (unknown errors count as transient). */
export function toForwardError(error: unknown): ForwardError {
  if (error instanceof ForwardError) return error;
  return new ForwardError('session-failed', toErrorMessage(error), true);
}

/** A problem with individual connections that leaves the forward itself running. */
export interface ForwardWarning {
  /** `session-restarted`: the restart option replaced a session Session Manager ended. */
  code: 'remote-port-refused' | 'queue-full' | 'extra-session-failed' | 'session-restarted';
  message: string;
  at: number;
}
