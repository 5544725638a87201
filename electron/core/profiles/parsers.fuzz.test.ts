// Property-based tests of the profile and settings parsers: whatever a file or an import holds,
// they answer with a report or their own error, and what they keep always passes the schema.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../shared/domain';
import type { FileInfo, FileSystem } from '../base/fs';
import { silentLogger } from '../base/logger';
import { createSettingsService } from '../services/settings-service';
import { FakeClock } from '../testing/fake-clock';
import { ConnectionProfileSchema, CURRENT_PROFILES_VERSION } from './schema';
import { ProfileStore, ProfileStoreError } from './store';

/** A FileSystem in a Map, so thousands of runs never touch the disk. */
function memoryFileSystem(files = new Map<string, Uint8Array>()): FileSystem {
  const missing = (path: string): NodeJS.ErrnoException =>
    Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  const read = (path: string): Uint8Array => {
    const bytes = files.get(path);
    if (!bytes) throw missing(path);
    return bytes;
  };
  return {
    readFile: (path) => Promise.resolve().then(() => read(path)),
    readText: (path) => Promise.resolve().then(() => new TextDecoder().decode(read(path))),
    writeAtomic: (path, data) => {
      files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
      return Promise.resolve();
    },
    removeStaleTempFiles: () => Promise.resolve(0),
    stat: (path) =>
      Promise.resolve().then((): FileInfo => {
        const bytes = read(path);
        return { size: bytes.length, mtimeMs: 0, isFile: () => true, isDirectory: () => false };
      }),
    exists: (path) => Promise.resolve(files.has(path)),
    readdir: () => Promise.resolve([...files.keys()]),
    mkdir: () => Promise.resolve(),
    rm: (path) => {
      files.delete(path);
      return Promise.resolve();
    },
    rename: (from, to) =>
      Promise.resolve().then(() => {
        files.set(to, read(from));
        files.delete(from);
      }),
    copyFile: (from, to) =>
      Promise.resolve().then(() => {
        files.set(to, read(from).slice());
      }),
  };
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Objects shaped roughly like profiles, so runs reach the schema and not only JSON.parse. */
const profileLike = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()),
    kind: fc.constantFrom('shell', 'forward', 'other', 7),
    name: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('')),
    awsProfile: fc.string({ maxLength: 12 }),
    region: fc.constantFrom('eu-west-1', 'us-east-1', 'nowhere', ''),
    target: fc.oneof(
      fc.record({ by: fc.constant('name'), name: fc.string({ maxLength: 12 }) }),
      fc.record({ by: fc.constant('id'), id: fc.constantFrom('i-0123456789abcdef0', 'x') }),
      fc.record({ by: fc.constant('tag'), key: fc.string(), value: fc.string() }),
      fc.anything(),
    ),
    remote: fc.oneof(
      fc.record({ kind: fc.constant('instance-port'), port: fc.integer() }),
      fc.record({ kind: fc.constant('remote-host'), host: fc.string(), port: fc.integer() }),
    ),
    localPort: fc.integer({ min: -5, max: 70_000 }),
    bindAddress: fc.constantFrom('127.0.0.1', '127.0.0.2', '0.0.0.0', 'x'),
    group: fc.string({ maxLength: 12 }),
    documentName: fc.string({ maxLength: 20 }),
    parameters: fc.dictionary(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }))),
    createdAt: fc.constantFrom('2025-01-01T00:00:00.000Z', 'yesterday', 3),
  },
  { requiredKeys: [] },
);

/** Profiles the schema accepts (varied names, ports and targets), mixed into the inputs above. */
const validProfile = fc.oneof(
  fc.record({
    kind: fc.constant('shell'),
    name: fc.string({ minLength: 1, maxLength: 30 }).filter((n) => n.trim().length > 0),
    awsProfile: fc.constantFrom('dev', 'prod'),
    region: fc.constantFrom('eu-west-1', 'us-east-1'),
    target: fc.record({ by: fc.constant('name'), name: fc.constantFrom('bastion', 'web') }),
  }),
  fc.record({
    kind: fc.constant('forward'),
    name: fc.string({ minLength: 1, maxLength: 30 }).filter((n) => n.trim().length > 0),
    region: fc.constant('eu-west-1'),
    target: fc.record({ by: fc.constant('tag'), key: fc.constant('role'), value: fc.string() }),
    remote: fc.record({
      kind: fc.constant('remote-host'),
      host: fc.constantFrom('db.internal', '10.0.0.5'),
      port: fc.integer({ min: 1, max: 65_535 }),
    }),
    localPort: fc.integer({ min: 1024, max: 65_535 }),
  }),
);

