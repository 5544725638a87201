// The one error type of credential resolution: a stable code for the UI and the profile the user
// has to act on, which in a source_profile chain may differ from the profile asked for.

export type CredentialsErrorCode =
  /** The IAM Identity Center token is missing or expired: run SSO login for the profile. */
  | 'sso-login-required'
  /** An MFA code is needed (no prompt available, or the prompt was cancelled). */
  | 'mfa-required'
  /** The MFA code was refused (wrong, reused or malformed). */
  | 'mfa-invalid'
  /** The credentials found have expired and cannot be renewed here. */
  | 'expired'
  /** credential_process failed, timed out or printed something unusable. */
  | 'process-failed'
  /** The profile has no (complete) credentials, or they are refused. */
  | 'no-credentials'
  /** The profile's settings are contradictory or point at something missing. */
  | 'invalid-profile'
  /** STS AssumeRole (or Identity Center) refused for another reason; the message says why. */
  | 'assume-role-failed';

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';

  constructor(
    readonly code: CredentialsErrorCode,
    /** The profile whose credentials were asked for. */
    readonly profile: string,
    message: string,
    /** The profile the user has to act on (log in, enter MFA); differs from `profile` in chains. */
    readonly actionProfile: string = profile,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
