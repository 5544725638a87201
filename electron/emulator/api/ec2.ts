// EC2 operations (EC2 query protocol, XML answers): DescribeInstances and DescribeRegions.

import type { Fleet, FleetInstance } from '../fleet';
import type { QueryOperation } from './context';
import { privateDnsName, publicIpOf, reservationXml, STATE_CODES } from './ec2-instance-xml';
import { ApiError } from './errors';
import { decodeNextToken, encodeNextToken, queryFingerprint } from './pagination';
import { cachedMatches, matchPositions, scopePage, type ScopeMatches } from './scope-pages';
import { xmlDocument, xmlElement, xmlList } from './xml';

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const EC2_INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** `Name.1`, `Name.2`, … in index order. */
export function indexedValues(params: URLSearchParams, prefix: string): string[] {
  const found: [number, string][] = [];
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d+)$`);
  for (const [key, value] of params) {
    const m = pattern.exec(key);
    if (m) found.push([Number(m[1]), value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

export interface QueryFilter {
  name: string;
  values: string[];
}

/** `Filter.N.Name` with `Filter.N.Value.M`, in index order. */
export function queryFilters(params: URLSearchParams): QueryFilter[] {
  const filters = new Map<number, { name?: string; values: [number, string][] }>();
  for (const [key, value] of params) {
    const m = /^Filter\.(\d+)\.(Name|Value\.(\d+))$/.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const entry = filters.get(index) ?? { values: [] };
    if (m[2] === 'Name') entry.name = value;
    else entry.values.push([Number(m[3]), value]);
    filters.set(index, entry);
  }
  return [...filters.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, entry]) => {
      if (entry.name === undefined) {
        throw new ApiError('InvalidParameterValue', `The filter Filter.${index} has no Name.`);
      }
      return {
        name: entry.name,
        values: entry.values.sort((a, b) => a[0] - b[0]).map(([, v]) => v),
      };
    });
}

/** EC2 filter values accept `*` and `?` wildcards. */
function globMatcher(values: readonly string[]): (candidate: string | undefined) => boolean {
  const patterns = values.map(
    (value) =>
      new RegExp(
        `^${value
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        's',
      ),
  );
  return (candidate) => candidate !== undefined && patterns.some((p) => p.test(candidate));
}

