// The inventory's disk cache through the composed app and the Local sandbox: a second start answers
// inventory:list at once with the first run's rows, marked cached, then lists behind them and
// sends the fresh rows (same keys, new state) in inventory:changed.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryList } from '../../shared/ipc';
import { startSandbox } from '../emulator/sandbox';
import { builtInSandboxOf } from '../emulator/starter';
import { createApp, INVENTORY_CACHE_DIR, type App } from './app';
import { systemClock } from './base/clock';
import { silentLogger } from './base/logger';
import type { IpcSender } from './ipc/router';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let dir: string;

/** An app on a fresh in-process sandbox; `prepare` may change that sandbox's fleet first. */
async function startApp(prepare: (sandbox: Awaited<ReturnType<typeof startSandbox>>) => void) {
  return createApp({
    userDataDir: dir,
    mode: 'browser',
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async ({ clock, logger }) => {
      const sandbox = await startSandbox({ clock, logger, pacing: false });
      prepare(sandbox);
      return builtInSandboxOf(sandbox);
    },
  });
}

async function list(app: App): Promise<InventoryList> {
  const result = await app.router.dispatch(
    { channel: 'inventory:list', payload: {}, sender: ui },
    trusted,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value as InventoryList;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-inventory-cache-int-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('inventory disk cache across app starts', () => {
  it('shows the last run rows marked cached, then replaces them with the fresh listing', async () => {
    const first = await startApp(() => undefined);
    const listed = await list(first);
    expect(listed.instances.length).toBeGreaterThan(0);
    expect(listed.instances.every((i) => i.cachedAt === undefined)).toBe(true);
    const cacheDir = path.join(dir, INVENTORY_CACHE_DIR, 'sandbox');
    // Written behind the listing: one file per source (profile x region).
    await expect
      .poll(async () => (await readdir(cacheDir).catch(() => [])).length, { timeout: 10_000 })
      .toBe(listed.sources.length);
    await first.dispose();

    const online = listed.instances.find((i) => i.pingStatus === 'Online');
    expect(online).toBeDefined();
    const second = await startApp((sandbox) =>
      sandbox.fleet.setPingStatus(online!.instanceId, 'ConnectionLost'),
    );
    try {
      const changed = new Promise<InventoryList>((resolve) => {
        second.router.subscribe((channel, payload) => {
          const next = payload as InventoryList;
          if (channel === 'inventory:changed' && !next.refreshing) resolve(next);
        });
      });
      const cached = await list(second);
      expect(cached.instances.map((i) => i.key).sort()).toEqual(
        listed.instances.map((i) => i.key).sort(),
      );
      expect(cached.instances.every((i) => i.cachedAt !== undefined)).toBe(true);
      expect(cached.sources.every((s) => s.cachedAt !== undefined)).toBe(true);
      expect(cached.refreshing).toBe(true);
      expect(cached.instances.find((i) => i.key === online!.key)?.pingStatus).toBe('Online');

      const fresh = await changed;
      expect(fresh.instances.some((i) => i.cachedAt !== undefined)).toBe(false);
      expect(fresh.sources.some((s) => s.cachedAt !== undefined)).toBe(false);
      expect(fresh.instances.find((i) => i.key === online!.key)?.pingStatus).toBe('ConnectionLost');
    } finally {
      await second.dispose();
    }
  });
});
