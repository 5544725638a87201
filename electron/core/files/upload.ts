// Upload: local files to an instance through the pty receiver (posix-scripts.ts), base64 in lines,
// one acknowledged block at a time, SHA-256 checked on the instance before the final rename.

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
import { posixReceiverScript } from './posix-scripts';
import { ProgressMeter, type TransferProgress } from './progress';

/** Raw bytes per acknowledged block: a multiple of 3, so every block is base64 on its own. */
export const UPLOAD_BLOCK_BYTES = 3 * 131072;
/** Raw bytes per line: 4096 base64 characters. */
const LINE_BYTES = 3072;

/** 'ask' calls `confirmOverwrite`; without it, or when it says no, an existing file is an error. */
export type OverwritePolicy = 'always' | 'never' | ((remotePath: string) => Promise<boolean>);

export interface TransferOptions {
  open: CommandSessionOpener;
  recursive: boolean;
  overwrite: OverwritePolicy;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  clock?: Clock;
}

export interface TransferResult {
  /** Where the (root) file or directory ended up. */
  destination: string;
  files: number;
  bytes: number;
}

/** One request line and its one answer; an `err` answer becomes the TransferError it stands for. */
class Receiver {
  constructor(
    private readonly session: CommandSession,
    private readonly replies: ControlReplies,
  ) {}

  /** Sends one request line (or, with `body`, a data block instead) and waits for its answer. */
  async request(line: string, body?: Buffer): Promise<string> {
    this.session.shell.write(body ?? Buffer.from(`${line}\n`, 'latin1'));
    return this.answer();
  }

  async answer(): Promise<string> {
    const reply = await this.replies.next();
    if (reply.startsWith('err ')) throw remoteError(decodeName(reply.slice(4)));
    return reply;
  }
}

function base64Lines(block: Buffer): { lines: number; body: Buffer } {
  const parts: string[] = [];
  for (let offset = 0; offset < block.length; offset += LINE_BYTES) {
    parts.push(block.subarray(offset, offset + LINE_BYTES).toString('base64'));
  }
  return {
    lines: parts.length,
    body: Buffer.from(parts.length ? `${parts.join('\n')}\n` : '', 'latin1'),
  };
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
  const session = await options.open(UPLOAD_DOCUMENT, posixReceiverScript());
  const replies = new ControlReplies(session);
  const receiver = new Receiver(session, replies);
  try {
    const ready = await receiver.answer();
    if (ready !== 'ready')
      throw new TransferError('failed', `unexpected answer from the instance: ${ready}`);
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
  try {
    const block = Buffer.allocUnsafe(UPLOAD_BLOCK_BYTES);
    for (;;) {
      if (options.signal?.aborted) {
        await receiver.request('C');
        throw new TransferError('cancelled', 'the transfer was cancelled');
      }
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      const chunk = block.subarray(0, bytesRead);
      hash.update(chunk);
      const { lines, body } = base64Lines(chunk);
      const go = await receiver.request(`D ${lines}`);
      if (go !== 'send')
        throw new TransferError('failed', `unexpected answer from the instance: ${go}`);
      const ack = await receiver.request('', body);
      if (ack !== 'ack')
        throw new TransferError('failed', `unexpected answer from the instance: ${ack}`);
      meter.add(bytesRead);
    }
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
