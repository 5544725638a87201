// The one reading of a failed AWS call: what kind of failure it is, so the app, forwards, the
// inventory and the credential chain agree on which error names mean what, each in its own words.

import { THROTTLING_CODE, toAwsApiError, type AwsApiError } from './api-error';

/**
 * - `expired-credentials`: the credentials were good once and have run out (renewing helps);
 * - `invalid-credentials`: AWS does not accept them at all (unknown key, bad signature, none found);
 * - `access-denied`: the credentials are fine but may not do this;
 * - `throttled`: too many requests; worth retrying later;
 * - `target-not-connected`: the instance is stopped or offline, or its agent is not running;
 * - `invalid-target`: the service does not know the target as a managed instance;
 * - `not-found`: the named instance or session does not exist (any more);
 * - `invalid-document` / `invalid-parameters`: Session Manager refused the document or its parameters;
 * - `network`: the request never got an answer (DNS, refused, reset, timeout);
 * - `other`: anything else; `transient` says whether retrying may help.
 */
export type AwsErrorKind =
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'access-denied'
  | 'throttled'
  | 'target-not-connected'
  | 'invalid-target'
  | 'not-found'
  | 'invalid-document'
  | 'invalid-parameters'
  | 'network'
  | 'other';

export interface ClassifiedAwsError {
  readonly kind: AwsErrorKind;
  /** The service's error name (e.g. `ExpiredTokenException`) or the network error code. */
  readonly code: string;
  readonly message: string;
  /** True when trying again later may succeed without anyone changing anything. */
  readonly transient: boolean;
  readonly httpStatus?: number;
}

const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
]);

/** Names (and name prefixes, as services add `Exception` or not) of refused credentials. */
const INVALID_CREDENTIALS =
  /UnrecognizedClient|InvalidClientTokenId|InvalidSignature|SignatureDoesNotMatch|AuthFailure|IncompleteSignature|MissingAuthenticationToken|CredentialsProviderError|InvalidGrantException/i;

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|NotAuthorized/i;

const BY_NAME: ReadonlyMap<string, AwsErrorKind> = new Map([
  ['TargetNotConnected', 'target-not-connected'],
  ['InvalidTarget', 'invalid-target'],
  ['InvalidInstanceId', 'not-found'],
  ['DoesNotExistException', 'not-found'],
  ['InvalidDocument', 'invalid-document'],
  ['InvalidParameters', 'invalid-parameters'],
]);

/**
 * A failed AWS call that was classified where it happened (the session launcher throws these), so
 * every layer above reads the same kind; its message is the service's.
 */
export class ClassifiedAwsCallError extends Error {
  override readonly name = 'ClassifiedAwsCallError';

  constructor(
    readonly classified: ClassifiedAwsError,
    options?: ErrorOptions,
  ) {
    super(classified.message, options);
  }
}

/** Classifies anything an AWS SDK call (or the SDK's credential chain) can throw. */
export function classifyAwsError(error: unknown): ClassifiedAwsError {
  if (error instanceof ClassifiedAwsCallError) return error.classified;
  const api = toAwsApiError(error);
  return {
    kind: kindOf(api),
    code: api.code,
    message: api.message,
    transient: api.transient,
    ...(api.httpStatus !== undefined && { httpStatus: api.httpStatus }),
  };
}

function kindOf(api: AwsApiError): AwsErrorKind {
  const { code } = api;
  // The SDK's credential chain reports an expired SSO token or role session by message only.
  if (EXPIRED.has(code) || (code === 'CredentialsProviderError' && /expired/i.test(api.message))) {
    return 'expired-credentials';
  }
  if (ACCESS_DENIED.test(code)) return 'access-denied';
  if (INVALID_CREDENTIALS.test(code)) return 'invalid-credentials';
  const named = BY_NAME.get(code);
  if (named) return named;
  if (THROTTLING_CODE.test(code)) return 'throttled';
  if (api.httpStatus === undefined && api.transient) return 'network';
  return 'other';
}
