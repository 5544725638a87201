// Maps AWS and engine failures to IPC error codes with messages a user can act on.
import { IpcFailure, type ErrorCode } from '../../../shared/ipc';
import { classifyAwsError, type AwsErrorKind } from '../aws/errors';

/** The IPC code for each kind of AWS failure; what is not listed is an 'aws-error'. */
const IPC_CODE: Partial<Record<AwsErrorKind, ErrorCode>> = {
  // "Your credentials are the problem", not the request.
  'expired-credentials': 'credentials',
  'invalid-credentials': 'credentials',
  // The message tells the user the target cannot be used right now.
  'invalid-target': 'not-found',
  'not-found': 'not-found',
  'invalid-document': 'not-found',
};

/** Converts anything an AWS call threw into an IpcFailure; the message never carries secrets. */
export function awsFailure(action: string, error: unknown): IpcFailure {
  if (error instanceof IpcFailure) return error;
  const aws = classifyAwsError(error);
  const message = `${action}: ${aws.message}${aws.code && !aws.message.includes(aws.code) ? ` (${aws.code})` : ''}`;
  return new IpcFailure(IPC_CODE[aws.kind] ?? 'aws-error', message, { cause: error });
}
