// The disk cache of the last inventory per source (profile x region): written after every good
// listing, read at start so the app can show the rows it knew at once, marked with their age, while
// it lists again. It holds what the table shows and nothing else: no credential, token or endpoint.
// One file per source (its format: inventory-cache-format.ts), written atomically; a file that
// cannot be read or whose header does not check out is logged and ignored; rows that do not check
// out are left out with a note.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import type { InventoryRow, InventorySource } from './inventory';
import { CacheFormatError, decodeCache, encodeCache } from './inventory-cache-format';

export interface CachedInventory {
  /** When the listing these rows come from finished (ISO 8601). */
  readonly fetchedAt: string;
  /** The rows, each carrying `cachedAt` = fetchedAt. */
  readonly rows: InventoryRow[];
}

/** What the Inventory needs of a cache; the disk one below, or a fake in tests. */
export interface InventoryCache {
  /** The last listing of the source, or undefined when there is none or it is unusable. */
  read(source: InventorySource): Promise<CachedInventory | undefined>;
  write(source: InventorySource, fetchedAt: string, rows: readonly InventoryRow[]): Promise<void>;
}

export interface DiskInventoryCacheOptions {
  /** The folder of the cache files, inside the app's data folder. */
  readonly dir: string;
  readonly fs: FileSystem;
  readonly logger: Logger;
}

/** `work@eu-west-1` -> `work@eu-west-1-<hash>.json`: readable, and distinct for any profile name. */
export function cacheFileName(sourceId: string): string {
  const readable = sourceId.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(sourceId).digest('hex').slice(0, 16);
  return `${readable}-${hash}.json`;
}

export function createDiskInventoryCache(options: DiskInventoryCacheOptions): InventoryCache {
  const { dir, fs } = options;
  const logger = options.logger.child('inventory-cache');
  const fileOf = (source: InventorySource) => path.join(dir, cacheFileName(source.id));
  return {
    async read(source) {
      const file = fileOf(source);
      let text: string;
      try {
        text = await fs.readText(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          logger.log('warn', 'inventory cache unreadable, ignored', {
            source: source.id,
            file,
            error: toErrorMessage(error),
          });
        }
        return undefined;
      }
      try {
        const { fetchedAt, rows, dropped, firstProblem } = decodeCache(text, source);
        if (dropped > 0) {
          logger.log('warn', 'inventory cache rows that do not check out were left out', {
            source: source.id,
            file,
            dropped,
            problem: firstProblem,
          });
        }
        return { fetchedAt, rows };
      } catch (error) {
        if (!(error instanceof CacheFormatError)) throw error;
        logger.log('warn', 'inventory cache is corrupt, ignored until the next listing', {
          source: source.id,
          file,
          problem: error.message,
        });
        return undefined;
      }
    },

    async write(source, fetchedAt, rows) {
      await fs.writeAtomic(fileOf(source), encodeCache(source, fetchedAt, rows));
    },
  };
}
