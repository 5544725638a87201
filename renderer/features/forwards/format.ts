// How a forward reads in the forwards view: the address a client pastes, byte counts and rates,
// what it reaches, its group, and whether it runs. Pure functions over ForwardView.
import type { ForwardView } from '../../../shared/ipc';
import { countOf } from '../../lib/words';

/** What a user pastes into a client: "localhost:5432", or the bind address when not loopback. */
export function clientAddress(forward: ForwardView): string | undefined {
  if (forward.boundPort === undefined) return undefined;
  const host = isLoopback(forward.bindAddress)
    ? 'localhost'
    : forward.bindAddress.includes(':')
      ? `[${forward.bindAddress}]`
      : forward.bindAddress;
  return `${host}:${forward.boundPort}`;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit] ?? 'TiB'}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

export function describeRemote(forward: Pick<ForwardView, 'remote'>): string {
  switch (forward.remote.kind) {
    case 'instance-port':
      return `port ${forward.remote.port}`;
    case 'remote-host':
      return `${forward.remote.host}:${forward.remote.port}`;
    case 'socks':
      return 'SOCKS5 proxy';
  }
}

/** Forwards by group, named groups first (sorted), ungrouped last; order inside kept. */
export function groupForwards(
  forwards: readonly ForwardView[],
): { group: string | undefined; forwards: ForwardView[] }[] {
  const groups = new Map<string | undefined, ForwardView[]>();
  for (const forward of forwards) {
    const list = groups.get(forward.group) ?? [];
    list.push(forward);
    groups.set(forward.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a.localeCompare(b)))
    .map(([group, list]) => ({ group, forwards: list }));
}

export function isRunning(forward: ForwardView): boolean {
  return forward.status !== 'stopped' && forward.status !== 'error';
}

/** The forwards view's count line: "1 forward, 1 running", "3 forwards, 0 running". */
export function describeForwardCount(total: number, running: number): string {
  return `${countOf(total, 'forward')}, ${running} running`;
}