const documentText: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.oneof(validProfile, validProfile, profileLike), { maxLength: 6 })
    .map((profiles) => JSON.stringify({ version: CURRENT_PROFILES_VERSION, profiles })),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc
    .record({
      version: fc.oneof(fc.constantFrom(1, 2, CURRENT_PROFILES_VERSION + 1), fc.anything()),
      profiles: fc.oneof(fc.array(profileLike, { maxLength: 6 }), fc.anything()),
    })
    .map((value) => JSON.stringify(value) ?? 'null'),
  fc.array(profileLike, { maxLength: 6 }).map((value) => JSON.stringify(value)),
);

function storeOn(fs: FileSystem): ProfileStore {
  let ids = 0;
  return new ProfileStore({
    dir: '/data',
    fs,
    clock: new FakeClock(Date.UTC(2025, 0, 2)),
    newId: () => `id-${++ids}`,
  });
}

describe('profile parsing (property-based)', () => {
  it('loads any file content into a report and keeps only valid profiles', async () => {
    await fc.assert(
      fc.asyncProperty(documentText, async (content) => {
        const store = storeOn(memoryFileSystem(new Map([['/data/profiles.json', text(content)]])));
        const report = await store.load();
        expect(['ok', 'migrated', 'recovered', 'corrupt', 'newer-version']).toContain(
          report.status,
        );
        for (const profile of store.list()) {
          expect(ConnectionProfileSchema.safeParse(profile).success).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('imports anything into a report or a ProfileStoreError, and what it keeps round-trips', async () => {
    let importsKept = 0;
    await fc.assert(
      fc.asyncProperty(documentText, async (content) => {
        const store = storeOn(memoryFileSystem());
        await store.load();
        try {
          const report = await store.importProfiles(content);
          expect(report.added + report.replaced + report.errors.length).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ProfileStoreError);
        }
        const kept = store.list();
        if (kept.length > 0) importsKept++;
        for (const profile of kept) {
          expect(ConnectionProfileSchema.safeParse(profile).success).toBe(true);
        }
        // Export and import into a fresh store: the same profiles come back.
        const copy = storeOn(memoryFileSystem());
        await copy.load();
        const again = await copy.importProfiles(store.exportProfiles());
        expect(again.errors).toEqual([]);
        expect(copy.list().map(({ updatedAt: _u, ...rest }) => rest)).toEqual(
          kept.map(({ updatedAt: _u, ...rest }) => rest),
        );
      }),
      { numRuns: 400 },
    );
    // The inputs must reach the schema's accepting side, or the round trip proves nothing.
    expect(importsKept).toBeGreaterThan(20);
  });
});

describe('settings parsing (property-based)', () => {
  it('reads any settings file into valid settings without throwing', async () => {
    const settingsLike = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.anything()),
        settings: fc.oneof(
          fc.dictionary(
            fc.constantFrom('theme', 'fontSize', 'fontFamily', 'scrollback', 'confirmClose', 'x'),
            fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const content: fc.Arbitrary<string> = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      settingsLike.map((value) => JSON.stringify(value) ?? 'null'),
    );
    await fc.assert(
      fc.asyncProperty(content, async (fileText) => {
        const service = await createSettingsService({
          userDataDir: '/data',
          logger: silentLogger,
          fs: memoryFileSystem(new Map([['/data/settings.json', text(fileText)]])),
        });
        try {
          expect(SettingsSchema.safeParse(service.get()).success).toBe(true);
        } finally {
          service.dispose();
        }
      }),
      { numRuns: 400 },
    );
  });
});
