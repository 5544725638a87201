// Sources (profile x region) and the AWS SDK clients behind them: SSM and EC2 clients built from
// a profile's credentials, region and endpoints, the inventory's API port, and DescribeRegions.

import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { isRegionName } from '../../../shared/domain';
import type { CredentialResolver } from './credentials';
import {
  describeSourceError,
  type InventoryApi,
  type InventorySource,
  type SourceErrorCode,
} from './inventory';
import { apiRegionOf } from './partition';
import type { AwsServiceId, ProfileCatalog } from './profiles';
import { sdkClientConfig, type AwsClientOptions } from './client-config';
import { describeInstancesLean } from './ec2-describe-instances';
import { describeInstanceInformationLean } from './ssm-instance-information';
import type { LeanReservation } from './ec2-instances-xml';

export interface SourceSelection {
  profile: string;
  /** Absent or empty: the profile's default region. */
  regions?: readonly string[];
}

export interface SourceProblem {
  profile: string;
  message: string;
}

/** `work@eu-west-1`: unique because a region never contains "@"; split at the last "@". */
export function sourceIdOf(profile: string, region: string): string {
  return `${profile}@${region}`;
}

export function parseSourceId(id: string): { profile: string; region: string } | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { profile: id.slice(0, at), region: id.slice(at + 1) };
}

