// Inventory: managed instances from SSM DescribeInstanceInformation joined with EC2
// DescribeInstances, for many sources (profile x region) at once, with per-source status,
// per-instance diagnostics and a cache refreshed in the background and on demand.

import type { Instance as Ec2Instance, Reservation } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { Clock, TimerHandle } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';
import { CredentialsError, type CredentialsErrorCode } from './credentials';
import { classifyAwsError } from './errors';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

/** Where instances are listed from: one profile in one region (and that profile's endpoints). */
export interface InventorySource {
  /** Stable and unique; see sourceIdOf in sources.ts. */
  readonly id: string;
  readonly profile: string;
  readonly region: string;
  /** Shown in the UI; defaults to the profile name. */
  readonly label?: string;
  /** Known from the profile (SSO account, role ARN); rows prefer the EC2 owner id. */
  readonly accountId?: string;
}

export type InventoryPlatform = 'Linux' | 'Windows' | 'MacOS' | 'Unknown';
export type InventoryPingStatus = 'Online' | 'ConnectionLost' | 'Inactive' | 'Unknown';

export interface InstanceDiagnostic {
  readonly code: 'offline' | 'agent-too-old' | 'no-permission' | 'not-in-ec2';
  /** A full sentence to show as-is. */
  readonly message: string;
}

export interface InventoryTag {
  readonly key: string;
  readonly value: string;
}

export interface InventoryRow {
  /** Unique across sources: `${sourceId}/${instanceId}`. */
  readonly key: string;
  readonly sourceId: string;
  readonly instanceId: string;
  /** EC2 Name tag, else the SSM-registered name, else the computer name, else ''. */
  readonly name: string;
  readonly profile: string;
  readonly region: string;
  readonly accountId?: string;
  readonly platform: InventoryPlatform;
  readonly platformName: string;
  readonly platformVersion: string;
  readonly pingStatus: InventoryPingStatus;
  readonly agentVersion: string;
  /** The address SSM reports (usually the private IP). */
  readonly ipAddress: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  /** EC2 state (`running`, `stopped`, …); absent for on-premises `mi-` instances or without EC2 data. */
  readonly state?: string;
  readonly computerName: string;
  /** `EC2Instance` or `ManagedInstance`, as SSM reports it. */
  readonly resourceType: string;
  readonly tags: readonly InventoryTag[];
  /** ISO 8601 time of the agent's last ping. */
  readonly lastPingAt?: string;
  readonly diagnostics: readonly InstanceDiagnostic[];
}

/** The two calls the inventory makes, per source; sources.ts implements it with the AWS SDK. */
export interface InventoryApi {
  describeInstanceInformation(input: {
    nextToken?: string;
    maxResults: number;
  }): Promise<{ instances: InstanceInformation[]; nextToken?: string }>;
  /** At most 100 ids per call, all `i-…`. */
  describeInstances(instanceIds: string[]): Promise<Reservation[]>;
}

export type SourceErrorCode =
  | CredentialsErrorCode
  | 'access-denied'
  | 'invalid-credentials'
  | 'throttled'
  | 'network'
  | 'aws-error';

export type SourceStatus =
  | { readonly state: 'pending' }
  | {
      readonly state: 'ok';
      readonly count: number;
      readonly fetchedAt: string;
      /** Partial results, e.g. "EC2 DescribeInstances was denied: names and tags are missing". */
      readonly warnings: readonly string[];
    }
  | {
      readonly state: 'error';
      readonly code: SourceErrorCode;
      readonly message: string;
      readonly fetchedAt: string;
      /** When rows from an earlier success are still shown (after a transient failure). */
      readonly rowsFrom?: string;
    };

export interface SourceState {
  readonly source: InventorySource;
  readonly status: SourceStatus;
  readonly refreshing: boolean;
}

export interface InventorySnapshot {
  readonly rows: readonly InventoryRow[];
  readonly sources: readonly SourceState[];
  /** Time of the most recent completed fetch of any source. */
  readonly fetchedAt?: string;
  readonly refreshing: boolean;
}