function instanceFilter(filter: QueryFilter): (instance: FleetInstance) => boolean {
  const match = globMatcher(filter.values);
  const { name } = filter;
  if (name.startsWith('tag:') && name.length > 4) {
    const key = name.slice(4);
    return (i) => Object.hasOwn(i.tags, key) && match(i.tags[key]);
  }
  switch (name) {
    case 'instance-id':
      return (i) => match(i.instanceId);
    case 'instance-state-name':
      return (i) => match(i.state);
    case 'instance-state-code':
      return (i) => match(String(STATE_CODES[i.state]));
    case 'tag-key':
      return (i) => Object.keys(i.tags).some((k) => match(k));
    case 'tag-value':
      return (i) => Object.values(i.tags).some((v) => match(v));
    case 'private-ip-address':
      return (i) => match(i.privateIp);
    case 'ip-address':
      return (i) => match(publicIpOf(i));
    case 'private-dns-name':
      return (i) => match(privateDnsName(i));
    case 'availability-zone':
      return (i) => match(i.availabilityZone);
    case 'instance-type':
      return (i) => match(i.instanceType);
    case 'platform':
      return (i) => i.platform === 'Windows' && match('windows');
    case 'platform-details':
      return (i) => match(i.platform === 'Windows' ? 'Windows' : 'Linux/UNIX');
    case 'owner-id':
      return (i) => match(i.account);
    default:
      throw new ApiError('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
}

/**
 * The scope positions of the named instances, in fleet order; EC2 refuses the whole call, naming
 * them, when any id is not an EC2 instance of this account and region.
 */
function requestedPositions(
  fleet: Fleet,
  accountId: string,
  region: string,
  ids: readonly string[],
): ScopeMatches {
  const missing: string[] = [];
  const positions: number[] = [];
  for (const id of new Set(ids)) {
    const instance = fleet.find(accountId, region, id);
    const position = fleet.positionInScope(id);
    if (!instance || instance.resourceType !== 'EC2Instance' || position === undefined) {
      missing.push(id);
    } else {
      positions.push(position);
    }
  }
  if (missing.length === 1) {
    throw new ApiError(
      'InvalidInstanceID.NotFound',
      `The instance ID '${missing[0]}' does not exist`,
    );
  }
  if (missing.length > 1) {
    throw new ApiError(
      'InvalidInstanceID.NotFound',
      `The instance IDs '${missing.join(', ')}' do not exist`,
    );
  }
  return Uint32Array.from(positions).sort();
}

function dryRun(params: URLSearchParams): void {
  if (params.get('DryRun') === 'true') {
    throw new ApiError(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    );
  }
}

const describeInstances: QueryOperation = (params, call, deps) => {
  dryRun(params);
  const ids = indexedValues(params, 'InstanceId');
  const filters = queryFilters(params);
  const rawMax = params.get('MaxResults');
  const nextToken = params.get('NextToken') ?? undefined;
  let maxResults: number | undefined;
  if (rawMax !== null) {
    if (ids.length > 0) {
      throw new ApiError(
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    maxResults = Number(rawMax);
    if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 1000) {
      throw new ApiError(
        'InvalidParameterValue',
        `Value ( ${rawMax} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
  }
  const malformed = ids.find((id) => !EC2_INSTANCE_ID.test(id));
  if (malformed !== undefined) {
    throw new ApiError(
      'InvalidInstanceID.Malformed',
      `Invalid id: "${malformed}" (expecting "i-...")`,
    );
  }
  const { accountId } = call.principal;
  const scope = deps.fleet.list(accountId, call.region);
  const requested =
    ids.length > 0 ? requestedPositions(deps.fleet, accountId, call.region, ids) : undefined;
  const predicates = filters.map(instanceFilter);
  const fingerprint = queryFingerprint(['DescribeInstances', accountId, call.region, ids, filters]);
  const from = nextToken === undefined ? 0 : decodeNextToken(nextToken, fingerprint);
  if (from === undefined) {
    throw new ApiError(
      'InvalidPaginationToken',
      'The specified pagination token is not valid or is expired.',
    );
  }
  const accepts = (i: FleetInstance | undefined) =>
    i !== undefined && i.resourceType === 'EC2Instance' && predicates.every((p) => p(i));
  const matches = requested
    ? requested.filter((position) => accepts(scope[position]))
    : cachedMatches(deps.fleet, fingerprint, () => matchPositions(scope, accepts));
  const page = scopePage(scope, matches, from, maxResults ?? Math.max(matches.length, 1));
  const pageToken =
    page.resumeAt === undefined ? undefined : encodeNextToken(page.resumeAt, fingerprint);
  return xmlDocument(
    xmlElement(
      'DescribeInstancesResponse',
      [
        xmlElement('requestId', call.requestId),
        xmlList('reservationSet', page.items.map(reservationXml)),
        pageToken === undefined ? undefined : xmlElement('nextToken', pageToken),
      ],
      NAMESPACE,
    ),
  );
};

/**
 * The commercial partition's regions that an account must opt in to before use (AWS's list). The
 * sandbox's account has opted in to those its fleet uses and to no other.
 */
export const OPT_IN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
];

type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

/**
 * Regions as EC2 answers DescribeRegions: the enabled ones (the fleet's), and with AllRegions=true
 * also the opt-in regions the account has not opted in to, each with its OptInStatus.
 */
function regionsWithStatus(
  fleetRegions: readonly string[],
  allRegions: boolean,
): { name: string; status: OptInStatus }[] {
  const enabled = fleetRegions.map((name): { name: string; status: OptInStatus } => ({
    name,
    status: OPT_IN_REGIONS.includes(name) ? 'opted-in' : 'opt-in-not-required',
  }));
  if (!allRegions) return enabled;
  const notOptedIn = OPT_IN_REGIONS.filter((name) => !fleetRegions.includes(name)).map(
    (name): { name: string; status: OptInStatus } => ({ name, status: 'not-opted-in' }),
  );
  return [...enabled, ...notOptedIn].sort((a, b) => a.name.localeCompare(b.name));
}

const describeRegions: QueryOperation = (params, call, deps) => {
  dryRun(params);
  const names = indexedValues(params, 'RegionName');
  const filters = queryFilters(params);
  const known = regionsWithStatus(deps.fleet.regions, params.get('AllRegions') === 'true');
  const regions = known.map((region) => region.name);
  const statusOf = (region: string) =>
    known.find((r) => r.name === region)?.status ?? 'opt-in-not-required';
  const unknown = names.find((name) => !regions.includes(name));
  if (unknown !== undefined) {
    throw new ApiError('InvalidParameterValue', `Invalid region: ${unknown}`);
  }
  const predicates = filters.map((filter) => {
    const match = globMatcher(filter.values);
    switch (filter.name) {
      case 'region-name':
        return (region: string) => match(region);
      case 'endpoint':
        return (region: string) => match(`ec2.${region}.amazonaws.com`);
      case 'opt-in-status':
        return (region: string) => match(statusOf(region));
      default:
        throw new ApiError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
  });
  const selected = regions.filter(
    (region) =>
      (names.length === 0 || names.includes(region)) && predicates.every((p) => p(region)),
  );
  return xmlDocument(
    xmlElement(
      'DescribeRegionsResponse',
      [
        xmlElement('requestId', call.requestId),
        xmlList(
          'regionInfo',
          selected.map((region) =>
            xmlElement('item', [
              xmlElement('regionName', region),
              xmlElement('regionEndpoint', `ec2.${region}.amazonaws.com`),
              xmlElement('optInStatus', statusOf(region)),
            ]),
          ),
        ),
      ],
      NAMESPACE,
    ),
  );
};

export const EC2_OPERATIONS: Readonly<Record<string, QueryOperation>> = {
  DescribeInstances: describeInstances,
  DescribeRegions: describeRegions,
};
