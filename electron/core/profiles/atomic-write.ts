// Crash-safe file replacement: write a temp file in the same folder, fsync it, rename it over the target.

import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Bytes per write call (default 64 KiB). */
  chunkSize?: number;
  /** Called after each chunk with bytes written so far (for progress on large files). */
  onProgress?: (written: number, total: number) => void;
  /** File mode for a newly created file (default 0o600: only the user reads their profiles). */
  mode?: number;
}

const TEMP_MARKER = '.tmp-';

/** Temp files of `targetPath` start with this; a crash can leave one behind. */
export function tempPrefix(targetPath: string): string {
  return `${basename(targetPath)}${TEMP_MARKER}`;
}

/**
 * Replaces `targetPath` with `data` so a reader sees either the old or the new content, never a
 * mix, even if the process dies midway: the data goes to a temp file in the same directory
 * (rename is only atomic within one file system), is fsynced, and is renamed over the target;
 * then the directory is fsynced so the rename itself survives a power cut.
 */
export async function writeFileAtomic(
  targetPath: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
  const dir = dirname(targetPath);
  const tempPath = join(
    dir,
    `${tempPrefix(targetPath)}${process.pid}-${randomBytes(6).toString('hex')}`,
  );
  const handle = await open(tempPath, 'wx', options.mode ?? 0o600);
  try {
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
    await rename(tempPath, targetPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncDirectory(dir);
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
  const prefix = tempPrefix(targetPath);
  const dir = dirname(targetPath);
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
