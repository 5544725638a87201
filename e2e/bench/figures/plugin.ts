// Figures for `airlock plugin` as the AWS CLI runs it, in a pty read by this process: time to the
// first remote byte (vs `node -e 0` spawned the same way), shell-output MB/s of a flood (vs the
// same flood into an in-process engine client that discards it) and the plugin's peak RSS during
// that flood. Needs `npm run build` (out/cli/airlock.mjs). The sandbox agent's pacing is off and
// its first read is not delayed.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { BenchClient, WEB_INSTANCE } from '../lib/client';
import { MB, emit, mbPerSec, nowMs, percentile, progress, round } from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import { MARKER, MarkerCounter, floodCommand, runUntil } from './shell';
import { scaled, type BenchContext } from './context';

const FIRST_OUTPUT_TARGET_RATIO = 3;
const SHELL_OUTPUT_TARGET_RATIO = 0.7;
const RSS_TARGET_MB = 80;
/** Runs of each (plugin, baseline), interleaved: this machine's speed drifts within seconds. */
const FIRST_OUTPUT_RUNS = 20;
/** Flood pairs (plugin, then engine), each pair a ratio; the figure is their median. */
const SHELL_OUTPUT_PAIRS = 5;
/** RSS is sampled this often while the flood runs, besides the kernel's own peak (VmHWM). */
const RSS_SAMPLE_MS = 50;

const cliEntry = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../out/cli/airlock.mjs',
);

/** A pty running `node ARGS`, its output collected as bytes. */
class PtyRun {
  readonly pty: IPty;
  readonly started = nowMs();
  private chunks: Buffer[] = [];
  private watcher: ((chunk: Buffer) => void) | undefined;
  readonly exited: Promise<number>;

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    this.pty = spawnPty(process.execPath, [...args], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      encoding: null,
      env: { ...process.env, ...env },
    });
    this.pty.onData((chunk: string | Buffer) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (this.watcher) this.watcher(bytes);
      else this.chunks.push(bytes);
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  /** Resolves when `test` holds for the collected output (checked on every chunk). */
  until(test: (text: string) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (test(this.text())) return resolve();
      const sub = this.pty.onData(() => {
        if (!test(this.text())) return;
        sub.dispose();
        resolve();
      });
      void this.exited.then(() => {
        sub.dispose();
        reject(new Error(`exited before ${what}: ${JSON.stringify(this.text().slice(-300))}`));
      });
    });
  }

  /** From now on chunks go to `watcher` instead of being kept. */
  stream(watcher: (chunk: Buffer) => void): void {
    this.chunks = [];
    this.watcher = watcher;
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // Already gone.
    }
  }
}

/** `airlock plugin` with a fresh StartSession response for a sandbox shell. */
async function startPlugin(client: BenchClient, sandbox: SandboxEndpoint) {
  const params = { Target: WEB_INSTANCE };
  const started = await client.ssm.startSession({ target: WEB_INSTANCE });
  const response = JSON.stringify({
    SessionId: started.sessionId,
    TokenValue: started.tokenValue,
    StreamUrl: started.streamUrl,
  });
  const run = new PtyRun(
    [
      cliEntry,
      'plugin',
      response,
      sandbox.region,
      'StartSession',
      '',
      JSON.stringify(params),
      sandbox.endpoint,
    ],
    {
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
    },
  );
  return { run, sessionId: started.sessionId };
}

/** The first remote byte: anything after the plugin's own "Starting session" line. */
function hasRemoteOutput(sessionId: string): (text: string) => boolean {
  const line = `Starting session with SessionId: ${sessionId}`;
  return (text) => {
    const at = text.indexOf(line);
    if (at < 0) return false;
    // The pty turns the line's \n into \r\n.
    const rest = text.slice(at + line.length).replace(/^\r?\n/, '');
    return rest.length > 0;
  };
}

async function endPlugin(run: PtyRun): Promise<void> {
  run.pty.write('exit\r');
  const timer = setTimeout(() => run.kill(), 3000);
  await run.exited;
  clearTimeout(timer);
}

async function timeNodeBaseline(): Promise<number> {
  const run = new PtyRun(['-e', '0']);
  await run.exited;
  return nowMs() - run.started;
}

async function firstOutputFigure(
  ctx: BenchContext,
  client: BenchClient,
  sandbox: SandboxEndpoint,
): Promise<void> {
  const runs = scaled(ctx, FIRST_OUTPUT_RUNS, 3);
  const times: number[] = [];
  const baselineTimes: number[] = [];
  // One unmeasured run each: the first reads files the later ones find in the OS cache.
  for (let i = -1; i < runs; i++) {
    const { run, sessionId } = await startPlugin(client, sandbox);
    await run.until(hasRemoteOutput(sessionId), 'the first remote byte');
    const ms = nowMs() - run.started;
    await endPlugin(run);
    const baselineMs = await timeNodeBaseline();
    if (i < 0) continue;
    times.push(ms);
    baselineTimes.push(baselineMs);
  }
  const p50 = percentile(times, 50);
  const baselineP50 = percentile(baselineTimes, 50);
  const ratio = p50 / baselineP50;
  emit({
    figure: 'plugin-first-output',
    p50Ms: round(p50, 1),
    maxMs: round(Math.max(...times), 1),
    baselineP50Ms: round(baselineP50, 1),
    ratio: round(ratio, 3),
    runs,
    path: 'spawn of `airlock plugin` in a pty to the first remote byte on it (StartSession done before)',
    baselinePath: '`node -e 0` spawned in a pty the same way, to its exit',
    pacing: false,
    sandbox: ctx.placement,
    target: `p50 <= ${FIRST_OUTPUT_TARGET_RATIO}x baseline`,
    meetsTarget: ratio <= FIRST_OUTPUT_TARGET_RATIO,
  });
}

