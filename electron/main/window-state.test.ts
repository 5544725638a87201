// Window bounds persistence and the off-screen guard.
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, restoreBounds, saveWindowState } from './window-state';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-window-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('round-trips through the user data folder and ignores broken files', async () => {
    expect(await loadWindowState(dir)).toBeUndefined();
    const state = { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: true };
    await saveWindowState(dir, state);
    expect(await loadWindowState(dir)).toEqual(state);
    await writeFile(path.join(dir, 'window-state.json'), '{"version":1,"bounds":{"x":"a"}}');
    expect(await loadWindowState(dir)).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')(
    'writes a private file in a private folder and never through a planted link',
    async () => {
      const userData = path.join(dir, 'Airlock');
      const outside = path.join(dir, 'outside.txt');
      await writeFile(outside, 'untouched');
      const state = { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false };
      await saveWindowState(userData, state);
      expect((await stat(userData)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(userData, 'window-state.json'))).mode & 0o777).toBe(0o600);
      // The name the old writer used for its temporary file, planted as a link by someone else.
      await symlink(outside, path.join(userData, 'window-state.json.tmp'));
      await saveWindowState(userData, { ...state, maximized: true });
      expect(await readFile(outside, 'utf8')).toBe('untouched');
      expect(await loadWindowState(userData)).toEqual({ ...state, maximized: true });
      expect((await readdir(userData)).sort()).toEqual([
        'window-state.json',
        'window-state.json.tmp',
      ]);
    },
  );

  it('restores visible bounds, enforcing a minimum size', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 300, height: 200 }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 640,
      height: 420,
    });
  });

  it('drops the position of a window left on a missing monitor', () => {
    expect(restoreBounds({ x: 4000, y: 100, width: 1000, height: 800 }, screen)).toEqual({
      width: 1000,
      height: 800,
    });
    expect(restoreBounds(undefined, screen)).toEqual(DEFAULT_SIZE);
  });
});
