// Session recording end to end: the composed app records a real shell on the Local sandbox to an
// asciicast v2 file, and the recordings:* channels list, read and delete it by id only.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingsList } from '../../shared/ipc';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import type { App } from './app';
import { startAppOnLocalSandbox } from './testing/app-harness';
import { callAs, dispatchAs, RouterEvents } from './testing/router-events';

const encode = (text: string) => new TextEncoder().encode(text);

let dir: string;
let app: App;
const log = new RouterEvents();
const { events } = log;
const waitFor = <T>(find: () => T | undefined) => log.waitFor(find);
const outputOf = (id: string) => log.outputText(id);
const call = <T>(channel: string, payload: unknown) => callAs<T>(app, channel, payload);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-recordings-int-'));
  app = await startAppOnLocalSandbox({ userDataDir: dir });
  log.watch(app.router);
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('session recording on the Local sandbox', () => {
  it('records a shell session with its output and size changes, and no input by default', async () => {
    await call('settings:set', { recordSessions: true });
    await call('inventory:list', {});
    const { tabSessionId: id } = await call<{ tabSessionId: string }>('sessions:start', {
      instanceId: DEFAULT_INSTANCES.web,
      cols: 100,
      rows: 30,
    });
    const recording = await waitFor(() =>
      events
        .filter((e) => e.channel === 'recordings:changed')
        .map((e) => (e.payload as RecordingsList).recordings.find((r) => r.sessionId === id))
        .find((r) => r?.active),
    );
    expect(recording.title).toBe(`web-1 (${DEFAULT_INSTANCES.web})`);

    await call('sessions:input', { id, data: encode('echo RECORDED_$((6*7))\r') });
    await waitFor(() => (outputOf(id).includes('RECORDED_42') ? true : undefined));
    await call('sessions:resize', { id, cols: 120, rows: 40 });
    await call('sessions:input', { id, data: encode('stty size\r') });
    await waitFor(() => (/40 120/.test(outputOf(id)) ? true : undefined));
    await call('sessions:close', { id });

    const { recordings, folder } = await call<RecordingsList>('recordings:list', {});
    expect(folder).toBe(path.join(dir, 'recordings'));
    const done = recordings.find((r) => r.id === recording.id);
    expect(done).toMatchObject({ active: false });
    expect((await stat(path.join(folder, `${recording.id}.cast`))).mode & 0o777).toBe(0o600);

    const { text } = await call<{ text: string }>('recordings:read', { id: recording.id });
    const [headerLine, ...eventLines] = text.trimEnd().split('\n');
    expect(JSON.parse(headerLine ?? '')).toMatchObject({ version: 2, width: 100, height: 30 });
    const parsed = eventLines.map((line) => JSON.parse(line) as [number, string, string]);
    const times = parsed.map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(parsed).toContainEqual([expect.any(Number), 'r', '120x40']);
    const output = parsed
      .filter(([, code]) => code === 'o')
      .map(([, , data]) => data)
      .join('');
    // Everything the terminal showed, in order: the same text as the session's own output.
    expect(output).toBe(outputOf(id));
    expect(output).toContain('RECORDED_42');
    expect(parsed.some(([, code]) => code === 'i')).toBe(false);
  });

  it('refuses a path for an id, and deletes by id', async () => {
    const bad = await dispatchAs(app, 'recordings:read', { id: '../settings' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const { recordings } = await call<RecordingsList>('recordings:list', {});
    const [first] = recordings;
    expect(await call('recordings:delete', { id: first?.id })).toEqual({ deleted: true });
    expect((await call<RecordingsList>('recordings:list', {})).recordings).toHaveLength(
      recordings.length - 1,
    );
  });
});
