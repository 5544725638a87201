// Download: the instance's sender (posix-scripts.ts or powershell-scripts.ts) prints base64 and a SHA-256 per file; each
// file is written to a part file beside its final name and renamed only when the hash matches.

import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../base/clock';
import {
  DOWNLOAD_DOCUMENT,
  OutputLines,
  decodeName,
  sessionEndError,
  type CommandSession,
} from './command-session';
import { localError, remoteError, TransferError } from './errors';
import { partFileName, safeLocalPath } from './local-tree';
import { ProgressMeter } from './progress';
import { remoteScripts } from './remote-scripts';
import type { OverwritePolicy, TransferOptions, TransferResult } from './upload';
import type { SessionStatus } from '../sessions/session-types';

/** Decoded bytes waiting for the disk before the session's reading pauses. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
const LOW_WATER_BYTES = 2 * 1024 * 1024;
const WRITE_BATCH_BYTES = 256 * 1024;

interface OpenFile {
  final: string;
  part: string;
  handle: FileHandle;
  hash: Hash;
}

/** The remote path's last name, for a local destination that is a directory. */
export function remoteBaseName(remotePath: string): string {
  const trimmed = remotePath.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return name === '' || name === '~' || name === '.' ? 'download' : name;
}

async function isDirectory(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function mayOverwrite(policy: OverwritePolicy, localPath: string): Promise<boolean> {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return policy(localPath);
}

/** How much of the sender's stderr an error quotes. */
const STDERR_KEPT_CHARS = 1000;

/** Applies the sender's lines in order; file work is chained so it never overlaps. */
class DownloadWriter {
  private work: Promise<void> = Promise.resolve();
  private pending = 0;
  private paused = false;
  private current: OpenFile | undefined;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private failure: TransferError | undefined;
  private ended = false;
  /** The end of what the sender wrote to stderr (a shell's "not found", say). */
  private stderrTail = '';
  readonly parts = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly session: CommandSession,
    private readonly meter: ProgressMeter,
  ) {}

  get error(): TransferError | undefined {
    return this.failure;
  }

  get complete(): boolean {
    return this.ended;
  }

  /** Resolves once every queued write is done. */
  settled(): Promise<void> {
    return this.work;
  }

  /** Records the first failure and ends the session, so nothing more is sent for nothing. */
  fail(error: TransferError): void {
    if (this.failure) return;
    this.failure = error;
    void this.session.close();
  }

  stderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEPT_CHARS);
  }

  /** Why the transfer stopped when the session ended before the sender's `end`. */
  endError(status: SessionStatus): TransferError {
    const said = this.stderrTail.trim();
    return said ? remoteError(said) : sessionEndError(status);
  }

  control(text: string): void {
    this.flush();
    const [op = '', a = '', b = ''] = text.split(' ');
    if (op === 'total') this.meter.setTotal(Number(a));
    else if (op === 'dir') this.chain(() => this.makeDir(decodeName(a)));
    else if (op === 'file') this.chain(() => this.openFile(decodeName(a), b));
    else if (op === 'sha') this.chain(() => this.closeFile(a));
    else if (op === 'err') this.fail(remoteError(decodeName(a)));
    else if (op === 'end') this.chain(() => Promise.resolve(void (this.ended = true)));
  }

  data(joined: string): void {
    const bytes = Buffer.from(joined, 'base64');
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    this.pending += bytes.length;
    if (!this.paused && this.pending > HIGH_WATER_BYTES) {
      this.paused = true;
      this.session.pauseOutput(true);
    }
    if (this.batchBytes >= WRITE_BATCH_BYTES) this.flush();
  }

  /** Queues the decoded bytes gathered so far as one write (one disk write per 256 KiB, not per message). */
  private flush(): void {
    if (this.batchBytes === 0) return;
    const bytes = Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.chain(async () => {
      const file = this.current;
      if (!file) throw new TransferError('failed', 'the instance sent data outside a file');
      file.hash.update(bytes);
      await file.handle.write(bytes).catch((error: unknown) => {
        throw localError(error, file.final);
      });
      this.pending -= bytes.length;
      if (this.paused && this.pending < LOW_WATER_BYTES) {
        this.paused = false;
        this.session.pauseOutput(false);
      }
      this.meter.add(bytes.length);
    });
  }

  /** Closes and removes a part file left open (cancel or failure). */
  async abandon(): Promise<void> {
    await this.work;
    const file = this.current;
    this.current = undefined;
    if (file) await file.handle.close().catch(() => undefined);
    for (const part of this.parts) await rm(part, { force: true });
  }

  private chain(step: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.failure) return;
      try {
        await step();
      } catch (error) {
        this.fail(error instanceof TransferError ? error : localError(error, this.root));
      }
    });
  }

  private async makeDir(relative: string): Promise<void> {
    const dir = safeLocalPath(this.root, relative);
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw localError(error, dir);
    });
  }

  private async openFile(relative: string, size: string): Promise<void> {
    const final = safeLocalPath(this.root, relative);
    const part = partFileName(final, randomBytes(6).toString('hex'));
    this.meter.startFile(relative);
    void size;
    this.parts.add(part);
    const handle = await open(part, 'wx', 0o600).catch((error: unknown) => {
      throw localError(error, final);
    });
    this.current = { final, part, handle, hash: createHash('sha256') };
  }

  private async closeFile(expected: string): Promise<void> {
    const file = this.current;
    if (!file) throw new TransferError('failed', 'the instance sent a checksum outside a file');
    this.current = undefined;
    await file.handle.close();
    const actual = file.hash.digest('hex');
    if (actual !== expected) {
      throw new TransferError(
        'checksum',
        `${file.final}: SHA-256 does not match the instance's; nothing was kept`,
      );
    }
    await rename(file.part, file.final).catch((error: unknown) => {
      throw localError(error, file.final);
    });
    this.parts.delete(file.part);
    this.meter.fileDone();
  }
}

export async function downloadFiles(
  remoteSource: string,
  localDestination: string,
  options: TransferOptions,
): Promise<TransferResult> {
  const root = (await isDirectory(localDestination))
    ? path.join(localDestination, remoteBaseName(remoteSource))
    : localDestination;
  if (!(await isDirectory(path.dirname(root)))) {
    throw new TransferError('missing', `no such directory on this computer: ${path.dirname(root)}`);
  }
  if ((await exists(root)) && !(await mayOverwrite(options.overwrite, root))) {
    throw new TransferError('exists', `${root} already exists; not overwritten`);
  }
  const meter = new ProgressMeter(options.clock ?? systemClock, options.onProgress, undefined);
  const session = await options.open(
    DOWNLOAD_DOCUMENT,
    remoteScripts(options.platform).sender(remoteSource, options.recursive),
  );
  const writer = new DownloadWriter(root, session, meter);
  const lines = new OutputLines(session.shell, writer);
  const onAbort = (): void =>
    writer.fail(new TransferError('cancelled', 'the transfer was cancelled'));
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  try {
    const status = await session.finished;
    await writer.settled();
    if (writer.error) throw writer.error;
    if (!writer.complete) throw writer.endError(status);
    return { destination: root, files: meter.files, bytes: meter.bytes };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    lines.dispose();
    await writer.abandon();
    await session.close();
  }
}
