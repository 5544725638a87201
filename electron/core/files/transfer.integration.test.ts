// Uploads and downloads against the Local sandbox over loopback: every byte value, directories,
// overwrite refusal, plain errors and cancel, with real ptys and commands on this machine.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFiles, TransferError, uploadFiles, type TransferOptions } from './index';
import { everyByte, sha256 } from '../testing/every-byte';
import { startTransferSandbox, type TransferSandbox } from '../testing/transfer-sandbox';

describe('file transfers over Session Manager', () => {
  let fixture: TransferSandbox;
  let work: string;
  let options: TransferOptions;

  beforeAll(async () => {
    // /bin/sh, as the real agent starts, whatever this machine's $SHELL is.
    fixture = await startTransferSandbox({ file: '/bin/sh' });
    options = fixture.options;
    work = await mkdtemp(path.join(tmpdir(), 'airlock-files-'));
  });

  afterAll(async () => {
    await fixture.close();
    await rm(work, { recursive: true, force: true });
  });

  it('uploads and downloads a file holding every byte value, SHA-256 checked', async () => {
    const data = everyByte(3 * 1024 * 1024 + 17);
    await writeFile(path.join(work, 'all.bin'), data);
    await mkdir(path.join(work, 'remote'));
    const up = await uploadFiles(path.join(work, 'all.bin'), path.join(work, 'remote'), options);
    expect(up).toMatchObject({
      destination: path.join(work, 'remote', 'all.bin'),
      files: 1,
      bytes: data.length,
    });
    expect(sha256(await readFile(path.join(work, 'remote', 'all.bin')))).toBe(sha256(data));
    const down = await downloadFiles(
      path.join(work, 'remote', 'all.bin'),
      path.join(work, 'back.bin'),
      options,
    );
    expect(down.bytes).toBe(data.length);
    expect(sha256(await readFile(path.join(work, 'back.bin')))).toBe(sha256(data));
  });

  it('a cancelled download leaves neither the file nor a part file', async () => {
    await writeFile(path.join(work, 'source.bin'), everyByte(8 * 1024 * 1024));
    const dest = path.join(work, 'cancelled');
    await mkdir(dest);
    const abort = new AbortController();
    const attempt = downloadFiles(path.join(work, 'source.bin'), dest, {
      ...options,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled' });
    expect(await readdir(dest)).toEqual([]);
  });

  it('names a missing remote directory and a refused overwrite plainly', async () => {
    await writeFile(path.join(work, 'one.txt'), 'one');
    const missing = uploadFiles(
      path.join(work, 'one.txt'),
      path.join(work, 'no', 'such', 'dir', 'x.txt'),
      options,
    );
    await expect(missing).rejects.toBeInstanceOf(TransferError);
    await expect(missing).rejects.toMatchObject({ code: 'missing' });
    await writeFile(path.join(work, 'taken.txt'), 'taken');
    const refused = uploadFiles(path.join(work, 'one.txt'), path.join(work, 'taken.txt'), options);
    await expect(refused).rejects.toMatchObject({ code: 'exists' });
    expect(await readFile(path.join(work, 'taken.txt'), 'utf8')).toBe('taken');
    const asked: string[] = [];
    await uploadFiles(path.join(work, 'one.txt'), path.join(work, 'taken.txt'), {
      ...options,
      overwrite: (remote) => {
        asked.push(remote);
        return Promise.resolve(true);
      },
    });
    expect(asked).toEqual([path.join(work, 'taken.txt')]);
    expect(await readFile(path.join(work, 'taken.txt'), 'utf8')).toBe('one');
    expect((await readdir(work)).filter((n) => n.includes('.airlock-'))).toEqual([]);
  });
});
