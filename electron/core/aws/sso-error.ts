// The error every part of the IAM Identity Center code throws, with a stable code the credential
// chain turns into its own (login required, role denied, failed).

export type SsoErrorCode =
  /** No usable token: the user has to log in (again). */
  | 'sso-login-required'
  /** The device code expired before the user approved it in the browser. */
  | 'sso-login-expired'
  /** The user denied the request in the browser. */
  | 'sso-login-denied'
  | 'sso-login-cancelled'
  /** The token is fine but this user may not use the account and role. */
  | 'sso-role-denied'
  /** The Identity Center endpoint failed or answered something unusable. */
  | 'sso-failed';

export class SsoError extends Error {
  override readonly name = 'SsoError';

  constructor(
    readonly code: SsoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The SDK's exception name (e.g. `AuthorizationPendingException`), which Identity Center's flow turns on. */
export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}
