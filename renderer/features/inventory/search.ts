// Inventory search in the renderer: the grammar shared with the CLI (shared/domain/search.ts)
// applied to IPC instances, through one RowSearch per list of instances shown.
import { parseQuery, type SearchRow } from '../../../shared/domain/search';
import { RowSearch } from '../../../shared/domain/search-index';
import type { Instance } from '../../../shared/ipc/schemas/inventory';

/**
 * The fields search reads. A structural subset of the IPC `Instance`, so tests can build small
 * literals and the store can pass real instances unchanged.
 */
export type SearchableInstance = Pick<
  Instance,
  | 'instanceId'
  | 'name'
  | 'computerName'
  | 'ipAddress'
  | 'platform'
  | 'pingStatus'
  | 'tags'
  | 'region'
  | 'profile'
> &
  Partial<Pick<Instance, 'privateIpAddress' | 'publicIpAddress'>>;

export interface SearchResult<T> {
  readonly matches: readonly T[];
  readonly problems: readonly string[];
}

function searchRowOf(instance: SearchableInstance): SearchRow {
  return {
    instanceId: instance.instanceId,
    name: instance.name,
    computerName: instance.computerName,
    ipAddress: instance.ipAddress,
    privateIp: instance.privateIpAddress,
    publicIp: instance.publicIpAddress,
    platform: instance.platform,
    pingStatus: instance.pingStatus,
    // `profile:` matches the AWS profile the instance was listed with, as main names it.
    profile: instance.profile,
    region: instance.region,
    tags: instance.tags,
  };
}

/**
 * One search per list of instances (a listing in one sort order), built on its first query and
 * kept while that list is shown, so each keystroke narrows the previous answer where it can.
 */
const searches = new WeakMap<readonly SearchableInstance[], RowSearch<SearchableInstance>>();

function searchOf(instances: readonly SearchableInstance[]): RowSearch<SearchableInstance> {
  let search = searches.get(instances);
  if (!search) {
    search = new RowSearch<SearchableInstance>(instances, searchRowOf);
    searches.set(instances, search);
  }
  return search;
}

/**
 * Builds the search of a list before the first keystroke needs it (at 100,000 rows that takes a
 * good part of a second, which the keystroke would otherwise wait for).
 */
export function prepareInstanceSearch(instances: readonly SearchableInstance[]): void {
  if (instances.length > 0) searchOf(instances);
}

/** Filters instances by a query string, keeping their order. */
export function searchInstances<T extends SearchableInstance>(
  instances: readonly T[],
  input: string,
): SearchResult<T> {
  const query = parseQuery(input);
  if (query.terms.length === 0) return { matches: instances, problems: query.problems };
  const { matches } = searchOf(instances).search(query);
  return { matches: matches as readonly T[], problems: query.problems };
}
