// Reading and writing the AWS CLI's cache files (SSO tokens, assumed-role credentials): private,
// atomic, and tolerant of the timestamp formats CLI v1, v2 and the SDKs write.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Parses the timestamps found in caches written by CLI v1, v2 and the SDKs; NaN when unreadable. */
export function parseCacheTime(text: string): number {
  return Date.parse(text.trim().replace(/UTC$/, 'Z'));
}

export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes a private file atomically so a crash never leaves a half-written cache the CLI chokes on. */
export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  const dir = join(path, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}
