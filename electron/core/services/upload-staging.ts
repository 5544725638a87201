// Where an upload's bytes wait in main while the renderer streams them: a private folder holding
// one file under the upload's own name (the receiver names the remote file after it), hashed as
// it is written, so the SHA-256 the instance checks is the one of the bytes the user dropped.

import { createHash, type Hash } from 'node:crypto';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure } from '../../../shared/ipc';

export class UploadStaging {
  private written = 0;
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;
  private work: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    readonly file: string,
    readonly size: number,
    private handle: FileHandle | undefined,
  ) {}

  /** A new staging folder under `parent` (created by the caller) for a file called `name`. */
  static async create(parent: string, name: string, size: number): Promise<UploadStaging> {
    const dir = await mkdtemp(path.join(parent, 'upload-'));
    const file = path.join(dir, name);
    try {
      const handle = await open(file, 'wx', 0o600);
      return new UploadStaging(dir, file, size, handle);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get bytes(): number {
    return this.written;
  }

  get complete(): boolean {
    return this.digest !== undefined;
  }

  /** The SHA-256 of every byte written, once finished. */
  get sha256(): string | undefined {
    return this.digest;
  }

  /** Appends the next chunk; refuses more bytes than the upload announced. */
  append(data: Uint8Array): Promise<void> {
    const step = this.work.then(async () => {
      const handle = this.handle;
      if (!handle) throw new IpcFailure('cancelled', 'this upload no longer takes bytes');
      if (this.written + data.byteLength > this.size) {
        throw new IpcFailure(
          'invalid-request',
          `the file is larger than the ${this.size} bytes announced`,
        );
      }
      await handle.write(data);
      this.hash.update(data);
      this.written += data.byteLength;
    });
    this.work = step.catch(() => undefined);
    return step;
  }

  /** Closes the file once every announced byte is there. */
  async finish(): Promise<void> {
    await this.work;
    if (this.written !== this.size) {
      throw new IpcFailure(
        'invalid-request',
        `only ${this.written} of the ${this.size} bytes announced arrived`,
      );
    }
    await this.closeHandle();
    this.digest = this.hash.digest('hex');
  }

  /** Removes the folder and everything in it; idempotent. */
  async remove(): Promise<void> {
    await this.work;
    await this.closeHandle();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
