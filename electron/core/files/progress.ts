// Progress of a transfer: bytes done, speed over the last few seconds and the time left, at most ten reports a second.

import type { Clock } from '../base/clock';

export interface TransferProgress {
  /** The file being moved, relative to the transfer's root ('' for a single file). */
  file: string;
  doneBytes: number;
  /** Undefined until the remote side has said how much there is (downloads). */
  totalBytes: number | undefined;
  bytesPerSecond: number;
  /** Undefined while the speed or the total is unknown. */
  secondsLeft: number | undefined;
  filesDone: number;
}

const SPEED_WINDOW_MS = 3000;
const REPORT_INTERVAL_MS = 100;

export class ProgressMeter {
  private doneBytes = 0;
  private filesDone = 0;
  private file = '';
  private lastReport = -Infinity;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly report: ((progress: TransferProgress) => void) | undefined,
    private totalBytes: number | undefined,
  ) {
    this.samples.push({ at: clock.now(), bytes: 0 });
  }

  setTotal(totalBytes: number): void {
    this.totalBytes = totalBytes;
  }

  startFile(file: string): void {
    this.file = file;
  }

  fileDone(): void {
    this.filesDone++;
    this.emit(true);
  }

  add(bytes: number): void {
    this.doneBytes += bytes;
    this.emit(false);
  }

  get bytes(): number {
    return this.doneBytes;
  }

  get files(): number {
    return this.filesDone;
  }

  private emit(force: boolean): void {
    const now = this.clock.now();
    this.samples.push({ at: now, bytes: this.doneBytes });
    while (this.samples.length > 2 && now - (this.samples[1]?.at ?? now) >= SPEED_WINDOW_MS) {
      this.samples.shift();
    }
    if (!this.report || (!force && now - this.lastReport < REPORT_INTERVAL_MS)) return;
    this.lastReport = now;
    const oldest = this.samples[0] ?? { at: now, bytes: 0 };
    const elapsed = (now - oldest.at) / 1000;
    const bytesPerSecond = elapsed > 0 ? (this.doneBytes - oldest.bytes) / elapsed : 0;
    const left =
      this.totalBytes === undefined ? undefined : Math.max(0, this.totalBytes - this.doneBytes);
    this.report({
      file: this.file,
      doneBytes: this.doneBytes,
      totalBytes: this.totalBytes,
      bytesPerSecond,
      secondsLeft:
        left === undefined
          ? undefined
          : left === 0
            ? 0
            : bytesPerSecond > 0
              ? left / bytesPerSecond
              : undefined,
      filesDone: this.filesDone,
    });
  }
}
