// Figure `soak`: 20 shells printing and 20 forwards echoing for N minutes while the sandbox drops,
// duplicates and reorders frames and cuts sockets. Every byte is checked end to end with SHA-256,
// and this process's RSS and open file descriptors are sampled after warm-up, midway and at the end.

import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { ForwardManager } from '../../../electron/core/forwarding/manager';
import type { SandboxFaults } from '../../../electron/emulator/faults';
import { toErrorMessage } from '../../../electron/core/base/errors';
import { BenchClient, WEB_INSTANCE, type OpenShell } from '../lib/client';
import { closeServer, dial, startEchoServer } from '../lib/net';
import { MB, emit, nowMs, progress, round } from '../lib/report';
import { startBenchSandbox } from '../lib/sandbox-host';
import type { BenchContext } from './context';
import { collectGarbage } from '../lib/gc';

export const DEFAULT_SOAK_MINUTES = 10;
const SHELLS = 20;
const FORWARDS = 20;
/** Growth allowed between the first sample (after warm-up) and the last. */
const MAX_GROWTH = 0.1;
/** Bytes per echoed block; each is hashed on both sides of the forward. */
const BLOCK_BYTES = 64 * 1024;
/** A forward's connection is replaced after this many blocks, so connections churn too. */
const BLOCKS_PER_CONNECTION = 16;
/** Lines of `seq` per shell round: about 19 KB of output. */
const SEQ_LINES = 4000;
/** Nothing may take this long, faults and all; a round that does counts as lost. */
const ROUND_TIMEOUT_MS = 60_000;

const FAULTS: SandboxFaults = {
  drop: 0.01,
  duplicate: 0.01,
  reorder: 0.02,
  direction: 'both',
  seed: 7,
};
const CUT_EVERY_MS = 2000;

interface Sample {
  atSeconds: number;
  rssMb: number;
  fds: number;
}

interface Tally {
  forwardBytes: number;
  shellBytes: number;
  blocks: number;
  rounds: number;
  /** Blocks or rounds whose bytes did not match (lost, duplicated or corrupted). */
  mismatched: number;
  /** Blocks or rounds that never completed. */
  stalled: number;
  errors: string[];
}

