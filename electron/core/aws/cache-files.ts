// Reading and writing the AWS CLI's cache files (SSO tokens, assumed-role credentials): private,
// atomic, and tolerant of the timestamp formats CLI v1, v2 and the SDKs write.
import { nodeFileSystem, type FileSystem } from '../base/fs';

/** Parses the timestamps found in caches written by CLI v1, v2 and the SDKs; NaN when unreadable. */
export function parseCacheTime(text: string): number {
  return Date.parse(text.trim().replace(/UTC$/, 'Z'));
}

export async function readJson(path: string, fs: FileSystem = nodeFileSystem): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readText(path);
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes a private file (0600, in a folder created 0700) atomically so a crash never leaves a
 * half-written cache the CLI chokes on.
 */
export async function writePrivateJson(
  path: string,
  value: unknown,
  fs: FileSystem = nodeFileSystem,
): Promise<void> {
  await fs.writeAtomic(path, JSON.stringify(value), { mode: 0o600 });
}
