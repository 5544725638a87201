// SessionError: failures of the client session engine, with stable codes callers can branch on.

export type SessionErrorCode =
  | 'connect-failed'
  | 'handshake-failed'
  | 'unknown-session-type'
  | 'kms-unavailable'
  | 'kms-failed'
  | 'bad-challenge'
  | 'decrypt-failed'
  | 'resume-failed'
  | 'wrong-session-kind'
  | 'session-closed'
  | 'protocol-error';

export class SessionError extends Error {
  override readonly name = 'SessionError';

  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
