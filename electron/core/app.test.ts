// Composition root: every invoke channel has a handler; sandbox vs AWS choice; teardown.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain';
import { invokeChannelNames } from '../../shared/ipc';
import { createApp, type SandboxHandle } from './app';
import { silentLogger, type LogLevel, type Logger } from './base/logger';
import { FakeClock } from './testing/fake-clock';

let dir: string;
let sandboxes: { closed: number }[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-app-'));
  sandboxes = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeSandbox(): Promise<SandboxHandle> {
  const state = { closed: 0 };
  sandboxes.push(state);
  return Promise.resolve({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    regions: ['us-east-1', 'eu-west-1'],
    accessKeyId: 'AKIDSANDBOX',
    secretAccessKey: 'sandbox-secret',
    close: () => {
      state.closed++;
      return Promise.resolve();
    },
  });
}

const ui = { id: 'ui-1', description: 'test' };

describe('createApp', () => {
  it('registers a handler for every invoke channel of the contract', async () => {
    const app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir },
      clock: new FakeClock(),
      logger: silentLogger,
      startSandbox: fakeSandbox,
    });
    const missing = invokeChannelNames.filter((name) => !app.router.hasHandler(name));
    expect(missing).toEqual([]);
    await app.dispose();
  });

  it('starts the Local sandbox without credentials and labels it, never exposing its keys', async () => {
    const app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir },
      clock: new FakeClock(),
      logger: silentLogger,
      startSandbox: fakeSandbox,
      version: '1.2.3',
      platform: 'linux',
    });
    const info = await app.router.dispatch(
      { channel: 'app:info', payload: {}, sender: ui },
      () => true,
    );
    expect(info).toMatchObject({
      ok: true,
      value: {
        name: 'Airlock',
        version: '1.2.3',
        mode: 'browser',
        backend: { kind: 'sandbox', label: 'Local sandbox' },
        sources: [
          {
            id: 'sandbox',
            kind: 'sandbox',
            label: 'Local sandbox',
            regions: ['us-east-1', 'eu-west-1'],
          },
        ],
      },
    });
    const text = JSON.stringify(info);
    expect(text).not.toContain('sandbox-secret');
    expect(text).not.toContain('AKIDSANDBOX');
    expect(text).not.toContain('127.0.0.1:9');
    await app.dispose();
    await app.dispose();
    expect(sandboxes).toEqual([{ closed: 1 }]);
  });

  it('uses the AWS profile when one is configured and does not start the sandbox', async () => {
    await mkdir(path.join(dir, '.aws'));
    await writeFile(
      path.join(dir, '.aws', 'credentials'),
      '[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n',
    );
    const app = await createApp({
      userDataDir: dir,
      mode: 'electron',
      env: { HOME: dir, AWS_PROFILE: 'work', AWS_REGION: 'eu-central-1' },
      clock: new FakeClock(),
      logger: silentLogger,
      startSandbox: fakeSandbox,
    });
    expect(app.info.backend).toMatchObject({ kind: 'aws', label: 'AWS' });
    expect(app.info.sources).toEqual([
      { id: 'aws:work', kind: 'aws', profile: 'work', label: 'work', regions: ['eu-central-1'] },
    ]);
    const listed = await app.router.dispatch(
      { channel: 'sources:list', payload: {}, sender: ui },
      () => true,
    );
    expect(JSON.stringify(listed)).not.toContain('work-secret');
    expect(listed).toMatchObject({
      ok: true,
      value: { backend: 'aws', profiles: [{ name: 'work', kind: 'static', selected: true }] },
    });
    expect(sandboxes).toEqual([]);
    await app.dispose();
  });

  it('persists settings through the router and announces changes', async () => {
    const app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir },
      clock: new FakeClock(),
      logger: silentLogger,
      startSandbox: fakeSandbox,
    });
    const events: unknown[] = [];
    app.router.subscribe((channel, payload) => events.push({ channel, payload }));
    const set = await app.router.dispatch(
      { channel: 'settings:set', payload: { fontSize: 16 }, sender: ui },
      () => true,
    );
    expect(set).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, fontSize: 16 } });
    expect(events).toEqual([
      { channel: 'settings:changed', payload: { settings: { ...DEFAULT_SETTINGS, fontSize: 16 } } },
    ]);
    await app.dispose();
  });

  it('quits even when a teardown step hangs, and logs which one', async () => {
    const clock = new FakeClock();
    const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = {
      log: (level, message, fields) => lines.push({ level, message, ...(fields && { fields }) }),
      child: () => logger,
    };
    let closeStarted!: () => void;
    const closing = new Promise<void>((resolve) => (closeStarted = resolve));
    const app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir },
      clock,
      logger,
      shutdownStepTimeoutMs: 1_000,
      startSandbox: async () => ({
        ...(await fakeSandbox()),
        close: () => {
          closeStarted();
          return new Promise<void>(() => undefined);
        },
      }),
    });
    const disposed = app.dispose();
    await closing;
    clock.advance(1_000);
    await disposed;
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'shutdown step timed out; going on without it',
      fields: { step: 'Local sandbox', timeoutMs: 1_000 },
    });
  });

  it('logs a teardown step that fails and still runs the ones created before it', async () => {
    const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = {
      log: (level, message, fields) => lines.push({ level, message, ...(fields && { fields }) }),
      child: () => logger,
    };
    const app = await createApp({
      userDataDir: dir,
      mode: 'browser',
      env: { HOME: dir },
      clock: new FakeClock(),
      logger,
      startSandbox: fakeSandbox,
    });
    // The forward manager was created after the sandbox, so it is torn down before it.
    app.forwards.dispose = () => Promise.reject(new Error('listener would not close'));
    await app.dispose();
    expect(lines).toContainEqual({
      level: 'error',
      message: 'shutdown step failed',
      fields: { step: 'forwards', error: 'listener would not close' },
    });
    expect(sandboxes).toEqual([{ closed: 1 }]);
  });
});
