// Where a finished download goes in the Downloads folder: its own (safe) name, or "name (1).ext",
// "name (2).ext"… when taken. The claim is atomic (a hard link fails on an existing name, where a
// rename would replace it), so a download never overwrites a file, even one created meanwhile.

import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, link } from 'node:fs/promises';
import path from 'node:path';
import { remoteBaseName } from '../files';

/** How many numbered names are tried before giving up. */
const MAX_NUMBER = 9999;

/** "report.tar.gz", 2 -> "report (2).tar.gz"; ".bashrc", 1 -> ".bashrc (1)". */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.indexOf('.', 1);
  return dot < 0 ? `${name} (${n})` : `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Gives `source` (a finished file in the same folder tree) the first free name for `name` in
 * `dir` and returns its path. Falls back to an exclusive copy where hard links are not supported
 * (FAT, some network shares).
 */
export async function claimFreeName(source: string, dir: string, name: string): Promise<string> {
  for (let n = 0; n <= MAX_NUMBER; n++) {
    const candidate = path.join(dir, numberedName(name, n));
    try {
      await link(source, candidate);
      return candidate;
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
        throw error;
      }
    }
    try {
      await copyFile(source, candidate, constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
  }
  throw new Error(`every name from ${name} to ${numberedName(name, MAX_NUMBER)} is taken`);
}

/** A local file name for what the instance calls `remotePath` (characters Windows refuses become _). */
export function downloadNameOf(remotePath: string): string {
  const name = [...remoteBaseName(remotePath)]
    .map((char) => (char < ' ' || '\\:*?"<>|'.includes(char) ? '_' : char))
    .join('');
  return name === '..' ? 'download' : name;
}

/** The SHA-256 of a finished file, read back from disk. */
export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
