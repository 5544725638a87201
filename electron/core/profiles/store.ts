// ProfileStore: the saved connection profiles file in the user data folder (load, migrate, save, import, export).

import { join } from 'node:path';
import { formatIssues } from '../forwarding/spec';
import { systemClock, type Clock } from '../base/clock';
import { silentLogger, type Logger } from '../base/logger';
import { migrateProfiles } from './migrations';
import {
  CURRENT_PROFILES_VERSION,
  ConnectionProfileSchema,
  ProfilesEnvelopeSchema,
  type ConnectionProfile,
  type ProfilesDocument,
} from './schema';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { systemRandom } from '../base/random';

export type ProfileStoreErrorCode =
  'invalid-profile' | 'invalid-import' | 'newer-version' | 'not-loaded' | 'not-found' | 'io';

export class ProfileStoreError extends Error {
  override readonly name = 'ProfileStoreError';

  constructor(
    readonly code: ProfileStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * - `ok`: read as is; `missing`: no file yet (first run);
 * - `migrated`: an older version was upgraded (the original is kept as `backupPath`);
 * - `recovered`: some entries were unreadable: the original file was moved to `movedTo` and
 *   the readable entries kept;
 * - `corrupt`: the file could not be read at all and was moved to `movedTo`;
 * - `newer-version`: written by a newer Airlock; left untouched and the store is read-only.
 */
export interface LoadReport {
  status: 'ok' | 'missing' | 'migrated' | 'recovered' | 'corrupt' | 'newer-version';
  /** A sentence for the user when status is not ok/missing. */
  message?: string;
  movedTo?: string;
  backupPath?: string;
  fromVersion?: number;
  /** Entries that failed validation, with the reason. */
  skipped?: { index: number; message: string }[];
}

export interface ImportReport {
  added: number;
  /** Profiles whose id already existed and were replaced by the imported version. */
  replaced: number;
  errors: { index: number; message: string }[];
}

export interface ProfileStoreOptions {
  /** The user data folder (app.getPath('userData') in Electron, a temp dir in tests). */
  dir: string;
  fileName?: string;
  clock?: Clock;
  newId?: () => string;
  logger?: Logger;
  /** Default: the real file system. */
  fs?: FileSystem;
}

export class ProfileStore {
  readonly filePath: string;
  private profiles: ConnectionProfile[] = [];
  private loaded = false;
  private readOnlyReason: string | undefined;
  /** Writes run one after another so a slow one cannot overwrite a later one. */
  private writes: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly logger: Logger;
  private readonly fs: FileSystem;

  constructor(private readonly options: ProfileStoreOptions) {
    this.filePath = join(options.dir, options.fileName ?? 'profiles.json');
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => systemRandom.uuid());
    this.logger = (options.logger ?? silentLogger).child('profiles');
    this.fs = options.fs ?? nodeFileSystem;
  }

  /** Set when saving is refused (the file is from a newer version), with the reason. */
  get readOnly(): string | undefined {
    return this.readOnlyReason;
  }

  /** Reads the file. Never throws for bad content: the report says what happened. */
  async load(): Promise<LoadReport> {
    await this.fs.removeStaleTempFiles(this.filePath);
    this.readOnlyReason = undefined;
    this.profiles = [];
    let text: string;
    try {
      text = await this.fs.readText(this.filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.loaded = true;
        return { status: 'missing' };
      }
      throw new ProfileStoreError('io', `Cannot read ${this.filePath}: ${toErrorMessage(error)}`);
    }
    const report = await this.readDocument(text);
    this.loaded = true;
    if (report.message) this.logger.log('warn', report.message, { status: report.status });
    return report;
  }

  list(): ConnectionProfile[] {
    this.assertLoaded();
    return this.profiles.map((profile) => structuredClone(profile));
  }

  get(id: string): ConnectionProfile | undefined {
    this.assertLoaded();
    const profile = this.profiles.find((p) => p.id === id);
    return profile ? structuredClone(profile) : undefined;
  }

  /**
   * Creates (no or unknown id) or replaces (known id) a profile and writes the file.
   * Throws ProfileStoreError 'invalid-profile' listing every problem.
   */
  async save(input: unknown): Promise<ConnectionProfile> {
    this.assertWritable();
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ProfileStoreError('invalid-profile', 'Invalid profile: expected an object');
    }
    const raw = input as Record<string, unknown>;
    const now = new Date(this.clock.now()).toISOString();
    const id = typeof raw.id === 'string' ? raw.id : this.newId();
    const existing = this.profiles.find((p) => p.id === id);
    const result = ConnectionProfileSchema.safeParse({
      ...raw,
      id,
      createdAt: existing?.createdAt ?? (typeof raw.createdAt === 'string' ? raw.createdAt : now),
      updatedAt: now,
    });
    if (!result.success) {
      throw new ProfileStoreError(
        'invalid-profile',
        `Invalid profile: ${formatIssues(result.error.issues)}`,
      );
    }
    const profile = result.data;
    const next = existing
      ? this.profiles.map((p) => (p.id === id ? profile : p))
      : [...this.profiles, profile];
    await this.commit(next);
    return structuredClone(profile);
  }

