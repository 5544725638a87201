// The sandbox's fleet: managed instances and accounts, loaded from a validated JSON file, the default fleet, or a seeded generator.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { REGION_PATTERN } from '../../shared/domain';
import { toErrorMessage } from '../core/base/errors';

export const PLATFORM_TYPES = ['Linux', 'Windows', 'MacOS'] as const;
export type PlatformType = (typeof PLATFORM_TYPES)[number];

export const PING_STATUSES = ['Online', 'ConnectionLost', 'Inactive'] as const;
export type PingStatus = (typeof PING_STATUSES)[number];

export const INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** The newest agent release the sandbox knows; DescribeInstanceInformation's IsLatestVersion compares with it. */
export const LATEST_AGENT_VERSION = '3.3.1142.0';

/** Account used when a fleet names none (the account id AWS uses in its own examples). */
export const DEFAULT_ACCOUNT_ID = '123456789012';

const INSTANCE_ID = /^(i-[0-9a-f]{8}([0-9a-f]{9})?|mi-[0-9a-f]{17})$/;
const ACCOUNT_ID = /^\d{12}$/;
const AGENT_VERSION = /^\d+\.\d+\.\d+\.\d+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const ipv4 = z.string().regex(IPV4, 'must be an IPv4 address such as 10.0.1.23');

const instanceSchema = z
  .object({
    instanceId: z
      .string()
      .regex(INSTANCE_ID, 'must be an EC2 id (i- and 8 or 17 hex digits) or mi- and 17 hex digits'),
    name: z.string().min(1).max(255).optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
    platform: z.enum(PLATFORM_TYPES).optional(),
    platformName: z.string().min(1).optional(),
    platformVersion: z.string().min(1).optional(),
    pingStatus: z.enum(PING_STATUSES).optional(),
    agentVersion: z
      .string()
      .regex(AGENT_VERSION, 'must have four numeric parts, e.g. 3.3.0.0')
      .optional(),
    ipAddress: ipv4.optional(),
    privateIp: ipv4.optional(),
    publicIp: ipv4.optional(),
    computerName: z.string().min(1).optional(),
    account: z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id').optional(),
    region: z.string().regex(REGION_PATTERN, 'must be a region name such as us-east-1'),
    lastPing: z.iso.datetime({ offset: true }).optional(),
    state: z.enum(INSTANCE_STATES).optional(),
    instanceType: z.string().min(1).optional(),
    availabilityZone: z.string().min(1).optional(),
  })
  .strict();

const userSchema = z
  .object({
    userName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name (letters, digits and +=,.@_-)'),
    accessKeyId: z
      .string()
      .regex(/^[A-Z0-9]{16,128}$/, 'must be 16 to 128 upper-case letters and digits')
      .optional(),
    secretAccessKey: z.string().min(16).max(128).optional(),
    /** Regions where this user gets AccessDenied, to exercise per-source errors. */
    deniedRegions: z
      .array(z.string().regex(REGION_PATTERN, 'must be a region name such as us-east-1'))
      .optional(),
  })
  .strict();

const accountSchema = z
  .object({
    accountId: z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'),
    alias: z.string().min(1).max(63).optional(),
    users: z.array(userSchema).min(1).optional(),
    /**
     * Permission sets the sandbox's Identity Center user is assigned in this account (absent:
     * AdministratorAccess and ReadOnlyAccess; empty: none, so the portal does not list it).
     */
    ssoRoles: z
      .array(z.string().regex(/^[\w+=,.@-]{1,32}$/, 'must be a permission set name'))
      .max(20)
      .optional(),
  })
  .strict();

const fleetFileSchema = z
  .object({
    defaultRegion: z
      .string()
      .regex(REGION_PATTERN, 'must be a region name such as us-east-1')
      .optional(),
    accounts: z.array(accountSchema).min(1).optional(),
    instances: z.array(instanceSchema),
  })
  .strict();

export type FleetInstanceInput = z.input<typeof instanceSchema>;
export type AccountUserDefinition = z.output<typeof userSchema>;
export type AccountDefinition = z.output<typeof accountSchema>;
/** A fleet file: `{ defaultRegion?, accounts?, instances }`, or just the array of instances. */
export type FleetFileInput = z.input<typeof fleetFileSchema> | FleetInstanceInput[];

