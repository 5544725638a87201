// SsmApi port: the Session Manager calls the client engine makes (and the one look-up forwards use to
// tell why a session ended), backed by @aws-sdk/client-ssm.

import {
  DescribeSessionsCommand,
  ResumeSessionCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';

export interface StartSessionInput {
  target: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
}

/** What StartSession returns; `tokenValue` and `streamUrl` are secrets: never log them. */
export interface StartedSession {
  sessionId: string;
  tokenValue: string;
  streamUrl: string;
}

export interface ResumedSession {
  /** Empty when the service says the session can no longer be resumed ("timed out", datachannel/README.md §7.3). */
  tokenValue: string;
  streamUrl: string;
}

export interface SsmApi {
  startSession(input: StartSessionInput): Promise<StartedSession>;
  resumeSession(sessionId: string): Promise<ResumedSession>;
  terminateSession(sessionId: string): Promise<void>;
  /**
   * One session's DescribeSessions item (History first, then Active), undefined when neither
   * lists it. Optional: callers that only start sessions need no DescribeSessions permission.
   */
  describeSession?(sessionId: string): Promise<DescribedSession | undefined>;
}

/** What DescribeSessions says about one session. */
export interface DescribedSession {
  status: string;
  owner: string;
  details?: string;
}

import { sdkClientConfig, type AwsClientOptions } from './client-config';

export type { AwsClientOptions, AwsCredentialsInput } from './client-config';

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

/** Normalises anything an SDK call can throw. */
/** Node's TLS verification failures: the chain leads to no CA the client trusts. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

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

export function createSsmApi(options: AwsClientOptions = {}): SsmApi & { destroy(): void } {
  const client = new SSMClient(sdkClientConfig(options));

  return {
    async startSession(input) {
      try {
        const out = await client.send(
          new StartSessionCommand({
            Target: input.target,
            ...(input.documentName !== undefined && { DocumentName: input.documentName }),
            ...(input.parameters !== undefined && { Parameters: input.parameters }),
            ...(input.reason !== undefined && { Reason: input.reason }),
          }),
        );
        if (!out.SessionId || !out.TokenValue || !out.StreamUrl) {
          throw new AwsApiError(
            'IncompleteResponse',
            'StartSession returned no SessionId, TokenValue or StreamUrl',
            false,
          );
        }
        return { sessionId: out.SessionId, tokenValue: out.TokenValue, streamUrl: out.StreamUrl };
      } catch (error) {
        throw toAwsApiError(error);
      }
    },

    async resumeSession(sessionId) {
      try {
        const out = await client.send(new ResumeSessionCommand({ SessionId: sessionId }));
        return { tokenValue: out.TokenValue ?? '', streamUrl: out.StreamUrl ?? '' };
      } catch (error) {
        throw toAwsApiError(error);
      }
    },

    async terminateSession(sessionId) {
      try {
        await client.send(new TerminateSessionCommand({ SessionId: sessionId }));
      } catch (error) {
        throw toAwsApiError(error);
      }
    },

    async describeSession(sessionId) {
      try {
        for (const state of ['History', 'Active'] as const) {
          const out = await client.send(
            new DescribeSessionsCommand({
              State: state,
              Filters: [{ key: 'SessionId', value: sessionId }],
            }),
          );
          const item = out.Sessions?.find((session) => session.SessionId === sessionId);
          if (item) {
            return {
              status: item.Status ?? 'Unknown',
              owner: item.Owner ?? '',
              ...(item.Details && { details: item.Details }),
            };
          }
        }
        return undefined;
      } catch (error) {
        throw toAwsApiError(error);
      }
    },

    destroy: () => client.destroy(),
  };
}
