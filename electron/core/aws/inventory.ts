// Inventory: managed instances from SSM DescribeInstanceInformation joined with EC2
// DescribeInstances, for many sources (profile x region) at once, with per-source status,
// per-instance diagnostics and a cache refreshed in the background and on demand.

import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { Clock, TimerHandle } from '../base/clock';
import { createLimiter, type Limiter } from '../base/limiter';
import type { AdaptiveLimiter, BackoffEvent } from '../base/adaptive-limiter';
import {
  createInventoryCallLimiter,
  limitedInventoryApi,
  notOptedInResult,
} from './inventory-calls';
import type { InventoryCache } from './inventory-cache';
import type { LeanReservation } from './ec2-instances-xml';
import { silentLogger, type Logger } from '../base/logger';
import type { CredentialsErrorCode } from './credentials';
import {
  describeSourceError,
  fetchSourceInventory,
  type SourceFetchResult,
} from './inventory-fetch';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';

/** Where instances are listed from: one profile in one region (and that profile's endpoints). */
export interface InventorySource {
  /** Stable and unique; see sourceIdOf in sources.ts. */
  readonly id: string;
  readonly profile: string;
  readonly region: string;
  /** Shown in the UI; defaults to the profile name. */
  readonly label?: string;
  /** Known from the profile (SSO account, role ARN); rows prefer the EC2 owner id. */
  readonly accountId?: string;
}

export type InventoryPlatform = 'Linux' | 'Windows' | 'MacOS' | 'Unknown';
export type InventoryPingStatus = 'Online' | 'ConnectionLost' | 'Inactive' | 'Unknown';

export interface InstanceDiagnostic {
  readonly code: 'offline' | 'agent-too-old' | 'no-permission' | 'not-in-ec2';
  /** A full sentence to show as-is. */
  readonly message: string;
}

export interface InventoryTag {
  readonly key: string;
  readonly value: string;
}

export interface InventoryRow {
  /** Unique across sources: `${sourceId}/${instanceId}`. */
  readonly key: string;
  readonly sourceId: string;
  readonly instanceId: string;
  /** EC2 Name tag, else the SSM-registered name, else the computer name, else ''. */
  readonly name: string;
  readonly profile: string;
  readonly region: string;
  readonly accountId?: string;
  readonly platform: InventoryPlatform;
  readonly platformName: string;
  readonly platformVersion: string;
  readonly pingStatus: InventoryPingStatus;
  readonly agentVersion: string;
  /** The address SSM reports (usually the private IP). */
  readonly ipAddress: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  /** EC2 state (`running`, `stopped`, …); absent for on-premises `mi-` instances or without EC2 data. */
  readonly state?: string;
  readonly computerName: string;
  /** `EC2Instance` or `ManagedInstance`, as SSM reports it. */
  readonly resourceType: string;
  readonly tags: readonly InventoryTag[];
  /** ISO 8601 time of the agent's last ping. */
  readonly lastPingAt?: string;
  readonly diagnostics: readonly InstanceDiagnostic[];
  /** Set on rows read from the disk cache: when the listing they come from finished (ISO 8601). */
  readonly cachedAt?: string;
}

/** The two calls the inventory makes, per source; sources.ts implements it with the AWS SDK. */
export interface InventoryApi {
  describeInstanceInformation(input: {
    nextToken?: string;
    maxResults: number;
  }): Promise<{ instances: InstanceInformation[]; nextToken?: string }>;
  /** At most 100 ids per call, all `i-…`; only the fields the rows show are read. */
  describeInstances(instanceIds: string[]): Promise<readonly LeanReservation[]>;
}

export type SourceErrorCode =
  | CredentialsErrorCode
  | 'access-denied'
  | 'invalid-credentials'
  | 'throttled'
  | 'network'
  | 'aws-error';

export type SourceStatus =
  | { readonly state: 'pending' }
  | {
      readonly state: 'ok';
      readonly count: number;
      readonly fetchedAt: string;
      /** Partial results, e.g. "EC2 DescribeInstances was denied: names and tags are missing". */
      readonly warnings: readonly string[];
    }
  | {
      readonly state: 'error';
      readonly code: SourceErrorCode;
      readonly message: string;
      readonly fetchedAt: string;
      /** When rows from an earlier success are still shown (after a transient failure). */
      readonly rowsFrom?: string;
    };

export interface SourceState {
  readonly source: InventorySource;
  readonly status: SourceStatus;
  readonly refreshing: boolean;
  /** The rows shown are from the disk cache, listed at this time; a listing is still to come. */
  readonly cachedAt?: string;
}

export interface InventorySnapshot {
  readonly rows: readonly InventoryRow[];
  readonly sources: readonly SourceState[];
  /** Time of the most recent completed fetch of any source. */
  readonly fetchedAt?: string;
  readonly refreshing: boolean;
}

export {
  describeSourceError,
  fetchSourceInventory,
  formatUtc,
  type FetchOptions,
  type SourceFetchResult,
} from './inventory-fetch';