/** One managed instance with every field resolved. */
export interface FleetInstance {
  instanceId: string;
  /** The Name tag (EC2) or the registration name (managed `mi-` instances). */
  name: string;
  tags: Readonly<Record<string, string>>;
  platform: PlatformType;
  platformName: string;
  platformVersion: string;
  pingStatus: PingStatus;
  agentVersion: string;
  /** The address the agent reports to SSM (usually the private one). */
  ipAddress: string;
  privateIp: string;
  publicIp?: string;
  computerName: string;
  account: string;
  region: string;
  /** Epoch milliseconds of the agent's last ping. */
  lastPing: number;
  state: InstanceState;
  instanceType: string;
  availabilityZone: string;
  /** `EC2Instance` for `i-` ids, `ManagedInstance` for on-premises `mi-` ids. */
  resourceType: 'EC2Instance' | 'ManagedInstance';
  /** Launch (EC2) or registration (managed) time, epoch milliseconds. */
  launchTime: number;
}

export interface FleetDefinition {
  defaultRegion: string;
  accounts: AccountDefinition[];
  instances: FleetInstance[];
}

/** A fleet file or definition that does not validate; `issues` name each bad field. */
export class FleetError extends Error {
  override readonly name = 'FleetError';
  readonly code = 'FLEET_INVALID';

  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}:\n  ${issues.join('\n  ')}` : message);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Stable hash of a string, so derived fields (addresses, zones) stay the same across runs. */
function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function derivedPrivateIp(instanceId: string): string {
  const h = hashOf(instanceId);
  return `10.${(h >>> 16) & 0xff}.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
}

const PLATFORM_DEFAULTS: Record<PlatformType, { name: string; version: string }> = {
  Linux: { name: 'Amazon Linux', version: '2023' },
  Windows: { name: 'Microsoft Windows Server 2022 Datacenter', version: '10.0.20348' },
  MacOS: { name: 'macOS', version: '14.4' },
};

const FIXED_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Fills every optional field from the record itself, so the same file always gives the same fleet. */
export function resolveInstance(
  input: z.output<typeof instanceSchema>,
  defaultAccount: string,
  now: number,
): FleetInstance {
  const platform = input.platform ?? 'Linux';
  const pingStatus = input.pingStatus ?? 'Online';
  const privateIp = input.privateIp ?? input.ipAddress ?? derivedPrivateIp(input.instanceId);
  const tags: Record<string, string> = { ...(input.tags ?? {}) };
  const managed = input.instanceId.startsWith('mi-');
  const name = input.name ?? tags.Name ?? '';
  if (!managed && name !== '' && tags.Name === undefined) tags.Name = name;
  const h = hashOf(input.instanceId);
  const zone = input.availabilityZone ?? `${input.region}${'abc'[h % 3] ?? 'a'}`;
  const hostPart = privateIp.replaceAll('.', '-');
  const instance: FleetInstance = {
    instanceId: input.instanceId,
    name,
    tags,
    platform,
    platformName: input.platformName ?? PLATFORM_DEFAULTS[platform].name,
    platformVersion: input.platformVersion ?? PLATFORM_DEFAULTS[platform].version,
    pingStatus,
    agentVersion: input.agentVersion ?? LATEST_AGENT_VERSION,
    ipAddress: input.ipAddress ?? privateIp,
    privateIp,
    computerName:
      input.computerName ??
      (platform === 'Windows'
        ? `EC2AMAZ-${(h % 0xfffffff).toString(36).toUpperCase().padStart(7, '0')}`
        : `ip-${hostPart}.${input.region === 'us-east-1' ? 'ec2.internal' : `${input.region}.compute.internal`}`),
    account: input.account ?? defaultAccount,
    region: input.region,
    // An offline agent last pinged a while ago; an online one just now.
    lastPing:
      input.lastPing !== undefined
        ? Date.parse(input.lastPing)
        : pingStatus === 'Online'
          ? now
          : now - (2 + (h % 70)) * 3_600_000,
    state: input.state ?? (pingStatus === 'Online' ? 'running' : 'stopped'),
    instanceType: input.instanceType ?? 't3.micro',
    availabilityZone: zone,
    resourceType: managed ? 'ManagedInstance' : 'EC2Instance',
    launchTime: FIXED_EPOCH - (h % 400) * 86_400_000,
  };
  if (input.publicIp !== undefined) instance.publicIp = input.publicIp;
  return instance;
}

