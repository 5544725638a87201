// Live-resource counters for the emulator (WebSockets, ptys, child processes, destination sockets), so tests can prove nothing leaks.

export type ResourceKind = 'webSockets' | 'agents' | 'ptys' | 'processes' | 'destinationSockets';

export type ResourceCounts = Record<ResourceKind, number>;

const KINDS: readonly ResourceKind[] = [
  'webSockets',
  'agents',
  'ptys',
  'processes',
  'destinationSockets',
];

export class ResourceTracker {
  private readonly counts: ResourceCounts = {
    webSockets: 0,
    agents: 0,
    ptys: 0,
    processes: 0,
    destinationSockets: 0,
  };
  private readonly idleWaiters = new Set<() => void>();

  /** Counts one resource until the returned release function is called (extra calls are ignored). */
  acquire(kind: ResourceKind): () => void {
    this.counts[kind]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.counts[kind]--;
      if (this.isIdle) this.notifyIdle();
    };
  }

  snapshot(): ResourceCounts {
    return { ...this.counts };
  }

  get isIdle(): boolean {
    return KINDS.every((kind) => this.counts[kind] === 0);
  }

  /** Resolves once every count is zero (immediately if it already is). */
  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  private notifyIdle(): void {
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const resolve of waiters) resolve();
  }
}
