// FileSystem port: the file operations core needs, so core never imports node:fs and a test can
// see or replace what it touches. Errors are Node's (with `code`, e.g. 'ENOENT').
import { copyFile, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { removeStaleTempFiles, writeFileAtomic, type AtomicWriteOptions } from './atomic-write';

export interface FileInfo {
  readonly size: number;
  readonly mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** The file decoded as UTF-8. */
  readText(path: string): Promise<string>;
  /** Replaces the file atomically (see writeFileAtomic): private by default, folders created 0700. */
  writeAtomic(path: string, data: string | Uint8Array, options?: AtomicWriteOptions): Promise<void>;
  /** Removes what an interrupted writeAtomic of `path` left behind; returns how many. */
  removeStaleTempFiles(path: string): Promise<number>;
  stat(path: string): Promise<FileInfo>;
  /** True when `path` can be stat'ed (a file, folder or anything else), as existsSync does. */
  exists(path: string): Promise<boolean>;
  readdir(path: string): Promise<string[]>;
  /**
   * Creates the folder and its missing parents, private (0700) unless `mode` says otherwise; an
   * existing folder is fine and keeps its mode.
   */
  mkdir(path: string, options?: { mode?: number }): Promise<void>;
  /** Removes a file (or a folder with `recursive`); a missing path is fine. */
  rm(path: string, options?: { recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

export const nodeFileSystem: FileSystem = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  readText: (path) => readFile(path, 'utf8'),
  writeAtomic: writeFileAtomic,
  removeStaleTempFiles,
  stat: (path) => stat(path),
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
  readdir: (path) => readdir(path),
  async mkdir(path, options = {}) {
    await mkdir(path, { recursive: true, mode: options.mode ?? 0o700 });
  },
  rm: (path, options = {}) => rm(path, { force: true, recursive: options.recursive ?? false }),
  rename: (from, to) => rename(from, to),
  copyFile: (from, to) => copyFile(from, to),
};
