// Figures 1 (and the paced anchor): port-forward upload and download MB/s through the forward
// manager and the engine's multiplexed port session, against raw loopback TCP in the same run.

import { ForwardManager, type ForwardInfo } from '../../../electron/core/forwarding/manager';
import { BenchClient, WEB_INSTANCE } from '../lib/client';
import { Sink, Source, download, upload, type TransferResult } from '../lib/net';
import { MB, PAYLOAD_BYTES, emit, mbPerSec, progress, round, withCpu } from '../lib/report';
import { startBenchSandbox } from '../lib/sandbox-host';
import { scaled, type BenchContext } from './context';

const TARGET_MB_PER_SEC = 30;

export type Direction = 'upload' | 'download';

function verify(result: TransferResult, connections: number, bytesPerConnection: number): void {
  const wrong = result.counts.filter((count) => count !== bytesPerConnection);
  if (result.counts.length !== connections || wrong.length > 0) {
    throw new Error(
      `byte counts do not match: expected ${connections} x ${bytesPerConnection}, got [${result.counts.join(', ')}]`,
    );
  }
}

export async function addForward(
  manager: ForwardManager,
  id: string,
  port: number,
  region: string,
) {
  manager.add({
    id,
    name: `bench ${id}`,
    region,
    target: WEB_INSTANCE,
    remote: { kind: 'instance-port', port },
  });
  const info: ForwardInfo = await manager.start(id);
  if (info.localPort === undefined || info.state.status === 'error') {
    throw new Error(`forward ${id} did not start: ${JSON.stringify(info.state)}`);
  }
  return info.localPort;
}

export async function transfer(
  direction: Direction,
  port: number,
  ends: { sink: Sink; source: Source },
  connections: number,
  bytesPerConnection: number,
): Promise<TransferResult> {
  const result =
    direction === 'upload'
      ? await upload(port, ends.sink, connections, bytesPerConnection)
      : await download(port, ends.source, connections, bytesPerConnection);
  verify(result, connections, bytesPerConnection);
  return result;
}

export async function portForwardFigures(ctx: BenchContext): Promise<void> {
  const sandbox = await startBenchSandbox({ pacing: false }, ctx.placement);
  const client = new BenchClient(sandbox);
  const manager = new ForwardManager({ starter: client.starter() });
  const ends = { sink: await new Sink().start(), source: await new Source().start() };
  try {
    const forwardPorts: Record<Direction, number> = {
      upload: await addForward(manager, 'upload', ends.sink.port, sandbox.region),
      download: await addForward(manager, 'download', ends.source.port, sandbox.region),
    };
    // Warm both paths (JIT, socket buffers, the session's first stream) before measuring.
    await transfer('upload', forwardPorts.upload, ends, 1, MB);
    await transfer('download', forwardPorts.download, ends, 1, MB);

    for (const connections of [1, 8]) {
      for (const direction of ['upload', 'download'] as const) {
        const perConnection = Math.floor(scaled(ctx, 32 * MB, MB) / connections);
        const baselinePerConnection = perConnection * 4;
        const direct = direction === 'upload' ? ends.sink.port : ends.source.port;
        progress(`port-forward ${direction} x${connections}: raw TCP baseline`);
        const baseline = await transfer(
          direction,
          direct,
          ends,
          connections,
          baselinePerConnection,
        );
        progress(
          `port-forward ${direction} x${connections}: ${(perConnection * connections) / MB} MB through the forward`,
        );
        const { value: through, cpuMs } = await withCpu(() =>
          transfer(direction, forwardPorts[direction], ends, connections, perConnection),
        );
        const rate = mbPerSec(through.bytes, through.ms);
        const baselineRate = mbPerSec(baseline.bytes, baseline.ms);
        const targeted = connections === 1;
        emit({
          figure: `port-forward-${direction}`,
          connections,
          mbPerSec: round(rate),
          baselineMbPerSec: round(baselineRate),
          ratio: round(rate / baselineRate, 4),
          bytes: through.bytes,
          baselineBytes: baseline.bytes,
          ms: round(through.ms, 1),
          cpuMsPerMb: round(cpuMs / (through.bytes / MB), 1),
          payloadBytes: PAYLOAD_BYTES,
          pacing: false,
          path: 'forward-manager+engine (mux)',
          sandbox: ctx.placement,
          verified: true,
          ...(targeted && {
            target: `>=${TARGET_MB_PER_SEC} MB/s`,
            meetsTarget: rate >= TARGET_MB_PER_SEC,
          }),
        });
      }
    }
  } finally {
    await manager.dispose();
    await client.close();
    await Promise.all([ends.sink.close(), ends.source.close()]);
    await sandbox.close();
  }
}

/** The agent's 1 KiB / 1 ms pacing switched ON: what the official agent would allow (datachannel/README.md §11). */
export async function pacedDownloadFigure(ctx: BenchContext): Promise<void> {
  const sandbox = await startBenchSandbox({ pacing: true }, ctx.placement);
  const client = new BenchClient(sandbox);
  const manager = new ForwardManager({ starter: client.starter() });
  const ends = { sink: await new Sink().start(), source: await new Source().start() };
  try {
    const port = await addForward(manager, 'paced', ends.source.port, sandbox.region);
    const bytes = scaled(ctx, 2 * MB, 256 * 1024);
    progress(`port-forward download with agent pacing ON: ${bytes / MB} MB`);
    const through = await transfer('download', port, ends, 1, bytes);
    const baseline = await transfer('download', ends.source.port, ends, 1, bytes * 16);
    const rate = mbPerSec(through.bytes, through.ms);
    const baselineRate = mbPerSec(baseline.bytes, baseline.ms);
    emit({
      figure: 'port-forward-download-paced',
      connections: 1,
      mbPerSec: round(rate),
      baselineMbPerSec: round(baselineRate),
      ratio: round(rate / baselineRate, 4),
      bytes: through.bytes,
      baselineBytes: baseline.bytes,
      ms: round(through.ms, 1),
      payloadBytes: PAYLOAD_BYTES,
      pacing: true,
      path: 'forward-manager+engine (mux)',
      sandbox: ctx.placement,
      verified: true,
      reference: 'official agent paced: ~0.75 MB/s (datachannel/README.md §11)',
    });
  } finally {
    await manager.dispose();
    await client.close();
    await Promise.all([ends.sink.close(), ends.source.close()]);
    await sandbox.close();
  }
}
