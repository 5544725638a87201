// The local side of a transfer: what an upload sends (a file or a directory tree) and where a download may write.

import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { localError, TransferError } from './errors';

export interface LocalFile {
  /** Relative to the transfer's root with '/' separators; '' for a single file. */
  relative: string;
  absolute: string;
  size: number;
}

export interface LocalTree {
  kind: 'file' | 'directory';
  /** Directories to create, relative, parents first ('' is the root itself). */
  directories: string[];
  files: LocalFile[];
  totalBytes: number;
}

/** What `source` holds; symbolic links inside a directory are skipped, as scp -r without -L would not. */
export async function readLocalTree(source: string, recursive: boolean): Promise<LocalTree> {
  let info;
  try {
    info = await stat(source);
  } catch (error) {
    throw localError(error, source);
  }
  if (info.isFile()) {
    return {
      kind: 'file',
      directories: [],
      files: [{ relative: '', absolute: source, size: info.size }],
      totalBytes: info.size,
    };
  }
  if (!info.isDirectory()) throw new TransferError('failed', `not a regular file: ${source}`);
  if (!recursive)
    throw new TransferError(
      'is-directory',
      `${source} is a directory (use -r to copy directories)`,
    );
  const tree: LocalTree = { kind: 'directory', directories: [''], files: [], totalBytes: 0 };
  const walk = async (relative: string): Promise<void> => {
    const dir = path.join(source, relative);
    let entries;
    try {
      entries = await readdir(dir);
    } catch (error) {
      throw localError(error, dir);
    }
    for (const name of entries.sort()) {
      const childRelative = relative === '' ? name : `${relative}/${name}`;
      const absolute = path.join(source, childRelative);
      const child = await lstat(absolute).catch((error: unknown) => {
        throw localError(error, absolute);
      });
      if (child.isDirectory()) {
        tree.directories.push(childRelative);
        await walk(childRelative);
      } else if (child.isFile()) {
        tree.files.push({ relative: childRelative, absolute, size: child.size });
        tree.totalBytes += child.size;
      }
    }
  };
  await walk('');
  return tree;
}

/** Where a relative name from the instance lands under `root`; refuses names that would leave it. */
export function safeLocalPath(root: string, relative: string): string {
  if (relative === '' || relative === '.') return root;
  const parts = relative.split('/');
  if (
    relative.startsWith('/') ||
    relative.includes('\\') ||
    parts.some((p) => p === '..' || p === '') ||
    relative.includes('\0')
  ) {
    throw new TransferError(
      'unsafe-name',
      `the instance sent an unsafe file name: ${JSON.stringify(relative)}`,
    );
  }
  return path.join(root, ...parts);
}

/** The part-file name next to `final`, so the rename at the end stays on one file system. */
export function partFileName(final: string, random: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}.airlock-${random}.part`);
}