  async remove(id: string): Promise<boolean> {
    this.assertWritable();
    if (!this.profiles.some((p) => p.id === id)) return false;
    await this.commit(this.profiles.filter((p) => p.id !== id));
    return true;
  }

  /**
   * Imports profiles from exported text (a profiles file of any known version, or a bare array).
   * Valid entries are merged by id (same id: replaced; no id: a new one); invalid ones are
   * reported and skipped. A file from a newer version is refused as a whole.
   */
  async importProfiles(text: string): Promise<ImportReport> {
    this.assertWritable();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse's own words ("Unexpected token } in JSON at position 12") help no one here.
      throw new ProfileStoreError(
        'invalid-import',
        'This file is not a profiles export from Airlock: it is not a JSON file, or it was cut off. Nothing was imported.',
      );
    }
    let version = CURRENT_PROFILES_VERSION as number;
    let entries: unknown[];
    if (Array.isArray(parsed)) {
      entries = parsed;
    } else {
      const envelope = ProfilesEnvelopeSchema.safeParse(parsed);
      if (!envelope.success) {
        throw new ProfileStoreError(
          'invalid-import',
          'This file is not a profiles export from Airlock: choose a file that Export profiles saved. Nothing was imported.',
        );
      }
      version = envelope.data.version;
      entries = envelope.data.profiles;
    }
    if (version > CURRENT_PROFILES_VERSION) {
      throw new ProfileStoreError(
        'newer-version',
        `The import was written by a newer Airlock (profiles version ${version}); this version reads up to ${CURRENT_PROFILES_VERSION}`,
      );
    }
    const migrated = migrateProfiles(version, entries, { newId: this.newId });
    const now = new Date(this.clock.now()).toISOString();
    const report: ImportReport = { added: 0, replaced: 0, errors: [] };
    const next = [...this.profiles];
    const seen = new Set<string>();
    migrated.forEach((entry, index) => {
      const withId =
        typeof entry === 'object' && entry !== null && !Array.isArray(entry)
          ? {
              ...entry,
              id: (entry as { id?: unknown }).id ?? this.newId(),
              updatedAt: now,
              createdAt: (entry as { createdAt?: unknown }).createdAt ?? now,
            }
          : entry;
      const result = ConnectionProfileSchema.safeParse(withId);
      if (!result.success) {
        report.errors.push({ index, message: formatIssues(result.error.issues) });
        return;
      }
      const profile = result.data;
      if (seen.has(profile.id)) {
        report.errors.push({ index, message: `id ${profile.id} appears twice in the import` });
        return;
      }
      seen.add(profile.id);
      const at = next.findIndex((p) => p.id === profile.id);
      if (at >= 0) {
        next[at] = profile;
        report.replaced++;
      } else {
        next.push(profile);
        report.added++;
      }
    });
    if (report.added + report.replaced > 0) await this.commit(next);
    return report;
  }

  /** The profiles (all, or those with the given ids) as a current-version file's text. */
  exportProfiles(ids?: readonly string[]): string {
    this.assertLoaded();
    const wanted = ids ? new Set(ids) : undefined;
    const profiles = this.profiles.filter((p) => !wanted || wanted.has(p.id));
    return serializeProfiles(profiles);
  }

  // ---- internals ----

  private async readDocument(text: string): Promise<LoadReport> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.moveAsideCorrupt('is not valid JSON');
    }
    const envelope = ProfilesEnvelopeSchema.safeParse(parsed);
    if (!envelope.success)
      return this.moveAsideCorrupt('does not have the { version, profiles } shape');
    const { version, profiles: entries } = envelope.data;
    if (version > CURRENT_PROFILES_VERSION) {
      this.readOnlyReason =
        `${this.filePath} was written by a newer Airlock (profiles version ${version}; this ` +
        `version reads up to ${CURRENT_PROFILES_VERSION}). It was left untouched and saving ` +
        'profiles is disabled until you update Airlock.';
      return { status: 'newer-version', message: this.readOnlyReason, fromVersion: version };
    }
    const migrated = migrateProfiles(version, entries, { newId: this.newId });
    const skipped: { index: number; message: string }[] = [];
    const ids = new Set<string>();
    const valid: ConnectionProfile[] = [];
    migrated.forEach((entry, index) => {
      const result = ConnectionProfileSchema.safeParse(entry);
      if (!result.success) {
        skipped.push({ index, message: formatIssues(result.error.issues) });
      } else if (ids.has(result.data.id)) {
        skipped.push({ index, message: `duplicate id ${result.data.id}` });
      } else {
        ids.add(result.data.id);
        valid.push(result.data);
      }
    });

    if (skipped.length > 0) {
      // Keep the original aside untouched, then continue with what could be read.
      const movedTo = await this.moveAside();
      await this.commit(valid);
      return {
        status: 'recovered',
        message:
          `${skipped.length} of ${entries.length} saved profiles could not be read and were ` +
          `left out; the original file was kept as ${movedTo}`,
        movedTo,
        skipped,
        ...(version !== CURRENT_PROFILES_VERSION && { fromVersion: version }),
      };
    }
    if (version < CURRENT_PROFILES_VERSION) {
      const backupPath = await this.backupOldVersion(version);
      await this.commit(valid);
      return {
        status: 'migrated',
        message: `Saved profiles were upgraded from version ${version} to ${CURRENT_PROFILES_VERSION}; the old file was kept as ${backupPath}`,
        fromVersion: version,
        backupPath,
      };
    }
    this.profiles = valid;
    return { status: 'ok' };
  }

  private async moveAsideCorrupt(why: string): Promise<LoadReport> {
    const movedTo = await this.moveAside();
    return {
      status: 'corrupt',
      message: `${this.filePath} ${why}; it was moved to ${movedTo} and Airlock starts with no saved profiles`,
      movedTo,
    };
  }

  /** Renames the file to `<name>.corrupt-<timestamp>.json` (never over an existing file). */
  private async moveAside(): Promise<string> {
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    const base = this.filePath.replace(/\.json$/i, '');
    let target = `${base}.corrupt-${stamp}.json`;
    for (let n = 2; await this.fs.exists(target); n++)
      target = `${base}.corrupt-${stamp}-${n}.json`;
    await this.fs.rename(this.filePath, target);
    return target;
  }

  /** Copies the pre-migration file to `<name>.v<N>.json` once, so a downgrade can still read it. */
  private async backupOldVersion(version: number): Promise<string> {
    const base = this.filePath.replace(/\.json$/i, '');
    const target = `${base}.v${version}.json`;
    // Written like every file Airlock keeps (private, atomic), not copied with the old file's mode.
    if (!(await this.fs.exists(target))) {
      await this.fs.writeAtomic(target, await this.fs.readFile(this.filePath));
    }
    return target;
  }

  /** Writes `next` atomically, then makes it the in-memory state (only if the write worked). */
  private commit(next: ConnectionProfile[]): Promise<void> {
    const run = this.writes.then(async () => {
      try {
        await this.fs.writeAtomic(this.filePath, serializeProfiles(next));
      } catch (error) {
        throw new ProfileStoreError(
          'io',
          `Cannot save profiles to ${this.filePath}: ${toErrorMessage(error)}`,
        );
      }
      this.profiles = next;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private assertLoaded(): void {
    if (!this.loaded)
      throw new ProfileStoreError('not-loaded', 'Profiles were not loaded yet (call load() first)');
  }

  private assertWritable(): void {
    this.assertLoaded();
    if (this.readOnlyReason) throw new ProfileStoreError('newer-version', this.readOnlyReason);
  }
}

export function serializeProfiles(profiles: readonly ConnectionProfile[]): string {
  const document: ProfilesDocument = { version: CURRENT_PROFILES_VERSION, profiles: [...profiles] };
  return `${JSON.stringify(document, null, 2)}\n`;
}
