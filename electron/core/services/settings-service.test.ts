// Settings persistence: defaults, round trip, broken files, change notifications.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { silentLogger } from '../base/logger';
import { createSettingsService } from './settings-service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SettingsService', () => {
  it('tells no listener once disposed, and still saves', async () => {
    const service = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    const changes: unknown[] = [];
    service.onChange((settings) => changes.push(settings));
    service.dispose();
    expect(await service.set({ fontSize: 18 })).toEqual({ ...DEFAULT_SETTINGS, fontSize: 18 });
    expect(changes).toEqual([]);
    const file = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')) as unknown;
    expect(file).toEqual({ version: 1, settings: { ...DEFAULT_SETTINGS, fontSize: 18 } });
  });

  it('starts from defaults and persists patches in a versioned file', async () => {
    const service = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    expect(service.get()).toEqual({ ...DEFAULT_SETTINGS });
    const changes: unknown[] = [];
    service.onChange((settings) => changes.push(settings));
    expect(await service.set({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    await service.set({ theme: 'dark' });
    expect(changes).toEqual([{ ...DEFAULT_SETTINGS, theme: 'dark' }]);
    const file = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')) as unknown;
    expect(file).toEqual({ version: 1, settings: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    const again = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    expect(again.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
  });

  it('falls back to defaults for a broken or foreign file', async () => {
    await writeFile(path.join(dir, 'settings.json'), '{not json');
    expect(
      (await createSettingsService({ userDataDir: dir, logger: silentLogger })).get().theme,
    ).toBe('system');
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ version: 9, settings: {} }));
    expect(
      (await createSettingsService({ userDataDir: dir, logger: silentLogger })).get().fontSize,
    ).toBe(14);
  });

  it('keeps valid fields of an older partial file', async () => {
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ version: 1, settings: { fontSize: 18 } }),
    );
    expect((await createSettingsService({ userDataDir: dir, logger: silentLogger })).get()).toEqual(
      { ...DEFAULT_SETTINGS, fontSize: 18 },
    );
  });

  it('persists the production rule and the close confirmation, and tells listeners', async () => {
    const service = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    const changes: unknown[] = [];
    service.onChange((settings) => changes.push(settings));
    const production = { tagKeys: ['Tier'], tagValues: ['live'], profiles: ['payments'] };
    await service.set({ production, confirmEndLiveSession: false });
    expect(changes).toEqual([{ ...DEFAULT_SETTINGS, production, confirmEndLiveSession: false }]);
    const again = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    expect(again.get().production).toEqual(production);
    expect(again.get().confirmEndLiveSession).toBe(false);
  });
});

describe('SettingsService terminal text', () => {
  it('persists the font family and line height', async () => {
    const service = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    expect(service.get()).toMatchObject({ fontFamily: 'JetBrains Mono', lineHeight: 1.2 });
    await service.set({ fontFamily: 'Fira Code', lineHeight: 1.5 });
    const again = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    expect(again.get()).toMatchObject({ fontFamily: 'Fira Code', lineHeight: 1.5 });
  });

  it('refuses a font name that could break out of the font list, or a clipping line height', async () => {
    const service = await createSettingsService({ userDataDir: dir, logger: silentLogger });
    await expect(service.set({ fontFamily: 'Evil", serif; x' })).rejects.toThrow(/font name/);
    await expect(service.set({ lineHeight: 1 })).rejects.toThrow();
    expect(service.get()).toMatchObject({ fontFamily: 'JetBrains Mono', lineHeight: 1.2 });
  });

  it('keeps the valid fields of a file with one invalid field', async () => {
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ version: 1, settings: { fontSize: 18, lineHeight: 0.5, theme: 'dark' } }),
    );
    expect((await createSettingsService({ userDataDir: dir, logger: silentLogger })).get()).toEqual(
      { ...DEFAULT_SETTINGS, fontSize: 18, theme: 'dark' },
    );
  });
});
