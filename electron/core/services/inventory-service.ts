// InventoryService: lists managed instances of every source and region and joins EC2 names, tags and IPs.
import type { IpcFailure } from '../../../shared/ipc';
import {
  PingStatusSchema,
  PlatformSchema,
  type Instance,
  type InventoryList,
  type InventorySourceStatus,
  type PingStatus,
  type Platform,
} from '../../../shared/ipc';
import { InstanceIdSchema, RegionSchema, type SourceId } from '../../../shared/domain';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { awsFailure } from './errors';
import type { Ec2InstanceRecord, ManagedInstanceRecord } from './inventory-api';
import { describeReachability } from './reachability';
import type { SessionSource } from './sources';

export interface InventoryService {
  list(options?: { refresh?: boolean }): Promise<InventoryList>;
  /** The instance as last listed (preferring `sourceId`/`region` when given). */
  find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
}

export function createInventoryService(options: {
  sources: () => readonly SessionSource[];
  clock: Clock;
  logger: Logger;
}): InventoryService {
  const logger = options.logger.child('inventory');
  let last: InventoryList | undefined;
  let inFlight: Promise<InventoryList> | undefined;

  async function listSourceRegion(
    source: SessionSource,
    region: string,
  ): Promise<{ instances: Instance[]; status: InventorySourceStatus }> {
    const api = source.inventory(region);
    const base = {
      sourceId: source.info.id,
      label: source.info.label,
      region: RegionSchema.parse(region),
    };
    let managed: ManagedInstanceRecord[];
    try {
      managed = await api.listManagedInstances();
    } catch (error) {
      const failure = awsFailure(`Listing instances in ${region}`, error);
      logger.log('warn', 'DescribeInstanceInformation failed', {
        source: source.info.id,
        region,
        code: failure.code,
      });
      return {
        instances: [],
        status: {
          ...base,
          ok: false,
          count: 0,
          error: { code: failure.code, message: failure.message },
        },
      };
    }
    let ec2: Ec2InstanceRecord[] = [];
    let ec2Error: IpcFailure | undefined;
    try {
      ec2 = await api.describeEc2Instances(managed.map((item) => item.instanceId));
    } catch (error) {
      // Names and tags are a nicety; the instances are still usable without them.
      ec2Error = awsFailure(`EC2 names and tags in ${region} are unavailable`, error);
      logger.log('warn', 'DescribeInstances failed', {
        source: source.info.id,
        region,
        code: ec2Error.code,
      });
    }
    const ec2ById = new Map(ec2.map((item) => [item.instanceId, item]));
    const instances: Instance[] = [];
    for (const item of managed) {
      const instance = toInstance(item, ec2ById.get(item.instanceId), source, region);
      if (instance) instances.push(instance);
    }
    return {
      instances,
      status: {
        ...base,
        ok: true,
        count: instances.length,
        ...(ec2Error && { error: { code: ec2Error.code, message: ec2Error.message } }),
      },
    };
  }

  async function fetchAll(): Promise<InventoryList> {
    const sources = options.sources();
    const jobs = sources.flatMap((source) =>
      source.info.regions.map((region) => listSourceRegion(source, region)),
    );
    const results = await Promise.all(jobs);
    const list: InventoryList = {
      instances: results.flatMap((result) => result.instances),
      sources: results.map((result) => result.status),
      fetchedAt: new Date(options.clock.now()).toISOString(),
    };
    last = list;
    return list;
  }

  return {
    list(request = {}) {
      if (last && !request.refresh) return Promise.resolve(last);
      // Concurrent callers share one fetch instead of hammering the API.
      inFlight ??= fetchAll().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    find(instanceId, sourceId, region) {
      const candidates = (last?.instances ?? []).filter(
        (instance) => instance.instanceId === instanceId,
      );
      return (
        candidates.find(
          (instance) =>
            (sourceId === undefined || instance.sourceId === sourceId) &&
            (region === undefined || instance.region === region),
        ) ?? undefined
      );
    },
  };
}

function toInstance(
  item: ManagedInstanceRecord,
  ec2: Ec2InstanceRecord | undefined,
  source: SessionSource,
  region: string,
): Instance | undefined {
  const id = InstanceIdSchema.safeParse(item.instanceId);
  if (!id.success) return undefined;
  const tags = ec2?.tags ?? [];
  const nameTag = tags.find((tag) => tag.key === 'Name')?.value;
  const pingStatus = asPingStatus(item.pingStatus);
  const agentVersion = item.agentVersion ?? '';
  const sourceId: SourceId = source.info.id;
  return {
    key: `${sourceId}|${region}|${id.data}`,
    instanceId: id.data,
    name: nameTag || item.name || item.computerName || '',
    computerName: item.computerName ?? '',
    platform: asPlatform(item.platformType),
    platformName: item.platformName ?? '',
    platformVersion: item.platformVersion ?? '',
    pingStatus,
    ...(item.lastPingAt && { lastPingAt: item.lastPingAt.toISOString() }),
    agentVersion,
    ipAddress: item.ipAddress ?? ec2?.privateIpAddress ?? '',
    ...(ec2?.privateIpAddress && { privateIpAddress: ec2.privateIpAddress }),
    ...(ec2?.publicIpAddress && { publicIpAddress: ec2.publicIpAddress }),
    resourceType: item.resourceType ?? '',
    tags,
    region: RegionSchema.parse(region),
    sourceId,
    sourceLabel: source.info.label,
    reachability: describeReachability({
      pingStatus,
      agentVersion,
      ...(item.lastPingAt && { lastPingAt: item.lastPingAt }),
    }),
  };
}

function asPingStatus(value: string | undefined): PingStatus {
  const parsed = PingStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : 'Unknown';
}

function asPlatform(value: string | undefined): Platform {
  if (value === 'MacOS' || value === 'macOS') return 'MacOS';
  const parsed = PlatformSchema.safeParse(value);
  return parsed.success ? parsed.data : 'Unknown';
}
