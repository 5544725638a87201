// Figures 2-4: shell output MB/s (vs the same command's output over raw loopback TCP), keystroke
// echo round trip (vs a raw WebSocket echo) and StartSession-to-first-byte, through the engine.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { spawn as spawnPty } from 'node-pty';
import type { ShellSession } from '../../../electron/core/sessions/shell-session';
import { BenchClient, WEB_INSTANCE } from '../lib/client';
import { closeServer, dial, listen } from '../lib/net';
import {
  MB,
  PAYLOAD_BYTES,
  emit,
  mbPerSec,
  nowMs,
  progress,
  round,
  summarize,
  withCpu,
} from '../lib/report';
import { startBenchSandbox, type SandboxEndpoint } from '../lib/sandbox-host';
import { startWsEchoServer, wsConnectFirstEcho, wsEchoRoundTrips } from '../lib/ws-baseline';
import { scaled, type BenchContext } from './context';

const SHELL_TARGET_MB_PER_SEC = 30;
const ECHO_TARGET_P50_MS = 5;
/** Printed by `echo BENCH_$((40+2))_DONE`; the command line itself never contains it. */
export const MARKER = 'BENCH_42_DONE';
const MARKER_COMMAND = 'echo BENCH_$((40+2))_DONE';

/** Counts bytes until `marker` shows up, looking across chunk boundaries. */
export class MarkerCounter {
  bytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private resolve: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(private readonly marker: string) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  push(chunk: Uint8Array): void {
    if (!this.resolve) return;
    this.bytes += chunk.length;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    // Native search over the chunk, plus the seam with the previous chunk's tail.
    const seam = Buffer.concat([this.tail, buffer.subarray(0, this.marker.length)]);
    if (buffer.includes(this.marker) || seam.includes(this.marker)) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve();
      return;
    }
    this.tail = Buffer.from(buffer.subarray(Math.max(0, buffer.length - this.marker.length)));
  }
}

export function floodCommand(bytes: number): string {
  return `head -c ${bytes} /dev/zero | tr '\\0' x; ${MARKER_COMMAND}`;
}

/** Waits until the shell printed `marker` after `command` was typed. */
export async function runUntil(
  shell: ShellSession,
  command: string,
  marker: string,
): Promise<number> {
  const counter = new MarkerCounter(marker);
  const subscription = shell.onOutput((bytes) => counter.push(bytes));
  try {
    shell.write(Buffer.from(`${command}\r`));
    await counter.done;
    return counter.bytes;
  } finally {
    subscription.dispose();
  }
}

/** The same flood written by `sh` straight into a loopback TCP socket, counted until the marker. */
async function rawTcpFlood(bytes: number): Promise<{ ms: number; received: number }> {
  const counter = new MarkerCounter(MARKER);
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => counter.push(chunk));
  });
  const port = await listen(server);
  const started = nowMs();
  const socket: Socket = await dial(port);
  const child = spawn('/bin/sh', ['-c', floodCommand(bytes)], {
    stdio: ['ignore', socket, 'inherit'],
  });
  const exited = once(child, 'exit');
  await counter.done;
  const ms = nowMs() - started;
  await exited;
  socket.destroy();
  for (const peer of accepted) peer.destroy();
  await closeServer(server);
  return { ms, received: counter.bytes };
}

/**
 * The same flood read from a local pty with node-pty: the ceiling the sandbox agent works under.
 * The shell lingers after the marker because a pty whose child exited may drop its last output.
 */
async function ptyFlood(bytes: number): Promise<{ ms: number; received: number }> {
  const counter = new MarkerCounter(MARKER);
  const started = nowMs();
  const pty = spawnPty('/bin/sh', ['-c', `${floodCommand(bytes)}; exec sleep 60`], {
    name: 'xterm-256color',
    cols: 80,
    rows: 24,
    encoding: null,
  });
  const data = pty.onData((chunk: string | Buffer) =>
    counter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
  );
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
  const early = exited.then(() => {
    throw new Error('the local pty exited before printing the marker');
  });
  try {
    await Promise.race([counter.done, early]);
    return { ms: nowMs() - started, received: counter.bytes };
  } finally {
    early.catch(() => undefined);
    data.dispose();
    pty.kill();
  }
}

