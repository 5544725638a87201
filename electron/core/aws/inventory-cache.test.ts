import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../base/fs';
import type { Logger, LogLevel } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import type { InventoryApi, InventoryRow, InventorySource } from './inventory';
import { Inventory } from './inventory';
import { cacheFileName, createDiskInventoryCache } from './inventory-cache';

const source: InventorySource = { id: 'work@eu-west-1', profile: 'work', region: 'eu-west-1' };
const FETCHED_AT = '2025-01-02T10:00:00.000Z';

function row(instanceId: string, name = `box-${instanceId}`): InventoryRow {
  return {
    key: `${source.id}/${instanceId}`,
    sourceId: source.id,
    instanceId,
    name,
    profile: 'work',
    region: 'eu-west-1',
    accountId: '123456789012',
    platform: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    pingStatus: 'Online',
    agentVersion: '3.3.987.0',
    ipAddress: '10.0.0.1',
    privateIp: '10.0.0.1',
    state: 'running',
    computerName: 'ip-10-0-0-1',
    resourceType: 'EC2Instance',
    tags: [{ key: 'Env', value: 'prod' }],
    lastPingAt: FETCHED_AT,
    diagnostics: [],
  };
}

function recordingLogger(): Logger & {
  lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  const logger = {
    lines,
    log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      lines.push({ level, message, ...(fields && { fields }) });
    },
    child: () => logger,
  };
  return logger;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-inventory-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('disk inventory cache', () => {
  it('reads back what it wrote, each row marked with the listing time, and nothing else', async () => {
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger: recordingLogger() });
    const withExtra = { ...row('i-0a1'), secretAccessKey: 'must-not-be-written' } as InventoryRow;
    await cache.write(source, FETCHED_AT, [withExtra, row('i-0a2')]);
    const text = await readFile(path.join(dir, cacheFileName(source.id)), 'utf8');
    expect(text).not.toContain('must-not-be-written');
    const read = await cache.read(source);
    expect(read?.fetchedAt).toBe(FETCHED_AT);
    expect(read?.rows).toEqual([
      { ...row('i-0a1'), cachedAt: FETCHED_AT },
      { ...row('i-0a2'), cachedAt: FETCHED_AT },
    ]);
    // Atomic write: no temporary file is left beside it.
    expect(await readdir(dir)).toEqual([cacheFileName(source.id)]);
  });

  it('has nothing, silently, for a source never listed', async () => {
    const logger = recordingLogger();
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger });
    expect(await cache.read(source)).toBeUndefined();
    expect(logger.lines).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version":2,', /not JSON/],
    ['another version', JSON.stringify({ version: 99, sourceId: source.id }), /version 99/],
    [
      'a file of another source',
      JSON.stringify({ version: 2, sourceId: 'other@eu-west-1', fetchedAt: FETCHED_AT }),
      /another source/,
    ],
    [
      'a column of the wrong length',
      JSON.stringify({
        version: 2,
        sourceId: source.id,
        fetchedAt: FETCHED_AT,
        count: 3,
        strings: [],
        columns: {},
      }),
      /column instanceId is not a list of 3/,
    ],
  ])('ignores a cache file with %s, saying why in one log line', async (_what, text, problem) => {
    const logger = recordingLogger();
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger });
    await writeFile(path.join(dir, cacheFileName(source.id)), text);
    expect(await cache.read(source)).toBeUndefined();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      message: 'inventory cache is corrupt, ignored until the next listing',
      fields: { source: source.id, file: path.join(dir, cacheFileName(source.id)) },
    });
    expect(String(logger.lines[0]?.fields?.problem)).toMatch(problem);
  });

  it('leaves out the rows that do not check out, keeps the others, and says so once', async () => {
    const logger = recordingLogger();
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger });
    await cache.write(source, FETCHED_AT, [row('i-0a1'), row('i-0a2'), row('i-0a3')]);
    const file = path.join(dir, cacheFileName(source.id));
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      columns: Record<string, unknown[]>;
      strings: string[];
    };
    (stored.columns.instanceId as unknown[])[1] = 7;
    (stored.columns.platform as unknown[])[2] = stored.strings.length + 5;
    await writeFile(file, JSON.stringify(stored));
    const read = await cache.read(source);
    expect(read?.rows).toEqual([{ ...row('i-0a1'), cachedAt: FETCHED_AT }]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      message: 'inventory cache rows that do not check out were left out',
      fields: { source: source.id, dropped: 2, problem: 'row 1: instanceId is not text' },
    });
  });

  it('stores values many rows share once, and gives rows the same tag objects', async () => {
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger: recordingLogger() });
    const rows = Array.from({ length: 50 }, (_, i) => row(`i-0b${String(i).padStart(3, '0')}`));
    await cache.write(source, FETCHED_AT, rows);
    const text = await readFile(path.join(dir, cacheFileName(source.id)), 'utf8');
    expect(text.split('Amazon Linux')).toHaveLength(2);
    const read = await cache.read(source);
    expect(read?.rows).toHaveLength(50);
    expect(read?.rows[0]?.tags[0]).toBe(read?.rows[49]?.tags[0]);
  });

  it('names files distinctly for profiles that differ only in characters a file name cannot hold', () => {
    expect(cacheFileName('a/b@us-east-1')).not.toBe(cacheFileName('a:b@us-east-1'));
    expect(cacheFileName('a/b@us-east-1')).toMatch(/^a_b@us-east-1-[0-9a-f]{16}\.json$/);
  });
});

