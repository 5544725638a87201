// Forwards over IPC, end to end: the router and composed app against the in-process Local sandbox,
// forwarding to a real HTTP server on loopback, with stats, validation, groups and profiles.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForwardView } from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { createApp, type App } from '../app';
import type { IpcSender } from '../ipc/router';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import { builtInSandboxOf } from '../../emulator/starter';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let dir: string;
let app: App;
let sandbox: Sandbox | undefined;
let server: Server;
let serverPort: number;
let latest: ForwardView[] = [];
const waiters = new Set<() => void>();

function waitForForward(id: string, check: (view: ForwardView) => boolean): Promise<ForwardView> {
  return new Promise((resolve) => {
    const probe = () => {
      const view = latest.find((f) => f.id === id);
      if (!view || !check(view)) return;
      waiters.delete(probe);
      resolve(view);
    };
    waiters.add(probe);
    probe();
  });
}

async function call(channel: string, payload: unknown) {
  return app.router.dispatch({ channel, payload, sender: ui }, trusted);
}

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await call(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    response.end(`hello from ${request.url ?? '/'}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as AddressInfo).port;
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-forwards-int-'));
  app = await createApp({
    userDataDir: dir,
    mode: 'browser',
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async ({ clock, logger }) => {
      sandbox = await startSandbox({ clock, logger, pacing: false });
      return builtInSandboxOf(sandbox);
    },
  });
  app.router.subscribe((channel, payload) => {
    if (channel !== 'forwards:changed') return;
    latest = (payload as { forwards: ForwardView[] }).forwards;
    for (const probe of [...waiters]) probe();
  });
});

afterAll(async () => {
  await app.dispose();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('forwards over IPC with the Local sandbox', () => {
  it('forwards to a local HTTP server, moves the stats, stops, and starts by group', async () => {
    const created = await value<ForwardView>('forwards:create', {
      name: 'web',
      group: 'dev',
      instanceId: DEFAULT_INSTANCES.web,
      remote: { kind: 'instance-port', port: serverPort },
      bindAddress: '127.0.0.1',
      localPort: 0,
    });
    // Created means saved and started: it serves at once.
    expect(created).toMatchObject({ status: 'listening', region: 'us-east-1', group: 'dev' });
    const started = created;
    expect(started.boundPort).toBeGreaterThan(0);

    const response = await fetch(`http://127.0.0.1:${started.boundPort}/ping`);
    expect(await response.text()).toBe('hello from /ping');

    const moved = await waitForForward(
      created.id,
      (f) => f.stats.connectionsTotal >= 1 && f.stats.bytesIn > 0 && f.stats.bytesOut > 0,
    );
    expect(moved.stats.bytesIn).toBeGreaterThan(0);

    const stopped = await value<ForwardView>('forwards:stop', { id: created.id });
    expect(stopped.status).toBe('stopped');
    await expect(fetch(`http://127.0.0.1:${started.boundPort}/`)).rejects.toThrow();

    const group = await value<{ forwards: ForwardView[] }>('forwards:start-group', {
      group: 'dev',
    });
    expect(group.forwards.map((f) => f.status)).toEqual(['listening']);
    const again = group.forwards[0]!;
    const second = await fetch(`http://127.0.0.1:${again.boundPort}/again`);
    expect(await second.text()).toBe('hello from /again');

    await value('forwards:stop-group', { group: 'dev' });
    expect(await value('forwards:delete', { id: created.id })).toEqual({ deleted: true });
    const list = await value<{ forwards: ForwardView[]; groups: unknown[] }>('forwards:list', {});
    expect(list.forwards).toEqual([]);
    expect(list.groups).toEqual([]);
  });

  it('refuses bad input and an unconfirmed all-interfaces bind as invalid-request', async () => {
    const base = {
      name: 'db',
      instanceId: DEFAULT_INSTANCES.web,
      remote: { kind: 'instance-port', port: 5432 },
      localPort: 0,
    };
    const badPort = await call('forwards:create', {
      ...base,
      bindAddress: '127.0.0.1',
      localPort: 70000,
    });
    expect(badPort).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const exposed = await call('forwards:create', { ...base, bindAddress: '0.0.0.0' });
    expect(exposed).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!exposed.ok && exposed.error.message).toMatch(/every network interface/);

    const unknown = await call('forwards:start', { id: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('saves, lists, exports, imports and deletes forward profiles', async () => {
    const saved = await value<{ id: string }>('profiles:save', {
      profile: {
        kind: 'forward',
        name: 'web profile',
        region: 'us-east-1',
        target: { by: 'id', id: DEFAULT_INSTANCES.web },
        remote: { kind: 'instance-port', port: 8080 },
        localPort: 0,
        bindAddress: '127.0.0.1',
        group: 'dev',
      },
    });
    const listed = await value<{ profiles: { id: string; name: string }[] }>('profiles:list', {});
    expect(listed.profiles).toEqual([
      expect.objectContaining({ id: saved.id, name: 'web profile' }),
    ]);

    const { text } = await value<{ text: string }>('profiles:export', {});
    expect(await value('profiles:delete', { id: saved.id })).toEqual({ deleted: true });
    expect(await value('profiles:import', { text })).toMatchObject({ added: 1, errors: [] });

    const bad = await call('profiles:import', { text: '{not json' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});
