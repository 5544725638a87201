// The contract's view of an inventory snapshot: the Inventory's rows and per-source states
// (aws/inventory.ts) as IPC Instances and source statuses, each mapped once per snapshot and row.
import {
  PingStatusSchema,
  type ErrorCode,
  type Instance,
  type InventoryList,
  type InventorySourceStatus,
} from '../../../shared/ipc';
import { InstanceIdSchema, RegionSchema, SourceIdSchema } from '../../../shared/domain';
import type {
  InventoryRow,
  InventorySnapshot,
  SourceErrorCode,
  SourceState,
} from '../aws/inventory';
import { describeReachability } from './reachability';

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

/** How a profile is named to the renderer. */
export interface SourceNaming {
  /** The IPC source id of a profile. */
  readonly sourceIdOf: (profile: string) => string;
  readonly labelOf: (profile: string) => string;
}

/**
 * Maps snapshots to InventoryLists. Snapshots and rows are immutable, so results are kept per
 * object: an unchanged row keeps its Instance and an unchanged snapshot its whole list.
 */
export class InventoryListMapper {
  private readonly instances = new WeakMap<InventoryRow, Instance | null>();
  private readonly lists = new WeakMap<InventorySnapshot, InventoryList>();

  constructor(private readonly naming: SourceNaming) {}

  toList(snapshot: InventorySnapshot): InventoryList {
    const cached = this.lists.get(snapshot);
    if (cached) return cached;
    const rows: Instance[] = [];
    for (const row of snapshot.rows) {
      const instance = this.toInstance(row);
      if (instance) rows.push(instance);
    }
    const list: InventoryList = {
      instances: rows,
      sources: snapshot.sources.map((state) => this.toStatus(state)),
      ...(snapshot.fetchedAt !== undefined && { fetchedAt: snapshot.fetchedAt }),
      refreshing: snapshot.refreshing,
    };
    this.lists.set(snapshot, list);
    return list;
  }

  /** A row as an Instance; undefined (and remembered so) when its id or region is malformed. */
  private toInstance(row: InventoryRow): Instance | undefined {
    const cached = this.instances.get(row);
    if (cached !== undefined) return cached ?? undefined;
    const id = InstanceIdSchema.safeParse(row.instanceId);
    const region = RegionSchema.safeParse(row.region);
    if (!id.success || !region.success) {
      this.instances.set(row, null);
      return undefined;
    }
    const sourceId = SourceIdSchema.parse(this.naming.sourceIdOf(row.profile));
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
      // Rows are immutable and their tags plain {key, value}: shared, not copied per instance.
      tags: row.tags as Instance['tags'],
      region: region.data,
      sourceId,
      profile: row.profile,
      sourceLabel: this.naming.labelOf(row.profile),
      ...(row.accountId !== undefined && { accountId: row.accountId }),
      reachability,
      ...(row.cachedAt !== undefined && { cachedAt: row.cachedAt }),
    };
    this.instances.set(row, instance);
    return instance;
  }

  private toStatus(state: SourceState): InventorySourceStatus {
    const { source, status } = state;
    const base = {
      sourceId: SourceIdSchema.parse(this.naming.sourceIdOf(source.profile)),
      profile: source.profile,
      label: this.naming.labelOf(source.profile),
      region: RegionSchema.parse(source.region),
      refreshing: state.refreshing,
      ...(state.cachedAt !== undefined && { cachedAt: state.cachedAt }),
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
}
