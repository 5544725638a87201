// SettingsService: user settings persisted as a versioned JSON file in the user data folder.
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/domain';
import type { Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem, type FileSystem } from '../base/fs';
import { Emitter } from '../base/event';

const SETTINGS_FILE = 'settings.json';

const SettingsFileSchema = z.object({
  version: z.literal(1),
  settings: z.record(z.string(), z.unknown()),
});

/**
 * The saved settings over the defaults, field by field: a field that is missing (an older file)
 * or no longer valid (edited by hand) falls back to its default without losing the others.
 */
function mergeSaved(saved: Record<string, unknown>, onInvalid: (field: string) => void): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [field, schema] of Object.entries(SettingsSchema.shape)) {
    if (!(field in saved)) continue;
    const parsed = (schema as z.ZodType).safeParse(saved[field]);
    if (parsed.success) merged[field] = parsed.data;
    else onInvalid(field);
  }
  return SettingsSchema.parse(merged);
}

export interface SettingsService {
  get(): Settings;
  /** Applies a patch, persists it, and notifies listeners when anything changed. */
  set(patch: SettingsPatch): Promise<Settings>;
  onChange(listener: (settings: Settings) => void): () => void;
  /** Drops every listener. */
  dispose(): void;
}

/** Loads settings; a missing or broken file yields defaults (the broken file is left for the user). */
export async function createSettingsService(options: {
  userDataDir: string;
  logger: Logger;
  /** Default: the real file system. */
  fs?: FileSystem;
}): Promise<SettingsService> {
  const logger = options.logger.child('settings');
  const fs = options.fs ?? nodeFileSystem;
  const file = path.join(options.userDataDir, SETTINGS_FILE);
  let current: Settings = { ...DEFAULT_SETTINGS };
  try {
    const parsed = SettingsFileSchema.safeParse(JSON.parse(await fs.readText(file)));
    if (parsed.success)
      current = mergeSaved(parsed.data.settings, (field) =>
        logger.log('warn', 'a saved setting is not valid; using its default', { field }),
      );
    else logger.log('warn', 'settings file has an unexpected shape; using defaults', { file });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.log('warn', 'settings file unreadable; using defaults', {
        error: toErrorMessage(error),
      });
    }
  }
  const changes = new Emitter<Settings>();
  // Writes are chained so two quick changes cannot land out of order.
  let writing: Promise<void> = Promise.resolve();

  async function persist(settings: Settings): Promise<void> {
    await fs.writeAtomic(file, `${JSON.stringify({ version: 1, settings }, null, 2)}\n`);
  }

  return {
    get: () => ({ ...current }),
    async set(patch) {
      const next = SettingsSchema.parse({ ...current, ...stripUndefined(patch) });
      const changed = JSON.stringify(next) !== JSON.stringify(current);
      current = next;
      const write = writing.then(() => persist(next));
      writing = write.catch(() => undefined);
      await write;
      if (changed) changes.fire({ ...next });
      return { ...next };
    },
    onChange(listener) {
      const subscription = changes.event(listener);
      return () => subscription.dispose();
    },
    dispose: () => changes.dispose(),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