export interface InventoryOptions {
  apiFor: (source: InventorySource) => InventoryApi;
  clock: Clock;
  logger?: Logger;
  /** Sources fetched at the same time (default 4). */
  concurrency?: number;
  pageSize?: number;
  /** Background refresh period; 0 turns it off (default 5 minutes). */
  refreshIntervalMs?: number;
  /** Where the last listing of each source is kept between runs (default: nowhere). */
  cache?: InventoryCache;
  /** API calls at once across sources while nothing is throttled (default 8); halved per throttle. */
  apiConcurrency?: number;
  /** A throttled call is waiting to be retried with fewer calls at once. */
  onBackoff?: (event: BackoffEvent) => void;
  /** False for a source in an opt-in region its account has not enabled: it is not called. */
  regionEnabled?: (source: InventorySource) => Promise<boolean>;
}

interface SourceEntry {
  source: InventorySource;
  status: SourceStatus;
  rows: InventoryRow[];
  inflight?: Promise<void>;
  /** `rows` came from the disk cache, from a listing that finished then. */
  cachedAt?: string;
}

/** Cache files read at the same time when the app starts. */
const CACHE_READS = 8;

/** The inventory across all selected sources, kept in memory and refreshed in the background. */
export class Inventory {
  readonly #options: InventoryOptions;
  readonly #logger: Logger;
  readonly #limit: Limiter;
  /** Every API call of every source, adapting to throttling. */
  readonly #calls: AdaptiveLimiter;
  #entries = new Map<string, SourceEntry>();
  readonly #changes: Emitter<InventorySnapshot>;
  #snapshot: InventorySnapshot | undefined;
  #timer: TimerHandle | undefined;
  #started = false;
  #disposed = false;
  #lastFetchAt: number | undefined;
  /** Cache reads for sources added by setSources, which load() waits for. */
  #restoring: Promise<void> = Promise.resolve();