async function shellOutputFigure(
  ctx: BenchContext,
  client: BenchClient,
  pacing: boolean,
): Promise<void> {
  // The paced agent sends about 1 KiB per millisecond: a smaller flood says as much.
  const bytes = pacing ? scaled(ctx, 4 * MB, MB) : scaled(ctx, 50 * MB, MB);
  const figure = pacing ? 'shell-output-paced' : 'shell-output';
  const { session, shell } = await client.startShell();
  try {
    // Warm-up: the first command also settles the prompt.
    await runUntil(shell, floodCommand(MB), MARKER);
    progress(`${figure}: ${bytes / MB} MB through the terminal`);
    const started = nowMs();
    const { value: received, cpuMs } = await withCpu(() =>
      runUntil(shell, floodCommand(bytes), MARKER),
    );
    const ms = nowMs() - started;
    progress(`${figure}: raw TCP baseline`);
    const baseline = await rawTcpFlood(bytes);
    progress(`${figure}: local pty baseline`);
    const pty = await ptyFlood(bytes);
    if (received < bytes || baseline.received < bytes || pty.received < bytes) {
      throw new Error(
        `shell output short: got ${received}, ${baseline.received}, ${pty.received} of ${bytes}`,
      );
    }
    const rate = mbPerSec(bytes, ms);
    const baselineRate = mbPerSec(bytes, baseline.ms);
    emit({
      figure,
      mbPerSec: round(rate),
      baselineMbPerSec: round(baselineRate),
      ratio: round(rate / baselineRate, 4),
      ptyBaselineMbPerSec: round(mbPerSec(bytes, pty.ms)),
      bytes,
      bytesReceived: received,
      ms: round(ms, 1),
      cpuMsPerMb: round(cpuMs / (bytes / MB), 1),
      payloadBytes: PAYLOAD_BYTES,
      pacing,
      path: 'engine shell (pty) until marker',
      baselinePath: 'same command, stdout into a loopback TCP socket',
      ptyBaselinePath: 'same command in a local node-pty, no engine',
      sandbox: ctx.placement,
      ...(pacing
        ? { reference: 'official agent paced: ~0.75 MB/s (datachannel/README.md §11)' }
        : {
            target: `>=${SHELL_TARGET_MB_PER_SEC} MB/s`,
            meetsTarget: rate >= SHELL_TARGET_MB_PER_SEC,
          }),
    });
  } finally {
    await session.terminate(1000);
  }
}

/** Sends one byte at a time to `cat` in a raw-mode pty and waits for it to come back. */
async function echoRoundTrips(shell: ShellSession, count: number, warmup: number) {
  let waiting: { byte: number; resolve: () => void } | undefined;
  const subscription = shell.onOutput((bytes) => {
    if (waiting && bytes.includes(waiting.byte)) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve();
    }
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + count; i++) {
      const byte = 0x61 + (i % 26);
      const back = new Promise<void>((resolve) => {
        waiting = { byte, resolve };
      });
      const started = nowMs();
      shell.write(Uint8Array.of(byte));
      await back;
      if (i >= warmup) samples.push(nowMs() - started);
    }
  } finally {
    subscription.dispose();
  }
  return samples;
}

