// SessionHistoryApi port: DescribeSessions over all pages (Active or History), backed by @aws-sdk/client-ssm.
import { DescribeSessionsCommand, SSMClient, type Session } from '@aws-sdk/client-ssm';
import { sdkClientConfig, type AwsClientOptions } from '../aws/client-config';
import { toAwsApiError } from '../aws/api-error';

/** One session as DescribeSessions reports it, reduced to what the sessions view shows. */
export interface AwsSessionRecord {
  sessionId: string;
  target: string;
  status: string;
  startDate?: Date;
  endDate?: Date;
  documentName: string;
  owner: string;
  reason?: string;
  details?: string;
  s3OutputUrl?: string;
  cloudWatchOutputUrl?: string;
}

export interface DescribedSessions {
  sessions: AwsSessionRecord[];
  /** More pages existed beyond `maxPages`. */
  truncated: boolean;
}

export interface SessionHistoryApi {
  describeSessions(state: 'Active' | 'History', maxPages: number): Promise<DescribedSessions>;
}

/** DescribeSessions' largest page. */
const MAX_PAGE_SIZE = 200;

export function createSessionHistoryApi(
  options: AwsClientOptions,
  paging: { pageSize?: number } = {},
): SessionHistoryApi & { destroy(): void } {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, paging.pageSize ?? MAX_PAGE_SIZE));
  const client = new SSMClient(sdkClientConfig(options));
  return {
    async describeSessions(state, maxPages) {
      const sessions: AwsSessionRecord[] = [];
      const seenTokens = new Set<string>();
      let nextToken: string | undefined;
      try {
        for (let page = 0; page < maxPages; page++) {
          const out = await client.send(
            new DescribeSessionsCommand({
              State: state,
              MaxResults: pageSize,
              ...(nextToken !== undefined && { NextToken: nextToken }),
            }),
          );
          for (const item of out.Sessions ?? []) {
            const record = toRecord(item);
            if (record) sessions.push(record);
          }
          nextToken = out.NextToken || undefined;
          // A token seen before would loop forever; treat it as the end.
          if (nextToken === undefined || seenTokens.has(nextToken)) {
            return { sessions, truncated: false };
          }
          seenTokens.add(nextToken);
        }
      } catch (error) {
        throw toAwsApiError(error);
      }
      return { sessions, truncated: true };
    },
    destroy: () => client.destroy(),
  };
}

function toRecord(item: Session): AwsSessionRecord | undefined {
  if (!item.SessionId) return undefined;
  return {
    sessionId: item.SessionId,
    target: item.Target ?? '',
    status: item.Status ?? 'Unknown',
    documentName: item.DocumentName ?? '',
    owner: item.Owner ?? '',
    ...(item.StartDate && { startDate: item.StartDate }),
    ...(item.EndDate && { endDate: item.EndDate }),
    ...(item.Reason && { reason: item.Reason }),
    ...(item.Details && { details: item.Details }),
    ...(item.OutputUrl?.S3OutputUrl && { s3OutputUrl: item.OutputUrl.S3OutputUrl }),
    ...(item.OutputUrl?.CloudWatchOutputUrl && {
      cloudWatchOutputUrl: item.OutputUrl.CloudWatchOutputUrl,
    }),
  };
}
