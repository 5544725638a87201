// File transfers for the app: uploads whose bytes the renderer streams in bounded chunks (the same
// in Electron and in a browser, which cannot name a local path), downloads written into the
// Downloads folder under a free name, each with progress, cancel and a plain result on files:changed.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  IpcFailure,
  type Instance,
  type TransferErrorCodeName,
  type TransferView,
} from '../../../shared/ipc';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import {
  commandSessionOpener,
  downloadFiles,
  platformOfType,
  TransferError,
  uploadFiles,
  type CommandSessionOpener,
  type RemotePlatform,
  type TransferProgress,
} from '../files';
import type { EngineOptions } from '../sessions/launcher';
import { claimFreeName, downloadNameOf, sha256Of } from './download-names';
import type { SessionSource } from './sources';
import type { SshTarget } from './ssh-service';
import { UploadStaging } from './upload-staging';

/** Finished transfers kept for the list; older ones are forgotten first. */
const KEEP_FINISHED = 50;
const RECEIVE_REPORT_MS = 100;

export interface FilesServiceOptions {
  readonly sources: () => readonly SessionSource[];
  readonly inventory: {
    find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
  };
  /** Where downloads go (the user's Downloads folder, or the folder a setting names). */
  readonly downloadsDir: () => string;
  /** A private folder for the bytes of uploads while they arrive. */
  readonly stagingDir: string;
  readonly emit: (view: TransferView) => void;
  readonly newId: () => string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Shows a file in the system's file manager; absent in browser mode. */
  readonly showInFolder?: (file: string) => void;
  /** Engine settings for the transfer sessions (a test seam; default clock and logger). */
  readonly engine?: EngineOptions;
}

export interface UploadStartRequest extends SshTarget {
  name: string;
  size: number;
  destination: string;
}

export interface FilesService {
  list(): { transfers: TransferView[] };
  uploadStart(request: UploadStartRequest): Promise<{ id: string }>;
  uploadChunk(request: { id: string; data: Uint8Array }): Promise<Record<string, never>>;
  uploadEnd(request: { id: string }): Promise<Record<string, never>>;
  download(request: SshTarget & { remotePath: string }): Promise<{ id: string }>;
  cancel(request: { id: string }): Record<string, never>;
  replace(request: { id: string }): Record<string, never>;
  dismiss(request: { id: string }): Promise<Record<string, never>>;
  show(request: { id: string }): Record<string, never>;
  /** Cancels what runs and removes every staged upload; resolves when they are gone. */
  dispose(): Promise<void>;
}

interface Transfer {
  view: TransferView;
  abort: AbortController;
  open: CommandSessionOpener;
  /** Which scripts run on the instance: POSIX sh, or PowerShell on Windows. */
  platform: RemotePlatform;
  staging?: UploadStaging;
  remoteDestination?: string;
  work?: Promise<void>;
  lastReport: number;
}

/** The words and code of whatever stopped a transfer. */
function failureOf(error: unknown): { code: TransferErrorCodeName; message: string } {
  if (error instanceof TransferError) return { code: error.code, message: error.message };
  return { code: 'failed', message: toErrorMessage(error) };
}

const isFinished = (view: TransferView): boolean =>
  view.state === 'done' || view.state === 'failed' || view.state === 'cancelled';

export function createFilesService(options: FilesServiceOptions): FilesService {
  return new TransferBoard(options);
}

const empty = (): Record<string, never> => ({});