async function echoFigure(ctx: BenchContext, client: BenchClient, wsUrl: string): Promise<void> {
  const count = scaled(ctx, 300, 20);
  const warmup = 20;
  const { session, shell } = await client.startShell();
  try {
    // Raw mode without echo: every byte typed comes back exactly once, from cat.
    await runUntil(shell, 'stty raw -echo; echo READY_$((1+1)); exec cat', 'READY_2');
    progress(`keystroke-echo: ${count} round trips`);
    const samples = await echoRoundTrips(shell, count, warmup);
    const baseline = await wsEchoRoundTrips(wsUrl, count, warmup);
    const summary = summarize(samples);
    const base = summarize(baseline);
    emit({
      figure: 'keystroke-echo',
      ...summary,
      baselineP50Ms: base.p50Ms,
      baselineP99Ms: base.p99Ms,
      path: 'engine shell, 1 byte to cat in a raw pty',
      baselinePath: 'raw loopback WebSocket 1-byte echo',
      sandbox: ctx.placement,
      target: `p50 <${ECHO_TARGET_P50_MS} ms`,
      meetsTarget: summary.p50Ms < ECHO_TARGET_P50_MS,
    });
  } finally {
    await session.terminate(1000);
  }
}

/** StartSession API call to the first shell output byte, one fresh session per sample. */
async function firstByteFigure(
  ctx: BenchContext,
  client: BenchClient,
  wsUrl: string,
): Promise<void> {
  const count = Math.min(40, scaled(ctx, 10, 3));
  const total: number[] = [];
  const api: number[] = [];
  const open: number[] = [];
  progress(`start-to-first-byte: ${count} sessions`);
  for (let i = 0; i < count + 1; i++) {
    const started = nowMs();
    const response = await client.ssm.startSession({ target: WEB_INSTANCE });
    const apiMs = nowMs() - started;
    const session = client.open(response, WEB_INSTANCE);
    let openMs = Number.NaN;
    session.onStatus((status) => {
      if (status.state === 'open' && Number.isNaN(openMs)) openMs = nowMs() - started;
    });
    const firstByte = new Promise<number>((resolve, reject) => {
      session.onReady((ready) => {
        if (ready.kind !== 'shell') return reject(new Error('expected a shell'));
        const subscription = ready.shell.onOutput(() => {
          resolve(nowMs() - started);
          queueMicrotask(() => subscription.dispose());
        });
      });
      session
        .whenFinished()
        .then(
          (status) => reject(new Error(`session ended before output: ${JSON.stringify(status)}`)),
          reject,
        );
    });
    const ms = await firstByte;
    // The first session pays for connection setup and JIT: not a sample.
    if (i > 0) {
      total.push(ms);
      api.push(apiMs);
      open.push(openMs);
    }
    await session.terminate(1000);
  }
  const baseline = await wsConnectFirstEcho(wsUrl, count);
  const summary = summarize(total);
  emit({
    figure: 'start-to-first-byte',
    ...summary,
    startSessionApiP50Ms: summarize(api).p50Ms,
    dataChannelOpenP50Ms: summarize(open).p50Ms,
    baselineP50Ms: summarize(baseline).p50Ms,
    path: 'StartSession API + WebSocket open + agent starts the shell, to its first output byte',
    baselinePath: 'raw loopback WebSocket connect + 1-byte echo',
    sandbox: ctx.placement,
    reference: 'official plugin ~16 ms (datachannel/README.md §11)',
  });
}

export async function shellFigures(ctx: BenchContext): Promise<void> {
  const sandbox: SandboxEndpoint = await startBenchSandbox({ pacing: false }, ctx.placement);
  const client = new BenchClient(sandbox);
  const ws = await startWsEchoServer();
  try {
    await shellOutputFigure(ctx, client, false);
    await echoFigure(ctx, client, ws.url);
    await firstByteFigure(ctx, client, ws.url);
  } finally {
    await ws.close();
    await client.close();
    await sandbox.close();
  }
}

/** Shell output with the agent's 1 KiB / 1 ms pacing ON, as the official agent sends it. */
export async function pacedShellFigure(ctx: BenchContext): Promise<void> {
  const sandbox: SandboxEndpoint = await startBenchSandbox({ pacing: true }, ctx.placement);
  const client = new BenchClient(sandbox);
  try {
    await shellOutputFigure(ctx, client, true);
  } finally {
    await client.close();
    await sandbox.close();
  }
}
