// Inventory search in the renderer: the grammar shared with the CLI (shared/domain/search.ts)
// applied to IPC instances. Each instance is mapped to a search row once and cached by identity.
import { compileQuery, type SearchRow } from '../../../shared/domain/search';
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

const rows = new WeakMap<SearchableInstance, SearchRow>();

function searchRowOf(instance: SearchableInstance): SearchRow {
  let row = rows.get(instance);
  if (!row) {
    row = {
      instanceId: instance.instanceId,
      name: instance.name,
      computerName: instance.computerName,
      ipAddress: instance.ipAddress,
      ...(instance.privateIpAddress === undefined ? {} : { privateIp: instance.privateIpAddress }),
      ...(instance.publicIpAddress === undefined ? {} : { publicIp: instance.publicIpAddress }),
      platform: instance.platform,
      pingStatus: instance.pingStatus,
      // `profile:` matches the AWS profile the instance was listed with, as main names it.
      profile: instance.profile,
      region: instance.region,
      tags: instance.tags,
    };
    rows.set(instance, row);
  }
  return row;
}

/** Filters instances by a query string, keeping their order. */
export function searchInstances<T extends SearchableInstance>(
  instances: readonly T[],
  input: string,
): SearchResult<T> {
  const compiled = compileQuery(input);
  const problems = compiled.query.problems;
  if (compiled.matchesAll) return { matches: instances, problems };
  return { matches: instances.filter((instance) => compiled(searchRowOf(instance))), problems };
}