/** Every transfer of this run by id, and how each one runs. */
class TransferBoard implements FilesService {
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly options: FilesServiceOptions) {}

  list(): { transfers: TransferView[] } {
    return { transfers: [...this.transfers.values()].map((t) => t.view) };
  }

  async uploadStart(request: UploadStartRequest): Promise<{ id: string }> {
    const transfer = this.add(request, 'upload', request.name);
    try {
      await mkdir(this.options.stagingDir, { recursive: true, mode: 0o700 });
      transfer.staging = await UploadStaging.create(
        this.options.stagingDir,
        request.name,
        request.size,
      );
    } catch (error) {
      this.transfers.delete(transfer.view.id);
      throw new IpcFailure('internal', `Cannot keep the upload's bytes: ${toErrorMessage(error)}`);
    }
    transfer.remoteDestination = request.destination;
    this.publish(transfer, { totalBytes: request.size });
    return { id: transfer.view.id };
  }

  async uploadChunk({
    id,
    data,
  }: {
    id: string;
    data: Uint8Array;
  }): Promise<Record<string, never>> {
    const transfer = this.find(id);
    const staging = transfer.staging;
    if (transfer.view.state !== 'receiving' || !staging) {
      throw new IpcFailure('cancelled', `The upload of ${transfer.view.name} is not taking bytes.`);
    }
    await staging.append(data);
    const now = this.options.clock.now();
    if (now - transfer.lastReport >= RECEIVE_REPORT_MS || staging.bytes === staging.size) {
      transfer.lastReport = now;
      this.publish(transfer, { doneBytes: staging.bytes });
    }
    return empty();
  }

  async uploadEnd({ id }: { id: string }): Promise<Record<string, never>> {
    const transfer = this.find(id);
    const staging = transfer.staging;
    if (transfer.view.state !== 'receiving' || !staging) {
      throw new IpcFailure('cancelled', `The upload of ${transfer.view.name} was stopped.`);
    }
    try {
      await staging.finish();
    } catch (error) {
      await this.fail(transfer, error);
      throw error;
    }
    transfer.work = this.runUpload(transfer, false);
    return empty();
  }

  download(request: SshTarget & { remotePath: string }): Promise<{ id: string }> {
    try {
      const transfer = this.add(request, 'download', downloadNameOf(request.remotePath));
      this.options.emit(transfer.view);
      transfer.work = this.runDownload(transfer, request.remotePath);
      return Promise.resolve({ id: transfer.view.id });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  cancel({ id }: { id: string }): Record<string, never> {
    const transfer = this.find(id);
    if (isFinished(transfer.view)) return empty();
    transfer.abort.abort();
    // Receiving: no session runs yet, so the cancel ends it here; otherwise the transfer does.
    if (transfer.view.state === 'receiving') {
      void this.fail(transfer, new TransferError('cancelled', 'the transfer was cancelled'));
    }
    return empty();
  }

  replace({ id }: { id: string }): Record<string, never> {
    const transfer = this.find(id);
    if (transfer.view.error?.code !== 'exists' || !transfer.staging?.complete) {
      throw new IpcFailure(
        'invalid-request',
        'Only an upload stopped by an existing file can replace it.',
      );
    }
    transfer.abort = new AbortController();
    transfer.work = this.runUpload(transfer, true);
    return empty();
  }

  async dismiss({ id }: { id: string }): Promise<Record<string, never>> {
    const transfer = this.find(id);
    if (!isFinished(transfer.view)) {
      throw new IpcFailure('invalid-request', 'Cancel the transfer before clearing it.');
    }
    this.transfers.delete(id);
    await transfer.staging?.remove();
    return empty();
  }

  show({ id }: { id: string }): Record<string, never> {
    const { view } = this.find(id);
    const file = view.destination;
    if (view.direction !== 'download' || view.state !== 'done' || !file) {
      throw new IpcFailure('invalid-request', 'Only a finished download is on this computer.');
    }
    if (!this.options.showInFolder) {
      throw new IpcFailure('unavailable', `Open it from your file manager: ${file}`);
    }
    this.options.showInFolder(file);
    return empty();
  }

  async dispose(): Promise<void> {
    const all = [...this.transfers.values()];
    for (const transfer of all) transfer.abort.abort();
    await Promise.all(
      all.map(async (transfer) => {
        await transfer.work;
        await transfer.staging?.remove();
      }),
    );
    this.transfers.clear();
  }

  private publish(transfer: Transfer, change: Partial<TransferView>): void {
    transfer.view = { ...transfer.view, ...change };
    this.options.emit(transfer.view);
  }

  private progress(transfer: Transfer): (p: TransferProgress) => void {
    return (p) =>
      this.publish(transfer, {
        doneBytes: p.doneBytes,
        ...(p.totalBytes !== undefined && { totalBytes: p.totalBytes }),
        bytesPerSecond: p.bytesPerSecond,
        secondsLeft: p.secondsLeft,
      });
  }

  private find(id: string): Transfer {
    const transfer = this.transfers.get(id);
    if (!transfer)
      throw new IpcFailure('not-found', 'No such transfer (it may have been cleared).');
    return transfer;
  }

  /** A session opener for the instance, and the scripts its platform runs. */
  private openerFor(target: SshTarget): { open: CommandSessionOpener; platform: RemotePlatform } {
    const { options } = this;
    const instance = options.inventory.find(target.instanceId, target.sourceId, target.region);
    const source = options.sources().find((s) => s.info.id === target.sourceId);
    if (!source) {
      throw new IpcFailure('not-found', 'That profile is not selected under Sources any more.');
    }
    return {
      open: commandSessionOpener({
        apis: { ssm: source.ssm(target.region), kms: source.kms(target.region) },
        target: target.instanceId,
        engine: options.engine ?? { clock: options.clock, logger: options.logger.child('files') },
      }),
      platform: platformOfType(instance?.platform),
    };
  }

  private add(target: SshTarget, direction: TransferView['direction'], name: string): Transfer {
    const { open, platform } = this.openerFor(target);
    const finished = [...this.transfers.values()].filter((t) => isFinished(t.view));
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED + 1))) {
      this.transfers.delete(old.view.id);
      void old.staging?.remove();
    }
    const transfer: Transfer = {
      view: {
        id: this.options.newId(),
        direction,
        instanceId: target.instanceId,
        sourceId: target.sourceId,
        region: target.region,
        name,
        state: direction === 'upload' ? 'receiving' : 'running',
        doneBytes: 0,
        bytesPerSecond: 0,
      },
      abort: new AbortController(),
      open,
      platform,
      lastReport: -Infinity,
    };
    this.transfers.set(transfer.view.id, transfer);
    return transfer;
  }

  /** Ends a transfer that failed or was cancelled; the staged bytes stay only for a replace. */
  private async fail(transfer: Transfer, error: unknown): Promise<void> {
    const failure = failureOf(error);
    if (failure.code !== 'exists') await transfer.staging?.remove();
    this.publish(transfer, {
      state: failure.code === 'cancelled' ? 'cancelled' : 'failed',
      error: failure,
      secondsLeft: undefined,
    });
  }

  private async runUpload(transfer: Transfer, overwrite: boolean): Promise<void> {
    const staging = transfer.staging;
    if (!staging) return;
    this.publish(transfer, { state: 'running', doneBytes: 0, bytesPerSecond: 0, error: undefined });
    try {
      const result = await uploadFiles(staging.file, transfer.remoteDestination ?? '~', {
        open: transfer.open,
        platform: transfer.platform,
        recursive: false,
        overwrite: overwrite ? 'always' : 'never',
        signal: transfer.abort.signal,
        onProgress: this.progress(transfer),
        clock: this.options.clock,
      });
      await staging.remove();
      this.publish(transfer, {
        state: 'done',
        destination: result.destination,
        doneBytes: result.bytes,
        secondsLeft: 0,
        ...(staging.sha256 !== undefined && { sha256: staging.sha256 }),
      });
    } catch (error) {
      await this.fail(transfer, error);
    }
  }

  /** Downloads into a hidden folder beside the final name, then claims a free name (one file system). */
  private async downloadInto(transfer: Transfer, remotePath: string, dir: string) {
    await mkdir(dir, { recursive: true });
    const work = await mkdtemp(path.join(dir, '.airlock-download-'));
    try {
      const result = await downloadFiles(remotePath, path.join(work, transfer.view.name), {
        open: transfer.open,
        platform: transfer.platform,
        recursive: false,
        overwrite: 'never',
        signal: transfer.abort.signal,
        onProgress: this.progress(transfer),
        clock: this.options.clock,
      });
      const sha256 = await sha256Of(result.destination);
      const final = await claimFreeName(result.destination, dir, transfer.view.name);
      return { final, sha256, bytes: result.bytes };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async runDownload(transfer: Transfer, remotePath: string): Promise<void> {
    try {
      const done = await this.downloadInto(transfer, remotePath, this.options.downloadsDir());
      this.publish(transfer, {
        state: 'done',
        destination: done.final,
        doneBytes: done.bytes,
        totalBytes: done.bytes,
        secondsLeft: 0,
        sha256: done.sha256,
      });
    } catch (error) {
      await this.fail(transfer, error);
    }
  }
}
