// InventoryService: the IPC face of the multi-source Inventory (aws/inventory.ts). Maps its rows
// and per-source states to the contract's Instance and source status, and tells listeners when a
// fetch finished so the renderer can follow background refreshes.
import {
  PingStatusSchema,
  type ErrorCode,
  type Instance,
  type InventoryList,
  type InventorySourceStatus,
} from '../../../shared/ipc';
import { InstanceIdSchema, RegionSchema, SourceIdSchema } from '../../../shared/domain';
import type {
  Inventory,
  InventoryRow,
  InventorySnapshot,
  SourceErrorCode,
  SourceState,
} from '../aws/inventory';
import type { Logger } from '../base/logger';
import { describeReachability } from './reachability';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

export interface InventoryService {
  /** The last listing, after fetching sources never fetched; `refresh` asks AWS again. */
  list(options?: { refresh?: boolean; sourceIds?: readonly string[] }): Promise<InventoryList>;
  /** The instance as last listed (preferring `sourceId`/`region` when given). */
  find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
  /** Fires with the full listing whenever a fetch has finished and nothing is left running. */
  onChange(listener: (list: InventoryList) => void): () => void;
  dispose(): void;
}

export interface InventoryServiceOptions {
  readonly inventory: Inventory;
  /** The IPC source id and label of a profile. */
  readonly sourceIdOf: (profile: string) => string;
  readonly labelOf: (profile: string) => string;
  readonly logger: Logger;
}

const CREDENTIAL_CODES = new Set<SourceErrorCode>([
  'sso-login-required',
  'mfa-required',
  'mfa-invalid',
  'expired',
  'process-failed',
  'no-credentials',
  'invalid-profile',
  'assume-role-failed',
  'invalid-credentials',
]);

function ipcCodeOf(code: SourceErrorCode): ErrorCode {
  return CREDENTIAL_CODES.has(code) ? 'credentials' : 'aws-error';
}

export function createInventoryService(options: InventoryServiceOptions): InventoryService {
  const logger = options.logger.child('inventory');
  const instances = new WeakMap<InventoryRow, Instance | null>();
  const lists = new WeakMap<InventorySnapshot, InventoryList>();
  const changes = new Emitter<InventoryList>({
    onListenerError: (error) => {
      logger.log('error', 'inventory listener threw', { error: toErrorMessage(error) });
    },
  });

  function toInstance(row: InventoryRow): Instance | undefined {
    const cached = instances.get(row);
    if (cached !== undefined) return cached ?? undefined;
    const id = InstanceIdSchema.safeParse(row.instanceId);
    const region = RegionSchema.safeParse(row.region);
    if (!id.success || !region.success) {
      instances.set(row, null);
      return undefined;
    }
    const sourceId = SourceIdSchema.parse(options.sourceIdOf(row.profile));
    const pingStatus = PingStatusSchema.parse(row.pingStatus);
    const lastPingAt = row.lastPingAt !== undefined ? new Date(row.lastPingAt) : undefined;
    const reachability = describeReachability({
      pingStatus,
      agentVersion: row.agentVersion,
      ...(lastPingAt && { lastPingAt }),
    });
    // Offline and agent age are already covered above; the EC2 facts are only in the diagnostics.
    for (const diagnostic of row.diagnostics) {
      if (diagnostic.code === 'no-permission' || diagnostic.code === 'not-in-ec2') {
        reachability.notes.push(diagnostic.message);
      }
    }
    const instance: Instance = {
      key: `${sourceId}|${region.data}|${id.data}`,
      instanceId: id.data,
      name: row.name,
      computerName: row.computerName,
      platform: row.platform,
      platformName: row.platformName,
      platformVersion: row.platformVersion,
      pingStatus,
      ...(row.lastPingAt !== undefined && { lastPingAt: row.lastPingAt }),
      agentVersion: row.agentVersion,
      ipAddress: row.ipAddress,
      ...(row.privateIp !== undefined && { privateIpAddress: row.privateIp }),
      ...(row.publicIp !== undefined && { publicIpAddress: row.publicIp }),
      resourceType: row.resourceType,
      tags: row.tags.map((tag) => ({ key: tag.key, value: tag.value })),
      region: region.data,
      sourceId,
      profile: row.profile,
      sourceLabel: options.labelOf(row.profile),
      ...(row.accountId !== undefined && { accountId: row.accountId }),
      reachability,
    };
    instances.set(row, instance);
    return instance;
  }

  function toStatus(state: SourceState): InventorySourceStatus {
    const { source, status } = state;
    const base = {
      sourceId: SourceIdSchema.parse(options.sourceIdOf(source.profile)),
      profile: source.profile,
      label: options.labelOf(source.profile),
      region: RegionSchema.parse(source.region),
      refreshing: state.refreshing,
    };
    switch (status.state) {
      case 'pending':
        return { ...base, pending: true, ok: false, count: 0, warnings: [] };
      case 'ok':
        return {
          ...base,
          pending: false,
          ok: true,
          count: status.count,
          warnings: [...status.warnings],
        };
      case 'error':
        return {
          ...base,
          pending: false,
          ok: false,
          count: 0,
          warnings: [],
          error: {
            code: ipcCodeOf(status.code),
            message: status.message,
            problem: status.code,
            ...(status.rowsFrom !== undefined && { rowsFrom: status.rowsFrom }),
          },
        };
    }
  }

  function toList(snapshot: InventorySnapshot): InventoryList {
    const cached = lists.get(snapshot);
    if (cached) return cached;
    const rows: Instance[] = [];
    for (const row of snapshot.rows) {
      const instance = toInstance(row);
      if (instance) rows.push(instance);
    }
    const list: InventoryList = {
      instances: rows,
      sources: snapshot.sources.map(toStatus),
      ...(snapshot.fetchedAt !== undefined && { fetchedAt: snapshot.fetchedAt }),
      refreshing: snapshot.refreshing,
    };
    lists.set(snapshot, list);
    return list;
  }

  const unsubscribe = options.inventory.onChange((snapshot) => {
    // Only settled states: a change per source starting would flood the renderer with 10k rows.
    if (snapshot.refreshing || changes.listenerCount === 0) return;
    changes.fire(toList(snapshot));
  });

  return {
    async list(request = {}) {
      const snapshot = request.refresh
        ? await options.inventory.refresh(
            request.sourceIds ? { sourceIds: inventoryIdsOf(request.sourceIds) } : {},
          )
        : await options.inventory.load();
      return toList(snapshot);
    },

    find(instanceId, sourceId, region) {
      const list = toList(options.inventory.snapshot());
      const candidates = list.instances.filter((instance) => instance.instanceId === instanceId);
      return candidates.find(
        (instance) =>
          (sourceId === undefined || instance.sourceId === sourceId) &&
          (region === undefined || instance.region === region),
      );
    },

    onChange(listener) {
      const subscription = changes.event(listener);
      return () => subscription.dispose();
    },

    dispose() {
      unsubscribe();
      changes.dispose();
    },
  };

  /** IPC source ids (one per profile) to the Inventory's ids (one per profile and region). */
  function inventoryIdsOf(sourceIds: readonly string[]): string[] {
    const wanted = new Set(sourceIds);
    return options.inventory
      .snapshot()
      .sources.filter((s) => wanted.has(options.sourceIdOf(s.source.profile)))
      .map((s) => s.source.id);
  }
}
