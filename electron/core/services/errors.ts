// Maps AWS and engine failures to IPC error codes with messages a user can act on.
import { IpcFailure } from '../../../shared/ipc';
import { toAwsApiError } from '../aws/ssm-api';

/** AWS error names that mean "your credentials are the problem", not the request. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'TokenRefreshRequired',
  'InvalidGrantException',
]);

/** Names whose message tells the user the target cannot be used right now. */
const NOT_FOUND_ERRORS = new Set([
  'InvalidTarget',
  'InvalidInstanceId',
  'InvalidDocument',
  'DoesNotExistException',
]);

/** Converts anything an AWS call threw into an IpcFailure; the message never carries secrets. */
export function awsFailure(action: string, error: unknown): IpcFailure {
  if (error instanceof IpcFailure) return error;
  const apiError = toAwsApiError(error);
  const message = `${action}: ${apiError.message}${apiError.code && !apiError.message.includes(apiError.code) ? ` (${apiError.code})` : ''}`;
  if (CREDENTIAL_ERRORS.has(apiError.code))
    return new IpcFailure('credentials', message, { cause: error });
  if (NOT_FOUND_ERRORS.has(apiError.code))
    return new IpcFailure('not-found', message, { cause: error });
  return new IpcFailure('aws-error', message, { cause: error });
}