/**
 * Validates a parsed fleet file (an array of instances, or `{ defaultRegion?, accounts?, instances }`)
 * and resolves it. `source` names the file in error messages.
 */
export function parseFleet(json: unknown, source = 'fleet', now = Date.now()): FleetDefinition {
  const parsed = fleetFileSchema.safeParse(Array.isArray(json) ? { instances: json } : json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new FleetError(`${source} is not a valid fleet`, issues);
  }
  const file = parsed.data;
  const declared = file.accounts;
  const accounts: AccountDefinition[] = declared ? [...declared] : [];
  const defaultAccount = accounts[0]?.accountId ?? file.instances[0]?.account ?? DEFAULT_ACCOUNT_ID;
  const issues: string[] = [];
  const seen = new Set<string>();
  for (const [index, account] of accounts.entries()) {
    if (seen.has(account.accountId))
      issues.push(`accounts[${index}].accountId: duplicate ${account.accountId}`);
    seen.add(account.accountId);
  }
  const ids = new Set<string>();
  const instances = file.instances.map((input, index) => {
    if (ids.has(input.instanceId)) {
      issues.push(`instances[${index}].instanceId: duplicate ${input.instanceId}`);
    }
    ids.add(input.instanceId);
    const account = input.account ?? defaultAccount;
    if (declared && !seen.has(account)) {
      issues.push(`instances[${index}].account: ${account} is not in accounts`);
    }
    return resolveInstance(input, defaultAccount, now);
  });
  if (issues.length > 0) throw new FleetError(`${source} is not a valid fleet`, issues);
  // Accounts named only by instances get a default user each.
  if (!declared) {
    const fromInstances = [...new Set([defaultAccount, ...instances.map((i) => i.account)])];
    for (const accountId of fromInstances) accounts.push({ accountId });
  }
  const regions = regionsOf(instances);
  const defaultRegion = file.defaultRegion ?? regions[0] ?? 'us-east-1';
  return { defaultRegion, accounts, instances };
}

/** Reads and validates a fleet JSON file. */
export async function loadFleetFile(path: string, now = Date.now()): Promise<FleetDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = toErrorMessage(error);
    throw new FleetError(`cannot read fleet file ${path}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = toErrorMessage(error);
    throw new FleetError(`fleet file ${path} is not valid JSON: ${reason}`);
  }
  return parseFleet(json, `fleet file ${path}`, now);
}

function regionsOf(instances: readonly FleetInstance[]): string[] {
  return [...new Set(instances.map((i) => i.region))].sort();
}

/** mulberry32: a small seeded PRNG so generated fleets are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const GENERATED_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-2',
] as const;

export interface GenerateFleetOptions {
  regions?: readonly string[];
  accounts?: readonly string[];
  /** Share of instances whose agent is ConnectionLost (default 0.03). */
  offlineShare?: number;
  now?: number;
}

const ROLES = ['web', 'api', 'worker', 'db', 'cache', 'batch', 'bastion', 'queue'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const TEAMS = ['platform', 'payments', 'search', 'data', 'identity'] as const;
const LINUXES = [
  { name: 'Amazon Linux', version: '2023' },
  { name: 'Amazon Linux', version: '2' },
  { name: 'Ubuntu', version: '22.04' },
  { name: 'Ubuntu', version: '24.04' },
  { name: 'Red Hat Enterprise Linux', version: '9.4' },
] as const;
const AGENTS = [
  LATEST_AGENT_VERSION,
  '3.3.987.0',
  '3.2.2303.0',
  '3.1.1732.0',
  '3.0.1124.0',
  '3.0.100.0',
];

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function hexId(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/**
 * A large, reproducible fleet for benchmarks: `count` instances spread over `regions` (five by
 * default) and `accounts`, mostly Linux with some Windows and on-premises `mi-` nodes, a few offline.
 */
export function generateFleet(
  count: number,
  seed = 1,
  options: GenerateFleetOptions = {},
): FleetDefinition {
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new FleetError(`instance count must be an integer from 0 to 1000000, got ${count}`);
  }
  const random = seededRandom(seed);
  const regions =
    options.regions && options.regions.length > 0 ? options.regions : GENERATED_REGIONS;
  const accountIds =
    options.accounts && options.accounts.length > 0 ? options.accounts : [DEFAULT_ACCOUNT_ID];
  const now = options.now ?? Date.now();
  const offlineShare = options.offlineShare ?? 0.03;
  const ids = new Set<string>();
  const instances: FleetInstance[] = [];
  for (let n = 0; n < count; n++) {
    const managed = random() < 0.05;
    let instanceId: string;
    do {
      instanceId = `${managed ? 'mi-' : 'i-'}${hexId(random, 17)}`;
    } while (ids.has(instanceId));
    ids.add(instanceId);
    const role = pick(ROLES, random);
    const env = pick(ENVS, random);
    const windows = !managed && random() < 0.08;
    const os = windows ? undefined : pick(LINUXES, random);
    const name = `${role}-${env}-${String(n).padStart(5, '0')}`;
    const input: z.output<typeof instanceSchema> = {
      instanceId,
      name,
      tags: managed ? {} : { Name: name, Env: env, Team: pick(TEAMS, random), Role: role },
      platform: windows ? 'Windows' : 'Linux',
      pingStatus: random() < offlineShare ? 'ConnectionLost' : 'Online',
      agentVersion: pick(AGENTS, random),
      region: regions[n % regions.length] ?? 'us-east-1',
      account: accountIds[Math.floor(n / regions.length) % accountIds.length] ?? DEFAULT_ACCOUNT_ID,
      instanceType: pick(['t3.micro', 't3.large', 'm6i.xlarge', 'c7g.2xlarge'], random),
    };
    if (os) {
      input.platformName = os.name;
      input.platformVersion = os.version;
    }
    if (!managed && random() < 0.3) {
      input.publicIp = `${pick([3, 18, 34, 52, 54], random)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
    }
    instances.push(resolveInstance(input, DEFAULT_ACCOUNT_ID, now));
  }
  return {
    defaultRegion: regions[0] ?? 'us-east-1',
    accounts: accountIds.map((accountId) => ({ accountId })),
    instances,
  };
}

