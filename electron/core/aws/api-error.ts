// AwsApiError: a failed AWS call reduced to what callers decide on, apart from any SDK client so
// that code which only reads failures (the session engine, error classification) loads no client.

/**
 * A failed AWS call, reduced to what callers decide on. `code` is the service's error name
 * (e.g. `DoesNotExistException`) or the network error code (e.g. `ECONNREFUSED`).
 */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError';

  constructor(
    readonly code: string,
    message: string,
    /** True for throttling, server faults and network failures: worth retrying later. */
    readonly transient: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** Error names of throttled requests, across services (`Throttling`, `TooManyRequestsException`, …). */
export const THROTTLING_CODE = /throttl|toomanyrequests|requestlimitexceeded/i;

/** Node's TLS verification failures: the chain leads to no CA the client trusts. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** Normalises anything an SDK call can throw. */
export function toAwsApiError(error: unknown): AwsApiError {
  if (error instanceof AwsApiError) return error;
  if (typeof error !== 'object' || error === null) {
    return new AwsApiError('Unknown', String(error), true);
  }
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status =
    typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const code = typeof e.code === 'string' ? e.code : (name ?? 'Unknown');
  const raw = typeof e.message === 'string' && e.message !== '' ? e.message : code;
  const message = UNTRUSTED_CERTIFICATE.has(code)
    ? `The server's certificate is not trusted (${raw}). Behind a TLS-inspecting proxy, set AWS_CA_BUNDLE or the profile's ca_bundle to the certificate of the CA that signs it.`
    : raw;
  const throttled = THROTTLING_CODE.test(code);
  // No HTTP status means the request never got an answer (DNS, refused, reset, timeout).
  const transient =
    e.$retryable !== undefined ||
    throttled ||
    e.$fault === 'server' ||
    (status !== undefined ? status >= 500 : e.$fault !== 'client');
  return new AwsApiError(code, message, transient, status);
}
