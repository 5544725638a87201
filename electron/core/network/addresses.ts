// Network change detection without Electron: the non-internal addresses of the machine as a sorted
// key list, a diff of two such lists, and a Clock-driven poller that reports when the set changes.
import type { Clock, TimerHandle } from '../base/clock';

/** The shape of os.networkInterfaces() (only the fields used here). */
export type InterfaceMap = Readonly<
  Record<
    string,
    readonly { address: string; family: string | number; internal: boolean }[] | undefined
  >
>;

/** The machine's external addresses as sorted "interface address" keys (loopback left out). */
export function externalAddresses(interfaces: InterfaceMap): string[] {
  const keys = new Set<string>();
  for (const [name, entries] of Object.entries(interfaces)) {
    for (const entry of entries ?? []) {
      if (!entry.internal) keys.add(`${name} ${entry.address}`);
    }
  }
  return [...keys].sort();
}

export interface AddressDiff {
  readonly added: string[];
  readonly removed: string[];
}

/** What changed between two address lists; undefined when the sets are equal. */
export function diffAddresses(
  before: readonly string[],
  after: readonly string[],
): AddressDiff | undefined {
  const old = new Set(before);
  const now = new Set(after);
  const added = [...now].filter((key) => !old.has(key));
  const removed = [...old].filter((key) => !now.has(key));
  return added.length === 0 && removed.length === 0 ? undefined : { added, removed };
}

export interface NetworkWatchOptions {
  readonly clock: Clock;
  /** Reads the interfaces now (os.networkInterfaces in the app). */
  readonly read: () => InterfaceMap;
  readonly onChange: (diff: AddressDiff) => void;
  readonly intervalMs?: number;
}

export const NETWORK_POLL_MS = 5000;

/** Polls the interfaces every intervalMs and calls onChange when the external addresses change. */
export function watchNetwork(options: NetworkWatchOptions): () => void {
  const intervalMs = options.intervalMs ?? NETWORK_POLL_MS;
  const safeRead = (): string[] | undefined => {
    try {
      return externalAddresses(options.read());
    } catch {
      return undefined;
    }
  };
  let last = safeRead() ?? [];
  let timer: TimerHandle | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const now = safeRead();
    if (now !== undefined) {
      const diff = diffAddresses(last, now);
      last = now;
      if (diff) options.onChange(diff);
    }
    if (!stopped) timer = options.clock.setTimeout(tick, intervalMs);
  };
  timer = options.clock.setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    timer?.cancel();
  };
}
