// Listing one inventory source: DescribeInstanceInformation page by page, each page joined with
// EC2 DescribeInstances as soon as it arrives (while the next page is already being asked for) and
// turned into rows handed to the caller, so nothing per instance is kept beyond the rows shown.

import type { Clock } from '../base/clock';
import { AgentFeatureVersions, isVersionGreater } from '../datachannel/version-compare';
import { CredentialsError } from './credentials';
import type { LeanInstance } from './ec2-instances-xml';
import type { LeanInstanceInformation } from './ssm-instance-information';
import { classifyAwsError } from './errors';
import type {
  InstanceDiagnostic,
  InventoryApi,
  InventoryPingStatus,
  InventoryPlatform,
  InventoryRow,
  InventorySource,
  InventoryTag,
  SourceErrorCode,
  SourceStatus,
} from './inventory';

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
  /** Each page's rows as soon as they are built; a returned promise holds the next page back. */
  onRows?: (rows: readonly InventoryRow[]) => void | Promise<void>;
  /** False: the result's rows stay empty, for callers that only follow onRows. Default true. */
  keepRows?: boolean;
}

/** A row being built: its fields set one by one. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Instance ids per DescribeInstances call: four DescribeInstanceInformation pages, and the most
 * values EC2 takes for one filter, so the same batches work as a filter too.
 */
const EC2_BATCH = 200;
const MAX_PAGES = 10_000;

