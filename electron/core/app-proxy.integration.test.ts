// The composed app (browser mode) behind an HTTPS proxy with a private CA: its inventory and a
// shell reach a Local sandbox that serves HTTPS/WSS under a name only the proxy resolves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryList } from '../../shared/ipc';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { startAppOnConfiguredAws, type AppHarness } from './testing/app-harness';
import { startTestProxy, type TestProxy } from './testing/connect-proxy';
import { createThrowawayPki, type ThrowawayPki } from './testing/throwaway-ca';

const SANDBOX_NAME = 'sandbox.airlock.test';

let pki: ThrowawayPki;
let proxy: TestProxy;
let sandbox: Sandbox;
let dir: string;
let harness: AppHarness;

beforeAll(async () => {
  pki = createThrowawayPki([SANDBOX_NAME]);
  [proxy, sandbox] = await Promise.all([
    startTestProxy({ hosts: { [SANDBOX_NAME]: '127.0.0.1' } }),
    startSandbox({ pacing: false, tls: { key: pki.key, cert: pki.cert, hostName: SANDBOX_NAME } }),
  ]);
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-app-proxy-'));
  harness = await startAppOnConfiguredAws({
    userDataDir: dir,
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
  });
});

afterAll(async () => {
  await harness?.dispose();
  await sandbox?.close();
  await proxy?.close();
  pki?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the app behind an HTTPS proxy', () => {
  it('lists the inventory and runs a shell through the proxy tunnels', async () => {
    const list = await harness.call<InventoryList>('inventory:list', {});
    expect(list.sources.every((source) => source.ok)).toBe(true);
    expect(list.instances.map((instance) => instance.name)).toContain('web-1');
    const tunnelsBefore = proxy.tunnels.length;
    expect(tunnelsBefore).toBeGreaterThan(0);
    expect(proxy.tunnels.every((target) => target === `${SANDBOX_NAME}:${sandbox.port}`)).toBe(
      true,
    );

    const { tabSessionId: id } = await harness.call<{ tabSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      cols: 80,
      rows: 24,
    });
    await harness.call('sessions:input', {
      id,
      data: new TextEncoder().encode('echo PROXIED_$((6*7))\r'),
    });
    await harness.until(() => harness.output().includes('PROXIED_42'));
    expect(proxy.tunnels.length).toBeGreaterThan(tunnelsBefore);
    await harness.call('sessions:close', { id });
  });
});
