// Transfer failures in plain words: what the remote's error output or a local errno means for the user.

export type TransferErrorCode =
  | 'missing'
  | 'permission'
  | 'disk-full'
  | 'is-directory'
  | 'exists'
  | 'checksum'
  | 'cancelled'
  | 'session'
  | 'unsafe-name'
  | 'failed';

export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const REMOTE_PATTERNS: readonly [RegExp, TransferErrorCode, string][] = [
  [
    /No space left on device|Disk quota exceeded|File too large|not enough space on the disk/i,
    'disk-full',
    "the instance's disk is full",
  ],
  [
    /Permission denied|Operation not permitted|Read-only file system|Access.*denied/i,
    'permission',
    'no permission on the instance',
  ],
  [
    /No such file or directory|Directory nonexistent|Not a directory|cannot find path|could not find (a part of )?the path|does not exist/i,
    'missing',
    'no such file or directory on the instance',
  ],
  [/Is a directory/i, 'is-directory', 'that is a directory on the instance'],
  // Move-Item refusing an existing name (a Windows upload without overwrite).
  [/already exists/i, 'exists', 'that file already exists on the instance'],
];

/** The error a remote program's text stands for, e.g. `sh: 1: cannot create /x/y: Permission denied`. */
export function remoteError(text: string): TransferError {
  const detail = text.replace(/\s+/g, ' ').trim();
  for (const [pattern, code, summary] of REMOTE_PATTERNS) {
    if (pattern.test(detail)) return new TransferError(code, `${summary} (${detail})`);
  }
  return new TransferError('failed', `the instance reported: ${detail || 'an unknown error'}`);
}

const LOCAL_CODES: Record<string, [TransferErrorCode, string]> = {
  ENOENT: ['missing', 'no such file or directory on this computer'],
  ENOTDIR: ['missing', 'no such file or directory on this computer'],
  EACCES: ['permission', 'no permission on this computer'],
  EPERM: ['permission', 'no permission on this computer'],
  EROFS: ['permission', 'no permission on this computer (read-only file system)'],
  ENOSPC: ['disk-full', "this computer's disk is full"],
  EDQUOT: ['disk-full', "this computer's disk quota is exhausted"],
  EISDIR: ['is-directory', 'that is a directory on this computer'],
};

/** A local file-system error (errno) in the same words. */
export function localError(error: unknown, path: string): TransferError {
  if (error instanceof TransferError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const known = LOCAL_CODES[code];
  if (known) return new TransferError(known[0], `${known[1]}: ${path}`);
  const message = error instanceof Error ? error.message : String(error);
  return new TransferError('failed', `${path}: ${message}`);
}
