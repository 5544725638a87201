// Figure: CPU used by the app's main process (the core that Electron's main and browser mode run)
// while 20 shell tabs sit idle, against the same process with no tab open, both measured over the
// same window in this run. Issue target: about 0 %. The sandbox runs in a child process, so only
// the client is counted; no renderer is attached (an idle renderer receives nothing).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../../electron/core/app';
import { systemClock } from '../../../electron/core/base/clock';
import { silentLogger } from '../../../electron/core/base/logger';
import type { IpcSender } from '../../../electron/core/ipc/router';
import type { SessionsStartResponse } from '../../../shared/ipc';
import { WEB_INSTANCE } from '../lib/client';
import { emit, progress, round } from '../lib/report';
import { startBenchSandbox } from '../lib/sandbox-host';
import { scaled, type BenchContext } from './context';

const TABS = 20;
const WINDOW_MS = 10_000;
/** After the tabs' prompts arrived, before measuring: late resizes, acks and the first pings. */
const SETTLE_MS = 2_000;
/** "About 0 %": at most this share of one core. */
const TARGET_PERCENT = 0.5;
const ui: IpcSender = { id: 'bench-ui', description: 'bench' };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CPU time of this process over `ms` of wall time, as a percentage of one core. */
async function cpuPercentOver(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
}

async function openIdleTabs(app: App, tabs: number): Promise<void> {
  const prompted = new Set<string>();
  let wake: (() => void) | undefined;
  app.router.subscribe((channel, payload) => {
    if (channel !== 'sessions:output') return;
    prompted.add((payload as { id: string }).id);
    wake?.();
  });
  const ids: string[] = [];
  for (let i = 0; i < tabs; i++) {
    const result = await app.router.dispatch(
      {
        channel: 'sessions:start',
        payload: { instanceId: WEB_INSTANCE, cols: 120, rows: 40 },
        sender: ui,
      },
      () => true,
    );
    if (!result.ok) throw new Error(`sessions:start: ${result.error.message}`);
    ids.push((result.value as SessionsStartResponse).tabSessionId);
  }
  while (!ids.every((id) => prompted.has(id))) {
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

export async function idleFigure(ctx: BenchContext): Promise<void> {
  const windowMs = scaled(ctx, WINDOW_MS, 2_000);
  const sandbox = await startBenchSandbox({ pacing: false }, 'process');
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-bench-idle-'));
  let app: App | undefined;
  try {
    app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
      clock: systemClock,
      logger: silentLogger,
      startSandbox: () =>
        Promise.resolve({
          endpoint: sandbox.endpoint,
          region: sandbox.region,
          regions: sandbox.regions,
          accessKeyId: sandbox.credentials.accessKeyId,
          secretAccessKey: sandbox.credentials.secretAccessKey,
          close: () => Promise.resolve(),
        }),
    });
    await sleep(SETTLE_MS);
    progress(`idle-cpu: the app with no tab, ${windowMs / 1000} s`);
    const baseline = await cpuPercentOver(windowMs);
    progress(`idle-cpu: opening ${TABS} shell tabs`);
    await openIdleTabs(app, TABS);
    await sleep(SETTLE_MS);
    progress(`idle-cpu: ${TABS} idle tabs, ${windowMs / 1000} s`);
    const percent = await cpuPercentOver(windowMs);
    emit({
      figure: 'idle-cpu',
      cpuPercent: round(percent, 3),
      baselineCpuPercent: round(baseline, 3),
      tabs: TABS,
      windowMs,
      path: `the app core (main) with ${TABS} idle sandbox shell tabs, no renderer attached`,
      baselinePath: 'the same process before any tab was opened',
      sandbox: 'process',
      target: `<= ${TARGET_PERCENT} % of one core`,
      meetsTarget: percent <= TARGET_PERCENT,
    });
  } finally {
    await app?.dispose();
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