export interface SourceFetchResult {
  readonly rows: InventoryRow[];
  readonly status: Exclude<SourceStatus, { state: 'pending' }>;
  /** Worth keeping older rows for: throttling, 5xx, network. */
  readonly transient: boolean;
}

export interface FetchOptions {
  /** DescribeInstanceInformation page size, 5..50 (default 50). */
  pageSize?: number;
  clock: Clock;
}

const EC2_BATCH = 100;
const MAX_PAGES = 10_000;

function platformOf(info: InstanceInformation): InventoryPlatform {
  switch (info.PlatformType) {
    case 'Linux':
      return 'Linux';
    case 'Windows':
      return 'Windows';
    case 'MacOS':
      return 'MacOS';
    default:
      return 'Unknown';
  }
}

function pingOf(info: InstanceInformation): InventoryPingStatus {
  const status = info.PingStatus;
  return status === 'Online' || status === 'ConnectionLost' || status === 'Inactive'
    ? status
    : 'Unknown';
}

/** `2025-01-02 10:00 UTC`: readable and unambiguous whatever the viewer's time zone. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

interface Ec2Details {
  instance: Ec2Instance;
  ownerId?: string;
}

interface Ec2Outcome {
  details: Map<string, Ec2Details>;
  /** The call was refused for lack of permission. */
  denied: boolean;
  warning?: string;
}

/** Ids named in an InvalidInstanceID.NotFound message, so the rest of the batch can be retried. */
function idsInMessage(message: string): string[] {
  return message.match(/\bi-[0-9a-f]{8,32}\b/g) ?? [];
}

async function fetchEc2(
  api: InventoryApi,
  ids: string[],
  source: InventorySource,
): Promise<Ec2Outcome> {
  const details = new Map<string, Ec2Details>();
  for (let start = 0; start < ids.length; start += EC2_BATCH) {
    let batch = ids.slice(start, start + EC2_BATCH);
    // Instances terminated between the two calls make EC2 reject the whole batch; drop them and retry.
    for (let attempt = 0; batch.length > 0; attempt++) {
      try {
        const reservations = await api.describeInstances(batch);
        for (const reservation of reservations) {
          for (const instance of reservation.Instances ?? []) {
            if (!instance.InstanceId) continue;
            details.set(instance.InstanceId, {
              instance,
              ...(reservation.OwnerId !== undefined && { ownerId: reservation.OwnerId }),
            });
          }
        }
        break;
      } catch (error) {
        const e = classifyAwsError(error);
        if (e.kind === 'access-denied') {
          return { details, denied: true };
        }
        const missing = e.code.startsWith('InvalidInstanceID') ? idsInMessage(e.message) : [];
        const remaining = batch.filter((id) => !missing.includes(id));
        if (missing.length === 0 || remaining.length === batch.length || attempt >= 5) {
          return {
            details,
            denied: false,
            warning: `EC2 DescribeInstances failed in ${source.region} (${e.code}: ${e.message}); names, tags and public IPs may be missing.`,
          };
        }
        batch = remaining;
      }
    }
  }
  return { details, denied: false };
}

