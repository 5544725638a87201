// The composed app against the real in-process Local sandbox: inventory, a live shell, errors, teardown.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instance, InventoryList } from '../../shared/ipc';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import type { Sandbox } from '../emulator/sandbox';
import type { App } from './app';
import { startAppOnLocalSandbox } from './testing/app-harness';
import { dispatchAs, RouterEvents } from './testing/router-events';

let dir: string;
let app: App;
let sandbox: Sandbox | undefined;
const log = new RouterEvents();
const { events } = log;
const waitFor = <T>(find: () => T | undefined) => log.waitFor(find);
const outputText = (id: string) => log.outputText(id);
const statusOf = (id: string, status: string) => log.statusOf(id, status);
const call = (channel: string, payload: unknown) => dispatchAs(app, channel, payload);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-app-int-'));
  app = await startAppOnLocalSandbox({
    userDataDir: dir,
    started: (started) => (sandbox = started),
  });
  log.watch(app.router);
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('app with the Local sandbox', () => {
  it('lists the sandbox fleet across regions with EC2 names, tags and reachability', async () => {
    const result = await call('inventory:list', {});
    expect(result.ok).toBe(true);
    const list = (result as { value: InventoryList }).value;
    const byId = new Map<string, Instance>(list.instances.map((i) => [i.instanceId, i]));
    expect(list.sources.every((s) => s.ok)).toBe(true);
    expect(new Set(list.instances.map((i) => i.region)).size).toBeGreaterThan(1);
    expect(byId.get(DEFAULT_INSTANCES.web)).toMatchObject({
      name: 'web-1',
      sourceLabel: 'Local sandbox',
      pingStatus: 'Online',
      reachability: { canStartSession: true, muxPortForwarding: true },
    });
    expect(byId.get(DEFAULT_INSTANCES.web)?.tags).toContainEqual({ key: 'Env', value: 'dev' });
    expect(byId.get(DEFAULT_INSTANCES.offline)?.reachability.reason).toMatch(
      /^Offline since .*ConnectionLost/,
    );
    expect(byId.get(DEFAULT_INSTANCES.legacy)?.reachability.muxPortForwarding).toBe(false);
    expect(byId.get(DEFAULT_INSTANCES.onPrem)?.instanceId).toBe(DEFAULT_INSTANCES.onPrem);
  });

  it('opens a shell, echoes input, resizes, and ends the remote session on close', async () => {
    const started = await call('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      cols: 100,
      rows: 30,
    });
    expect(started.ok).toBe(true);
    const { tabSessionId: id, awsSessionId } = (
      started as { value: { tabSessionId: string; awsSessionId: string } }
    ).value;
    await waitFor(statusOf(id, 'open'));
    const typed = await call('sessions:input', {
      id,
      data: new TextEncoder().encode('echo AIRLOCK_$((6*7)); stty size\r'),
    });
    expect(typed).toEqual({ ok: true, value: {} });
    await waitFor(() => (outputText(id).includes('AIRLOCK_42') ? true : undefined));
    await waitFor(() => (/30 100/.test(outputText(id)) ? true : undefined));
    expect(await call('sessions:resize', { id, cols: 120, rows: 40 })).toEqual({
      ok: true,
      value: {},
    });
    await call('sessions:input', { id, data: new TextEncoder().encode('stty size\r') });
    await waitFor(() => (/40 120/.test(outputText(id)) ? true : undefined));
    expect(await call('sessions:ack', { id, bytes: outputText(id).length })).toEqual({
      ok: true,
      value: {},
    });
    expect(
      events.filter((e) => e.channel.startsWith('sessions:')).every((e) => e.target === 'ui-1'),
    ).toBe(true);

    expect(await call('sessions:close', { id })).toEqual({ ok: true, value: {} });
    expect(sandbox!.registry.isActive(awsSessionId)).toBe(false);
    expect(await call('sessions:input', { id, data: new Uint8Array([1]) })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('reports an offline instance as an AWS error without opening anything', async () => {
    const result = await call('sessions:start', { instanceId: DEFAULT_INSTANCES.offline });
    expect(result).toMatchObject({ ok: false, error: { code: 'aws-error' } });
    if (!result.ok) expect(result.error.message).toMatch(/not connected/);
  });
});
