// The composed app (browser mode) behind an HTTPS proxy with a private CA: its inventory and a
// shell reach a Local sandbox that serves HTTPS/WSS under a name only the proxy resolves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannelName, InventoryList } from '../../shared/ipc';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { createApp, type App } from './app';
import { systemClock } from './base/clock';
import { silentLogger } from './base/logger';
import type { IpcSender } from './ipc/router';
import { startTestProxy, type TestProxy } from './testing/connect-proxy';
import { createThrowawayPki, type ThrowawayPki } from './testing/throwaway-ca';

const SANDBOX_NAME = 'sandbox.airlock.test';
const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let pki: ThrowawayPki;
let proxy: TestProxy;
let sandbox: Sandbox;
let dir: string;
let app: App;
const output: string[] = [];
const waiters = new Set<() => void>();

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, trusted);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  pki = createThrowawayPki([SANDBOX_NAME]);
  [proxy, sandbox] = await Promise.all([
    startTestProxy({ hosts: { [SANDBOX_NAME]: '127.0.0.1' } }),
    startSandbox({ pacing: false, tls: { key: pki.key, cert: pki.cert, hostName: SANDBOX_NAME } }),
  ]);
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-app-proxy-'));
  app = await createApp({
    userDataDir: dir,
    mode: 'browser',
    env: {
      HOME: dir,
      SHELL: '/bin/sh',
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      HTTPS_PROXY: proxy.url,
      AWS_CA_BUNDLE: pki.caFile,
    },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: () => Promise.reject(new Error('the app must use the configured AWS endpoint')),
  });
  app.router.subscribe((channel: EventChannelName, payload: unknown) => {
    if (channel === 'sessions:output') {
      output.push(Buffer.from((payload as { data: Uint8Array }).data).toString('utf8'));
    }
    for (const check of [...waiters]) check();
  });
});

afterAll(async () => {
  await app?.dispose();
  await sandbox?.close();
  await proxy?.close();
  pki?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function until(predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate()) return;
      waiters.delete(check);
      resolve();
    };
    waiters.add(check);
    check();
  });
}

describe('the app behind an HTTPS proxy', () => {
  it('lists the inventory and runs a shell through the proxy tunnels', async () => {
    const list = await call<InventoryList>('inventory:list', {});
    expect(list.sources.every((source) => source.ok)).toBe(true);
    expect(list.instances.map((instance) => instance.name)).toContain('web-1');
    const tunnelsBefore = proxy.tunnels.length;
    expect(tunnelsBefore).toBeGreaterThan(0);
    expect(proxy.tunnels.every((target) => target === `${SANDBOX_NAME}:${sandbox.port}`)).toBe(
      true,
    );

    const { tabSessionId: id } = await call<{ tabSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      cols: 80,
      rows: 24,
    });
    await call('sessions:input', { id, data: new TextEncoder().encode('echo PROXIED_$((6*7))\r') });
    await until(() => output.join('').includes('PROXIED_42'));
    expect(proxy.tunnels.length).toBeGreaterThan(tunnelsBefore);
    await call('sessions:close', { id });
  });
});
