// Forwards survive a restart: the composed app against the in-process Local sandbox creates
// forwards (each saved and started at once), is disposed, and a new app on the same data folder
// lists them again and starts those saved to start on launch, by themselves or through their group.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForwardsList, ForwardView } from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox } from '../../emulator/sandbox';
import { builtInSandboxOf } from '../../emulator/starter';
import { createApp, type App } from '../app';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import type { IpcSender } from '../ipc/router';

const ui: IpcSender = { id: 'ui-1', description: 'test' };

let dir: string;
let server: Server;
let serverPort: number;

beforeAll(async () => {
  server = createServer((request, response) => response.end(`hello from ${request.url ?? '/'}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as AddressInfo).port;
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-forward-restart-'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function startApp(): Promise<App> {
  return createApp({
    userDataDir: dir,
    mode: 'browser',
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async ({ clock, logger }) =>
      builtInSandboxOf(await startSandbox({ clock, logger, pacing: false })),
  });
}

async function value<T>(app: App, channel: string, payload: unknown): Promise<T> {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, () => true);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Resolves with the list once every named forward is listening (the launch runs in the background). */
function whenListening(app: App, names: readonly string[]): Promise<ForwardsList> {
  return new Promise((resolve) => {
    const check = (list: ForwardsList) => {
      const ready = names.every(
        (name) => list.forwards.find((f) => f.name === name)?.status === 'listening',
      );
      if (!ready) return false;
      stop();
      resolve(list);
      return true;
    };
    const stop = app.router.subscribe((channel, payload) => {
      if (channel === 'forwards:changed') check(payload as ForwardsList);
    });
    void value<ForwardsList>(app, 'forwards:list', {}).then(check);
  });
}

const draft = (name: string, extra: object = {}) => ({
  name,
  instanceId: DEFAULT_INSTANCES.web,
  remote: { kind: 'instance-port', port: serverPort },
  bindAddress: '127.0.0.1',
  localPort: 0,
  ...extra,
});

describe('forwards across a restart', () => {
  it('keeps every forward and starts those saved to start on launch', async () => {
    const first = await startApp();
    try {
      const own = await value<ForwardView>(first, 'forwards:create', {
        ...draft('on launch'),
        startOnLaunch: true,
      });
      expect(own).toMatchObject({ status: 'listening', startOnLaunch: true });
      await value(first, 'forwards:create', draft('by group', { group: 'dev' }));
      await value(first, 'forwards:create', draft('stays stopped'));
      const list = await value<ForwardsList>(first, 'forwards:set-group', {
        group: 'dev',
        startOnLaunch: true,
      });
      expect(list.groups).toEqual([{ name: 'dev', startOnLaunch: true }]);
    } finally {
      await first.dispose();
    }

    const second = await startApp();
    try {
      const list = await whenListening(second, ['on launch', 'by group']);
      expect(list.forwards.map((f) => [f.name, f.status]).sort()).toEqual([
        ['by group', 'listening'],
        ['on launch', 'listening'],
        ['stays stopped', 'stopped'],
      ]);
      expect(list.groups).toEqual([{ name: 'dev', startOnLaunch: true }]);
      const port = list.forwards.find((f) => f.name === 'on launch')?.boundPort;
      const response = await fetch(`http://127.0.0.1:${port}/after-restart`);
      expect(await response.text()).toBe('hello from /after-restart');

      // A deleted forward stays deleted; an edited one keeps its edit.
      const stopped = list.forwards.find((f) => f.name === 'stays stopped')!;
      await value(second, 'forwards:delete', { id: stopped.id });
      const grouped = list.forwards.find((f) => f.name === 'by group')!;
      await value(second, 'forwards:update', {
        id: grouped.id,
        spec: draft('renamed', { group: 'dev' }),
      });
    } finally {
      await second.dispose();
    }

    const third = await startApp();
    try {
      const list = await whenListening(third, ['on launch', 'renamed']);
      expect(list.forwards.map((f) => f.name).sort()).toEqual(['on launch', 'renamed']);
    } finally {
      await third.dispose();
    }
  }, 60_000);
});