/** Turns the user's choice of profiles and regions into sources, explaining what it had to skip. */
export function buildSources(
  catalog: ProfileCatalog,
  selections: readonly SourceSelection[],
): { sources: InventorySource[]; problems: SourceProblem[] } {
  const sources: InventorySource[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  for (const selection of selections) {
    const info = catalog.get(selection.profile);
    if (!info) {
      problems.push({
        profile: selection.profile,
        message: `There is no profile "${selection.profile}" in ${catalog.configFile} or ${catalog.credentialsFile}.`,
      });
      continue;
    }
    const regions = selection.regions?.length
      ? selection.regions
      : info.region
        ? [info.region]
        : [];
    if (regions.length === 0) {
      problems.push({
        profile: info.name,
        message: `Profile "${info.name}" has no default region; choose a region for it (or set region in ${catalog.configFile}).`,
      });
      continue;
    }
    for (const region of regions) {
      if (!isRegionName(region)) {
        problems.push({ profile: info.name, message: `"${region}" is not an AWS region name.` });
        continue;
      }
      const id = sourceIdOf(info.name, region);
      if (seen.has(id)) continue;
      seen.add(id);
      sources.push({
        id,
        profile: info.name,
        region,
        label: info.name,
        ...(info.accountId !== undefined && { accountId: info.accountId }),
      });
    }
  }
  return { sources, problems };
}

/** The selection Airlock starts with: the default profile in its default region. */
export function defaultSelections(catalog: ProfileCatalog): SourceSelection[] {
  return catalog.get(catalog.defaultProfile) ? [{ profile: catalog.defaultProfile }] : [];
}

export type RegionsResult =
  | {
      ok: true;
      /** Regions the account can use: those that need no opt-in and those it opted in to. */
      regions: string[];
      /** Opt-in regions the account has not enabled: skipped, never listed. */
      notOptedIn: string[];
    }
  | { ok: false; code: SourceErrorCode; message: string };

/** Splits DescribeRegions(AllRegions) by OptInStatus: a `not-opted-in` region cannot be used. */
export function enabledRegions(
  regions: readonly { RegionName?: string | undefined; OptInStatus?: string | undefined }[],
): { regions: string[]; notOptedIn: string[] } {
  const enabled: string[] = [];
  const notOptedIn: string[] = [];
  for (const region of regions) {
    const name = region.RegionName;
    if (name === undefined || name === '') continue;
    (region.OptInStatus === 'not-opted-in' ? notOptedIn : enabled).push(name);
  }
  return { regions: enabled.sort(), notOptedIn: notOptedIn.sort() };
}

export interface AwsClientsOptions {
  catalog: ProfileCatalog;
  credentials: CredentialResolver;
  /** Attempts per call including the first (default 3, the SDK's standard retry mode). */
  maxAttempts?: number;
  /**
   * False for clients used by background work (inventory refresh): an MFA profile then fails
   * with `mfa-required` instead of prompting. Default true.
   */
  interactive?: boolean;
}

export interface AwsClients {
  /** Options for SDK-backed ports elsewhere (createSsmApi, createKmsApi): no secrets, only a provider. */
  clientOptions(profile: string, region: string, service: AwsServiceId): AwsClientOptions;
  ssm(profile: string, region: string): SSMClient;
  ec2(profile: string, region: string): EC2Client;
  inventoryApi(source: InventorySource): InventoryApi;
  /** Regions enabled for the account, for the region picker. */
  describeRegions(profile: string, region?: string): Promise<RegionsResult>;
  dispose(): void;
}

export function createAwsClients(options: AwsClientsOptions): AwsClients {
  const { catalog, credentials } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const interactive = options.interactive ?? true;
  const ssmClients = new Map<string, SSMClient>();
  const ec2Clients = new Map<string, EC2Client>();

  const clientOptions = (
    profile: string,
    region: string,
    service: AwsServiceId,
  ): AwsClientOptions => {
    const endpoint = catalog.endpointFor(profile, service);
    const settings = catalog.settingsOf(profile);
    const caBundle = settings?.get('ca_bundle')?.trim();
    const flag = (envName: string, setting: string) =>
      /^true$/i.test((catalog.env[envName] ?? settings?.get(setting) ?? '').trim());
    return {
      region,
      credentials: credentials.provider(profile, { interactive }),
      ...(endpoint !== undefined && { endpoint }),
      ...(caBundle ? { caBundle } : {}),
      // Resolved for this profile here, so the SDK does not look them up in AWS_PROFILE's or
      // [default]'s settings, where another profile's endpoint_url could redirect this one.
      profileSettings: {
        ignoreConfiguredEndpointUrls: true,
        useFipsEndpoint: flag('AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint'),
        useDualstackEndpoint: flag('AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint'),
      },
    };
  };

  const configFor = (profile: string, region: string, service: AwsServiceId) => ({
    ...sdkClientConfig(clientOptions(profile, region, service)),
    maxAttempts,
  });

  const ssm = (profile: string, region: string) => {
    const key = sourceIdOf(profile, region);
    let client = ssmClients.get(key);
    if (!client) {
      client = new SSMClient(configFor(profile, region, 'ssm'));
      ssmClients.set(key, client);
    }
    return client;
  };

  const ec2 = (profile: string, region: string) => {
    const key = sourceIdOf(profile, region);
    let client = ec2Clients.get(key);
    if (!client) {
      client = new EC2Client(configFor(profile, region, 'ec2'));
      ec2Clients.set(key, client);
    }
    return client;
  };

  return {
    clientOptions,
    ssm,
    ec2,

    inventoryApi(source) {
      return {
        describeInstanceInformation: ({ nextToken, maxResults }) =>
          describeInstanceInformationLean(ssm(source.profile, source.region), {
            maxResults,
            ...(nextToken !== undefined && { nextToken }),
          }),
        async describeInstances(instanceIds) {
          const reservations: LeanReservation[] = [];
          let nextToken: string | undefined;
          const seen = new Set<string>();
          do {
            const out = await describeInstancesLean(ec2(source.profile, source.region), {
              instanceIds,
              ...(nextToken !== undefined && { nextToken }),
            });
            reservations.push(...out.reservations);
            nextToken = out.nextToken;
            if (nextToken !== undefined && seen.has(nextToken)) break;
            if (nextToken !== undefined) seen.add(nextToken);
          } while (nextToken !== undefined);
          return reservations;
        },
      };
    },

    async describeRegions(profile, region) {
      const useRegion = region ?? apiRegionOf(catalog, profile);
      try {
        // AllRegions with OptInStatus tells an opt-in region the account has not enabled (whose
        // calls would fail) from one it has, instead of leaving such regions out unexplained.
        const out = await ec2(profile, useRegion).send(
          new DescribeRegionsCommand({ AllRegions: true }),
        );
        return { ok: true, ...enabledRegions(out.Regions ?? []) };
      } catch (error) {
        const described = describeSourceError(
          error,
          { profile, region: useRegion },
          'listing regions',
        );
        return { ok: false, code: described.code, message: described.message };
      }
    },

    dispose() {
      for (const client of ssmClients.values()) client.destroy();
      for (const client of ec2Clients.values()) client.destroy();
      ssmClients.clear();
      ec2Clients.clear();
    },
  };
}
