// Inventory: managed instances from SSM DescribeInstanceInformation joined with EC2
// DescribeInstances, for many sources (profile x region) at once, with per-source status,
// per-instance diagnostics and a cache refreshed in the background and on demand.

import type { Clock, TimerHandle } from '../base/clock';
import { createLimiter, type Limiter } from '../base/limiter';
import type { AdaptiveLimiter, BackoffEvent } from '../base/adaptive-limiter';
import {
  createInventoryCallLimiter,
  limitedInventoryApi,
  notOptedInResult,
} from './inventory-calls';
import type { InventoryCache } from './inventory-cache';
import { silentLogger, type Logger } from '../base/logger';
import {
  describeSourceError,
  fetchSourceInventory,
  type SourceFetchResult,
} from './inventory-fetch';
import { toErrorMessage } from '../base/errors';
import { Emitter } from '../base/event';
import { compactRow, StringPool } from './row-strings';

export type {
  InstanceDiagnostic,
  InventoryApi,
  InventoryPingStatus,
  InventoryPlatform,
  InventoryRow,
  InventorySnapshot,
  InventorySource,
  InventoryTag,
  SourceErrorCode,
  SourceState,
  SourceStatus,
} from './inventory-types';
import type {
  InventoryApi,
  InventoryRow,
  InventorySnapshot,
  InventorySource,
  SourceStatus,
} from './inventory-types';

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
  /** Rows of the listing under way, page by page; shown over `rows` until it finishes. */
  incoming?: InventoryRow[];
  /** `rows` came from the disk cache, from a listing that finished then. */
  cachedAt?: string;
}

/**
 * Rows shown for a source: while it is listed, the pages so far, then the rows from before
 * (cached or the last listing) that no page has brought again yet, so a row keeps its place.
 */
function rowsShown(entry: SourceEntry): readonly InventoryRow[] {
  const { incoming, rows } = entry;
  if (!incoming || incoming.length === 0) return rows;
  if (rows.length === 0) return incoming;
  const listed = new Set(incoming.map((row) => row.key));
  return [...incoming, ...rows.filter((row) => !listed.has(row.key))];
}

/** Rows that arrive in pages are announced once this many have come since the last change… */
const PAGE_CHANGE_MIN_ROWS = 500;
/** …or this share of the rows shown, so a big listing sends a few snapshots, not one per page. */
const PAGE_CHANGE_SHARE = 0.25;

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
  /** Cache writes under way, which a shutdown waits for (see settle). */
  readonly #writes = new Set<Promise<void>>();
  /** Rows arrived in pages since the last change was announced. */
  #rowsSinceChange = 0;
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
        rows: entries.flatMap(rowsShown),
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
      // The listing's rows, compacted as their pages arrive (the answers' strings let go).
      const listed: InventoryRow[] = [];
      const pool = new StringPool();
      try {
        api = limitedInventoryApi(this.#options.apiFor(source), this.#calls);
        const enabled = (await this.#options.regionEnabled?.(source)) ?? true;
        result = enabled
          ? await fetchSourceInventory(source, api, {
              clock: this.#options.clock,
              ...(this.#options.pageSize !== undefined && { pageSize: this.#options.pageSize }),
              keepRows: false,
              onRows: (rows) => {
                const page = rows.map((row) => compactRow(source, row, pool));
                for (const row of page) listed.push(row);
                this.#pageArrived(entry, page);
              },
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
      delete entry.incoming;
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
        entry.rows = result.status.state === 'ok' ? listed : result.rows;
        delete entry.cachedAt;
        if (result.status.state === 'ok')
          this.#saveToCache(source, result.status.fetchedAt, entry.rows);
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

  /** A page of a listing under way: shown at once, announced when enough rows have come. */
  #pageArrived(entry: SourceEntry, rows: readonly InventoryRow[]): void {
    if (this.#entries.get(entry.source.id) !== entry || this.#disposed) return;
    (entry.incoming ??= []).push(...rows);
    this.#rowsSinceChange += rows.length;
    let shown = 0;
    for (const e of this.#entries.values()) shown += e.rows.length + (e.incoming?.length ?? 0);
    if (this.#rowsSinceChange < Math.max(PAGE_CHANGE_MIN_ROWS, shown * PAGE_CHANGE_SHARE)) {
      // Not announced yet, but a snapshot asked for meanwhile has them.
      this.#snapshot = undefined;
      return;
    }
    this.#changed();
  }

  #saveToCache(source: InventorySource, fetchedAt: string, rows: readonly InventoryRow[]): void {
    const write = this.#options.cache?.write(source, fetchedAt, rows).catch((error: unknown) => {
      this.#logger.log('warn', 'inventory cache write failed', {
        source: source.id,
        error: toErrorMessage(error),
      });
    });
    if (!write) return;
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  /** Resolves once the cache writes under way are done, so the next start finds every listing. */
  async settle(): Promise<void> {
    await Promise.all([...this.#writes]);
  }

  #changed(): void {
    this.#snapshot = undefined;
    this.#rowsSinceChange = 0;
    if (this.#changes.listenerCount === 0) return;
    this.#changes.fire(this.snapshot());
  }
}