function buildRow(
  source: InventorySource,
  info: InstanceInformation & { InstanceId: string },
  ec2: Ec2Details | undefined,
  ec2Outcome: Ec2Outcome,
): InventoryRow {
  const instanceId = info.InstanceId;
  const isEc2 = instanceId.startsWith('i-');
  const tags: InventoryTag[] = [];
  let nameTag: string | undefined;
  for (const tag of ec2?.instance.Tags ?? []) {
    if (tag.Key === undefined) continue;
    tags.push({ key: tag.Key, value: tag.Value ?? '' });
    if (tag.Key === 'Name' && tag.Value) nameTag = tag.Value;
  }
  const pingStatus = pingOf(info);
  const agentVersion = info.AgentVersion ?? '';
  const lastPing = toDate(info.LastPingDateTime);
  const diagnostics: InstanceDiagnostic[] = [];
  if (pingStatus !== 'Online') {
    diagnostics.push({
      code: 'offline',
      message: lastPing
        ? `Offline since ${formatUtc(lastPing)} (${pingStatus}).`
        : `Offline (${pingStatus}).`,
    });
  }
  if (
    agentVersion !== '' &&
    !isVersionGreater(agentVersion, AgentFeatureVersions.portMultiplexing)
  ) {
    diagnostics.push({
      code: 'agent-too-old',
      message: `Agent ${agentVersion} is too old for multiplexed port forwarding (needs a version above ${AgentFeatureVersions.portMultiplexing}); port forwards carry one connection at a time.`,
    });
  }
  if (isEc2 && ec2Outcome.denied) {
    diagnostics.push({
      code: 'no-permission',
      message: `No permission for EC2 DescribeInstances with profile "${source.profile}" in ${source.region}: name, tags and public IP are unknown.`,
    });
  } else if (isEc2 && !ec2 && ec2Outcome.warning === undefined) {
    diagnostics.push({
      code: 'not-in-ec2',
      message: `EC2 does not list this instance in ${source.region}; it may have been terminated.`,
    });
  }

  const privateIp = ec2?.instance.PrivateIpAddress;
  const publicIp = ec2?.instance.PublicIpAddress;
  const state = ec2?.instance.State?.Name;
  const accountId = ec2?.ownerId ?? source.accountId;
  const computerName = info.ComputerName ?? '';
  return {
    key: `${source.id}/${instanceId}`,
    sourceId: source.id,
    instanceId,
    name: nameTag ?? info.Name ?? computerName,
    profile: source.profile,
    region: source.region,
    ...(accountId !== undefined && { accountId }),
    platform: platformOf(info),
    platformName: info.PlatformName ?? '',
    platformVersion: info.PlatformVersion ?? '',
    pingStatus,
    agentVersion,
    ipAddress: info.IPAddress ?? privateIp ?? '',
    ...(privateIp !== undefined && { privateIp }),
    ...(publicIp !== undefined && { publicIp }),
    ...(state !== undefined && { state }),
    computerName,
    resourceType: info.ResourceType ?? (isEc2 ? 'EC2Instance' : 'ManagedInstance'),
    tags,
    ...(lastPing && { lastPingAt: lastPing.toISOString() }),
    diagnostics,
  };
}

/** Maps anything a source fetch can throw to a code, a sentence naming profile and region, and retryability. */
export function describeSourceError(
  error: unknown,
  source: Pick<InventorySource, 'profile' | 'region'>,
  activity = 'listing managed instances',
): { code: SourceErrorCode; message: string; transient: boolean } {
  if (error instanceof CredentialsError) {
    return { code: error.code, message: error.message, transient: false };
  }
  const e = classifyAwsError(error);
  const where = `profile "${source.profile}" in ${source.region}`;
  switch (e.kind) {
    case 'access-denied':
      return {
        code: 'access-denied',
        message: `Access denied ${activity} with ${where}: ${e.message}`,
        transient: false,
      };
    case 'invalid-credentials':
      return {
        code: 'invalid-credentials',
        message: `The credentials of ${where} were refused (${e.code}); check the profile's keys.`,
        transient: false,
      };
    case 'expired-credentials':
      return {
        code: 'expired',
        message: `The credentials of ${where} have expired (${e.code}); renew them and refresh.`,
        transient: false,
      };
    case 'throttled':
      return {
        code: 'throttled',
        message: `AWS is throttling requests for ${where}; it will be retried.`,
        transient: true,
      };
    case 'network':
      return {
        code: 'network',
        message: `Could not reach AWS for ${activity} with ${where} (${e.code}: ${e.message}).`,
        transient: true,
      };
    default:
      return {
        code: 'aws-error',
        message: `${activity[0]?.toUpperCase() ?? ''}${activity.slice(1)} with ${where} failed (${e.code}: ${e.message}).`,
        transient: e.transient,
      };
  }
}

