// Window bounds persistence and the off-screen guard.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
