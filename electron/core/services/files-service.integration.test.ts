// The app's file transfers against the Local sandbox over loopback: uploads streamed in chunks as the
// renderer sends them, the replace after an 'exists', cancel at each stage, and downloads that never
// overwrite a file in the Downloads folder.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionSchema, SourceIdSchema } from '../../../shared/domain';
import { UPLOAD_CHUNK_BYTES, type Instance, type TransferView } from '../../../shared/ipc';
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import { createFilesService, type FilesService } from './files-service';
import { createAwsSource, type SessionSource } from './sources';
import { everyByte, sha256 } from '../testing/every-byte';

describe('files service', () => {
  let sandbox: Sandbox;
  let source: SessionSource;
  let service: FilesService;
  let work: string;
  let downloads: string;
  let staging: string;
  let windowsId = '';
  const listeners = new Set<(view: TransferView) => void>();

  /** Resolves with the first view of transfer `id` that `done` accepts (the events as they come). */
  const until = (id: string, done: (view: TransferView) => boolean): Promise<TransferView> => {
    const now = service.list().transfers.find((t) => t.id === id);
    if (now && done(now)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const listener = (view: TransferView): void => {
        if (view.id !== id || !done(view)) return;
        listeners.delete(listener);
        resolve(view);
      };
      listeners.add(listener);
    });
  };
  const finished = (id: string) =>
    until(id, (v) => v.state === 'done' || v.state === 'failed' || v.state === 'cancelled');
  const target = () => ({
    instanceId: DEFAULT_INSTANCES.web,
    sourceId: SourceIdSchema.parse('sandbox'),
    region: RegionSchema.parse(sandbox.region),
  });

  /** What the renderer does: start, one chunk at a time (each awaited), end. */
  async function upload(data: Buffer, name: string, destination: string): Promise<string> {
    const { id } = await service.uploadStart({ ...target(), name, size: data.length, destination });
    for (let at = 0; at < data.length; at += UPLOAD_CHUNK_BYTES) {
      await service.uploadChunk({ id, data: data.subarray(at, at + UPLOAD_CHUNK_BYTES) });
    }
    await service.uploadEnd({ id });
    return id;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      pacing: false,
      logger: silentLogger,
      dataChannel: { shell: { file: '/bin/sh' } },
    });
    source = createAwsSource({
      info: {
        id: SourceIdSchema.parse('sandbox'),
        kind: 'sandbox',
        profile: 'sandbox',
        label: 'Local sandbox',
        regions: [RegionSchema.parse(sandbox.region)],
      },
      defaultRegion: sandbox.region,
      clientOptions: (region) => ({
        region,
        endpoint: sandbox.endpoint,
        credentials: sandbox.credentials,
      }),
    });
    work = await mkdtemp(path.join(tmpdir(), 'airlock-files-service-'));
    downloads = path.join(work, 'Downloads');
    staging = path.join(work, 'staging');
    await mkdir(path.join(work, 'remote'));
    windowsId = DEFAULT_INSTANCES.windows;
    service = createFilesService({
      sources: () => [source],
      inventory: {
        find: (instanceId) =>
          ({ platform: instanceId === windowsId ? 'Windows' : 'Linux' }) as Instance,
      },
      downloadsDir: () => downloads,
      stagingDir: staging,
      emit: (view) => {
        for (const listener of [...listeners]) listener(view);
      },
      newId: () => crypto.randomUUID(),
      clock: systemClock,
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await service.dispose();
    source.dispose();
    await sandbox.close();
    await rm(work, { recursive: true, force: true });
  });

  it('uploads streamed chunks holding every byte value, SHA-256 checked, and keeps no staged copy', async () => {
    const data = everyByte(700 * 1024 + 3);
    const id = await upload(data, 'every byte.bin', path.join(work, 'remote'));
    const view = await finished(id);
    expect(view).toMatchObject({
      state: 'done',
      destination: path.join(work, 'remote', 'every byte.bin'),
      doneBytes: data.length,
      sha256: sha256(data),
    });
    expect(sha256(await readFile(path.join(work, 'remote', 'every byte.bin')))).toBe(sha256(data));
    expect(await readdir(staging)).toEqual([]);
  });

  it('stops at an existing remote file, and replaces it only when asked', async () => {
    await writeFile(path.join(work, 'remote', 'taken.txt'), 'old');
    const id = await upload(Buffer.from('new'), 'taken.txt', path.join(work, 'remote'));
    const refused = await finished(id);
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('exists');
    expect(await readFile(path.join(work, 'remote', 'taken.txt'), 'utf8')).toBe('old');
    service.replace({ id });
    expect((await until(id, (v) => v.state === 'done')).destination).toBe(
      path.join(work, 'remote', 'taken.txt'),
    );
    expect(await readFile(path.join(work, 'remote', 'taken.txt'), 'utf8')).toBe('new');
  });

  it('a cancel while the bytes arrive ends the upload and refuses further chunks', async () => {
    const { id } = await service.uploadStart({
      ...target(),
      name: 'half.bin',
      size: 1000,
      destination: path.join(work, 'remote'),
    });
    await service.uploadChunk({ id, data: new Uint8Array(500) });
    service.cancel({ id });
    expect((await finished(id)).state).toBe('cancelled');
    await expect(service.uploadChunk({ id, data: new Uint8Array(10) })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(await readdir(staging)).toEqual([]);
    expect(await readdir(path.join(work, 'remote'))).not.toContain('half.bin');
  });

  it('a cancel while the upload runs leaves no file under the final name', async () => {
    const data = everyByte(4 * 1024 * 1024);
    const id = await upload(data, 'cancelled.bin', path.join(work, 'remote'));
    await until(id, (v) => v.state === 'running' && v.doneBytes > 0);
    service.cancel({ id });
    expect((await finished(id)).state).toBe('cancelled');
    const left = await readdir(path.join(work, 'remote'));
    expect(left.filter((name) => name.includes('cancelled'))).toEqual([]);
  });

  it('downloads into the Downloads folder and never overwrites a file there', async () => {
    const data = everyByte(300 * 1024);
    await writeFile(path.join(work, 'remote', 'report.tar.gz'), data);
    await mkdir(downloads, { recursive: true });
    await writeFile(path.join(downloads, 'report.tar.gz'), 'mine');
    const first = await service.download({
      ...target(),
      remotePath: path.join(work, 'remote', 'report.tar.gz'),
    });
    const done = await finished(first.id);
    expect(done).toMatchObject({
      state: 'done',
      destination: path.join(downloads, 'report (1).tar.gz'),
      sha256: sha256(data),
    });
    expect(await readFile(path.join(downloads, 'report.tar.gz'), 'utf8')).toBe('mine');
    expect(sha256(await readFile(path.join(downloads, 'report (1).tar.gz')))).toBe(sha256(data));
    const second = await service.download({
      ...target(),
      remotePath: path.join(work, 'remote', 'report.tar.gz'),
    });
    expect((await finished(second.id)).destination).toBe(path.join(downloads, 'report (2).tar.gz'));
    expect((await readdir(downloads)).sort()).toEqual([
      'report (1).tar.gz',
      'report (2).tar.gz',
      'report.tar.gz',
    ]);
  });

  it('names a missing remote file plainly and leaves nothing in Downloads', async () => {
    const before = await readdir(downloads).catch(() => []);
    const { id } = await service.download({
      ...target(),
      remotePath: path.join(work, 'remote', 'no-such-file'),
    });
    const view = await finished(id);
    expect(view.state).toBe('failed');
    expect(view.error?.code).toBe('missing');
    expect(await readdir(downloads)).toEqual(before);
  });

  it('a cancelled download leaves no file and no part file in Downloads', async () => {
    await writeFile(path.join(work, 'remote', 'big.bin'), everyByte(8 * 1024 * 1024));
    const before = await readdir(downloads);
    const { id } = await service.download({
      ...target(),
      remotePath: path.join(work, 'remote', 'big.bin'),
    });
    await until(id, (v) => v.doneBytes > 0);
    service.cancel({ id });
    expect((await finished(id)).state).toBe('cancelled');
    expect(await readdir(downloads)).toEqual(before);
  });

  it('runs the PowerShell sender on a Windows instance', async () => {
    // The sandbox's Windows instance runs the local sh, which has no powershell.exe: its answer
    // shows the PowerShell command, not a POSIX script, was what the session ran.
    const { id } = await service.download({
      ...target(),
      instanceId: windowsId,
      region: RegionSchema.parse('eu-west-1'),
      remotePath: 'C:\\x.txt',
    });
    const failed = await finished(id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/powershell\.exe/);
  });
});