function openFileDescriptors(): number {
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return readdirSync(dir).length;
    } catch {
      // Not this platform's folder; try the next.
    }
  }
  return Number.NaN;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out`)), ROUND_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Reads exactly `length` bytes from a socket, keeping any surplus for the next read. */
class ExactReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: { length: number; resolve: (bytes: Buffer) => void } | undefined;
  private failure: Error | undefined;
  private rejecter: ((error: Error) => void) | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.settle();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.rejecter?.(this.failure);
    };
    socket.once('close', () => fail(new Error('connection closed')));
    socket.once('error', fail);
  }

  read(length: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiter = { length, resolve };
      this.rejecter = reject;
      this.settle();
      if (this.waiter && this.failure) reject(this.failure);
    });
  }

  get surplus(): number {
    return this.buffered;
  }

  private settle(): void {
    const waiter = this.waiter;
    if (!waiter || this.buffered < waiter.length) return;
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > waiter.length ? [all.subarray(waiter.length)] : [];
    this.buffered = all.length - waiter.length;
    this.waiter = undefined;
    this.rejecter = undefined;
    waiter.resolve(all.subarray(0, waiter.length));
  }
}

/** Echoes random blocks through one forward until `until`, replacing its connection now and then. */
async function forwardWorker(localPort: number, until: number, tally: Tally): Promise<void> {
  while (nowMs() < until) {
    const socket = await dial(localPort);
    const reader = new ExactReader(socket);
    try {
      for (let i = 0; i < BLOCKS_PER_CONNECTION && nowMs() < until; i++) {
        const block = randomBytes(BLOCK_BYTES);
        socket.write(block);
        let back: Buffer;
        try {
          back = await withTimeout(reader.read(block.length), 'forward block');
        } catch (error) {
          tally.stalled++;
          tally.errors.push(`forward: ${toErrorMessage(error)}`);
          return;
        }
        if (sha256(back) !== sha256(block)) tally.mismatched++;
        tally.forwardBytes += block.length;
        tally.blocks++;
      }
      // Nothing beyond what was sent may come back (a duplicate would).
      if (reader.surplus > 0) tally.mismatched++;
    } finally {
      socket.destroy();
    }
  }
}

/** What `seq 1 n` prints through a terminal (ONLCR: every line ends in CR LF). */
function expectedSeq(lines: number): string {
  let text = '';
  for (let i = 1; i <= lines; i++) text += `${i}\r\n`;
  return text;
}

// The markers are assembled by the shell, so the echo of the typed command never contains them.
const START = 'SOAK-START\r\n';
const END = 'SOAK-END';
const COMMAND = `printf '%s%s\\n' SOAK- START; seq 1 ${SEQ_LINES}; printf '%s%s\\n' SOAK- END\r`;

/** Runs the printing command round after round in one shell and checks each round's bytes. */
async function shellWorker(open: OpenShell, until: number, tally: Tally): Promise<void> {
  const expected = sha256(Buffer.from(expectedSeq(SEQ_LINES)));
  let output = '';
  let notify: (() => void) | undefined;
  const subscription = open.shell.onOutput((bytes) => {
    output += Buffer.from(bytes).toString('latin1');
    notify?.();
  });
  try {
    while (nowMs() < until) {
      output = '';
      const done = new Promise<void>((resolve) => {
        notify = () => {
          const start = output.indexOf(START);
          if (start >= 0 && output.indexOf(END, start + START.length) >= 0) resolve();
        };
      });
      open.shell.write(Buffer.from(COMMAND));
      try {
        await withTimeout(done, 'shell round');
      } catch (error) {
        tally.stalled++;
        tally.errors.push(`shell: ${toErrorMessage(error)}`);
        return;
      }
      const start = output.indexOf(START) + START.length;
      const body = output.slice(start, output.indexOf(END, start));
      if (sha256(Buffer.from(body, 'latin1')) !== expected) tally.mismatched++;
      tally.shellBytes += body.length;
      tally.rounds++;
    }
  } finally {
    notify = undefined;
    subscription.dispose();
  }
}

/** Prints the figure; false when the run missed its target (the line says how). */
export async function soakFigure(ctx: BenchContext, minutes: number): Promise<boolean> {
  const durationMs = minutes * 60_000;
  // Warm-up: a quarter of the run, at most two minutes; memory is measured from its end. The last
  // sample is taken just before the deadline, while every worker is still busy.
  const warmUpMs = Math.min(120_000, durationMs / 4);
  const lastSampleMs = durationMs - Math.min(2000, durationMs / 20);
  const gc = collectGarbage();
  // The sandbox runs in a child process so the figures count the client alone.
  const sandbox = await startBenchSandbox(
    { pacing: false, faults: FAULTS, cutEveryMs: CUT_EVERY_MS },
    'process',
  );
  const client = new BenchClient(sandbox);
  const manager = new ForwardManager({ starter: client.starter() });
  const echo = await startEchoServer();
  const tally: Tally = {
    forwardBytes: 0,
    shellBytes: 0,
    blocks: 0,
    rounds: 0,
    mismatched: 0,
    stalled: 0,
    errors: [],
  };
  const samples: Sample[] = [];
  const started = nowMs();
  const take = (): void => {
    gc();
    gc();
    const sample = {
      atSeconds: round((nowMs() - started) / 1000, 1),
      rssMb: round(process.memoryUsage().rss / MB, 1),
      fds: openFileDescriptors(),
    };
    samples.push(sample);
    progress(`soak: ${sample.atSeconds} s, RSS ${sample.rssMb} MB, ${sample.fds} fds`);
  };
  try {
    progress(`soak: ${minutes} min, ${SHELLS} shells, ${FORWARDS} forwards, faults on`);
    const ports: number[] = [];
    for (let i = 0; i < FORWARDS; i++) {
      const id = `soak-${i}`;
      manager.add({
        id,
        name: `soak ${i}`,
        region: sandbox.region,
        target: WEB_INSTANCE,
        remote: { kind: 'instance-port', port: echo.port },
      });
      const info = await manager.start(id);
      if (info.localPort === undefined) throw new Error(`forward ${id} did not start`);
      ports.push(info.localPort);
    }
    const shells = await Promise.all(
      Array.from({ length: SHELLS }, () => client.startShell(WEB_INSTANCE)),
    );
    // Evidence the cuts happened: every socket the sandbox drops makes a session resume.
    let shellResumes = 0;
    for (const open of shells) {
      open.session.onStatus((status) => {
        if (status.state === 'reconnecting') shellResumes++;
      });
    }
    const until = started + durationMs;
    const workers = [
      ...ports.map((port) => forwardWorker(port, until, tally)),
      ...shells.map((open) => shellWorker(open, until, tally)),
    ];
    const sampling = (async () => {
      const at = [warmUpMs, (warmUpMs + lastSampleMs) / 2, lastSampleMs];
      for (const offset of at) {
        await new Promise((resolve) => setTimeout(resolve, started + offset - nowMs()));
        take();
      }
    })();
    await Promise.all([...workers, sampling]);

    const [first, middle, last] = samples;
    if (!first || !middle || !last) throw new Error('soak: missing memory samples');
    const rssGrowth = (last.rssMb - first.rssMb) / first.rssMb;
    const fdGrowth = (last.fds - first.fds) / first.fds;
    const dataIntact = tally.mismatched === 0 && tally.stalled === 0;
    const meetsTarget = dataIntact && rssGrowth < MAX_GROWTH && fdGrowth < MAX_GROWTH;
    emit({
      figure: 'soak',
      minutes,
      shells: SHELLS,
      forwards: FORWARDS,
      faults: { ...FAULTS, cutEveryMs: CUT_EVERY_MS },
      verifiedMb: round((tally.forwardBytes + tally.shellBytes) / MB, 1),
      forwardBlocks: tally.blocks,
      shellRounds: tally.rounds,
      shellResumes,
      mismatched: tally.mismatched,
      stalled: tally.stalled,
      errors: tally.errors.slice(0, 5),
      rssMb: { start: first.rssMb, middle: middle.rssMb, end: last.rssMb },
      fds: { start: first.fds, middle: middle.fds, end: last.fds },
      sampledAtSeconds: samples.map((s) => s.atSeconds),
      rssGrowthPct: round(rssGrowth * 100, 1),
      fdGrowthPct: round(fdGrowth * 100, 1),
      target: 'RSS and fds grow < 10 % after warm-up; every byte verified, none lost or duplicated',
      meetsTarget,
      sandbox: 'process',
      scale: ctx.scale,
    });
    return meetsTarget;
  } finally {
    await manager.dispose();
    await client.close();
    await closeServer(echo.server);
    await sandbox.close();
  }
}
