// Figure 5: time to a full inventory of a generated fleet over five regions (SDK clients over
// loopback HTTP with SigV4, paginated), and search latency per keystroke with the shared grammar.

import { Inventory, type InventoryRow } from '../../../electron/core/aws/inventory';
import { systemClock } from '../../../electron/core/base/clock';
import { RowSearch } from '../../../shared/domain/search-index';
import { inventoryClientsFor } from '../lib/inventory-clients';
import { emit, nowMs, progress, round, summarize } from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import { scaled, type BenchContext } from './context';

const FILTER_TARGET_MS = 16;

/** What a user might type, one character at a time, over the generated fleet. */
const QUERIES = [
  'web-prod',
  'tag:Env=prod',
  'tag:Team=payments status:online',
  'region:eu platform:linux',
  '10.1',
  'worker -tag:Env=dev',
  'i-0a',
];

function instanceCount(): number {
  const raw = process.env.BENCH_INSTANCES;
  const parsed = raw === undefined ? 10_000 : Number(raw);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 10_000;
}

async function loadInventory(sandbox: SandboxEndpoint) {
  const aws = await inventoryClientsFor(sandbox);
  const { clients, sources } = aws;
  const inventory = new Inventory({
    apiFor: (source) => clients.inventoryApi(source),
    clock: systemClock,
    refreshIntervalMs: 0,
  });
  inventory.setSources(sources);
  return {
    inventory,
    sources: sources.length,
    dispose() {
      inventory.dispose();
      aws.dispose();
    },
  };
}

/** Loads the whole inventory (and refreshes it once), prints inventory-load, returns the rows. */
async function loadFigure(ctx: BenchContext, instances: number): Promise<readonly InventoryRow[]> {
  progress(`inventory: sandbox with ${instances} generated instances`);
  const sandbox = await startBenchSandbox({ pacing: false, instances, seed: 7 }, ctx.placement);
  try {
    const loaded = await loadInventory(sandbox);
    try {
      const started = nowMs();
      const snapshot = await loaded.inventory.load();
      const loadMs = nowMs() - started;
      const refreshStarted = nowMs();
      await loaded.inventory.refresh();
      const refreshMs = nowMs() - refreshStarted;
      const failed = snapshot.sources.filter((s) => s.status.state !== 'ok');
      if (failed.length > 0 || snapshot.rows.length !== instances) {
        throw new Error(
          `inventory incomplete: ${snapshot.rows.length} of ${instances} rows, ${failed.length} failed sources`,
        );
      }
      emit({
        figure: 'inventory-load',
        instances,
        regions: loaded.sources,
        ms: round(loadMs, 1),
        refreshMs: round(refreshMs, 1),
        rowsPerSec: Math.round(instances / (loadMs / 1000)),
        path: 'Inventory.load(): DescribeInstanceInformation pages + DescribeInstances batches, 4 sources at a time',
        sandbox: ctx.placement,
      });
      return snapshot.rows;
    } finally {
      loaded.dispose();
    }
  } finally {
    await sandbox.close();
  }
}

export async function inventoryFigures(ctx: BenchContext): Promise<void> {
  const rows = await loadFigure(ctx, instanceCount());
  // Rows are prepared once when an inventory arrives, before anyone types.
  const prepareStarted = nowMs();
  const search = new RowSearch(rows, (row) => row);
  const prepareMs = nowMs() - prepareStarted;
  const rounds = scaled(ctx, 3, 1);
  const samples: number[] = [];
  const matches: Record<string, number> = {};
  // Round 0 is typed once unmeasured: a user's session has long warmed up the search code.
  for (let round_ = -1; round_ < rounds; round_++) {
    for (const query of QUERIES) {
      for (let length = 1; length <= query.length; length++) {
        const started = nowMs();
        const shown = search.search(query.slice(0, length)).matches;
        if (round_ >= 0) samples.push(nowMs() - started);
        if (length === query.length) matches[query] = shown.length;
      }
    }
  }
  const summary = summarize(samples);
  emit({
    figure: 'inventory-filter',
    rows: rows.length,
    ...summary,
    prepareMs: round(prepareMs, 2),
    queries: QUERIES.length,
    matches,
    path: "RowSearch.search(prefix) per keystroke (the inventory view's search)",
    target: `<${FILTER_TARGET_MS} ms per keystroke (p99)`,
    meetsTarget: summary.p99Ms < FILTER_TARGET_MS,
  });
}
