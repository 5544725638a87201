// Remote Desktop through the composed app against the Local sandbox: its Windows instance's port
// 3389 (the sandbox's stand-in listener) is forwarded to an automatic local port, the .rdp file
// names that address, and bytes reach the listener and come back.
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryList, RdpOpenResponse } from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { builtInSandboxOf } from '../../emulator/starter';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import { createApp, type App } from '../app';
import type { IpcSender } from '../ipc/router';

const ui: IpcSender = { id: 'ui-1', description: 'test' };

let dir: string;
let sandbox: Sandbox | undefined;
const apps: App[] = [];
const launched: { file: string; args: readonly string[] }[] = [];

async function startApp(platform: string, env: Record<string, string>): Promise<App> {
  const app = await createApp({
    userDataDir: path.join(dir, platform),
    mode: 'browser',
    platform,
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh', ...env },
    clock: systemClock,
    logger: silentLogger,
    launchProgram: (file, args) => launched.push({ file, args }),
    startSandbox: async ({ clock, logger }) => {
      sandbox = await startSandbox({ clock, logger, pacing: false });
      return builtInSandboxOf(sandbox);
    },
  });
  apps.push(app);
  return app;
}

async function value<T>(app: App, channel: string, payload: unknown): Promise<T> {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, () => true);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function windowsTarget(app: App) {
  const list = await value<InventoryList>(app, 'inventory:list', {});
  const instance = list.instances.find((i) => i.instanceId === DEFAULT_INSTANCES.windows);
  if (!instance) throw new Error('the sandbox lists no Windows instance');
  expect(instance.platform).toBe('Windows');
  return { instanceId: instance.instanceId, sourceId: instance.sourceId, region: instance.region };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-rdp-int-'));
});

afterAll(async () => {
  for (const app of apps) await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Remote Desktop', () => {
  it('forwards port 3389 of the Windows instance and opens an .rdp file naming the address', async () => {
    const app = await startApp('darwin', {});
    const answer = await value<RdpOpenResponse>(app, 'rdp:open', await windowsTarget(app));
    expect(answer).toMatchObject({
      outcome: 'launched',
      program: 'open',
      username: 'Administrator',
    });
    const match = /^127\.0\.0\.1:(\d+)$/.exec(answer.address);
    const port = Number(match?.[1]);
    expect(port).toBeGreaterThan(0);

    const launch = launched.at(-1);
    expect(launch?.file).toBe('open');
    const rdpFile = launch?.args.at(-1) ?? '';
    expect(rdpFile.endsWith('.rdp')).toBe(true);
    const content = await readFile(rdpFile, 'utf8');
    expect(content).toContain(`full address:s:127.0.0.1:${port}\r\n`);
    expect(content).toContain('username:s:Administrator\r\n');

    // The forward carries bytes to the stand-in listener (which echoes them).
    const rdp = sandbox?.rdp;
    if (!rdp) throw new Error('no sandbox');
    const before = rdp.bytesReceived();
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    const arrived = once(rdp.events, 'data');
    const echoed = once(socket, 'data');
    // An X.224 Connection Request's first bytes (TPKT version 3).
    socket.write(Buffer.from('0300002b26e00000000000', 'hex'));
    const [atListener] = (await arrived) as [Buffer];
    expect(atListener.subarray(0, 2)).toEqual(Buffer.from([3, 0]));
    const [back] = (await echoed) as [Buffer];
    expect(back.subarray(0, 2)).toEqual(Buffer.from([3, 0]));
    expect(rdp.bytesReceived()).toBeGreaterThan(before);
    socket.destroy();

    // A second click reuses the running forward.
    const again = await value<RdpOpenResponse>(app, 'rdp:open', await windowsTarget(app));
    expect(again.forwardId).toBe(answer.forwardId);
    expect(again.address).toBe(answer.address);
    await app.dispose();
  });

  it('without an RDP client on Linux, answers with the address to use', async () => {
    const app = await startApp('linux', { PATH: path.join(dir, 'empty-bin') });
    const count = launched.length;
    const answer = await value<RdpOpenResponse>(app, 'rdp:open', await windowsTarget(app));
    expect(answer.outcome).toBe('address');
    expect(answer.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(launched).toHaveLength(count);
  });

  it('refuses a Linux instance', async () => {
    const app = apps.at(-1);
    if (!app) throw new Error('no app');
    const list = await value<InventoryList>(app, 'inventory:list', {});
    const linux = list.instances.find((i) => i.instanceId === DEFAULT_INSTANCES.web);
    const result = await app.router.dispatch(
      {
        channel: 'rdp:open',
        payload: {
          instanceId: linux?.instanceId,
          sourceId: linux?.sourceId,
          region: linux?.region,
        },
        sender: ui,
      },
      () => true,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/Windows instances/);
  });
});
