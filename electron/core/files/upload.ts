// Upload: local files to an instance through the pty receiver (posix-scripts.ts, or
// powershell-scripts.ts on Windows), base64 in lines, a few blocks in flight at a time, SHA-256
// checked on the instance before the final rename.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../base/clock';
import {
  ControlReplies,
  UPLOAD_DOCUMENT,
  decodeName,
  encodeName,
  type CommandSession,
  type CommandSessionOpener,
} from './command-session';
import { localError, remoteError, TransferError } from './errors';
import { readLocalTree, type LocalFile } from './local-tree';
import { ProgressMeter, type TransferProgress } from './progress';
import { remoteScripts, type RemotePlatform, type RemoteScripts } from './remote-scripts';

/**
 * Raw bytes per data block (one `D` request, one answer), about 1 MiB of base64: whole lines on
 * both platforms (252 lines of 3072 bytes, 1024 of 756).
 */
export const UPLOAD_BLOCK_BYTES = 774144;
/**
 * Blocks sent before the answer to the oldest, when the receiver reads blocks exactly: enough to
 * keep the channel and the pty busy while the receiver starts `head` and `base64 -d` for the
 * next block, few enough to bound what is queued (about 3 MiB).
 */
export const UPLOAD_WINDOW_BLOCKS = 3;

/** 'ask' calls `confirmOverwrite`; without it, or when it says no, an existing file is an error. */
export type OverwritePolicy = 'always' | 'never' | ((remotePath: string) => Promise<boolean>);

export interface TransferOptions {
  open: CommandSessionOpener;
  recursive: boolean;
  overwrite: OverwritePolicy;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  clock?: Clock;
  /** The instance's platform: which programs run there (default 'posix'). */
  platform?: RemotePlatform;
}

export interface TransferResult {
  /** Where the (root) file or directory ended up. */
  destination: string;
  files: number;
  bytes: number;
}

/** Requests and their answers, one each, in order; an `err` answer becomes the TransferError it stands for. */
class Receiver {
  /** Whether blocks may follow each other without waiting (`ready 1`: GNU head reads exactly). */
  pipelined = false;

  constructor(
    private readonly session: CommandSession,
    private readonly replies: ControlReplies,
    private readonly scripts: RemoteScripts,
  ) {}

  /** Sends one request line and waits for its answer. */
  async request(line: string): Promise<string> {
    this.session.shell.write(Buffer.from(`${line}${this.scripts.lineEnd}`, 'latin1'));
    return this.answer();
  }

  /**
   * Sends one data block, answered later (in order, through `answer`) by `ack`. Without
   * pipelining it first waits for the receiver's `send`, so nothing waits behind the request.
   */
  async sendBlock(block: Buffer): Promise<void> {
    const { lineBytes, lineEnd } = this.scripts;
    const body = Buffer.from(base64Lines(block, lineBytes, lineEnd), 'latin1');
    const lines = Math.ceil(block.length / lineBytes);
    const request = Buffer.from(`D ${body.length} ${lines}${lineEnd}`, 'latin1');
    if (this.pipelined) {
      this.session.shell.write(Buffer.concat([request, body]));
      return;
    }
    this.session.shell.write(request);
    const go = await this.answer();
    if (go !== 'send')
      throw new TransferError('failed', `unexpected answer from the instance: ${go}`);
    this.session.shell.write(body);
  }

  async answer(): Promise<string> {
    const reply = await this.replies.next();
    if (reply.startsWith('err ')) throw remoteError(decodeName(reply.slice(4)));
    return reply;
  }
}

/** base64 of `block` in lines of `lineBytes` raw bytes (a multiple of 3), each ended by `lineEnd`. */
export function base64Lines(block: Buffer, lineBytes: number, lineEnd: string): string {
  const encoded = block.toString('base64');
  const width = (lineBytes / 3) * 4;
  const parts: string[] = [];
  for (let offset = 0; offset < encoded.length; offset += width) {
    parts.push(encoded.slice(offset, offset + width), lineEnd);
  }
  return parts.join('');
}

