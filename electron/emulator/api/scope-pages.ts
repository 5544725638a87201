// Paging one account and region's instances in time proportional to the page, not the fleet: a
// query's matches are found once per fleet version and kept as positions in the scope's list, and a
// NextToken names the scope position the next page starts from, so each page is a binary search
// and a slice. Resuming from a position (not a count of items already sent) keeps pages complete
// and disjoint even when the matches change between two calls.

import type { Fleet, FleetInstance } from '../fleet';

/** Positions in a scope's list of the instances a query matches, ascending. */
export type ScopeMatches = Uint32Array;

interface CachedMatches {
  readonly version: number;
  readonly matches: ScopeMatches;
}

/** How many queries' matches a fleet keeps (least recently used goes first). */
const CACHED_QUERIES = 32;

const cachesByFleet = new WeakMap<Fleet, Map<string, CachedMatches>>();

/** The positions in `scope` of the instances `matches` accepts, ascending. */
export function matchPositions(
  scope: readonly FleetInstance[],
  accepts: (instance: FleetInstance) => boolean,
): ScopeMatches {
  const found: number[] = [];
  for (let i = 0; i < scope.length; i++) {
    const instance = scope[i];
    if (instance && accepts(instance)) found.push(i);
  }
  return Uint32Array.from(found);
}

/**
 * A query's matches, computed by `compute` unless this fleet computed them for the same query key
 * (which must name the account, region and every filter) since its last change.
 */
export function cachedMatches(fleet: Fleet, queryKey: string, compute: () => ScopeMatches) {
  let cache = cachesByFleet.get(fleet);
  if (!cache) {
    cache = new Map();
    cachesByFleet.set(fleet, cache);
  }
  const hit = cache.get(queryKey);
  cache.delete(queryKey);
  if (hit && hit.version === fleet.version) {
    cache.set(queryKey, hit);
    return hit.matches;
  }
  const entry: CachedMatches = { version: fleet.version, matches: compute() };
  cache.set(queryKey, entry);
  if (cache.size > CACHED_QUERIES) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return entry.matches;
}

/** The first index of `sorted` whose value is at least `value` (sorted.length when none is). */
function lowerBound(sorted: ScopeMatches, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface ScopePage {
  readonly items: FleetInstance[];
  /** The scope position the next page starts from; absent on the last page. */
  readonly resumeAt?: number;
}

/**
 * Up to `pageSize` instances from scope position `from` on: every instance of the scope when
 * `matches` is undefined (no filter), else only the matching ones.
 */
export function scopePage(
  scope: readonly FleetInstance[],
  matches: ScopeMatches | undefined,
  from: number,
  pageSize: number,
): ScopePage {
  if (matches === undefined) {
    const end = from + pageSize;
    const items = scope.slice(from, end);
    return end < scope.length ? { items, resumeAt: end } : { items };
  }
  const start = lowerBound(matches, from);
  const end = Math.min(matches.length, start + pageSize);
  const items: FleetInstance[] = [];
  for (let i = start; i < end; i++) {
    const instance = scope[matches[i] ?? 0];
    if (instance) items.push(instance);
  }
  const next = matches[end];
  return next === undefined ? { items } : { items, resumeAt: next };
}
