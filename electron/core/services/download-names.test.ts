// Free names in the Downloads folder: numbered before the first extension, and never a replace.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimFreeName, numberedName } from './download-names';

describe('numberedName', () => {
  it('numbers before the extensions, and after a leading-dot name', () => {
    expect(numberedName('report.tar.gz', 0)).toBe('report.tar.gz');
    expect(numberedName('report.tar.gz', 2)).toBe('report (2).tar.gz');
    expect(numberedName('notes', 1)).toBe('notes (1)');
    expect(numberedName('.bashrc', 1)).toBe('.bashrc (1)');
  });
});

describe('claimFreeName', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'airlock-names-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the first free name and leaves the taken ones as they were', async () => {
    await writeFile(path.join(dir, 'a.txt'), 'first');
    await writeFile(path.join(dir, 'a (1).txt'), 'second');
    await writeFile(path.join(dir, 'source'), 'new');
    expect(await claimFreeName(path.join(dir, 'source'), dir, 'a.txt')).toBe(
      path.join(dir, 'a (2).txt'),
    );
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('first');
    expect(await readFile(path.join(dir, 'a (1).txt'), 'utf8')).toBe('second');
    expect(await readFile(path.join(dir, 'a (2).txt'), 'utf8')).toBe('new');
  });
});