/** Lists one source completely. Never throws: failures become an error status. */
export async function fetchSourceInventory(
  source: InventorySource,
  api: InventoryApi,
  options: FetchOptions,
): Promise<SourceFetchResult> {
  const pageSize = Math.min(50, Math.max(5, Math.floor(options.pageSize ?? 50)));
  const infos: (InstanceInformation & { InstanceId: string })[] = [];
  try {
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await api.describeInstanceInformation({
        maxResults: pageSize,
        ...(nextToken !== undefined && { nextToken }),
      });
      for (const info of out.instances) {
        if (info.InstanceId) infos.push(info as InstanceInformation & { InstanceId: string });
      }
      nextToken = out.nextToken || undefined;
      if (nextToken === undefined) break;
      // A service that hands back a token it already gave would otherwise loop forever.
      if (seenTokens.has(nextToken)) break;
      seenTokens.add(nextToken);
    }
  } catch (error) {
    const described = describeSourceError(error, source);
    return {
      rows: [],
      transient: described.transient,
      status: {
        state: 'error',
        code: described.code,
        message: described.message,
        fetchedAt: new Date(options.clock.now()).toISOString(),
      },
    };
  }

  const unique = new Map<string, InstanceInformation & { InstanceId: string }>();
  for (const info of infos) unique.set(info.InstanceId, info);
  const ec2Ids = [...unique.keys()].filter((id) => id.startsWith('i-'));
  const ec2: Ec2Outcome =
    ec2Ids.length > 0 ? await fetchEc2(api, ec2Ids, source) : { details: new Map(), denied: false };
  const rows = [...unique.values()].map((info) =>
    buildRow(source, info, ec2.details.get(info.InstanceId), ec2),
  );
  const warnings: string[] = [];
  if (ec2.denied) {
    warnings.push(
      `EC2 DescribeInstances was denied for profile "${source.profile}" in ${source.region}: names, tags and public IPs are missing.`,
    );
  }
  if (ec2.warning) warnings.push(ec2.warning);
  return {
    rows,
    transient: false,
    status: {
      state: 'ok',
      count: rows.length,
      fetchedAt: new Date(options.clock.now()).toISOString(),
      warnings,
    },
  };
}

export interface InventoryOptions {
  apiFor: (source: InventorySource) => InventoryApi;
  clock: Clock;
  logger?: Logger;
  /** Sources fetched at the same time (default 4). */
  concurrency?: number;
  pageSize?: number;
  /** Background refresh period; 0 turns it off (default 5 minutes). */
  refreshIntervalMs?: number;
}

interface SourceEntry {
  source: InventorySource;
  status: SourceStatus;
  rows: InventoryRow[];
  inflight?: Promise<void>;
}

/** A small counting semaphore so at most `limit` sources are fetched at once. */
function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The inventory across all selected sources, kept in memory and refreshed in the background. */
export class Inventory {
  readonly #options: InventoryOptions;
  readonly #logger: Logger;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;
  #entries = new Map<string, SourceEntry>();
  readonly #changes: Emitter<InventorySnapshot>;
  #snapshot: InventorySnapshot | undefined;
  #timer: TimerHandle | undefined;
  #started = false;
  #disposed = false;
  #lastFetchAt: number | undefined;