function platformOf(info: LeanInstanceInformation): InventoryPlatform {
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

function pingOf(info: LeanInstanceInformation): InventoryPingStatus {
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
  instance: LeanInstance;
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

/** Per agent version: a fleet runs a handful of versions, and each row asks. */
const tooOldForMultiplexing = new Map<string, boolean>();

function agentTooOldForMultiplexing(agentVersion: string): boolean {
  let tooOld = tooOldForMultiplexing.get(agentVersion);
  if (tooOld === undefined) {
    tooOld = !isVersionGreater(agentVersion, AgentFeatureVersions.portMultiplexing);
    // Bounded: versions come from the service, and a listing could name many.
    if (tooOldForMultiplexing.size >= 256) tooOldForMultiplexing.clear();
    tooOldForMultiplexing.set(agentVersion, tooOld);
  }
  return tooOld;
}

function buildRow(
  source: InventorySource,
  info: LeanInstanceInformation & { InstanceId: string },
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
  if (agentVersion !== '' && agentTooOldForMultiplexing(agentVersion)) {
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
  // Optional fields are set one by one rather than spread in: a spread builds an object per field
  // and row, which a 100,000-row listing feels.
  const row: Mutable<InventoryRow> = {
    key: `${source.id}/${instanceId}`,
    sourceId: source.id,
    instanceId,
    name: nameTag ?? info.Name ?? computerName,
    profile: source.profile,
    region: source.region,
    platform: platformOf(info),
    platformName: info.PlatformName ?? '',
    platformVersion: info.PlatformVersion ?? '',
    pingStatus,
    agentVersion,
    ipAddress: info.IPAddress ?? privateIp ?? '',
    computerName,
    resourceType: info.ResourceType ?? (isEc2 ? 'EC2Instance' : 'ManagedInstance'),
    tags,
    diagnostics,
  };
  if (accountId !== undefined) row.accountId = accountId;
  if (privateIp !== undefined) row.privateIp = privateIp;
  if (publicIp !== undefined) row.publicIp = publicIp;
  if (state !== undefined) row.state = state;
  if (lastPing) row.lastPingAt = lastPing.toISOString();
  return row;
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

/** What the EC2 join of earlier pages found out for the whole source. */
interface JoinState {
  denied: boolean;
  readonly warnings: Set<string>;
}

/** One DescribeInstanceInformation page as rows, joined with EC2 unless EC2 already refused. */
async function joinPage(
  source: InventorySource,
  api: InventoryApi,
  infos: readonly (LeanInstanceInformation & { InstanceId: string })[],
  state: JoinState,
): Promise<InventoryRow[]> {
  const ec2Ids = infos.map((info) => info.InstanceId).filter((id) => id.startsWith('i-'));
  let outcome: Ec2Outcome = { details: new Map(), denied: state.denied };
  if (!state.denied && ec2Ids.length > 0) {
    outcome = await fetchEc2(api, ec2Ids, source);
    if (outcome.denied) state.denied = true;
    if (outcome.warning !== undefined) state.warnings.add(outcome.warning);
  }
  return infos.map((info) => buildRow(source, info, outcome.details.get(info.InstanceId), outcome));
}

function errorResult(error: unknown, source: InventorySource, clock: Clock): SourceFetchResult {
  const described = describeSourceError(error, source);
  return {
    rows: [],
    transient: described.transient,
    status: {
      state: 'error',
      code: described.code,
      message: described.message,
      fetchedAt: new Date(clock.now()).toISOString(),
    },
  };
}

/**
 * Lists one source completely, a page at a time: each page is joined with EC2 and handed to
 * `onRows` while the next page is already on its way. An instance listed twice (the service's
 * pages moved under it) keeps its first row. Never throws: failures become an error status (rows
 * already handed to onRows stay handed).
 */
export async function fetchSourceInventory(
  source: InventorySource,
  api: InventoryApi,
  options: FetchOptions,
): Promise<SourceFetchResult> {
  const pageSize = Math.min(50, Math.max(5, Math.floor(options.pageSize ?? 50)));
  const keepRows = options.keepRows ?? true;
  const rows: InventoryRow[] = [];
  const seenIds = new Set<string>();
  const seenTokens = new Set<string>();
  const state: JoinState = { denied: false, warnings: new Set() };
  let count = 0;
  /** Instances listed but not yet joined with EC2. */
  let batch: (LeanInstanceInformation & { InstanceId: string })[] = [];
  type Page = Awaited<ReturnType<InventoryApi['describeInstanceInformation']>>;
  const readPage = (nextToken: string | undefined): Promise<Page> =>
    api.describeInstanceInformation({
      maxResults: pageSize,
      ...(nextToken !== undefined && { nextToken }),
    });
  try {
    let pending: Promise<Page> | undefined = readPage(undefined);
    for (let page = 0; pending && page < MAX_PAGES; page++) {
      const out: Page = await pending;
      let nextToken: string | undefined = out.nextToken || undefined;
      // A service that hands back a token it already gave would otherwise loop forever.
      if (nextToken !== undefined && seenTokens.has(nextToken)) nextToken = undefined;
      if (nextToken !== undefined) seenTokens.add(nextToken);
      pending = nextToken !== undefined ? readPage(nextToken) : undefined;
      // Its failure is met when it is awaited; until then it must not count as unhandled.
      pending?.catch(() => undefined);
      for (const info of out.instances) {
        const id = info.InstanceId;
        if (!id || seenIds.has(id)) continue;
        seenIds.add(id);
        batch.push(info as LeanInstanceInformation & { InstanceId: string });
      }
      // Pages are joined a whole EC2 batch at a time (four pages of 50 in one call, not four calls)
      // while the next page is on its way; the last page is joined when it arrives.
      const lastPage = !pending || page + 1 >= MAX_PAGES;
      if (batch.length === 0 || (!lastPage && batch.length + pageSize <= EC2_BATCH)) continue;
      const pageRows = await joinPage(source, api, batch, state);
      batch = [];
      count += pageRows.length;
      if (keepRows) for (const row of pageRows) rows.push(row);
      await options.onRows?.(pageRows);
    }
  } catch (error) {
    return errorResult(error, source, options.clock);
  }
  const warnings: string[] = [];
  if (state.denied) {
    warnings.push(
      `EC2 DescribeInstances was denied for profile "${source.profile}" in ${source.region}: names, tags and public IPs are missing.`,
    );
  }
  warnings.push(...state.warnings);
  return {
    rows,
    transient: false,
    status: {
      state: 'ok',
      count,
      fetchedAt: new Date(options.clock.now()).toISOString(),
      warnings,
    },
  };
}
