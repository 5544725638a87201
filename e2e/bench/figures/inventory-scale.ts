// Figures `inventory-cached-start` and `inventory-100k`: the inventory at scale, through the SDK
// clients against a generated fleet (sandbox in a child process, so only the client is measured).
// - inventory-cached-start: 10,000 instances over 5 regions listed once (the disk cache written),
//   then a new Inventory over the same cache: time from its construction to the first answer
//   holding rows, mapped to the IPC list and serialized as IPC would. Baseline: the first, uncached
//   load of the same fleet in the same run. Target < 300 ms.
// - inventory-100k: 100,000 instances over 50 sources (10 accounts x 5 regions). Main's half runs in
//   a child process of its own (inventory-main-process.ts): load time, and its RSS once the listing
//   is held and sent as the IPC list (baseline: its RSS before listing; its peak is reported too).
//   The renderer's half runs here on the IPC list it sent: the renderer's inventory store is given
//   it (and sorts it), then each keystroke is its setQuery (search, highlight, state). Targets:
//   filter p99 < 16 ms, main RSS < 400 MB.

import { spawn } from 'node:child_process';
import { build as esbuild } from 'esbuild';
import { builtinsByRequire } from '../../../build/builtins-by-require.mjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inventory } from '../../../electron/core/aws/inventory';
import { createDiskInventoryCache } from '../../../electron/core/aws/inventory-cache';
import { systemClock } from '../../../electron/core/base/clock';
import { nodeFileSystem } from '../../../electron/core/base/fs';
import { silentLogger } from '../../../electron/core/base/logger';
import { InventoryListMapper } from '../../../electron/core/services/inventory-list';
import { isInstanceSearchReady } from '../../../renderer/features/inventory/search';
import {
  createInventoryStore,
  type InventoryStore,
} from '../../../renderer/features/inventory/store';
import type { Api, InventoryList } from '../../../shared/ipc';
import type { MainProcessFigures } from '../inventory-main-process';
import { benchSourceNaming, inventoryClientsFor } from '../lib/inventory-clients';
import { emit, nowMs, progress, round, summarize } from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import type { BenchContext } from './context';

const CACHED_START_INSTANCES = 10_000;
const CACHED_START_TARGET_MS = 300;
const BIG_INSTANCES = 100_000;
const BIG_ACCOUNTS = 10;
const FILTER_TARGET_MS = 16;
const RSS_TARGET_MB = 400;

const QUERIES = ['web-prod', 'tag:Env=prod', 'tag:Team=payments status:online', '10.1', 'i-0a'];

