// file-transfer figures: MB/s of an upload (pty receiver) and a download (command output) of one
// file through core/files, SHA-256 checked, against a port forward's throughput in the same run,
// with the agent's pacing off and then on.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandSessionOpener, downloadFiles, uploadFiles } from '../../../electron/core/files';
import { ForwardManager } from '../../../electron/core/forwarding/manager';
import { BenchClient, WEB_INSTANCE } from '../lib/client';
import { Sink, Source } from '../lib/net';
import { MB, emit, mbPerSec, nowMs, progress, round } from '../lib/report';
import { startBenchSandbox } from '../lib/sandbox-host';
import { scaled, type BenchContext } from './context';
import { addForward, transfer, type Direction } from './port-forward';

const TARGET_MB_PER_SEC = 10;

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function run(ctx: BenchContext, pacing: boolean, bytes: number): Promise<void> {
  const sandbox = await startBenchSandbox({ pacing }, ctx.placement);
  const client = new BenchClient(sandbox);
  const manager = new ForwardManager({ starter: client.starter() });
  const ends = { sink: await new Sink().start(), source: await new Source().start() };
  const work = await mkdtemp(path.join(tmpdir(), 'airlock-bench-files-'));
  try {
    const ports: Record<Direction, number> = {
      upload: await addForward(manager, 'upload', ends.sink.port, sandbox.region),
      download: await addForward(manager, 'download', ends.source.port, sandbox.region),
    };
    const data = randomBytes(bytes);
    await writeFile(path.join(work, 'local.bin'), data);
    const options = {
      open: commandSessionOpener({
        apis: { ssm: client.ssm, kms: client.kms },
        target: WEB_INSTANCE,
      }),
      recursive: false,
      overwrite: 'always' as const,
    };
    const suffix = pacing ? '-paced' : '';
    for (const direction of ['upload', 'download'] as const) {
      progress(
        `file-transfer${suffix} ${direction}: ${bytes / MB} MB through a forward (baseline)`,
      );
      const forward = await transfer(direction, ports[direction], ends, 1, bytes);
      progress(`file-transfer${suffix} ${direction}: ${bytes / MB} MB as a file`);
      const started = nowMs();
      if (direction === 'upload')
        await uploadFiles(path.join(work, 'local.bin'), path.join(work, 'remote.bin'), options);
      else await downloadFiles(path.join(work, 'remote.bin'), path.join(work, 'back.bin'), options);
      const ms = nowMs() - started;
      const written = await readFile(
        path.join(work, direction === 'upload' ? 'remote.bin' : 'back.bin'),
      );
      if (sha256(written) !== sha256(data))
        throw new Error(`file-transfer ${direction}: SHA-256 differs`);
      const rate = mbPerSec(bytes, ms);
      const baseline = mbPerSec(forward.bytes, forward.ms);
      emit({
        figure: `file-transfer-${direction}${suffix}`,
        mbPerSec: round(rate),
        baselineMbPerSec: round(baseline),
        ratio: round(rate / baseline, 4),
        bytes,
        ms: round(ms, 1),
        pacing,
        path: direction === 'upload' ? 'pty receiver, base64 lines' : 'command output, base64',
        baseline: 'port forward, same direction, same run',
        sandbox: ctx.placement,
        verified: true,
        ...(!pacing && {
          target: `>=${TARGET_MB_PER_SEC} MB/s`,
          meetsTarget: rate >= TARGET_MB_PER_SEC,
        }),
      });
    }
  } finally {
    await manager.dispose();
    await client.close();
    await Promise.all([ends.sink.close(), ends.source.close()]);
    await sandbox.close();
    await rm(work, { recursive: true, force: true });
  }
}

export async function fileTransferFigures(ctx: BenchContext): Promise<void> {
  await run(ctx, false, scaled(ctx, 32 * MB, MB));
  await run(ctx, true, scaled(ctx, 2 * MB, MB / 4));
}
