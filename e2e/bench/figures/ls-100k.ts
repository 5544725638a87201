// Figure `ls-100k`: the built `airlock ls --json` over a generated fleet of 100,000 instances in
// five regions (the sandbox in a child process), spawned as a user would run it: wall time to exit
// and the command's peak RSS, against `airlock ls --help` spawned the same way in the same run (the
// command's fixed start-up cost). Issue target: under 10 s and under 400 MB. Needs `npm run build`.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, nowMs, progress, round } from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import type { BenchContext } from './context';

const LS_INSTANCES = 100_000;
const TARGET_MS = 10_000;
const TARGET_RSS_MB = 400;

const cliEntry = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../out/cli/airlock.mjs',
);

/** Makes the spawned Node print its peak RSS (kB) as the last stderr line when it exits. */
const REPORT_MAX_RSS =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxRssKb="+process.resourceUsage().maxRSS+"\\n"))';

interface SpawnOutcome {
  ms: number;
  maxRssMb: number;
  lines: number;
  code: number | null;
  stderrTail: string;
}

/** Runs `node out/cli/airlock.mjs ARGS`, counting stdout lines without keeping them. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<SpawnOutcome> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, ['--import', REPORT_MAX_RSS, cliEntry, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) lines++;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = nowMs() - started;
      const kb = /maxRssKb=(\d+)/.exec(stderr)?.[1];
      resolve({
        ms,
        maxRssMb: kb === undefined ? Number.NaN : Number(kb) / 1024,
        lines,
        code,
        stderrTail: stderr.replace(/\nmaxRssKb=\d+\n$/, '').slice(-500),
      });
    });
  });
}

async function benchHome(sandbox: SandboxEndpoint): Promise<string> {
  const home = await mkdtemp(path.join(tmpdir(), 'airlock-bench-ls-'));
  await writeFile(
    path.join(home, 'config'),
    `[default]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`,
  );
  await writeFile(
    path.join(home, 'credentials'),
    `[default]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
  return home;
}

export async function lsFigure(ctx: BenchContext): Promise<boolean> {
  if (!existsSync(cliEntry)) {
    throw new Error('out/cli/airlock.mjs is missing: run `npm run build` first');
  }
  progress(`ls-100k: sandbox (child process) with ${LS_INSTANCES} generated instances`);
  const sandbox = await startBenchSandbox(
    { pacing: false, instances: LS_INSTANCES, seed: 11 },
    'process',
  );
  const home = await benchHome(sandbox);
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    };
    const baseline = await runCli(['ls', '--help'], env);
    const regionArgs = sandbox.regions.flatMap((region) => ['--region', region]);
    progress(`ls-100k: airlock ls --json over ${sandbox.regions.length} regions`);
    const run = await runCli(['ls', '--json', ...regionArgs], env);
    if (run.code !== 0 || run.lines !== LS_INSTANCES) {
      throw new Error(
        `airlock ls exited ${String(run.code)} with ${run.lines} of ${LS_INSTANCES} lines: ${run.stderrTail}`,
      );
    }
    const meetsTarget = run.ms < TARGET_MS && run.maxRssMb < TARGET_RSS_MB;
    emit({
      figure: 'ls-100k',
      instances: LS_INSTANCES,
      regions: sandbox.regions.length,
      ms: round(run.ms, 0),
      maxRssMb: round(run.maxRssMb, 1),
      rowsPerSec: Math.round(LS_INSTANCES / (run.ms / 1000)),
      baselineMs: round(baseline.ms, 0),
      baselineMaxRssMb: round(baseline.maxRssMb, 1),
      baselinePath: 'airlock ls --help, spawned the same way',
      path: 'node out/cli/airlock.mjs ls --json, stdout counted and discarded; sandbox in a child process',
      sandbox: 'process',
      scale: ctx.scale,
      target: `< ${TARGET_MS / 1000} s and < ${TARGET_RSS_MB} MB peak RSS`,
      meetsTarget,
    });
    return meetsTarget;
  } finally {
    await rm(home, { recursive: true, force: true });
    await sandbox.close();
  }
}
