// Crash-safe file replacement: write a private temp file in the same folder, fsync it, rename it
// over the target, fsync the folder.

import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface AtomicWriteOptions {
  /** Bytes per write call (default 64 KiB). */
  chunkSize?: number;
  /** Called after each chunk with bytes written so far (for progress on large files). */
  onProgress?: (written: number, total: number) => void;
  /** Mode of the written file (default 0o600: only the user reads it), whatever the umask. */
  mode?: number;
}

const TEMP_MARKER = '.tmp-';
/** Where Linux gives up following symlinks (ELOOP); a longer chain is surely a loop. */
const MAX_SYMLINK_HOPS = 40;

/** Temp files of `targetPath` start with this; a crash can leave one behind. */
export function tempPrefix(targetPath: string): string {
  return `${basename(targetPath)}${TEMP_MARKER}`;
}

/**
 * Replaces `targetPath` with `data` so a reader sees either the old or the new content, never a
 * mix, even if the process dies midway: the data goes to a temp file in the same directory
 * (rename is only atomic within one file system), is fsynced, and is renamed over the target;
 * then the directory is fsynced so the rename itself survives a power cut.
 *
 * A missing directory is created private (0o700). When the target is a symlink (a dotfile kept
 * in a dotfiles repository, say) the file it points to is replaced and the link stays. The temp
 * file is created exclusively under a random name, so a file or link planted at a guessable name
 * is never written through.
 */
export async function writeFileAtomic(
  targetPath: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
  const mode = options.mode ?? 0o600;
  const finalPath = await followSymlinks(resolve(targetPath));
  const dir = dirname(finalPath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tempPath = join(
    dir,
    `${tempPrefix(finalPath)}${process.pid}-${randomBytes(6).toString('hex')}`,
  );
  const handle = await open(tempPath, 'wx', mode);
  try {
    // open() applies the umask; the caller asked for exactly `mode`.
    await handle.chmod(mode);
    let offset = 0;
    while (offset < bytes.length) {
      const length = Math.min(chunkSize, bytes.length - offset);
      const { bytesWritten } = await handle.write(bytes, offset, length);
      offset += bytesWritten;
      options.onProgress?.(offset, bytes.length);
    }
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
  try {
    await rename(tempPath, finalPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** The path a write to `path` should replace: itself, or the end of its chain of symlinks. */
async function followSymlinks(path: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  const loop = new Error(`too many levels of symbolic links: ${path}`) as NodeJS.ErrnoException;
  loop.code = 'ELOOP';
  throw loop;
}

/** Best effort: Windows cannot open a directory for fsync, and there rename is durable enough. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform or file system; the data itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Removes temp files a crashed writer of `targetPath` left behind. Files of a process that is
 * still alive (this one included) are kept: it may be about to rename them. Returns how many.
 */
export async function removeStaleTempFiles(targetPath: string): Promise<number> {
  // Temp files sit beside the file a symlinked target points to, as writeFileAtomic puts them.
  const finalPath = await followSymlinks(resolve(targetPath)).catch(() => targetPath);
  const prefix = tempPrefix(finalPath);
  const dir = dirname(finalPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    // Signal 0 checks existence without delivering anything.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
