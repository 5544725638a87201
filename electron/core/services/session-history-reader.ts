// Reads one source's sessions for the sessions view: who the caller is there (STS), and per region
// DescribeSessions Active + History as the contract's items and a per-region status.
import type {
  InventorySourceStatus,
  SessionHistoryItem,
  SessionsCaller,
} from '../../../shared/ipc';
import { RegionSchema } from '../../../shared/domain';
import { isOwnedBy } from '../aws/principal';
import type { Logger } from '../base/logger';
import { awsFailure } from './errors';
import type { InventoryService } from './inventory-service';
import type { AwsSessionRecord } from './session-history-api';
import type { SessionSource } from './sources';

/** History pages read per source and region (200 sessions each); older ones are left out. */
export const HISTORY_PAGE_LIMIT = 10;
/** Active sessions are few; the limit only guards against a looping endpoint. */
const ACTIVE_PAGE_LIMIT = 50;

/** Active statuses TerminateSession can still act on. */
const TERMINABLE_STATUSES = new Set(['Connected', 'Connecting', 'Disconnected']);

export interface RegionSessions {
  readonly items: SessionHistoryItem[];
  readonly status: InventorySourceStatus;
  readonly truncated: boolean;
}

export class SessionHistoryReader {
  constructor(
    /** Names instances from the last inventory listing. */
    private readonly inventory: Pick<InventoryService, 'find'>,
    private readonly logger: Logger,
  ) {}

  /** The caller's ARN in a source; an unknown identity leaves every session "not mine". */
  async caller(source: SessionSource): Promise<SessionsCaller> {
    const base = { sourceId: source.info.id, label: source.info.label };
    try {
      const identity = await source.callerIdentity(source.defaultRegion);
      return { ...base, arn: identity.arn };
    } catch (error) {
      const failure = awsFailure('Asking STS who you are', error);
      this.logger.log('warn', 'GetCallerIdentity failed', {
        source: source.info.id,
        code: failure.code,
      });
      return { ...base, error: failure.message };
    }
  }

  /** A region's sessions; a failure becomes the region's error status, never a rejection. */
  async region(source: SessionSource, region: string, callerArn: string): Promise<RegionSessions> {
    const base = {
      sourceId: source.info.id,
      profile: source.info.profile,
      label: source.info.label,
      region: RegionSchema.parse(region),
      pending: false,
      refreshing: false,
      warnings: [],
    };
    const api = source.sessionHistory(region);
    try {
      const [active, history] = await Promise.all([
        api.describeSessions('Active', ACTIVE_PAGE_LIMIT),
        api.describeSessions('History', HISTORY_PAGE_LIMIT),
      ]);
      const items = [
        ...active.sessions.map((record) =>
          this.toItem(record, 'active', source, region, callerArn),
        ),
        ...history.sessions.map((record) =>
          this.toItem(record, 'history', source, region, callerArn),
        ),
      ];
      return {
        items,
        status: { ...base, ok: true, count: items.length },
        truncated: active.truncated || history.truncated,
      };
    } catch (error) {
      const failure = awsFailure(`Listing sessions in ${region}`, error);
      this.logger.log('warn', 'DescribeSessions failed', {
        source: source.info.id,
        region,
        code: failure.code,
      });
      return {
        items: [],
        status: {
          ...base,
          ok: false,
          count: 0,
          error: { code: failure.code, message: failure.message },
        },
        truncated: false,
      };
    }
  }

  private toItem(
    record: AwsSessionRecord,
    state: 'active' | 'history',
    source: SessionSource,
    region: string,
    callerArn: string,
  ): SessionHistoryItem {
    const instance = this.inventory.find(record.target, source.info.id, region);
    const outputs: SessionHistoryItem['outputs'] = [];
    if (record.s3OutputUrl) outputs.push({ kind: 's3', url: record.s3OutputUrl });
    if (record.cloudWatchOutputUrl) {
      outputs.push({ kind: 'cloudwatch', url: record.cloudWatchOutputUrl });
    }
    return {
      key: `${source.info.id}|${region}|${record.sessionId}`,
      awsSessionId: record.sessionId,
      state,
      target: record.target,
      instanceName: instance?.name ?? '',
      owner: record.owner,
      ownedByCaller: isOwnedBy(record.owner, callerArn),
      status: record.status,
      ...(record.startDate && { startedAt: record.startDate.toISOString() }),
      ...(record.endDate && { endedAt: record.endDate.toISOString() }),
      documentName: record.documentName,
      ...(record.reason !== undefined && { reason: record.reason }),
      ...(record.details !== undefined && { details: record.details }),
      outputs,
      canTerminate: state === 'active' && TERMINABLE_STATUSES.has(record.status),
      region: RegionSchema.parse(region),
      sourceId: source.info.id,
      sourceLabel: source.info.label,
    };
  }
}
