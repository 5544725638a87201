// `npm run bench`: measures Airlock against the Local sandbox on loopback and prints one JSON line
// per figure on stdout (progress on stderr). See README.md in this folder for what each means.

import { cliStartFigures } from './figures/cli-start';
import { idleFigure } from './figures/idle';
import { inventoryFigures } from './figures/inventory';
import { inventoryScaleFigures } from './figures/inventory-scale';
import { lsFigure } from './figures/ls-100k';
import { memoryFigure } from './figures/memory';
import { pluginFigures } from './figures/plugin';
import { rendererFigures } from './figures/renderer';
import { pacedDownloadFigure, portForwardFigures } from './figures/port-forward';
import { pacedShellFigure, shellFigures } from './figures/shell';
import { DEFAULT_SOAK_MINUTES, soakFigure } from './figures/soak';
import type { BenchContext } from './figures/context';
import { emit, nowMs, progress } from './lib/report';
import type { SandboxPlacement } from './lib/sandbox-host';
import { toErrorMessage } from '../../electron/core/base/errors';
import { parseArgs } from 'node:util';

interface RunOptions {
  soakMinutes: number;
}

interface Group {
  name: string;
  /** Figures this group prints, for the error line when it fails. */
  figures: string[];
  /** Resolves false when the group printed its figures but missed a target it must meet. */
  run: (ctx: BenchContext, options: RunOptions) => Promise<void | boolean>;
  /** Default GROUP_TIMEOUT_MS. */
  timeoutMs?: (options: RunOptions) => number;
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
  { name: 'cli-start', figures: ['cli-start'], run: cliStartFigures },
  {
    name: 'plugin',
    figures: ['plugin-first-output', 'plugin-shell-output', 'plugin-rss'],
    run: pluginFigures,
  },
  { name: 'idle', figures: ['idle-cpu'], run: idleFigure },
  // Twenty app tabs opened one by one and filled take minutes on a busy machine.
  {
    name: 'renderer',
    figures: ['renderer-output'],
    run: rendererFigures,
    timeoutMs: () => 600_000,
  },
  {
    name: 'inventory-scale',
    figures: ['inventory-cached-start', 'inventory-100k'],
    run: inventoryScaleFigures,
    timeoutMs: () => 900_000,
  },
  { name: 'ls-100k', figures: ['ls-100k'], run: lsFigure, timeoutMs: () => 600_000 },
  {
    name: 'soak',
    figures: ['soak'],
    run: (ctx, options) => soakFigure(ctx, options.soakMinutes),
    // Start-up and shutdown of 40 sessions under faults on top of the soak itself.
    timeoutMs: (options) => options.soakMinutes * 60_000 + 300_000,
  },
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

/** Command line: `--only a,b` (overrides BENCH_ONLY) and `--soak-minutes N`. */
function readArgs(): { only: string | undefined; soakMinutes: number } {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'soak-minutes': { type: 'string', default: String(DEFAULT_SOAK_MINUTES) },
    },
    strict: true,
  });
  const soakMinutes = Number(values['soak-minutes']);
  if (!Number.isFinite(soakMinutes) || soakMinutes <= 0 || soakMinutes > 24 * 60) {
    throw new Error(
      `--soak-minutes must be above 0 and at most 1440, got "${values['soak-minutes']}"`,
    );
  }
  return { only: values.only, soakMinutes };
}

function readSelection(only: string | undefined): Set<string> | undefined {
  const raw = only ?? process.env.BENCH_ONLY;
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = new Set(raw.split(',').map((name) => name.trim()));
  const unknown = [...names].filter((name) => !GROUPS.some((group) => group.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `--only / BENCH_ONLY names unknown groups: ${unknown.join(', ')} (known: ${GROUPS.map((g) => g.name).join(', ')})`,
    );
  }
  return names;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const args = readArgs();
  const options: RunOptions = { soakMinutes: args.soakMinutes };
  const ctx: BenchContext = { scale: readScale(), placement: readPlacement() };
  const selection = readSelection(args.only);
  const started = nowMs();
  let failures = 0;
  progress(`scale ${ctx.scale}, sandbox ${ctx.placement}`);
  for (const group of GROUPS) {
    if (selection && !selection.has(group.name)) continue;
    const groupStarted = nowMs();
    try {
      const timeoutMs = group.timeoutMs?.(options) ?? GROUP_TIMEOUT_MS;
      const met = await withTimeout(group.run(ctx, options), timeoutMs, group.name);
      if (met === false) {
        failures++;
        progress(`${group.name} missed its target`);
      }
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
