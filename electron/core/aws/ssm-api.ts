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
  /**
   * The profile's `ca_bundle` this client trusts besides the process's CAs: the data channel of a
   * session it starts trusts it too, as the AWS CLI's does.
   */
  readonly caBundle?: string;
}

/** What DescribeSessions says about one session. */
export interface DescribedSession {
  status: string;
  owner: string;
  details?: string;
}

import { AwsApiError, toAwsApiError } from './api-error';
import { sdkClientConfig, type AwsClientOptions } from './client-config';

export type { AwsClientOptions, AwsCredentialsInput } from './client-config';
export { AwsApiError, THROTTLING_CODE, toAwsApiError } from './api-error';

export function createSsmApi(options: AwsClientOptions = {}): SsmApi & { destroy(): void } {
  const client = new SSMClient(sdkClientConfig(options));

  return {
    ...(options.caBundle !== undefined && { caBundle: options.caBundle }),
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