async function cachedStartFigure(): Promise<boolean> {
  progress(`inventory-cached-start: sandbox with ${CACHED_START_INSTANCES} instances`);
  const sandbox = await startBenchSandbox(
    { pacing: false, instances: CACHED_START_INSTANCES, seed: 7 },
    'process',
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-bench-cache-'));
  const aws = await inventoryClientsFor(sandbox);
  try {
    const cache = createDiskInventoryCache({ dir, fs: nodeFileSystem, logger: silentLogger });
    const inventoryWith = () =>
      new Inventory({
        apiFor: (source) => aws.clients.inventoryApi(source),
        clock: systemClock,
        refreshIntervalMs: 0,
        cache,
      });
    const first = inventoryWith();
    const loadStarted = nowMs();
    first.setSources(aws.sources);
    const loaded = await first.load();
    const uncachedMs = nowMs() - loadStarted;
    first.dispose();
    if (loaded.rows.length !== CACHED_START_INSTANCES) {
      throw new Error(`listed ${loaded.rows.length} of ${CACHED_START_INSTANCES} instances`);
    }
    // The cache files are written behind the listing; wait until every source has one.
    while ((await readdir(dir)).filter((f) => f.endsWith('.json')).length < aws.sources.length) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const started = nowMs();
    const second = inventoryWith();
    second.setSources(aws.sources);
    const snapshot = await second.loadOrCached();
    const list = new InventoryListMapper(benchSourceNaming).toList(snapshot);
    const wire = JSON.stringify(list);
    const firstRowMs = nowMs() - started;
    const cachedRows = list.instances.filter((i) => i.cachedAt !== undefined).length;
    await second.load();
    second.dispose();
    const meetsTarget = cachedRows > 0 && firstRowMs < CACHED_START_TARGET_MS;
    emit({
      figure: 'inventory-cached-start',
      instances: CACHED_START_INSTANCES,
      sources: aws.sources.length,
      firstRowMs: round(firstRowMs, 1),
      cachedRows,
      ipcBytes: wire.length,
      baselineUncachedLoadMs: round(uncachedMs, 1),
      path: 'new Inventory + disk cache read + loadOrCached + IPC mapping + JSON.stringify',
      baselinePath: 'the first, uncached Inventory.load() of the same fleet',
      sandbox: 'process',
      target: `first cached rows < ${CACHED_START_TARGET_MS} ms`,
      meetsTarget,
    });
    return meetsTarget;
  } finally {
    aws.dispose();
    await rm(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

/**
 * The renderer's inventory store holding `list`, as inventory:list delivered it, and the time the
 * store then takes, in tasks of its own, to prepare the search for the first keystroke.
 */
async function storeWith(
  list: InventoryList,
): Promise<{ store: InventoryStore; searchPrepareMs: number; longestTaskMs: number }> {
  const store = createInventoryStore({
    api: {
      invoke: () => Promise.resolve({ ok: true, value: list }),
      on: () => () => undefined,
    } as unknown as Pick<Api, 'invoke' | 'on'>,
  });
  await store.getState().fetch();
  // The store prepares the search a slice per task: time them all, and the longest task (the
  // longest the page would not answer), until it is ready.
  const started = nowMs();
  let longestTaskMs = 0;
  while (!isInstanceSearchReady(store.getState().sorted)) {
    const before = nowMs();
    await new Promise((resolve) => setTimeout(resolve, 0));
    longestTaskMs = Math.max(longestTaskMs, nowMs() - before);
  }
  return { store, searchPrepareMs: nowMs() - started, longestTaskMs };
}

/**
 * Milliseconds per keystroke typing each query into the inventory store (search, highlight and
 * state), with a row selected as a user would have; the search box is cleared between queries.
 */
function filterSamples(store: InventoryStore, rounds: number): number[] {
  const samples: number[] = [];
  store.getState().select(store.getState().visible[500]?.key);
  for (let round_ = -1; round_ < rounds; round_++) {
    for (const query of QUERIES) {
      for (let length = 1; length <= query.length; length++) {
        const started = nowMs();
        store.getState().setQuery(query.slice(0, length));
        if (round_ >= 0) samples.push(nowMs() - started);
      }
      store.getState().setQuery('');
    }
  }
  return samples;
}

/** Main's half in a child process: its figures, and the IPC list it sent. */
async function listInMainProcess(
  sandbox: SandboxEndpoint,
): Promise<{ main: MainProcessFigures; list: InventoryList }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-bench-list-'));
  const listFile = path.join(dir, 'list.json');
  try {
    // Bundled as the app's main is (no TypeScript loader in the process), so its memory compares.
    const entry = path.join(dir, 'inventory-main.mjs');
    await esbuild({
      entryPoints: [fileURLToPath(new URL('../inventory-main-process.ts', import.meta.url))],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'warning',
      external: ['bufferutil', 'utf-8-validate'],
      banner: {
        js: "import { createRequire as __benchRequire } from 'node:module';\nconst require = __benchRequire(import.meta.url);",
      },
      // As the app's bundles load Node's built-ins (an imported node:http would load undici).
      plugins: [builtinsByRequire],
    });
    const { accounts, endpoint, region, regions } = sandbox;
    const child = spawn(
      process.execPath,
      [entry, JSON.stringify({ accounts, endpoint, region, regions }), listFile],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`the main-process child exited with code ${String(code)}`);
    const main = JSON.parse(out.trim()) as MainProcessFigures;
    const list = JSON.parse(await readFile(listFile, 'utf8')) as InventoryList;
    return { main, list };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function bigFigure(ctx: BenchContext): Promise<boolean> {
  progress(`inventory-100k: sandbox with ${BIG_INSTANCES} instances in ${BIG_ACCOUNTS} accounts`);
  const sandbox = await startBenchSandbox(
    { pacing: false, instances: BIG_INSTANCES, seed: 13, generatedAccounts: BIG_ACCOUNTS },
    'process',
  );
  try {
    const { main, list } = await listInMainProcess(sandbox);
    if (main.failedSources > 0 || main.rows !== BIG_INSTANCES) {
      throw new Error(
        `listed ${main.rows} of ${BIG_INSTANCES}, ${main.failedSources} sources failed`,
      );
    }
    // The renderer's half: the store sorts once per listing, then searches per keystroke.
    const { store, searchPrepareMs, longestTaskMs } = await storeWith(list);
    const summary = summarize(filterSamples(store, Math.max(1, Math.round(2 * ctx.scale))));
    const meetsTarget = summary.p99Ms < FILTER_TARGET_MS && main.rssMb < RSS_TARGET_MB;
    emit({
      figure: 'inventory-100k',
      instances: list.instances.length,
      sources: list.sources.length,
      loadMs: round(main.loadMs, 0),
      rowsPerSec: Math.round(BIG_INSTANCES / (main.loadMs / 1000)),
      filter: summary,
      searchPrepareMs: round(searchPrepareMs, 0),
      searchPrepareLongestTaskMs: round(longestTaskMs, 1),
      mainRssMb: round(main.rssMb, 1),
      mainPeakRssMb: round(main.peakRssMb, 1),
      baselineRssMb: round(main.baselineRssMb, 1),
      mainHeapUsedMb: round(main.heapUsedMb, 1),
      ipcBytes: main.ipcBytes,
      path: 'main (a child process): Inventory.load() over 50 sources, 4 at a time, then the IPC list mapped and sent; renderer: the inventory store given the list (sorted by name), then setQuery per keystroke',
      baselinePath: "main's RSS before listing",
      sandbox: 'process',
      target: `filter p99 < ${FILTER_TARGET_MS} ms, main RSS < ${RSS_TARGET_MB} MB`,
      meetsTarget,
    });
    return meetsTarget;
  } finally {
    await sandbox.close();
  }
}

export async function inventoryScaleFigures(ctx: BenchContext): Promise<boolean> {
  const cached = await cachedStartFigure();
  const big = await bigFigure(ctx);
  return cached && big;
}
