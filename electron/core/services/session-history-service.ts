// SessionHistoryService: the sessions view's data (DescribeSessions Active + History per source and region),
// by default only the caller's own sessions (Owner = the caller's user, or role under any session name), and Terminate.
import {
  IpcFailure,
  type InventorySourceStatus,
  type SessionHistoryItem,
  type SessionsCaller,
  type SessionsList,
} from '../../../shared/ipc';
import { RegionSchema } from '../../../shared/domain';
import { isOwnedBy } from '../aws/principal';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { awsFailure } from './errors';
import type { InventoryService } from './inventory-service';
import type { AwsSessionRecord } from './session-history-api';
import type { SessionSource } from './sources';
import { toErrorMessage } from '../base/errors';

/** History pages read per source and region (200 sessions each); older ones are left out. */
export const HISTORY_PAGE_LIMIT = 10;
/** Active sessions are few; the limit only guards against a looping endpoint. */
const ACTIVE_PAGE_LIMIT = 50;

/** Active statuses TerminateSession can still act on. */
const TERMINABLE_STATUSES = new Set(['Connected', 'Connecting', 'Disconnected']);

export interface SessionHistoryService {
  /** `allUsers`: every user's sessions; otherwise only the caller's own. */
  list(request?: { allUsers?: boolean }): Promise<SessionsList>;
  terminate(request: { awsSessionId: string; sourceId?: string; region?: string }): Promise<void>;
}

export function createSessionHistoryService(options: {
  sources: () => readonly SessionSource[];
  inventory: Pick<InventoryService, 'list' | 'find'>;
  clock: Clock;
  logger: Logger;
}): SessionHistoryService {
  const logger = options.logger.child('session-history');
  /** Where the last listing saw each session, so Terminate reaches the right source and region. */
  const lastSeen = new Map<string, { sourceId: string; region: string }>();

  /** The caller's ARN in a source; an unknown identity leaves every session "not mine". */
  async function callerOf(source: SessionSource): Promise<SessionsCaller> {
    const base = { sourceId: source.info.id, label: source.info.label };
    try {
      const identity = await source.callerIdentity(source.defaultRegion);
      return { ...base, arn: identity.arn };
    } catch (error) {
      const failure = awsFailure('Asking STS who you are', error);
      logger.log('warn', 'GetCallerIdentity failed', {
        source: source.info.id,
        code: failure.code,
      });
      return { ...base, error: failure.message };
    }
  }

  async function listSourceRegion(
    source: SessionSource,
    region: string,
    callerArn: string,
  ): Promise<{ items: SessionHistoryItem[]; status: InventorySourceStatus; truncated: boolean }> {
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
        ...active.sessions.map((record) => toItem(record, 'active', source, region, callerArn)),
        ...history.sessions.map((record) => toItem(record, 'history', source, region, callerArn)),
      ];
      return {
        items,
        status: { ...base, ok: true, count: items.length },
        truncated: active.truncated || history.truncated,
      };
    } catch (error) {
      const failure = awsFailure(`Listing sessions in ${region}`, error);
      logger.log('warn', 'DescribeSessions failed', {
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

  function toItem(
    record: AwsSessionRecord,
    state: 'active' | 'history',
    source: SessionSource,
    region: string,
    callerArn: string,
  ): SessionHistoryItem {
    const instance = options.inventory.find(record.target, source.info.id, region);
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

  return {
    async list(request = {}) {
      const allUsers = request.allUsers === true;
      try {
        // Names come from the inventory; its cached listing is enough and a failure only costs names.
        await options.inventory.list();
      } catch (error) {
        logger.log('debug', 'inventory unavailable for session names', {
          error: toErrorMessage(error),
        });
      }
      const sources = options.sources();
      const callers = await Promise.all(sources.map((source) => callerOf(source)));
      const results = await Promise.all(
        sources.flatMap((source, index) =>
          source.info.regions.map((region) =>
            listSourceRegion(source, region, callers[index]?.arn ?? ''),
          ),
        ),
      );
      const sessions = results
        .flatMap((result) => result.items)
        .filter((item) => allUsers || item.ownedByCaller)
        .sort(compareItems);
      lastSeen.clear();
      for (const item of sessions) {
        lastSeen.set(item.awsSessionId, { sourceId: item.sourceId, region: item.region });
      }
      return {
        sessions,
        sources: results.map((result) => result.status),
        truncated: results.some((result) => result.truncated),
        fetchedAt: new Date(options.clock.now()).toISOString(),
        allUsers,
        callers,
      };
    },

    async terminate(request) {
      const seen = lastSeen.get(request.awsSessionId);
      const sourceId = request.sourceId ?? seen?.sourceId;
      const sources = options.sources();
      const source =
        sourceId === undefined
          ? sources[0]
          : sources.find((candidate) => candidate.info.id === sourceId);
      if (!source) {
        throw new IpcFailure(
          'not-found',
          `No source ${sourceId ?? ''} to terminate the session in.`,
        );
      }
      const region = request.region ?? seen?.region ?? source.defaultRegion;
      try {
        await source.ssm(region).terminateSession(request.awsSessionId);
      } catch (error) {
        throw awsFailure(`Terminating session ${request.awsSessionId}`, error);
      }
      logger.log('info', 'session terminated from the sessions view', {
        source: source.info.id,
        region,
        session: request.awsSessionId,
      });
    },
  };
}

/** Active before history, then newest start first, then by id so the order is stable. */
function compareItems(a: SessionHistoryItem, b: SessionHistoryItem): number {
  if (a.state !== b.state) return a.state === 'active' ? -1 : 1;
  const byStart = (b.startedAt ?? '').localeCompare(a.startedAt ?? '');
  return byStart !== 0 ? byStart : a.key.localeCompare(b.key);
}
