// The contract's view of an inventory snapshot: the Inventory's rows and per-source states
// (aws/inventory.ts) as IPC Instances and source statuses, each mapped once per snapshot and row.
import type {
  ErrorCode,
  Instance,
  InventoryList,
  InventorySourceStatus,
  Reachability,
} from '../../../shared/ipc';
import {
  INSTANCE_ID_PATTERN,
  RegionSchema,
  SourceIdSchema,
  type InstanceId,
  type Region,
  type SourceId,
} from '../../../shared/domain';
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
  private readonly profiles = new Map<string, { sourceId: SourceId; label: string }>();
  /** Each region name checked once; null when it is not a region. */
  private readonly regions = new Map<string, Region | null>();
  private readonly onlineReachability = new Map<string, Reachability>();

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
    const profile = this.profileOf(row.profile);
    const region = this.regionOf(row.region);
    if (!INSTANCE_ID_PATTERN.test(row.instanceId) || region === undefined) {
      this.instances.set(row, null);
      return undefined;
    }
    const instanceId = row.instanceId as InstanceId;
    // One shape for every instance, optional fields undefined when absent (which serializes as
    // absent): a literal without conditional spreads is one allocation and no copying.
    const instance = {
      key: `${profile.sourceId}|${region}|${instanceId}`,
      instanceId,
      name: row.name,
      computerName: row.computerName,
      platform: row.platform,
      platformName: row.platformName,
      platformVersion: row.platformVersion,
      pingStatus: row.pingStatus,
      lastPingAt: row.lastPingAt,
      agentVersion: row.agentVersion,
      ipAddress: row.ipAddress,
      privateIpAddress: row.privateIp,
      publicIpAddress: row.publicIp,
      resourceType: row.resourceType,
      // Rows are immutable and their tags plain {key, value}: shared, not copied per instance.
      tags: row.tags as Instance['tags'],
      region,
      sourceId: profile.sourceId,
      profile: row.profile,
      sourceLabel: profile.label,
      accountId: row.accountId,
      reachability: this.reachabilityOf(row),
      cachedAt: row.cachedAt,
    } as Instance;
    this.instances.set(row, instance);
    return instance;
  }

  /** A profile's IPC source id and label, worked out once per profile rather than per row. */
  private profileOf(name: string): { sourceId: SourceId; label: string } {
    let profile = this.profiles.get(name);
    if (!profile) {
      profile = {
        sourceId: SourceIdSchema.parse(this.naming.sourceIdOf(name)),
        label: this.naming.labelOf(name),
      };
      this.profiles.set(name, profile);
    }
    return profile;
  }

  private regionOf(name: string): Region | undefined {
    let region = this.regions.get(name);
    if (region === undefined) {
      const parsed = RegionSchema.safeParse(name);
      region = parsed.success ? parsed.data : null;
      this.regions.set(name, region);
    }
    return region ?? undefined;
  }

  /**
   * Reachability of a row. Online rows with nothing to add (most of them) share one object per
   * agent version: it is read-only on every side of IPC, and 100,000 copies of it are memory.
   */
  private reachabilityOf(row: InventoryRow): Reachability {
    const extraNotes = row.diagnostics.filter(
      (d) => d.code === 'no-permission' || d.code === 'not-in-ec2',
    );
    const plain = row.pingStatus === 'Online' && extraNotes.length === 0;
    if (plain) {
      const shared = this.onlineReachability.get(row.agentVersion);
      if (shared) return shared;
    }
    const lastPingAt =
      row.pingStatus !== 'Online' && row.lastPingAt !== undefined
        ? new Date(row.lastPingAt)
        : undefined;
    const reachability = describeReachability({
      pingStatus: row.pingStatus,
      agentVersion: row.agentVersion,
      ...(lastPingAt && { lastPingAt }),
    });
    // Offline and agent age are already covered above; the EC2 facts are only in the diagnostics.
    for (const diagnostic of extraNotes) reachability.notes.push(diagnostic.message);
    if (plain) this.onlineReachability.set(row.agentVersion, reachability);
    return reachability;
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
