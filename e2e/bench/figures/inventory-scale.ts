// Figures `inventory-cached-start` and `inventory-100k`: the inventory at scale, through the SDK
// clients against a generated fleet (sandbox in a child process, so only the client is measured).
// - inventory-cached-start: 10,000 instances over 5 regions listed once (the disk cache written),
//   then a new Inventory over the same cache: time from its construction to the first answer
//   holding rows, mapped to the IPC list and serialized as IPC would. Baseline: the first, uncached
//   load of the same fleet in the same run. Target < 300 ms.
// - inventory-100k: 100,000 instances over 50 sources (10 accounts x 5 regions): load time, filter
//   p99 per keystroke over all rows (RowSearch, as the inventory view searches), and this process's RSS with the rows held and mapped to the
//   IPC list. Baseline: RSS before listing. Targets: filter p99 < 16 ms, RSS < 400 MB.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCredentialResolver } from '../../../electron/core/aws/credentials';
import { Inventory, type InventoryRow } from '../../../electron/core/aws/inventory';
import { createDiskInventoryCache } from '../../../electron/core/aws/inventory-cache';
import { loadProfiles } from '../../../electron/core/aws/profiles';
import { buildSources, createAwsClients } from '../../../electron/core/aws/sources';
import { createSsoAuth } from '../../../electron/core/aws/sso';
import { systemClock } from '../../../electron/core/base/clock';
import { nodeFileSystem } from '../../../electron/core/base/fs';
import { silentLogger } from '../../../electron/core/base/logger';
import { InventoryListMapper } from '../../../electron/core/services/inventory-list';
import { RowSearch } from '../../../shared/domain/search-index';
import { emit, nowMs, progress, round, summarize } from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import type { BenchContext } from './context';

const CACHED_START_INSTANCES = 10_000;
const CACHED_START_TARGET_MS = 300;
const BIG_INSTANCES = 100_000;
const BIG_ACCOUNTS = 10;
const FILTER_TARGET_MS = 16;
const RSS_TARGET_MB = 400;
const VIRTUAL_HOME = 'airlock-bench-home';
const MB = 1024 * 1024;

const QUERIES = ['web-prod', 'tag:Env=prod', 'tag:Team=payments status:online', '10.1', 'i-0a'];

const naming = { sourceIdOf: (profile: string) => `aws:${profile}`, labelOf: (p: string) => p };

/** One profile per sandbox account, each listing every region of the fleet. */
async function clientsFor(sandbox: SandboxEndpoint) {
  const files: Record<string, string> = { config: '', credentials: '' };
  sandbox.accounts.forEach((account, index) => {
    files.config += `[profile a${index}]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`;
    files.credentials += `[a${index}]\naws_access_key_id = ${account.accessKeyId}\naws_secret_access_key = ${account.secretAccessKey}\n`;
  });
  const catalog = await loadProfiles({
    env: { HOME: VIRTUAL_HOME },
    homeDir: VIRTUAL_HOME,
    readFile: (file) => Promise.resolve(files[file.split(/[\\/]/).pop() ?? '']),
  });
  const sso = createSsoAuth({
    homeDir: VIRTUAL_HOME,
    clock: systemClock,
    openUrl: () => Promise.reject(new Error('the bench never logs in with SSO')),
  });
  const credentials = createCredentialResolver({ catalog, clock: systemClock, sso });
  const clients = createAwsClients({ catalog, credentials, interactive: false });
  const { sources, problems } = buildSources(
    catalog,
    sandbox.accounts.map((_, index) => ({ profile: `a${index}`, regions: [...sandbox.regions] })),
  );
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return {
    sources,
    clients,
    dispose() {
      clients.dispose();
      credentials.dispose();
      sso.dispose();
    },
  };
}

async function cachedStartFigure(): Promise<boolean> {
  progress(`inventory-cached-start: sandbox with ${CACHED_START_INSTANCES} instances`);
  const sandbox = await startBenchSandbox(
    { pacing: false, instances: CACHED_START_INSTANCES, seed: 7 },
    'process',
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-bench-cache-'));
  const aws = await clientsFor(sandbox);
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
    const list = new InventoryListMapper(naming).toList(snapshot);
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

function filterSamples(search: RowSearch<InventoryRow>, rounds: number): number[] {
  const samples: number[] = [];
  for (let round_ = -1; round_ < rounds; round_++) {
    for (const query of QUERIES) {
      for (let length = 1; length <= query.length; length++) {
        const started = nowMs();
        search.search(query.slice(0, length));
        if (round_ >= 0) samples.push(nowMs() - started);
      }
    }
  }
  return samples;
}

async function bigFigure(ctx: BenchContext): Promise<boolean> {
  progress(`inventory-100k: sandbox with ${BIG_INSTANCES} instances in ${BIG_ACCOUNTS} accounts`);
  const sandbox = await startBenchSandbox(
    { pacing: false, instances: BIG_INSTANCES, seed: 13, generatedAccounts: BIG_ACCOUNTS },
    'process',
  );
  const aws = await clientsFor(sandbox);
  try {
    global.gc?.();
    const baselineRssMb = process.memoryUsage().rss / MB;
    const inventory = new Inventory({
      apiFor: (source) => aws.clients.inventoryApi(source),
      clock: systemClock,
      refreshIntervalMs: 0,
    });
    const started = nowMs();
    inventory.setSources(aws.sources);
    const snapshot = await inventory.load();
    const loadMs = nowMs() - started;
    const failed = snapshot.sources.filter((s) => s.status.state !== 'ok').length;
    if (failed > 0 || snapshot.rows.length !== BIG_INSTANCES) {
      throw new Error(
        `listed ${snapshot.rows.length} of ${BIG_INSTANCES}, ${failed} sources failed`,
      );
    }
    const list = new InventoryListMapper(naming).toList(snapshot);
    // Built once per listing, before anyone types, as the inventory view does.
    const search = new RowSearch(snapshot.rows, (row) => row);
    const summary = summarize(filterSamples(search, Math.max(1, Math.round(2 * ctx.scale))));
    global.gc?.();
    const rssMb = process.memoryUsage().rss / MB;
    const meetsTarget = summary.p99Ms < FILTER_TARGET_MS && rssMb < RSS_TARGET_MB;
    emit({
      figure: 'inventory-100k',
      instances: list.instances.length,
      sources: aws.sources.length,
      loadMs: round(loadMs, 0),
      rowsPerSec: Math.round(BIG_INSTANCES / (loadMs / 1000)),
      filter: summary,
      rssMb: round(rssMb, 1),
      baselineRssMb: round(baselineRssMb, 1),
      heapUsedMb: round(process.memoryUsage().heapUsed / MB, 1),
      path: "Inventory.load() over 50 sources (4 at a time), IPC mapping, RowSearch.search per keystroke (the inventory view's search)",
      baselinePath: 'this process before listing',
      sandbox: 'process',
      target: `filter p99 < ${FILTER_TARGET_MS} ms, RSS < ${RSS_TARGET_MB} MB`,
      meetsTarget,
    });
    inventory.dispose();
    return meetsTarget;
  } finally {
    aws.dispose();
    await sandbox.close();
  }
}

export async function inventoryScaleFigures(ctx: BenchContext): Promise<boolean> {
  const cached = await cachedStartFigure();
  const big = await bigFigure(ctx);
  return cached && big;
}
