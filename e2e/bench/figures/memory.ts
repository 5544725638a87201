// Figure 6: memory of the client process with 20 forwards (each with a live connection) and 20
// shell sessions open. The sandbox runs in a child process so only the client is measured.

import type { Socket } from 'node:net';
import { ForwardManager } from '../../../electron/core/forwarding/manager';
import { collectGarbage } from '../lib/gc';
import { BenchClient, WEB_INSTANCE, type OpenShell } from '../lib/client';
import { closeServer, dial, readBytes, startEchoServer } from '../lib/net';
import { MB, emit, progress, round } from '../lib/report';
import { startBenchSandbox } from '../lib/sandbox-host';
import type { BenchContext } from './context';

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
}

function sample(gc: () => void): Sample {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
}

const mb = (bytes: number): number => round(bytes / MB, 1);

function itemCount(): number {
  const parsed = Number(process.env.BENCH_MEMORY_ITEMS ?? 20);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 20;
}

/**
 * Resolves once the shell printed anything (its prompt). Output that arrived earlier is replayed
 * synchronously inside onOutput, before its disposer exists, hence the microtask.
 */
function firstOutput(open: OpenShell): Promise<void> {
  return new Promise((resolve) => {
    const subscription = open.shell.onOutput(() => {
      resolve();
      queueMicrotask(() => subscription.dispose());
    });
  });
}

export async function memoryFigure(ctx: BenchContext): Promise<void> {
  const items = itemCount();
  const gc = collectGarbage();
  const sandbox = await startBenchSandbox({ pacing: false }, 'process');
  const client = new BenchClient(sandbox);
  const manager = new ForwardManager({ starter: client.starter() });
  const echo = await startEchoServer();
  const sockets: Socket[] = [];
  try {
    // Load the SDK and engine code paths once so the baseline is not mostly module code.
    const warm = await client.startShell(WEB_INSTANCE);
    await firstOutput(warm);
    await warm.session.terminate(1000);
    const base = sample(gc);

    progress(`memory: ${items} forwards, each with one open connection`);
    for (let i = 0; i < items; i++) {
      const id = `mem-${i}`;
      manager.add({
        id,
        name: `memory ${i}`,
        region: sandbox.region,
        target: WEB_INSTANCE,
        remote: { kind: 'instance-port', port: echo.port },
      });
      const info = await manager.start(id);
      if (info.localPort === undefined) throw new Error(`forward ${id} did not start`);
      const socket = await dial(info.localPort);
      sockets.push(socket);
      const back = readBytes(socket, 1024);
      socket.write(Buffer.alloc(1024, 1));
      await back;
    }
    const withForwards = sample(gc);

    progress(`memory: ${items} shell sessions`);
    const shells: OpenShell[] = [];
    for (let i = 0; i < items; i++) {
      const open = await client.startShell(WEB_INSTANCE);
      await firstOutput(open);
      shells.push(open);
    }
    const withShells = sample(gc);

    emit({
      figure: 'memory',
      forwards: items,
      terminals: items,
      rssMb: mb(withShells.rss),
      heapUsedMb: mb(withShells.heapUsed),
      externalMb: mb(withShells.external),
      baselineRssMb: mb(base.rss),
      baselineHeapUsedMb: mb(base.heapUsed),
      perForwardRssMb: round((withForwards.rss - base.rss) / items / MB, 3),
      perForwardHeapMb: round((withForwards.heapUsed - base.heapUsed) / items / MB, 3),
      perTerminalRssMb: round((withShells.rss - withForwards.rss) / items / MB, 3),
      perTerminalHeapMb: round((withShells.heapUsed - withForwards.heapUsed) / items / MB, 3),
      path: 'client engine + forward manager in this process (no Electron, no renderer); sandbox in a child process',
      sandbox: 'process',
      scale: ctx.scale,
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    await manager.dispose();
    await client.close();
    await closeServer(echo.server);
    await sandbox.close();
  }
}
