// The disk cache of the last inventory per source (profile x region): written after every good
// listing, read at start so the app can show the rows it knew at once, marked with their age, while
// it lists again. It holds what the table shows and nothing else: no credential, token or endpoint.
// One file per source, written atomically; a file that cannot be read or does not check out is
// logged and ignored, never trusted in part.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { toErrorMessage } from '../base/errors';
import type { FileSystem } from '../base/fs';
import type { Logger } from '../base/logger';
import type { InventoryRow, InventorySource } from './inventory';

export const INVENTORY_CACHE_VERSION = 1;

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

/** Exactly the fields a row shows, so nothing else a row might one day carry reaches the disk. */
function storedRow(row: InventoryRow): Omit<InventoryRow, 'cachedAt'> {
  return {
    key: row.key,
    sourceId: row.sourceId,
    instanceId: row.instanceId,
    name: row.name,
    profile: row.profile,
    region: row.region,
    ...(row.accountId !== undefined && { accountId: row.accountId }),
    platform: row.platform,
    platformName: row.platformName,
    platformVersion: row.platformVersion,
    pingStatus: row.pingStatus,
    agentVersion: row.agentVersion,
    ipAddress: row.ipAddress,
    ...(row.privateIp !== undefined && { privateIp: row.privateIp }),
    ...(row.publicIp !== undefined && { publicIp: row.publicIp }),
    ...(row.state !== undefined && { state: row.state }),
    computerName: row.computerName,
    resourceType: row.resourceType,
    tags: row.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    ...(row.lastPingAt !== undefined && { lastPingAt: row.lastPingAt }),
    diagnostics: row.diagnostics.map((d) => ({ code: d.code, message: d.message })),
  };
}

class CacheFormatError extends Error {}

const PLATFORMS = new Set(['Linux', 'Windows', 'MacOS', 'Unknown']);
const PINGS = new Set(['Online', 'ConnectionLost', 'Inactive', 'Unknown']);
const DIAGNOSTICS = new Set(['offline', 'agent-too-old', 'no-permission', 'not-in-ec2']);
const REQUIRED_TEXT = [
  'key',
  'instanceId',
  'name',
  'platformName',
  'platformVersion',
  'agentVersion',
  'ipAddress',
  'computerName',
  'resourceType',
] as const;
const OPTIONAL_TEXT = ['accountId', 'privateIp', 'publicIp', 'state', 'lastPingAt'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one stored row field by field (cheap enough for 100,000 rows) and rebuilds it. */
function parseRow(
  value: unknown,
  index: number,
  source: InventorySource,
  cachedAt: string,
): InventoryRow {
  const fail = (what: string): never => {
    throw new CacheFormatError(`rows[${index}]: ${what}`);
  };
  if (!isRecord(value)) return fail('is not an object');
  for (const field of REQUIRED_TEXT) {
    if (typeof value[field] !== 'string') fail(`${field} is not a string`);
  }
  for (const field of OPTIONAL_TEXT) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      fail(`${field} is not a string`);
    }
  }
  if (value.sourceId !== source.id || value.profile !== source.profile) {
    fail('belongs to another source');
  }
  if (value.region !== source.region) fail('belongs to another region');
  if (!PLATFORMS.has(value.platform as string)) fail('platform is unknown');
  if (!PINGS.has(value.pingStatus as string)) fail('pingStatus is unknown');
  const tags = value.tags;
  if (!Array.isArray(tags)) return fail('tags is not a list');
  for (const tag of tags as unknown[]) {
    if (!isRecord(tag) || typeof tag.key !== 'string' || typeof tag.value !== 'string') {
      fail('a tag is not {key, value}');
    }
  }
  const diagnostics = value.diagnostics;
  if (!Array.isArray(diagnostics)) return fail('diagnostics is not a list');
  for (const d of diagnostics as unknown[]) {
    if (!isRecord(d) || !DIAGNOSTICS.has(d.code as string) || typeof d.message !== 'string') {
      fail('a diagnostic is malformed');
    }
  }
  // Rebuilt field by field (tags and diagnostics too): nothing else in the file comes along.
  return { ...(storedRow(value as unknown as InventoryRow) as InventoryRow), cachedAt };
}

function parseCache(text: string, source: InventorySource): CachedInventory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CacheFormatError(`not JSON (${toErrorMessage(error)})`);
  }
  if (!isRecord(json)) throw new CacheFormatError('not an object');
  if (json.version !== INVENTORY_CACHE_VERSION) {
    throw new CacheFormatError(`version ${String(json.version)} is not ${INVENTORY_CACHE_VERSION}`);
  }
  if (json.sourceId !== source.id) throw new CacheFormatError('it is for another source');
  const fetchedAt = json.fetchedAt;
  if (typeof fetchedAt !== 'string' || Number.isNaN(Date.parse(fetchedAt))) {
    throw new CacheFormatError('fetchedAt is not a time');
  }
  if (!Array.isArray(json.rows)) throw new CacheFormatError('rows is not a list');
  const rows = (json.rows as unknown[]).map((row, index) =>
    parseRow(row, index, source, fetchedAt),
  );
  return { fetchedAt, rows };
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
        return parseCache(text, source);
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
      const stored = {
        version: INVENTORY_CACHE_VERSION,
        sourceId: source.id,
        profile: source.profile,
        region: source.region,
        fetchedAt,
        rows: rows.map(storedRow),
      };
      await fs.writeAtomic(fileOf(source), JSON.stringify(stored));
    },
  };
}
