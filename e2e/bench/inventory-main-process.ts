// Child-process entry for the inventory-100k figure: does what the app's main process does for the
// inventory, in a process of its own so its memory is main's alone (not the bench's, which holds
// other figures' leftovers): lists every source through the SDK clients, maps the rows to the IPC
// list and serializes it as IPC would. Prints one JSON line of figures, then writes the IPC list
// to the file named on the command line (what the renderer would receive) and exits.

import { readFile, writeFile } from 'node:fs/promises';
import { Inventory, type InventorySnapshot } from '../../electron/core/aws/inventory';
import { systemClock } from '../../electron/core/base/clock';
import { InventoryListMapper } from '../../electron/core/services/inventory-list';
import { collectGarbage } from './lib/gc';
import {
  benchSourceNaming,
  inventoryClientsFor,
  type InventoryEndpoint,
} from './lib/inventory-clients';

export interface MainProcessFigures {
  rows: number;
  failedSources: number;
  loadMs: number;
  baselineRssMb: number;
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  ipcBytes: number;
}

const MB = 1024 * 1024;

/** Peak resident memory of this process so far (VmHWM), in MB. */
async function peakRssMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/**
 * Maps the rows to the IPC list and sends it, as main answers inventory:list (here to a file); main
 * keeps the rows, not the list it sent. Returns its size.
 */
async function sendList(snapshot: InventorySnapshot, file: string): Promise<number> {
  const wire = JSON.stringify(new InventoryListMapper(benchSourceNaming).toList(snapshot));
  await writeFile(file, wire);
  return wire.length;
}

async function main(): Promise<void> {
  const endpoint = JSON.parse(process.argv[2] ?? '{}') as InventoryEndpoint;
  const listFile = process.argv[3];
  if (listFile === undefined)
    throw new Error('usage: inventory-main-process ENDPOINT-JSON LIST-FILE');
  const gc = collectGarbage();
  const aws = await inventoryClientsFor(endpoint);
  gc();
  const baselineRssMb = process.memoryUsage().rss / MB;
  const inventory = new Inventory({
    apiFor: (source) => aws.clients.inventoryApi(source),
    clock: systemClock,
    refreshIntervalMs: 0,
  });
  const started = performance.now();
  inventory.setSources(aws.sources);
  const snapshot = await inventory.load();
  const loadMs = performance.now() - started;
  const ipcBytes = await sendList(snapshot, listFile);
  gc();
  const figures: MainProcessFigures = {
    rows: snapshot.rows.length,
    failedSources: snapshot.sources.filter((s) => s.status.state !== 'ok').length,
    loadMs,
    baselineRssMb,
    rssMb: process.memoryUsage().rss / MB,
    peakRssMb: await peakRssMb(),
    heapUsedMb: process.memoryUsage().heapUsed / MB,
    ipcBytes,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  inventory.dispose();
  aws.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
