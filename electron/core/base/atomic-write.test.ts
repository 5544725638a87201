import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write';

const posix = process.platform !== 'win32';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file, private, and leaves no temp file', async () => {
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, new TextEncoder().encode('two'));
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.json']);
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('gives the file exactly the mode asked for, whatever the umask', async () => {
    const path = join(dir, 'shared.json');
    await writeFileAtomic(path, '{}', { mode: 0o644 });
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('creates missing folders private', async () => {
    const path = join(dir, 'new', 'deeper', 'c.json');
    await writeFileAtomic(path, 'x');
    expect(await readFile(path, 'utf8')).toBe('x');
    if (posix) {
      expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'new', 'deeper'))).mode & 0o777).toBe(0o700);
    }
  });

  it('reports progress per chunk', async () => {
    const seen: number[] = [];
    await writeFileAtomic(join(dir, 'b.json'), 'x'.repeat(10), {
      chunkSize: 4,
      onProgress: (written) => seen.push(written),
    });
    expect(seen).toEqual([4, 8, 10]);
  });

  it.runIf(posix)('writes through a symlink to its target and keeps the link', async () => {
    await mkdir(join(dir, 'dotfiles'));
    const real = join(dir, 'dotfiles', 'config');
    await writeFile(real, 'old');
    const link = join(dir, 'config');
    await symlink(join('dotfiles', 'config'), link);
    const viaLink = join(dir, 'via-link');
    await symlink(link, viaLink);

    await writeFileAtomic(viaLink, 'new');

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await lstat(viaLink)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new');
    expect((await readdir(join(dir, 'dotfiles'))).sort()).toEqual(['config']);
  });

  it.runIf(posix)('creates the target of a dangling symlink', async () => {
    const link = join(dir, 'link');
    await symlink('elsewhere.json', link);
    await writeFileAtomic(link, 'made');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'elsewhere.json'), 'utf8')).toBe('made');
  });

  it.runIf(posix)('refuses a symlink loop', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('removes its temp file when the rename fails', async () => {
    const path = join(dir, 'occupied');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'keeps the folder non-empty');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
  });
});

describe('removeStaleTempFiles', () => {
  it('keeps temp files of live processes when cleaning up', async () => {
    const path = join(dir, 'c.json');
    await writeFileAtomic(join(dir, `c.json.tmp-${process.pid}-abc`), 'mine');
    await writeFileAtomic(join(dir, 'c.json.tmp-999999999-def'), 'dead');
    expect(await removeStaleTempFiles(path)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([`c.json.tmp-${process.pid}-abc`]);
  });

  it('returns 0 when the folder is missing', async () => {
    expect(await removeStaleTempFiles(join(dir, 'absent', 'c.json'))).toBe(0);
  });
});
