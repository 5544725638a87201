// AWS partitions (aws, aws-cn, aws-us-gov and the isolated ones): which partition a region or an
// ARN belongs to, and the region to call STS, EC2 and friends in when a profile names none, so a
// GovCloud or China credential is never sent to a commercial endpoint that cannot know it.
import type { ProfileInfo } from './profile-types';

export type Partition =
  | 'aws'
  | 'aws-cn'
  | 'aws-us-gov'
  | 'aws-iso'
  | 'aws-iso-b'
  | 'aws-iso-e'
  | 'aws-iso-f'
  | 'aws-eusc';

/** Region name prefixes of every partition but `aws`, as the SDK's partition table matches them. */
const REGION_PREFIXES: readonly (readonly [string, Partition])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

/** The region each partition's global-looking calls (STS, DescribeRegions) default to. */
const HOME_REGIONS: Readonly<Record<Partition, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
  'aws-eusc': 'eusc-de-east-1',
};

function isPartition(value: string): value is Partition {
  return Object.hasOwn(HOME_REGIONS, value);
}

export function partitionOfRegion(region: string): Partition {
  return REGION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** The partition an ARN names (`arn:aws-us-gov:iam::…`), or undefined for anything else. */
export function partitionOfArn(arn: string | undefined): Partition | undefined {
  const named = arn === undefined ? undefined : /^arn:([a-z-]+):/.exec(arn)?.[1];
  return named !== undefined && isPartition(named) ? named : undefined;
}

export function homeRegionOf(partition: Partition): string {
  return HOME_REGIONS[partition];
}

/** What the partition walk needs from the catalog: profiles by name. */
export interface ProfileLookup {
  get(name: string): ProfileInfo | undefined;
}

/** What one profile says about its partition by itself, without following source_profile. */
function ownPartitionOf(info: ProfileInfo): Partition | undefined {
  if (info.region !== undefined) return partitionOfRegion(info.region);
  const fromArn =
    partitionOfArn(info.assumeRole?.roleArn) ??
    partitionOfArn(info.assumeRole?.mfaSerial) ??
    partitionOfArn(info.loginSession);
  if (fromArn) return fromArn;
  // Identity Center lives in the same partition as the accounts it signs in to.
  return info.sso?.region ? partitionOfRegion(info.sso.region) : undefined;
}

/**
 * The partition of a profile's credentials: its region's, else its role's or sign-in's ARN's or
 * Identity Center region's, else its source_profile's; `aws` when nothing says otherwise.
 */
export function partitionOfProfile(catalog: ProfileLookup, name: string): Partition {
  const seen = new Set<string>();
  let current = catalog.get(name);
  while (current && !seen.has(current.name)) {
    seen.add(current.name);
    const own = ownPartitionOf(current);
    if (own) return own;
    const next = current.assumeRole?.sourceProfile;
    current = next === undefined ? undefined : catalog.get(next);
  }
  return 'aws';
}

/** The region for a profile's API calls: its own, else its partition's home region. */
export function apiRegionOf(catalog: ProfileLookup, name: string): string {
  return catalog.get(name)?.region ?? homeRegionOf(partitionOfProfile(catalog, name));
}