describe('Inventory with a disk cache', () => {
  /** An API whose listing waits until `release` is called, then lists `ids`. */
  function heldApi(ids: string[]) {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const api: InventoryApi = {
      async describeInstanceInformation() {
        await released;
        return {
          instances: ids.map((InstanceId) => ({
            InstanceId,
            PingStatus: 'Online',
            Name: `fresh-${InstanceId}`,
          })),
        };
      },
      describeInstances: () => Promise.resolve([]),
    };
    return { api, release: () => release() };
  }

  it('answers at once with the cached rows, then replaces them in place and caches the new listing', async () => {
    const logger = recordingLogger();
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger });
    await cache.write(source, FETCHED_AT, [row('i-0a1'), row('i-0a2')]);
    const { api, release } = heldApi(['i-0a1', 'i-0a3']);
    const clock = new FakeClock(Date.parse('2025-01-02T11:00:00.000Z'));
    const inventory = new Inventory({ apiFor: () => api, clock, cache, refreshIntervalMs: 0 });
    inventory.setSources([source]);
    const first = await inventory.loadOrCached();
    expect(first.rows.map((r) => [r.instanceId, r.cachedAt])).toEqual([
      ['i-0a1', FETCHED_AT],
      ['i-0a2', FETCHED_AT],
    ]);
    expect(first.sources[0]).toMatchObject({ cachedAt: FETCHED_AT, refreshing: true });
    const settled = new Promise<void>((resolve) =>
      inventory.onChange((snapshot) => {
        if (!snapshot.refreshing) resolve();
      }),
    );
    release();
    await settled;
    const after = inventory.snapshot();
    expect(after.rows.map((r) => [r.key, r.cachedAt])).toEqual([
      [`${source.id}/i-0a1`, undefined],
      [`${source.id}/i-0a3`, undefined],
    ]);
    expect(after.sources[0]?.cachedAt).toBeUndefined();
    await expect
      .poll(async () => (await cache.read(source))?.fetchedAt)
      .toBe('2025-01-02T11:00:00.000Z');
    inventory.dispose();
  });

  it('keeps the cached rows, marked, when the listing behind them fails', async () => {
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger: recordingLogger() });
    await cache.write(source, FETCHED_AT, [row('i-0a1')]);
    const denied = Object.assign(new Error('no'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const api: InventoryApi = {
      describeInstanceInformation: () => Promise.reject(denied),
      describeInstances: () => Promise.resolve([]),
    };
    const inventory = new Inventory({
      apiFor: () => api,
      clock: new FakeClock(0),
      cache,
      refreshIntervalMs: 0,
    });
    inventory.setSources([source]);
    const snapshot = await inventory.load();
    expect(snapshot.rows.map((r) => r.cachedAt)).toEqual([FETCHED_AT]);
    expect(snapshot.sources[0]?.status).toMatchObject({
      state: 'error',
      code: 'access-denied',
      rowsFrom: FETCHED_AT,
    });
    inventory.dispose();
  });
});
