// A profile's ca_bundle, with no AWS_CA_BUNDLE: the composed app (browser mode) trusts the private CA
// of a Local sandbox that serves HTTPS and WSS for that profile's API calls and for the data
// channel's WebSocket of a shell, while a profile without it is refused the same server.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryList } from '../../shared/ipc';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { startAppOnConfiguredAws, type AppHarness } from './testing/app-harness';
import { createThrowawayPki, type ThrowawayPki } from './testing/throwaway-ca';

let pki: ThrowawayPki;
let sandbox: Sandbox;
let dir: string;
let harness: AppHarness;

beforeAll(async () => {
  pki = createThrowawayPki([]);
  sandbox = await startSandbox({ pacing: false, tls: { key: pki.key, cert: pki.cert } });
  expect(sandbox.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:/);
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-ca-bundle-'));
  await mkdir(path.join(dir, '.aws'));
  const common = `region = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`;
  await writeFile(
    path.join(dir, '.aws', 'config'),
    `[default]\n${common}ca_bundle = ${pki.caFile}\n\n[profile untrusting]\n${common}`,
  );
  const keys = `aws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`;
  await writeFile(
    path.join(dir, '.aws', 'credentials'),
    `[default]\n${keys}\n[untrusting]\n${keys}`,
  );
  harness = await startAppOnConfiguredAws({
    userDataDir: path.join(dir, 'airlock-data'),
    // No AWS_CA_BUNDLE and no proxy: only the profile's ca_bundle can make the CA trusted.
    env: { HOME: dir, SHELL: '/bin/sh' },
  });
});

afterAll(async () => {
  await harness?.dispose();
  await sandbox?.close();
  pki?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a profile's ca_bundle", () => {
  it('is trusted by its API calls and by the WebSocket of its shell', async () => {
    const list = await harness.call<InventoryList>('inventory:list', {});
    expect(list.sources.map((source) => [source.profile, source.ok])).toEqual([['default', true]]);
    expect(list.instances.map((instance) => instance.name)).toContain('web-1');

    const { tabSessionId: id } = await harness.call<{ tabSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      cols: 80,
      rows: 24,
    });
    await harness.call('sessions:input', {
      id,
      data: new TextEncoder().encode('echo OVER_WSS_$((6*7))\r'),
    });
    await harness.until(() => harness.output().includes('OVER_WSS_42'));
    await harness.call('sessions:close', { id });
  });

  it('is not trusted for another profile of the same server', async () => {
    const refused = await harness.dispatch('sources:regions', { profile: 'untrusting' });
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).toMatch(/certificate/i);
  });
});
