import { describe, expect, it } from 'vitest';
import { classifyAwsError, type AwsErrorKind } from './errors';
import { AwsApiError } from './ssm-api';

/** An error shaped as the AWS SDK v3 throws them: a name, a message, a fault and an HTTP status. */
function sdkError(name: string, httpStatusCode: number | undefined, message = `${name} says no`) {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode !== undefined && httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { ...(httpStatusCode !== undefined && { httpStatusCode }) },
  });
}

const cases: readonly [AwsErrorKind, unknown][] = [
  ['expired-credentials', sdkError('ExpiredToken', 400)],
  ['expired-credentials', sdkError('ExpiredTokenException', 400)],
  ['expired-credentials', sdkError('RequestExpired', 400)],
  ['expired-credentials', sdkError('TokenRefreshRequired', 401)],
  [
    'expired-credentials',
    sdkError('CredentialsProviderError', undefined, 'The SSO session has expired'),
  ],
  ['invalid-credentials', sdkError('UnrecognizedClientException', 400)],
  ['invalid-credentials', sdkError('InvalidClientTokenId', 403)],
  ['invalid-credentials', sdkError('InvalidSignatureException', 400)],
  ['invalid-credentials', sdkError('SignatureDoesNotMatch', 403)],
  ['invalid-credentials', sdkError('AuthFailure', 401)],
  ['invalid-credentials', sdkError('IncompleteSignature', 400)],
  ['invalid-credentials', sdkError('MissingAuthenticationToken', 403)],
  ['invalid-credentials', sdkError('InvalidGrantException', 400)],
  [
    'invalid-credentials',
    sdkError(
      'CredentialsProviderError',
      undefined,
      'Could not load credentials from any providers',
    ),
  ],
  ['access-denied', sdkError('AccessDeniedException', 400)],
  ['access-denied', sdkError('AccessDenied', 403)],
  ['access-denied', sdkError('UnauthorizedOperation', 403)],
  ['throttled', sdkError('ThrottlingException', 400)],
  ['throttled', sdkError('TooManyRequestsException', 429)],
  ['throttled', sdkError('RequestLimitExceeded', 503)],
  ['target-not-connected', sdkError('TargetNotConnected', 400)],
  ['invalid-target', sdkError('InvalidTarget', 400)],
  ['not-found', sdkError('InvalidInstanceId', 400)],
  ['not-found', sdkError('DoesNotExistException', 400)],
  ['invalid-document', sdkError('InvalidDocument', 400)],
  ['invalid-parameters', sdkError('InvalidParameters', 400)],
  [
    'network',
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  ],
  ['network', new AwsApiError('ETIMEDOUT', 'timed out', true)],
  ['other', sdkError('ValidationException', 400)],
  ['other', sdkError('InternalServerError', 500)],
];

describe('classifyAwsError', () => {
  it.each(cases)('reads %s from %o', (kind, error) => {
    expect(classifyAwsError(error).kind).toBe(kind);
  });

  it('keeps the code, message, status and retryability for the caller to word', () => {
    expect(classifyAwsError(sdkError('AccessDeniedException', 400, 'not allowed'))).toEqual({
      kind: 'access-denied',
      code: 'AccessDeniedException',
      message: 'not allowed',
      transient: false,
      httpStatus: 400,
    });
    expect(classifyAwsError(sdkError('InternalServerError', 500))).toMatchObject({
      kind: 'other',
      transient: true,
    });
    expect(classifyAwsError(sdkError('ThrottlingException', 400))).toMatchObject({
      transient: true,
    });
  });

  it('treats what is not an error at all as an unknown, retryable failure', () => {
    expect(classifyAwsError('boom')).toMatchObject({ code: 'Unknown', message: 'boom' });
  });
});
