// `npm run bench`: measures Airlock against the Local sandbox on loopback and prints one JSON line
// per figure on stdout (progress on stderr). See README.md in this folder for what each means.

import { inventoryFigures } from './figures/inventory';
import { memoryFigure } from './figures/memory';
import { pacedDownloadFigure, portForwardFigures } from './figures/port-forward';
import { pacedShellFigure, shellFigures } from './figures/shell';
import type { BenchContext } from './figures/context';
import { emit, nowMs, progress } from './lib/report';
import type { SandboxPlacement } from './lib/sandbox-host';
import { toErrorMessage } from '../../electron/core/base/errors';

interface Group {
  name: string;
  /** Figures this group prints, for the error line when it fails. */
  figures: string[];
  run: (ctx: BenchContext) => Promise<void>;
}

/** Memory first: later groups leave garbage and grown heaps behind that would blur it. */
const GROUPS: Group[] = [
  { name: 'memory', figures: ['memory'], run: memoryFigure },
  {
    name: 'port-forward',
    figures: ['port-forward-upload', 'port-forward-download'],
    run: portForwardFigures,
  },
  {
    name: 'paced',
    figures: ['port-forward-download-paced', 'shell-output-paced'],
    run: async (ctx) => {
      await pacedDownloadFigure(ctx);
      await pacedShellFigure(ctx);
    },
  },
  {
    name: 'shell',
    figures: ['shell-output', 'keystroke-echo', 'start-to-first-byte'],
    run: shellFigures,
  },
  { name: 'inventory', figures: ['inventory-load', 'inventory-filter'], run: inventoryFigures },
];

/** A group that takes longer than this is reported as failed, so the bench always ends. */
const GROUP_TIMEOUT_MS = 180_000;

function readScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new Error(`BENCH_SCALE must be a number above 0 and at most 100, got "${raw}"`);
  }
  return scale;
}

function readPlacement(): SandboxPlacement {
  const raw = process.env.BENCH_SANDBOX ?? 'process';
  if (raw !== 'inprocess' && raw !== 'process') {
    throw new Error(`BENCH_SANDBOX must be "inprocess" or "process", got "${raw}"`);
  }
  return raw;
}

function readSelection(): Set<string> | undefined {
  const raw = process.env.BENCH_ONLY;
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = new Set(raw.split(',').map((name) => name.trim()));
  const unknown = [...names].filter((name) => !GROUPS.some((group) => group.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names unknown groups: ${unknown.join(', ')} (known: ${GROUPS.map((g) => g.name).join(', ')})`,
    );
  }
  return names;
}

function withTimeout(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const ctx: BenchContext = { scale: readScale(), placement: readPlacement() };
  const selection = readSelection();
  const started = nowMs();
  let failures = 0;
  progress(`scale ${ctx.scale}, sandbox ${ctx.placement}`);
  for (const group of GROUPS) {
    if (selection && !selection.has(group.name)) continue;
    const groupStarted = nowMs();
    try {
      await withTimeout(group.run(ctx), GROUP_TIMEOUT_MS, group.name);
    } catch (error) {
      failures++;
      const message = toErrorMessage(error);
      progress(`${group.name} failed: ${message}`);
      for (const figure of group.figures) emit({ figure, error: message });
    }
    progress(`${group.name} done in ${((nowMs() - groupStarted) / 1000).toFixed(1)} s`);
  }
  progress(`all done in ${((nowMs() - started) / 1000).toFixed(1)} s`);
  return failures > 0 ? 1 : 0;
}

// A stray socket error in one figure must be visible, not kill the whole run silently.
process.on('unhandledRejection', (reason) => {
  progress(`unhandled rejection: ${toErrorMessage(reason)}`);
});

main().then(
  // SDK keep-alive agents and pty handles may linger; the figures are printed, so leave now.
  (code) => process.exit(code),
  (error: unknown) => {
    progress(toErrorMessage(error));
    process.exit(2);
  },
);