/** Resident set of `pid` from /proc: now and the peak so far (VmHWM), in bytes. */
function readRss(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = (field: string): number =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

/** The flood through `airlock plugin` into its pty, read here, with its RSS watched. */
async function pluginFlood(client: BenchClient, sandbox: SandboxEndpoint, bytes: number) {
  const { run, sessionId } = await startPlugin(client, sandbox);
  try {
    await run.until(hasRemoteOutput(sessionId), 'the prompt');
    // Warm-up, which also settles the prompt.
    await floodThrough(run, MB);
    let sampledPeak = 0;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, readRss(run.pty.pid)?.rss ?? 0);
    }, RSS_SAMPLE_MS);
    const started = nowMs();
    const received = await floodThrough(run, bytes);
    const ms = nowMs() - started;
    clearInterval(sampler);
    const peak = Math.max(sampledPeak, readRss(run.pty.pid)?.peak ?? 0);
    return { ms, received, peakRss: peak };
  } finally {
    await endPlugin(run);
  }
}

async function floodThrough(run: PtyRun, bytes: number): Promise<number> {
  const counter = new MarkerCounter(MARKER);
  run.stream((chunk) => counter.push(chunk));
  run.pty.write(`${floodCommand(bytes)}\r`);
  const early = run.exited.then(() => {
    throw new Error('airlock plugin exited during the flood');
  });
  try {
    await Promise.race([counter.done, early]);
  } finally {
    early.catch(() => undefined);
  }
  return counter.bytes;
}

/** The same flood into an engine client in this process that only counts it. */
async function engineFlood(client: BenchClient, bytes: number) {
  const { session, shell } = await client.startShell();
  try {
    await runUntil(shell, floodCommand(MB), MARKER);
    const started = nowMs();
    const received = await runUntil(shell, floodCommand(bytes), MARKER);
    return { ms: nowMs() - started, received };
  } finally {
    await session.terminate(1000);
  }
}

async function shellOutputFigures(
  ctx: BenchContext,
  client: BenchClient,
  sandbox: SandboxEndpoint,
): Promise<void> {
  const bytes = scaled(ctx, 50 * MB, MB);
  const pairs = scaled(ctx, SHELL_OUTPUT_PAIRS, 1);
  const rates: { plugin: number; engine: number; ratio: number }[] = [];
  let peakRss = 0;
  // Each pair runs back to back, so a slow spell of the machine weighs on both of its floods.
  for (let pair = 1; pair <= pairs; pair++) {
    progress(`plugin-shell-output ${pair}/${pairs}: ${bytes / MB} MB through airlock plugin`);
    const plugin = await pluginFlood(client, sandbox, bytes);
    progress(`plugin-shell-output ${pair}/${pairs}: the same into an in-process engine client`);
    const engine = await engineFlood(client, bytes);
    if (plugin.received < bytes || engine.received < bytes) {
      throw new Error(`flood short: got ${plugin.received} and ${engine.received} of ${bytes}`);
    }
    const rate = mbPerSec(bytes, plugin.ms);
    const baselineRate = mbPerSec(bytes, engine.ms);
    rates.push({ plugin: rate, engine: baselineRate, ratio: rate / baselineRate });
    peakRss = Math.max(peakRss, plugin.peakRss);
  }
  const ratio = percentile(
    rates.map((r) => r.ratio),
    50,
  );
  const median = rates.find((r) => r.ratio === ratio) ?? rates[0];
  emit({
    figure: 'plugin-shell-output',
    mbPerSec: round(median?.plugin ?? 0),
    baselineMbPerSec: round(median?.engine ?? 0),
    ratio: round(ratio, 3),
    pairRatios: rates.map((r) => round(r.ratio, 3)),
    bytes,
    path: '`airlock plugin` shell session, its pty read by the bench until a marker',
    baselinePath: 'the same flood into an in-process engine client that discards it',
    statistic: `median over ${pairs} pairs (plugin flood, then baseline flood)`,
    pacing: false,
    sandbox: ctx.placement,
    target: `>= ${SHELL_OUTPUT_TARGET_RATIO * 100} % of baseline`,
    meetsTarget: ratio >= SHELL_OUTPUT_TARGET_RATIO,
  });
  const peakMb = peakRss / MB;
  emit({
    figure: 'plugin-rss',
    peakRssMb: round(peakMb, 1),
    bytes,
    path: 'peak RSS (VmHWM, and sampled VmRSS) of `airlock plugin` during the floods above, the highest of them',
    target: `<= ${RSS_TARGET_MB} MB`,
    meetsTarget: peakMb <= RSS_TARGET_MB,
  });
}

export async function pluginFigures(ctx: BenchContext): Promise<void> {
  if (!existsSync(cliEntry)) {
    throw new Error('out/cli/airlock.mjs is missing: run `npm run build` first');
  }
  const sandbox = await startBenchSandbox({ pacing: false }, ctx.placement);
  const client = new BenchClient(sandbox);
  try {
    await firstOutputFigure(ctx, client, sandbox);
    await shellOutputFigures(ctx, client, sandbox);
  } finally {
    await client.close();
    await sandbox.close();
  }
}
