import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from './store';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ProfileStore atomic saves', () => {
  it('keeps the previous version when the writer is killed midway', async () => {
    const store = new ProfileStore({ dir });
    await store.load();
    const good = await store.save({
      kind: 'shell',
      name: 'Known good',
      region: 'eu-west-1',
      target: { by: 'id', id: 'i-0123456789abcdef0' },
    });
    const path = store.filePath;
    const goodBytes = await readFile(path, 'utf8');

    const child = fork(
      fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url)),
      [path, '40000'],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    const [progress] = (await once(child, 'message')) as [{ written: number; total: number }];
    expect(progress.written).toBeLessThan(progress.total);
    child.kill('SIGKILL');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(code).toBeNull();
    expect(signal).toBe('SIGKILL');

    // The half-written temp file is there; the real file is untouched.
    const names = await readdir(dir);
    const temp = names.find((name) => name.startsWith('profiles.json.tmp-'));
    expect(temp).toBeDefined();
    expect((await stat(join(dir, temp!))).size).toBeLessThan(progress.total);
    expect(await readFile(path, 'utf8')).toBe(goodBytes);

    const reread = new ProfileStore({ dir });
    expect(await reread.load()).toEqual({ status: 'ok' });
    expect(reread.list()).toEqual([good]);
    expect(await readdir(dir)).toEqual(['profiles.json']);
  });
});
