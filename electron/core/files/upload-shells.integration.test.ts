// The upload receiver under each /bin/sh an instance may have (dash, bash) and with a head that
// reads ahead (BusyBox, BSD: blocks wait for `send`), plus a cancelled upload: every byte value
// arrives, SHA-256 checked, and a cancel leaves nothing under the final name nor a part file.

import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransferSandbox, type TransferSandbox } from '../testing/transfer-sandbox';
import { uploadFiles, type TransferOptions } from './index';
import { UPLOAD_BLOCK_BYTES } from './upload';
import { everyByte, sha256 } from '../testing/every-byte';

/** A head that works but does not say it is GNU's, as BusyBox's or a BSD's would not. */
const READ_AHEAD_HEAD = `#!/bin/sh
case $1 in --version) echo 'head (not GNU)'; exit 0;; esac
exec /usr/bin/head "$@"
`;

interface Case {
  name: string;
  shell: string;
  /** Put a head that is not GNU's first on PATH. */
  plainHead?: boolean;
}

const CASES: Case[] = [
  { name: 'dash as /bin/sh, pipelined blocks', shell: '/bin/sh' },
  { name: 'bash, pipelined blocks', shell: '/bin/bash' },
  { name: 'a head that reads ahead: each block waits for send', shell: '/bin/sh', plainHead: true },
];

describe.each(CASES)('uploads with $name', ({ shell, plainHead }) => {
  let fixture: TransferSandbox;
  let work: string;
  let options: TransferOptions;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'airlock-upload-'));
    let env: Record<string, string | undefined> | undefined;
    if (plainHead) {
      await mkdir(path.join(work, 'bin'));
      await writeFile(path.join(work, 'bin', 'head'), READ_AHEAD_HEAD);
      await chmod(path.join(work, 'bin', 'head'), 0o755);
      env = { ...process.env, PATH: `${path.join(work, 'bin')}:${process.env.PATH ?? ''}` };
    }
    fixture = await startTransferSandbox({ file: shell, ...(env && { env }) });
    options = fixture.options;
  });

  afterAll(async () => {
    await fixture.close();
    await rm(work, { recursive: true, force: true });
  });

  it('moves every byte value over several blocks, SHA-256 checked', async () => {
    const data = everyByte(4 * UPLOAD_BLOCK_BYTES + 5);
    await writeFile(path.join(work, 'all.bin'), data);
    await mkdir(path.join(work, 'remote'));
    const seen: number[] = [];
    const up = await uploadFiles(path.join(work, 'all.bin'), path.join(work, 'remote'), {
      ...options,
      onProgress: (progress) => seen.push(progress.doneBytes),
    });
    expect(up.bytes).toBe(data.length);
    expect(sha256(await readFile(path.join(work, 'remote', 'all.bin')))).toBe(sha256(data));
    expect(seen.at(-1)).toBe(data.length);
    expect(await readdir(path.join(work, 'remote'))).toEqual(['all.bin']);
  });

  it('a cancelled upload leaves neither the file nor a part file', async () => {
    await writeFile(path.join(work, 'big.bin'), everyByte(6 * UPLOAD_BLOCK_BYTES));
    await mkdir(path.join(work, 'cancelled'));
    const abort = new AbortController();
    const attempt = uploadFiles(path.join(work, 'big.bin'), path.join(work, 'cancelled'), {
      ...options,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled' });
    expect(await readdir(path.join(work, 'cancelled'))).toEqual([]);
  });
});
