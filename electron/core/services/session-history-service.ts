// SessionHistoryService: the sessions view's data (DescribeSessions Active + History per source and region),
// by default only the caller's own sessions (Owner = the caller's user, or role under any session name), and Terminate.
import { IpcFailure, type SessionHistoryItem, type SessionsList } from '../../../shared/ipc';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { awsFailure } from './errors';
import type { InventoryService } from './inventory-service';
import { SessionHistoryReader } from './session-history-reader';
import type { SessionSource } from './sources';
import { toErrorMessage } from '../base/errors';

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
  const reader = new SessionHistoryReader(options.inventory, logger);
  /** Where the last listing saw each session, so Terminate reaches the right source and region. */
  const lastSeen = new Map<string, { sourceId: string; region: string }>();

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
      const callers = await Promise.all(sources.map((source) => reader.caller(source)));
      const results = await Promise.all(
        sources.flatMap((source, index) =>
          source.info.regions.map((region) =>
            reader.region(source, region, callers[index]?.arn ?? ''),
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
