// Credentials, session tokens and StreamUrls never reach a log line or anything the router sends to
// the UI: a full flow against the Local sandbox with every logger at debug level, then a grep.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { createApp, type App } from './app';
import type { IpcSender } from './ipc/router';
import { systemClock } from './base/clock';
import type { Logger } from './base/logger';
import { builtInSandboxOf } from '../emulator/starter';

const lines: string[] = [];
function capturingLogger(scope: string): Logger {
  return {
    log(level, message, fields) {
      lines.push(`${level} [${scope}] ${message} ${fields ? JSON.stringify(fields) : ''}`);
    },
    child: (child) => capturingLogger(`${scope}:${child}`),
  };
}

/** Everything the router hands to the UI, with byte arrays spelled out so a grep can see them. */
const toUi: string[] = [];
function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
  );
}

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const secrets = new Set<string>();
let dir: string;
let app: App;
let sandbox: Sandbox | undefined;

async function call(channel: string, payload: unknown) {
  const result = await app.router.dispatch({ channel, payload, sender: ui }, () => true);
  toUi.push(serialize(result));
  return result;
}

function waitForEvent(matches: (text: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (toUi.some(matches)) resolve();
      else setImmediate(check);
    };
    check();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-secrets-'));
  app = await createApp({
    userDataDir: dir,
    mode: 'browser',
    env: { HOME: dir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: capturingLogger('app'),
    startSandbox: async ({ clock }) => {
      const started = await startSandbox({
        clock,
        logger: capturingLogger('sandbox'),
        pacing: false,
      });
      sandbox = started;
      secrets.add(started.credentials.secretAccessKey);
      // Remember every session token and StreamUrl the service hands out.
      const create = started.registry.create.bind(started.registry);
      started.registry.create = (...args: Parameters<typeof create>) => {
        const created = create(...args);
        secrets.add(created.tokenValue);
        secrets.add(created.streamUrl);
        return created;
      };
      return builtInSandboxOf(started);
    },
  });
  app.router.subscribe((channel, payload) => toUi.push(`${channel} ${serialize(payload)}`));
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('secrets stay in the main process', () => {
  it('are absent from every log line and every IPC result and event of a full session', async () => {
    expect((await call('app:info', {})).ok).toBe(true);
    expect((await call('inventory:list', {})).ok).toBe(true);
    const started = await call('sessions:start', { instanceId: DEFAULT_INSTANCES.web });
    expect(started.ok).toBe(true);
    const { tabSessionId: id } = (started as { value: { tabSessionId: string } }).value;
    await waitForEvent((text) => text.startsWith('sessions:status') && text.includes('"open"'));
    await call('sessions:input', { id, data: new TextEncoder().encode('echo MARK_$((6*7))\r') });
    await waitForEvent((text) => text.startsWith('sessions:output') && text.includes('MARK_42'));
    expect((await call('sessions:list', {})).ok).toBe(true);
    await call('sessions:close', { id });
    await waitForEvent((text) => text.startsWith('sessions:status') && text.includes('"closed"'));

    expect(sandbox).toBeDefined();
    expect(secrets.size).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      expect(toUi.filter((text) => text.includes(secret))).toEqual([]);
    }
    expect(lines.filter((line) => /data-channel\/[^ "]*\?role=/.test(line))).toEqual([]);
  });
});
