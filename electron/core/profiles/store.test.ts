import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { forwardSpecInputFromProfile, type ForwardProfile } from './schema';
import { ProfileStore, ProfileStoreError } from './store';

let dir: string;
let clock: FakeClock;
let ids: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-profiles-'));
  clock = new FakeClock(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
  ids = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function newStore(): ProfileStore {
  return new ProfileStore({ dir, clock, newId: () => `id-${++ids}` });
}

const shell = {
  kind: 'shell',
  name: 'Bastion shell',
  awsProfile: 'dev',
  region: 'eu-west-1',
  target: { by: 'name', name: 'bastion' },
  documentName: 'AWS-StartInteractiveCommand',
  parameters: { command: ['bash -l'] },
};

const forward = {
  kind: 'forward',
  name: 'Staging DB',
  region: 'eu-west-1',
  target: { by: 'tag', key: 'role', value: 'db' },
  remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
  localPort: 15432,
  bindAddress: '127.0.0.2',
  group: 'staging DBs',
};

async function files(): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('ProfileStore', () => {
  it('starts empty without a file and round-trips profiles', async () => {
    const store = newStore();
    expect(await store.load()).toEqual({ status: 'missing' });
    const savedShell = await store.save(shell);
    const savedForward = await store.save(forward);
    expect(savedShell).toMatchObject({
      id: 'id-1',
      kind: 'shell',
      createdAt: '2025-01-02T03:04:05.006Z',
    });
    expect(savedForward).toMatchObject({ id: 'id-2', kind: 'forward', bindAddress: '127.0.0.2' });

    const reread = newStore();
    expect(await reread.load()).toEqual({ status: 'ok' });
    expect(reread.list()).toEqual([savedShell, savedForward]);
    const onDisk = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as {
      version: number;
    };
    expect(onDisk.version).toBe(2);
    expect(await files()).toEqual(['profiles.json']);
  });

  it('updates by id, keeps createdAt, and removes', async () => {
    const store = newStore();
    await store.load();
    const saved = await store.save(forward);
    clock.advance(60_000);
    const updated = await store.save({ ...saved, name: 'Staging DB (new)' });
    expect(updated.createdAt).toBe(saved.createdAt);
    expect(updated.updatedAt).not.toBe(saved.updatedAt);
    expect(store.list()).toHaveLength(1);
    expect(await store.remove(saved.id)).toBe(true);
    expect(await store.remove(saved.id)).toBe(false);
    const reread = newStore();
    await reread.load();
    expect(reread.list()).toEqual([]);
  });

  it('refuses invalid profiles with every problem named', async () => {
    const store = newStore();
    await store.load();
    await expect(store.save({ ...forward, localPort: -1, region: 'x' })).rejects.toMatchObject({
      code: 'invalid-profile',
      message: expect.stringMatching(/region: .*localPort: /) as unknown,
    });
    await expect(store.save({ ...forward, bindAddress: '0.0.0.0' })).rejects.toThrow(
      /allowAllInterfaces/,
    );
    await expect(store.save('nope')).rejects.toBeInstanceOf(ProfileStoreError);
    await expect(store.save({ ...shell, kind: 'rdp' })).rejects.toThrow(
      /kind must be 'shell' or 'forward'/,
    );
    expect(store.list()).toEqual([]);
  });

  it('migrates a version 1 file and keeps the original', async () => {
    const v1 = {
      version: 1,
      profiles: [
        {
          name: 'web',
          type: 'port-forward',
          profile: 'dev',
          region: 'us-east-1',
          instanceId: 'i-0abc12345678',
          port: 80,
          localPort: 8080,
        },
        {
          name: 'db',
          type: 'port-forward',
          region: 'us-east-1',
          instanceId: 'i-0abc12345678',
          host: 'db.local',
          port: 3306,
        },
        {
          name: 'box',
          type: 'shell',
          region: 'us-east-1',
          instanceId: 'i-0abc12345678',
          document: 'AWS-StartInteractiveCommand',
        },
      ],
    };
    const original = JSON.stringify(v1);
    await writeFile(join(dir, 'profiles.json'), original);
    const store = newStore();
    const report = await store.load();
    expect(report).toMatchObject({
      status: 'migrated',
      fromVersion: 1,
      backupPath: join(dir, 'profiles.v1.json'),
    });
    expect(store.list()).toEqual([
      {
        kind: 'forward',
        id: 'id-1',
        name: 'web',
        awsProfile: 'dev',
        region: 'us-east-1',
        target: { by: 'id', id: 'i-0abc12345678' },
        remote: { kind: 'instance-port', port: 80 },
        localPort: 8080,
        bindAddress: '127.0.0.1',
      },
      {
        kind: 'forward',
        id: 'id-2',
        name: 'db',
        region: 'us-east-1',
        target: { by: 'id', id: 'i-0abc12345678' },
        remote: { kind: 'remote-host', host: 'db.local', port: 3306 },
        localPort: 0,
        bindAddress: '127.0.0.1',
      },
      {
        kind: 'shell',
        id: 'id-3',
        name: 'box',
        region: 'us-east-1',
        target: { by: 'id', id: 'i-0abc12345678' },
        documentName: 'AWS-StartInteractiveCommand',
      },
    ]);
    expect(await readFile(join(dir, 'profiles.v1.json'), 'utf8')).toBe(original);
    const reread = newStore();
    expect(await reread.load()).toEqual({ status: 'ok' });
    expect(reread.list()).toEqual(store.list());
  });

  it('moves a corrupt file aside and never overwrites it', async () => {
    const garbage = '{"version": 2, "profiles": [ {"kind": "shell", "na';
    await writeFile(join(dir, 'profiles.json'), garbage);
    const store = newStore();
    const report = await store.load();
    const movedTo = join(dir, 'profiles.corrupt-2025-01-02T03-04-05-006Z.json');
    expect(report).toMatchObject({ status: 'corrupt', movedTo });
    expect(report.message).toMatch(/is not valid JSON/);
    expect(await readFile(movedTo, 'utf8')).toBe(garbage);
    expect(store.list()).toEqual([]);
    await store.save(shell);
    expect(await readFile(movedTo, 'utf8')).toBe(garbage);

    // A second corrupt file in the same millisecond gets its own name.
    await writeFile(join(dir, 'profiles.json'), '[]');
    expect((await newStore().load()).movedTo).toBe(
      join(dir, 'profiles.corrupt-2025-01-02T03-04-05-006Z-2.json'),
    );
  });

  it('keeps readable entries of a partly broken file and the original aside', async () => {
    const good = { ...shell, id: 'keep' };
    const text = JSON.stringify({
      version: 2,
      profiles: [good, { kind: 'shell', name: 7 }, { ...good }],
    });
    await writeFile(join(dir, 'profiles.json'), text);
    const store = newStore();
    const report = await store.load();
    expect(report.status).toBe('recovered');
    expect(report.skipped).toEqual([
      { index: 1, message: expect.stringContaining('name: name must be text') as unknown },
      { index: 2, message: 'duplicate id keep' },
    ]);
    expect(store.list().map((p) => p.id)).toEqual(['keep']);
    expect(await readFile(report.movedTo!, 'utf8')).toBe(text);
  });

  it('refuses a newer version, leaves it untouched and stays read-only', async () => {
    const newer = JSON.stringify({ version: 3, profiles: [{ kind: 'ssh-key', whatever: true }] });
    await writeFile(join(dir, 'profiles.json'), newer);
    const store = newStore();
    const report = await store.load();
    expect(report).toMatchObject({ status: 'newer-version', fromVersion: 3 });
    expect(report.message).toMatch(/newer Airlock/);
    expect(store.readOnly).toMatch(/saving profiles is disabled/);
    await expect(store.save(shell)).rejects.toMatchObject({ code: 'newer-version' });
    await expect(store.importProfiles('[]')).rejects.toMatchObject({ code: 'newer-version' });
    expect(await readFile(join(dir, 'profiles.json'), 'utf8')).toBe(newer);
    expect(await files()).toEqual(['profiles.json']);
  });

  it('exports and imports, merging by id and reporting bad entries', async () => {
    const source = newStore();
    await source.load();
    const a = await source.save(shell);
    await source.save(forward);
    const exported = source.exportProfiles([a.id]);
    expect(JSON.parse(exported)).toMatchObject({ version: 2, profiles: [{ id: a.id }] });

    await rm(join(dir, 'profiles.json'));
    const target = newStore();
    await target.load();
    const first = await target.importProfiles(source.exportProfiles());
    expect(first).toEqual({ added: 2, replaced: 0, errors: [] });
    const again = await target.importProfiles(
      JSON.stringify([
        { ...a, name: 'Renamed' },
        { ...shell },
        { kind: 'forward', name: 'broken' },
      ]),
    );
    expect(again.added).toBe(1);
    expect(again.replaced).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]!.index).toBe(2);
    expect(target.get(a.id)!.name).toBe('Renamed');
    expect(target.list()).toHaveLength(3);

    const v1Import = await target.importProfiles(
      JSON.stringify({
        version: 1,
        profiles: [
          { name: 'old', type: 'shell', region: 'eu-west-1', instanceId: 'i-0abc12345678' },
        ],
      }),
    );
    expect(v1Import.added).toBe(1);
    // Plain words, not JSON.parse's "Unexpected token ... at position ...".
    const notJson = target.importProfiles('{"version": 2, "profiles": [');
    await expect(notJson).rejects.toMatchObject({
      code: 'invalid-import',
      message: expect.stringMatching(/^This file is not a profiles export from Airlock/) as string,
    });
    await expect(notJson).rejects.not.toThrow(/position|Unexpected|JSON\.parse/);
    await expect(target.importProfiles('{"a":1}')).rejects.toMatchObject({
      code: 'invalid-import',
    });
    await expect(target.importProfiles('{"version":9,"profiles":[]}')).rejects.toMatchObject({
      code: 'newer-version',
    });
  });

  it('creates the user data folder on first save', async () => {
    const store = new ProfileStore({ dir: join(dir, 'nested', 'Airlock'), clock });
    expect(await store.load()).toEqual({ status: 'missing' });
    await store.save(shell);
    expect(await readdir(join(dir, 'nested', 'Airlock'))).toEqual(['profiles.json']);
  });

  it('requires load() first', () => {
    expect(() => newStore().list()).toThrow(/call load\(\) first/);
  });

  it('turns a forward profile into a forward spec input', async () => {
    const store = newStore();
    await store.load();
    const saved = (await store.save(forward)) as ForwardProfile;
    expect(forwardSpecInputFromProfile(saved, 'i-0123456789abcdef0')).toEqual({
      id: saved.id,
      name: 'Staging DB',
      group: 'staging DBs',
      region: 'eu-west-1',
      target: 'i-0123456789abcdef0',
      remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
      bindAddress: '127.0.0.2',
      localPort: 15432,
    });
    const restarting = (await store.save({
      ...forward,
      name: 'Restarting DB',
      restartEndedSessions: true,
    })) as ForwardProfile;
    expect(forwardSpecInputFromProfile(restarting, 'i-0123456789abcdef0')).toMatchObject({
      restartEndedSessions: true,
    });
  });
});