  constructor(options: InventoryOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child('inventory');
    this.#limit = createLimiter(Math.max(1, options.concurrency ?? 4));
    this.#calls = createInventoryCallLimiter({
      clock: options.clock,
      ...(options.apiConcurrency !== undefined && { max: options.apiConcurrency }),
      onBackoff: (event) => {
        this.#logger.log('info', 'inventory calls throttled: fewer at once', { ...event });
        options.onBackoff?.(event);
      },
    });
    this.#changes = new Emitter({
      onListenerError: (error) => {
        this.#logger.log('error', 'inventory listener threw', { error: toErrorMessage(error) });
      },
    });
  }

  /** Replaces the selection; results of sources that stay are kept, new ones start as pending. */
  setSources(sources: readonly InventorySource[]): void {
    const next = new Map<string, SourceEntry>();
    const added: SourceEntry[] = [];
    for (const source of sources) {
      const existing = this.#entries.get(source.id);
      if (existing) {
        // Same object, so a fetch under way for it still lands.
        existing.source = source;
        next.set(source.id, existing);
      } else {
        const entry: SourceEntry = { source, status: { state: 'pending' }, rows: [] };
        next.set(source.id, entry);
        added.push(entry);
      }
    }
    this.#entries = next;
    this.#changed();
    if (this.#options.cache && added.length > 0) {
      const restored = this.#restore(this.#options.cache, added);
      this.#restoring = Promise.all([this.#restoring, restored]).then(() => undefined);
    }
  }

  /** Shows each new source's last listing from the disk cache until it is listed again. */
  async #restore(cache: InventoryCache, entries: readonly SourceEntry[]): Promise<void> {
    const limit = createLimiter(CACHE_READS);
    let found = 0;
    await Promise.all(
      entries.map((entry) =>
        limit(async () => {
          const cached = await cache.read(entry.source).catch((error: unknown) => {
            this.#logger.log('warn', 'inventory cache read failed', {
              source: entry.source.id,
              error: toErrorMessage(error),
            });
            return undefined;
          });
          // Listed meanwhile, or no longer selected: the cache has nothing to add.
          const current = this.#entries.get(entry.source.id) === entry;
          if (!cached || !current || entry.status.state !== 'pending' || this.#disposed) return;
          entry.rows = cached.rows;
          entry.cachedAt = cached.fetchedAt;
          found++;
        }),
      ),
    );
    if (found > 0) this.#changed();
  }

  snapshot(): InventorySnapshot {
    if (!this.#snapshot) {
      const entries = [...this.#entries.values()];
      this.#snapshot = {
        rows: entries.flatMap((e) => e.rows),
        sources: entries.map((e) => ({
          source: e.source,
          status: e.status,
          refreshing: e.inflight !== undefined,
          ...(e.cachedAt !== undefined && { cachedAt: e.cachedAt }),
        })),
        ...(this.#lastFetchAt !== undefined && {
          fetchedAt: new Date(this.#lastFetchAt).toISOString(),
        }),
        refreshing: entries.some((e) => e.inflight !== undefined),
      };
    }
    return this.#snapshot;
  }

  /** Fetches the given sources (default: all) again; joins fetches already under way. */
  async refresh(options: { sourceIds?: readonly string[] } = {}): Promise<InventorySnapshot> {
    const wanted = options.sourceIds ? new Set(options.sourceIds) : undefined;
    const entries = [...this.#entries.values()].filter((e) => !wanted || wanted.has(e.source.id));
    await Promise.all(entries.map((entry) => this.#fetch(entry)));
    if (!wanted) this.#schedule();
    return this.snapshot();
  }

  /** Fetches only sources never fetched yet; the cheap call for "show me the inventory". */
  async load(): Promise<InventorySnapshot> {
    await this.#restoring;
    await this.#fetchPending();
    return this.snapshot();
  }

  /** Starts fetching sources never fetched; resolves when they and those under way are done. */
  #fetchPending(): Promise<unknown> {
    const pending = [...this.#entries.values()].filter(
      (e) => e.status.state === 'pending' && !e.inflight,
    );
    const running = [...this.#entries.values()].flatMap((e) => (e.inflight ? [e.inflight] : []));
    return Promise.all([...pending.map((e) => this.#fetch(e)), ...running]);
  }

  /**
   * load() for a screen: when the disk cache had rows for a source still to be listed, answers at
   * once with them (marked with their age) and lists behind them; onChange brings the result.
   */
  async loadOrCached(): Promise<InventorySnapshot> {
    await this.#restoring;
    const loading = this.#fetchPending();
    if (![...this.#entries.values()].some((e) => e.cachedAt !== undefined)) {
      await loading;
      return this.snapshot();
    }
    loading.catch((error: unknown) => {
      this.#logger.log('warn', 'inventory listing behind cached rows failed', {
        error: toErrorMessage(error),
      });
    });
    return this.snapshot();
  }

  onChange(listener: (snapshot: InventorySnapshot) => void): () => void {
    const subscription = this.#changes.event(listener);
    return () => subscription.dispose();
  }

  /** Starts background refresh: every refreshIntervalMs after the previous full refresh. */
  start(): void {
    this.#started = true;
    this.#schedule();
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#changes.dispose();
  }

  #schedule(): void {
    const interval = this.#options.refreshIntervalMs ?? 5 * 60_000;
    if (!this.#started || this.#disposed || interval <= 0) return;
    this.#timer?.cancel();
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      this.refresh().catch((error: unknown) => {
        this.#logger.log('warn', 'background inventory refresh failed', {
          error: toErrorMessage(error),
        });
      });
    }, interval);
  }

  #fetch(entry: SourceEntry): Promise<void> {
    if (entry.inflight) return entry.inflight;
    const { source } = entry;
    const run = async () => {
      let api: InventoryApi;
      let result: SourceFetchResult;
      try {
        api = limitedInventoryApi(this.#options.apiFor(source), this.#calls);
        const enabled = (await this.#options.regionEnabled?.(source)) ?? true;
        result = enabled
          ? await fetchSourceInventory(source, api, {
              clock: this.#options.clock,
              ...(this.#options.pageSize !== undefined && { pageSize: this.#options.pageSize }),
            })
          : notOptedInResult(source, this.#options.clock);
      } catch (error) {
        const described = describeSourceError(error, source);
        result = {
          rows: [],
          transient: described.transient,
          status: {
            state: 'error',
            code: described.code,
            message: described.message,
            fetchedAt: new Date(this.#options.clock.now()).toISOString(),
          },
        };
      }
      const current = this.#entries.get(source.id);
      // The selection changed while fetching: this source's result no longer belongs anywhere.
      if (current !== entry || this.#disposed) return;
      const previous = entry.status;
      if (result.status.state === 'error' && result.transient && previous.state === 'ok') {
        entry.status = { ...result.status, rowsFrom: previous.fetchedAt };
      } else if (
        result.status.state === 'error' &&
        result.transient &&
        previous.state === 'error' &&
        previous.rowsFrom !== undefined
      ) {
        entry.status = { ...result.status, rowsFrom: previous.rowsFrom };
      } else if (result.status.state === 'error' && entry.cachedAt !== undefined) {
        // Cached rows stay, marked with their age, until a listing succeeds.
        entry.status = { ...result.status, rowsFrom: entry.cachedAt };
      } else {
        entry.status = result.status;
        entry.rows = result.rows;
        delete entry.cachedAt;
        if (result.status.state === 'ok')
          this.#saveToCache(source, result.status.fetchedAt, result.rows);
      }
      this.#lastFetchAt = this.#options.clock.now();
      if (result.status.state === 'error') {
        this.#logger.log('warn', 'inventory source failed', {
          source: source.id,
          code: result.status.code,
        });
      }
    };
    entry.inflight = this.#limit(run).finally(() => {
      delete entry.inflight;
      this.#changed();
    });
    this.#changed();
    return entry.inflight;
  }

  #saveToCache(source: InventorySource, fetchedAt: string, rows: readonly InventoryRow[]): void {
    this.#options.cache?.write(source, fetchedAt, rows).catch((error: unknown) => {
      this.#logger.log('warn', 'inventory cache write failed', {
        source: source.id,
        error: toErrorMessage(error),
      });
    });
  }

  #changed(): void {
    this.#snapshot = undefined;
    if (this.#changes.listenerCount === 0) return;
    this.#changes.fire(this.snapshot());
  }
}
