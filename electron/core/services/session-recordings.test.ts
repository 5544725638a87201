import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain';
import type { RecordingsList } from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { SeededRandom } from '../base/random';
import { FakeClock } from '../testing/fake-clock';
import { createRecordingsService, RECORDINGS_FOLDER } from './session-recordings';

let dir: string;
let settings: Settings;
let clock: FakeClock;
const published: RecordingsList[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-recordings-'));
  settings = { ...DEFAULT_SETTINGS, recordSessions: true };
  clock = new FakeClock(1_750_000_000_000);
  published.length = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function service() {
  return createRecordingsService({
    userDataDir: dir,
    settings: () => settings,
    clock,
    random: new SeededRandom(7),
    logger: silentLogger,
    publish: (list) => published.push(list),
  });
}

const request = (sessionId: string) => ({
  sessionId,
  title: `web-1 (${sessionId})`,
  size: { cols: 80, rows: 24 },
  requested: false,
});
const bytes = (text: string) => new TextEncoder().encode(text);

describe('recordings service', () => {
  it('records nothing unless Settings or the start request ask', async () => {
    settings = { ...settings, recordSessions: false };
    const recordings = service();
    expect(recordings.begin(request('s1'))).toBeUndefined();
    const asked = recordings.begin({ ...request('s2'), requested: true });
    expect(asked).toBeDefined();
    await asked?.close();
    expect((await recordings.list()).recordings.map((r) => r.title)).toEqual(['web-1 (s2)']);
  });

  it('writes private files in a private folder and reads them back by id', async () => {
    const recordings = service();
    const recording = recordings.begin(request('s1'));
    recording?.output(bytes('hello'));
    const during = await recordings.list();
    expect(during.recordings[0]).toMatchObject({ active: true, sessionId: 's1' });
    await recording?.close();

    const { recordings: listed, folder } = await recordings.list();
    expect(folder).toBe(path.join(dir, RECORDINGS_FOLDER));
    expect(listed).toHaveLength(1);
    const [only] = listed;
    expect(only).toMatchObject({ active: false, startedAt: '2025-06-15T15:06:40.000Z' });
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const [file] = await readdir(folder);
    expect((await stat(path.join(folder, file ?? ''))).mode & 0o777).toBe(0o600);
    const { text } = await recordings.read(only?.id ?? '');
    expect(text.split('\n')[1]).toBe('[0,"o","hello"]');
    expect(only?.bytes).toBe(Buffer.byteLength(text));
    expect(published.at(-1)?.recordings[0]?.active).toBe(false);
  });

  it('makes an existing recordings folder private', async () => {
    const folder = path.join(dir, RECORDINGS_FOLDER);
    await rm(folder, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { mode: 0o755 });
    const recordings = service();
    await recordings.begin(request('s1'))?.close();
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
  });

  it('keeps only the newest recordings the setting allows, never one being written', async () => {
    settings = { ...settings, recordingsKept: 2 };
    const recordings = service();
    for (const id of ['a', 'b', 'c']) {
      await recordings.begin(request(id))?.close();
      clock.advance(1000);
    }
    expect((await recordings.list()).recordings.map((r) => r.title)).toEqual([
      'web-1 (c)',
      'web-1 (b)',
    ]);
    settings = { ...settings, recordingsKept: 1 };
    const live = recordings.begin(request('d'));
    live?.output(bytes('x'));
    clock.advance(1000);
    const next = recordings.begin(request('e'));
    // Both are being written: neither is deleted, though only one is kept.
    expect((await recordings.list()).recordings.map((r) => r.title)).toEqual([
      'web-1 (e)',
      'web-1 (d)',
    ]);
    await live?.close();
    await next?.close();
    clock.advance(1000);
    await recordings.begin(request('f'))?.close();
    expect((await recordings.list()).recordings.map((r) => r.title)).toEqual(['web-1 (f)']);
  });

  it('stops a recording at its size limit and marks it truncated', async () => {
    settings = { ...settings, recordingMaxMegabytes: 1 };
    const recordings = service();
    const recording = recordings.begin(request('s1'));
    const chunk = bytes('y'.repeat(64 * 1024));
    for (let i = 0; i < 40; i++) recording?.output(chunk);
    await recording?.close();
    const [listed] = (await recordings.list()).recordings;
    expect(listed?.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(listed?.truncated).toBe(true);
  });

  it('deletes by id, stopping a recording being written first', async () => {
    const recordings = service();
    const recording = recordings.begin(request('s1'));
    recording?.output(bytes('x'));
    const [listed] = (await recordings.list()).recordings;
    expect(await recordings.delete(listed?.id ?? '')).toEqual({ deleted: true });
    recording?.output(bytes('after'));
    expect((await recordings.list()).recordings).toEqual([]);
    expect(await recordings.delete(listed?.id ?? '')).toEqual({ deleted: false });
    await expect(recordings.read(listed?.id ?? '')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses an id that is not a recording id, and ignores foreign files', async () => {
    const recordings = service();
    await expect(recordings.read('../settings')).rejects.toThrow();
    const folder = path.join(dir, RECORDINGS_FOLDER);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'notes.cast'), 'x');
    expect((await recordings.list()).recordings).toEqual([]);
  });
});