async function mayOverwrite(policy: OverwritePolicy, remotePath: string): Promise<boolean> {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return policy(remotePath);
}

export async function uploadFiles(
  localSource: string,
  remoteDestination: string,
  options: TransferOptions,
): Promise<TransferResult> {
  const tree = await readLocalTree(localSource, options.recursive);
  const meter = new ProgressMeter(
    options.clock ?? systemClock,
    options.onProgress,
    tree.totalBytes,
  );
  const scripts = remoteScripts(options.platform);
  const session = await options.open(UPLOAD_DOCUMENT, scripts.receiver);
  const replies = new ControlReplies(session);
  const receiver = new Receiver(session, replies, scripts);
  try {
    const ready = await receiver.answer();
    if (ready !== 'ready 0' && ready !== 'ready 1')
      throw new TransferError('failed', `unexpected answer from the instance: ${ready}`);
    receiver.pipelined = ready === 'ready 1';
    const resolved = await receiver.request(
      `P ${encodeName(remoteDestination)} ${encodeName(path.basename(localSource))}`,
    );
    const root = decodeName(resolved.replace(/^path /, ''));
    for (const dir of tree.directories) {
      await receiver.request(`M ${encodeName(dir === '' ? root : `${root}/${dir}`)}`);
    }
    for (const file of tree.files) {
      const remotePath = file.relative === '' ? root : `${root}/${file.relative}`;
      meter.startFile(file.relative);
      await sendFile(receiver, file, remotePath, meter, options);
      meter.fileDone();
    }
    await receiver.request('Q').catch(() => undefined);
    return { destination: root, files: meter.files, bytes: meter.bytes };
  } finally {
    replies.dispose();
    await session.close();
  }
}

async function sendFile(
  receiver: Receiver,
  file: LocalFile,
  remotePath: string,
  meter: ProgressMeter,
  options: TransferOptions,
): Promise<void> {
  const target = encodeName(remotePath);
  let opened = await receiver.request(`F ${target} 0`);
  if (opened === 'exists') {
    if (!(await mayOverwrite(options.overwrite, remotePath))) {
      throw new TransferError(
        'exists',
        `${remotePath} already exists on the instance; not overwritten`,
      );
    }
    opened = await receiver.request(`F ${target} 1`);
  }
  if (opened !== 'go')
    throw new TransferError('failed', `unexpected answer from the instance: ${opened}`);
  let handle;
  try {
    handle = await open(file.absolute, 'r');
  } catch (error) {
    await receiver.request('C');
    throw localError(error, file.absolute);
  }
  const hash = createHash('sha256');
  // Sizes of the blocks sent and not yet answered, oldest first.
  const inFlight: number[] = [];
  const window = receiver.pipelined ? UPLOAD_WINDOW_BLOCKS : 1;
  // Reused: sendBlock encodes the block before it returns.
  const block = Buffer.allocUnsafe(UPLOAD_BLOCK_BYTES);
  const settleOldest = async (): Promise<void> => {
    const ack = await receiver.answer();
    if (ack !== 'ack')
      throw new TransferError('failed', `unexpected answer from the instance: ${ack}`);
    meter.add(inFlight.shift() ?? 0);
  };
  try {
    for (;;) {
      if (options.signal?.aborted) {
        while (inFlight.length > 0) await settleOldest();
        await receiver.request('C');
        throw new TransferError('cancelled', 'the transfer was cancelled');
      }
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      const chunk = block.subarray(0, bytesRead);
      hash.update(chunk);
      await receiver.sendBlock(chunk);
      inFlight.push(bytesRead);
      while (inFlight.length >= window) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    await handle.close();
  }
  const expected = hash.digest('hex');
  const done = await receiver.request(`E ${expected}`);
  if (done !== 'ok') {
    throw new TransferError(
      'checksum',
      `${remotePath}: SHA-256 on the instance does not match (${done}); nothing was kept`,
    );
  }
}
