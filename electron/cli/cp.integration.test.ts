// `airlock cp` through runCli against the Local sandbox (pacing off): a 50 MB file of every byte
// value both ways, a 200-file directory both ways, overwrite refusal and a cancelled upload.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { awsHomeFor, capturedIo } from '../core/testing/text-capture';
import { runCli, type CliIo } from './main';
import { everyByte, sha256 } from '../core/testing/every-byte';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('airlock cp', () => {
  let sandbox: Sandbox;
  let home: string;
  let work: string;

  beforeAll(async () => {
    // /bin/sh, as the real agent starts, whatever this machine's $SHELL is.
    sandbox = await startSandbox({ pacing: false, dataChannel: { shell: { file: '/bin/sh' } } });
    home = await awsHomeFor(sandbox, 'airlock-cp-home-');
    work = await mkdtemp(path.join(tmpdir(), 'airlock-cp-work-'));
  });

  afterAll(async () => {
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  function cp(args: string[], tty = false) {
    const { io, err, signals } = capturedIo({ HOME: home });
    Object.assign(err.stream, { isTTY: tty });
    return { exit: runCli(['cp', ...args], io as unknown as CliIo), err, signals };
  }

  it('uploads and downloads a 50 MB file holding every byte value, checked by SHA-256', async () => {
    const data = everyByte(Number(process.env.CP_SIZE ?? 50 * 1000 * 1000));
    expect(new Set(data.subarray(0, 256)).size).toBe(256);
    await writeFile(path.join(work, 'big.bin'), data);
    await mkdir(path.join(work, 'instance'));
    const up = cp([
      path.join(work, 'big.bin'),
      `${DEFAULT_INSTANCES.web}:${path.join(work, 'instance')}/`,
    ]);
    expect({ status: await up.exit, stderr: up.err.text() }).toEqual({
      status: 0,
      stderr: expect.stringContaining(`1 file, ${(data.length / 1e6).toFixed(1)} MB`) as unknown,
    });
    expect(sha256(await readFile(path.join(work, 'instance', 'big.bin')))).toBe(sha256(data));

    const down = cp([
      `web-1:${path.join(work, 'instance', 'big.bin')}`,
      path.join(work, 'big-back.bin'),
    ]);
    expect(await down.exit).toBe(0);
    expect(sha256(await readFile(path.join(work, 'big-back.bin')))).toBe(sha256(data));
    const names = await readdir(work);
    expect(names.filter((n) => n.endsWith('.part'))).toEqual([]);
  }, 600_000);

  it('copies a directory of 200 files up and back with -r', async () => {
    const tree = path.join(work, 'tree');
    const expected = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const rel = path.join(`d${i % 5}`, `f ${i}.txt`);
      const body = Buffer.from(`file ${i}\n`.repeat(i + 1));
      await mkdir(path.join(tree, `d${i % 5}`), { recursive: true });
      await writeFile(path.join(tree, rel), body);
      expected.set(rel, sha256(body));
    }
    const remote = path.join(work, 'remote-tree');
    const up = cp(['-r', tree, `${DEFAULT_INSTANCES.web}:${remote}`]);
    expect(await up.exit).toBe(0);
    expect(up.err.text()).toContain('200 files');
    const back = path.join(work, 'back-tree');
    const down = cp(['-r', `${DEFAULT_INSTANCES.web}:${remote}`, back]);
    expect(await down.exit).toBe(0);
    for (const [rel, hash] of expected) {
      expect(sha256(await readFile(path.join(remote, rel)))).toBe(hash);
      expect(sha256(await readFile(path.join(back, rel)))).toBe(hash);
    }
  }, 300_000);

  it('refuses to overwrite without --force and overwrites with it', async () => {
    await writeFile(path.join(work, 'new.txt'), 'new');
    await writeFile(path.join(work, 'old.txt'), 'old');
    const refused = cp([
      path.join(work, 'new.txt'),
      `${DEFAULT_INSTANCES.web}:${path.join(work, 'old.txt')}`,
    ]);
    expect(await refused.exit).toBe(1);
    expect(refused.err.text()).toMatch(/already exists on the instance; not overwritten/);
    expect(await readFile(path.join(work, 'old.txt'), 'utf8')).toBe('old');
    const forced = cp([
      '--force',
      path.join(work, 'new.txt'),
      `${DEFAULT_INSTANCES.web}:${path.join(work, 'old.txt')}`,
    ]);
    expect(await forced.exit).toBe(0);
    expect(await readFile(path.join(work, 'old.txt'), 'utf8')).toBe('new');
  }, 120_000);

  it('a cancelled upload leaves no file under the final name and no part file', async () => {
    await writeFile(path.join(work, 'cancel.bin'), everyByte(20 * 1000 * 1000));
    const dir = path.join(work, 'cancel-dest');
    await mkdir(dir);
    const run = cp([path.join(work, 'cancel.bin'), `${DEFAULT_INSTANCES.web}:${dir}/`], true);
    await run.err.waitFor(/MB\/s/);
    run.signals.emit('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.err.text()).toContain('cancelled');
    expect(await readdir(dir)).toEqual([]);
  }, 120_000);

  it('says plainly when the remote path does not exist or cannot be written', async () => {
    const missing = cp([
      `${DEFAULT_INSTANCES.web}:${path.join(work, 'no-such-file')}`,
      path.join(work, 'x'),
    ]);
    expect(await missing.exit).toBe(1);
    expect(missing.err.text()).toMatch(/no such file or directory on the instance/);
    await writeFile(path.join(work, 'small.txt'), 'small');
    const denied = cp([
      path.join(work, 'small.txt'),
      `${DEFAULT_INSTANCES.web}:/proc/airlock-denied.txt`,
    ]);
    expect(await denied.exit).toBe(1);
    expect(denied.err.text()).toMatch(
      /no such file or directory on the instance|no permission on the instance/,
    );
  }, 120_000);
});
