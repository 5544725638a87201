// The saved forwards file: what is saved reads back the same, a damaged file or entry is kept
// aside rather than lost, and a newer version's file is left alone.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { SavedForwardsFile } from './saved-forwards';

const spec = {
  id: 'db-1',
  name: 'web-1:5432',
  group: 'staging',
  region: 'us-east-1',
  target: 'i-0a1b2c3d4e5f60001',
  remote: { kind: 'instance-port' as const, port: 5432 },
  bindAddress: '127.0.0.1',
  localPort: 0,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-saved-forwards-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => new SavedForwardsFile({ dir, clock: new FakeClock(Date.UTC(2026, 0, 2)) });

describe('saved forwards file', () => {
  it('starts empty and reads back what was saved, with the start-on-launch settings', async () => {
    expect(await file().load()).toEqual({ forwards: [], groups: [] });
    const socks = {
      ...spec,
      id: 'socks-1',
      name: 'web-1 SOCKS',
      remote: { kind: 'socks' as const },
    };
    const saved = {
      forwards: [
        { spec, startOnLaunch: true },
        { spec: socks, startOnLaunch: false },
      ],
      groups: [{ name: 'staging', startOnLaunch: false }],
    };
    await file().save(saved);
    expect(await file().load()).toEqual(saved);
  });

  it('keeps an unreadable file aside and starts with no forwards', async () => {
    await writeFile(path.join(dir, 'forwards.json'), '{ not json');
    const loaded = await file().load();
    expect(loaded.forwards).toEqual([]);
    expect(loaded.notice).toMatch(/not valid JSON.*kept as .*forwards\.corrupt-2026-01-02/);
    const names = await readdir(dir);
    expect(names.some((name) => name.startsWith('forwards.corrupt-'))).toBe(true);
    expect(names).not.toContain('forwards.json');
  });

  it('leaves out only the bad entries, saying which, and keeps the original aside', async () => {
    const text = JSON.stringify({
      version: 1,
      forwards: [
        { spec, startOnLaunch: true },
        { spec: { ...spec, id: 'bad', localPort: 70000 }, startOnLaunch: false },
      ],
    });
    await writeFile(path.join(dir, 'forwards.json'), text);
    const loaded = await file().load();
    expect(loaded.forwards).toEqual([{ spec, startOnLaunch: true }]);
    expect(loaded.notice).toMatch(/1 saved forward was left out \(#2: spec.localPort/);
    const aside = (await readdir(dir)).find((name) => name.startsWith('forwards.corrupt-'));
    expect(await readFile(path.join(dir, aside ?? 'missing'), 'utf8')).toBe(text);
  });

  it('leaves a newer version alone and refuses to overwrite it', async () => {
    const text = JSON.stringify({ version: 99, forwards: [] });
    await writeFile(path.join(dir, 'forwards.json'), text);
    const newer = file();
    const loaded = await newer.load();
    expect(loaded.notice).toMatch(/newer Airlock/);
    await expect(newer.save({ forwards: [], groups: [] })).rejects.toThrow(/newer Airlock/);
    expect(await readFile(path.join(dir, 'forwards.json'), 'utf8')).toBe(text);
  });
});
