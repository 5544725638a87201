// Inventory sorting: one comparator per column that orders values the way people read them
// (IPs and agent versions numerically, names naturally, online before offline). Pure.
import type { Instance, PingStatus } from '../../../shared/ipc/schemas/inventory';

export const SORT_COLUMNS = [
  'name',
  'instanceId',
  'platform',
  'pingStatus',
  'agentVersion',
  'ipAddress',
  'region',
  'source',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

export interface SortSpec {
  readonly column: SortColumn;
  readonly direction: SortDirection;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const STATUS_ORDER: Readonly<Record<PingStatus, number>> = {
  Online: 0,
  ConnectionLost: 1,
  Inactive: 2,
  Unknown: 3,
};

/** Compares dotted numbers (IPv4 addresses, agent versions) part by part, numerically. */
export function compareDotted(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const length = Math.max(pa.length, pb.length);
  for (let i = 0; i < length; i += 1) {
    const sa = pa[i];
    const sb = pb[i];
    if (sa === undefined || sb === undefined) return sa === undefined ? -1 : 1;
    const na = Number(sa);
    const nb = Number(sb);
    const diff =
      Number.isFinite(na) && Number.isFinite(nb) && sa !== '' && sb !== ''
        ? na - nb
        : collator.compare(sa, sb);
    if (diff !== 0) return diff;
  }
  return 0;
}

type Comparator = (a: Instance, b: Instance) => number;

/** Empty values always sort last, whatever the direction, so blanks never crowd the top. */
function blanksLast(
  pick: (instance: Instance) => string,
  compare: (a: string, b: string) => number,
): (direction: SortDirection) => Comparator {
  return (direction) => (a, b) => {
    const va = pick(a);
    const vb = pick(b);
    if (va === '' || vb === '') return va === vb ? 0 : va === '' ? 1 : -1;
    const result = compare(va, vb);
    return direction === 'asc' ? result : -result;
  };
}

const COMPARATORS: Readonly<Record<SortColumn, (direction: SortDirection) => Comparator>> = {
  name: blanksLast((i) => i.name, collator.compare),
  instanceId: blanksLast((i) => i.instanceId, collator.compare),
  platform: blanksLast((i) => i.platform, collator.compare),
  pingStatus: (direction) => (a, b) => {
    const result = STATUS_ORDER[a.pingStatus] - STATUS_ORDER[b.pingStatus];
    return direction === 'asc' ? result : -result;
  },
  agentVersion: blanksLast((i) => i.agentVersion, compareDotted),
  ipAddress: blanksLast((i) => i.ipAddress, compareDotted),
  region: blanksLast((i) => i.region, collator.compare),
  source: blanksLast((i) => i.sourceLabel, collator.compare),
};

/** Returns a new sorted array; ties keep a stable order by name, then key. */
export function sortInstances<T extends Instance>(instances: readonly T[], spec: SortSpec): T[] {
  const primary = COMPARATORS[spec.column](spec.direction);
  const byName = COMPARATORS.name('asc');
  return [...instances].sort(
    (a, b) => primary(a, b) || byName(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