  constructor(options: InventoryOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child('inventory');
    this.#limit = createLimiter(Math.max(1, options.concurrency ?? 4));
    this.#changes = new Emitter({
      onListenerError: (error) => {
        this.#logger.log('error', 'inventory listener threw', { error: toErrorMessage(error) });
      },
    });
  }

  /** Replaces the selection; results of sources that stay are kept, new ones start as pending. */
  setSources(sources: readonly InventorySource[]): void {
    const next = new Map<string, SourceEntry>();
    for (const source of sources) {
      const existing = this.#entries.get(source.id);
      if (existing) {
        // Same object, so a fetch under way for it still lands.
        existing.source = source;
        next.set(source.id, existing);
      } else {
        next.set(source.id, { source, status: { state: 'pending' }, rows: [] });
      }
    }
    this.#entries = next;
    this.#changed();
  }

  snapshot(): InventorySnapshot {
    if (!this.#snapshot) {
      const entries = [...this.#entries.values()];
      this.#snapshot = {
        rows: entries.flatMap((e) => e.rows),
        sources: entries.map((e) => ({
          source: e.source,
          status: e.status,
          refreshing: e.inflight !== undefined,
        })),
        ...(this.#lastFetchAt !== undefined && {
          fetchedAt: new Date(this.#lastFetchAt).toISOString(),
        }),
        refreshing: entries.some((e) => e.inflight !== undefined),
      };
    }
    return this.#snapshot;
  }

  /** Fetches the given sources (default: all) again; joins fetches already under way. */
  async refresh(options: { sourceIds?: readonly string[] } = {}): Promise<InventorySnapshot> {
    const wanted = options.sourceIds ? new Set(options.sourceIds) : undefined;
    const entries = [...this.#entries.values()].filter((e) => !wanted || wanted.has(e.source.id));
    await Promise.all(entries.map((entry) => this.#fetch(entry)));
    if (!wanted) this.#schedule();
    return this.snapshot();
  }

  /** Fetches only sources never fetched yet; the cheap call for "show me the inventory". */
  async load(): Promise<InventorySnapshot> {
    const pending = [...this.#entries.values()].filter(
      (e) => e.status.state === 'pending' && !e.inflight,
    );
    const running = [...this.#entries.values()].flatMap((e) => (e.inflight ? [e.inflight] : []));
    await Promise.all([...pending.map((e) => this.#fetch(e)), ...running]);
    return this.snapshot();
  }

  onChange(listener: (snapshot: InventorySnapshot) => void): () => void {
    const subscription = this.#changes.event(listener);
    return () => subscription.dispose();
  }

  /** Starts background refresh: every refreshIntervalMs after the previous full refresh. */
  start(): void {
    this.#started = true;
    this.#schedule();
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#changes.dispose();
  }

  #schedule(): void {
    const interval = this.#options.refreshIntervalMs ?? 5 * 60_000;
    if (!this.#started || this.#disposed || interval <= 0) return;
    this.#timer?.cancel();
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      this.refresh().catch((error: unknown) => {
        this.#logger.log('warn', 'background inventory refresh failed', {
          error: toErrorMessage(error),
        });
      });
    }, interval);
  }

  #fetch(entry: SourceEntry): Promise<void> {
    if (entry.inflight) return entry.inflight;
    const { source } = entry;
    const run = async () => {
      let api: InventoryApi;
      let result: SourceFetchResult;
      try {
        api = this.#options.apiFor(source);
        result = await fetchSourceInventory(source, api, {
          clock: this.#options.clock,
          ...(this.#options.pageSize !== undefined && { pageSize: this.#options.pageSize }),
        });
      } catch (error) {
        const described = describeSourceError(error, source);
        result = {
          rows: [],
          transient: described.transient,
          status: {
            state: 'error',
            code: described.code,
            message: described.message,
            fetchedAt: new Date(this.#options.clock.now()).toISOString(),
          },
        };
      }
      const current = this.#entries.get(source.id);
      // The selection changed while fetching: this source's result no longer belongs anywhere.
      if (current !== entry || this.#disposed) return;
      const previous = entry.status;
      if (result.status.state === 'error' && result.transient && previous.state === 'ok') {
        entry.status = { ...result.status, rowsFrom: previous.fetchedAt };
      } else if (
        result.status.state === 'error' &&
        result.transient &&
        previous.state === 'error' &&
        previous.rowsFrom !== undefined
      ) {
        entry.status = { ...result.status, rowsFrom: previous.rowsFrom };
      } else {
        entry.status = result.status;
        entry.rows = result.rows;
      }
      this.#lastFetchAt = this.#options.clock.now();
      if (result.status.state === 'error') {
        this.#logger.log('warn', 'inventory source failed', {
          source: source.id,
          code: result.status.code,
        });
      }
    };
    entry.inflight = this.#limit(run).finally(() => {
      delete entry.inflight;
      this.#changed();
    });
    this.#changed();
    return entry.inflight;
  }

  #changed(): void {
    this.#snapshot = undefined;
    if (this.#changes.listenerCount === 0) return;
    this.#changes.fire(this.snapshot());
  }
}