/** The fleet a sandbox serves: lookups by id and by account and region. */
export class Fleet {
  private readonly byId = new Map<string, FleetInstance>();
  private readonly byScope = new Map<string, FleetInstance[]>();
  /** Each instance's index in its account and region's list (what NextTokens resume from). */
  private readonly scopePositions = new Map<string, number>();
  private changes = 0;
  readonly defaultRegion: string;
  readonly accounts: readonly AccountDefinition[];
  /** Every region with at least one instance, sorted; the default region is always included. */
  readonly regions: readonly string[];

  constructor(definition: FleetDefinition) {
    this.defaultRegion = definition.defaultRegion;
    this.accounts = definition.accounts;
    for (const instance of definition.instances) {
      this.byId.set(instance.instanceId, instance);
      const key = `${instance.account}|${instance.region}`;
      const list = this.byScope.get(key);
      this.scopePositions.set(instance.instanceId, list?.length ?? 0);
      if (list) list.push(instance);
      else this.byScope.set(key, [instance]);
    }
    this.regions = [
      ...new Set([definition.defaultRegion, ...regionsOf(definition.instances)]),
    ].sort();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Grows with every change to an instance, so listings computed earlier know they are stale. */
  get version(): number {
    return this.changes;
  }

  /** The instance's index in `list(account, region)` of its own account and region. */
  positionInScope(instanceId: string): number | undefined {
    return this.scopePositions.get(instanceId);
  }

  get(instanceId: string): FleetInstance | undefined {
    return this.byId.get(instanceId);
  }

  /** The instance as seen from one account and region (undefined when it lives elsewhere). */
  find(account: string, region: string, instanceId: string): FleetInstance | undefined {
    const instance = this.byId.get(instanceId);
    return instance && instance.account === account && instance.region === region
      ? instance
      : undefined;
  }

  /** Instances of one account in one region, in fleet order. */
  list(account: string, region: string): readonly FleetInstance[] {
    return this.byScope.get(`${account}|${region}`) ?? [];
  }

  all(): IterableIterator<FleetInstance> {
    return this.byId.values();
  }

  countFor(account: string): number {
    let count = 0;
    for (const region of this.regions) count += this.list(account, region).length;
    return count;
  }

  /** Changes an agent's ping status, e.g. to take an instance offline in a test. */
  setPingStatus(instanceId: string, pingStatus: PingStatus, now = Date.now()): void {
    const instance = this.byId.get(instanceId);
    if (!instance) throw new FleetError(`no instance ${instanceId} in the fleet`);
    instance.pingStatus = pingStatus;
    if (pingStatus === 'Online') instance.lastPing = now;
    this.changes++;
  }
}
