// Inventory search in the renderer: the grammar shared with the CLI (shared/domain/search.ts)
// applied to IPC instances, through one RowSearch per list of instances shown.
import { parseQuery, type SearchRow } from '../../../shared/domain/search';
import { RowSearch, RowSearchBuilder } from '../../../shared/domain/search-index';
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
 * One search per list of instances (a listing in one sort order), prepared ahead (see
 * prepareInstanceSearch) or on its first query, and kept while that list is shown, so each
 * keystroke narrows the previous answer where it can.
 */
const searches = new WeakMap<readonly SearchableInstance[], RowSearch<SearchableInstance>>();
/** Searches being prepared a slice at a time. */
const preparing = new WeakMap<
  readonly SearchableInstance[],
  RowSearchBuilder<SearchableInstance>
>();

/**
 * Rows prepared per task: about 10 ms of work on a slow machine, so the page stays responsive
 * while 100,000 rows are prepared.
 */
export const PREPARE_SLICE_ROWS = 2000;

function searchOf(instances: readonly SearchableInstance[]): RowSearch<SearchableInstance> {
  let search = searches.get(instances);
  if (!search) {
    // A keystroke before the preparation is done finishes it now.
    const builder = preparing.get(instances);
    preparing.delete(instances);
    search = builder ? builder.finish() : new RowSearch(instances, searchRowOf);
    searches.set(instances, search);
  }
  return search;
}

/**
 * Prepares the search of a list before the first keystroke needs it (at 100,000 rows that takes a
 * good part of a second), a slice of rows per task so the page stays responsive, for as long as
 * `wanted` says the list is still shown. `schedule` runs the next slice in a task of its own.
 */
export function prepareInstanceSearch(
  instances: readonly SearchableInstance[],
  wanted: () => boolean,
  schedule: (next: () => void) => void = (next) => setTimeout(next, 0),
): void {
  if (instances.length === 0 || searches.has(instances) || preparing.has(instances)) return;
  const builder = new RowSearchBuilder<SearchableInstance>(instances, searchRowOf);
  preparing.set(instances, builder);
  const slice = (): void => {
    // Finished by a keystroke meanwhile, or no longer shown.
    if (preparing.get(instances) !== builder) return;
    if (!wanted()) {
      preparing.delete(instances);
      return;
    }
    if (!builder.step(PREPARE_SLICE_ROWS)) {
      schedule(slice);
      return;
    }
    preparing.delete(instances);
    searches.set(instances, builder.finish());
  };
  schedule(slice);
}

/** Whether the search of `instances` is ready (prepared, or built by a query). */
export function isInstanceSearchReady(instances: readonly SearchableInstance[]): boolean {
  return searches.has(instances);
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
