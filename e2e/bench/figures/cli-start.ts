// Figure: how long the built `airlock` command takes to start and exit for `--version` and
// `plugin --version`, against `node -e 0` spawned the same way in the same run (issue target:
// p50 at most 1.5 times the baseline's). Needs `npm run build` (out/cli/airlock.mjs).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, nowMs, percentile, progress, round } from '../lib/report';
import { scaled, type BenchContext } from './context';

const START_TARGET_RATIO = 1.5;
const SPAWNS = 20;

const cliEntry = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../out/cli/airlock.mjs',
);

/** Milliseconds from spawn to exit of `node ARGS`, output read and thrown away. */
function timeSpawn(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(nowMs() - started);
      else reject(new Error(`node ${args.join(' ')} exited with ${String(code)}`));
    });
  });
}

/** p50 of `command` and of the baseline, spawned in turn so that drift hits both alike. */
async function pairedP50(
  command: readonly string[],
  baseline: readonly string[],
  spawns: number,
): Promise<{ p50Ms: number; baselineP50Ms: number }> {
  // One unmeasured run each: the first reads files the later runs find in the OS cache.
  await timeSpawn(command);
  await timeSpawn(baseline);
  const times: number[] = [];
  const baselineTimes: number[] = [];
  for (let run = 0; run < spawns; run++) {
    times.push(await timeSpawn(command));
    baselineTimes.push(await timeSpawn(baseline));
  }
  return { p50Ms: percentile(times, 50), baselineP50Ms: percentile(baselineTimes, 50) };
}

export async function cliStartFigures(ctx: BenchContext): Promise<void> {
  if (!existsSync(cliEntry)) {
    throw new Error('out/cli/airlock.mjs is missing: run `npm run build` first');
  }
  const spawns = scaled(ctx, SPAWNS, 5);
  const baseline = ['-e', '0'];
  for (const args of [['--version'], ['plugin', '--version']]) {
    progress(`cli-start: airlock ${args.join(' ')}, ${spawns} spawns`);
    const { p50Ms, baselineP50Ms } = await pairedP50([cliEntry, ...args], baseline, spawns);
    const ratio = p50Ms / baselineP50Ms;
    emit({
      figure: 'cli-start',
      command: `airlock ${args.join(' ')}`,
      p50Ms: round(p50Ms, 1),
      baselineP50Ms: round(baselineP50Ms, 1),
      ratio: round(ratio, 3),
      spawns,
      baselinePath: 'node -e 0, spawned the same way',
      target: `p50 <= ${START_TARGET_RATIO}x baseline`,
      meetsTarget: ratio <= START_TARGET_RATIO,
    });
  }
}
