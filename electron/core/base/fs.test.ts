import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem as fs } from './fs';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-fs-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nodeFileSystem', () => {
  it('writes atomically and reads back bytes and text', async () => {
    const path = join(dir, 'sub', 'a.txt');
    await fs.writeAtomic(path, 'héllo');
    expect(await fs.readText(path)).toBe('héllo');
    expect(await fs.readFile(path)).toEqual(new Uint8Array(Buffer.from('héllo', 'utf8')));
    const info = await fs.stat(path);
    expect(info.isFile()).toBe(true);
    expect(info.size).toBe(6);
    expect(await fs.readdir(join(dir, 'sub'))).toEqual(['a.txt']);
  });

  it('answers exists for files, folders and missing paths', async () => {
    await writeFile(join(dir, 'f'), 'x');
    expect(await fs.exists(join(dir, 'f'))).toBe(true);
    expect(await fs.exists(dir)).toBe(true);
    expect(await fs.exists(join(dir, 'missing'))).toBe(false);
    expect(await fs.exists(join(dir, 'f', 'below-a-file'))).toBe(false);
  });

  it('creates folders with parents and a mode, and tolerates existing ones', async () => {
    const path = join(dir, 'a', 'b');
    await fs.mkdir(path, { mode: 0o700 });
    await fs.mkdir(path);
    expect((await stat(path)).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o700);
  });

  it('renames, copies and removes, with a missing path being fine to remove', async () => {
    const a = join(dir, 'a');
    await writeFile(a, 'content');
    await fs.copyFile(a, join(dir, 'copy'));
    await fs.rename(a, join(dir, 'b'));
    expect(await readFile(join(dir, 'copy'), 'utf8')).toBe('content');
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('content');
    await fs.rm(join(dir, 'b'));
    await fs.rm(join(dir, 'b'));
    expect(await fs.exists(join(dir, 'b'))).toBe(false);
    await fs.mkdir(join(dir, 'tree', 'leaf'));
    await expect(fs.rm(join(dir, 'tree'))).rejects.toThrow();
    await fs.rm(join(dir, 'tree'), { recursive: true });
    expect(await fs.exists(join(dir, 'tree'))).toBe(false);
  });

  it('rejects with the Node error code for a missing file', async () => {
    await expect(fs.readText(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
