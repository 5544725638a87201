// How the inventory's API calls are made at scale: every call goes through one adaptive limit (a
// throttled call is retried later, with fewer calls at once), and a source in an opt-in region its
// account has not enabled is skipped without a single call there (its calls could only fail).

import {
  createAdaptiveLimiter,
  type AdaptiveLimiter,
  type BackoffEvent,
} from '../base/adaptive-limiter';
import type { Clock } from '../base/clock';
import { classifyAwsError } from './errors';
import type { InventoryApi, InventorySource } from './inventory';
import type { SourceFetchResult } from './inventory-fetch';
import type { RegionsResult } from './sources';

/** API calls in flight at once across all sources while nothing is throttled. */
export const INVENTORY_API_CONCURRENCY = 8;

export function createInventoryCallLimiter(options: {
  clock: Clock;
  max?: number;
  onBackoff?: (event: BackoffEvent) => void;
}): AdaptiveLimiter {
  return createAdaptiveLimiter({
    clock: options.clock,
    max: options.max ?? INVENTORY_API_CONCURRENCY,
    isThrottle: (error) => classifyAwsError(error).kind === 'throttled',
    ...(options.onBackoff && { onBackoff: options.onBackoff }),
  });
}

/** The same API with each call made under the limiter. */
export function limitedInventoryApi(api: InventoryApi, calls: AdaptiveLimiter): InventoryApi {
  return {
    describeInstanceInformation: (input) => calls.run(() => api.describeInstanceInformation(input)),
    describeInstances: (ids) => calls.run(() => api.describeInstances(ids)),
  };
}

/** A source in a region its account has not opted in to: listed as empty, with the reason. */
export function notOptedInResult(source: InventorySource, clock: Clock): SourceFetchResult {
  return {
    rows: [],
    transient: false,
    status: {
      state: 'ok',
      count: 0,
      fetchedAt: new Date(clock.now()).toISOString(),
      warnings: [
        `${source.region} is an opt-in region that profile "${source.profile}"'s account has not enabled; it was not listed.`,
      ],
    },
  };
}

/** How long an account's opt-in regions are trusted before DescribeRegions is asked again. */
const REGIONS_TTL_MS = 60 * 60_000;

/**
 * Whether a source's region is enabled for its profile's account: DescribeRegions(AllRegions) once
 * per profile (an hour at most), and a region is skipped only when it says `not-opted-in`. When
 * DescribeRegions itself fails (no ec2:DescribeRegions permission) the region is listed anyway.
 */
export function createRegionGate(options: {
  describeRegions: (profile: string) => Promise<RegionsResult>;
  clock: Clock;
}): (source: InventorySource) => Promise<boolean> {
  const known = new Map<string, { at: number; notOptedIn: Promise<ReadonlySet<string>> }>();
  return async (source) => {
    const now = options.clock.now();
    let entry = known.get(source.profile);
    if (!entry || now - entry.at > REGIONS_TTL_MS) {
      entry = {
        at: now,
        notOptedIn: options
          .describeRegions(source.profile)
          .then((result) => {
            // Not kept: the next listing asks again (the credentials may work by then).
            if (!result.ok) known.delete(source.profile);
            return new Set(result.ok ? result.notOptedIn : []);
          })
          .catch(() => {
            known.delete(source.profile);
            return new Set<string>();
          }),
      };
      known.set(source.profile, entry);
    }
    return !(await entry.notOptedIn).has(source.region);
  };
}
